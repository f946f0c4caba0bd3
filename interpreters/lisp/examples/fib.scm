; Fibonacci numbers: the doubly recursive definition and an iterative one.

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(define (fib-iter n)
  (let loop ((i 0) (a 0) (b 1))
    (if (= i n)
        a
        (loop (+ i 1) b (+ a b)))))

(define (show-list lst)
  (if (pair? lst)
      (begin
        (display (car lst))
        (if (pair? (cdr lst)) (display " "))
        (show-list (cdr lst)))
      (newline)))

(define (range from to)
  (if (>= from to)
      '()
      (cons from (range (+ from 1) to))))

(define (map-fib f lst)
  (if (null? lst)
      '()
      (cons (f (car lst)) (map-fib f (cdr lst)))))

(show-list (map-fib fib (range 0 20)))
(display (fib 20)) (newline)
(display (fib-iter 90)) (newline)
(display (= (fib 15) (fib-iter 15))) (newline)
