; Integers are 64-bit: an overflowing result is an error, not a wrap-around.

(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(display (fact 20))
(newline)
(display (fact 21))
