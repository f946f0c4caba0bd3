//! The entry cache of the warm-up loop: which compiled code a merge point's green values
//! enter, found from the raw green words without building the green key, hashing
//! instances by identity or looking up the warm state's cells. A recursive interpreter
//! enters compiled code at every call of the interpreted program (docs/jit.md,
//! "Recursive portal calls"), so this path is what such a call costs.
//!
//! Only keys whose state is `Compiled` are cached, and that state never changes, so an
//! entry is never wrong for its words. Instances among the greens are compared by
//! address, as `GreenKey` compares them; the entries' instance words are GC root slots
//! ([`EntryCache::for_each_ref_slot`]), updated when a collector moves the object, so an
//! address never names another object. A moved entry sits at its old hash's index: a
//! lookup misses it, and the slow path stores it again.

use std::rc::Rc;

/// Entries (a power of two).
const ENTRIES: usize = 512;
/// At most this many greens per driver are cached (more: the slow path only).
pub const MAX_GREENS: usize = 4;

struct Entry<T> {
    driver: u32,
    greens: [u64; MAX_GREENS],
    /// Bit `i`: green `i` is an instance (a GC root slot).
    refs: u8,
    code: Rc<T>,
}

/// A direct-mapped cache from (driver, green words) to the code their key enters.
pub struct EntryCache<T> {
    entries: Vec<Option<Entry<T>>>,
}

impl<T> Default for EntryCache<T> {
    fn default() -> EntryCache<T> {
        EntryCache { entries: (0..ENTRIES).map(|_| None).collect() }
    }
}

fn index(driver: u32, greens: &[u64]) -> usize {
    let mut h = u64::from(driver).wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &g in greens {
        h = (h ^ g).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> (64 - ENTRIES.trailing_zeros())) as usize
}

impl<T> EntryCache<T> {
    /// The code entered by `greens` (the driver's green words in order), if cached.
    #[inline]
    pub fn get(&self, driver: u32, greens: &[u64]) -> Option<&Rc<T>> {
        if greens.len() > MAX_GREENS {
            return None;
        }
        let e = self.entries[index(driver, greens)].as_ref()?;
        (e.driver == driver && e.greens[..greens.len()] == *greens).then_some(&e.code)
    }

    /// Remembers that `greens` (with instance flags `refs`) enter `code`.
    pub fn insert(&mut self, driver: u32, greens: &[u64], refs: u8, code: Rc<T>) {
        if greens.len() > MAX_GREENS {
            return;
        }
        let mut words = [0u64; MAX_GREENS];
        words[..greens.len()].copy_from_slice(greens);
        self.entries[index(driver, greens)] = Some(Entry { driver, greens: words, refs, code });
    }

    /// Calls `f` with every instance slot of the cache (a GC root source).
    pub fn for_each_ref_slot(&mut self, f: &mut dyn FnMut(&mut u64)) {
        for e in self.entries.iter_mut().flatten() {
            for (i, g) in e.greens.iter_mut().enumerate() {
                if e.refs & (1 << i) != 0 && *g != 0 {
                    f(g);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_driver_and_words_and_follow_moved_instances() {
        let mut c: EntryCache<u32> = EntryCache::default();
        assert!(c.get(0, &[1, 2]).is_none());
        c.insert(0, &[1, 0x1000], 0b10, Rc::new(7));
        assert_eq!(c.get(0, &[1, 0x1000]).map(|r| **r), Some(7));
        assert!(c.get(1, &[1, 0x1000]).is_none(), "another driver");
        assert!(c.get(0, &[2, 0x1000]).is_none(), "another int green");
        // A collector moves the instance: the slot is updated, and the old address no
        // longer names it.
        c.for_each_ref_slot(&mut |s| {
            assert_eq!(*s, 0x1000, "only the instance word is a slot");
            *s = 0x2000;
        });
        assert!(c.get(0, &[1, 0x1000]).is_none());
        // Too many greens: never cached.
        c.insert(0, &[1, 2, 3, 4, 5], 0, Rc::new(9));
        assert!(c.get(0, &[1, 2, 3, 4, 5]).is_none());
    }
}
