//! File descriptors (`kiln.os`) and clocks (`kiln.time`), behaving like the CPython side
//! of those modules (`runtime/python/kiln/os.py` and `time.py`).
//!
//! Strings cross the boundary as UTF-8: writes encode, reads decode with U+FFFD for
//! invalid or cut-off sequences, as `bytes.decode("utf-8", "replace")` does. Writes to fd
//! 1 go through the stdout buffer and writes to fd 2 flush it first, so output interleaves
//! as with CPython's flushing `kiln.os.write`; reads from fd 0 flush it too. Calls are
//! retried on EINTR, as CPython does (PEP 475).
//!
//! Failures raise `OSError(errno, strerror)` without a file name, as `kiln.os` raises
//! them: the message is `[Errno N] text` and `ROsError.errno` holds N. (CPython turns
//! some errnos into subclasses such as FileNotFoundError, which print under their own
//! name; the runtime has only OSError.)

use std::ffi::CString;

use kiln_abi::{BuiltinExc, ROsError, RStr};

use crate::exc;
use crate::io;
use crate::rstr::{self, bytes};

/// The C library's text for `errno`.
fn strerror(errno: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its length; the XSI strerror_r writes a
    // NUL-terminated string into it.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr() as *mut libc::c_char, buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    let len = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

/// Raises `OSError(errno, strerror(errno))`.
fn raise_os_error(errno: i32) {
    exc::raise(BuiltinExc::OSError, &format!("[Errno {errno}] {}", strerror(errno)));
    let (etype, evalue) = exc::current();
    if etype == exc::vtable_of(BuiltinExc::OSError) && !evalue.is_null() {
        // SAFETY: the runtime makes OSError instances with the ROsError layout.
        unsafe { (*(evalue as *mut ROsError)).errno = errno as i64 };
    }
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// Writes all of `data` to `fd`, retrying partial writes and EINTR; the errno on failure.
fn write_all(fd: i32, mut data: &[u8]) -> Result<(), i32> {
    while !data.is_empty() {
        // SAFETY: `data` is readable for its length.
        let n = unsafe { libc::write(fd, data.as_ptr() as *const libc::c_void, data.len()) };
        if n < 0 {
            match last_errno() {
                libc::EINTR => continue,
                e => return Err(e),
            }
        }
        data = &data[n as usize..];
    }
    Ok(())
}

/// Reads up to `n` bytes from `fd`, retrying EINTR; the errno on failure.
fn read_some(fd: i32, n: usize) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; n];
    loop {
        // SAFETY: `buf` is writable for its length.
        let got = unsafe { libc::read(fd, buf.as_mut_ptr() as *mut libc::c_void, n) };
        if got >= 0 {
            buf.truncate(got as usize);
            return Ok(buf);
        }
        match last_errno() {
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

/// `kiln.os.write(fd, s)`: writes the UTF-8 bytes of `s` and returns their number.
///
/// # Safety
/// `s` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_os_write(fd: i64, s: *const RStr) -> i64 {
    // SAFETY: per this function's contract; nothing below allocates before the bytes are
    // written (a failure raises afterwards).
    write_data(fd, unsafe { bytes(s) })
}

/// `os.write(fd, b)` of a bytes value (the str whose code points are the bytes): writes
/// the bytes and returns their number.
///
/// # Safety
/// `s` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_os_write_bytes(fd: i64, s: *const RStr) -> i64 {
    // SAFETY: per this function's contract.
    let data = crate::rbytes::raw(unsafe { bytes(s) });
    write_data(fd, &data)
}

fn write_data(fd: i64, data: &[u8]) -> i64 {
    match fd {
        1 => io::write_stdout(data),
        2 => io::write_stderr(data),
        _ => {
            io::flush_stdout();
            if let Err(e) = i32::try_from(fd).map_err(|_| libc::EBADF).and_then(|fd| write_all(fd, data)) {
                raise_os_error(e);
                return 0;
            }
        }
    }
    data.len() as i64
}

/// Linux transfers at most this many bytes in one `read(2)`.
const MAX_READ: i64 = 0x7FFF_F000;

/// `kiln.os.read(fd, n)`: up to `n` bytes, decoded; `""` at end of file.
#[no_mangle]
pub extern "C" fn kiln_os_read(fd: i64, n: i64) -> *mut RStr {
    read_to_str(fd, n, |data| String::from_utf8_lossy(data).into_owned())
}

/// `os.read(fd, n)`: up to `n` bytes as a bytes value, the str whose code points are the
/// bytes (0..=255); `b""` at end of file.
#[no_mangle]
pub extern "C" fn kiln_os_read_bytes(fd: i64, n: i64) -> *mut RStr {
    read_to_str(fd, n, |data| data.iter().map(|&b| b as char).collect())
}

fn read_to_str(fd: i64, n: i64, text: impl Fn(&[u8]) -> String) -> *mut RStr {
    if n < 0 {
        raise_os_error(libc::EINVAL);
        return core::ptr::null_mut();
    }
    if fd == 0 {
        io::flush_stdout();
    }
    let fd = match i32::try_from(fd) {
        Ok(fd) => fd,
        Err(_) => {
            raise_os_error(libc::EBADF);
            return core::ptr::null_mut();
        }
    };
    match read_some(fd, n.min(MAX_READ) as usize) {
        Ok(data) => rstr::alloc_str(text(&data).as_bytes()),
        Err(e) => {
            raise_os_error(e);
            core::ptr::null_mut()
        }
    }
}

/// The path as a C string; ValueError "embedded null byte" when it has a NUL.
///
/// # Safety
/// `path` is null or a valid string.
unsafe fn c_path(path: *const RStr) -> Option<CString> {
    // SAFETY: per this function's contract.
    match CString::new(unsafe { bytes(path) }) {
        Ok(p) => Some(p),
        Err(_) => {
            exc::raise(BuiltinExc::ValueError, "embedded null byte");
            None
        }
    }
}

/// Opens `path` (close-on-exec, as CPython's descriptors are non-inheritable); the errno
/// on failure.
fn open_fd(path: &CString, flags: i32, mode: u32) -> Result<i32, i32> {
    loop {
        // SAFETY: `path` is a valid C string.
        let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, mode as libc::c_uint) };
        if fd >= 0 {
            return Ok(fd);
        }
        match last_errno() {
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

/// `kiln.os.open(path, flags, mode)`: the new file descriptor.
///
/// # Safety
/// `path` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_os_open(path: *const RStr, flags: i64, mode: i64) -> i64 {
    // SAFETY: per this function's contract.
    let Some(p) = (unsafe { c_path(path) }) else { return -1 };
    match open_fd(&p, flags as i32, mode as u32) {
        Ok(fd) => fd as i64,
        Err(e) => {
            raise_os_error(e);
            -1
        }
    }
}

/// `kiln.os.close(fd)`. Not retried on EINTR: Linux has closed the descriptor anyway.
#[no_mangle]
pub extern "C" fn kiln_os_close(fd: i64) {
    let Ok(fd) = i32::try_from(fd) else {
        raise_os_error(libc::EBADF);
        return;
    };
    // SAFETY: closing a descriptor has no memory-safety preconditions.
    if unsafe { libc::close(fd) } != 0 {
        let e = last_errno();
        if e != libc::EINTR {
            raise_os_error(e);
        }
    }
}

/// `kiln.os.read_file(path)`: the whole file, decoded.
///
/// # Safety
/// `path` is null or a valid string.
#[no_mangle]
pub unsafe extern "C" fn kiln_os_read_file(path: *const RStr) -> *mut RStr {
    // SAFETY: per this function's contract.
    let Some(p) = (unsafe { c_path(path) }) else { return core::ptr::null_mut() };
    let fd = match open_fd(&p, libc::O_RDONLY, 0) {
        Ok(fd) => fd,
        Err(e) => {
            raise_os_error(e);
            return core::ptr::null_mut();
        }
    };
    let mut data = Vec::new();
    let result = loop {
        match read_some(fd, 65536) {
            Ok(chunk) if chunk.is_empty() => break Ok(()),
            Ok(chunk) => data.extend_from_slice(&chunk),
            Err(e) => break Err(e),
        }
    };
    // SAFETY: `fd` is the descriptor opened above.
    unsafe { libc::close(fd) };
    match result {
        Ok(()) => rstr::alloc_str(String::from_utf8_lossy(&data).as_bytes()),
        Err(e) => {
            raise_os_error(e);
            core::ptr::null_mut()
        }
    }
}

/// Reads a clock as seconds.
fn clock_seconds(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to fill.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// `kiln.time.time()`: seconds since the Unix epoch.
#[no_mangle]
pub extern "C" fn kiln_time_time() -> f64 {
    clock_seconds(libc::CLOCK_REALTIME)
}

/// `kiln.time.clock()`: a monotonic counter in seconds (CPython's `perf_counter`).
#[no_mangle]
pub extern "C" fn kiln_time_clock() -> f64 {
    clock_seconds(libc::CLOCK_MONOTONIC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RtConfig;
    use crate::host::testing::started;
    use crate::testprog::{take_exc, text};

    fn new(s: &str) -> *mut RStr {
        rstr::alloc_str(s.as_bytes())
    }

    fn temp_path(name: &str) -> String {
        let dir = std::env::temp_dir().join(format!("kiln-ros-{}-{name}", std::process::id()));
        dir.to_string_lossy().into_owned()
    }

    #[test]
    fn writes_go_through_the_stdout_buffer_and_stderr() {
        let (session, _) = started(RtConfig::default(), &[]);
        io::write_stdout(b"first ");
        // SAFETY: valid strings.
        unsafe {
            assert_eq!(kiln_os_write(1, new("é\n")), 3);
            assert_eq!(kiln_os_write(2, new("err")), 3);
            assert_eq!(kiln_os_write(1, new("after")), 5);
        }
        let out = session.take_output();
        assert_eq!(out.stdout, "first é\nafter".as_bytes());
        assert_eq!(out.stderr, b"err");
    }

    #[test]
    fn files_round_trip_and_errors_carry_errno() {
        let (_session, _) = started(RtConfig::default(), &[]);
        let path = temp_path("roundtrip.txt");
        // SAFETY: valid strings.
        unsafe {
            let fd = kiln_os_open(new(&path), (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC) as i64, 0o644);
            assert!(fd > 2, "{:?}", take_exc());
            assert_eq!(kiln_os_write(fd, new("héllo\nwörld")), 13);
            kiln_os_close(fd);
            assert!(!exc::is_pending());
            assert_eq!(text(kiln_os_read_file(new(&path))), "héllo\nwörld");
            let fd = kiln_os_open(new(&path), libc::O_RDONLY as i64, 0);
            // A read may cut a multi-byte sequence: the piece decodes with U+FFFD.
            assert_eq!(text(kiln_os_read(fd, 2)), "h\u{fffd}");
            assert_eq!(text(kiln_os_read(fd, 100)), "\u{fffd}llo\nwörld");
            assert_eq!(text(kiln_os_read(fd, 100)), "");
            kiln_os_close(fd);
            std::fs::remove_file(&path).expect("the test file is removable");

            assert_eq!(kiln_os_open(new("/nonexistent/x.txt"), libc::O_RDONLY as i64, 0), -1);
            let (_, evalue) = exc::current();
            assert_eq!((*(evalue as *mut ROsError)).errno, 2);
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 2] No such file or directory"));
            assert!(kiln_os_read_file(new("/nonexistent/x.txt")).is_null());
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 2] No such file or directory"));
            assert!(kiln_os_read_file(new("/")).is_null());
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 21] Is a directory"));
            kiln_os_close(987654);
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 9] Bad file descriptor"));
            assert!(kiln_os_read(987654, 1).is_null());
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 9] Bad file descriptor"));
            assert!(kiln_os_read(0, -1).is_null());
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 22] Invalid argument"));
            assert_eq!(kiln_os_write(987654, new("x")), 0);
            assert_eq!(take_exc().as_deref(), Some("OSError: [Errno 9] Bad file descriptor"));
            assert_eq!(kiln_os_open(new("a\0b"), 0, 0), -1);
            assert_eq!(take_exc().as_deref(), Some("ValueError: embedded null byte"));
        }
    }

    #[test]
    fn clocks_advance() {
        let t = kiln_time_time();
        assert!(t > 1.6e9, "after 2020: {t}");
        let a = kiln_time_clock();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = kiln_time_clock();
        assert!(b - a >= 0.001, "{a} then {b}");
    }
}
