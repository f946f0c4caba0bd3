//! The GC policies a program can be translated for (`kiln translate --gc=NAME`) and what
//! each asks of the GC transform and the backend: one table, read by both, in the way
//! the op table serves every stage.
//!
//! A policy names a collector of the runtime (`runtime/src/gc/`); the symbols generated
//! code calls are `kiln_gc_<name>_<entry>` (see `kiln_abi::gc`), so a binary links only
//! the collector it was translated for.

use std::fmt;

/// A collector, as chosen at translation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum GcPolicy {
    /// Allocates and never frees: for tests and short runs.
    None,
    /// A copying collector over two semispaces.
    Semispace,
    /// A non-moving mark-and-sweep collector.
    Marksweep,
    /// Generational: a nursery, and an old generation marked incrementally and never
    /// moved; card marking for large arrays. The default.
    #[default]
    Incminimark,
}

impl GcPolicy {
    pub const ALL: [GcPolicy; 4] = [GcPolicy::None, GcPolicy::Semispace, GcPolicy::Marksweep, GcPolicy::Incminimark];

    /// The name `--gc=` takes and the runtime's symbols use.
    pub fn name(self) -> &'static str {
        match self {
            GcPolicy::None => "none",
            GcPolicy::Semispace => "semispace",
            GcPolicy::Marksweep => "marksweep",
            GcPolicy::Incminimark => "incminimark",
        }
    }

    /// The policy called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<GcPolicy> {
        GcPolicy::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether the collector can run at all: with `none`, nothing collects, so no GC
    /// pointer ever needs to be saved on the shadow stack.
    pub fn collects(self) -> bool {
        self != GcPolicy::None
    }

    /// Whether objects move, so that every GC pointer live across a collection point must
    /// be reloaded from the shadow stack after it. (Non-moving collectors need the shadow
    /// stack too, to find roots; the reloads are then no-ops the backend still emits.)
    pub fn moves(self) -> bool {
        matches!(self, GcPolicy::Semispace | GcPolicy::Incminimark)
    }

    /// Whether stores of GC pointers into objects that may be old need a write barrier.
    pub fn needs_write_barrier(self) -> bool {
        self == GcPolicy::Incminimark
    }

    /// Whether the barrier of stores into arrays of GC pointers marks cards.
    pub fn card_marking(self) -> bool {
        self == GcPolicy::Incminimark
    }

    /// The symbol of one of the collector's entry points: `kiln_gc_<name><suffix>`, with
    /// a suffix from `kiln_abi::gc` (`SYM_FREE`, `SYM_MALLOC_SLOW`...).
    pub fn symbol(self, suffix: &str) -> String {
        format!("{}{}{}", kiln_abi::gc::SYM_PREFIX, self.name(), suffix)
    }
}

impl fmt::Display for GcPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_runtime_contract() {
        for p in GcPolicy::ALL {
            assert_eq!(GcPolicy::from_name(p.name()), Some(p));
        }
        assert_eq!(GcPolicy::ALL.map(GcPolicy::name), kiln_abi::gc::COLLECTORS);
        assert_eq!(GcPolicy::from_name("boehm"), None);
        assert_eq!(GcPolicy::default(), GcPolicy::Incminimark);
        assert_eq!(GcPolicy::Semispace.symbol(kiln_abi::gc::SYM_MALLOC_SLOW), "kiln_gc_semispace_malloc_slow");
    }
}
