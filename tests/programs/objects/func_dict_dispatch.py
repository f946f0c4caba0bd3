# run:
# run: 2 + 3 * 4 - 5
# A dict mapping operator strings to functions, used to evaluate a token list left to right.


def op_add(a, b):
    return a + b


def op_sub(a, b):
    return a - b


def op_mul(a, b):
    return a * b


def op_div(a, b):
    if b == 0:
        return 0
    return a // b


def op_mod(a, b):
    if b == 0:
        return 0
    return a % b


OPS = {"+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "%": op_mod}


def evaluate(tokens):
    acc = int(tokens[0])
    i = 1
    while i + 1 < len(tokens):
        fn = OPS.get(tokens[i], op_add)
        acc = fn(acc, int(tokens[i + 1]))
        i += 2
    return acc


def entry_point(argv):
    toks = []
    for i in range(1, len(argv)):
        toks.append(argv[i])
    if len(toks) == 0:
        toks = ["7", "*", "6", "%", "5", "/", "0", "-", "9"]
    print(evaluate(toks))
    local = {}
    for k in OPS:
        local[k] = OPS[k]
    local["^"] = op_mul
    print(len(local), local["^"](6, 7), local["-"](1, 10))
    for k in ["+", "-", "*", "/", "%"]:
        print(k, OPS[k](17, 5), OPS[k](-17, 5))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
