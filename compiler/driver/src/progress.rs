//! Progress output on stderr, the way cargo shows it: a right-aligned green verb, what the
//! stage works on, and, once it is done, its time.
//!
//! ```text
//!    Importing prog.py (3.1ms)
//!     Building flow graphs from `entry_point` (5.0ms)
//!   Annotating 12 functions (20.4ms)
//!     Finished `prog` in 1.23s
//! ```
//!
//! A stage's line is written when it starts, and its time appended when it ends, so a slow
//! stage shows what is running. Anything else written to stderr first closes the open
//! line. `-q` writes nothing; `-v` adds indented detail lines (per-pass timings, graph
//! sizes).

use std::io::Write;
use std::time::Duration;

use kiln_diagnostics::ColorChoice;

use crate::options::Verbosity;
use crate::tasks::format_duration;

const GREEN: &str = "\x1b[1;32m";
const RED: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// Where progress goes: stderr, or a string for tests.
enum Sink {
    Stderr,
    Buffer(String),
}

pub struct Progress {
    verbosity: Verbosity,
    color: bool,
    sink: Sink,
    line_open: bool,
}

impl Progress {
    /// Progress on stderr, in colour when `color` allows and stderr is a terminal.
    pub fn stderr(verbosity: Verbosity, color: ColorChoice) -> Progress {
        let color = color == ColorChoice::Auto && std::io::IsTerminal::is_terminal(&std::io::stderr());
        Progress { verbosity, color, sink: Sink::Stderr, line_open: false }
    }

    /// Progress into a string, without colour (for tests).
    pub fn buffer(verbosity: Verbosity) -> Progress {
        Progress { verbosity, color: false, sink: Sink::Buffer(String::new()), line_open: false }
    }

    /// What a buffer sink has collected.
    pub fn take_buffer(&mut self) -> String {
        self.close();
        match &mut self.sink {
            Sink::Buffer(b) => std::mem::take(b),
            Sink::Stderr => String::new(),
        }
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    pub fn color(&self) -> ColorChoice {
        if self.color {
            ColorChoice::Auto
        } else {
            ColorChoice::Never
        }
    }

    fn write(&mut self, text: &str) {
        match &mut self.sink {
            Sink::Stderr => {
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(text.as_bytes());
                let _ = err.flush();
            }
            Sink::Buffer(b) => b.push_str(text),
        }
    }

    fn verb(&self, verb: &str, colour: &str) -> String {
        if self.color {
            format!("{colour}{verb:>12}{RESET}")
        } else {
            format!("{verb:>12}")
        }
    }

    /// Starts a stage's line; [`Progress::finish`] appends its time.
    pub fn start(&mut self, verb: &str, what: &str) {
        if self.verbosity < Verbosity::Normal {
            return;
        }
        self.close();
        let line = format!("{} {what}", self.verb(verb, GREEN));
        self.write(&line);
        self.line_open = true;
    }

    /// Ends the open stage line with the stage's time.
    pub fn finish(&mut self, elapsed: Duration) {
        if self.line_open {
            self.write(&format!(" ({})\n", format_duration(elapsed)));
            self.line_open = false;
        }
    }

    /// A whole status line (`Finished`, `Running`).
    pub fn status(&mut self, verb: &str, what: &str) {
        if self.verbosity < Verbosity::Normal {
            return;
        }
        self.close();
        let line = format!("{} {what}\n", self.verb(verb, GREEN));
        self.write(&line);
    }

    /// A detail line under the current stage, shown with `-v` only.
    pub fn detail(&mut self, what: &str) {
        if self.verbosity < Verbosity::Verbose {
            return;
        }
        self.close();
        self.write(&format!("{:12} {what}\n", ""));
    }

    /// The closing `error: ...` line after diagnostics.
    pub fn error(&mut self, what: &str) {
        if self.verbosity < Verbosity::Normal {
            return;
        }
        self.close();
        let label = if self.color { format!("{RED}error{RESET}") } else { "error".to_string() };
        self.write(&format!("{label}: {what}\n"));
    }

    /// Ends an open stage line, before something else is written to stderr.
    pub fn close(&mut self) {
        if self.line_open {
            self.write("\n");
            self.line_open = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_right_aligned_and_timed() {
        let mut p = Progress::buffer(Verbosity::Normal);
        p.start("Importing", "prog.py");
        p.finish(Duration::from_millis(2));
        p.start("Building", "entry_point");
        p.detail("hidden without -v");
        p.status("Finished", "`prog` in 1.00s");
        assert_eq!(p.take_buffer(), "   Importing prog.py (2.0ms)\n    Building entry_point\n    Finished `prog` in 1.00s\n");
    }

    #[test]
    fn quiet_writes_nothing_and_verbose_writes_details() {
        let mut q = Progress::buffer(Verbosity::Quiet);
        q.start("Importing", "prog.py");
        q.finish(Duration::from_millis(2));
        q.error("failed");
        assert_eq!(q.take_buffer(), "");
        let mut v = Progress::buffer(Verbosity::Verbose);
        v.detail("3 graphs");
        assert_eq!(v.take_buffer(), "             3 graphs\n");
    }
}
