//! The Cranelift trace backend: one Cranelift function per trace (loop, straight line or
//! bridge), compiled into `cranelift-jit`'s code memory; the lowering itself is in
//! `lower.rs` and `lower_gc.rs`.
//!
//! Traces are `tail`-convention functions `fn(frame, entry) -> exit` (see the module doc
//! of `backend`); one System V trampoline per backend calls them from Rust. Each guard
//! has a [`GuardSlot`] (failure counter, bridge target) that its exit path reads, so a
//! bridge is attached by writing one word: no code is patched (the code memory is
//! mapped read-and-execute once finalized), and the cost is one load and a branch on a
//! path that is already cold. Loops register their target token, so that bridges
//! compiled later can jump to their label.
//!
//! With the runtime's JIT record (`with_runtime`), compiled code can call, allocate, run
//! the write barrier and check exceptions; reference constants then live in a pool that
//! is a GC root (installed as the runtime's root source), so a moving collector updates
//! them. Code memory is never freed: a compiled trace stays callable after the backend is
//! gone.

use std::collections::HashMap;
use std::rc::Rc;

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature, UserFuncName};
use cranelift_codegen::isa::CallConv;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};

use kiln_abi::JitRuntime;

use super::lower::{Ctx, Lower};
use super::lower_gc::shadow_slots;
use crate::backend::{Backend, BackendError, CompiledTrace, ExitInfo, ExitKind, ExitTable, GuardSlot, JitFrame, RootSet};
use crate::descr::{DescrKind, DescrTable};
use crate::ir::{Const, Trace, Type, Value};
use crate::opcode::OpCode;

pub struct CraneliftBackend {
    module: JITModule,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    count: u32,
    /// Where an instance keeps its vtable pointer, for `guard_class` and `new_with_vtable`.
    vtable_offset: Option<i32>,
    rt: Option<&'static JitRuntime>,
    roots: Rc<RootSet>,
    /// Whether `roots` is installed as the runtime's root source (by `with_runtime`).
    roots_installed: bool,
    table: Rc<ExitTable>,
    trampoline: unsafe extern "C" fn(*mut u64, u64, i64) -> u64,
    /// Compiled loops by target token number: label entry and label types.
    targets: HashMap<u32, (u64, Vec<Type>)>,
    /// Code address and size of each compiled trace, by number (for perf maps).
    code_ranges: Vec<(u64, u64)>,
}

fn codegen_err(e: impl std::fmt::Display) -> BackendError {
    BackendError::Codegen(e.to_string())
}

fn trace_signature() -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

impl CraneliftBackend {
    /// A backend for the host machine.
    pub fn new() -> Result<CraneliftBackend, BackendError> {
        let mut flags = settings::builder();
        flags.set("use_colocated_libcalls", "false").map_err(codegen_err)?;
        flags.set("is_pic", "false").map_err(codegen_err)?;
        flags.set("opt_level", "speed").map_err(codegen_err)?;
        // Cranelift's IR verifier checks every function we build: kept in the crate's
        // tests and debug builds, where a lowering bug must be caught, but not in a VM,
        // where it was a tenth of the compile time on bf's mandel.b.
        let verify = cfg!(any(test, debug_assertions));
        flags.set("enable_verifier", if verify { "true" } else { "false" }).map_err(codegen_err)?;
        // Tail calls need the frame pointer chain kept.
        flags.set("preserve_frame_pointers", "true").map_err(codegen_err)?;
        let isa = cranelift_native::builder()
            .map_err(|e| BackendError::Codegen(format!("host machine not supported: {e}")))?
            .finish(settings::Flags::new(flags))
            .map_err(codegen_err)?;
        let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        let mut ctx = module.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let trampoline = Self::make_trampoline(&mut module, &mut ctx, &mut fctx)?;
        Ok(CraneliftBackend {
            module,
            ctx,
            fctx,
            count: 0,
            vtable_offset: None,
            rt: None,
            roots: Rc::new(RootSet::default()),
            roots_installed: false,
            table: Rc::new(ExitTable::default()),
            trampoline,
            targets: HashMap::new(),
            code_ranges: vec![],
        })
    }

    /// `extern "C" fn(frame, code, entry) -> exit`: calls a trace from Rust.
    fn make_trampoline(
        module: &mut JITModule,
        ctx: &mut cranelift_codegen::Context,
        fctx: &mut FunctionBuilderContext,
    ) -> Result<unsafe extern "C" fn(*mut u64, u64, i64) -> u64, BackendError> {
        let mut sig = module.make_signature();
        for _ in 0..3 {
            sig.params.push(AbiParam::new(types::I64));
        }
        sig.returns.push(AbiParam::new(types::I64));
        let id = module.declare_function("kiln_jit_enter", Linkage::Local, &sig).map_err(codegen_err)?;
        module.clear_context(ctx);
        ctx.func.signature = sig;
        ctx.func.name = UserFuncName::user(0, id.as_u32());
        let target_config = module.target_config();
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
            let block = b.create_block();
            b.append_block_params_for_function_params(block);
            b.switch_to_block(block);
            let (frame, code, entry) = (b.block_params(block)[0], b.block_params(block)[1], b.block_params(block)[2]);
            let tsig = b.import_signature(trace_signature());
            let call = b.ins().call_indirect(tsig, code, &[frame, entry]);
            let r = b.inst_results(call)[0];
            b.ins().return_(&[r]);
            b.seal_all_blocks();
            b.finalize(target_config);
        }
        module.define_function(id, ctx).map_err(|e| BackendError::Codegen(format!("{e:?}")))?;
        module.clear_context(ctx);
        module.finalize_definitions().map_err(codegen_err)?;
        let code = module.get_finalized_function(id);
        // SAFETY: compiled with exactly this System V signature.
        Ok(unsafe { std::mem::transmute::<*const u8, unsafe extern "C" fn(*mut u64, u64, i64) -> u64>(code) })
    }

    /// Compiles `guard_class` and `guard_nonnull_class` by reading the vtable pointer at
    /// this offset of instances (after the GC header in Kiln's `RObject`), and
    /// `new_with_vtable` by writing it there.
    pub fn with_vtable_offset(mut self, offset: i32) -> CraneliftBackend {
        self.vtable_offset = Some(offset);
        self
    }

    /// Compiles calls, allocation, the write barrier and exception guards against the
    /// runtime's JIT record of the program's collector, and installs the backend's GC
    /// roots as the runtime's extra root source (removed when the backend is dropped).
    pub fn with_runtime(self, rt: &'static JitRuntime) -> Result<CraneliftBackend, BackendError> {
        let mut b = self.with_runtime_unrooted(rt)?;
        // SAFETY: the root set lives as long as the backend (which removes it on drop).
        unsafe { (rt.set_root_source)(Some(RootSet::source), Rc::as_ptr(&b.roots) as *mut std::ffi::c_void) };
        b.roots_installed = true;
        Ok(b)
    }

    /// As [`CraneliftBackend::with_runtime`], but without installing the backend's GC
    /// roots: the runtime has one root-source slot, and when something else owns it (the
    /// metainterp's `roots.rs`), that owner must visit [`CraneliftBackend::roots`]
    /// (`RootSet::for_each_slot`) from its own source at every collection, or reference
    /// constants and dead frames are neither kept alive nor updated.
    pub fn with_runtime_unrooted(mut self, rt: &'static JitRuntime) -> Result<CraneliftBackend, BackendError> {
        if rt.abi_version != kiln_abi::ABI_VERSION {
            return Err(BackendError::Malformed(format!("runtime ABI version {}, the JIT needs {}", rt.abi_version, kiln_abi::ABI_VERSION)));
        }
        self.rt = Some(rt);
        Ok(self)
    }

    /// Takes the backend's roots out of the runtime's root-source slot (if `with_runtime`
    /// put them there), so that another owner can install a source that visits
    /// [`CraneliftBackend::roots`] among its own. The backend then leaves the slot alone,
    /// also when dropped.
    pub fn release_root_source(&mut self) {
        if let (true, Some(rt)) = (self.roots_installed, self.rt) {
            // SAFETY: removing the source this backend installed.
            unsafe { (rt.set_root_source)(None, std::ptr::null_mut()) };
        }
        self.roots_installed = false;
    }

    /// The backend's GC roots (constant pools and live frames).
    pub fn roots(&self) -> &Rc<RootSet> {
        &self.roots
    }

    /// The exit with this global number.
    pub fn exit(&self, n: u64) -> Option<Rc<ExitInfo>> {
        self.table.get(n)
    }

    /// The number the next compiled trace gets.
    pub fn next_number(&self) -> u32 {
        self.count
    }

    /// Code address and size in bytes of compiled trace `number`.
    pub fn code_range(&self, number: u32) -> Option<(u64, u64)> {
        self.code_ranges.get(number as usize).copied()
    }

    /// Non-null reference constants of the trace, in first-use order.
    fn ref_constants(trace: &Trace) -> Vec<u64> {
        let mut out = Vec::new();
        for op in &trace.ops {
            op.for_each_use(|v| {
                if let Value::Const(Const::Ref(a)) = v {
                    if a != 0 && !out.contains(&a) {
                        out.push(a);
                    }
                }
            });
        }
        out
    }

    fn compile_one(&mut self, trace: &Trace, descrs: &DescrTable, kind: &str) -> Result<(CompiledTrace, Option<(u32, Vec<Type>)>), BackendError> {
        let number = self.count;
        let id: FuncId = self.module.declare_function(&format!("kiln_{kind}_{number}"), Linkage::Local, &trace_signature()).map_err(codegen_err)?;
        self.module.clear_context(&mut self.ctx);
        self.ctx.func.signature = trace_signature();
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
        // Guard slots and the constant pool are made before lowering (the code embeds
        // their addresses) and leaked with the code.
        let guards = trace.ops.iter().filter(|op| op.opcode.is_guard()).count();
        let slots: &'static mut [GuardSlot] = Box::leak((0..guards).map(|_| GuardSlot::default()).collect::<Vec<_>>().into_boxed_slice());
        let slots_ptr = slots.as_mut_ptr();
        let consts = Self::ref_constants(trace);
        let pool_slots: HashMap<u64, usize> = consts.iter().enumerate().map(|(k, &a)| (a, k)).collect();
        // With the runtime, the constants go into a pool that is a GC root: it keeps them
        // alive under every collector, and a moving one updates it, so then compiled code
        // loads them from there (a non-moving one lets them be immediates).
        let pool = match self.rt {
            Some(rt) if !consts.is_empty() => {
                let at = self.roots.add_pool(consts);
                (rt.moving != 0).then_some((at, &pool_slots))
            }
            _ => None,
        };
        let exit_base = self.table.exits.borrow().len() as u64;
        let c_call_conv = self.module.isa().default_call_conv();
        let target_config = self.module.target_config();
        let (exits, label) = {
            let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            let trace_sig = b.import_signature(trace_signature());
            let cx = Ctx { rt: self.rt, vtable_offset: self.vtable_offset, exit_base, slots: slots_ptr, pool, targets: &self.targets, trace_sig, c_call_conv };
            let mut lower = Lower::new(b, trace, descrs, cx);
            let nslots = shadow_slots(trace, descrs, &lower.last_use);
            let r = lower.trace(nslots);
            lower.b.seal_all_blocks();
            match r {
                Ok(()) => {
                    let label = match lower.header {
                        Some((_, target)) => match &descrs.get(target).kind {
                            DescrKind::Target(t) => {
                                let label_op = trace.ops.iter().find(|op| op.opcode == OpCode::Label).ok_or_else(|| BackendError::Malformed("no label".into()))?;
                                let types: Vec<Type> = label_op.args.iter().map(|&a| trace.value_type(a).unwrap_or(Type::Int)).collect();
                                Some((t.number, types))
                            }
                            _ => None,
                        },
                        None => None,
                    };
                    lower.b.finalize(target_config);
                    (lower.exits, label)
                }
                Err(e) => {
                    drop(lower);
                    self.fctx = FunctionBuilderContext::new();
                    self.module.clear_context(&mut self.ctx);
                    return Err(e);
                }
            }
        };
        self.module.define_function(id, &mut self.ctx).map_err(|e| BackendError::Codegen(format!("{e:?}")))?;
        let size = self.ctx.compiled_code().map_or(0, |c| c.code_info().total_size as u64);
        self.module.clear_context(&mut self.ctx);
        self.module.finalize_definitions().map_err(codegen_err)?;
        let code = self.module.get_finalized_function(id) as u64;
        self.count += 1;
        self.code_ranges.push((code, size));
        let mut infos = Vec::new();
        for e in exits {
            let slot = e.slot.map_or(std::ptr::null_mut(), |k| &mut slots[k] as *mut GuardSlot);
            infos.push(Rc::new(ExitInfo { kind: e.kind, trace: number, op: e.op, values: e.values, types: e.types, slot }));
        }
        self.table.exits.borrow_mut().extend(infos.iter().cloned());
        let frame_words = infos.iter().map(|e| e.values.len()).chain([trace.inputargs.len()]).max().unwrap_or(0);
        let input_types = trace.inputargs.iter().map(|&b| trace.box_type(b).unwrap_or(Type::Int)).collect();
        self.table.frame_words.set(self.table.frame_words().max(frame_words).max(label.as_ref().map_or(0, |l| l.1.len())));
        let compiled = CompiledTrace { number, code, trampoline: self.trampoline, exits: infos, frame_words, input_types, table: self.table.clone() };
        Ok((compiled, label))
    }
}

impl Backend for CraneliftBackend {
    fn compile(&mut self, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError> {
        let (compiled, label) = self.compile_one(trace, descrs, "loop")?;
        if let Some((number, types)) = label {
            self.targets.insert(number, (compiled.code, types));
        }
        Ok(compiled)
    }

    fn compile_bridge(&mut self, guard: &ExitInfo, trace: &Trace, descrs: &DescrTable) -> Result<CompiledTrace, BackendError> {
        if guard.kind != ExitKind::Guard || guard.slot.is_null() {
            return Err(BackendError::Malformed("a bridge starts at a guard's exit".into()));
        }
        let inputs: Vec<Type> = trace.inputargs.iter().map(|&b| trace.box_type(b).unwrap_or(Type::Int)).collect();
        if inputs != guard.types {
            return Err(BackendError::Malformed(format!("bridge inputs {inputs:?} do not match the guard's values {:?}", guard.types)));
        }
        if trace.ops.iter().any(|op| op.opcode == OpCode::Label) {
            return Err(BackendError::Unsupported("a bridge with its own label".into()));
        }
        let (compiled, _) = self.compile_one(trace, descrs, "bridge")?;
        // SAFETY: guard slots are leaked and only touched by compiled code and here.
        unsafe { (*guard.slot).target = compiled.code };
        Ok(compiled)
    }

    fn new_frame(&self) -> JitFrame {
        JitFrame::new(self.roots.clone(), self.table.frame_words().max(1))
    }
}

impl Drop for CraneliftBackend {
    fn drop(&mut self) {
        self.release_root_source();
    }
}
