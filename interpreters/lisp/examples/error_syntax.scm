; A malformed program is rejected before anything runs.

(display "never printed")
(define (f x) (* x 2)
