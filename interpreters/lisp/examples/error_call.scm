; Only procedures can be called.

(define five 5)
(display "calling five")
(newline)
(five 1)
