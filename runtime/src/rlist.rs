//! List helpers generated code calls. A list is `kiln_abi::RList`: a length and an items
//! array (`RArray`) whose length is the capacity; every item is one 8-byte slot, whatever
//! its type, so these helpers never need to know the item type — only the GC type id of
//! the items array, which the caller passes.

use kiln_abi::{RArray, RList};

use crate::alloc;
use crate::gc::{self, roots::Roots};

/// The capacity to grow to for `n` items: CPython's and RPython's over-allocation, so
/// appending in a loop is amortised O(1).
fn grown_capacity(n: i64) -> i64 {
    n + (n >> 3) + if n < 9 { 3 } else { 6 }
}

/// Makes `list`'s items array hold at least `n` items; the length does not change.
/// `array_tid` is the GC type id of the items array. On exhaustion, MemoryError is set
/// and the list is left as it was.
///
/// # Safety
/// `list` is a valid list (or null, which is ignored).
#[no_mangle]
pub unsafe extern "C" fn kiln_list_resize(list: *mut RList, n: i64, array_tid: i64) {
    if list.is_null() {
        return;
    }
    // SAFETY: `list` is a valid list; its items array is valid or null.
    let cap = unsafe {
        let items = (*list).items;
        if items.is_null() {
            0
        } else {
            (*items).length
        }
    };
    if n <= cap {
        return;
    }
    // An absurd `n` (near i64::MAX) must not wrap around into a small size: past the
    // largest object, the allocation below fails with MemoryError.
    let newcap = grown_capacity(n.min(alloc::MAX_OBJECT_SIZE as i64));
    let size = core::mem::size_of::<RArray>() as i64 + newcap * 8;
    // The list may move during the allocation.
    let roots = Roots::new([list as *mut u8]);
    let arr = alloc::gc_malloc_varsize(array_tid as u32, size, newcap, core::mem::offset_of!(RArray, length) as i64) as *mut RArray;
    if arr.is_null() {
        return;
    }
    let list = roots.get(0) as *mut RList;
    // SAFETY: `arr` is a fresh array of `newcap` slots; the old array holds at least
    // `length` items.
    unsafe {
        let old = (*list).items;
        let len = (*list).length.max(0) as usize;
        if !old.is_null() && len > 0 {
            let src = core::ptr::addr_of!((*old).items) as *const u64;
            let dst = core::ptr::addr_of_mut!((*arr).items) as *mut u64;
            core::ptr::copy_nonoverlapping(src, dst, len);
        }
        (*list).items = arr;
    }
    // The new array may be old already (large objects) and now holds the items; the
    // list now points to the array.
    gc::write_barrier(arr as *mut u8);
    gc::write_barrier(list as *mut u8);
}

#[cfg(test)]
mod tests {
    use super::grown_capacity;

    #[test]
    fn capacity_grows_geometrically() {
        assert_eq!(grown_capacity(1), 4);
        assert_eq!(grown_capacity(9), 16);
        assert!(grown_capacity(1000) > 1100);
    }
}
