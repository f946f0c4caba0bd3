//! Program output: the stdout buffer and writes to stderr.
//!
//! Like C's stdio, stdout is buffered (flushed when full, at exit, and before anything
//! goes to stderr, so the two streams interleave as they would unbuffered), and
//! line-buffered when fd 1 is a terminal. Writes go to the file descriptors with write(2),
//! retried on partial writes and EINTR; a write that fails otherwise (a closed pipe)
//! drops the data, as there is nobody left to tell.
//!
//! For in-process runs the output can be captured into memory instead
//! ([`crate::host::Session::begin`] with `capture`), which is how the llinterp's tests
//! check what a program printed: the bytes are exactly those a translated binary would
//! write to fds 1 and 2.

use kiln_abi::RStr;

use crate::format::{format_float_repr, format_i64};
use crate::global::Global;
use crate::{rstr, utf8};

/// Size of the stdout buffer (glibc's `BUFSIZ`).
pub const OUT_BUFFER_SIZE: usize = 8192;

/// Where output goes.
struct Output {
    buf: [u8; OUT_BUFFER_SIZE],
    len: usize,
    /// Flush after every newline (stdout is a terminal).
    line_buffered: bool,
    /// When set, stdout and stderr bytes are kept here instead of written.
    capture: Option<Captured>,
}

/// Output captured in memory instead of written to fds 1 and 2.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

static OUTPUT: Global<Output> = Global::new(Output { buf: [0; OUT_BUFFER_SIZE], len: 0, line_buffered: false, capture: None });

/// A new run: empty buffer; capture or write to the fds.
pub(crate) fn reset(capture: bool) {
    // SAFETY: short exclusive access.
    let out = unsafe { &mut *OUTPUT.get() };
    out.len = 0;
    out.capture = capture.then(Captured::default);
    // SAFETY: isatty has no preconditions.
    out.line_buffered = !capture && unsafe { libc::isatty(1) } == 1;
}

/// Takes what was captured so far (empty when not capturing).
pub(crate) fn take_captured() -> Captured {
    // SAFETY: short exclusive access.
    let out = unsafe { &mut *OUTPUT.get() };
    out.capture.as_mut().map(std::mem::take).unwrap_or_default()
}

/// Writes all of `data` to `fd`, retrying partial writes and EINTR.
fn write_fd(fd: i32, mut data: &[u8]) {
    while !data.is_empty() {
        // SAFETY: `data` is a valid readable buffer of `data.len()` bytes.
        let n = unsafe { libc::write(fd, data.as_ptr() as *const libc::c_void, data.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return;
        }
        data = &data[n as usize..];
    }
}

/// Sends bytes to fd 1 or to the capture, bypassing the buffer.
fn emit_stdout(capture: &mut Option<Captured>, data: &[u8]) {
    match capture {
        Some(c) => c.stdout.extend_from_slice(data),
        None => write_fd(1, data),
    }
}

/// Sends the buffered bytes on and empties the buffer.
fn drain(out: &mut Output) {
    let len = std::mem::take(&mut out.len);
    emit_stdout(&mut out.capture, &out.buf[..len]);
}

/// Writes out the buffered bytes.
pub fn flush_stdout() {
    // SAFETY: short exclusive access; `drain` touches only `out`.
    drain(unsafe { &mut *OUTPUT.get() });
}

/// Appends bytes to the stdout buffer.
pub fn write_stdout(data: &[u8]) {
    // SAFETY: short exclusive access, as in `flush_stdout`.
    let out = unsafe { &mut *OUTPUT.get() };
    if out.len + data.len() > OUT_BUFFER_SIZE {
        drain(out);
    }
    if data.len() >= OUT_BUFFER_SIZE {
        emit_stdout(&mut out.capture, data);
        return;
    }
    out.buf[out.len..out.len + data.len()].copy_from_slice(data);
    out.len += data.len();
    if out.line_buffered && data.contains(&b'\n') {
        drain(out);
    }
}

/// Writes bytes to stderr (unbuffered), after flushing stdout.
pub fn write_stderr(data: &[u8]) {
    flush_stdout();
    // SAFETY: short exclusive access.
    let out = unsafe { &mut *OUTPUT.get() };
    match &mut out.capture {
        Some(c) => c.stderr.extend_from_slice(data),
        None => write_fd(2, data),
    }
}

/// Appends a string to the stdout buffer (nothing for null).
///
/// # Safety
/// `s` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_out_str(s: *const RStr) {
    // SAFETY: a string from generated code is valid or null.
    write_stdout(unsafe { rstr::bytes(s) });
}

/// Appends the decimal form of `n`.
#[no_mangle]
pub extern "C" fn kiln_out_int(n: i64) {
    let mut buf = [0u8; 20];
    write_stdout(format_i64(n, &mut buf));
}

/// Appends one code point, UTF-8 encoded.
#[no_mangle]
pub extern "C" fn kiln_out_char(cp: u32) {
    let (buf, len) = utf8::encode(cp);
    write_stdout(&buf[..len]);
}

/// Appends `repr(x)`.
#[no_mangle]
pub extern "C" fn kiln_out_float(x: f64) {
    write_stdout(format_float_repr(x).as_bytes());
}

/// Writes out the stdout buffer now.
#[no_mangle]
pub extern "C" fn kiln_flush_stdout() {
    flush_stdout();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;

    #[test]
    fn values_are_written_in_python_form() {
        let (session, _) = started(RtConfig::default(), &[]);
        kiln_out_int(-42);
        kiln_out_char(' ' as u32);
        kiln_out_char(0xE9);
        kiln_out_char(0x1F600);
        kiln_out_char('\n' as u32);
        kiln_out_float(0.1);
        kiln_out_char(' ' as u32);
        kiln_out_float(1e16);
        kiln_out_char(' ' as u32);
        kiln_out_float(-0.0);
        // SAFETY: a valid string, and null.
        unsafe {
            kiln_out_str(crate::rstr::alloc_str("\nend\n".as_bytes()));
            kiln_out_str(core::ptr::null());
        }
        assert_eq!(session.finish(7), 7);
        assert_eq!(String::from_utf8(session.take_output().stdout).unwrap(), "-42 é😀\n0.1 1e+16 -0.0\nend\n");
    }

    #[test]
    fn stdout_is_buffered_until_full_or_flushed() {
        let (session, _) = started(RtConfig::default(), &[]);
        let chunk = [b'x'; 1000];
        for _ in 0..8 {
            write_stdout(&chunk);
        }
        assert!(take_captured().stdout.is_empty(), "8000 bytes fit the buffer");
        write_stdout(&chunk);
        assert_eq!(take_captured().stdout.len(), 8000, "the full buffer went out before the next write");
        kiln_flush_stdout();
        assert_eq!(take_captured().stdout.len(), 1000);
        let big = vec![b'y'; 3 * OUT_BUFFER_SIZE];
        write_stdout(b"ab");
        write_stdout(&big);
        let out = take_captured().stdout;
        assert_eq!(out.len(), 2 + big.len(), "a write larger than the buffer goes straight out, after what was buffered");
        assert_eq!(&out[..3], b"aby");
        write_stdout(b"before");
        write_stderr(b"err");
        let out = session.take_output();
        assert_eq!((out.stdout.as_slice(), out.stderr.as_slice()), (&b"before"[..], &b"err"[..]), "stderr flushes stdout first");
    }
}
