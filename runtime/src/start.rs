//! A program's first and last runtime calls: [`kiln_rt_start`] (check the ABI, record the
//! program info, read the environment, prepare the stack check, preallocate, build argv)
//! and [`kiln_rt_finish`] (report an uncaught exception, flush, pick the exit code).
//!
//! The generated `main` is `finish(entry_point(start(argc, argv, &info)))`. The llinterp
//! goes through the same `start` and `finish` by way of [`crate::host::Session`].

use core::ffi::c_char;
use core::mem::offset_of;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicPtr, Ordering};
use std::ffi::CStr;
use std::fmt;

use kiln_abi::{typeid, ProgramInfo, RArray, RList, RStr, ABI_VERSION};

use crate::config::RtConfig;
use crate::gc::roots::Roots;
use crate::{alloc, exc, gc, io, rstr, stack};

/// The exit status when the runtime cannot start (sysexits' `EX_SOFTWARE`).
pub const EXIT_STARTUP_FAILURE: i32 = 70;
/// The exit status of a program ended by an uncaught exception, as with CPython.
pub const EXIT_UNCAUGHT_EXCEPTION: i32 = 1;

/// The program info of the current run (null before startup).
static INFO: AtomicPtr<ProgramInfo> = AtomicPtr::new(null_mut());

/// The program info recorded at startup.
pub fn program_info() -> Option<&'static ProgramInfo> {
    // SAFETY: the pointer was checked at startup and stays valid for the run (static data
    // in a binary; owned by the llinterp for the length of its session).
    unsafe { INFO.load(Ordering::Relaxed).as_ref() }
}

/// Why the runtime could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// The program info pointer is null.
    NoProgramInfo,
    /// The program was compiled against another version of the runtime ABI.
    AbiMismatch { program: u32, runtime: u32 },
    /// An environment variable has a bad value.
    BadConfig(String),
    /// There was no memory for the startup allocations.
    OutOfMemory,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NoProgramInfo => write!(f, "no program info was passed to the runtime"),
            StartError::AbiMismatch { program, runtime } => write!(
                f,
                "this program was translated for runtime ABI version {program}, but the linked runtime has version {runtime}; translate it again with a matching kiln"
            ),
            StartError::BadConfig(msg) => write!(f, "{msg}"),
            StartError::OutOfMemory => write!(f, "out of memory during startup"),
        }
    }
}

/// Writes the startup error to stderr the way a translated binary does; returns the exit
/// status.
pub(crate) fn report_start_error(e: &StartError) -> i32 {
    io::write_stderr(format!("kiln runtime: {e}\n").as_bytes());
    EXIT_STARTUP_FAILURE
}

/// Forgets everything about the previous run (for in-process runs; at process start the
/// state is already this). Does not release memory.
pub(crate) fn reset_state(capture: bool) {
    INFO.store(null_mut(), Ordering::Relaxed);
    exc::reset();
    io::reset(capture);
    rstr::reset();
    stack::reset();
}

/// Startup shared by binaries and in-process runs; returns the argv list.
///
/// # Safety
/// `info` is null or points to a valid `ProgramInfo` (with valid vtable and type-info
/// pointers) that outlives the run.
pub(crate) unsafe fn start(args: &[&str], info: *const ProgramInfo, config: &RtConfig, stack_base: usize) -> Result<*mut RList, StartError> {
    // SAFETY: per the contract above.
    let Some(info_ref) = (unsafe { info.as_ref() }) else { return Err(StartError::NoProgramInfo) };
    if info_ref.abi_version != ABI_VERSION {
        return Err(StartError::AbiMismatch { program: info_ref.abi_version, runtime: ABI_VERSION });
    }
    INFO.store(info as *mut ProgramInfo, Ordering::Relaxed);
    stack::init(stack_base, config.stack_limit);
    gc::start(info_ref, config).map_err(StartError::BadConfig)?;
    if !exc::init() || !rstr::init_ascii_chars() {
        return Err(StartError::OutOfMemory);
    }
    let argv = build_str_list(args);
    if argv.is_null() {
        exc::clear();
        return Err(StartError::OutOfMemory);
    }
    Ok(argv)
}

/// A new list of strings (`LIST_STR` with an `ARRAY_STR` of items); null with MemoryError
/// set when out of memory.
pub(crate) fn build_str_list(items: &[&str]) -> *mut RList {
    let n = items.len();
    let array_size = (offset_of!(RArray, items) + 8 * n) as i64;
    let array = alloc::gc_malloc_varsize(typeid::ARRAY_STR, array_size, n as i64, offset_of!(RArray, length) as i64);
    if array.is_null() {
        return null_mut();
    }
    // The array may move (or be old) while the strings are allocated: it stays rooted,
    // and every store into it is reported to the collector.
    let roots = Roots::new([array]);
    for (i, item) in items.iter().enumerate() {
        let s = rstr::alloc_str(item.as_bytes());
        if s.is_null() {
            return null_mut();
        }
        let array = roots.get(0) as *mut RArray;
        // SAFETY: `array` has `n` pointer-sized items.
        unsafe { *(core::ptr::addr_of_mut!((*array).items) as *mut *mut RStr).add(i) = s };
        gc::write_barrier(array as *mut u8);
    }
    let list = alloc::gc_malloc(typeid::LIST_STR, size_of::<RList>() as u64) as *mut RList;
    if list.is_null() {
        return null_mut();
    }
    // SAFETY: `list` is a fresh LIST_STR object.
    unsafe {
        (*list).length = n as i64;
        (*list).items = roots.get(0) as *mut RArray;
    }
    gc::write_barrier(list as *mut u8);
    list
}

/// The end of a run: with an exception pending, prints its CPython-style last line to
/// stderr and returns 1; otherwise returns `ret` as the exit status. Stdout is flushed
/// first either way.
pub(crate) fn finish(ret: i64) -> i32 {
    io::flush_stdout();
    let status = match exc::uncaught_line() {
        Some(mut line) => {
            line.push('\n');
            io::write_stderr(line.as_bytes());
            EXIT_UNCAUGHT_EXCEPTION
        }
        None => ret as i32,
    };
    if let Some(report) = gc::stats_report() {
        io::write_stderr(report.as_bytes());
    }
    status
}

/// Starts the runtime for a translated program and returns `argv` as a list of strings.
/// Arguments that are not UTF-8 are decoded with replacement characters. On failure
/// (ABI mismatch, bad environment, no memory) prints why and exits with status 70.
///
/// # Safety
/// `argv` holds `argc` valid C strings; `info` is the program's static program info.
#[no_mangle]
pub unsafe extern "C" fn kiln_rt_start(argc: i32, argv: *const *const c_char, info: *const ProgramInfo) -> *mut RList {
    reset_state(false);
    let result = RtConfig::from_env().map_err(StartError::BadConfig).and_then(|config| {
        let args: Vec<String> = (0..argc.max(0) as usize)
            .map(|i| {
                // SAFETY: the C runtime passes `argc` valid strings.
                let p = unsafe { *argv.add(i) };
                if p.is_null() {
                    String::new()
                } else {
                    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
                }
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        // SAFETY: per this function's contract.
        unsafe { start(&refs, info, &config, stack::current_stack_address()) }
    });
    match result {
        Ok(list) => list,
        Err(e) => std::process::exit(report_start_error(&e)),
    }
}

/// Ends the program: reports a pending exception (then the status is 1) and flushes
/// stdout. Returns the process exit status.
#[no_mangle]
pub extern "C" fn kiln_rt_finish(ret: i64) -> i32 {
    finish(ret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::testing::{started, started_with, EMPTY_INFO};
    use crate::host::Session;
    use kiln_abi::{BuiltinExc, Vtable};

    #[test]
    fn argv_is_a_list_of_strings() {
        let (_session, argv) = started(RtConfig::default(), &["prog", "héllo", ""]);
        // SAFETY: the list and items `start` built.
        unsafe {
            assert_eq!((*argv).hdr.tid, typeid::LIST_STR);
            assert_eq!((*argv).length, 3);
            let items = (*argv).items;
            assert_eq!(((*items).hdr.tid, (*items).length), (typeid::ARRAY_STR, 3));
            let item = |i: usize| *(core::ptr::addr_of!((*items).items) as *const *const RStr).add(i);
            assert_eq!(rstr::bytes(item(0)), b"prog");
            assert_eq!(rstr::bytes(item(1)), "héllo".as_bytes());
            assert_eq!(rstr::bytes(item(2)), b"");
        }
    }

    #[test]
    fn finish_reports_the_uncaught_exception_like_cpython() {
        let (session, _) = started(RtConfig::default(), &[]);
        assert_eq!(session.finish(3), 3);
        crate::io::write_stdout(b"out");
        exc::raise(BuiltinExc::KeyError, "'k'");
        assert_eq!(session.finish(0), EXIT_UNCAUGHT_EXCEPTION);
        let out = session.take_output();
        assert_eq!((out.stdout.as_slice(), out.stderr.as_slice()), (&b"out"[..], &b"KeyError: 'k'\n"[..]));
        exc::raise(BuiltinExc::AssertionError, "");
        assert_eq!(session.finish(0), 1);
        assert_eq!(session.take_output().stderr, b"AssertionError\n", "an empty message prints the name alone");
    }

    #[test]
    fn unregistered_classes_get_a_fallback_vtable_no_handler_matches() {
        let (_session, _) = started(RtConfig::default(), &[]);
        exc::raise(BuiltinExc::ZeroDivisionError, "division by zero");
        let (etype, _) = exc::current();
        // SAFETY: the pending exception's vtable.
        unsafe {
            assert_eq!(rstr::bytes((*etype).name), b"ZeroDivisionError");
            assert!((*etype).subclassrange_min >= (*etype).subclassrange_max, "an empty subclass range");
        }
        assert_eq!(exc::uncaught_line().as_deref(), Some("ZeroDivisionError: division by zero"));
    }

    #[test]
    fn registered_vtables_are_used() {
        static mut VALUE_ERROR: Vtable =
            Vtable { subclassrange_min: 3, subclassrange_max: 4, name: core::ptr::null(), instance_typeid: 40, instance_size: 24 };
        static mut INFO: ProgramInfo = ProgramInfo { ..EMPTY_INFO };
        let session = Session::begin(true);
        // SAFETY: the statics are only touched by this test, inside its session.
        unsafe {
            let vt = &raw mut VALUE_ERROR;
            (*vt).name = session.alloc_prebuilt_str("ValueError");
            INFO.exc_vtables[BuiltinExc::ValueError as usize] = vt;
            session.start(&[], &raw const INFO, &RtConfig::default()).expect("starts");
            exc::raise(BuiltinExc::ValueError, "bad");
            let (etype, evalue) = exc::current();
            assert_eq!(etype, vt as *const Vtable);
            let obj = evalue as *mut kiln_abi::RBaseException;
            assert_eq!(((*obj).hdr.tid, (*obj).typeptr), (typeid::BASE_EXCEPTION, vt as *const Vtable));
            assert_eq!(rstr::bytes((*obj).message), b"bad");
        }
        exc::raise(BuiltinExc::OSError, "no such file");
        let (_, evalue) = exc::current();
        // SAFETY: an OSError instance.
        assert_eq!(unsafe { (*evalue).hdr.tid }, typeid::OS_ERROR);
    }

    #[test]
    fn the_exported_entry_points_start_and_finish() {
        let _session = Session::begin(true);
        let args = [c"prog".as_ptr(), c"x\xffy".as_ptr()];
        // SAFETY: two valid C strings and a valid static program info.
        let argv = unsafe { kiln_rt_start(2, args.as_ptr(), &EMPTY_INFO) };
        // SAFETY: the list `kiln_rt_start` built.
        unsafe {
            assert_eq!((*argv).length, 2);
            let second = *(core::ptr::addr_of!((*(*argv).items).items) as *const *const RStr).add(1);
            assert_eq!(rstr::bytes(second), "x\u{fffd}y".as_bytes(), "non-UTF-8 arguments are decoded with replacement");
        }
        assert_eq!(kiln_rt_finish(5), 5);
    }

    #[test]
    fn a_mismatched_abi_is_refused() {
        static OLD: ProgramInfo = ProgramInfo { abi_version: ABI_VERSION + 1, ..EMPTY_INFO };
        let session = Session::begin(true);
        // SAFETY: a valid static program info.
        let err = unsafe { session.start(&[], &OLD, &RtConfig::default()) }.unwrap_err();
        assert_eq!(err, StartError::AbiMismatch { program: ABI_VERSION + 1, runtime: ABI_VERSION });
        assert_eq!(session.report_start_error(&err), EXIT_STARTUP_FAILURE);
        assert!(
            String::from_utf8_lossy(&session.take_output().stderr)
                .starts_with(&format!("kiln runtime: this program was translated for runtime ABI version {}", ABI_VERSION + 1))
        );
        // SAFETY: a null info is refused before use.
        assert_eq!(unsafe { session.start(&[], core::ptr::null(), &RtConfig::default()) }, Err(StartError::NoProgramInfo));
        drop(session);
        let _ = started_with(RtConfig::default(), &[], &EMPTY_INFO);
    }
}
