; Reading a variable that was never defined is an error.

(define (f x) (+ x undefined-variable))
(display "before")
(newline)
(f 1)
