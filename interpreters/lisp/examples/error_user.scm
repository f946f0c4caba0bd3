; A user error: (error ...) stops the program with exit status 1, after the output
; written so far.

(define (safe-div a b)
  (if (= b 0)
      (error "safe-div: cannot divide by zero, numerator was" a)
      (quotient a b)))

(display (safe-div 10 2))
(newline)
(display (safe-div 7 0))
(newline)
(display "not reached")
