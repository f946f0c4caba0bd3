; The interpreter benchmark: doubly recursive (fib 25), about 250,000 calls.

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(display (fib 25))
(newline)
