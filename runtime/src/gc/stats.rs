//! GC statistics for `KILN_GC_STATS=1`: collections by kind, pause times and the peak
//! heap, printed to stderr when the program ends (after its output is flushed).

use std::time::{Duration, Instant};

use crate::global::Global;

/// What a pause was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pause {
    /// A nursery collection (incminimark), with its share of major marking or sweeping.
    Minor,
    /// A whole collection: every pause of semispace and marksweep, and incminimark's
    /// non-incremental ones (explicit `collect()`, heap exhaustion).
    Full,
}

#[derive(Clone, Copy)]
struct Stats {
    enabled: bool,
    minor: u64,
    full: u64,
    /// Incminimark major cycles completed (each spread over many minor pauses).
    major_cycles: u64,
    total: Duration,
    max: Duration,
    peak_heap: u64,
}

const EMPTY: Stats = Stats { enabled: false, minor: 0, full: 0, major_cycles: 0, total: Duration::ZERO, max: Duration::ZERO, peak_heap: 0 };

static STATS: Global<Stats> = Global::new(EMPTY);

pub(crate) fn reset(enabled: bool) {
    // SAFETY: short exclusive access.
    unsafe { *STATS.get() = Stats { enabled, ..EMPTY } };
}

/// The clock reading a pause starts with; `None` when statistics are off (no clock read).
#[inline]
pub(crate) fn pause_start() -> Option<Instant> {
    // SAFETY: short read.
    unsafe { (*STATS.get()).enabled }.then(Instant::now)
}

/// Records a pause that began at `start` and the heap size after it.
pub(crate) fn pause_end(start: Option<Instant>, kind: Pause, heap_bytes: u64) {
    let Some(start) = start else { return };
    let d = start.elapsed();
    // SAFETY: short exclusive access.
    let s = unsafe { &mut *STATS.get() };
    match kind {
        Pause::Minor => s.minor += 1,
        Pause::Full => s.full += 1,
    }
    s.total += d;
    s.max = s.max.max(d);
    s.peak_heap = s.peak_heap.max(heap_bytes);
}

/// Counts a completed incremental major cycle.
pub(crate) fn major_cycle_done() {
    // SAFETY: short exclusive access.
    unsafe { (*STATS.get()).major_cycles += 1 };
}

/// Notes the heap size outside a pause (it may peak between collections).
#[inline]
pub(crate) fn note_heap(bytes: u64) {
    // SAFETY: short exclusive access.
    let s = unsafe { &mut *STATS.get() };
    if s.enabled && bytes > s.peak_heap {
        s.peak_heap = bytes;
    }
}

/// The summary printed at exit, or `None` when statistics are off.
pub(crate) fn report(collector: &str, heap_bytes: u64) -> Option<String> {
    note_heap(heap_bytes);
    // SAFETY: short read.
    let s = unsafe { *STATS.get() };
    if !s.enabled {
        return None;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let count = s.minor + s.full;
    let mean = if count == 0 { 0.0 } else { ms(s.total) / count as f64 };
    Some(format!(
        "kiln gc stats: collector {collector}\n  collections: {} minor, {} full, {} incremental major cycles\n  pauses: total {:.3} ms, max {:.3} ms, mean {:.3} ms\n  peak heap: {} bytes\n",
        s.minor,
        s.full,
        s.major_cycles,
        ms(s.total),
        ms(s.max),
        mean,
        s.peak_heap
    ))
}
