; Unbounded recursion: the interpreter reports "recursion too deep" for that form and
; goes on with the next ones (the translated binary gets RecursionError from its stack
; checks, CPython from its recursion limit).
(define (count-up n) (+ 1 (count-up (+ n 1))))
(display "before")
(newline)
(count-up 0)
(display "after")
(newline)
(define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
(display (sum-to 1000))
(newline)
