; Recursive factorial, up to the largest that fits in 64 bits.

(define (fact n)
  (if (= n 0)
      1
      (* n (fact (- n 1)))))

(define (show-facts i limit)
  (if (<= i limit)
      (begin
        (display i)
        (display "! = ")
        (display (fact i))
        (newline)
        (show-facts (+ i 1) limit))))

(show-facts 0 20)
