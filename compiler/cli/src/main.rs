//! The `kiln` command: parses the command line with clap and calls the driver. No logic
//! lives here; every option maps onto a `kiln_driver` type.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kiln_driver::{ColorChoice, DumpStage, Emit, Options, TranslateArgs, Verbosity};

/// Kiln translates interpreters written in RPy (restricted Python 3) into native
/// executables.
#[derive(Parser, Debug)]
#[command(name = "kiln", version, propagate_version = true, disable_help_subcommand = true)]
#[command(after_help = "Exit codes: 0 success, 1 errors in the program or a failed translation, \
2 bad command line, 101 internal compiler error (a bug in Kiln). `kiln run` exits with the program's own status.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    output_opts: OutputOpts,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Translate a program into a native executable (or an object file, or LLVM IR)
    ///
    /// Runs every stage (import, flow graphs, annotation, RTyping, transforms, LLVM) and
    /// links the result with the Kiln runtime archive, libkiln_runtime.a, found through
    /// KILN_RUNTIME or next to the kiln executable.
    Translate {
        /// The main module: it must define `entry_point(argv)`
        file: PathBuf,
        /// Where to write the output [default: the input's name without `.py`, next to it;
        /// with `.ll` or `.o` for --emit llvm-ir or obj]
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// LLVM optimization level
        #[arg(long = "opt", value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=3))]
        opt: u8,
        /// What to produce
        #[arg(long, value_enum, default_value_t = EmitArg::Bin)]
        emit: EmitArg,
        #[command(flatten)]
        translation: TranslationOpts,
    },
    /// Run a program on the llinterp, without LLVM
    ///
    /// The program is translated up to low-level graphs, which the llinterp runs with the
    /// same runtime a translated executable links. kiln exits with the program's status.
    Run {
        /// The main module: it must define `entry_point(argv)`
        file: PathBuf,
        /// Arguments for the program: `argv` is the file name followed by them
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<String>,
        #[command(flatten)]
        translation: TranslationOpts,
    },
    /// Print the graphs of one translation stage as text
    ///
    /// The output is deterministic, for reading and for snapshot tests.
    Dump {
        /// The main module: it must define `entry_point(argv)`
        file: PathBuf,
        /// Which stage's graphs to print
        #[arg(long, value_enum)]
        stage: StageArg,
        /// Print only the functions with this qualified name (`Interp.step`) or whose
        /// name ends with it after a dot (`step`)
        #[arg(long, value_name = "NAME")]
        function: Option<String>,
        #[command(flatten)]
        translation: TranslationOpts,
    },
    /// Report every error in a program without translating it
    ///
    /// Runs import, flow graphs, annotation and RTyping, going on after errors as far as
    /// possible so that one run shows them all. Exits with 1 if there is any.
    Check {
        /// The main module: it must define `entry_point(argv)`
        file: PathBuf,
    },
}

/// Options of the translation itself.
#[derive(Args, Debug)]
#[command(next_help_heading = "Translation options")]
struct TranslationOpts {
    /// The garbage collector to translate with; an unknown name gets the list of those
    /// this build has
    #[arg(long, value_name = "NAME", default_value = kiln_driver::DEFAULT_GC)]
    gc: String,
    /// Do not insert stack-overflow checks in recursive functions
    #[arg(long)]
    no_stackcheck: bool,
    /// Run the IR verifiers after every pass, even in a release build of Kiln
    #[arg(long)]
    verify: bool,
    /// Generate a tracing JIT from the interpreter's hints (translate; docs/jit.md)
    #[arg(long)]
    jit: bool,
}

/// Options of what kiln itself prints.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output options")]
struct OutputOpts {
    /// Print only diagnostics, no progress
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: per-pass timings, sizes of the graphs, a timing table
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Treat warnings as errors (operations on values that may be None, locals that
    /// may be unbound): the program is refused instead of compiled with run-time checks
    #[arg(long, global = true)]
    strict: bool,
    /// When to colour diagnostics and progress
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum EmitArg {
    /// LLVM IR text
    LlvmIr,
    /// A relocatable object file
    Obj,
    /// An executable linked with the Kiln runtime
    Bin,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum StageArg {
    /// Flow graphs, before annotation
    Flow,
    /// Flow graphs with the annotator's types
    Annotated,
    /// Low-level graphs from the RTyper
    Lltype,
    /// Low-level graphs after the stack-check and exception transforms
    Transformed,
    /// Low-level graphs after the GC transform too (the collector of --gc)
    Gc,
    /// The LLVM IR of the program
    Llvm,
    /// The JIT codewriter's jitcodes and descriptors, from the portal (the function with
    /// `jit_merge_point`)
    Jitcodes,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ColorArg {
    /// Colour when stderr is a terminal
    Auto,
    /// Never colour
    Never,
}

fn options(out: &OutputOpts, tr: Option<&TranslationOpts>) -> Options {
    let verbosity = if out.quiet {
        Verbosity::Quiet
    } else if out.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let color = match out.color {
        ColorArg::Auto => ColorChoice::Auto,
        ColorArg::Never => ColorChoice::Never,
    };
    let mut opts = Options { color, verbosity, strict: out.strict, ..Options::default() };
    if let Some(tr) = tr {
        opts.gc = tr.gc.clone();
        opts.stackcheck = !tr.no_stackcheck;
        opts.verify = tr.verify;
        opts.jit = tr.jit;
    }
    opts
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Translate { file, output, opt, emit, translation } => {
            let emit = match emit {
                EmitArg::LlvmIr => Emit::LlvmIr,
                EmitArg::Obj => Emit::Obj,
                EmitArg::Bin => Emit::Bin,
            };
            let args = TranslateArgs { input: file.clone(), output: output.clone(), opt_level: *opt, emit };
            kiln_driver::translate(&options(&cli.output_opts, Some(translation)), &args)
        }
        Command::Run { file, args, translation } => kiln_driver::run(&options(&cli.output_opts, Some(translation)), file, args),
        Command::Dump { file, stage, function, translation } => {
            let stage = match stage {
                StageArg::Flow => DumpStage::Flow,
                StageArg::Annotated => DumpStage::Annotated,
                StageArg::Lltype => DumpStage::Lltype,
                StageArg::Transformed => DumpStage::Transformed,
                StageArg::Gc => DumpStage::Gc,
                StageArg::Llvm => DumpStage::Llvm,
                StageArg::Jitcodes => DumpStage::Jitcodes,
            };
            let mut stdout = std::io::stdout().lock();
            kiln_driver::dump(&options(&cli.output_opts, Some(translation)), file, stage, function.as_deref(), &mut stdout)
        }
        Command::Check { file } => kiln_driver::check(&options(&cli.output_opts, None), file),
    };
    // Exit statuses are bytes; a program returning 256 exits with 0, as a binary would.
    ExitCode::from(outcome.exit_code as u8)
}
