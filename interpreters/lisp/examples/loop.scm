; Tail calls run in constant stack: a loop of a million iterations, and others.

; A tail-recursive procedure.
(define (count-up i n acc)
  (if (= i n)
      acc
      (count-up (+ i 1) n (+ acc i))))
(display (count-up 0 100000 0)) (newline)

; A named let.
(display
  (let loop ((i 0) (sum 0))
    (if (< i 1000000)
        (loop (+ i 1) (+ sum 2))
        sum)))
(newline)

; Mutual recursion in tail position, through cond, and, or.
(define (my-even? n)
  (cond ((= n 0) #t)
        (else (my-odd? (- n 1)))))
(define (my-odd? n)
  (and (not (= n 0))
       (my-even? (- n 1))))
(display (my-even? 100000)) (newline)
(display (my-odd? 100001)) (newline)

; A tail call through a closure and a let body.
(define (make-countdown)
  (lambda (n)
    (let ((next (- n 1)))
      (if (< next 0)
          'done
          ((make-countdown) next)))))
(display ((make-countdown) 100000)) (newline)
