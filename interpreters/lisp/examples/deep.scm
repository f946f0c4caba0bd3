; Deep non-tail recursion: 5000 nested calls that each wait for the next.

(define (sum-to n)
  (if (= n 0)
      0
      (+ n (sum-to (- n 1)))))
(display (sum-to 5000)) (newline)

; Build a 5000-element list by non-tail recursion, then walk it the same way.
(define (build n)
  (if (= n 0)
      '()
      (cons n (build (- n 1)))))
(define (len lst)
  (if (null? lst)
      0
      (+ 1 (len (cdr lst)))))
(define big (build 5000))
(display (len big)) (newline)
(display (length big)) (newline)
(display (equal? big (build 5000))) (newline)

; Ackermann's function recurses deeply too.
(define (ack m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ack (- m 1) 1))
        (else (ack (- m 1) (ack m (- n 1))))))
(display (ack 2 3)) (newline)
(display (ack 3 3)) (newline)
