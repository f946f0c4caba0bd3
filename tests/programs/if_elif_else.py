# if/elif/else chains, nested ifs and an if without else.


def classify(n):
    if n < 0:
        print(n, "negative")
    elif n == 0:
        print(n, "zero")
    elif n < 10:
        if n % 2 == 0:
            print(n, "small even")
        else:
            print(n, "small odd")
    elif n < 100:
        print(n, "medium")
    else:
        print(n, "large")


def fizzbuzz(n):
    i = 1
    while i <= n:
        if i % 15 == 0:
            print("FizzBuzz")
        elif i % 3 == 0:
            print("Fizz")
        elif i % 5 == 0:
            print("Buzz")
        else:
            print(i)
        i += 1


def entry_point(argv):
    classify(-3)
    classify(0)
    classify(4)
    classify(7)
    classify(42)
    classify(1000)
    fizzbuzz(15)
    x = 3
    if x > 2:
        x = x * 10
    if x > 100:
        x = 0
    print(x)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
