# run:
# run: 300 17
# Hand-written merge sort, insertion sort and quicksort on lists, checked against sorted(), plus binary search.
from kiln.objectmodel import specialize


@specialize.argtype(0)
def merge_sort(xs):
    if len(xs) <= 1:
        return xs[:]
    mid = len(xs) // 2
    left = merge_sort(xs[:mid])
    right = merge_sort(xs[mid:])
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


@specialize.argtype(0)
def insertion_sort(xs):
    a = xs[:]
    for i in range(1, len(a)):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v
    return a


def quicksort(a, lo, hi):
    if lo >= hi:
        return
    pivot = a[(lo + hi) // 2]
    i = lo
    j = hi
    while i <= j:
        while a[i] < pivot:
            i += 1
        while a[j] > pivot:
            j -= 1
        if i <= j:
            a[i], a[j] = a[j], a[i]
            i += 1
            j -= 1
    quicksort(a, lo, j)
    quicksort(a, i, hi)


def bsearch(a, x):
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def entry_point(argv):
    n = 60
    seed = 12345
    if len(argv) > 2:
        n = int(argv[1])
        seed = int(argv[2])
    xs = []
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        xs.append(state % 1000 - 500)
    ref = sorted(xs)
    m = merge_sort(xs)
    ins = insertion_sort(xs)
    q = xs[:]
    quicksort(q, 0, len(q) - 1)
    print(m == ref, ins == ref, q == ref, xs != ref)
    print(ref[:8], ref[-4:])
    for target in [-500, 0, 17, 499, ref[n // 2], 1000]:
        pos = bsearch(ref, target)
        found = pos < len(ref) and ref[pos] == target
        print(target, pos, found)
    words = "pear fig apple kiwi banana cherry date grape".split()
    print(merge_sort(words), insertion_sort(words) == sorted(words))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
