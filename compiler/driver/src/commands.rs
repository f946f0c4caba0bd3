//! The four commands the CLI calls: translate, run, dump and check. Each validates its
//! options, runs the pipeline to its goal on a thread with a large stack, reports, and
//! returns the process exit code.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use kiln_backend_llvm::{BackendOptions, Emit};
use kiln_diagnostics::Diagnostic;

use crate::flow::name_matches;
use crate::ice;
use crate::options::{DumpStage, Options, TranslateArgs, Verbosity};
use crate::pipeline::{file_name, Pipeline};
use crate::progress::Progress;
use crate::report::{exit_code_for, plain_error, EXIT_FAILURE, EXIT_ICE, EXIT_OK, EXIT_USAGE};
use crate::runtime::find_runtime_archive;
use crate::tasks::{format_duration, Task, Timings};
use crate::typing;

/// What a command did: its exit code and the time each task took.
#[derive(Debug)]
pub struct Outcome {
    pub exit_code: i32,
    pub timings: Timings,
}

fn pipeline(opts: &Options, input: &Path) -> Pipeline {
    let progress = Progress::stderr(opts.verbosity, opts.color);
    let mut p = Pipeline::new(opts.clone(), progress, input);
    p.emit = true;
    p
}

/// Reports an error found before any task ran.
fn early_error(opts: &Options, d: Diagnostic, exit_code: i32) -> Outcome {
    kiln_diagnostics::emit(&kiln_diagnostics::SourceMap::new(), &[d], Progress::stderr(opts.verbosity, opts.color).color());
    Outcome { exit_code, timings: Timings::default() }
}

/// Ends a command: the closing `error:` line when there were errors, and the exit code.
fn conclude(mut p: Pipeline, failed_what: &str) -> Outcome {
    p.flush_diagnostics();
    let mut exit_code = exit_code_for(&p.diags);
    if exit_code != EXIT_OK {
        let n = p.error_count();
        let plural = if n == 1 { "" } else { "s" };
        p.progress.error(&format!("could not {failed_what} `{}` due to {n} previous error{plural}", p.input_name()));
    } else if let Some(code) = p.exit_code {
        exit_code = code;
    }
    if p.progress.verbosity() >= Verbosity::Verbose && !p.timings.tasks.is_empty() {
        p.progress.detail("timings:");
        for line in p.timings.table().lines() {
            p.progress.detail(&format!("  {line}"));
        }
    }
    Outcome { exit_code, timings: p.timings }
}

/// The stack the commands run on. The parser, the import-time evaluator and the flowspace
/// recurse on the nesting of the user's code, and a stack overflow would abort the
/// process rather than panic; with this much stack, sources nested deeper than any real
/// program still compile. Untouched stack pages cost no memory.
const COMMAND_STACK: usize = 1 << 30;

/// Runs a command on a thread with [`COMMAND_STACK`] bytes of stack. A panic that escapes
/// the per-stage catching (a bug in the driver itself) still ends as an internal
/// compiler error.
fn on_command_stack<T: Send>(opts: &Options, f: impl FnOnce() -> T + Send) -> Result<T, Outcome> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("kiln".into()).stack_size(COMMAND_STACK).spawn_scoped(scope, || ice::catch("driver", f));
        match worker {
            Ok(handle) => match handle.join() {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(ice)) => Err(early_error(opts, ice, EXIT_ICE)),
                Err(_) => Err(early_error(opts, Diagnostic::internal("the driver thread died"), EXIT_ICE)),
            },
            Err(e) => Err(early_error(opts, plain_error(format!("cannot start the compiler thread: {e}")), EXIT_FAILURE)),
        }
    })
}

/// `kiln translate`: the program to an executable, an object file or LLVM IR.
pub fn translate(opts: &Options, args: &TranslateArgs) -> Outcome {
    on_command_stack(opts, || translate_here(opts, args)).unwrap_or_else(|o| o)
}

fn translate_here(opts: &Options, args: &TranslateArgs) -> Outcome {
    if let Err(d) = opts.validate() {
        return early_error(opts, d, EXIT_USAGE);
    }
    if args.opt_level > 3 {
        return early_error(opts, plain_error(format!("invalid optimization level {}: expected 0, 1, 2 or 3", args.opt_level)), EXIT_USAGE);
    }
    let output = args.output_path();
    if output == args.input {
        return early_error(opts, plain_error(format!("the output `{}` would overwrite the input; choose another with -o", output.display())), EXIT_USAGE);
    }
    // The runtime archive is looked for first, so that a missing one is reported before a
    // long translation rather than after it.
    let runtime_archive = if args.emit == Emit::Bin {
        match find_runtime_archive() {
            Ok(p) => Some(p),
            Err(e) => return early_error(opts, e.to_diagnostic(), EXIT_FAILURE),
        }
    } else {
        None
    };
    // A --jit VM links the runtime with the JIT instead (a program without a JitDriver
    // still links the plain one).
    let jit_runtime_archive = if args.emit == Emit::Bin && opts.jit {
        match crate::runtime::find_archive(crate::runtime::Archive::Jit) {
            Ok(p) => Some(p),
            Err(e) => return early_error(opts, e.to_diagnostic_for(crate::runtime::Archive::Jit), EXIT_FAILURE),
        }
    } else {
        None
    };
    let start = Instant::now();
    let mut p = pipeline(opts, &args.input);
    p.backend = BackendOptions { opt_level: args.opt_level, emit: args.emit, runtime_archive, jit_runtime_archive, ..BackendOptions::default() };
    p.output = Some(output.clone());
    p.output_is_default = args.output.is_none();
    p.gc_transform = true;
    if p.run_to(Task::Link).is_ok() {
        let output = p.output.clone().unwrap_or(output);
        let what = format!("`{}` in {}", file_name(&output), format_duration(start.elapsed()));
        p.progress.status("Finished", &what);
    }
    conclude(p, "translate")
}

/// `kiln run`: the program on the llinterp; the exit code is the program's.
pub fn run(opts: &Options, input: &Path, args: &[String]) -> Outcome {
    on_command_stack(opts, || run_here(opts, input, args)).unwrap_or_else(|o| o)
}

fn run_here(opts: &Options, input: &Path, args: &[String]) -> Outcome {
    if let Err(d) = opts.validate() {
        return early_error(opts, d, EXIT_USAGE);
    }
    let start = Instant::now();
    let mut p = pipeline(opts, input);
    p.argv = std::iter::once(p.input_name()).chain(args.iter().cloned()).collect();
    if p.run_to(Task::Transform).is_ok() {
        let what = format!("`{}` in {}", p.input_name(), format_duration(start.elapsed()));
        p.progress.status("Finished", &what);
        let _ = p.run_to(Task::LlInterp);
    }
    conclude(p, "run")
}

/// `kiln check`: every error the stages up to the RTyper can find, in one run.
pub fn check(opts: &Options, input: &Path) -> Outcome {
    on_command_stack(opts, || check_here(opts, input)).unwrap_or_else(|o| o)
}

fn check_here(opts: &Options, input: &Path) -> Outcome {
    let start = Instant::now();
    let mut p = pipeline(opts, input);
    p.keep_going = true;
    if p.run_to(Task::Rtype).is_ok() {
        let what = format!("checking `{}` in {}: no errors", p.input_name(), format_duration(start.elapsed()));
        p.progress.status("Finished", &what);
    }
    conclude(p, "check")
}

/// `kiln dump`: the graphs of one stage as text on `out`, for the functions whose name
/// matches `function` (all when `None`).
pub fn dump(opts: &Options, input: &Path, stage: DumpStage, function: Option<&str>, out: &mut dyn Write) -> Outcome {
    match on_command_stack(opts, || dump_here(opts, input, stage, function)) {
        Ok((outcome, text)) => {
            // A closed pipe (`kiln dump ... | head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            outcome
        }
        Err(outcome) => outcome,
    }
}

fn dump_here(opts: &Options, input: &Path, stage: DumpStage, function: Option<&str>) -> (Outcome, String) {
    if let Err(d) = opts.validate() {
        return (early_error(opts, d, EXIT_USAGE), String::new());
    }
    let mut p = pipeline(opts, input);
    let goal = match stage {
        DumpStage::Flow => Task::Flow,
        DumpStage::Annotated => Task::Annotate,
        DumpStage::Lltype | DumpStage::Jitcodes => Task::Rtype,
        DumpStage::Transformed | DumpStage::Gc => Task::Transform,
        DumpStage::Llvm => Task::Llvm,
    };
    // The GC transform is what the backend compiles; `transformed` shows the graphs
    // before it (as the llinterp runs them).
    p.gc_transform = matches!(stage, DumpStage::Gc | DumpStage::Llvm);
    p.backend = BackendOptions { emit: Emit::LlvmIr, ..BackendOptions::default() };
    // Flow graphs are worth seeing even when some functions failed: print those built.
    let ok = p.run_to(goal).is_ok();
    let text = if ok || stage == DumpStage::Flow { dump_text(&p, stage, function) } else { Ok(String::new()) };
    let text = text.unwrap_or_else(|d| {
        p.diags.push(d);
        String::new()
    });
    (conclude(p, "dump"), text)
}

/// The printed graphs of `stage`, filtered by function name.
pub fn dump_text(p: &Pipeline, stage: DumpStage, function: Option<&str>) -> Result<String, Diagnostic> {
    let mut names = Vec::new();
    let mut out = String::new();
    let push = |names: &mut Vec<String>, name: &str, text: String, out: &mut String| {
        names.push(name.to_string());
        if function.is_none_or(|f| name_matches(name, f)) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
    };
    match stage {
        DumpStage::Flow => {
            let Some(prog) = &p.program else { return Ok(out) };
            for fg in &p.graphs {
                if let Some(g) = &fg.graph {
                    push(&mut names, &g.name, kiln_flowgraph::print_graph(g, &prog.heap), &mut out);
                }
            }
        }
        DumpStage::Annotated => {
            let (Some(prog), Some(ann)) = (&p.program, &p.annotated) else { return Ok(out) };
            // The annotator prints and filters by itself, with the same matching rule.
            names = typing::graph_names(ann);
            out = ann.print(prog, function);
        }
        DumpStage::Lltype | DumpStage::Transformed | DumpStage::Gc => {
            let Some(ll) = &p.ll else { return Ok(out) };
            for id in ll.func_ids() {
                push(&mut names, &ll.func(id).name, ll.print_func(id), &mut out);
            }
            // The drivers' facts, as a pseudo-function (`--function jit_drivers`).
            if !ll.jit_drivers.is_empty() {
                push(&mut names, "jit_drivers", ll.print_jit_drivers(), &mut out);
            }
        }
        DumpStage::Jitcodes => {
            let Some(ll) = &p.ll else { return Ok(out) };
            let cw = crate::jit::codewrite(ll)?;
            let set = &cw.set;
            names = set.jitcodes.iter().map(|j| j.name.clone()).collect();
            match function {
                None => out = kiln_codewriter::print_output(ll, &cw),
                Some(f) => {
                    let chosen: Vec<usize> = (0..set.jitcodes.len()).filter(|i| name_matches(&set.jitcodes[*i].name, f)).collect();
                    if !chosen.is_empty() {
                        out = kiln_jitcode::print::print_jitcodes(set, &chosen);
                    }
                    // A function the tracer calls residually has no jitcode: say why.
                    for (id, why) in &cw.residual {
                        let name = &ll.func(*id).name;
                        names.push(name.clone());
                        if name_matches(name, f) {
                            out.push_str(&format!("residual call {name}: {why}\n"));
                        }
                    }
                }
            }
        }
        DumpStage::Llvm => {
            let Some(c) = &p.compiled else { return Ok(out) };
            if function.is_none() {
                return Ok(c.llvm_ir.clone());
            }
            for (name, text) in llvm_functions(&c.llvm_ir) {
                push(&mut names, &name, text, &mut out);
            }
        }
    }
    if let Some(f) = function {
        if out.is_empty() {
            let mut d = plain_error(format!("no function matches `{f}`"));
            if !names.is_empty() {
                let shown: Vec<&str> = names.iter().take(30).map(String::as_str).collect();
                let more = if names.len() > shown.len() { format!(" and {} more", names.len() - shown.len()) } else { String::new() };
                d = d.with_note(format!("the functions of this stage are: {}{more}", shown.join(", ")));
            }
            return Err(d.with_note("--function takes a qualified name (`Interp.step`) or a dotted suffix of one (`step`)"));
        }
    }
    Ok(out)
}

/// The `define` blocks of LLVM IR text with the Kiln names of their functions (the
/// backend names the function `f` as `@kiln.f` or `@"kiln.f"`).
fn llvm_functions(ir: &str) -> Vec<(String, String)> {
    let mut funcs = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in ir.lines() {
        if line.starts_with("define ") {
            let name = line
                .split_once('@')
                .map(|(_, rest)| {
                    let rest = rest.trim_start_matches('"');
                    let end = rest.find(['(', '"']).unwrap_or(rest.len());
                    rest[..end].trim_start_matches("kiln.").to_string()
                })
                .unwrap_or_default();
            current = Some((name, String::new()));
        }
        if let Some((_, text)) = &mut current {
            text.push_str(line);
            text.push('\n');
            if line == "}" {
                funcs.extend(current.take());
            }
        }
    }
    funcs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llvm_functions_are_split_by_define() {
        let ir = "; header\ndefine internal i64 @kiln.fib(i64 %0) {\nentry:\n  ret i64 0\n}\n\ndefine i32 @\"kiln.A.f\"() {\n  ret i32 0\n}\ndefine i32 @main() {\n}\n";
        let fs = llvm_functions(ir);
        let names: Vec<&str> = fs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["fib", "A.f", "main"]);
        assert!(fs[0].1.starts_with("define internal i64 @kiln.fib") && fs[0].1.ends_with("}\n"));
    }
}
