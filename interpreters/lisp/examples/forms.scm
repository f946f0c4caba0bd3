; The special forms: quote, if, define, lambda, let, let*, letrec, named let, begin,
; set!, cond, and, or, and internal defines.

(display (quote (a b c))) (newline)
(display '(quote x)) (newline)
(display ''x) (newline)
(display (if 0 'zero-is-true 'no)) (newline)
(display (if '() 'nil-is-true 'no)) (newline)
(display (if #f 'yes)) (newline)

(define x 10)
(define (show . items)
  (if (pair? items)
      (begin (display (car items))
             (if (pair? (cdr items)) (display " "))
             (apply show (cdr items)))
      (newline)))

(show (let ((x 1) (y x)) (list x y)))
(show (let* ((x 1) (y x)) (list x y)))
(show (let* () x))
(show (letrec ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1)))))
               (odd? (lambda (n) (if (= n 0) #f (even? (- n 1))))))
        (list (even? 10) (odd? 7) (even? 3))))
(show (letrec* ((a 1) (b (+ a 1))) (list a b)))
(show (let loop ((i 0) (acc '()))
        (if (= i 5) acc (loop (+ i 1) (cons i acc)))))

(show (begin 1 2 3))
(define y 1)
(set! y (+ y 41))
(show y)

(define (grade n)
  (cond ((>= n 90) 'a)
        ((>= n 80) 'b)
        (else 'c)))
(show (grade 95) (grade 85) (grade 10))
(show (cond ((= 1 2) 'no)) (cond (42)) (cond (#f) (else 'fallback)))

(show (and) (and 1 2 3) (and 1 #f 3))
(show (or) (or #f 2) (or #f #f))

; Internal defines are local and may refer to each other.
(define (hypot-ish a b)
  (define (square n) (* n n))
  (define sum (+ (square a) (square b)))
  (define (twice n) (* 2 n))
  (twice sum))
(show (hypot-ish 3 4))

; A local variable may shadow a special form's keyword.
(show (let ((if (lambda (a b c) (list c b a)))) (if 1 2 3)))
(show (let ((list 5)) list))

; Integer arithmetic: quotient and remainder truncate, modulo follows the divisor.
(show (quotient 17 5) (remainder 17 5) (modulo 17 5))
(show (quotient -17 5) (remainder -17 5) (modulo -17 5))
(show (quotient 17 -5) (remainder 17 -5) (modulo 17 -5))
(show (- 5) (- 10 1 2 3) (+) (*) (* 2 3 4))
(show (< 1 2 3) (< 1 3 2) (= 4 4 4) (>= 3 3 1) (> 3 2 2) (<= 1 1 2))
(show 9223372036854775807 -9223372036854775808)
(show (not #f) (not 0) (number? 1) (boolean? #f) (procedure? car) (procedure? show))
