//! The GC benchmark: the hand-built binary-trees program (`tests/support/programs.rs`)
//! translated at `--opt=2` for every collector and timed, with the ratios between
//! collectors. Not a test: timings depend on the machine, so it reports and never fails
//! on a number.
//!
//! ```text
//! cargo build --release -p kiln-runtime
//! cargo run --release -p kiln-backend-llvm --example gcbench -- [max_depth] [runs]
//! ```
//! Each collector's binary runs `runs` times (best time kept) with `KILN_GC_STATS=1`,
//! whose summary gives the collection counts, the longest pause and the peak heap. With
//! `KILN_GCBENCH_KEEP=DIR` the binaries are copied to `DIR/binary-trees-<collector>` (for
//! profiling them).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::Instant;

use kiln_lltype::GcPolicy;
use support::programs::{binary_trees_expected, binary_trees_program};

struct Row {
    policy: GcPolicy,
    best: f64,
    stats: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let depth: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let expected = binary_trees_expected(depth);
    let mut rows = Vec::new();
    for policy in GcPolicy::ALL {
        let exe = support::translate(binary_trees_program(), policy, 2);
        if let Some(dir) = std::env::var_os("KILN_GCBENCH_KEEP") {
            let to = std::path::Path::new(&dir).join(format!("binary-trees-{policy}"));
            std::fs::copy(&exe.exe, &to).expect("the binary can be copied");
        }
        let mut best = f64::INFINITY;
        let mut stats = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let out = Command::new(&exe.exe).arg(depth.to_string()).env("KILN_GC_STATS", "1").output().expect("the benchmark runs");
            let t = start.elapsed().as_secs_f64();
            let stdout = String::from_utf8_lossy(&out.stdout);
            if stdout != expected || !out.status.success() {
                eprintln!("{policy}: wrong output or status {:?}:\n{stdout}\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr));
                std::process::exit(1);
            }
            if t < best {
                best = t;
                stats = String::from_utf8_lossy(&out.stderr).into_owned();
            }
        }
        rows.push(Row { policy, best, stats });
    }
    let base = rows.iter().find(|r| r.policy == GcPolicy::Incminimark).map_or(1.0, |r| r.best);
    println!("binary-trees, max depth {depth}, --opt=2, best of {runs} runs");
    println!("{:<12} {:>9} {:>14}", "collector", "time (s)", "vs incminimark");
    for r in &rows {
        println!("{:<12} {:>9.3} {:>13.2}x", r.policy.name(), r.best, r.best / base);
    }
    for r in &rows {
        print!("\n{}", r.stats);
    }
}
