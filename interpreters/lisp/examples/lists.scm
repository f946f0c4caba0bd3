; List operations written in Lisp: map, filter, fold, reverse, append, assoc.

(define (map f lst)
  (if (null? lst)
      '()
      (cons (f (car lst)) (map f (cdr lst)))))

(define (filter keep? lst)
  (cond ((null? lst) '())
        ((keep? (car lst)) (cons (car lst) (filter keep? (cdr lst))))
        (else (filter keep? (cdr lst)))))

(define (fold-left f acc lst)
  (if (null? lst)
      acc
      (fold-left f (f acc (car lst)) (cdr lst))))

(define (fold-right f init lst)
  (if (null? lst)
      init
      (f (car lst) (fold-right f init (cdr lst)))))

(define (reverse lst) (fold-left (lambda (acc x) (cons x acc)) '() lst))
(define (append a b) (fold-right cons b a))

(define (iota n)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons i acc)))))

(define (assq key alist)
  (cond ((null? alist) #f)
        ((eq? (car (car alist)) key) (car alist))
        (else (assq key (cdr alist)))))

(define (even? n) (= (remainder n 2) 0))

(define nums (iota 10))
(display nums) (newline)
(display (map (lambda (x) (* x x)) nums)) (newline)
(display (filter even? nums)) (newline)
(display (fold-left + 0 nums)) (newline)
(display (fold-right (lambda (x acc) (+ x (* 10 acc))) 0 '(1 2 3))) (newline)
(display (reverse nums)) (newline)
(display (append '(a b c) '(d e))) (newline)
(display (length (append nums nums))) (newline)
(display (assq 'b '((a 1) (b 2) (c 3)))) (newline)
(display (assq 'z '((a 1)))) (newline)

; Pairs, improper lists and structural equality.
(display (cons 1 2)) (newline)
(display (cons 1 (cons 2 3))) (newline)
(display (list 1 (list 2 3) '() "four" #t #f 'five)) (newline)
(write (list 1 (list 2 3) '() "four" #t #f 'five)) (newline)
(display (equal? (list 1 (list 2 "x")) '(1 (2 "x")))) (newline)
(display (eq? (list 1) (list 1))) (newline)
(display (eq? 'abc 'abc)) (newline)
(display (eq? '() '())) (newline)
(display (list (null? '()) (null? nums) (pair? nums) (pair? '()))) (newline)
(display (car (cdr (cdr nums)))) (newline)

; A quicksort on lists.
(define (quicksort lst)
  (if (null? lst)
      '()
      (let ((pivot (car lst)) (rest (cdr lst)))
        (append (quicksort (filter (lambda (x) (< x pivot)) rest))
                (cons pivot
                      (quicksort (filter (lambda (x) (>= x pivot)) rest)))))))
(display (quicksort '(3 1 4 1 5 9 2 6 5 3 5 8 9 7 9))) (newline)
