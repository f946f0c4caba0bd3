# run:
# run: 3 4 + 2 * 7 -
# run: 5 1 2 + 4 * + 3 -
# A reverse-Polish calculator: lists as stacks with append/pop, tokens from split, errors on bad input.


def apply(op, a, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a // b
    if op == "%":
        return a % b
    raise ValueError("bad operator " + op)


def run_rpn(tokens):
    stack = []
    for t in tokens:
        if t in ["+", "-", "*", "/", "%"]:
            if len(stack) < 2:
                raise ValueError("stack underflow at " + t)
            b = stack.pop()
            a = stack.pop()
            stack.append(apply(t, a, b))
        else:
            stack.append(int(t))
    if len(stack) != 1:
        raise ValueError("leftover stack " + str(stack))
    return stack[0]


def entry_point(argv):
    programs = ["1 2 +", "2 3 4 * +", "10 2 8 * + 3 -", "100 7 % 3 /", "1 +", "1 2 3", "4 0 /", "2 x +"]
    if len(argv) > 1:
        programs = [" ".join(argv[1:])]
    for p in programs:
        try:
            print(p, "=>", run_rpn(p.split()))
        except ValueError as e:
            print(p, "=> error:", e)
        except ZeroDivisionError as e:
            print(p, "=> math error:", e)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
