//! Calls from Rust to C-ABI functions of any signature the jitcodes name: one small
//! trampoline per signature, generated with Cranelift the first time it is needed
//! (`extern "C" fn(target, args) -> u64`: it loads each argument from the array, as an
//! `i64` or as an `f64`, calls `target` with the platform's C convention, and returns
//! the result as 64 bits). This is how the LLVM backend's code calls the same functions
//! (ints, bools, chars and references as integer registers, floats as `f64`), for any
//! number and order of arguments, without libffi.

use std::collections::HashMap;

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, UserFuncName};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};

use kiln_jitcode::Bank;

type Trampoline = unsafe extern "C" fn(target: u64, args: *const u64) -> u64;

/// The trampolines made so far, by signature.
struct Trampolines {
    module: JITModule,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    made: HashMap<(Vec<Bank>, Option<Bank>), Trampoline>,
}

fn err(e: impl std::fmt::Display) -> String {
    format!("call trampoline: {e}")
}

impl Trampolines {
    fn new() -> Result<Trampolines, String> {
        let mut flags = settings::builder();
        flags.set("use_colocated_libcalls", "false").map_err(err)?;
        flags.set("is_pic", "false").map_err(err)?;
        flags.set("preserve_frame_pointers", "true").map_err(err)?;
        let isa = cranelift_native::builder().map_err(|e| err(format!("host machine not supported: {e}")))?.finish(settings::Flags::new(flags)).map_err(err)?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        let ctx = module.make_context();
        Ok(Trampolines { module, ctx, fctx: FunctionBuilderContext::new(), made: HashMap::new() })
    }

    /// The trampoline for functions taking `args` (in C order) and returning `result`.
    fn get(&mut self, args: &[Bank], result: Option<Bank>) -> Result<Trampoline, String> {
        let key = (args.to_vec(), result);
        if let Some(t) = self.made.get(&key) {
            return Ok(*t);
        }
        let ty = |b: Bank| if b == Bank::Float { types::F64 } else { types::I64 };
        let mut outer = self.module.make_signature();
        outer.params.push(AbiParam::new(types::I64));
        outer.params.push(AbiParam::new(types::I64));
        outer.returns.push(AbiParam::new(types::I64));
        let mut inner = self.module.make_signature();
        inner.params.extend(args.iter().map(|&b| AbiParam::new(ty(b))));
        inner.returns.extend(result.map(|b| AbiParam::new(ty(b))));
        let name = format!("kiln_bh_call_{}", self.made.len());
        let id = self.module.declare_function(&name, Linkage::Local, &outer).map_err(err)?;
        self.module.clear_context(&mut self.ctx);
        self.ctx.func.signature = outer;
        self.ctx.func.name = UserFuncName::user(1, id.as_u32());
        let config = self.module.target_config();
        {
            let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            let block = b.create_block();
            b.append_block_params_for_function_params(block);
            b.switch_to_block(block);
            let (target, base) = (b.block_params(block)[0], b.block_params(block)[1]);
            let vals: Vec<_> = args.iter().enumerate().map(|(k, &bank)| b.ins().load(ty(bank), MemFlagsData::trusted(), base, (8 * k) as i32)).collect();
            let sig = b.import_signature(inner);
            let call = b.ins().call_indirect(sig, target, &vals);
            let out = match (result, b.inst_results(call).first().copied()) {
                (Some(Bank::Float), Some(v)) => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
                (_, Some(v)) => v,
                (_, None) => b.ins().iconst(types::I64, 0),
            };
            b.ins().return_(&[out]);
            b.seal_all_blocks();
            b.finalize(config);
        }
        self.module.define_function(id, &mut self.ctx).map_err(|e| err(format!("{e:?}")))?;
        self.module.clear_context(&mut self.ctx);
        self.module.finalize_definitions().map_err(err)?;
        let code = self.module.get_finalized_function(id);
        // SAFETY: compiled with exactly this signature in the host's C convention.
        let t = unsafe { std::mem::transmute::<*const u8, Trampoline>(code) };
        self.made.insert(key, t);
        Ok(t)
    }
}

thread_local! {
    static TRAMPOLINES: std::cell::RefCell<Option<Trampolines>> = const { std::cell::RefCell::new(None) };
}

/// Calls `target` with `args` (one word each, in C order, floats as bits) as a function
/// taking `banks` and returning `result`; returns the result's 64 bits (0 for none). The
/// trampoline table is not borrowed during the call, so the callee may come back into the
/// metainterp (a residual call of the portal reaches its merge point).
///
/// # Safety
/// `target` must be a function of exactly that signature, and calling it with these
/// arguments must be sound.
pub unsafe fn call(target: u64, banks: &[Bank], result: Option<Bank>, args: &[u64]) -> Result<u64, String> {
    if banks.len() != args.len() {
        return Err(format!("{} arguments for a signature of {}", args.len(), banks.len()));
    }
    let t = TRAMPOLINES.with(|t| {
        let mut t = t.borrow_mut();
        if t.is_none() {
            *t = Some(Trampolines::new()?);
        }
        t.as_mut().expect("made above").get(banks, result)
    })?;
    // SAFETY: per this function's contract; `args` has one word per parameter.
    Ok(unsafe { t(target, args.as_ptr()) })
}
