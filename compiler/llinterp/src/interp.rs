//! The interpreter loop over compiled functions ([`crate::compile::CFunc`]).
//!
//! Calls do not recurse on the Rust stack: frames live in a vector and their slots in
//! one register vector, so arbitrarily deep RPy recursion needs no Rust stack at all.
//! `rt_call[kiln_stack_check]` becomes a depth check that raises RecursionError through
//! the runtime past `max_depth` frames, the llinterp's stand-in for the binary's stack
//! limit. A graph without stack checks that recurses past `hard_depth` frames stops the
//! run with [`LlInterpError::DepthLimit`] instead of exhausting memory.

use std::cell::{OnceCell, RefCell};

use kiln_abi::{BuiltinExc, RObject, Vtable};
use kiln_lltype::eval::eval_pure;
use kiln_lltype::typeinfo::varsize_total;
use kiln_lltype::FuncId;
use kiln_runtime::exc;
use kiln_runtime::stack::RECURSION_MESSAGE;

use crate::compile::{compile, CFunc, CompileEnv, Insn, LayoutCache};
use crate::memory::{func_of_tag, is_object_address, load, store};
use crate::LlInterpError;

/// The longest array length `malloc_varsize` sizes exactly; anything longer is certainly
/// more than the heap can hold, and is passed to the runtime as an impossible size so it
/// raises MemoryError.
const MAX_VARSIZE_LENGTH: i64 = 1 << 40;

/// A suspended caller.
struct Frame<'a> {
    func: &'a CFunc,
    /// Where to continue in the caller.
    pc: usize,
    base: usize,
    /// The caller's slot for the result.
    dst: u32,
}

pub(crate) struct Interp<'p> {
    env: CompileEnv<'p>,
    funcs: Vec<OnceCell<CFunc>>,
    layouts: RefCell<LayoutCache>,
    max_depth: usize,
    hard_depth: usize,
}

impl<'p> Interp<'p> {
    pub fn new(env: CompileEnv<'p>, max_depth: usize) -> Interp<'p> {
        let n = env.prog.funcs.len();
        Interp {
            env,
            funcs: (0..n).map(|_| OnceCell::new()).collect(),
            layouts: RefCell::new(LayoutCache::default()),
            max_depth,
            hard_depth: max_depth.saturating_mul(4).max(100_000),
        }
    }

    /// The compiled form of `id`, compiling it on first use.
    fn compiled(&self, id: FuncId) -> Result<&CFunc, LlInterpError> {
        let cell = self.funcs.get(id.0 as usize).ok_or_else(|| LlInterpError::Internal(format!("call to a missing function {id}")))?;
        if let Some(f) = cell.get() {
            return Ok(f);
        }
        let f = compile(&self.env, &mut self.layouts.borrow_mut(), id).map_err(LlInterpError::Internal)?;
        Ok(cell.get_or_init(|| f))
    }

    /// An internal error at instruction `pc` of `func`, with the call stack.
    fn error(&self, func: &CFunc, pc: usize, frames: &[Frame], message: &str) -> LlInterpError {
        let (block, op) = func.origin.get(pc).copied().unwrap_or((kiln_flowgraph::BlockId(u32::MAX), 0));
        let mut text = format!("in {} at {block} op {op}: {message}", func.name);
        for frame in frames.iter().rev().take(8) {
            text.push_str(&format!("\n  called from {}", frame.func.name));
        }
        if frames.len() > 8 {
            text.push_str(&format!("\n  ... {} more frames", frames.len() - 8));
        }
        LlInterpError::Internal(text)
    }

    /// Runs function `entry` on `args` to completion; returns its raw result.
    pub fn call(&self, entry: FuncId, args: &[u64]) -> Result<u64, LlInterpError> {
        let mut f = self.compiled(entry)?;
        if f.nparams != args.len() {
            return Err(LlInterpError::Internal(format!("{} takes {} arguments, got {}", f.name, f.nparams, args.len())));
        }
        let mut regs: Vec<u64> = Vec::with_capacity(1 << 16);
        let mut frames: Vec<Frame> = Vec::new();
        let mut scratch: Vec<u64> = Vec::new();
        let mut base = 0usize;
        regs.extend_from_slice(&f.frame);
        regs[..args.len()].copy_from_slice(args);
        let mut pc = f.entry as usize;

        macro_rules! fail {
            ($($msg:tt)*) => { return Err(self.error(f, pc - 1, &frames, &format!($($msg)*))) };
        }
        macro_rules! r {
            ($slot:expr) => {
                regs[base + $slot as usize]
            };
        }
        /// A pointer operand, checked before it is dereferenced.
        macro_rules! object {
            ($slot:expr, $what:literal) => {{
                let p = r!($slot);
                if !is_object_address(p) {
                    fail!("{} through the invalid pointer {p:#x}", $what);
                }
                p
            }};
        }
        /// The address of item `index` of an array, bounds-checked against its length.
        macro_rules! item_address {
            ($ptr:expr, $index:expr, $shape:expr, $what:literal) => {{
                let p = object!($ptr, $what);
                let i = r!($index);
                // SAFETY: `p` is an object address whose type has a length word there.
                let length = unsafe { load(p + $shape.length_offset as u64, crate::memory::Width::W8) };
                if i >= length {
                    fail!("{} index {} out of bounds for length {}", $what, i as i64, length as i64);
                }
                p + $shape.items_offset as u64 + i * $shape.item_size as u64
            }};
        }

        /// Follows a link: its copies (in parallel when they overlap), then the jump.
        macro_rules! take_link {
            ($link:expr) => {{
                let l = &f.links[$link as usize];
                if l.parallel {
                    scratch.clear();
                    scratch.extend(l.moves.iter().map(|(src, _)| r!(*src)));
                    for ((_, dst), v) in l.moves.iter().zip(&scratch) {
                        r!(*dst) = *v;
                    }
                } else {
                    for (src, dst) in l.moves.iter() {
                        r!(*dst) = r!(*src);
                    }
                }
                pc = l.target as usize;
            }};
        }

        loop {
            let insn = &f.code[pc];
            pc += 1;
            match insn {
                Insn::Pure { op, args, nargs, dst } => {
                    let vals = [r!(args[0]), r!(args[1]), r!(args[2])];
                    match eval_pure(*op, &vals[..*nargs as usize]) {
                        Some(v) => r!(*dst) = v,
                        None => fail!("{} on {:?}: outside the op's domain (the RTyper must guard it)", op.name(), &vals[..*nargs as usize]),
                    }
                }
                Insn::Copy { src, dst } => r!(*dst) = r!(*src),
                Insn::PtrEq { a, b, dst } => r!(*dst) = (r!(*a) == r!(*b)) as u64,
                Insn::PtrNe { a, b, dst } => r!(*dst) = (r!(*a) != r!(*b)) as u64,
                Insn::PtrIsNull { a, dst } => r!(*dst) = (r!(*a) == 0) as u64,
                Insn::PtrNonNull { a, dst } => r!(*dst) = (r!(*a) != 0) as u64,
                Insn::Load { ptr, offset, width, dst } => {
                    let p = object!(*ptr, "getfield");
                    // SAFETY: graphs are typed (the lltype verifier's invariant 1, checked
                    // by `run` in debug builds), so an object address here is an object
                    // with this field.
                    r!(*dst) = unsafe { load(p + *offset as u64, *width) };
                }
                Insn::Store { ptr, offset, width, src } => {
                    let p = object!(*ptr, "setfield");
                    // SAFETY: as for `Load`.
                    unsafe { store(p + *offset as u64, *width, r!(*src)) };
                }
                Insn::LoadItem { ptr, index, shape, dst } => {
                    let a = item_address!(*ptr, *index, shape, "array read");
                    // SAFETY: an in-bounds item.
                    r!(*dst) = unsafe { load(a, shape.width) };
                }
                Insn::StoreItem { ptr, index, shape, src } => {
                    let a = item_address!(*ptr, *index, shape, "array write");
                    // SAFETY: an in-bounds item.
                    unsafe { store(a, shape.width, r!(*src)) };
                }
                Insn::LoadLength { ptr, length_offset, dst } => {
                    let p = object!(*ptr, "array length");
                    // SAFETY: an array object's length word.
                    r!(*dst) = unsafe { load(p + *length_offset as u64, crate::memory::Width::W8) };
                }
                Insn::Malloc { tid, size, dst } => {
                    r!(*dst) = kiln_runtime::kiln_gc_malloc(*tid as i64, *size as i64) as u64;
                }
                Insn::MallocVarsize { tid, length, dst } => {
                    let row = &self.env.rows[*tid as usize];
                    let n = r!(*length) as i64;
                    let size = if (0..=MAX_VARSIZE_LENGTH).contains(&n) { varsize_total(row, n as u64) as i64 } else { i64::MAX };
                    r!(*dst) = kiln_runtime::kiln_gc_malloc_varsize(*tid as i64, size, n, row.length_offset as i64) as u64;
                }
                Insn::Call { callee, args, dst } => {
                    let g = self.compiled(*callee)?;
                    base = self.push_frame(&mut regs, &mut frames, g, args, Frame { func: f, pc, base, dst: *dst })?;
                    f = g;
                    pc = g.entry as usize;
                }
                Insn::IndirectCall { fptr, args, dst } => {
                    let word = r!(*fptr);
                    let Some(callee) = func_of_tag(word).filter(|id| (id.0 as usize) < self.funcs.len()) else {
                        fail!("indirect_call of {word:#x}, which is not a function pointer");
                    };
                    let g = self.compiled(callee)?;
                    if g.nparams != args.len() {
                        fail!("indirect_call passes {} arguments to {}, which takes {}", args.len(), g.name, g.nparams);
                    }
                    base = self.push_frame(&mut regs, &mut frames, g, args, Frame { func: f, pc, base, dst: *dst })?;
                    f = g;
                    pc = g.entry as usize;
                }
                Insn::RtCall { callee, args, dst } => {
                    // Resolution guarantees at most this many (register) arguments.
                    let mut vals = [0u64; crate::rtcall::MAX_ARGS];
                    for (v, a) in vals.iter_mut().zip(args.iter()) {
                        *v = r!(*a);
                    }
                    r!(*dst) = callee.call(&vals[..args.len()]);
                }
                Insn::StackCheck => {
                    if frames.len() >= self.max_depth {
                        exc::raise(BuiltinExc::RecursionError, RECURSION_MESSAGE);
                    }
                }
                Insn::ExcOccurred { dst } => r!(*dst) = exc::is_pending() as u64,
                Insn::ExcType { dst } => r!(*dst) = exc::current().0 as u64,
                Insn::ExcValue { dst } => r!(*dst) = exc::current().1 as u64,
                Insn::ExcClear => exc::clear(),
                Insn::ExcRestore { etype, evalue } => exc::set(r!(*etype) as *const Vtable, r!(*evalue) as *mut RObject),
                Insn::Jump { link } => take_link!(*link),
                Insn::Branch { cond, if_true, if_false } => take_link!(if r!(*cond) != 0 { *if_true } else { *if_false }),
                Insn::Switch { value, cases, default } => {
                    let v = r!(*value);
                    let Some(link) = cases.iter().find(|(c, _)| *c == v).map(|(_, l)| *l).or(*default) else {
                        fail!("switch on {v}, which no case matches");
                    };
                    take_link!(link)
                }
                Insn::Return { src } => {
                    let v = r!(*src);
                    regs.truncate(base);
                    match frames.pop() {
                        None => return Ok(v),
                        Some(caller) => {
                            f = caller.func;
                            pc = caller.pc;
                            base = caller.base;
                            r!(caller.dst) = v;
                        }
                    }
                }
            }
        }
    }

    /// Suspends `caller` and sets up the callee's frame at the end of `regs`, with the
    /// arguments (caller slots) copied in; returns the callee's base.
    #[inline]
    fn push_frame<'a>(
        &self,
        regs: &mut Vec<u64>,
        frames: &mut Vec<Frame<'a>>,
        callee: &'a CFunc,
        args: &[u32],
        caller: Frame<'a>,
    ) -> Result<usize, LlInterpError> {
        if frames.len() >= self.hard_depth {
            return Err(LlInterpError::DepthLimit { depth: frames.len(), function: callee.name.clone() });
        }
        let new_base = regs.len();
        regs.extend_from_slice(&callee.frame);
        for (i, a) in args.iter().enumerate() {
            regs[new_base + i] = regs[caller.base + *a as usize];
        }
        frames.push(caller);
        Ok(new_base)
    }
}
