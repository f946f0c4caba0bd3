# run:
# run: kitten sitting
# run: intention execution
# Dynamic programming over lists of lists and strings: edit distance with alignment, LCS, and longest palindrome.


def edit_distance(a, b):
    n = len(a)
    m = len(b)
    dp = [[0] * (m + 1) for i in range(n + 1)]
    for i in range(n + 1):
        dp[i][0] = i
    for j in range(m + 1):
        dp[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            dp[i][j] = min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + cost)
    ops = []
    i = n
    j = m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and dp[i][j] == dp[i - 1][j - 1] + (0 if a[i - 1] == b[j - 1] else 1):
            if a[i - 1] == b[j - 1]:
                ops.append("=" + a[i - 1])
            else:
                ops.append("~" + a[i - 1] + b[j - 1])
            i -= 1
            j -= 1
        elif i > 0 and dp[i][j] == dp[i - 1][j] + 1:
            ops.append("-" + a[i - 1])
            i -= 1
        else:
            ops.append("+" + b[j - 1])
            j -= 1
    ops.reverse()
    return dp[n][m], ops


def lcs(a, b):
    n = len(a)
    m = len(b)
    dp = [[""] * (m + 1) for i in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if a[i] == b[j]:
                dp[i][j] = a[i] + dp[i + 1][j + 1]
            elif len(dp[i + 1][j]) >= len(dp[i][j + 1]):
                dp[i][j] = dp[i + 1][j]
            else:
                dp[i][j] = dp[i][j + 1]
    return dp[0][0]


def longest_palindrome(s):
    best = ""
    for c in range(len(s)):
        for odd in [True, False]:
            lo = c
            hi = c if odd else c + 1
            while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
                lo -= 1
                hi += 1
            if hi - lo - 1 > len(best):
                best = s[lo + 1:hi]
    return best


def entry_point(argv):
    pairs = [("kitten", "sitting"), ("flaw", "lawn"), ("", "abc"), ("same", "same"), ("naïve", "native")]
    if len(argv) > 2:
        pairs = [(argv[1], argv[2])]
    for a, b in pairs:
        d, ops = edit_distance(a, b)
        print(a, b, d, " ".join(ops), repr(lcs(a, b)))
    for s in ["babad", "forgeeksskeegfor", "abacdfgdcaba", "x", "", "été"]:
        print(repr(s), repr(longest_palindrome(s)))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
