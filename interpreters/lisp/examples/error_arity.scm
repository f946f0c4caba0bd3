; Calling a procedure with the wrong number of arguments is an error.

(define (add a b) (+ a b))
(display (add 1 2))
(newline)
(add 1 2 3)
