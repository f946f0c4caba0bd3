//! `list.sort()`: a port of CPython 3.11's timsort (`Objects/listobject.c`: binary
//! insertion for short runs, natural runs, powersort's merge policy, galloping merges).
//!
//! The port is faithful, comparison for comparison, rather than any stable sort, because
//! the result is observable beyond "sorted and stable" when the order is not total: with
//! NaNs among floats, CPython's output depends on exactly which `<` it asked. It sorts
//! 8-byte words with a fallible `lt`; when `lt` fails, the merge in progress puts its
//! temporary items back (as CPython does), so the slice always ends as a permutation of
//! its input, and the error is returned.

/// Galloping starts after this many consecutive wins of one run.
const MIN_GALLOP: usize = 7;

#[derive(Clone, Copy, Debug)]
struct Run {
    base: usize,
    len: usize,
    /// The powersort power of the boundary between this run and the next.
    power: u32,
}

struct MergeState<'a, F> {
    v: &'a mut [u64],
    tmp: &'a mut [u64],
    min_gallop: usize,
    pending: Vec<Run>,
    lt: F,
}

/// How a merge ended (the C code's labels).
enum Exit<E> {
    Succeed,
    Fail(E),
    /// One item of the first run is left, and it goes last (merge_lo) / one item of the
    /// second run is left, and it goes first (merge_hi).
    CopyRest,
}

/// Sorts `v` stably by `lt`; with `reverse`, as CPython's `reverse=True` (reverse, sort,
/// reverse, which keeps equal items in their original order).
#[cfg(test)]
pub(crate) fn sort<E>(v: &mut [u64], reverse: bool, lt: impl FnMut(u64, u64) -> Result<bool, E>) -> Result<(), E> {
    let mut tmp = vec![0; scratch_len(v.len())];
    sort_with(v, &mut tmp, reverse, lt)
}

/// How many words of scratch memory sorting `n` items may need: a merge copies the
/// shorter of its two runs, at most half of the items. Below 64 items the sort is one
/// binary insertion sort and needs none.
pub(crate) fn scratch_len(n: usize) -> usize {
    if n < 64 {
        0
    } else {
        n / 2
    }
}

/// [`sort`] with the caller's scratch memory, at least [`scratch_len`] words: the sort
/// itself allocates nothing (but a few words for its stack of pending runs), so a caller
/// can get the scratch memory from the heap and raise MemoryError before it touches `v`.
pub(crate) fn sort_with<E>(v: &mut [u64], tmp: &mut [u64], reverse: bool, lt: impl FnMut(u64, u64) -> Result<bool, E>) -> Result<(), E> {
    if v.len() < 2 {
        return Ok(());
    }
    assert!(tmp.len() >= scratch_len(v.len()), "sort scratch memory too short");
    if reverse {
        v.reverse();
    }
    let mut ms = MergeState { v, tmp, min_gallop: MIN_GALLOP, pending: Vec::new(), lt };
    let result = ms.run();
    if reverse {
        ms.v.reverse();
    }
    result
}

/// The minimum run length: `n` itself below 64, else a value in 32..=64 such that
/// `n / minrun` is a power of two or slightly less.
fn merge_compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// Powersort's node power of the boundary between the run at `s1` of length `n1` and the
/// following one of length `n2`, in a list of `n` items.
fn powerloop(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    let mut result = 0;
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    loop {
        result += 1;
        if a >= n {
            a -= n;
            b -= n;
        } else if b >= n {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    result
}

/// Where `key` belongs in the sorted `a`, leftmost (before equal items), starting the
/// search at `hint`.
fn gallop_left<E>(lt: &mut impl FnMut(u64, u64) -> Result<bool, E>, key: u64, a: &[u64], hint: usize) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    let at = |i: isize| a[i as usize];
    let mut lastofs: isize = 0;
    let mut ofs: isize = 1;
    if lt(at(hint), key)? {
        // a[hint] < key: gallop right until a[hint + lastofs] < key <= a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(at(hint + ofs), key)? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    } else {
        // key <= a[hint]: gallop left until a[hint - ofs] < key <= a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(at(hint - ofs), key)? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    }
    // Now a[lastofs] < key <= a[ofs]: binary search in between.
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(at(m), key)? {
            lastofs = m + 1;
        } else {
            ofs = m;
        }
    }
    Ok(ofs as usize)
}

/// Where `key` belongs in the sorted `a`, rightmost (after equal items), starting the
/// search at `hint`.
fn gallop_right<E>(lt: &mut impl FnMut(u64, u64) -> Result<bool, E>, key: u64, a: &[u64], hint: usize) -> Result<usize, E> {
    let n = a.len() as isize;
    let hint = hint as isize;
    let at = |i: isize| a[i as usize];
    let mut lastofs: isize = 0;
    let mut ofs: isize = 1;
    if lt(key, at(hint))? {
        // key < a[hint]: gallop left until a[hint - ofs] <= key < a[hint - lastofs].
        let maxofs = hint + 1;
        while ofs < maxofs {
            if lt(key, at(hint - ofs))? {
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            } else {
                break;
            }
        }
        ofs = ofs.min(maxofs);
        let k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    } else {
        // a[hint] <= key: gallop right until a[hint + lastofs] <= key < a[hint + ofs].
        let maxofs = n - hint;
        while ofs < maxofs {
            if lt(key, at(hint + ofs))? {
                break;
            }
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        ofs = ofs.min(maxofs);
        lastofs += hint;
        ofs += hint;
    }
    lastofs += 1;
    while lastofs < ofs {
        let m = lastofs + ((ofs - lastofs) >> 1);
        if lt(key, at(m))? {
            ofs = m;
        } else {
            lastofs = m + 1;
        }
    }
    Ok(ofs as usize)
}

impl<E, F: FnMut(u64, u64) -> Result<bool, E>> MergeState<'_, F> {
    fn run(&mut self) -> Result<(), E> {
        let n = self.v.len();
        let minrun = merge_compute_minrun(n);
        let mut lo = 0;
        let mut remaining = n;
        while remaining > 0 {
            let (mut len, descending) = self.count_run(lo, lo + remaining)?;
            if descending {
                self.v[lo..lo + len].reverse();
            }
            if len < minrun {
                let force = remaining.min(minrun);
                self.binarysort(lo, lo + force, lo + len)?;
                len = force;
            }
            self.found_new_run(len)?;
            self.pending.push(Run { base: lo, len, power: 0 });
            lo += len;
            remaining -= len;
        }
        self.merge_force_collapse()
    }

    /// Sorts `v[lo..hi]` by binary insertion, `v[lo..start]` being sorted already.
    fn binarysort(&mut self, lo: usize, hi: usize, mut start: usize) -> Result<(), E> {
        if lo == start {
            start += 1;
        }
        while start < hi {
            let pivot = self.v[start];
            let (mut l, mut r) = (lo, start);
            loop {
                let p = l + ((r - l) >> 1);
                if (self.lt)(pivot, self.v[p])? {
                    r = p;
                } else {
                    l = p + 1;
                }
                if l >= r {
                    break;
                }
            }
            self.v.copy_within(l..start, l + 1);
            self.v[l] = pivot;
            start += 1;
        }
        Ok(())
    }

    /// The length of the run starting at `lo` (ascending, or strictly descending) and
    /// whether it descends.
    fn count_run(&mut self, lo: usize, hi: usize) -> Result<(usize, bool), E> {
        let mut i = lo + 1;
        if i == hi {
            return Ok((1, false));
        }
        let mut n = 2;
        if (self.lt)(self.v[i], self.v[i - 1])? {
            i += 1;
            while i < hi && (self.lt)(self.v[i], self.v[i - 1])? {
                i += 1;
                n += 1;
            }
            Ok((n, true))
        } else {
            i += 1;
            while i < hi && !(self.lt)(self.v[i], self.v[i - 1])? {
                i += 1;
                n += 1;
            }
            Ok((n, false))
        }
    }

    /// Powersort's policy: merges pending runs whose boundary power exceeds the new one's.
    fn found_new_run(&mut self, n2: usize) -> Result<(), E> {
        if let Some(last) = self.pending.last() {
            let power = powerloop(last.base, last.len, n2, self.v.len());
            while self.pending.len() > 1 && self.pending[self.pending.len() - 2].power > power {
                self.merge_at(self.pending.len() - 2)?;
            }
            let last = self.pending.len() - 1;
            self.pending[last].power = power;
        }
        Ok(())
    }

    fn merge_force_collapse(&mut self) -> Result<(), E> {
        while self.pending.len() > 1 {
            let mut n = self.pending.len() - 2;
            if n > 0 && self.pending[n - 1].len < self.pending[n + 1].len {
                n -= 1;
            }
            self.merge_at(n)?;
        }
        Ok(())
    }

    /// Merges pending runs `i` and `i + 1`.
    fn merge_at(&mut self, i: usize) -> Result<(), E> {
        let Run { base: mut pa, len: mut na, .. } = self.pending[i];
        let Run { base: pb, len: mut nb, .. } = self.pending[i + 1];
        self.pending[i].len = na + nb;
        if i + 3 == self.pending.len() {
            self.pending[i + 1] = self.pending[i + 2];
        }
        self.pending.pop();
        // Where does b start in a? Items of a before that are already in place.
        let k = gallop_right(&mut self.lt, self.v[pb], &self.v[pa..pa + na], 0)?;
        pa += k;
        na -= k;
        if na == 0 {
            return Ok(());
        }
        // Where does a end in b? Items of b after that are already in place.
        nb = gallop_left(&mut self.lt, self.v[pa + na - 1], &self.v[pb..pb + nb], nb - 1)?;
        if nb == 0 {
            return Ok(());
        }
        if na <= nb {
            self.merge_lo(pa, na, pb, nb)
        } else {
            self.merge_hi(pa, na, pb, nb)
        }
    }

    /// Merges the adjacent runs `v[pa..pa+na]` and `v[pb..pb+nb]` (`na <= nb`), copying
    /// the first to the temporary array and merging left to right.
    fn merge_lo(&mut self, pa: usize, mut na: usize, pb: usize, mut nb: usize) -> Result<(), E> {
        let MergeState { v, tmp, min_gallop: ms_min_gallop, lt, .. } = self;
        tmp[..na].copy_from_slice(&v[pa..pa + na]);
        let (mut dest, mut ia, mut ib) = (pa, 0usize, pb);
        v[dest] = v[ib];
        dest += 1;
        ib += 1;
        nb -= 1;
        let mut min_gallop = *ms_min_gallop;
        let exit: Exit<E> = 'done: {
            if nb == 0 {
                break 'done Exit::Succeed;
            }
            if na == 1 {
                break 'done Exit::CopyRest;
            }
            loop {
                let mut acount = 0usize;
                let mut bcount = 0usize;
                // The straightforward merge, until one run wins consistently.
                loop {
                    match lt(v[ib], tmp[ia]) {
                        Err(e) => break 'done Exit::Fail(e),
                        Ok(true) => {
                            v[dest] = v[ib];
                            dest += 1;
                            ib += 1;
                            bcount += 1;
                            acount = 0;
                            nb -= 1;
                            if nb == 0 {
                                break 'done Exit::Succeed;
                            }
                            if bcount >= min_gallop {
                                break;
                            }
                        }
                        Ok(false) => {
                            v[dest] = tmp[ia];
                            dest += 1;
                            ia += 1;
                            acount += 1;
                            bcount = 0;
                            na -= 1;
                            if na == 1 {
                                break 'done Exit::CopyRest;
                            }
                            if acount >= min_gallop {
                                break;
                            }
                        }
                    }
                }
                // Galloping, until neither run wins consistently any more.
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    let k = match gallop_right(lt, v[ib], &tmp[ia..ia + na], 0) {
                        Ok(k) => k,
                        Err(e) => break 'done Exit::Fail(e),
                    };
                    acount = k;
                    if k > 0 {
                        v[dest..dest + k].copy_from_slice(&tmp[ia..ia + k]);
                        dest += k;
                        ia += k;
                        na -= k;
                        if na == 1 {
                            break 'done Exit::CopyRest;
                        }
                        // Impossible for a consistent order, but `<` may not be one.
                        if na == 0 {
                            break 'done Exit::Succeed;
                        }
                    }
                    v[dest] = v[ib];
                    dest += 1;
                    ib += 1;
                    nb -= 1;
                    if nb == 0 {
                        break 'done Exit::Succeed;
                    }
                    let k = match gallop_left(lt, tmp[ia], &v[ib..ib + nb], 0) {
                        Ok(k) => k,
                        Err(e) => break 'done Exit::Fail(e),
                    };
                    bcount = k;
                    if k > 0 {
                        v.copy_within(ib..ib + k, dest);
                        dest += k;
                        ib += k;
                        nb -= k;
                        if nb == 0 {
                            break 'done Exit::Succeed;
                        }
                    }
                    v[dest] = tmp[ia];
                    dest += 1;
                    ia += 1;
                    na -= 1;
                    if na == 1 {
                        break 'done Exit::CopyRest;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                // Penalise leaving galloping mode.
                min_gallop += 1;
            }
        };
        *ms_min_gallop = min_gallop;
        match exit {
            Exit::CopyRest => {
                // The last item of a belongs at the end of the merge.
                v.copy_within(ib..ib + nb, dest);
                v[dest + nb] = tmp[ia];
                Ok(())
            }
            Exit::Succeed | Exit::Fail(_) => {
                v[dest..dest + na].copy_from_slice(&tmp[ia..ia + na]);
                match exit {
                    Exit::Fail(e) => Err(e),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Merges the adjacent runs `v[pa..pa+na]` and `v[pb..pb+nb]` (`na > nb`), copying
    /// the second to the temporary array and merging right to left.
    fn merge_hi(&mut self, pa: usize, mut na: usize, pb: usize, mut nb: usize) -> Result<(), E> {
        let MergeState { v, tmp, min_gallop: ms_min_gallop, lt, .. } = self;
        tmp[..nb].copy_from_slice(&v[pb..pb + nb]);
        // Signed positions: `dest` and `ia` may step one below the start of the runs.
        let at = |i: isize| i as usize;
        let mut dest = (pb + nb - 1) as isize;
        let mut ib = nb as isize - 1;
        let mut ia = (pa + na - 1) as isize;
        v[at(dest)] = v[at(ia)];
        dest -= 1;
        ia -= 1;
        na -= 1;
        let mut min_gallop = *ms_min_gallop;
        let exit: Exit<E> = 'done: {
            if na == 0 {
                break 'done Exit::Succeed;
            }
            if nb == 1 {
                break 'done Exit::CopyRest;
            }
            loop {
                let mut acount = 0usize;
                let mut bcount = 0usize;
                loop {
                    match lt(tmp[at(ib)], v[at(ia)]) {
                        Err(e) => break 'done Exit::Fail(e),
                        Ok(true) => {
                            v[at(dest)] = v[at(ia)];
                            dest -= 1;
                            ia -= 1;
                            acount += 1;
                            bcount = 0;
                            na -= 1;
                            if na == 0 {
                                break 'done Exit::Succeed;
                            }
                            if acount >= min_gallop {
                                break;
                            }
                        }
                        Ok(false) => {
                            v[at(dest)] = tmp[at(ib)];
                            dest -= 1;
                            ib -= 1;
                            bcount += 1;
                            acount = 0;
                            nb -= 1;
                            if nb == 1 {
                                break 'done Exit::CopyRest;
                            }
                            if bcount >= min_gallop {
                                break;
                            }
                        }
                    }
                }
                min_gallop += 1;
                loop {
                    min_gallop -= (min_gallop > 1) as usize;
                    let k = match gallop_right(lt, tmp[at(ib)], &v[pa..pa + na], na - 1) {
                        Ok(k) => na - k,
                        Err(e) => break 'done Exit::Fail(e),
                    };
                    acount = k;
                    if k > 0 {
                        dest -= k as isize;
                        ia -= k as isize;
                        v.copy_within(at(ia + 1)..at(ia + 1) + k, at(dest + 1));
                        na -= k;
                        if na == 0 {
                            break 'done Exit::Succeed;
                        }
                    }
                    v[at(dest)] = tmp[at(ib)];
                    dest -= 1;
                    ib -= 1;
                    nb -= 1;
                    if nb == 1 {
                        break 'done Exit::CopyRest;
                    }
                    let k = match gallop_left(lt, v[at(ia)], &tmp[..nb], nb - 1) {
                        Ok(k) => nb - k,
                        Err(e) => break 'done Exit::Fail(e),
                    };
                    bcount = k;
                    if k > 0 {
                        dest -= k as isize;
                        ib -= k as isize;
                        v[at(dest + 1)..at(dest + 1) + k].copy_from_slice(&tmp[at(ib + 1)..at(ib + 1) + k]);
                        nb -= k;
                        if nb == 1 {
                            break 'done Exit::CopyRest;
                        }
                        // Impossible for a consistent order, but `<` may not be one.
                        if nb == 0 {
                            break 'done Exit::Succeed;
                        }
                    }
                    v[at(dest)] = v[at(ia)];
                    dest -= 1;
                    ia -= 1;
                    na -= 1;
                    if na == 0 {
                        break 'done Exit::Succeed;
                    }
                    if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                        break;
                    }
                }
                min_gallop += 1;
            }
        };
        *ms_min_gallop = min_gallop;
        match exit {
            Exit::CopyRest => {
                // The first item of b belongs at the front of the merge.
                let start = at(ia + 1 - na as isize);
                v.copy_within(start..start + na, at(dest + 1 - na as isize));
                dest -= na as isize;
                v[at(dest)] = tmp[at(ib)];
                Ok(())
            }
            Exit::Succeed | Exit::Fail(_) => {
                if nb > 0 {
                    let start = at(dest - (nb as isize - 1));
                    v[start..start + nb].copy_from_slice(&tmp[..nb]);
                }
                match exit {
                    Exit::Fail(e) => Err(e),
                    _ => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt_int(a: u64, b: u64) -> Result<bool, ()> {
        Ok((a as i64) < (b as i64))
    }

    /// A deterministic pseudo-random sequence (xorshift).
    fn pseudo_random(n: usize, seed: u64, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn sorts_and_is_stable_on_every_shape() {
        for n in [0, 1, 2, 3, 10, 63, 64, 65, 100, 257, 1000, 5000] {
            for (seed, modulo) in [(1, 1 << 40), (7, 10), (99, 2)] {
                let data = pseudo_random(n, seed, modulo);
                // Sort (key, original index) pairs by key only: stability keeps indices
                // ascending among equal keys.
                let mut v: Vec<u64> = data.iter().enumerate().map(|(i, k)| (k << 20) | i as u64).collect();
                sort(&mut v, false, |a, b| Ok::<_, ()>((a >> 20) < (b >> 20))).unwrap();
                let mut want: Vec<u64> = data.iter().enumerate().map(|(i, k)| (k << 20) | i as u64).collect();
                want.sort_by_key(|w| w >> 20);
                assert_eq!(v, want, "n={n} seed={seed}");
                let mut r: Vec<u64> = data.iter().enumerate().map(|(i, k)| (k << 20) | i as u64).collect();
                sort(&mut r, true, |a, b| Ok::<_, ()>((a >> 20) < (b >> 20))).unwrap();
                let mut want_r: Vec<u64> = data.iter().enumerate().map(|(i, k)| (k << 20) | i as u64).collect();
                want_r.sort_by_key(|w| core::cmp::Reverse(w >> 20));
                assert_eq!(r, want_r, "reverse keeps equal items in order: n={n} seed={seed}");
            }
        }
        // Runs: ascending, descending, sawtooth.
        let mut v: Vec<u64> = (0..3000).map(|i| if i < 1500 { i } else { 4500 - i }).collect();
        sort(&mut v, false, lt_int).unwrap();
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
        let mut v: Vec<u64> = (0..3000u64).map(|i| i % 100).collect();
        sort(&mut v, false, lt_int).unwrap();
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn nan_orders_like_cpython() {
        // `sorted(...)` in CPython 3.11; NaN is written -1.
        let nan = f64::NAN;
        let lt = |a: u64, b: u64| Ok::<_, ()>(f64::from_bits(a) < f64::from_bits(b));
        let show = |v: &[u64]| -> Vec<i64> { v.iter().map(|b| f64::from_bits(*b)).map(|x| if x.is_nan() { -1 } else { x as i64 }).collect() };
        let cases: &[(&[f64], &[i64])] = &[
            (&[3.0, nan, 1.0, 2.0], &[3, -1, 1, 2]),
            (&[nan, 3.0, 1.0], &[-1, 1, 3]),
            (&[5.0, 4.0, nan, 3.0, 2.0, 1.0], &[1, 2, 3, 4, 5, -1]),
            (&[10.0, nan, 5.0, nan, 2.0, 20.0, -1.0, nan, 30.0, 0.0], &[10, -1, 5, -1, -1, 2, 20, -1, 0, 30]),
        ];
        for (input, want) in cases {
            let mut v: Vec<u64> = input.iter().map(|x| x.to_bits()).collect();
            sort(&mut v, false, lt).unwrap();
            assert_eq!(show(&v), *want, "{input:?}");
        }
        // 300 items: runs, merges and galloping. Item i is NaN when i % 7 == 3, else
        // float((i * 7919) % 101).
        let data: Vec<u64> = (0..300u64).map(|i| if i % 7 == 3 { nan } else { ((i * 7919) % 101) as f64 }.to_bits()).collect();
        let want: [i64; 300] = [
            0, 2, 3, 9, 12, 15, 18, 21, 25, 28, 31, 34, 37, 40, 41, 44, 47, 50, 56, 62, 69, 82, -1, 53, 63, 66, 85, -1, 72, 78, 88, -1, 94, -1, 97,
            -1, 81, 100, -1, 1, 4, 5, 8, 14, 17, 20, 23, 24, 30, 33, 36, 39, 42, 45, 46, 49, 52, 55, 58, 65, 68, 71, 84, 87, -1, 90, -1, 61, 74, 93,
            -1, 77, 83, 99, -1, -1, 3, 6, 7, 10, 13, 19, 22, 25, 26, 28, 29, 35, 38, 41, 44, 47, 51, 54, 57, 60, 63, 66, 67, 73, 86, -1, 70, 76, 79,
            82, 89, 92, -1, 95, -1, 98, -1, -1, 88, -1, 2, 8, 9, 12, 15, 18, 24, 27, 30, 31, 34, 40, 43, 46, 49, 50, 56, 59, 62, 65, 68, 72, 75, 84,
            91, -1, 78, 94, 97, -1, 81, 100, -1, -1, 87, -1, 1, 4, 7, 11, 14, 17, 20, 23, 29, 32, 33, 36, 39, 45, 48, 51, 52, 55, 64, 71, 93, -1, 61,
            67, 70, 73, 77, 83, 89, 96, -1, 80, 99, -1, 86, -1, -1, 0, 3, 6, 9, 12, 13, 54, -1, 16, 19, 22, 25, 28, 34, 35, 38, 41, 44, 50, 53, 57,
            60, 66, 69, 72, 75, 76, 88, 92, 94, 98, -1, 82, -1, 85, -1, 91, -1, -1, 2, 5, 8, 11, 14, 17, 18, 21, 24, 27, 30, 33, 37, 40, 43, 46, 49,
            55, 56, 58, 59, 62, 65, 71, 74, 77, 78, 81, 93, 97, -1, -1, 87, -1, 90, -1, 96, -1, 1, 7, 10, 13, 16, 23, 26, 29, 32, 35, 38, 39, 42, 45,
            48, 51, 54, 61, 64, 67, 70, 76, 80, 83, 86, 98, 99, -1, -1, -1, 92, -1, 95, -1,
        ];
        let want_reversed: [i64; 300] = [
            -1, -1, -1, 94, 88, -1, 97, 85, 82, 78, 72, 69, 66, 63, 56, 53, 50, 47, 44, 41, 37, 34, 31, 28, 25, 18, 15, -1, 100, 40, 12, 9, 3, 0, -1,
            87, 84, -1, 90, -1, -1, 99, 93, 81, 77, 74, 71, 68, -1, 83, 65, 62, 61, 58, 55, 52, 49, 46, 42, 39, 36, 33, 30, 24, 21, 20, 17, 14, 8, 5,
            2, 1, -1, -1, -1, -1, 98, 95, 92, 89, 86, 79, 76, 70, 67, 57, -1, 82, 73, 63, 60, 54, 51, 45, 44, 41, 38, 35, 29, 26, 23, 22, 19, 13, 10,
            7, 4, 3, -1, 25, -1, -1, -1, 100, 97, 94, 91, 88, 75, 72, -1, -1, 87, 84, 81, 78, 68, 66, 65, 62, 59, 56, 50, 47, 46, 43, 40, 34, 31, 28,
            27, 24, 18, 15, 12, 9, 6, 2, -1, 93, -1, 96, -1, 99, -1, -1, 89, 86, 83, 80, 77, 71, 70, 67, 64, 61, 55, 52, 49, 48, 45, 39, 36, 33, 30,
            29, 23, 20, 17, 14, 11, 8, 7, 4, 1, -1, -1, 98, 92, -1, -1, -1, 91, 88, 85, 82, 76, 73, 69, 60, -1, 72, 66, 57, 54, 53, 51, 50, 44, 41,
            38, 35, 32, 28, 25, 22, 19, 16, 13, 12, 9, 6, 3, 0, -1, 97, 94, -1, -1, -1, -1, 96, 93, 90, 87, 81, 78, 75, 74, 71, 65, 62, 59, 56, 55,
            49, 46, 43, 40, 37, 34, 33, 30, 27, 24, 21, 18, 14, 11, 8, 5, 2, -1, 99, -1, -1, -1, 92, 86, -1, 95, 83, 80, 77, 76, 70, 67, 64, 61, 58,
            54, 51, 48, 45, 42, 39, 35, 32, 29, 26, 23, 16, 13, -1, 98, 38, 17, 10, 7, 1,
        ];
        let mut v = data.clone();
        sort(&mut v, false, lt).unwrap();
        assert_eq!(show(&v), want);
        let mut v = data;
        sort(&mut v, true, lt).unwrap();
        assert_eq!(show(&v), want_reversed);
    }

    #[test]
    fn a_failing_comparison_leaves_a_permutation() {
        for n in [5, 70, 300, 2000] {
            let data = pseudo_random(n, 3, 1000);
            for fail_at in [1, 10, 100, 500, 3000] {
                let mut v = data.clone();
                let mut calls = 0;
                let r = sort(&mut v, false, |a, b| {
                    calls += 1;
                    if calls == fail_at {
                        Err("boom")
                    } else {
                        Ok(a < b)
                    }
                });
                let mut got = v.clone();
                got.sort();
                let mut want = data.clone();
                want.sort();
                assert_eq!(got, want, "n={n} fail_at={fail_at}: still a permutation");
                if calls >= fail_at {
                    assert_eq!(r, Err("boom"));
                }
            }
        }
    }

    #[test]
    fn minrun_and_power() {
        assert_eq!(merge_compute_minrun(63), 63);
        assert_eq!(merge_compute_minrun(64), 32);
        assert_eq!(merge_compute_minrun(65), 33);
        assert_eq!(merge_compute_minrun(2112), 33);
        assert_eq!(powerloop(0, 32, 32, 128), 2);
        assert_eq!(powerloop(32, 32, 64, 128), 1);
    }
}
