//! List operations generated code calls beyond resizing ([`crate::rlist`]): moving and
//! copying items, reversing, sorting, searching, min/max and sums, slicing and slice
//! assignment, concatenation, repetition and `list(range(...))`, with CPython's results.
//!
//! Items are 8-byte words (`kiln_abi::RList` over an `RArray`); helpers that compare
//! items get the items' TypeDesc, and helpers that allocate get the GC type ids of the
//! list and of its items array. Indices are checked against the items array's capacity
//! so that no call reads or writes outside it, whatever its arguments.
//!
//! GC protocol: the lists a helper still needs after an allocation live in a `Roots`
//! guard; after storing words (which may be pointers) into an items array, even a fresh
//! one (large arrays may be allocated old), the helper calls `gc::write_barrier` on it.

use core::cmp::Ordering;
use core::mem::{offset_of, size_of};
use core::ptr::{addr_of, addr_of_mut, null_mut};

use kiln_abi::{BuiltinExc, RArray, RList, TypeDesc};

use crate::alloc;
use crate::exc;
use crate::gc::{self, roots::Roots};
use crate::listsort;
use crate::rdesc::{self, compare, item_eq};
use crate::rlist::kiln_list_resize;
use crate::rstrmeth::adjust_slice;

/// The used items of a list (empty for null), never past its array.
///
/// # Safety
/// `l` is null or a valid list; the slice must not be used after an allocation.
pub(crate) unsafe fn items<'a>(l: *const RList) -> &'a [u64] {
    unsafe {
        if l.is_null() || (*l).items.is_null() {
            return &[];
        }
        let arr = (*l).items;
        let n = (*l).length.clamp(0, (*arr).length.max(0)) as usize;
        core::slice::from_raw_parts(addr_of!((*arr).items) as *const u64, n)
    }
}

/// The used items of a list, writable.
///
/// # Safety
/// As [`items`].
pub(crate) unsafe fn items_mut<'a>(l: *mut RList) -> &'a mut [u64] {
    unsafe {
        let s = items(l);
        core::slice::from_raw_parts_mut(s.as_ptr() as *mut u64, s.len())
    }
}

/// All the slots of an array (its capacity).
///
/// # Safety
/// `arr` is null or a valid array; the slice must not be used after an allocation.
unsafe fn slots<'a>(arr: *mut RArray) -> &'a mut [u64] {
    unsafe {
        if arr.is_null() {
            return &mut [];
        }
        core::slice::from_raw_parts_mut(addr_of_mut!((*arr).items) as *mut u64, (*arr).length.max(0) as usize)
    }
}

/// A new array of `n` zero words; null with MemoryError set when out of memory (or when
/// `n` is negative or absurd).
pub(crate) fn alloc_array(array_tid: i64, n: i64) -> *mut RArray {
    let size = n.checked_mul(8).and_then(|b| b.checked_add(size_of::<RArray>() as i64)).unwrap_or(i64::MAX);
    alloc::gc_malloc_varsize(array_tid as u32, size, n, offset_of!(RArray, length) as i64) as *mut RArray
}

/// A new list of `n` zero items, its array exactly `n` long; null with MemoryError set
/// when out of memory.
pub(crate) fn alloc_list(list_tid: u32, array_tid: u32, n: i64) -> *mut RList {
    let arr = alloc_array(array_tid as i64, n);
    if arr.is_null() {
        return null_mut();
    }
    let roots = Roots::new([arr as *mut u8]);
    let l = alloc::gc_malloc(list_tid, size_of::<RList>() as u64) as *mut RList;
    if l.is_null() {
        return l;
    }
    // SAFETY: a fresh list object.
    unsafe {
        (*l).length = n;
        (*l).items = roots.get(0) as *mut RArray;
    }
    gc::write_barrier(l as *mut u8);
    l
}

/// The items array of a list (null for null).
///
/// # Safety
/// `l` is null or a valid list.
unsafe fn array(l: *const RList) -> *mut RArray {
    if l.is_null() {
        null_mut()
    } else {
        unsafe { (*l).items }
    }
}

/// Reports stores into the items array of `l` to the collector.
///
/// # Safety
/// `l` is null or a valid list.
unsafe fn barrier(l: *const RList) {
    unsafe { gc::write_barrier(array(l) as *mut u8) };
}

/// Whether `start..start+count` lies within `0..cap`.
fn in_range(start: i64, count: i64, cap: usize) -> bool {
    start >= 0 && count >= 0 && start.checked_add(count).is_some_and(|end| end as u64 <= cap as u64)
}

/// Moves `count` items of `list` from index `src` to index `dst` (the ranges may
/// overlap). Ranges outside the items array are ignored.
///
/// # Safety
/// `list` is null or a valid list.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_move(list: *mut RList, dst: i64, src: i64, count: i64) {
    unsafe {
        let s = slots(array(list));
        if count == 0 || !in_range(dst, count, s.len()) || !in_range(src, count, s.len()) {
            return;
        }
        s.copy_within(src as usize..(src + count) as usize, dst as usize);
        barrier(list);
    }
}

/// Copies `count` items from `src[src_index..]` to `dst[dst_index..]` (the two may be
/// the same list).
///
/// # Safety
/// `dst` and `src` are null or valid lists.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_copy_from(dst: *mut RList, dst_index: i64, src: *const RList, src_index: i64, count: i64) {
    unsafe {
        let (d, s) = (slots(array(dst)), slots(array(src)));
        if count == 0 || !in_range(dst_index, count, d.len()) || !in_range(src_index, count, s.len()) {
            return;
        }
        core::ptr::copy(s.as_ptr().add(src_index as usize), d.as_mut_ptr().add(dst_index as usize), count as usize);
        barrier(dst);
    }
}

/// `list.reverse()`.
///
/// # Safety
/// `list` is null or a valid list.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_reverse(list: *mut RList) {
    unsafe {
        items_mut(list).reverse();
        barrier(list);
    }
}

/// `list.sort(reverse=...)`: CPython's stable timsort, ordering items by `<` as the item
/// desc defines it. When two items cannot be ordered, the list is left a permutation of
/// itself and TypeError is raised.
///
/// # Safety
/// `list` is null or a valid list whose items `item_desc` describes.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_sort(list: *mut RList, item_desc: *const TypeDesc, reverse: i64) {
    unsafe {
        let d = rdesc::desc(item_desc);
        // The merge buffer is a GC array, so that it counts against the heap limit and
        // its allocation raises MemoryError, as CPython's does, before the list is
        // touched. Its words are ints to the GC: no collection can happen while it
        // holds the only copy of an item.
        let n = items(list).len();
        let scratch_words = listsort::scratch_len(n);
        let roots = Roots::new([list as *mut u8]);
        let scratch = if scratch_words == 0 { null_mut() } else { alloc_array(kiln_abi::typeid::ARRAY_SIGNED as i64, scratch_words as i64) };
        if scratch_words > 0 && scratch.is_null() {
            return;
        }
        let list = roots.get(0) as *mut RList;
        // Nothing below allocates: the comparison error is kept until the items are all
        // back in the list.
        let result = listsort::sort_with(items_mut(list), slots(scratch), reverse != 0, |a, b| compare(a, b, d, "<").map(|o| o == Some(Ordering::Less)));
        barrier(list);
        if let Err(e) = result {
            e.raise();
        }
    }
}

/// The index of the first item equal to `word` at or after `start` (negative counts from
/// the end), or -1.
///
/// # Safety
/// `list` is null or a valid list whose items (and `word`) `item_desc` describes.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_find(list: *const RList, word: i64, item_desc: *const TypeDesc, start: i64) -> i64 {
    unsafe {
        let xs = items(list);
        let d = rdesc::desc(item_desc);
        let start = if start < 0 { (start + xs.len() as i64).max(0) } else { start };
        if start as u64 >= xs.len() as u64 {
            return -1;
        }
        xs[start as usize..].iter().position(|x| item_eq(*x, word as u64, d)).map_or(-1, |i| i as i64 + start)
    }
}

/// `list.count(word)`.
///
/// # Safety
/// As [`kiln_list_find`].
#[no_mangle]
pub unsafe extern "C" fn kiln_list_count(list: *const RList, word: i64, item_desc: *const TypeDesc) -> i64 {
    unsafe {
        let d = rdesc::desc(item_desc);
        items(list).iter().filter(|x| item_eq(**x, word as u64, d)).count() as i64
    }
}

/// `min(list)` or (`want_max`) `max(list)`: the first of the smallest or largest items,
/// found with `<` or `>` as CPython's `min()` and `max()` do. ValueError on an empty list,
/// TypeError for items without an order.
///
/// # Safety
/// As [`kiln_list_find`].
#[no_mangle]
pub unsafe extern "C" fn kiln_list_minmax(list: *const RList, item_desc: *const TypeDesc, want_max: i64) -> i64 {
    unsafe {
        let xs = items(list);
        let d = rdesc::desc(item_desc);
        let Some((&first, rest)) = xs.split_first() else {
            let msg = if want_max != 0 { "max() arg is an empty sequence" } else { "min() arg is an empty sequence" };
            exc::raise(BuiltinExc::ValueError, msg);
            return 0;
        };
        let mut best = first;
        for &x in rest {
            let better = if want_max != 0 {
                compare(x, best, d, ">").map(|o| o == Some(Ordering::Greater))
            } else {
                compare(x, best, d, "<").map(|o| o == Some(Ordering::Less))
            };
            match better {
                Ok(true) => best = x,
                Ok(false) => {}
                Err(e) => {
                    e.raise();
                    return 0;
                }
            }
        }
        best as i64
    }
}

/// `sum(list)` for ints, wrapping around on overflow as translated int arithmetic does.
///
/// # Safety
/// `list` is null or a valid list of ints.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_sum_int(list: *const RList) -> i64 {
    unsafe { items(list).iter().fold(0i64, |acc, x| acc.wrapping_add(*x as i64)) }
}

/// `sum(list)` for floats: left to right from 0.0, as CPython 3.11 adds them.
///
/// # Safety
/// `list` is null or a valid list of floats.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_sum_float(list: *const RList) -> f64 {
    unsafe { items(list).iter().fold(0.0f64, |acc, x| acc + f64::from_bits(*x)) }
}

/// `list[start:stop:step]` as a new list, `i64::MIN` marking an absent bound;
/// ValueError "slice step cannot be zero".
///
/// # Safety
/// `list` is null or a valid list.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_slice(list: *const RList, start: i64, stop: i64, step: i64, list_tid: i64, array_tid: i64) -> *mut RList {
    if step == 0 {
        exc::raise(BuiltinExc::ValueError, "slice step cannot be zero");
        return null_mut();
    }
    unsafe {
        let (start, step, count) = adjust_slice(start, stop, step, items(list).len() as i64);
        let roots = Roots::new([list as *mut u8]);
        let new = alloc_list(list_tid as u32, array_tid as u32, count);
        if new.is_null() {
            return new;
        }
        let (src, dst) = (items(roots.get(0) as *const RList), items_mut(new));
        for (k, slot) in dst.iter_mut().enumerate() {
            *slot = src[(start + k as i64 * step) as usize];
        }
        barrier(new);
        new
    }
}

/// `list[start:stop] = other` (step 1, bounds normalised as Python does, `i64::MIN`
/// absent): the slice is replaced by the items of `other`, which may be `list` itself.
///
/// # Safety
/// `list` and `other` are null or valid lists with the same item type; `array_tid` is
/// the GC type id of their items arrays.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_setslice(list: *mut RList, start: i64, stop: i64, other: *const RList, array_tid: i64) {
    unsafe {
        if list.is_null() {
            return;
        }
        let len = items(list).len() as i64;
        let (start, _, removed) = adjust_slice(start, stop, 1, len);
        // Slot 1 holds the source: `other`, or a copy of the items array when `other` is
        // `list` itself (moving the tail would move the items being read).
        let aliased = core::ptr::eq(other, list);
        let mut roots = Roots::new([list as *mut u8, other as *mut u8]);
        if aliased {
            let copy = alloc_array(array_tid, len);
            if copy.is_null() {
                return;
            }
            let list = roots.get(0) as *mut RList;
            slots(copy).copy_from_slice(items(list));
            gc::write_barrier(copy as *mut u8);
            roots.set(1, copy as *mut u8);
        }
        let source = |roots: &Roots<2>| -> &[u64] {
            if aliased {
                slots(roots.get(1) as *mut RArray)
            } else {
                items(roots.get(1) as *const RList)
            }
        };
        let added = source(&roots).len() as i64;
        let new_len = len - removed + added;
        if new_len > len {
            kiln_list_resize(roots.get(0) as *mut RList, new_len, array_tid);
        }
        let list = roots.get(0) as *mut RList;
        let all = slots(array(list));
        if (all.len() as i64) < new_len {
            // The resize failed: MemoryError is pending and the list is unchanged.
            return;
        }
        let tail = (start + removed) as usize..len as usize;
        all.copy_within(tail, (start + added) as usize);
        all[start as usize..(start + added) as usize].copy_from_slice(source(&roots));
        if new_len < len {
            // Clear the vacated slots, so that they keep nothing alive.
            all[new_len as usize..len as usize].fill(0);
        }
        (*list).length = new_len;
        barrier(list);
    }
}

/// `a + b` as a new list.
///
/// # Safety
/// `a` and `b` are null or valid lists.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_concat(a: *const RList, b: *const RList, list_tid: i64, array_tid: i64) -> *mut RList {
    unsafe {
        let n = items(a).len() as i64 + items(b).len() as i64;
        let roots = Roots::new([a as *mut u8, b as *mut u8]);
        let new = alloc_list(list_tid as u32, array_tid as u32, n);
        if new.is_null() {
            return new;
        }
        let (xs, ys) = (items(roots.get(0) as *const RList), items(roots.get(1) as *const RList));
        let dst = items_mut(new);
        dst[..xs.len()].copy_from_slice(xs);
        dst[xs.len()..].copy_from_slice(ys);
        barrier(new);
        new
    }
}

/// `list * n` as a new list (empty for `n <= 0`); MemoryError when too long.
///
/// # Safety
/// `list` is null or a valid list.
#[no_mangle]
pub unsafe extern "C" fn kiln_list_mul(list: *const RList, n: i64, list_tid: i64, array_tid: i64) -> *mut RList {
    unsafe {
        let len = items(list).len() as i64;
        let total = if n <= 0 { 0 } else { len.checked_mul(n).unwrap_or(-1) };
        let roots = Roots::new([list as *mut u8]);
        // A negative length (the product overflowed) makes the allocation raise
        // MemoryError, as CPython does.
        let new = alloc_list(list_tid as u32, array_tid as u32, total);
        if new.is_null() {
            return new;
        }
        let src = items(roots.get(0) as *const RList);
        if !src.is_empty() {
            for chunk in items_mut(new).chunks_mut(src.len()) {
                chunk.copy_from_slice(src);
            }
        }
        barrier(new);
        new
    }
}

/// `list(range(start, stop, step))`; ValueError "range() arg 3 must not be zero".
#[no_mangle]
pub extern "C" fn kiln_list_range(start: i64, stop: i64, step: i64, list_tid: i64, array_tid: i64) -> *mut RList {
    if step == 0 {
        exc::raise(BuiltinExc::ValueError, "range() arg 3 must not be zero");
        return null_mut();
    }
    let (lo, hi, st) = (start as i128, stop as i128, step as i128);
    let count = if st > 0 && lo < hi {
        (hi - lo - 1) / st + 1
    } else if st < 0 && lo > hi {
        (lo - hi - 1) / -st + 1
    } else {
        0
    };
    let new = alloc_list(list_tid as u32, array_tid as u32, i64::try_from(count).unwrap_or(-1));
    if new.is_null() {
        return new;
    }
    // SAFETY: a fresh list of `count` items.
    unsafe {
        for (k, slot) in items_mut(new).iter_mut().enumerate() {
            *slot = (lo + k as i128 * st) as i64 as u64;
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testprog::*;
    use kiln_abi::typeid;

    const LT: i64 = typeid::LIST_SIGNED as i64;
    const AT: i64 = typeid::ARRAY_SIGNED as i64;
    const ABSENT: i64 = i64::MIN;

    type RangeCase = ((i64, i64, i64), &'static [i64]);

    #[test]
    fn moving_copying_reversing() {
        each_gc(|t| unsafe {
            let l = t.ints(&[0, 1, 2, 3, 4, 5]);
            kiln_list_move(t.p(l), 2, 0, 3);
            assert_eq!(t.int_items(l), [0, 1, 0, 1, 2, 5]);
            kiln_list_move(t.p(l), 0, 3, 3);
            assert_eq!(t.int_items(l), [1, 2, 5, 1, 2, 5]);
            kiln_list_move(t.p(l), 4, 0, 10);
            assert_eq!(t.int_items(l), [1, 2, 5, 1, 2, 5], "out of range: ignored");
            let m = t.ints(&[7, 8, 9]);
            kiln_list_copy_from(t.p(l), 1, t.p(m), 1, 2);
            assert_eq!(t.int_items(l), [1, 8, 9, 1, 2, 5]);
            kiln_list_reverse(t.p(l));
            assert_eq!(t.int_items(l), [5, 2, 1, 9, 8, 1]);
            let (a, b) = (t.str("a"), t.str("b"));
            let r = t.refs(&[a, b]);
            kiln_list_reverse(t.p(r));
            crate::gc::collect();
            assert_eq!(t.items(r), [t.w(b), t.w(a)]);
        });
    }

    #[test]
    fn sorting() {
        each_gc(|t| unsafe {
            let l = t.ints(&[5, -1, 3, 3, 0, 9]);
            kiln_list_sort(t.p(l), &INT, 0);
            assert_eq!(t.int_items(l), [-1, 0, 3, 3, 5, 9]);
            kiln_list_sort(t.p(l), &INT, 1);
            assert_eq!(t.int_items(l), [9, 5, 3, 3, 0, -1]);
            let s = t.strs(&["pear", "Apple", "apple", "é", "banana"]);
            kiln_list_sort(t.p(s), &STR, 0);
            assert_eq!(t.str_items(s), ["Apple", "apple", "banana", "pear", "é"]);
            // Tuples order by their first unequal field.
            let (x, y) = (t.str("x"), t.str("y"));
            let tuples = [t.tuple_int_str(2, y), t.tuple_int_str(1, y), t.tuple_int_str(2, x), t.tuple_int_str(1, x)];
            let tl = t.refs(&tuples);
            kiln_list_sort(t.p(tl), &TUPLE_INT_STR, 0);
            let want = [tuples[3], tuples[1], tuples[2], tuples[0]].map(|h| t.w(h));
            assert_eq!(t.items(tl), want);
            // Instances cannot be ordered: TypeError, and the list keeps its items.
            let objs = [t.instance(), t.instance(), t.instance()];
            let ol = t.refs(&objs);
            kiln_list_sort(t.p(ol), &INSTANCE_DESC, 0);
            assert_eq!(take_exc().as_deref(), Some("TypeError: '<' not supported between instances of 'Thing' and 'Thing'"));
            let mut got = t.items(ol);
            got.sort();
            let mut want: Vec<u64> = objs.iter().map(|h| t.w(*h)).collect();
            want.sort();
            assert_eq!(got, want);
            let one = t.refs(&[objs[0]]);
            kiln_list_sort(t.p(one), &INSTANCE_DESC, 0);
            assert!(!crate::exc::is_pending(), "one item needs no comparison");
        });
    }

    #[test]
    fn searching_counting_min_max_sums() {
        each_gc(|t| unsafe {
            let l = t.ints(&[4, 1, 4, 2]);
            assert_eq!(kiln_list_find(t.p(l), 4, &INT, 0), 0);
            assert_eq!(kiln_list_find(t.p(l), 4, &INT, 1), 2);
            assert_eq!(kiln_list_find(t.p(l), 4, &INT, -1), -1);
            assert_eq!(kiln_list_find(t.p(l), 4, &INT, -2), 2);
            assert_eq!(kiln_list_find(t.p(l), 9, &INT, 0), -1);
            assert_eq!(kiln_list_find(t.p(l), 4, &INT, 99), -1);
            assert_eq!(kiln_list_count(t.p(l), 4, &INT), 2);
            let s = t.strs(&["b", "a", "c"]);
            let a = t.str("a");
            assert_eq!(kiln_list_find(t.p(s), t.w(a) as i64, &STR, 0), 1, "equal strings match");
            assert_eq!(kiln_list_minmax(t.p(l), &INT, 0), 1);
            assert_eq!(kiln_list_minmax(t.p(l), &INT, 1), 4);
            assert_eq!(text(kiln_list_minmax(t.p(s), &STR, 1) as *const _), "c");
            // The first of equal maxima, as CPython's max() keeps.
            let (x1, x2) = (t.str("x"), t.str("x"));
            let xs = t.refs(&[x1, x2]);
            assert_eq!(kiln_list_minmax(t.p(xs), &STR, 1) as u64, t.w(x1));
            let nan = f64::NAN;
            let f = t.floats(&[nan, 1.0, 0.5]);
            assert!(f64::from_bits(kiln_list_minmax(t.p(f), &FLOAT, 0) as u64).is_nan(), "min([nan, 1.0, 0.5]) is nan");
            let f = t.floats(&[1.0, nan, 0.5]);
            assert_eq!(f64::from_bits(kiln_list_minmax(t.p(f), &FLOAT, 0) as u64), 0.5);
            let e = t.ints(&[]);
            assert_eq!(kiln_list_minmax(t.p(e), &INT, 0), 0);
            assert_eq!(take_exc().as_deref(), Some("ValueError: min() arg is an empty sequence"));
            assert_eq!(kiln_list_minmax(t.p(e), &INT, 1), 0);
            assert_eq!(take_exc().as_deref(), Some("ValueError: max() arg is an empty sequence"));
            let objs = t.refs(&[t.instance(), t.instance()]);
            kiln_list_minmax(t.p(objs), &INSTANCE_DESC, 1);
            assert_eq!(take_exc().as_deref(), Some("TypeError: '>' not supported between instances of 'Thing' and 'Thing'"));
            assert_eq!(kiln_list_sum_int(t.p(l)), 11);
            let big = t.ints(&[i64::MAX, 2]);
            assert_eq!(kiln_list_sum_int(t.p(big)), i64::MIN + 1, "wraps");
            let tenths = t.floats(&[0.1; 10]);
            assert_eq!(kiln_list_sum_float(t.p(tenths)), 0.9999999999999999);
            let negzero = t.floats(&[-0.0]);
            assert!(kiln_list_sum_float(t.p(negzero)).is_sign_positive(), "sum([-0.0]) is 0.0");
        });
    }

    #[test]
    fn slicing() {
        each_gc(|t| unsafe {
            let l = t.ints(&[0, 1, 2, 3, 4, 5, 6]);
            let sl = |a: i64, b: i64, c: i64| {
                let r = t.keep(kiln_list_slice(t.p(l), a, b, c, LT, AT));
                assert_eq!((*t.p::<RList>(r)).hdr.tid, typeid::LIST_SIGNED);
                t.int_items(r)
            };
            // CPython 3.11's results.
            assert_eq!(sl(ABSENT, ABSENT, 1), [0, 1, 2, 3, 4, 5, 6]);
            assert_eq!(sl(2, -2, 1), [2, 3, 4]);
            assert_eq!(sl(ABSENT, ABSENT, -2), [6, 4, 2, 0]);
            assert_eq!(sl(5, 1, -1), [5, 4, 3, 2]);
            assert_eq!(sl(-100, 100, 3), [0, 3, 6]);
            assert_eq!(sl(4, 2, 1), Vec::<i64>::new());
            assert!(kiln_list_slice(t.p(l), 0, 1, 0, LT, AT).is_null());
            assert_eq!(take_exc().as_deref(), Some("ValueError: slice step cannot be zero"));
            let (a, b, c) = (t.str("a"), t.str("b"), t.str("c"));
            let r = t.refs(&[a, b, c]);
            let s = t.keep(kiln_list_slice(t.p(r), ABSENT, ABSENT, -1, LIST_PTR as i64, ARRAY_PTR as i64));
            crate::gc::collect();
            assert_eq!(t.items(s), [t.w(c), t.w(b), t.w(a)]);
        });
    }

    #[test]
    fn slice_assignment() {
        each_gc(|t| unsafe {
            let check = |init: &[i64], a: i64, b: i64, other: &[i64], want: &[i64]| {
                let l = t.ints(init);
                let o = t.ints(other);
                kiln_list_setslice(t.p(l), a, b, t.p(o), AT);
                assert_eq!(t.int_items(l), want, "{init:?}[{a}:{b}] = {other:?}");
                assert!(t.capacity(l) >= want.len() as i64);
            };
            // CPython 3.11's results.
            check(&[0, 1, 2, 3], 1, 3, &[9], &[0, 9, 3]);
            check(&[0, 1, 2, 3], 1, 2, &[7, 8, 9], &[0, 7, 8, 9, 2, 3]);
            check(&[0, 1, 2, 3], 3, 1, &[5], &[0, 1, 2, 5, 3]);
            check(&[0, 1, 2, 3], -1, ABSENT, &[], &[0, 1, 2]);
            check(&[0, 1, 2, 3], ABSENT, ABSENT, &[4], &[4]);
            check(&[0, 1], 10, 20, &[2, 3], &[0, 1, 2, 3]);
            check(&[], 0, 0, &[1, 2], &[1, 2]);
            // `l[1:2] = l`, the list itself.
            let l = t.ints(&[0, 1, 2]);
            kiln_list_setslice(t.p(l), 1, 2, t.p(l), AT);
            assert_eq!(t.int_items(l), [0, 0, 1, 2, 2]);
            let l = t.ints(&[0, 1, 2]);
            kiln_list_setslice(t.p(l), ABSENT, ABSENT, t.p(l), AT);
            assert_eq!(t.int_items(l), [0, 1, 2]);
            // Shrinking clears the vacated slots.
            let (a, b) = (t.str("a"), t.str("b"));
            let r = t.refs(&[a, b, a]);
            let e = t.refs(&[]);
            kiln_list_setslice(t.p(r), 0, 2, t.p(e), ARRAY_PTR as i64);
            assert_eq!(t.items(r), [t.w(a)]);
            let arr = array_of(t.p(r));
            assert_eq!(slots(arr)[1..3], [0, 0]);
            let bigger = t.refs(&[b, b, b, b, b, b, b, b, b, b]);
            kiln_list_setslice(t.p(r), 1, 1, t.p(bigger), ARRAY_PTR as i64);
            crate::gc::collect();
            assert_eq!(t.items(r).len(), 11);
            assert!(t.items(r)[1..].iter().all(|w| *w == t.w(b)));
        });
    }

    #[test]
    fn concatenation_repetition_range() {
        each_gc(|t| unsafe {
            let (a, b) = (t.ints(&[1, 2]), t.ints(&[3]));
            let c = t.keep(kiln_list_concat(t.p(a), t.p(b), LT, AT));
            assert_eq!(t.int_items(c), [1, 2, 3]);
            let m = t.keep(kiln_list_mul(t.p(a), 3, LT, AT));
            assert_eq!(t.int_items(m), [1, 2, 1, 2, 1, 2]);
            let z = t.keep(kiln_list_mul(t.p(a), -1, LT, AT));
            assert_eq!(t.int_items(z), Vec::<i64>::new());
            assert!(kiln_list_mul(t.p(a), 1 << 62, LT, AT).is_null());
            assert_eq!(take_exc().as_deref(), Some("MemoryError"));
            let s = t.str("s");
            let r = t.refs(&[s]);
            let rr = t.keep(kiln_list_mul(t.p(r), 2, LIST_PTR as i64, ARRAY_PTR as i64));
            crate::gc::collect();
            assert_eq!(t.items(rr), [t.w(s), t.w(s)]);
            // ((start, stop, step), list(range(start, stop, step))).
            let cases: &[RangeCase] = &[
                ((0, 5, 1), &[0, 1, 2, 3, 4]),
                ((5, 0, -2), &[5, 3, 1]),
                ((0, 10, 3), &[0, 3, 6, 9]),
                ((3, 3, 1), &[]),
                ((3, 0, 1), &[]),
                ((-2, 2, 1), &[-2, -1, 0, 1]),
            ];
            for ((a, b, c), want) in cases {
                let l = t.keep(kiln_list_range(*a, *b, *c, LT, AT));
                assert_eq!(t.int_items(l), *want, "range({a}, {b}, {c})");
            }
            let l = t.keep(kiln_list_range(i64::MAX - 2, i64::MAX, 1, LT, AT));
            assert_eq!(t.int_items(l), [i64::MAX - 2, i64::MAX - 1]);
            assert!(kiln_list_range(0, 1, 0, LT, AT).is_null());
            assert_eq!(take_exc().as_deref(), Some("ValueError: range() arg 3 must not be zero"));
            assert!(kiln_list_range(i64::MIN, i64::MAX, 1, LT, AT).is_null());
            assert_eq!(take_exc().as_deref(), Some("MemoryError"));
        });
    }
}
