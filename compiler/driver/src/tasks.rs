//! The translation's task list, in one place and in order, as in RPython's
//! `translator/driver.py`: each task has a name, the tasks it depends on, and a timing.
//!
//! ```text
//! import → flow → annotate → rtype → transform ─┬→ llinterp
//!                                               └→ llvm → link
//! ```
//!
//! A command names its goal and [`plan`] lists the tasks to run, dependencies first. The
//! transform task runs the transform crate's own pass list (stack checks, exceptions, GC),
//! whose per-pass timings are kept under it.

use std::fmt;
use std::time::Duration;

/// One stage of the translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Task {
    /// Parse the main module and evaluate it and its imports at import time.
    Import,
    /// Build the flow graph of every function reachable from the entry point.
    Flow,
    /// Whole-program type inference.
    Annotate,
    /// Flow graphs and annotations to low-level graphs.
    Rtype,
    /// The translation aspects on low-level graphs: exceptions, GC, stack checks.
    Transform,
    /// Run the low-level graphs on the llinterp.
    LlInterp,
    /// Low-level graphs to optimized LLVM IR and object code.
    Llvm,
    /// Write the output: link the executable with the runtime, or write the IR or object.
    Link,
}

/// A task's declaration.
#[derive(Debug)]
pub struct TaskDef {
    pub task: Task,
    /// The name in timings and `-v` output.
    pub name: &'static str,
    /// The verb of its progress line.
    pub verb: &'static str,
    pub deps: &'static [Task],
}

/// Every task, in the order a full translation runs them.
pub const TASKS: &[TaskDef] = &[
    TaskDef { task: Task::Import, name: "import", verb: "Importing", deps: &[] },
    TaskDef { task: Task::Flow, name: "flow", verb: "Building", deps: &[Task::Import] },
    TaskDef { task: Task::Annotate, name: "annotate", verb: "Annotating", deps: &[Task::Flow] },
    TaskDef { task: Task::Rtype, name: "rtype", verb: "RTyping", deps: &[Task::Annotate] },
    TaskDef { task: Task::Transform, name: "transform", verb: "Transforming", deps: &[Task::Rtype] },
    TaskDef { task: Task::LlInterp, name: "llinterp", verb: "Running", deps: &[Task::Transform] },
    TaskDef { task: Task::Llvm, name: "llvm", verb: "Compiling", deps: &[Task::Transform] },
    TaskDef { task: Task::Link, name: "link", verb: "Linking", deps: &[Task::Llvm] },
];

impl Task {
    pub fn def(self) -> &'static TaskDef {
        TASKS.iter().find(|d| d.task == self).expect("every task is declared in TASKS")
    }

    pub fn name(self) -> &'static str {
        self.def().name
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The tasks to run to reach `goal`, each after its dependencies, each once.
pub fn plan(goal: Task) -> Vec<Task> {
    fn visit(t: Task, out: &mut Vec<Task>) {
        if out.contains(&t) {
            return;
        }
        for &d in t.def().deps {
            visit(d, out);
        }
        out.push(t);
    }
    let mut out = Vec::new();
    visit(goal, &mut out);
    out
}

/// How long one task took, with the passes it ran when it has any.
#[derive(Clone, Debug)]
pub struct TaskTiming {
    pub task: Task,
    pub elapsed: Duration,
    pub passes: Vec<(String, Duration)>,
}

/// The timings of one command, in the order the tasks ran.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub tasks: Vec<TaskTiming>,
}

impl Timings {
    pub fn record(&mut self, task: Task, elapsed: Duration, passes: Vec<(String, Duration)>) {
        self.tasks.push(TaskTiming { task, elapsed, passes });
    }

    pub fn get(&self, task: Task) -> Option<&TaskTiming> {
        self.tasks.iter().find(|t| t.task == task)
    }

    pub fn total(&self) -> Duration {
        self.tasks.iter().map(|t| t.elapsed).sum()
    }

    /// A table of the timings, one task per line with its passes under it.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for t in &self.tasks {
            out.push_str(&format!("{:<12} {:>10}\n", t.task.name(), format_duration(t.elapsed)));
            for (pass, d) in &t.passes {
                out.push_str(&format!("  {:<10} {:>10}\n", pass, format_duration(*d)));
            }
        }
        out.push_str(&format!("{:<12} {:>10}\n", "total", format_duration(self.total())));
        out
    }
}

/// `1.23s` from a second on, `12.3ms` below.
pub fn format_duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2}s", d.as_secs_f64())
    } else {
        format!("{:.1}ms", d.as_secs_f64() * 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_list_dependencies_first() {
        use Task::*;
        assert_eq!(plan(Import), vec![Import]);
        assert_eq!(plan(LlInterp), vec![Import, Flow, Annotate, Rtype, Transform, LlInterp]);
        assert_eq!(plan(Link), vec![Import, Flow, Annotate, Rtype, Transform, Llvm, Link]);
    }

    #[test]
    fn every_dependency_is_declared_earlier() {
        for (i, def) in TASKS.iter().enumerate() {
            for d in def.deps {
                let j = TASKS.iter().position(|x| x.task == *d).unwrap();
                assert!(j < i, "{} depends on the later {}", def.name, d);
            }
        }
    }

    #[test]
    fn the_table_lists_tasks_passes_and_the_total() {
        let mut t = Timings::default();
        t.record(Task::Import, Duration::from_millis(2), Vec::new());
        t.record(Task::Transform, Duration::from_millis(3), vec![("exceptions".into(), Duration::from_millis(1))]);
        assert_eq!(t.total(), Duration::from_millis(5));
        assert_eq!(t.get(Task::Transform).unwrap().passes.len(), 1);
        assert_eq!(
            t.table(),
            "import            2.0ms\ntransform         3.0ms\n  exceptions      1.0ms\ntotal             5.0ms\n"
        );
    }

    #[test]
    fn durations_print_in_seconds_or_milliseconds() {
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.23s");
        assert_eq!(format_duration(Duration::from_micros(12_345)), "12.3ms");
    }
}
