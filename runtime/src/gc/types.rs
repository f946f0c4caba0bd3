//! Reading objects through the type-info table of `ProgramInfo`: an object's size and
//! the addresses of the GC pointers inside it, which is all a collector needs to know
//! about the program's types.
//!
//! The table is recorded at startup ([`set_table`]). Every object a collector meets has a
//! header whose type id has a valid row; one that does not means the heap is corrupt (a
//! bug in Kiln), and [`super::fatal`] ends the process with a message rather than let the
//! collector scribble over memory.

use core::ptr::null;

use kiln_abi::{gc::alloc_size, GcHeader, TypeInfo, TI_VALID, TI_VARSIZE};

use crate::global::Global;

struct Table {
    rows: *const TypeInfo,
    count: u32,
}

static TABLE: Global<Table> = Global::new(Table { rows: null(), count: 0 });

/// Records the program's type-info table (`count` rows at `rows`).
pub(crate) fn set_table(rows: *const TypeInfo, count: u32) {
    // SAFETY: short exclusive access.
    unsafe { *TABLE.get() = Table { rows, count: if rows.is_null() { 0 } else { count } } };
}

/// The row of type id `tid`, if it is a valid one.
#[inline]
pub(crate) fn row(tid: u32) -> Option<&'static TypeInfo> {
    // SAFETY: the table recorded at startup lives as long as the run, and `tid` is
    // checked against its length.
    unsafe {
        let t = &*TABLE.get();
        if tid >= t.count {
            return None;
        }
        let r = &*t.rows.add(tid as usize);
        (r.flags & TI_VALID != 0).then_some(r)
    }
}

#[inline]
pub(crate) fn header<'a>(obj: *mut u8) -> &'a mut GcHeader {
    // SAFETY: callers pass object addresses, which start with a header.
    unsafe { &mut *(obj as *mut GcHeader) }
}

/// The row of the object's type; ends the process when the header is corrupt.
#[inline]
pub(crate) fn row_of(obj: *mut u8) -> &'static TypeInfo {
    let tid = header(obj).tid;
    match row(tid) {
        Some(r) => r,
        None => super::fatal(&format!("object {obj:p} has the invalid type id {tid}")),
    }
}

/// The length word of a variable-size object.
#[inline]
pub(crate) fn length_of(obj: *mut u8, row: &TypeInfo) -> u64 {
    // SAFETY: a variable-size object has its length word at `length_offset`.
    let n = unsafe { (obj.add(row.length_offset as usize) as *const i64).read() };
    n.max(0) as u64
}

/// The size in bytes an object of this row with `length` items takes, as allocated.
#[inline]
pub(crate) fn size_for(row: &TypeInfo, length: u64) -> usize {
    if row.flags & TI_VARSIZE != 0 {
        alloc_size(row.items_offset as u64 + row.item_size as u64 * length) as usize
    } else {
        alloc_size(row.fixed_size as u64) as usize
    }
}

/// The allocated size of an object.
#[inline]
pub(crate) fn object_size(obj: *mut u8) -> usize {
    let row = row_of(obj);
    let length = if row.flags & TI_VARSIZE != 0 { length_of(obj, row) } else { 0 };
    size_for(row, length)
}

/// The size of a variable-size object of type `tid` with `length` items, or `None` when
/// the type is unknown or the size would pass `max`.
pub(crate) fn varsize_size(tid: u32, length: i64, max: u64) -> Option<(usize, usize)> {
    let row = row(tid)?;
    if row.flags & TI_VARSIZE == 0 || length < 0 {
        return None;
    }
    let bytes = (length as u64).checked_mul(row.item_size as u64)?.checked_add(row.items_offset as u64)?;
    if bytes > max {
        return None;
    }
    Some((alloc_size(bytes) as usize, row.length_offset as usize))
}

/// Calls `f` with the address of every GC pointer field of `obj` (null ones included).
#[inline]
pub(crate) fn for_each_pointer(obj: *mut u8, mut f: impl FnMut(*mut *mut u8)) {
    let row = row_of(obj);
    // SAFETY: the row's offsets are inside every object of its type.
    unsafe {
        for i in 0..row.ptr_count as usize {
            f(obj.add(*row.ptr_offsets.add(i) as usize) as *mut *mut u8);
        }
    }
    if row.flags & TI_VARSIZE != 0 && row.item_ptr_count > 0 {
        let length = length_of(obj, row);
        items_pointers(obj, row, 0, length, &mut f);
    }
}

/// Calls `f` with the GC pointer fields of items `start..end` of a variable-size object.
#[inline]
pub(crate) fn items_pointers(obj: *mut u8, row: &TypeInfo, start: u64, end: u64, f: &mut impl FnMut(*mut *mut u8)) {
    // SAFETY: items below the object's length are inside it.
    unsafe {
        let base = obj.add(row.items_offset as usize);
        let size = row.item_size as usize;
        if row.item_ptr_count == 1 && *row.item_ptr_offsets == 0 && size == 8 {
            // Arrays of pointers, by far the common case.
            for i in start as usize..end as usize {
                f(base.add(i * 8) as *mut *mut u8);
            }
            return;
        }
        for i in start as usize..end as usize {
            let item = base.add(i * size);
            for k in 0..row.item_ptr_count as usize {
                f(item.add(*row.item_ptr_offsets.add(k) as usize) as *mut *mut u8);
            }
        }
    }
}

/// Whether objects of this row have GC pointers in their items (arrays that may get
/// card marking).
#[inline]
pub(crate) fn has_item_pointers(row: &TypeInfo) -> bool {
    row.flags & TI_VARSIZE != 0 && row.item_ptr_count > 0
}

/// Whether objects of this row hold any GC pointer.
#[inline]
pub(crate) fn has_pointers(row: &TypeInfo) -> bool {
    row.ptr_count > 0 || has_item_pointers(row)
}
