; A primitive applied to a value of the wrong type is an error.

(display (car '(1 2)))
(newline)
(display (+ 1 "two"))
