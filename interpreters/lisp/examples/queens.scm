; The eight-queens puzzle: count the solutions by backtracking over lists.

(define (ok? row dist placed)
  (or (null? placed)
      (and (not (= (car placed) (+ row dist)))
           (not (= (car placed) (- row dist)))
           (not (= (car placed) row))
           (ok? row (+ dist 1) (cdr placed)))))

(define (try-rows row n placed count)
  (if (> row n)
      count
      (try-rows (+ row 1) n placed
                (if (ok? row 1 placed)
                    (+ count (queens n (cons row placed)))
                    count))))

(define (queens n placed)
  (if (= (length placed) n)
      1
      (try-rows 1 n placed 0)))

(define (first-solution n)
  (define (place k placed)
    (if (= k 0)
        placed
        (let try ((row 1))
          (cond ((> row n) #f)
                ((and (ok? row 1 placed) (place (- k 1) (cons row placed))))
                (else (try (+ row 1)))))))
  (place n '()))

(display (queens 6 '())) (newline)
(display (queens 8 '())) (newline)
(display (first-solution 8)) (newline)
