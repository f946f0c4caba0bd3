//! Dicts (`kiln_abi::RDict`): insertion-ordered like CPython's, keys and values being
//! words that the dict's `DictDesc` describes (hashing and `==` as in [`crate::rdesc`]).
//!
//! Layout: `entries` is an array of `REntry` (state, hash, key, value) holding the
//! `num_used` entries ever appended, in insertion order; deleting one clears it to state
//! 0. `indexes` is an open-addressing table (`ARRAY_SIGNED`, a power of two long, at
//! least 8) of entry positions: -1 for an empty slot, -2 for one whose entry was deleted.
//! Probing is CPython's (`i = 5*i + perturb + 1`, `perturb >>= 5`). The entries array
//! holds at most two thirds as many entries as the table has slots, so every probe
//! sequence reaches an empty slot. When the entries array is full, a new one sized for
//! the live entries is made and they are copied in order (dropping deleted ones), and the
//! table is rebuilt.
//!
//! A dict may have no table (`indexes` null): dicts prebuilt by the compiler (whose
//! entries are live with hash 0), new and cleared dicts. The table, and the hashes of
//! the entries, are made on first use. Operations declared not to collect make it
//! without collecting, and when even that fails they scan the entries instead.
//!
//! GC protocol: operations that allocate keep the dict and any key or value that is a
//! reference in a `Roots` guard, and report stores into the dict and its entries array
//! with `gc::write_barrier`. Hashes never depend on addresses that a collection can
//! change (see `rdesc::hash_word`), so stored hashes stay valid.

use core::mem::{offset_of, size_of};
use core::ptr::{addr_of_mut, null_mut};

use kiln_abi::{typeid, BuiltinExc, DictDesc, RArray, RDict, REntry, RList, TypeDesc};

use crate::alloc;
use crate::exc;
use crate::gc::{self, roots::Roots};
use crate::rdesc::{self, hash_word, is_ref_kind, item_eq};
use crate::rlistops;

const EMPTY: i64 = -1;
const DUMMY: i64 = -2;
/// The smallest table.
const MIN_SIZE: i64 = 8;
/// The entries array of a new dict: what a table of [`MIN_SIZE`] slots allows.
const NEW_CAPACITY: i64 = usable(MIN_SIZE);

/// How many entries a table of `size` slots may index.
const fn usable(size: i64) -> i64 {
    (size as i128 * 2 / 3) as i64
}

/// The smallest table size whose usable part holds `n` entries.
fn size_for(n: i64) -> i64 {
    let mut size = MIN_SIZE;
    while usable(size) < n {
        size *= 2;
    }
    size
}

/// The static description of a dict's type.
///
/// # Safety
/// `d` is a valid dict.
unsafe fn dict_desc<'a>(d: *const RDict) -> &'a DictDesc {
    unsafe { &*(*d).desc }
}

/// The descs of a dict's keys and values.
///
/// # Safety
/// `d` is a valid dict (non-null).
pub(crate) unsafe fn key_value_descs<'a>(d: *const RDict) -> (&'a TypeDesc, &'a TypeDesc) {
    unsafe {
        let dd = dict_desc(d);
        (rdesc::desc(dd.key), rdesc::desc(dd.value))
    }
}

/// The entries array as a slice of its capacity (empty when there is none).
///
/// # Safety
/// `d` is a valid dict; the slice must not be used after an allocation.
unsafe fn entries<'a>(d: *const RDict) -> &'a mut [REntry] {
    unsafe {
        let arr = (*d).entries;
        if arr.is_null() {
            return &mut [];
        }
        core::slice::from_raw_parts_mut(addr_of_mut!((*arr).items) as *mut REntry, (*arr).length.max(0) as usize)
    }
}

/// The used entries (live and deleted), in insertion order.
///
/// # Safety
/// As [`entries`].
unsafe fn used<'a>(d: *const RDict) -> &'a mut [REntry] {
    unsafe {
        let all = entries(d);
        let n = ((*d).num_used.max(0) as usize).min(all.len());
        &mut all[..n]
    }
}

/// The table's slots (empty when there is none).
///
/// # Safety
/// As [`entries`].
unsafe fn table<'a>(d: *const RDict) -> &'a mut [i64] {
    unsafe { array_slots((*d).indexes) }
}

/// The slots of an `ARRAY_SIGNED`.
///
/// # Safety
/// `arr` is null or a valid array; the slice must not be used after an allocation.
unsafe fn array_slots<'a>(arr: *mut RArray) -> &'a mut [i64] {
    unsafe {
        if arr.is_null() {
            return &mut [];
        }
        core::slice::from_raw_parts_mut(addr_of_mut!((*arr).items) as *mut i64, (*arr).length.max(0) as usize)
    }
}

/// The (key, value) words of the live entries, in insertion order.
///
/// # Safety
/// `d` is a valid dict; the iterator must not be used across an allocation.
pub(crate) unsafe fn live_entries<'a>(d: *const RDict) -> impl Iterator<Item = &'a REntry> {
    unsafe { used(d).iter().filter(|e| e.state != 0) }
}

/// The probe sequence of `hash` in a table of `size` slots (a power of two).
fn probe(hash: i64, size: usize) -> impl Iterator<Item = usize> {
    let mask = size as u64 - 1;
    let mut i = hash as u64 & mask;
    let mut perturb = hash as u64;
    let mut first = true;
    core::iter::from_fn(move || {
        if !first {
            perturb >>= 5;
            i = (i.wrapping_mul(5).wrapping_add(perturb).wrapping_add(1)) & mask;
        }
        first = false;
        Some(i as usize)
    })
}

/// Fills a fresh table with the positions of the live entries (which have their hashes).
fn fill_table(slots: &mut [i64], entries: &[REntry]) {
    slots.fill(EMPTY);
    for (pos, e) in entries.iter().enumerate() {
        if e.state != 0 {
            if let Some(i) = probe(e.hash, slots.len()).find(|i| slots[*i] == EMPTY) {
                slots[i] = pos as i64;
            }
        }
    }
}

/// Computes the hashes of every live entry (for a dict that has no table yet: prebuilt
/// entries have hash 0).
///
/// # Safety
/// `d` is a valid dict.
unsafe fn compute_hashes(d: *mut RDict) {
    unsafe {
        let (kd, _) = key_value_descs(d);
        for e in used(d).iter_mut().filter(|e| e.state != 0) {
            e.hash = hash_word(e.key, kd);
        }
    }
}

/// A new table of `size` slots (not yet filled); null when out of memory (with
/// MemoryError set when `collecting`).
fn alloc_table(size: i64, collecting: bool) -> *mut RArray {
    if collecting {
        rlistops::alloc_array(typeid::ARRAY_SIGNED as i64, size)
    } else {
        let bytes = size_of::<RArray>() as u64 + 8 * size as u64;
        let arr = alloc::malloc_no_collect(typeid::ARRAY_SIGNED, bytes) as *mut RArray;
        if !arr.is_null() {
            // SAFETY: a fresh array object of `size` slots.
            unsafe { (*arr).length = size };
        }
        arr
    }
}

/// Makes sure the dict has a table, building it (and the entries' hashes) if it has
/// none. Without `collecting`, allocates without collecting and returns false (raising
/// nothing) when that fails; with it, may collect (the caller has rooted what it holds,
/// and reads `d` back) and returns false with MemoryError set on exhaustion.
///
/// # Safety
/// `d` is a valid dict; when `collecting`, it is in `roots` slot 0.
unsafe fn ensure_table(d: *mut RDict, collecting: bool, roots: Option<&Roots<3>>) -> bool {
    unsafe {
        if !(*d).indexes.is_null() {
            return true;
        }
        compute_hashes(d);
        let size = size_for(entries(d).len().max((*d).num_used.max(0) as usize) as i64);
        let arr = alloc_table(size, collecting);
        if arr.is_null() {
            return false;
        }
        let d = roots.map_or(d, |r| r.get(0) as *mut RDict);
        fill_table(array_slots(arr), used(d));
        (*d).indexes = arr;
        gc::write_barrier(d as *mut u8);
        true
    }
}

/// Where a key is: the entry position, or -1; and the slot it occupies or would take.
struct Found {
    pos: i64,
    slot: usize,
}

/// Looks `key` (with its `hash`) up in the table, which must exist.
///
/// # Safety
/// `d` is a valid dict with a table; `key` is a valid key.
unsafe fn lookup(d: *const RDict, key: u64, hash: i64) -> Found {
    unsafe {
        let (kd, _) = key_value_descs(d);
        let slots = table(d);
        let ents = entries(d);
        let mut free = None;
        for i in probe(hash, slots.len()) {
            match slots[i] {
                EMPTY => return Found { pos: -1, slot: free.unwrap_or(i) },
                DUMMY => {
                    free.get_or_insert(i);
                }
                pos => {
                    if let Some(e) = ents.get(pos as usize) {
                        if e.hash == hash && item_eq(e.key, key, kd) {
                            return Found { pos, slot: i };
                        }
                    }
                }
            }
        }
        // Unreachable: the probe sequence is endless and the table has empty slots.
        Found { pos: -1, slot: 0 }
    }
}

/// Finds `key` without collecting: builds the table if it can, else scans the entries.
/// Returns the entry position or -1.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
unsafe fn find(d: *mut RDict, key: u64) -> i64 {
    unsafe {
        if (*d).num_items <= 0 {
            return -1;
        }
        let (kd, _) = key_value_descs(d);
        if kd.kind == kiln_abi::kind::INT && !(*d).indexes.is_null() {
            return find_int(d, key);
        }
        let hash = hash_word(key, kd);
        if ensure_table(d, false, None) {
            return lookup(d, key, hash).pos;
        }
        used(d).iter().position(|e| e.state != 0 && item_eq(e.key, key, kd)).map_or(-1, |p| p as i64)
    }
}

/// [`lookup`]'s position for an int key, when the table exists: ints are equal when
/// their words are, so the probe compares words (and needs no hash of the entries).
///
/// # Safety
/// `d` is a valid dict with int keys and a table.
unsafe fn find_int(d: *const RDict, key: u64) -> i64 {
    unsafe {
        let slots = table(d);
        let ents = entries(d);
        for i in probe(rdesc::hash_int(key as i64), slots.len()) {
            match slots[i] {
                EMPTY => return -1,
                DUMMY => {}
                pos => {
                    if ents.get(pos as usize).is_some_and(|e| e.key == key) {
                        return pos;
                    }
                }
            }
        }
        -1
    }
}

/// The words to root for a key and a value: themselves when they are references.
///
/// # Safety
/// `d` is a valid dict.
unsafe fn ref_words(d: *const RDict, key: u64, value: u64) -> (*mut u8, *mut u8) {
    unsafe {
        let (kd, vd) = key_value_descs(d);
        let r = |w: u64, td: &TypeDesc| if is_ref_kind(td.kind) { w as *mut u8 } else { null_mut() };
        (r(key, kd), r(value, vd))
    }
}

/// Reads back a key or value word after an allocation: from its root slot when it is a
/// reference (it may have moved), else the word itself.
fn reread(roots: &Roots<3>, slot: usize, word: u64) -> u64 {
    let p = roots.get(slot);
    if p.is_null() {
        word
    } else {
        p as u64
    }
}

/// Gives the dict in `target` slot 0 a new entries array of `capacity` holding, in
/// order, the live entries of the dict in `source` slot 0 (the same dict, to compact
/// it), and a table over them. The source's entries have their hashes. False with
/// MemoryError set when out of memory, the target unchanged.
///
/// # Safety
/// Both slots hold valid dicts of the same type; `capacity` is at least the source's
/// number of items.
unsafe fn rebuild(target: &Roots<3>, source: &Roots<3>, capacity: i64) -> bool {
    unsafe {
        let entries_tid = dict_desc(target.get(0) as *const RDict).entries_tid;
        let new_entries = alloc_entries(entries_tid, capacity);
        if new_entries.is_null() {
            return false;
        }
        let inner = Roots::new([new_entries as *mut u8]);
        let new_table = alloc_table(size_for(capacity), true);
        if new_table.is_null() {
            return false;
        }
        let (d, src) = (target.get(0) as *mut RDict, source.get(0) as *const RDict);
        let new_entries = inner.get(0) as *mut RArray;
        let dst = core::slice::from_raw_parts_mut(addr_of_mut!((*new_entries).items) as *mut REntry, capacity as usize);
        let mut n = 0;
        for e in live_entries(src) {
            dst[n] = REntry { state: 1, hash: e.hash, key: e.key, value: e.value };
            n += 1;
        }
        fill_table(array_slots(new_table), &dst[..n]);
        (*d).entries = new_entries;
        (*d).indexes = new_table;
        (*d).num_used = n as i64;
        (*d).num_items = n as i64;
        gc::write_barrier(new_entries as *mut u8);
        gc::write_barrier(d as *mut u8);
        true
    }
}

/// The entries capacity CPython gives a dict it resizes for `live` items: two thirds of
/// the power of two at least three times as large.
fn grown_capacity(live: i64) -> i64 {
    let wanted = (live.max(0) as u64).saturating_mul(3).max(MIN_SIZE as u64);
    usable(wanted.checked_next_power_of_two().map_or(i64::MAX, |s| s.min(i64::MAX as u64) as i64))
}

/// A new entries array of `capacity` zeroed entries.
fn alloc_entries(entries_tid: i64, capacity: i64) -> *mut RArray {
    let size = capacity.checked_mul(size_of::<REntry>() as i64).and_then(|b| b.checked_add(size_of::<RArray>() as i64)).unwrap_or(i64::MAX);
    alloc::gc_malloc_varsize(entries_tid as u32, size, capacity, offset_of!(RArray, length) as i64) as *mut RArray
}

/// `d[key] = value`, or (with `only_if_missing`) `d.setdefault(key, value)`; returns the
/// value now stored under `key`. On MemoryError the dict is unchanged and 0 is returned.
///
/// # Safety
/// `d` is a valid dict; `key` and `value` valid words of its desc.
unsafe fn store(d: *mut RDict, key: u64, value: u64, only_if_missing: bool) -> u64 {
    unsafe {
        let (kd, _) = key_value_descs(d);
        let hash = hash_word(key, kd);
        let (kr, vr) = ref_words(d, key, value);
        let roots = Roots::new([d as *mut u8, kr, vr]);
        if !ensure_table(d, true, Some(&roots)) {
            return 0;
        }
        let mut d = roots.get(0) as *mut RDict;
        let mut key = reread(&roots, 1, key);
        let mut value = reread(&roots, 2, value);
        let found = lookup(d, key, hash);
        if found.pos >= 0 {
            let e = &mut entries(d)[found.pos as usize];
            if !only_if_missing {
                e.value = value;
                gc::write_barrier((*d).entries as *mut u8);
            }
            return e.value;
        }
        let mut slot = found.slot;
        if (*d).num_used >= entries(d).len() as i64 {
            // Full: compact into an array sized for the live entries, as CPython resizes.
            if !rebuild(&roots, &roots, grown_capacity((*d).num_items)) {
                return 0;
            }
            d = roots.get(0) as *mut RDict;
            key = reread(&roots, 1, key);
            value = reread(&roots, 2, value);
            slot = lookup(d, key, hash).slot;
        }
        let pos = (*d).num_used;
        entries(d)[pos as usize] = REntry { state: 1, hash, key, value };
        table(d)[slot] = pos;
        (*d).num_used = pos + 1;
        (*d).num_items += 1;
        gc::write_barrier((*d).entries as *mut u8);
        value
    }
}

/// Removes the live entry at `pos` and returns its value.
///
/// # Safety
/// `d` is a valid dict and `pos` a live entry of it.
unsafe fn remove_at(d: *mut RDict, pos: i64) -> u64 {
    unsafe {
        let e = &mut entries(d)[pos as usize];
        let value = e.value;
        // The entry's slot is on its hash's probe sequence, before any empty slot. (A
        // dict without a table found the entry by scanning, and has no slot to clear.)
        let slots = table(d);
        if !slots.is_empty() {
            if let Some(i) = probe(e.hash, slots.len()).find(|i| slots[*i] == pos || slots[*i] == EMPTY) {
                if slots[i] == pos {
                    slots[i] = DUMMY;
                }
            }
        }
        // Clearing the words lets the collector free what they pointed to.
        *e = REntry { state: 0, hash: e.hash, key: 0, value: 0 };
        (*d).num_items -= 1;
        value
    }
}

/// Raises `KeyError(key)`: its message is `repr(key)`.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
unsafe fn raise_key_error(d: *const RDict, key: u64) {
    unsafe {
        let (kd, _) = key_value_descs(d);
        let text = rdesc::repr_bytes(key, kd);
        exc::raise(BuiltinExc::KeyError, &String::from_utf8_lossy(&text));
    }
}

/// Whether two dicts of the same type hold equal items.
///
/// # Safety
/// `a` and `b` are valid dicts of the same type.
pub(crate) unsafe fn dicts_equal(a: *mut RDict, b: *mut RDict) -> bool {
    unsafe {
        if (*a).num_items != (*b).num_items {
            return false;
        }
        let (_, vd) = key_value_descs(a);
        for e in live_entries(a) {
            let pos = find(b, e.key);
            if pos < 0 || !item_eq(e.value, entries(b)[pos as usize].value, vd) {
                return false;
            }
        }
        true
    }
}

/// A new empty dict of type `desc` (GC type id `dict_tid`) with room for a few entries.
///
/// # Safety
/// `desc` is a valid DictDesc that lives for the whole run.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_new(desc: *const DictDesc, dict_tid: i64) -> *mut RDict {
    if desc.is_null() {
        return null_mut();
    }
    // SAFETY: per this function's contract.
    let arr = alloc_entries(unsafe { (*desc).entries_tid }, NEW_CAPACITY);
    if arr.is_null() {
        return null_mut();
    }
    let roots = Roots::new([arr as *mut u8]);
    let d = alloc::gc_malloc(dict_tid as u32, size_of::<RDict>() as u64) as *mut RDict;
    if d.is_null() {
        return d;
    }
    // SAFETY: a fresh dict object.
    unsafe {
        (*d).desc = desc;
        (*d).entries = roots.get(0) as *mut RArray;
    }
    gc::write_barrier(d as *mut u8);
    d
}

/// `d[key]`: KeyError with the key's repr when missing.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_getitem(d: *mut RDict, key: i64) -> i64 {
    unsafe {
        let pos = find(d, key as u64);
        if pos < 0 {
            raise_key_error(d, key as u64);
            return 0;
        }
        entries(d)[pos as usize].value as i64
    }
}

/// `d[key] = value`.
///
/// # Safety
/// `d` is a valid dict; `key` and `value` valid words of its desc.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_setitem(d: *mut RDict, key: i64, value: i64) {
    unsafe { store(d, key as u64, value as u64, false) };
}

/// `del d[key]`: KeyError when missing.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_delitem(d: *mut RDict, key: i64) {
    unsafe {
        let pos = find(d, key as u64);
        if pos < 0 {
            raise_key_error(d, key as u64);
            return;
        }
        remove_at(d, pos);
    }
}

/// `key in d`.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_contains(d: *mut RDict, key: i64) -> bool {
    unsafe { find(d, key as u64) >= 0 }
}

/// `d.get(key, default)`.
///
/// # Safety
/// `d` is a valid dict; `key` and `default` valid words of its desc.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_get(d: *mut RDict, key: i64, default: i64) -> i64 {
    unsafe {
        match find(d, key as u64) {
            -1 => default,
            pos => entries(d)[pos as usize].value as i64,
        }
    }
}

/// `d.setdefault(key, default)`: the value under `key`, inserting `default` first when
/// missing.
///
/// # Safety
/// `d` is a valid dict; `key` and `default` valid words of its desc.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_setdefault(d: *mut RDict, key: i64, default: i64) -> i64 {
    unsafe { store(d, key as u64, default as u64, true) as i64 }
}

/// `d.pop(key)`: KeyError when missing.
///
/// # Safety
/// `d` is a valid dict; `key` a valid key.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_pop(d: *mut RDict, key: i64) -> i64 {
    unsafe {
        let pos = find(d, key as u64);
        if pos < 0 {
            raise_key_error(d, key as u64);
            return 0;
        }
        remove_at(d, pos) as i64
    }
}

/// `d.pop(key, default)`.
///
/// # Safety
/// `d` is a valid dict; `key` and `default` valid words of its desc.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_pop_default(d: *mut RDict, key: i64, default: i64) -> i64 {
    unsafe {
        match find(d, key as u64) {
            -1 => default,
            pos => remove_at(d, pos) as i64,
        }
    }
}

/// `d.clear()`: drops the entries and the table (the next insertion makes new ones), so
/// that nothing they held stays alive.
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_clear(d: *mut RDict) {
    if d.is_null() {
        return;
    }
    unsafe {
        (*d).entries = null_mut();
        (*d).indexes = null_mut();
        (*d).num_items = 0;
        (*d).num_used = 0;
    }
}

/// `d.copy()`: a new dict of the same type with the same items in the same order.
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_copy(d: *mut RDict) -> *mut RDict {
    unsafe {
        let desc = (*d).desc;
        let source = Roots::new([d as *mut u8, null_mut(), null_mut()]);
        let new = kiln_dict_new(desc, (*desc).dict_tid);
        if new.is_null() {
            return new;
        }
        let target = Roots::new([new as *mut u8, null_mut(), null_mut()]);
        let d = source.get(0) as *mut RDict;
        if (*d).indexes.is_null() {
            // A source that never had a table has no hashes yet.
            compute_hashes(d);
        }
        let live = (*d).num_items.max(0);
        if live > 0 && !rebuild(&target, &source, grown_capacity(live)) {
            return null_mut();
        }
        target.get(0) as *mut RDict
    }
}

/// `d.update(other)`: stores every item of `other` in order (`other` may be `d`).
///
/// # Safety
/// `d` and `other` are valid dicts of the same type.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_update(d: *mut RDict, other: *mut RDict) {
    unsafe {
        let roots = Roots::new([d as *mut u8, other as *mut u8]);
        let mut pos = 0;
        loop {
            let other = roots.get(1) as *mut RDict;
            let Some(e) = used(other).get(pos) else { break };
            pos += 1;
            if e.state == 0 {
                continue;
            }
            let (key, value) = (e.key, e.value);
            store(roots.get(0) as *mut RDict, key, value, false);
            if exc::is_pending() {
                return;
            }
        }
    }
}

/// The position of the first live entry at or after `pos`, or -1: iteration is
/// `pos = next(d, 0); while pos >= 0 { ...; pos = next(d, pos + 1) }`.
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_next(d: *mut RDict, pos: i64) -> i64 {
    unsafe {
        let all = used(d);
        let start = pos.max(0) as usize;
        if start >= all.len() {
            return -1;
        }
        all[start..].iter().position(|e| e.state != 0).map_or(-1, |k| (start + k) as i64)
    }
}

/// The key of the entry at `pos` (0 when out of range).
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_key_at(d: *mut RDict, pos: i64) -> i64 {
    unsafe { usize::try_from(pos).ok().and_then(|p| used(d).get(p)).map_or(0, |e| e.key as i64) }
}

/// The value of the entry at `pos` (0 when out of range).
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_value_at(d: *mut RDict, pos: i64) -> i64 {
    unsafe { usize::try_from(pos).ok().and_then(|p| used(d).get(p)).map_or(0, |e| e.value as i64) }
}

/// A new list of the keys or the values of `d`, in order.
///
/// # Safety
/// `d` is a valid dict.
unsafe fn to_list(d: *mut RDict, list_tid: i64, array_tid: i64, keys: bool) -> *mut RList {
    unsafe {
        let roots = Roots::new([d as *mut u8]);
        let list = rlistops::alloc_list(list_tid as u32, array_tid as u32, (*d).num_items.max(0));
        if list.is_null() {
            return list;
        }
        let d = roots.get(0) as *mut RDict;
        let out = rlistops::items_mut(list);
        for (slot, e) in out.iter_mut().zip(live_entries(d)) {
            *slot = if keys { e.key } else { e.value };
        }
        gc::write_barrier((*list).items as *mut u8);
        list
    }
}

/// `list(d.keys())`.
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_keys(d: *mut RDict, list_tid: i64, array_tid: i64) -> *mut RList {
    unsafe { to_list(d, list_tid, array_tid, true) }
}

/// `list(d.values())`.
///
/// # Safety
/// `d` is a valid dict.
#[no_mangle]
pub unsafe extern "C" fn kiln_dict_values(d: *mut RDict, list_tid: i64, array_tid: i64) -> *mut RList {
    unsafe { to_list(d, list_tid, array_tid, false) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testprog::*;
    use kiln_abi::RStr;

    const LT: i64 = typeid::LIST_SIGNED as i64;
    const AT: i64 = typeid::ARRAY_SIGNED as i64;

    /// The (key, value) words of the live entries, through the iteration protocol.
    fn pairs(t: &Tester, d: H) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        // SAFETY: a kept dict.
        unsafe {
            let mut pos = kiln_dict_next(t.p(d), 0);
            while pos >= 0 {
                out.push((kiln_dict_key_at(t.p(d), pos) as u64, kiln_dict_value_at(t.p(d), pos) as u64));
                pos = kiln_dict_next(t.p(d), pos + 1);
            }
        }
        out
    }

    #[test]
    fn items_keep_insertion_order_through_growth_and_deletion() {
        each_gc(|t| unsafe {
            let d = t.dict(&DICT_INT_INT);
            for k in 0..100i64 {
                t.dict_set(d, Val::W((k * 37 % 101) as u64), Val::W(k as u64));
            }
            assert_eq!(t.dict_len(d), 100);
            for k in 0..100i64 {
                assert_eq!(kiln_dict_getitem(t.p(d), k * 37 % 101), k);
            }
            for k in (0..100i64).step_by(2) {
                kiln_dict_delitem(t.p(d), k * 37 % 101);
            }
            assert!(!crate::exc::is_pending());
            assert_eq!(t.dict_len(d), 50);
            // Overwriting keeps the position; re-inserting a deleted key appends it.
            t.dict_set(d, Val::W(37), Val::W(1000));
            t.dict_set(d, Val::W(0), Val::W(2000));
            let got = pairs(t, d);
            let mut want: Vec<(u64, u64)> = (1..100).step_by(2).map(|k: u64| (k * 37 % 101, if k == 1 { 1000 } else { k })).collect();
            want.push((0, 2000));
            assert_eq!(got, want);
            for k in 0..1000i64 {
                t.dict_set(d, Val::W(5000 + k as u64), Val::W(0));
                kiln_dict_delitem(t.p(d), 5000 + k);
            }
            assert_eq!(pairs(t, d), want, "churn leaves the items as they were");
            assert!((*(*t.p::<RDict>(d)).entries).length < 200, "deleted entries are compacted away");
        });
    }

    #[test]
    fn string_keys_and_key_errors() {
        each_gc(|t| unsafe {
            let d = t.dict(&DICT_STR_INT);
            let words = ["alpha", "beta", "gamma", "δέλτα", ""];
            for (i, w) in words.iter().enumerate() {
                let k = t.str(w);
                t.dict_set(d, Val::H(k), Val::W(i as u64));
            }
            for (i, w) in words.iter().enumerate() {
                let k = t.str(w);
                assert_eq!(kiln_dict_getitem(t.p(d), t.w(k) as i64), i as i64, "{w}");
                assert!(kiln_dict_contains(t.p(d), t.w(k) as i64));
            }
            let missing = t.str("it's");
            assert_eq!(kiln_dict_getitem(t.p(d), t.w(missing) as i64), 0);
            assert_eq!(take_exc().as_deref(), Some("KeyError: \"it's\""));
            kiln_dict_delitem(t.p(d), t.w(missing) as i64);
            assert_eq!(take_exc().as_deref(), Some("KeyError: \"it's\""));
            assert_eq!(kiln_dict_pop(t.p(d), t.w(missing) as i64), 0);
            assert_eq!(take_exc().as_deref(), Some("KeyError: \"it's\""));
            let ints = t.dict(&DICT_INT_INT);
            kiln_dict_getitem(t.p(ints), 5);
            assert_eq!(take_exc().as_deref(), Some("KeyError: 5"));
            let beta = t.str("beta");
            assert_eq!(kiln_dict_get(t.p(d), t.w(beta) as i64, -7), 1);
            assert_eq!(kiln_dict_get(t.p(d), t.w(missing) as i64, -7), -7);
            assert_eq!(kiln_dict_pop_default(t.p(d), t.w(missing) as i64, -7), -7);
            assert_eq!(kiln_dict_pop(t.p(d), t.w(beta) as i64), 1);
            assert!(!kiln_dict_contains(t.p(d), t.w(beta) as i64));
            assert_eq!(kiln_dict_pop_default(t.p(d), t.w(beta) as i64, 9), 9);
            assert_eq!(kiln_dict_setdefault(t.p(d), t.w(beta) as i64, 42), 42);
            assert_eq!(kiln_dict_setdefault(t.p(d), t.w(beta) as i64, 43), 42);
            let keys = t.keep(kiln_dict_keys(t.p(d), typeid::LIST_STR as i64, typeid::ARRAY_STR as i64));
            assert_eq!(t.str_items(keys), ["alpha", "gamma", "δέλτα", "", "beta"]);
            let values = t.keep(kiln_dict_values(t.p(d), LT, AT));
            assert_eq!(t.int_items(values), [0, 2, 3, 4, 42]);
        });
    }

    #[test]
    fn reference_values_survive_collections() {
        each_gc(|t| unsafe {
            let d = t.dict(&DICT_INT_STR);
            for k in 0..50u64 {
                let v = t.str(&format!("v{k}"));
                t.dict_set(d, Val::W(k), Val::H(v));
            }
            crate::gc::collect();
            for k in 0..50i64 {
                assert_eq!(text(kiln_dict_getitem(t.p(d), k) as *const RStr), format!("v{k}"));
            }
            kiln_dict_clear(t.p(d));
            assert_eq!(t.dict_len(d), 0);
            assert!(!kiln_dict_contains(t.p(d), 3));
            assert_eq!(kiln_dict_next(t.p(d), 0), -1);
            let v = t.str("again");
            t.dict_set(d, Val::W(3), Val::H(v));
            assert_eq!(text(kiln_dict_getitem(t.p(d), 3) as *const RStr), "again");
        });
    }

    #[test]
    fn instance_and_tuple_keys() {
        each_gc(|t| unsafe {
            let d = t.dict(&DICT_INST_INT);
            let objs: Vec<H> = (0..40).map(|_| t.instance()).collect();
            for (i, o) in objs.iter().enumerate() {
                t.dict_set(d, Val::H(*o), Val::W(i as u64));
                let _ = t.str("garbage between insertions");
            }
            crate::gc::collect();
            for (i, o) in objs.iter().enumerate() {
                assert_eq!(kiln_dict_getitem(t.p(d), t.w(*o) as i64), i as i64);
            }
            let other = t.instance();
            assert!(!kiln_dict_contains(t.p(d), t.w(other) as i64));
            kiln_dict_getitem(t.p(d), t.w(other) as i64);
            assert_eq!(take_exc().as_deref(), Some("KeyError: <Thing object>"));
            let td = t.dict(&DICT_TUPLE_STR);
            let (a, b) = (t.str("a"), t.str("a"));
            let (k1, k2) = (t.tuple_int_str(1, a), t.tuple_int_str(1, b));
            let v = t.str("found");
            t.dict_set(td, Val::H(k1), Val::H(v));
            assert_eq!(text(kiln_dict_getitem(t.p(td), t.w(k2) as i64) as *const RStr), "found", "equal tuples are the same key");
            let k3 = t.tuple_int_str(2, a);
            kiln_dict_getitem(t.p(td), t.w(k3) as i64);
            assert_eq!(take_exc().as_deref(), Some("KeyError: (2, 'a')"));
        });
    }

    #[test]
    fn float_keys_follow_float_equality() {
        each_gc(|t| unsafe {
            let d = t.dict(&DICT_FLOAT_INT);
            t.dict_set(d, Val::W(0.0f64.to_bits()), Val::W(1));
            t.dict_set(d, Val::W((-0.0f64).to_bits()), Val::W(2));
            assert_eq!(t.dict_len(d), 1, "0.0 == -0.0");
            assert_eq!(kiln_dict_getitem(t.p(d), 0.0f64.to_bits() as i64), 2);
            kiln_dict_getitem(t.p(d), 1.5f64.to_bits() as i64);
            assert_eq!(take_exc().as_deref(), Some("KeyError: 1.5"));
        });
    }

    #[test]
    fn copy_update_and_equality() {
        each_gc(|t| unsafe {
            let a = t.dict(&DICT_INT_STR);
            for k in 0..20u64 {
                let v = t.str(&k.to_string());
                t.dict_set(a, Val::W(k), Val::H(v));
            }
            kiln_dict_delitem(t.p(a), 3);
            let b = t.keep(kiln_dict_copy(t.p(a)));
            assert_eq!(t.dict_len(b), 19);
            assert_eq!(pairs(t, a), pairs(t, b));
            assert!(rdesc::kiln_eq(t.w(a) as i64, t.w(b) as i64, &DICT_INT_STR_DESC));
            let x = t.str("x");
            t.dict_set(b, Val::W(3), Val::H(x));
            assert!(!rdesc::kiln_eq(t.w(a) as i64, t.w(b) as i64, &DICT_INT_STR_DESC));
            assert_eq!(t.dict_len(a), 19, "the copy is separate");
            let c = t.dict(&DICT_INT_STR);
            let y = t.str("y");
            t.dict_set(c, Val::W(100), Val::H(y));
            t.dict_set(c, Val::W(0), Val::H(y));
            kiln_dict_update(t.p(c), t.p(b));
            assert_eq!(t.dict_len(c), 21);
            assert_eq!(text(kiln_dict_getitem(t.p(c), 0) as *const RStr), "0");
            assert_eq!(pairs(t, c)[0].0, 100, "updated keys keep their position");
            kiln_dict_update(t.p(c), t.p(c));
            assert_eq!(t.dict_len(c), 21);
            let e = t.dict(&DICT_INT_STR);
            let ec = t.keep(kiln_dict_copy(t.p(e)));
            assert_eq!(t.dict_len(ec), 0);
            let z = t.str("z");
            t.dict_set(ec, Val::W(1), Val::H(z));
            assert_eq!(t.dict_len(ec), 1);
        });
    }

    #[test]
    fn prebuilt_dicts_get_their_table_on_first_use() {
        each_gc(|t| unsafe {
            // A dict as the compiler emits one: live entries with hash 0, no table, a
            // full entries array.
            let arr = alloc_entries(ENTRIES_PI as i64, 3);
            let arr_h = t.keep(arr);
            let keys = ["one", "two", "three"];
            for (i, k) in keys.iter().enumerate() {
                let s = t.str(k);
                let arr = t.p::<RArray>(arr_h);
                let e = &mut *(addr_of_mut!((*arr).items) as *mut REntry).add(i);
                *e = REntry { state: 1, hash: 0, key: t.w(s), value: i as u64 + 1 };
                gc::write_barrier(arr as *mut u8);
            }
            let d = alloc::gc_malloc(DICT, size_of::<RDict>() as u64) as *mut RDict;
            (*d).desc = &DICT_STR_INT;
            (*d).entries = t.p(arr_h);
            (*d).num_items = 3;
            (*d).num_used = 3;
            let d = t.keep(d);
            let two = t.str("two");
            assert!(kiln_dict_contains(t.p(d), t.w(two) as i64));
            assert!(!(*t.p::<RDict>(d)).indexes.is_null(), "the lookup built the table");
            assert_eq!(kiln_dict_getitem(t.p(d), t.w(two) as i64), 2);
            let four = t.str("four");
            t.dict_set(d, Val::H(four), Val::W(4));
            assert_eq!(t.dict_len(d), 4);
            let ks = t.keep(kiln_dict_keys(t.p(d), typeid::LIST_STR as i64, typeid::ARRAY_STR as i64));
            assert_eq!(t.str_items(ks), ["one", "two", "three", "four"]);
        });
    }

    #[test]
    fn lookups_work_without_memory_for_a_table() {
        // Room for startup and the dict below, not for a table made without collecting.
        let _session = start(&crate::gc::none::kiln_gc_none_collector, crate::config::RtConfig { max_heap: Some(400), ..Default::default() });
        let t = Tester::new();
        unsafe {
            let arr = alloc_entries(ENTRIES_II as i64, 2);
            assert!(!arr.is_null());
            let es = addr_of_mut!((*arr).items) as *mut REntry;
            *es = REntry { state: 1, hash: 0, key: 10, value: 1 };
            *es.add(1) = REntry { state: 1, hash: 0, key: 20, value: 2 };
            let d = alloc::gc_malloc(DICT, size_of::<RDict>() as u64) as *mut RDict;
            assert!(!d.is_null());
            (*d).desc = &DICT_INT_INT;
            (*d).entries = arr;
            (*d).num_items = 2;
            (*d).num_used = 2;
            while !alloc::malloc_no_collect(typeid::ARRAY_SIGNED, 64).is_null() {}
            assert_eq!(kiln_dict_getitem(d, 20), 2);
            assert!(kiln_dict_contains(d, 10));
            assert!(!kiln_dict_contains(d, 30));
            assert!((*d).indexes.is_null(), "found by scanning");
            assert!(!crate::exc::is_pending());
            drop(t);
        }
    }
}
