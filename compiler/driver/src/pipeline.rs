//! Runs the tasks of [`crate::tasks`] in order on one program, keeping what each produces,
//! timing each, showing progress, and gathering diagnostics.
//!
//! Every stage call goes through [`crate::ice::catch`], so a panic becomes an internal
//! compiler error. Diagnostics are collected in [`Pipeline::diags`] and, when
//! [`Pipeline::emit`] is set, rendered on stderr at the end of each task: this is the
//! boundary where user errors become text.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use kiln_backend_llvm::{BackendError, BackendOptions, Compiled, Emit};
use kiln_diagnostics::{Diagnostic, SourceMap};
use kiln_flowgraph::verify_graph;
use kiln_frontend::{ObjId, Object, Program, Value};
use kiln_llinterp::{LlInterpError, RunOptions};
use kiln_lltype::LlProgram;
use kiln_transform::TransformOptions;

use crate::db::{Database, Db, SourceFile};
use crate::flow::{self, FlowGraph, Reach};
use crate::options::{Options, Verbosity};
use crate::progress::Progress;
use crate::report::plain_error;
use crate::tasks::{format_duration, plan, Task, Timings};
use crate::typing::{self, Annotated};
use crate::{ice, load};

/// Why the pipeline stopped before its goal; the reasons are in [`Pipeline::diags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

type TaskResult = Result<(), Stopped>;

/// One program's way through the tasks.
pub struct Pipeline {
    pub opts: Options,
    /// Run the GC transform (for the backend; never for the llinterp).
    pub gc_transform: bool,
    pub progress: Progress,
    pub db: Database,
    pub input: PathBuf,
    pub timings: Timings,
    /// Every diagnostic so far, in the order found.
    pub diags: Vec<Diagnostic>,
    /// Render diagnostics on stderr as tasks end (the command-line driver does; tests read
    /// [`Pipeline::diags`]).
    pub emit: bool,
    /// Go on after a stage with errors when the next stage can still find more (`check`).
    pub keep_going: bool,
    /// What `llvm` and `link` do.
    pub backend: BackendOptions,
    /// Where `link` writes.
    pub output: Option<PathBuf>,
    /// The output was not given with `-o`: a target's `driver.exe_name` replaces it.
    pub output_is_default: bool,
    /// The arguments `llinterp` runs the program with (`argv[0]` first).
    pub argv: Vec<String>,
    emitted: usize,
    done: Vec<Task>,
    /// Whether a task has failed: later calls of [`Pipeline::run_to`] stop too.
    failed: bool,

    pub root: Option<SourceFile>,
    pub program: Option<Arc<Program>>,
    pub entry: Option<ObjId>,
    /// The flow graphs of the reachable functions, entry first.
    pub graphs: Vec<Arc<FlowGraph>>,
    pub annotated: Option<Annotated>,
    pub ll: Option<LlProgram>,
    pub compiled: Option<Compiled>,
    /// The program's exit status, after `llinterp`.
    pub exit_code: Option<i32>,
}

impl Pipeline {
    pub fn new(opts: Options, progress: Progress, input: impl Into<PathBuf>) -> Pipeline {
        let jit = opts.jit;
        let mut input = input.into();
        // A bare `prog.py` has the empty path as its directory; `./prog.py` names the
        // directory imports are searched in as `.`, which reads better in diagnostics.
        if input.parent() == Some(Path::new("")) {
            input = Path::new(".").join(input);
        }
        Pipeline {
            opts,
            gc_transform: false,
            progress,
            db: Database::with_jit(jit),
            input,
            timings: Timings::default(),
            diags: Vec::new(),
            emit: false,
            keep_going: false,
            backend: BackendOptions::default(),
            output: None,
            output_is_default: false,
            argv: Vec::new(),
            emitted: 0,
            done: Vec::new(),
            failed: false,
            root: None,
            program: None,
            entry: None,
            graphs: Vec::new(),
            annotated: None,
            ll: None,
            compiled: None,
            exit_code: None,
        }
    }

    /// The input as diagnostics and progress name it.
    pub fn input_name(&self) -> String {
        self.input.strip_prefix(".").unwrap_or(&self.input).display().to_string()
    }

    /// Runs every task `goal` needs that has not run yet, stopping at the first that fails
    /// (unless [`Pipeline::keep_going`] lets a later one find more errors).
    pub fn run_to(&mut self, goal: Task) -> TaskResult {
        let mut result = if self.failed { Err(Stopped) } else { Ok(()) };
        for task in plan(goal) {
            if self.done.contains(&task) {
                continue;
            }
            if result.is_err() && !(self.keep_going && self.can_run_after_errors(task)) {
                break;
            }
            let r = self.run_task(task);
            self.done.push(task);
            self.failed |= r.is_err();
            result = result.and(r);
        }
        result
    }

    /// Whether `task` still has its inputs after earlier errors: the annotator can type
    /// the functions whose graphs were built, nothing after it can work on a program with
    /// holes.
    fn can_run_after_errors(&self, task: Task) -> bool {
        task == Task::Annotate && self.program.is_some() && self.entry.is_some()
    }

    fn run_task(&mut self, task: Task) -> TaskResult {
        let def = task.def();
        let what = self.describe(task);
        let start = Instant::now();
        if task == Task::LlInterp {
            // The program writes to the terminal: the line must be complete before it runs.
            self.progress.status(def.verb, &what);
        } else if task == Task::Link && self.backend.emit != Emit::Bin {
            self.progress.start("Writing", &what);
        } else {
            self.progress.start(def.verb, &what);
        }
        let mut passes = Vec::new();
        let result = match task {
            Task::Import => self.import(),
            Task::Flow => self.flow(),
            Task::Annotate => self.annotate(),
            Task::Rtype => self.rtype(),
            Task::Transform => self.transform(&mut passes),
            Task::LlInterp => self.llinterp(),
            Task::Llvm => self.llvm(),
            Task::Link => self.link(),
        };
        let elapsed = start.elapsed();
        self.progress.finish(elapsed);
        if task == Task::LlInterp {
            self.progress.detail(&format!("ran in {}", format_duration(elapsed)));
        }
        for (pass, d) in &passes {
            self.progress.detail(&format!("{pass}: {}", format_duration(*d)));
        }
        self.timings.record(task, elapsed, passes);
        self.details(task);
        self.flush_diagnostics();
        result
    }

    /// What a task's progress line says it works on.
    fn describe(&self, task: Task) -> String {
        match task {
            Task::Import => self.input_name(),
            Task::Flow => "flow graphs from `entry_point`".to_string(),
            Task::Annotate => plural(self.graphs.len(), "function"),
            Task::Rtype => plural(self.annotated.as_ref().map_or(0, Annotated::graph_count), "graph"),
            Task::Transform => {
                let jit = self.opts.jit && self.gc_transform;
                let passes: Vec<&str> = kiln_transform::PASSES.iter().map(|(n, _)| *n).filter(|n| (self.gc_transform || *n != "gc") && (jit || *n != "jitportal")).collect();
                if self.gc_transform {
                    format!("{} (gc: {})", passes.join(", "), self.opts.gc)
                } else {
                    passes.join(", ")
                }
            }
            Task::LlInterp => format!("`{}` on the llinterp", self.input_name()),
            Task::Llvm => format!("{} with LLVM (opt-level {})", plural(self.ll.as_ref().map_or(0, |l| l.funcs.len()), "function"), self.backend.opt_level),
            Task::Link => self.output.as_deref().map_or_else(String::new, |p| p.display().to_string()),
        }
    }

    /// The `-v` lines after a task: sizes of what it produced.
    fn details(&mut self, task: Task) {
        if self.progress.verbosity() < Verbosity::Verbose {
            return;
        }
        let line = match task {
            Task::Import => self.program.as_ref().map(|p| format!("{}, {} import-time objects", plural(p.modules.len(), "module"), p.heap.len())),
            Task::Flow => {
                let built: Vec<_> = self.graphs.iter().filter_map(|g| g.graph.as_ref()).collect();
                let blocks: usize = built.iter().map(|g| g.reachable_blocks().len()).sum();
                let ops: usize = built.iter().map(|g| g.op_count()).sum();
                Some(format!("{}, {blocks} blocks, {ops} operations", plural(built.len(), "graph")))
            }
            Task::Annotate => self.annotated.as_ref().map(|a| format!("{} annotated", plural(a.graph_count(), "graph"))),
            Task::Rtype | Task::Transform => self.ll.as_ref().map(|ll| {
                let blocks: usize = ll.funcs.iter().map(|f| f.graph.reachable_blocks().len()).sum();
                let ops: usize = ll.funcs.iter().map(|f| f.graph.op_count()).sum();
                format!("{} low-level graphs, {blocks} blocks, {ops} operations, {} prebuilt objects", ll.funcs.len(), ll.statics.len())
            }),
            Task::Llvm => self.compiled.as_ref().map(|c| {
                let defs = c.llvm_ir.lines().filter(|l| l.starts_with("define ")).count();
                let obj = c.object.as_ref().map_or(String::new(), |o| format!(", {} bytes of object code", o.len()));
                format!("{defs} LLVM functions{obj}")
            }),
            Task::LlInterp | Task::Link => None,
        };
        if let Some(line) = line {
            self.progress.detail(&line);
        }
    }

    /// Adds diagnostics; returns whether any is an error.
    fn add(&mut self, diags: impl IntoIterator<Item = Diagnostic>) -> bool {
        let mut errors = false;
        for d in diags {
            errors |= d.is_error();
            if !self.diags.contains(&d) {
                self.diags.push(d);
            }
        }
        errors
    }

    fn fail(&mut self, d: Diagnostic) -> TaskResult {
        self.add([d]);
        Err(Stopped)
    }

    /// The source map every diagnostic so far refers to.
    pub fn source_map(&self) -> SourceMap {
        self.db.source_map()
    }

    /// Renders the diagnostics not rendered yet, when [`Pipeline::emit`] is set.
    pub fn flush_diagnostics(&mut self) {
        if !self.emit || self.emitted == self.diags.len() {
            return;
        }
        self.progress.close();
        let map = self.source_map();
        kiln_diagnostics::emit(&map, &self.diags[self.emitted..], self.progress.color());
        self.emitted = self.diags.len();
    }

    pub fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    // ---- the tasks ----

    fn import(&mut self) -> TaskResult {
        let input = self.input.clone();
        let root = match self.db.file(&input) {
            Ok(f) => f,
            Err(e) => return self.fail(load::cannot_read(Path::new(&self.input_name()), &e)),
        };
        self.root = Some(root);
        let db = &self.db;
        let prog = match ice::catch("import", || crate::db::program(db, root)) {
            Ok(p) => p,
            Err(ice) => return self.fail(ice),
        };
        let errors = self.add(prog.diagnostics.iter().cloned());
        self.program = Some(prog.clone());
        if errors {
            return Err(Stopped);
        }
        if let Some(name) = prog.target.as_ref().and_then(|t| t.exe_name.as_deref()).filter(|_| self.output_is_default) {
            // As RPython does, the executable named by the target goes in the current
            // directory.
            self.output = Some(crate::options::emit_path(PathBuf::from(name), self.backend.emit));
        }
        match find_entry(&prog, &self.input_name()) {
            Ok(entry) => {
                self.entry = Some(entry);
                Ok(())
            }
            Err(d) => self.fail(d),
        }
    }

    fn flow(&mut self) -> TaskResult {
        let (Some(prog), Some(root), Some(entry)) = (self.program.clone(), self.root, self.entry) else {
            return self.fail(Diagnostic::internal("the flow task ran without an imported program"));
        };
        let verify = self.opts.verify_ir();
        let mut reach = Reach::new(&prog, entry);
        let mut errors = false;
        while let Some(func) = reach.next_function() {
            let db = &self.db;
            let built = match ice::catch("flow", || flow::graph_of(db, root, func, &[])) {
                Ok(b) => b,
                Err(ice) => {
                    errors |= self.add([ice.with_note(format!("while building the flow graph of {}", describe_function(&prog, func)))]);
                    continue;
                }
            };
            if let Some(g) = &built.graph {
                reach.scan(g);
                if verify {
                    if let Err(e) = verify_graph(g) {
                        errors |= self.add([Diagnostic::internal(format!("the flow graph of {} is invalid: {e}", g.name))]);
                    }
                }
            }
            let strict = self.opts.strict;
            errors |= self.add(built.diagnostics.iter().cloned().map(|d| if strict { d.into_error() } else { d }));
            self.graphs.push(built);
        }
        if errors {
            Err(Stopped)
        } else {
            Ok(())
        }
    }

    fn annotate(&mut self) -> TaskResult {
        let (Some(prog), Some(root), Some(entry)) = (self.program.clone(), self.root, self.entry) else {
            return self.fail(Diagnostic::internal("the annotate task ran without an imported program"));
        };
        let db = &self.db;
        let strict = self.opts.strict;
        let severity = |d: Diagnostic| if strict { d.into_error() } else { d };
        match ice::catch("annotate", || typing::annotate(db, root, &prog, entry)) {
            Ok(Ok(ann)) => {
                // Warnings: the program translates, with checks CPython would also make.
                let errors = self.add(ann.warnings.iter().cloned().map(severity));
                self.annotated = Some(ann);
                if errors {
                    return Err(Stopped);
                }
                Ok(())
            }
            Ok(Err(diags)) => {
                self.add(diags.into_iter().map(severity));
                Err(Stopped)
            }
            Err(ice) => self.fail(ice),
        }
    }

    fn rtype(&mut self) -> TaskResult {
        let (Some(prog), Some(ann)) = (self.program.clone(), self.annotated.as_ref()) else {
            return self.fail(Diagnostic::internal("the rtype task ran without annotations"));
        };
        let ll = match ice::catch("rtype", || typing::rtype(&prog, ann)) {
            Ok(Ok(ll)) => ll,
            Ok(Err(diags)) => {
                self.add(diags);
                return Err(Stopped);
            }
            Err(ice) => return self.fail(ice),
        };
        if self.opts.verify_ir() {
            let problems = kiln_lltype::verify::verify_program(&ll);
            if !problems.is_empty() {
                return self.fail(Diagnostic::internal(format!("the RTyper produced an invalid program:\n{}", problems.join("\n"))));
            }
        }
        self.ll = Some(ll);
        Ok(())
    }

    fn transform(&mut self, passes: &mut Vec<(String, std::time::Duration)>) -> TaskResult {
        let Some(mut ll) = self.ll.take() else {
            return self.fail(Diagnostic::internal("the transform task ran without a low-level program"));
        };
        // The transform verifies after every pass in debug builds by itself; `--verify`
        // asks for it in release builds too. The GC transform runs only for the backend:
        // the llinterp allocates and roots through the runtime by itself.
        let gc = if self.gc_transform { self.opts.gc_policy() } else { None };
        // With --jit, for the backend only: the codewriter reads the RTyper's graphs
        // before the portal rewrite and the other transforms change them.
        let mut jit = false;
        if self.opts.jit && self.gc_transform {
            match crate::jit::embed(&ll) {
                Ok(Some(embed)) => {
                    self.backend.jit = Some(embed);
                    jit = true;
                }
                Ok(None) => {
                    self.add([Diagnostic::warning("W0950", "--jit: the program has no JIT driver (no `jit_merge_point`), so the VM is built without a JIT")
                        .with_note("a JIT is generated from an interpreter's `JitDriver` and its hints (docs/jit-hints.md)")]);
                }
                Err(d) => {
                    self.ll = Some(ll);
                    return self.fail(d);
                }
            }
        }
        let options = TransformOptions { verify: self.opts.verify, gc, stack_checks: self.opts.stackcheck, jit };
        let result = ice::catch("transform", || kiln_transform::run_all(&mut ll, &options).map(|ts| (ts, ll)));
        match result {
            Ok(Ok((timings, ll))) => {
                passes.extend(timings.into_iter().map(|t| (t.pass.to_string(), t.elapsed)));
                self.ll = Some(ll);
                Ok(())
            }
            Ok(Err(e)) if e.errors.is_empty() => {
                self.add(e.diagnostics);
                Err(Stopped)
            }
            Ok(Err(e)) => self.fail(Diagnostic::internal(e.to_string().trim_start_matches("internal compiler error: ").trim_end().to_string())),
            Err(ice) => self.fail(ice),
        }
    }

    fn llinterp(&mut self) -> TaskResult {
        let Some(ll) = self.ll.as_ref() else {
            return self.fail(Diagnostic::internal("the llinterp task ran without a low-level program"));
        };
        // Our own output must reach the terminal before the program's.
        self.progress.close();
        let argv = self.argv.clone();
        match ice::catch("llinterp", || kiln_llinterp::run(ll, &argv, &RunOptions::default())) {
            Ok(Ok(code)) => {
                self.exit_code = Some(code);
                Ok(())
            }
            Ok(Err(LlInterpError::DepthLimit { depth, function })) => self.fail(
                plain_error(format!("the program recursed {depth} calls deep (in {function}) and the llinterp stopped it"))
                    .with_note("the llinterp's own depth limit; a translated binary raises RecursionError instead"),
            ),
            Ok(Err(e)) => self.fail(Diagnostic::internal(e.to_string())),
            Err(ice) => self.fail(ice),
        }
    }

    fn llvm(&mut self) -> TaskResult {
        let Some(ll) = self.ll.as_ref() else {
            return self.fail(Diagnostic::internal("the llvm task ran without a low-level program"));
        };
        let opts = self.backend.clone();
        match ice::catch("llvm", || kiln_backend_llvm::compile(ll, &opts)) {
            Ok(Ok(c)) => {
                self.compiled = Some(c);
                Ok(())
            }
            Ok(Err(e)) => self.fail(backend_error(e)),
            Err(ice) => self.fail(ice),
        }
    }

    fn link(&mut self) -> TaskResult {
        let (Some(compiled), Some(out)) = (self.compiled.as_ref(), self.output.as_deref()) else {
            return self.fail(Diagnostic::internal("the link task ran without compiled code or an output path"));
        };
        let opts = self.backend.clone();
        match ice::catch("link", || compiled.write(opts.emit, out, &opts)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => self.fail(backend_error(e)),
            Err(ice) => self.fail(ice),
        }
    }
}

/// The backend's errors: internal ones are Kiln bugs, the rest are about the machine.
fn backend_error(e: BackendError) -> Diagnostic {
    match e {
        BackendError::Internal(_) | BackendError::Codegen(_) | BackendError::NoObjectCode | BackendError::NoEntryPoint | BackendError::BadEntryPoint { .. } => {
            Diagnostic::internal(e.to_string().trim_start_matches("internal compiler error in the LLVM backend: ").to_string())
        }
        other => plain_error(other.to_string()),
    }
}

/// `1 graph`, `2 graphs`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A function's name for messages.
fn describe_function(prog: &Program, func: ObjId) -> String {
    prog.heap.function(func).map_or_else(|| func.to_string(), |f| format!("`{}`", f.qualname))
}

const ENTRY_SIGNATURE: &str = "expected:\n\n    def entry_point(argv: list[str]) -> int:\n        ...\n\nargv holds the program's name and its arguments; the int returned is the exit status";

/// The main module's `entry_point`, or the diagnostic saying what is wrong with it.
pub fn find_entry(prog: &Program, input_name: &str) -> Result<ObjId, Diagnostic> {
    let Some(main) = prog.main else {
        return Err(Diagnostic::internal("the program was imported without a main module"));
    };
    // A `target(driver, args)` function names the entry point itself (RPython's target
    // convention); the frontend called it.
    let value = match &prog.target {
        Some(t) => Some(Value::Obj(t.entry)),
        None => prog.heap.module(main).and_then(|m| m.globals.get("entry_point").cloned()),
    };
    let Some(value) = value else {
        return Err(Diagnostic::error("E0003", format!("`{input_name}` does not define `entry_point`"))
            .with_note("translation starts from the main module's `entry_point` function")
            .with_note(ENTRY_SIGNATURE));
    };
    let func = value.as_obj().filter(|o| matches!(prog.heap.get(*o), Object::Function(_)));
    let Some(func) = func else {
        return Err(Diagnostic::error("E0004", format!("`entry_point` must be a function, but it is {}", prog.heap.describe(&value))).with_note(ENTRY_SIGNATURE));
    };
    let f = prog.heap.function(func).expect("checked to be a function above");
    let p = &f.params;
    if p.positional.len() != 1 || p.vararg.is_some() || p.kwarg.is_some() || !p.kwonly.is_empty() {
        return Err(Diagnostic::error("E0004", "`entry_point` must take exactly one argument, `argv`")
            .with_primary(f.span, "defined here")
            .with_note(ENTRY_SIGNATURE));
    }
    Ok(func)
}

/// The file name of a path for progress lines.
pub fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Imports and flows `files` (the first is the main module) with a buffered progress
    /// sink; returns the pipeline for inspection.
    fn flow(files: &[(&str, &str)]) -> (tempfile::TempDir, Pipeline) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let main = dir.path().join(files[0].0);
        let mut p = Pipeline::new(Options::default(), Progress::buffer(Verbosity::Normal), main);
        let _ = p.run_to(Task::Flow);
        (dir, p)
    }

    /// The qualified names of the functions the flow task built, in order.
    fn built(p: &Pipeline) -> Vec<String> {
        p.graphs.iter().filter_map(|g| g.graph.as_ref()).map(|g| g.name.clone()).collect()
    }

    /// Renders the pipeline's diagnostics with the absolute temporary paths removed.
    fn rendered(dir: &tempfile::TempDir, p: &Pipeline) -> String {
        let text = kiln_diagnostics::render(&p.source_map(), &p.diags);
        text.replace(&format!("{}/", dir.path().display()), "")
    }

    #[test]
    fn reachable_functions_are_built_entry_first() {
        let (_dir, p) = flow(&[
            (
                "main.py",
                "import helper
from kiln.objectmodel import not_rpython

@not_rpython
def make_table():
    return (helper.double, triple)

def triple(x):
    return 3 * x

TABLE = make_table()

class Op:
    def run(self, x):
        return self.step(x)
    def step(self, x):
        return x

class Sub(Op):
    def step(self, x):
        return x + 1

def unused(x):
    return undefined

def entry_point(argv):
    f = TABLE[len(argv) - 1]
    return f(Sub().run(len(argv)))
",
            ),
            ("helper.py", "def double(x):\n    return 2 * x\n"),
        ]);
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        assert_eq!(built(&p), ["entry_point", "double", "triple", "Op.run", "Op.step", "Sub.step"]);
        assert!(p.source_map().len() == 2, "both files went through the parse query");
        assert_eq!(p.timings.tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Import, Task::Flow]);
    }

    #[test]
    fn the_flow_query_builds_each_graph_once() {
        let (_dir, p) = flow(&[("main.py", "def entry_point(argv):\n    return 0\n")]);
        let (root, entry) = (p.root.unwrap(), p.entry.unwrap());
        let again = flow::graph_of(&p.db, root, entry, &[]);
        assert!(Arc::ptr_eq(&again, &p.graphs[0]));
        let specialised = flow::graph_of(&p.db, root, entry, &[Some(kiln_frontend::Value::Int(1))]);
        assert!(!Arc::ptr_eq(&specialised, &p.graphs[0]));
    }

    #[test]
    fn every_function_reports_its_flow_errors() {
        let (dir, p) = flow(&[(
            "main.py",
            "def f(x):
    return missing + x

def g(x):
    import nosuchmodule
    return x

def entry_point(argv):
    return f(1) + g(2)
",
        )]);
        let text = rendered(&dir, &p);
        assert!(text.contains("error[E0202]: name 'missing' is not defined"), "{text}");
        assert!(text.contains("error[E0207]: no module named 'nosuchmodule'"), "{text}");
        assert_eq!(p.error_count(), 2);
    }

    #[test]
    fn entry_point_must_exist_take_argv_and_be_a_function() {
        let cases = [
            ("def main(argv):\n    return 0\n", "error[E0003]: `main.py` does not define `entry_point`"),
            ("entry_point = 3\n", "error[E0004]: `entry_point` must be a function, but it is int"),
            ("def entry_point():\n    return 0\n", "error[E0004]: `entry_point` must take exactly one argument, `argv`"),
        ];
        for (src, want) in cases {
            let (dir, p) = flow(&[("main.py", src)]);
            let text = rendered(&dir, &p);
            assert!(text.contains(want), "{src}\n{text}");
            assert!(text.contains("def entry_point(argv: list[str]) -> int:"), "{text}");
            assert!(p.graphs.is_empty());
        }
    }

    #[test]
    fn errors_stop_the_pipeline_unless_keep_going_allows_the_annotator() {
        let (_dir, mut p) = flow(&[("main.py", "def entry_point(argv):\n    return nope\n")]);
        assert_eq!(p.error_count(), 1);
        assert!(p.run_to(Task::Rtype).is_err());
        assert!(p.timings.get(Task::Annotate).is_none(), "a failed flow task stops translate");
        assert!(p.program.is_some() && p.entry.is_some());
        assert!(p.can_run_after_errors(Task::Annotate));
        assert!(!p.can_run_after_errors(Task::Rtype));
    }

    #[test]
    fn import_errors_and_unreadable_files_are_diagnostics() {
        let (dir, p) = flow(&[("main.py", "import nowhere\n")]);
        assert!(rendered(&dir, &p).contains("error[E0105]: no module named 'nowhere'"));
        let mut p = Pipeline::new(Options::default(), Progress::buffer(Verbosity::Quiet), dir.path().join("absent.py"));
        assert!(p.run_to(Task::Flow).is_err());
        assert_eq!(p.diags[0].code, Some("E0002"));
        assert_eq!(p.progress.take_buffer(), "");
    }

    #[test]
    fn progress_names_each_stage() {
        let (_dir, mut p) = flow(&[("main.py", "def entry_point(argv):\n    return 0\n")]);
        let text = p.progress.take_buffer();
        let lines: Vec<&str> = text.lines().map(|l| l.rsplit_once(" (").map_or(l, |(a, _)| a)).collect();
        assert_eq!(lines, [format!("   Importing {}", p.input_name()).as_str(), "    Building flow graphs from `entry_point`"]);
    }
}
