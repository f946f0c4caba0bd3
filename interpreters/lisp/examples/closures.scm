; Closures that capture variables and update them with set!.

(define (make-counter)
  (let ((count 0))
    (lambda ()
      (set! count (+ count 1))
      count)))

(define c1 (make-counter))
(define c2 (make-counter))
(c1) (c1) (c1)
(c2)
(display (list (c1) (c2))) (newline)

; A bank account: a closure that dispatches on a message symbol.
(define (make-account balance)
  (define (withdraw amount)
    (if (> amount balance)
        "insufficient funds"
        (begin (set! balance (- balance amount))
               balance)))
  (define (deposit amount)
    (set! balance (+ balance amount))
    balance)
  (lambda (message amount)
    (cond ((eq? message 'withdraw) (withdraw amount))
          ((eq? message 'deposit) (deposit amount))
          (else (error "unknown request" message)))))

(define acc (make-account 100))
(display (acc 'withdraw 30)) (newline)
(display (acc 'deposit 50)) (newline)
(display (acc 'withdraw 500)) (newline)

; Adders: each closure keeps its own n.
(define (make-adder n) (lambda (x) (+ x n)))
(define add5 (make-adder 5))
(define add10 (make-adder 10))
(display (add5 (add10 1))) (newline)

; A global updated by set!, and a closure over a loop variable.
(define total 0)
(define (add-to-total! x) (set! total (+ total x)))
(let loop ((i 1))
  (if (<= i 10)
      (begin (add-to-total! i) (loop (+ i 1)))))
(display total) (newline)

(define procs
  (let loop ((i 0) (acc '()))
    (if (= i 3)
        acc
        (loop (+ i 1) (cons (lambda () (* i i)) acc)))))
(display (list ((car procs)) ((car (cdr procs))) ((car (cdr (cdr procs)))))) (newline)

; Variadic procedures: a rest parameter collects the remaining arguments.
(define (count-args . args) (length args))
(define (first-and-rest x . rest) (list x rest))
(display (count-args 1 2 3 4)) (newline)
(display (first-and-rest 1 2 3)) (newline)
(display ((lambda args args))) (newline)
(display (apply + 1 2 '(3 4 5))) (newline)
(display (apply make-adder '(7))) (newline)
