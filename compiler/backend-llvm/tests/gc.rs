//! End-to-end tests of the GC transform and the collectors: hand-built programs are
//! translated for every collector, linked with the runtime and run, normally and with
//! `KILN_GC_DEBUG=1` (a collection and a heap check at every allocation).

mod support;

use kiln_lltype::GcPolicy;
use support::programs::*;
use support::{translate, Run};

const DEBUG: &[(&str, &str)] = &[("KILN_GC_DEBUG", "1")];

fn assert_output(run: &Run, expected: &str, what: &str) {
    assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), (expected, "", Some(0)), "{what}");
}

/// Translates `make()` for every collector at O2 and runs it with each environment.
fn check_every_collector(make: impl Fn() -> (kiln_lltype::LlProgram, String), envs: &[&[(&str, &str)]]) {
    check_with_args(make, &[], envs);
}

fn check_with_args(make: impl Fn() -> (kiln_lltype::LlProgram, String), args: &[&str], envs: &[&[(&str, &str)]]) {
    for policy in GcPolicy::ALL {
        let (prog, expected) = make();
        let exe = translate(prog, policy, 2);
        for env in envs {
            let run = exe.run(args, env);
            assert_output(&run, &expected, &format!("{policy} with {env:?}"));
        }
    }
}

#[test]
fn deep_linked_structures_survive() {
    check_with_args(|| (deep_list_program(), deep_list_expected(200_000)), &["200000"], &[&[], &[("KILN_GC_NURSERY", "64k")]]);
    check_with_args(|| (deep_list_program(), deep_list_expected(1500)), &["1500"], &[DEBUG]);
}

#[test]
fn cycles_reachable_through_a_mutated_prebuilt_object_survive() {
    check_with_args(ring_program, &["100000"], &[&[], &[("KILN_GC_NURSERY", "64k")]]);
    check_with_args(ring_program, &["3000"], &[DEBUG]);
}

#[test]
fn big_arrays_written_when_old_keep_their_items() {
    check_with_args(|| (big_array_program(), big_array_expected(20_000)), &["20000"], &[&[], &[("KILN_GC_NURSERY", "64k")]]);
    // Just over the size allocated outside the nursery (2046 items), so it has cards.
    check_with_args(|| (big_array_program(), big_array_expected(2100)), &["2100"], &[DEBUG]);
}

#[test]
fn strings_built_in_a_loop_survive_moving_collections() {
    check_every_collector(strings_program, &[&[], DEBUG]);
}

#[test]
fn deep_recursion_raises_recursion_error_which_handlers_catch() {
    check_every_collector(recursion_program, &[&[], &[("KILN_STACK_LIMIT", "1m")], &[("KILN_STACK_LIMIT", "96k"), ("KILN_GC_DEBUG", "1")]]);
}

#[test]
fn many_short_lived_objects_and_deep_trees() {
    for policy in GcPolicy::ALL {
        let exe = translate(binary_trees_program(), policy, 2);
        let run = exe.run(&["10"], &[]);
        assert_output(&run, &binary_trees_expected(10), &format!("{policy}"));
        let run = exe.run(&["6"], DEBUG);
        assert_output(&run, &binary_trees_expected(6), &format!("{policy}, debug"));
    }
}

#[test]
fn exhausting_the_heap_raises_memory_error_which_a_handler_catches() {
    for policy in GcPolicy::ALL {
        let exe = translate(memory_error_program(), policy, 2);
        for env in [&[("KILN_GC_MAX_HEAP", "4m")][..], &[("KILN_GC_MAX_HEAP", "192k"), ("KILN_GC_DEBUG", "1")]] {
            let run = exe.run(&["x"], env);
            if policy == GcPolicy::None {
                // Nothing is ever freed: the allocations after the handler fail too.
                assert_eq!((run.stdout.as_str(), run.stderr.as_str(), run.code), ("caught\n", "MemoryError\n", Some(1)), "{policy} with {env:?}");
            } else {
                assert_output(&run, "caught\n1999\n", &format!("{policy} with {env:?}"));
            }
        }
    }
}

#[test]
fn the_same_programs_run_at_o0() {
    for policy in [GcPolicy::Semispace, GcPolicy::Incminimark] {
        let (prog, expected) = ring_program();
        let run = translate(prog, policy, 0).run(&["3000"], DEBUG);
        assert_output(&run, &expected, &format!("{policy} at O0"));
    }
}

#[test]
fn statistics_are_printed_after_the_output() {
    for policy in GcPolicy::ALL {
        let exe = translate(binary_trees_program(), policy, 2);
        let run = exe.run(&["8"], &[("KILN_GC_STATS", "1")]);
        assert_eq!(run.stdout, binary_trees_expected(8), "{policy}");
        assert!(run.stderr.starts_with(&format!("kiln gc stats: collector {policy}\n")), "{policy}: {}", run.stderr);
        assert!(run.stderr.contains("peak heap: "), "{}", run.stderr);
    }
}

#[test]
fn bad_gc_settings_are_reported_at_startup() {
    let exe = translate(binary_trees_program(), GcPolicy::Incminimark, 0);
    let run = exe.run(&["4"], &[("KILN_GC_DEBUG", "yes")]);
    assert_eq!((run.stdout.as_str(), run.code), ("", Some(70)));
    assert!(run.stderr.contains("invalid KILN_GC_DEBUG=\"yes\""), "{}", run.stderr);
}

/// Generated code names only its collector's entry points, so the linker's
/// `--gc-sections` keeps that collector (and `none`, the runtime's fallback) and drops the
/// others (DESIGN §7).
#[test]
fn the_linker_keeps_only_the_collector_a_program_uses() {
    let exe = translate(binary_trees_program(), GcPolicy::Marksweep, 2);
    let out = std::process::Command::new("nm").arg(&exe.exe).output().expect("nm (binutils, which links the binaries) runs");
    let symbols = String::from_utf8_lossy(&out.stdout);
    let has = |name: &str| symbols.lines().any(|l| l.ends_with(&format!(" {name}")));
    assert!(has("kiln_gc_marksweep_malloc_slow") && has("kiln_gc_marksweep_collector"));
    for dropped in ["kiln_gc_semispace_malloc_slow", "kiln_gc_incminimark_malloc_slow", "kiln_gc_incminimark_wb"] {
        assert!(!has(dropped), "{dropped} is linked in");
    }
}
