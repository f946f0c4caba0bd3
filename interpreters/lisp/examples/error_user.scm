; A user error: (error ...) stops its top-level form; the interpreter reports it and goes
; on with the next form, and exits with status 1 at the end.

(define (safe-div a b)
  (if (= b 0)
      (error "safe-div: cannot divide by zero, numerator was" a)
      (quotient a b)))

(display (safe-div 10 2))
(newline)
(display (safe-div 7 0))
(newline)
(display "after the error")
