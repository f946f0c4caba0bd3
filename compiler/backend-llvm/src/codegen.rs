//! Lowering of functions: one LLVM function per `LlFunc`, one basic block per graph
//! block, phi nodes for block inputs, and the meaning of every low-level op (the same as
//! `kiln_lltype::eval` and the llinterp; differential tests compare them).
//!
//! Control flow: a link passes its values to the target's phis. A block entered by one
//! link only needs no phis: its inputs are the link's values, since the source dominates
//! it (and is lowered first: blocks are lowered in depth-first preorder, which visits such
//! a block after its only predecessor). When two exits of one block go to the same
//! target, each goes through its own edge block, since a phi has one entry per
//! predecessor block. Links to the return block return directly when they
//! are a block's only exit, else branch to one shared return block.
//!
//! Ops whose LLVM counterpart has undefined or trapping cases get Python's meaning:
//! `int_floordiv`/`int_mod` floor, and `i64::MIN // -1` (which traps in `idiv`) wraps;
//! shift counts are masked to 0..64 (the RTyper guarantees the range, the mask costs
//! nothing on x86 and keeps out-of-range counts from being poison); float `!=` is true
//! for NaN and the other comparisons false.

use std::collections::HashMap;

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::{Linkage, Module};
use inkwell::targets::TargetMachine;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::{BasicMetadataValueEnum, BasicValue, BasicValueEnum, FloatValue, FunctionValue, GlobalValue, IntValue, PhiValue, PointerValue};
use inkwell::{FloatPredicate, IntPredicate};
use kiln_flowgraph::{BlockId, ExitSwitch, Link, LinkCase, Operation, Value, Var};
use kiln_lltype::types::VarsizeLayout;
use kiln_lltype::{kind_of, FuncKind, Kind, Ll, LlConst, LlFunc, LlGraph, LlOp, LlProgram, LlType, RtFn, TypeId};

use crate::types::TypeMap;
use crate::BackendError;

/// The lowering of the ops the GC transform makes.
mod gcops;
/// The lowering of the ops of the JIT portal rewrite.
mod jitops;

/// What lowering the whole program shares.
pub(crate) struct Lowering<'a, 'ctx> {
    pub ctx: &'ctx Context,
    pub module: Module<'ctx>,
    pub builder: Builder<'ctx>,
    pub prog: &'a LlProgram,
    pub types: TypeMap<'ctx>,
    /// LLVM functions by `FuncId`.
    pub funcs: Vec<FunctionValue<'ctx>>,
    /// LLVM globals by `StaticId`.
    pub statics: Vec<GlobalValue<'ctx>>,
    exc_type: GlobalValue<'ctx>,
    exc_value: GlobalValue<'ctx>,
}

/// Builds the LLVM module of `prog` for `machine`.
pub(crate) fn lower_program<'ctx>(ctx: &'ctx Context, prog: &LlProgram, machine: &TargetMachine, jit: Option<&crate::JitEmbed>) -> Result<Module<'ctx>, BackendError> {
    let module = ctx.create_module("kiln");
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
    let types = TypeMap::new(ctx, &prog.types);
    let ptr = types.ptr();
    // The runtime's exception state (see `kiln_transform::exceptions`).
    let exc_type = module.add_global(ptr, None, "kiln_exc_type");
    let exc_value = module.add_global(ptr, None, "kiln_exc_value");
    let mut cx = Lowering { ctx, builder: ctx.create_builder(), module, prog, types, funcs: Vec::new(), statics: Vec::new(), exc_type, exc_value };
    for f in &prog.funcs {
        let fty = cx.types.fn_type(&prog.types, f.ty);
        let fv = cx.module.add_function(&format!("kiln.{}", f.name), fty, Some(Linkage::Internal));
        if f.hints.always_inline || is_small_helper(f) {
            fv.add_attribute(AttributeLoc::Function, ctx.create_enum_attribute(Attribute::get_named_enum_kind_id("alwaysinline"), 0));
        }
        cx.funcs.push(fv);
    }
    cx.declare_statics()?;
    cx.init_statics()?;
    for (i, f) in prog.funcs.iter().enumerate() {
        FnLowering::new(&cx, f, cx.funcs[i]).lower()?;
    }
    let info = cx.emit_program_info()?;
    let jit_record = jit.map(|j| cx.emit_jit_program(j)).transpose()?;
    cx.emit_main(info, jit_record)?;
    Ok(cx.module)
}

/// The most operations an RTyper helper may have to be inlined everywhere.
const SMALL_HELPER_OPS: usize = 8;

/// Whether `f` is a tiny RTyper helper (a list's `getitem`/`setitem` with its bounds
/// check, a field accessor...), which every call site inlines (`alwaysinline`): LLVM's
/// inliner otherwise stops inlining them into a very large caller (an interpreter's
/// dispatch loop) once the caller has grown, which turns one load or store into a call.
fn is_small_helper(f: &LlFunc) -> bool {
    f.kind == FuncKind::Helper && f.graph.blocks.iter().map(|b| b.ops.len()).sum::<usize>() <= SMALL_HELPER_OPS
}

impl<'a, 'ctx> Lowering<'a, 'ctx> {
    /// The declaration of a runtime function, with the signature of the runtime table.
    pub(crate) fn runtime_fn(&self, f: RtFn) -> Result<FunctionValue<'ctx>, BackendError> {
        let info = f.info();
        if let Some(existing) = self.module.get_function(info.symbol) {
            return Ok(existing);
        }
        let params: Vec<BasicMetadataTypeEnum<'ctx>> = info
            .args
            .iter()
            .map(|k| self.types.kind_type(*k).map(Into::into).ok_or_else(|| BackendError::Internal(format!("{} takes a Void argument", info.symbol))))
            .collect::<Result<_, _>>()?;
        let fty = match self.types.kind_type(info.ret) {
            Some(r) => r.fn_type(&params, false),
            None => self.ctx.void_type().fn_type(&params, false),
        };
        let fv = self.module.add_function(info.symbol, fty, Some(Linkage::External));
        // C's bool and char arrive zero-extended; say so, as clang does.
        let zeroext = self.ctx.create_enum_attribute(Attribute::get_named_enum_kind_id("zeroext"), 0);
        for (i, k) in info.args.iter().enumerate() {
            if matches!(k, Kind::Bool | Kind::Char) {
                fv.add_attribute(AttributeLoc::Param(i as u32), zeroext);
            }
        }
        if matches!(info.ret, Kind::Bool | Kind::Char) {
            fv.add_attribute(AttributeLoc::Return, zeroext);
        }
        Ok(fv)
    }

    fn external_fn(&self, name: &str, ty: inkwell::types::FunctionType<'ctx>) -> FunctionValue<'ctx> {
        self.module.get_function(name).unwrap_or_else(|| self.module.add_function(name, ty, Some(Linkage::External)))
    }

    /// `int main(int argc, char **argv)`: starts the runtime, calls the entry point with
    /// the argument list and lets the runtime turn its result (or a pending exception)
    /// into the exit status.
    fn emit_main(&self, info: GlobalValue<'ctx>, jit_record: Option<GlobalValue<'ctx>>) -> Result<(), BackendError> {
        let entry = self.prog.entry.ok_or(BackendError::NoEntryPoint)?;
        let f = self.prog.func(entry);
        let ok = match self.prog.types.get(f.ty) {
            LlType::Func { args, ret } => args.len() == 1 && kind_of(args[0]) == Kind::Ptr && *ret == TypeId::SIGNED,
            _ => false,
        };
        if !ok {
            return Err(BackendError::BadEntryPoint { name: f.name.clone(), found: self.prog.types.name(f.ty) });
        }
        let i32t = self.ctx.i32_type();
        let i64t = self.ctx.i64_type();
        let ptr = self.types.ptr();
        let start = self.external_fn("kiln_rt_start", ptr.fn_type(&[i32t.into(), ptr.into(), ptr.into()], false));
        let finish = self.external_fn("kiln_rt_finish", i32t.fn_type(&[i64t.into()], false));
        let main = self.module.add_function("main", i32t.fn_type(&[i32t.into(), ptr.into()], false), Some(Linkage::External));
        let bb = self.ctx.append_basic_block(main, "entry");
        let b = &self.builder;
        b.position_at_end(bb);
        let argc = main.get_nth_param(0).expect("main has argc");
        let argv = main.get_nth_param(1).expect("main has argv");
        argc.set_name("argc");
        argv.set_name("argv");
        let list = call_value(b.build_call(start, &[argc.into(), argv.into(), info.as_pointer_value().into()], "argv_list")?)?;
        if let Some(record) = jit_record {
            let init = self.external_fn(kiln_abi::SYM_JIT_INIT, self.ctx.void_type().fn_type(&[ptr.into()], false));
            b.build_call(init, &[record.as_pointer_value().into()], "")?;
        }
        let result = call_value(b.build_call(self.funcs[entry.0 as usize], &[list.into()], "result")?)?;
        if jit_record.is_some() {
            let exit = self.external_fn(kiln_abi::SYM_JIT_EXIT, self.ctx.void_type().fn_type(&[], false));
            b.build_call(exit, &[], "")?;
        }
        let status = call_value(b.build_call(finish, &[result.into()], "status")?)?;
        b.build_return(Some(&status))?;
        Ok(())
    }
}

fn call_value<'ctx>(site: inkwell::values::CallSiteValue<'ctx>) -> Result<BasicValueEnum<'ctx>, BackendError> {
    site.try_as_basic_value().basic().ok_or_else(|| BackendError::Internal("a call expected to return a value returns void".into()))
}

/// Lowering of one function.
struct FnLowering<'l, 'a, 'ctx> {
    cx: &'l Lowering<'a, 'ctx>,
    f: &'a LlFunc,
    g: &'a LlGraph,
    fv: FunctionValue<'ctx>,
    blocks: HashMap<BlockId, BasicBlock<'ctx>>,
    /// The phi of each non-Void input of each block entered by several links (`None`
    /// for Void inputs).
    phis: HashMap<BlockId, Vec<Option<PhiValue<'ctx>>>>,
    /// Blocks entered by a single link, whose inputs take the link's values.
    single_entry: std::collections::HashSet<BlockId>,
    /// The value of every variable defined so far; `None` for Void.
    values: HashMap<Var, Option<BasicValueEnum<'ctx>>>,
    /// The shared return block and its phi, made on first use.
    ret_block: Option<(BasicBlock<'ctx>, Option<PhiValue<'ctx>>)>,
    /// The function's shadow-stack frame, once `gc_push_frame` made it.
    frame_base: Option<PointerValue<'ctx>>,
    /// The function checks the stack (it is on a recursion cycle): its calls are
    /// `notail`, so that LLVM does not turn unbounded recursion into a loop that never
    /// reaches the check (the program must raise RecursionError, as in Python).
    notail: bool,
}

impl<'l, 'a, 'ctx> FnLowering<'l, 'a, 'ctx> {
    fn new(cx: &'l Lowering<'a, 'ctx>, f: &'a LlFunc, fv: FunctionValue<'ctx>) -> Self {
        let notail = f.graph.blocks.iter().any(|b| b.ops.iter().any(|o| o.op == LlOp::RtCall(RtFn::StackCheck)));
        FnLowering { cx, f, g: &f.graph, fv, blocks: HashMap::new(), phis: HashMap::new(), single_entry: Default::default(), values: HashMap::new(), ret_block: None, frame_base: None, notail }
    }

    /// Marks a call `notail` in a function with a stack check (see [`FnLowering::notail`]).
    fn mark_call(&self, call: inkwell::values::CallSiteValue<'ctx>) -> inkwell::values::CallSiteValue<'ctx> {
        if self.notail {
            use inkwell::values::AsValueRef;
            // SAFETY: `call` is a call instruction this builder just created.
            unsafe { inkwell::llvm_sys::core::LLVMSetTailCallKind(call.as_value_ref(), inkwell::llvm_sys::LLVMTailCallKind::LLVMTailCallKindNoTail) };
        }
        call
    }

    fn b(&self) -> &Builder<'ctx> {
        &self.cx.builder
    }

    fn internal(&self, msg: impl std::fmt::Display) -> BackendError {
        BackendError::Internal(format!("function {}: {msg}", self.f.name))
    }

    fn lower(mut self) -> Result<(), BackendError> {
        let g = self.g;
        let order: Vec<BlockId> = g.reachable_blocks().into_iter().filter(|b| !g.is_final(*b)).collect();
        if g.reachable_blocks().contains(&g.exceptblock) {
            return Err(self.internal("a link raises to the except block: the exception transform has not run"));
        }
        // Incoming links per block; the start block has one more, from the function entry.
        let mut incoming: HashMap<BlockId, usize> = HashMap::new();
        for &b in &order {
            for link in &g.block(b).exits {
                *incoming.entry(link.target).or_default() += 1;
            }
        }
        let has_preds = incoming.contains_key(&g.startblock);
        for &b in &order {
            if b != g.startblock && incoming.get(&b) == Some(&1) {
                self.single_entry.insert(b);
            }
        }
        // LLVM's entry block may have no predecessors; a start block that is a loop
        // header gets a separate entry block that jumps to it.
        let entry = if has_preds { Some(self.cx.ctx.append_basic_block(self.fv, "entry")) } else { None };
        for &b in &order {
            let bb = self.cx.ctx.append_basic_block(self.fv, &b.to_string());
            self.blocks.insert(b, bb);
        }
        let params: Vec<Var> = g.params().to_vec();
        let mut llvm_params = self.fv.get_param_iter();
        let mut param_values = Vec::with_capacity(params.len());
        for &p in &params {
            let value = match self.cx.types.value_type(*g.var_type(p)) {
                Some(_) => {
                    let v = llvm_params.next().ok_or_else(|| self.internal("the graph has more parameters than the function type"))?;
                    v.set_name(&g.var_name(p));
                    Some(v)
                }
                None => None,
            };
            param_values.push(value);
        }
        for &b in &order {
            let bb = self.blocks[&b];
            self.b().position_at_end(bb);
            let mut phis = Vec::new();
            for &input in &g.block(b).inputargs {
                let needs_phi = if b == g.startblock { has_preds } else { !self.single_entry.contains(&b) };
                let phi = match self.cx.types.value_type(*g.var_type(input)) {
                    Some(t) if needs_phi => Some(self.b().build_phi(t, &g.var_name(input))?),
                    _ => None,
                };
                phis.push(phi);
            }
            self.phis.insert(b, phis);
        }
        let start_bb = self.blocks[&g.startblock];
        self.b().position_at_end(entry.unwrap_or(start_bb));
        self.assume_no_exception_set()?;
        match entry {
            Some(entry) => {
                self.b().position_at_end(entry);
                for (phi, value) in self.phis[&g.startblock].iter().zip(&param_values) {
                    if let (Some(phi), Some(value)) = (phi, value) {
                        phi.add_incoming(&[(value as &dyn BasicValue, entry)]);
                    }
                }
                self.b().build_unconditional_branch(start_bb)?;
            }
            None => {
                for (&p, value) in params.iter().zip(param_values) {
                    self.values.insert(p, value);
                }
            }
        }
        for &b in &order {
            self.lower_block(b)?;
        }
        Ok(())
    }

    /// Tells LLVM that no exception is set when the function is entered: callers test
    /// the state after every call that can raise and return at once when it is set, and
    /// a handler clears it before it runs, so no call is made while one is set. Once a
    /// callee is inlined, this lets LLVM fold the caller's test on the callee's paths
    /// that do not raise (a list access's bounds check that passed, say), which it
    /// otherwise keeps since it knows nothing of the global. The load only feeds the
    /// assumption: no code is emitted for it.
    fn assume_no_exception_set(&self) -> Result<(), BackendError> {
        let b = self.b();
        let t = b.build_load(self.cx.types.ptr(), self.cx.exc_type.as_pointer_value(), "exc_on_entry")?.into_pointer_value();
        let clear = b.build_is_null(t, "no_exc_on_entry")?;
        let assume = self.intrinsic("llvm.assume", &[])?;
        b.build_call(assume, &[clear.into()], "")?;
        Ok(())
    }

    fn lower_block(&mut self, b: BlockId) -> Result<(), BackendError> {
        let g = self.g;
        let block = g.block(b);
        self.b().position_at_end(self.blocks[&b]);
        for (input, phi) in block.inputargs.iter().zip(self.phis[&b].clone()) {
            match phi {
                Some(phi) => {
                    self.values.insert(*input, Some(phi.as_basic_value()));
                }
                // Set by the single incoming link, or Void.
                None => {
                    self.values.entry(*input).or_insert(None);
                }
            }
        }
        for op in &block.ops {
            let value = self.lower_op(op)?;
            self.values.insert(op.result, value);
        }
        match &block.exitswitch {
            ExitSwitch::None => {
                let [link] = block.exits.as_slice() else {
                    return Err(self.internal(format!("{b} has no switch but {} exits", block.exits.len())));
                };
                if link.target == g.returnblock {
                    let value = match link.args.first() {
                        Some(v) => self.operand(v)?,
                        None => None,
                    };
                    match value {
                        Some(v) => self.b().build_return(Some(&v))?,
                        None => self.b().build_return(None)?,
                    };
                } else {
                    let here = self.current_block()?;
                    let target = self.link_to(link, here, false)?;
                    self.b().build_unconditional_branch(target)?;
                }
            }
            ExitSwitch::Value(v) => self.lower_switch(b, v)?,
            ExitSwitch::LastException => {
                return Err(self.internal(format!("{b} catches exceptions: the exception transform has not run")));
            }
        }
        Ok(())
    }

    fn current_block(&self) -> Result<BasicBlock<'ctx>, BackendError> {
        self.b().get_insert_block().ok_or_else(|| self.internal("the builder has no position"))
    }

    fn lower_switch(&mut self, b: BlockId, switch_on: &Value<LlConst>) -> Result<(), BackendError> {
        let block = self.g.block(b);
        let value = self.operand(switch_on)?.ok_or_else(|| self.internal("a switch on a Void value"))?;
        let value = match value {
            BasicValueEnum::IntValue(i) => i,
            _ => return Err(self.internal("a switch on a non-integer value")),
        };
        let here = self.current_block()?;
        let mut seen: HashMap<BlockId, usize> = HashMap::new();
        for link in &block.exits {
            *seen.entry(link.target).or_default() += 1;
        }
        let mut targets = Vec::with_capacity(block.exits.len());
        for link in &block.exits {
            targets.push(self.link_to(link, here, seen[&link.target] > 1)?);
        }
        self.b().position_at_end(here);
        let case_of = |c: &LinkCase<LlConst>| -> Option<IntValue<'ctx>> {
            let t = value.get_type();
            match c {
                LinkCase::Bool(x) => Some(t.const_int(*x as u64, false)),
                LinkCase::Int(x) => Some(t.const_int(*x as u64, true)),
                LinkCase::Char(x) => Some(t.const_int(*x as u64, false)),
                _ => None,
            }
        };
        // A two-way switch on a Bool is a conditional branch.
        if let [l0, l1] = block.exits.as_slice() {
            if let (LinkCase::Bool(a), LinkCase::Bool(_)) = (&l0.case, &l1.case) {
                let (t, f) = if *a { (targets[0], targets[1]) } else { (targets[1], targets[0]) };
                self.b().build_conditional_branch(value, t, f)?;
                return Ok(());
            }
        }
        let mut cases = Vec::new();
        let mut default = None;
        for (link, target) in block.exits.iter().zip(&targets) {
            match case_of(&link.case) {
                Some(c) => cases.push((c, *target)),
                None if link.case == LinkCase::Default => default = Some(*target),
                None => return Err(self.internal(format!("{b}: a value switch has case {:?}", link.case))),
            }
        }
        let default = match default {
            Some(d) => d,
            None => {
                // The cases cover every value the switch can see.
                let bb = self.cx.ctx.append_basic_block(self.fv, "no_case");
                self.b().position_at_end(bb);
                self.b().build_unreachable()?;
                self.b().position_at_end(here);
                bb
            }
        };
        self.b().build_switch(value, default, &cases)?;
        Ok(())
    }

    /// Returns the LLVM block a branch along `link` from `from` goes to, after adding the
    /// link's values to the target's phis (through a new edge block with `via_edge`).
    fn link_to(&mut self, link: &Link<LlConst>, from: BasicBlock<'ctx>, via_edge: bool) -> Result<BasicBlock<'ctx>, BackendError> {
        let args: Vec<Option<BasicValueEnum<'ctx>>> = link.args.iter().map(|a| self.operand(a)).collect::<Result<_, _>>()?;
        if self.single_entry.contains(&link.target) {
            for (&input, arg) in self.g.block(link.target).inputargs.iter().zip(args) {
                if let Some(arg) = arg {
                    // Name the value after the block input it stands for, when unnamed.
                    if arg.as_instruction_value().is_some() && arg.get_name().to_bytes().is_empty() {
                        arg.set_name(&self.g.var_name(input));
                    }
                }
                self.values.insert(input, arg);
            }
            return Ok(self.blocks[&link.target]);
        }
        let (target_bb, phis) = if link.target == self.g.returnblock {
            let (bb, phi) = self.return_block()?;
            (bb, vec![phi])
        } else {
            let bb = *self.blocks.get(&link.target).ok_or_else(|| self.internal(format!("a link targets {}, which is not lowered", link.target)))?;
            (bb, self.phis[&link.target].clone())
        };
        let pred = if via_edge {
            let edge = self.cx.ctx.append_basic_block(self.fv, "edge");
            self.b().position_at_end(edge);
            self.b().build_unconditional_branch(target_bb)?;
            self.b().position_at_end(from);
            edge
        } else {
            from
        };
        for (phi, arg) in phis.iter().zip(&args) {
            if let (Some(phi), Some(arg)) = (phi, arg) {
                phi.add_incoming(&[(arg as &dyn BasicValue, pred)]);
            }
        }
        Ok(if via_edge { pred } else { target_bb })
    }

    fn return_block(&mut self) -> Result<(BasicBlock<'ctx>, Option<PhiValue<'ctx>>), BackendError> {
        if let Some(r) = self.ret_block {
            return Ok(r);
        }
        let here = self.current_block()?;
        let bb = self.cx.ctx.append_basic_block(self.fv, "return");
        self.b().position_at_end(bb);
        let rv = self.g.return_var();
        let phi = match self.cx.types.value_type(*self.g.var_type(rv)) {
            Some(t) => {
                let phi = self.b().build_phi(t, &self.g.var_name(rv))?;
                self.b().build_return(Some(&phi.as_basic_value()))?;
                Some(phi)
            }
            None => {
                self.b().build_return(None)?;
                None
            }
        };
        self.b().position_at_end(here);
        self.ret_block = Some((bb, phi));
        Ok((bb, phi))
    }

    fn operand(&self, v: &Value<LlConst>) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        match v {
            Value::Var(x) => self.values.get(x).copied().ok_or_else(|| self.internal(format!("{} is used before it is defined", self.g.var_name(*x)))),
            Value::Const(c) => self.cx.const_value(c),
        }
    }

    fn value_type_of(&self, v: &Value<LlConst>) -> TypeId {
        match v {
            Value::Var(x) => *self.g.var_type(*x),
            Value::Const(c) => c.ty(),
        }
    }

    fn arg(&self, op: &Operation<Ll>, i: usize) -> Result<BasicValueEnum<'ctx>, BackendError> {
        let v = op.args.get(i).ok_or_else(|| self.internal(format!("{} lacks argument {i}", op.op.name())))?;
        self.operand(v)?.ok_or_else(|| self.internal(format!("argument {i} of {} is Void", op.op.name())))
    }

    fn int(&self, op: &Operation<Ll>, i: usize) -> Result<IntValue<'ctx>, BackendError> {
        match self.arg(op, i)? {
            BasicValueEnum::IntValue(v) => Ok(v),
            other => Err(self.internal(format!("argument {i} of {} is {:?}, expected an integer", op.op.name(), other.get_type()))),
        }
    }

    fn float(&self, op: &Operation<Ll>, i: usize) -> Result<FloatValue<'ctx>, BackendError> {
        match self.arg(op, i)? {
            BasicValueEnum::FloatValue(v) => Ok(v),
            other => Err(self.internal(format!("argument {i} of {} is {:?}, expected a float", op.op.name(), other.get_type()))),
        }
    }

    fn ptr(&self, op: &Operation<Ll>, i: usize) -> Result<PointerValue<'ctx>, BackendError> {
        match self.arg(op, i)? {
            BasicValueEnum::PointerValue(v) => Ok(v),
            other => Err(self.internal(format!("argument {i} of {} is {:?}, expected a pointer", op.op.name(), other.get_type()))),
        }
    }

    fn i64(&self, x: i64) -> IntValue<'ctx> {
        self.cx.ctx.i64_type().const_int(x as u64, true)
    }

    fn i32(&self, x: u32) -> IntValue<'ctx> {
        self.cx.ctx.i32_type().const_int(x as u64, false)
    }

    /// Lowers one op; returns its value (`None` for Void results).
    fn lower_op(&mut self, op: &Operation<Ll>) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        let name = self.g.var_name(op.result);
        let name = name.as_str();
        let res_ty = *self.g.var_type(op.result);
        let b = &self.cx.builder;
        let ctx = self.cx.ctx;
        use IntPredicate as IP;
        let icmp = |p: IP, s: &Self| -> Result<Option<BasicValueEnum<'ctx>>, BackendError> { Ok(Some(b.build_int_compare(p, s.int(op, 0)?, s.int(op, 1)?, name)?.into())) };
        let fcmp = |p: FloatPredicate, s: &Self| -> Result<Option<BasicValueEnum<'ctx>>, BackendError> { Ok(Some(b.build_float_compare(p, s.float(op, 0)?, s.float(op, 1)?, name)?.into())) };
        let some = |v: BasicValueEnum<'ctx>| Ok(Some(v));
        match op.op {
            LlOp::IntAdd | LlOp::UintAdd => some(b.build_int_add(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntSub | LlOp::UintSub => some(b.build_int_sub(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntMul | LlOp::UintMul => some(b.build_int_mul(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntFloorDiv => some(self.floordiv(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntMod => some(self.modulo(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntNeg => some(b.build_int_sub(self.i64(0), self.int(op, 0)?, name)?.into()),
            LlOp::IntAbs => {
                let a = self.int(op, 0)?;
                let neg = b.build_int_compare(IP::SLT, a, self.i64(0), "")?;
                let minus = b.build_int_sub(self.i64(0), a, "")?;
                some(b.build_select(neg, minus, a, name)?)
            }
            LlOp::IntInvert | LlOp::UintInvert => some(b.build_not(self.int(op, 0)?, name)?.into()),
            LlOp::IntAnd | LlOp::UintAnd => some(b.build_and(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntOr | LlOp::UintOr => some(b.build_or(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntXor | LlOp::UintXor => some(b.build_xor(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::IntLshift | LlOp::UintLshift => {
                let count = b.build_and(self.int(op, 1)?, self.i64(63), "")?;
                some(b.build_left_shift(self.int(op, 0)?, count, name)?.into())
            }
            LlOp::IntRshift | LlOp::UintRshift => {
                let count = b.build_and(self.int(op, 1)?, self.i64(63), "")?;
                some(b.build_right_shift(self.int(op, 0)?, count, op.op == LlOp::IntRshift, name)?.into())
            }
            LlOp::IntEq | LlOp::UintEq | LlOp::BoolEq | LlOp::CharEq | LlOp::UniCharEq => icmp(IP::EQ, self),
            LlOp::IntNe | LlOp::UintNe | LlOp::UniCharNe => icmp(IP::NE, self),
            LlOp::IntLt => icmp(IP::SLT, self),
            LlOp::IntLe => icmp(IP::SLE, self),
            LlOp::IntGt => icmp(IP::SGT, self),
            LlOp::IntGe => icmp(IP::SGE, self),
            LlOp::UintLt | LlOp::CharLt | LlOp::UniCharLt => icmp(IP::ULT, self),
            LlOp::UintLe | LlOp::UniCharLe => icmp(IP::ULE, self),
            LlOp::UintGt | LlOp::UniCharGt => icmp(IP::UGT, self),
            LlOp::UintGe | LlOp::UniCharGe => icmp(IP::UGE, self),
            LlOp::IntIsTrue => some(b.build_int_compare(IP::NE, self.int(op, 0)?, self.i64(0), name)?.into()),
            LlOp::IntAddOverflows => some(self.overflows("llvm.sadd.with.overflow", op, name)?),
            LlOp::IntSubOverflows => some(self.overflows("llvm.ssub.with.overflow", op, name)?),
            LlOp::IntMulOverflows => some(self.overflows("llvm.smul.with.overflow", op, name)?),
            LlOp::IntBetween => {
                let lo_ok = b.build_int_compare(IP::SLE, self.int(op, 0)?, self.int(op, 1)?, "")?;
                let hi_ok = b.build_int_compare(IP::SLT, self.int(op, 1)?, self.int(op, 2)?, "")?;
                some(b.build_and(lo_ok, hi_ok, name)?.into())
            }
            LlOp::UintFloorDiv => some(b.build_int_unsigned_div(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::UintMod => some(b.build_int_unsigned_rem(self.int(op, 0)?, self.int(op, 1)?, name)?.into()),
            LlOp::FloatAdd => some(b.build_float_add(self.float(op, 0)?, self.float(op, 1)?, name)?.into()),
            LlOp::FloatSub => some(b.build_float_sub(self.float(op, 0)?, self.float(op, 1)?, name)?.into()),
            LlOp::FloatMul => some(b.build_float_mul(self.float(op, 0)?, self.float(op, 1)?, name)?.into()),
            LlOp::FloatTrueDiv => some(b.build_float_div(self.float(op, 0)?, self.float(op, 1)?, name)?.into()),
            LlOp::FloatNeg => some(b.build_float_neg(self.float(op, 0)?, name)?.into()),
            LlOp::FloatAbs => {
                let fabs = self.intrinsic("llvm.fabs", &[ctx.f64_type().into()])?;
                some(call_value(b.build_call(fabs, &[self.float(op, 0)?.into()], name)?)?)
            }
            LlOp::FloatEq => fcmp(FloatPredicate::OEQ, self),
            LlOp::FloatNe => fcmp(FloatPredicate::UNE, self),
            LlOp::FloatLt => fcmp(FloatPredicate::OLT, self),
            LlOp::FloatLe => fcmp(FloatPredicate::OLE, self),
            LlOp::FloatGt => fcmp(FloatPredicate::OGT, self),
            LlOp::FloatGe => fcmp(FloatPredicate::OGE, self),
            LlOp::FloatIsTrue => some(b.build_float_compare(FloatPredicate::UNE, self.float(op, 0)?, ctx.f64_type().const_zero(), name)?.into()),
            LlOp::BoolNot => some(b.build_not(self.int(op, 0)?, name)?.into()),
            LlOp::CastBoolToInt | LlOp::CastCharToInt | LlOp::CastUniCharToInt => some(b.build_int_z_extend(self.int(op, 0)?, ctx.i64_type(), name)?.into()),
            LlOp::CastCharToUniChar => some(b.build_int_z_extend(self.int(op, 0)?, ctx.i32_type(), name)?.into()),
            LlOp::CastBoolToFloat | LlOp::CastUintToFloat => some(b.build_unsigned_int_to_float(self.int(op, 0)?, ctx.f64_type(), name)?.into()),
            LlOp::CastIntToFloat => some(b.build_signed_int_to_float(self.int(op, 0)?, ctx.f64_type(), name)?.into()),
            LlOp::CastFloatToInt => some(b.build_float_to_signed_int(self.float(op, 0)?, ctx.i64_type(), name)?.into()),
            LlOp::CastIntToChar => some(b.build_int_truncate(self.int(op, 0)?, ctx.i8_type(), name)?.into()),
            LlOp::CastIntToUniChar => some(b.build_int_truncate(self.int(op, 0)?, ctx.i32_type(), name)?.into()),
            // Signed and Unsigned share `i64`, and pointers are untyped: nothing to do.
            // JIT hints outside JIT code: nothing, the identity, or false.
            LlOp::JitMergePoint(_) | LlOp::JitCanEnterJit(_) | LlOp::JitAssertGreen => Ok(None),
            LlOp::JitWeAreJitted | LlOp::JitIsConstant | LlOp::JitIsVirtual => some(ctx.bool_type().const_zero().into()),
            LlOp::CastIntToUint | LlOp::CastUintToInt | LlOp::CastPointer | LlOp::SameAs | LlOp::JitPromote | LlOp::JitPromoteString | LlOp::JitHint(_) => {
                let v = self.operand(&op.args[0])?;
                if let Some(v) = v {
                    if v.as_instruction_value().is_some() && v.get_name().to_bytes().is_empty() {
                        v.set_name(name);
                    }
                }
                Ok(v)
            }
            LlOp::CastPtrToInt => some(b.build_ptr_to_int(self.ptr(op, 0)?, ctx.i64_type(), name)?.into()),
            LlOp::CastIntToPtr => some(b.build_int_to_ptr(self.int(op, 0)?, ctx.ptr_type(inkwell::AddressSpace::default()), name)?.into()),
            LlOp::CastFloatToWord => some(b.build_bit_cast(self.float(op, 0)?, ctx.i64_type(), name)?),
            LlOp::CastWordToFloat => some(b.build_bit_cast(self.int(op, 0)?, ctx.f64_type(), name)?),
            LlOp::PtrEq => some(b.build_int_compare(IP::EQ, self.ptr(op, 0)?, self.ptr(op, 1)?, name)?.into()),
            LlOp::PtrNe => some(b.build_int_compare(IP::NE, self.ptr(op, 0)?, self.ptr(op, 1)?, name)?.into()),
            LlOp::PtrIsNull => some(b.build_is_null(self.ptr(op, 0)?, name)?.into()),
            LlOp::PtrNonNull => some(b.build_is_not_null(self.ptr(op, 0)?, name)?.into()),
            LlOp::Malloc => self.malloc(res_ty, name),
            LlOp::MallocVarsize => {
                let n = self.int(op, 0)?;
                self.malloc_varsize(res_ty, n, name)
            }
            LlOp::GetField(f) => {
                let field_ty = self.field_type(f.strukt, f.index)?;
                let c = self.cx.types.container(f.strukt);
                let addr = b.build_struct_gep(c.ty, self.ptr(op, 0)?, f.index + c.header, "")?;
                self.load(field_ty, addr, name)
            }
            LlOp::SetField(f) => {
                let field_ty = self.field_type(f.strukt, f.index)?;
                let c = self.cx.types.container(f.strukt);
                let addr = b.build_struct_gep(c.ty, self.ptr(op, 0)?, f.index + c.header, "")?;
                self.store(field_ty, addr, &op.args[1])?;
                Ok(None)
            }
            LlOp::GetInteriorItem(f) | LlOp::SetInteriorItem(f) => {
                let item_ty = self.prog_types().array_item(self.field_type(f.strukt, f.index)?);
                let c = self.cx.types.container(f.strukt);
                let indices = [self.i64(0), self.i32(f.index + c.header), self.i32(1), self.int(op, 1)?];
                // SAFETY (for LLVM): the index is in bounds; the RTyper checks it.
                let addr = unsafe { b.build_in_bounds_gep(c.ty, self.ptr(op, 0)?, &indices, "")? };
                if op.op == LlOp::GetInteriorItem(f) {
                    self.load(item_ty, addr, name)
                } else {
                    self.store(item_ty, addr, &op.args[2])?;
                    Ok(None)
                }
            }
            LlOp::GetInteriorLength(f) => {
                let c = self.cx.types.container(f.strukt);
                let indices = [self.i64(0), self.i32(f.index + c.header), self.i32(0)];
                let addr = unsafe { b.build_in_bounds_gep(c.ty, self.ptr(op, 0)?, &indices, "")? };
                some(b.build_load(ctx.i64_type(), addr, name)?)
            }
            LlOp::GetArrayItem | LlOp::SetArrayItem => {
                let arr = self.pointee(&op.args[0])?;
                let item_ty = self.prog_types().array_item(arr);
                let c = self.cx.types.container(arr);
                let indices = [self.i64(0), self.i32(c.header + 1), self.int(op, 1)?];
                let addr = unsafe { b.build_in_bounds_gep(c.ty, self.ptr(op, 0)?, &indices, "")? };
                if op.op == LlOp::GetArrayItem {
                    self.load(item_ty, addr, name)
                } else {
                    self.store(item_ty, addr, &op.args[2])?;
                    Ok(None)
                }
            }
            LlOp::GetArrayLength => {
                let arr = self.pointee(&op.args[0])?;
                let c = self.cx.types.container(arr);
                let addr = b.build_struct_gep(c.ty, self.ptr(op, 0)?, c.header, "")?;
                some(b.build_load(ctx.i64_type(), addr, name)?)
            }
            LlOp::DirectCall => {
                let callee = match &op.args[0] {
                    Value::Const(LlConst::Func(id, _)) => self.cx.funcs.get(id.0 as usize).copied().ok_or_else(|| self.internal(format!("direct_call of a missing function f{}", id.0)))?,
                    _ => return Err(self.internal("direct_call without a function constant")),
                };
                let args = self.call_args(op)?;
                Ok(self.mark_call(b.build_call(callee, &args, name)?).try_as_basic_value().basic())
            }
            LlOp::IndirectCall => {
                let fty = self.pointee(&op.args[0])?;
                let llvm_fty = self.cx.types.fn_type(self.prog_types(), fty);
                let args = self.call_args(op)?;
                Ok(self.mark_call(b.build_indirect_call(llvm_fty, self.ptr(op, 0)?, &args, name)?).try_as_basic_value().basic())
            }
            LlOp::RtCall(RtFn::StackCheck) => self.stack_check(),
            LlOp::RtCall(f) => {
                let callee = self.cx.runtime_fn(f)?;
                let mut args: Vec<BasicMetadataValueEnum<'ctx>> = Vec::with_capacity(op.args.len());
                for i in 0..op.args.len() {
                    args.push(self.arg(op, i)?.into());
                }
                Ok(b.build_call(callee, &args, name)?.try_as_basic_value().basic())
            }
            LlOp::ExcOccurred => {
                let t = b.build_load(self.cx.types.ptr(), self.cx.exc_type.as_pointer_value(), "")?.into_pointer_value();
                some(b.build_is_not_null(t, name)?.into())
            }
            LlOp::ExcType => some(b.build_load(self.cx.types.ptr(), self.cx.exc_type.as_pointer_value(), name)?),
            LlOp::ExcValue => some(b.build_load(self.cx.types.ptr(), self.cx.exc_value.as_pointer_value(), name)?),
            LlOp::ExcClear => {
                let null = self.cx.types.ptr().const_null();
                b.build_store(self.cx.exc_type.as_pointer_value(), null)?;
                b.build_store(self.cx.exc_value.as_pointer_value(), null)?;
                Ok(None)
            }
            LlOp::GcPushFrame(_)
            | LlOp::GcPopFrame(_)
            | LlOp::GcSaveRoot(_)
            | LlOp::GcLoadRoot(_)
            | LlOp::AdrAdd
            | LlOp::AdrLe
            | LlOp::GcLoadFree
            | LlOp::GcLoadTop
            | LlOp::GcStoreFree
            | LlOp::GcInitObject
            | LlOp::GcInitVarsize
            | LlOp::GcMallocSlow
            | LlOp::GcMallocVarsizeSlow
            | LlOp::GcWriteBarrier
            | LlOp::GcWriteBarrierArray => self.lower_gc_op(op),
            LlOp::JitActive | LlOp::JitValueStore(_) | LlOp::JitValueLoad(_) | LlOp::JitMergePointCall(_) | LlOp::JitEnterSet(_) | LlOp::JitEnterTake(_) => self.lower_jit_op(op, name),
            LlOp::ExcRestore => {
                b.build_store(self.cx.exc_type.as_pointer_value(), self.ptr(op, 0)?)?;
                b.build_store(self.cx.exc_value.as_pointer_value(), self.ptr(op, 1)?)?;
                Ok(None)
            }
        }
    }

    fn prog_types(&self) -> &'a kiln_lltype::TypeTable {
        &self.cx.prog.types
    }

    /// The container a pointer operand points to.
    fn pointee(&self, v: &Value<LlConst>) -> Result<TypeId, BackendError> {
        match self.prog_types().get(self.value_type_of(v)) {
            LlType::Ptr(t) => Ok(*t),
            _ => Err(self.internal("expected a pointer operand")),
        }
    }

    fn field_type(&self, strukt: TypeId, index: u32) -> Result<TypeId, BackendError> {
        match self.prog_types().get(strukt) {
            LlType::Struct(s) => s.fields.get(index as usize).map(|f| f.ty).ok_or_else(|| self.internal(format!("{} has no field {index}", s.name))),
            _ => Err(self.internal(format!("t{} is not a struct", strukt.0))),
        }
    }

    /// Loads a value of lltype `ty` from memory: a Bool byte becomes an `i1`.
    fn load(&self, ty: TypeId, addr: PointerValue<'ctx>, name: &str) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        let b = self.b();
        Ok(match kind_of(ty) {
            Kind::Void => None,
            Kind::Bool => {
                let byte = b.build_load(self.cx.ctx.i8_type(), addr, "")?.into_int_value();
                Some(b.build_int_truncate(byte, self.cx.ctx.bool_type(), name)?.into())
            }
            _ => Some(b.build_load(self.cx.types.mem_type(self.prog_types(), ty), addr, name)?),
        })
    }

    /// Stores a value of lltype `ty`: an `i1` Bool is widened to its byte.
    fn store(&self, ty: TypeId, addr: PointerValue<'ctx>, v: &Value<LlConst>) -> Result<(), BackendError> {
        let Some(value) = self.operand(v)? else { return Ok(()) };
        let value = match kind_of(ty) {
            Kind::Bool => self.b().build_int_z_extend(value.into_int_value(), self.cx.ctx.i8_type(), "")?.into(),
            _ => value,
        };
        self.b().build_store(addr, value)?;
        Ok(())
    }

    /// The LLVM arguments of a call: every argument after the callee but the Void ones.
    fn call_args(&self, op: &Operation<Ll>) -> Result<Vec<BasicMetadataValueEnum<'ctx>>, BackendError> {
        let mut args = Vec::with_capacity(op.args.len() - 1);
        for a in &op.args[1..] {
            if let Some(v) = self.operand(a)? {
                args.push(v.into());
            }
        }
        Ok(args)
    }

    fn intrinsic(&self, name: &str, types: &[BasicTypeEnum<'ctx>]) -> Result<FunctionValue<'ctx>, BackendError> {
        Intrinsic::find(name)
            .and_then(|i| i.get_declaration(&self.cx.module, types))
            .ok_or_else(|| self.internal(format!("LLVM has no intrinsic {name}")))
    }

    /// The overflow bit of `llvm.s{add,sub,mul}.with.overflow.i64`.
    fn overflows(&self, intrinsic: &str, op: &Operation<Ll>, name: &str) -> Result<BasicValueEnum<'ctx>, BackendError> {
        let f = self.intrinsic(intrinsic, &[self.cx.ctx.i64_type().into()])?;
        let pair = call_value(self.b().build_call(f, &[self.int(op, 0)?.into(), self.int(op, 1)?.into()], "")?)?.into_struct_value();
        Ok(self.b().build_extract_value(pair, 1, name)?)
    }

    /// Python's `a // b` for `b != 0`. A divisor of -1 is replaced by 1 before dividing,
    /// because `idiv` traps on `i64::MIN / -1`; the result is then negated (wrapping).
    fn floordiv(&self, a: IntValue<'ctx>, d: IntValue<'ctx>, name: &str) -> Result<IntValue<'ctx>, BackendError> {
        let b = self.b();
        let is_m1 = b.build_int_compare(IntPredicate::EQ, d, self.i64(-1), "")?;
        let safe = b.build_select(is_m1, self.i64(1), d, "")?.into_int_value();
        let q = b.build_int_signed_div(a, safe, "")?;
        let r = b.build_int_signed_rem(a, safe, "")?;
        let adjust = self.floor_adjust(r, safe)?;
        let q = b.build_int_sub(q, b.build_int_z_extend(adjust, self.cx.ctx.i64_type(), "")?, "")?;
        let neg = b.build_int_sub(self.i64(0), a, "")?;
        Ok(b.build_select(is_m1, neg, q, name)?.into_int_value())
    }

    /// Python's `a % b` for `b != 0`: the result has the divisor's sign. With a divisor
    /// of -1 (replaced by 1 against the `idiv` trap) the remainder is 0 either way.
    fn modulo(&self, a: IntValue<'ctx>, d: IntValue<'ctx>, name: &str) -> Result<IntValue<'ctx>, BackendError> {
        let b = self.b();
        let is_m1 = b.build_int_compare(IntPredicate::EQ, d, self.i64(-1), "")?;
        let safe = b.build_select(is_m1, self.i64(1), d, "")?.into_int_value();
        let r = b.build_int_signed_rem(a, safe, "")?;
        let adjust = self.floor_adjust(r, safe)?;
        let fixed = b.build_int_add(r, safe, "")?;
        Ok(b.build_select(adjust, fixed, r, name)?.into_int_value())
    }

    /// Whether truncated division must be corrected toward negative infinity: the
    /// remainder is non-zero and its sign differs from the divisor's.
    fn floor_adjust(&self, r: IntValue<'ctx>, d: IntValue<'ctx>) -> Result<IntValue<'ctx>, BackendError> {
        let b = self.b();
        let nonzero = b.build_int_compare(IntPredicate::NE, r, self.i64(0), "")?;
        let signs = b.build_xor(r, d, "")?;
        let differ = b.build_int_compare(IntPredicate::SLT, signs, self.i64(0), "")?;
        Ok(b.build_and(nonzero, differ, "")?)
    }

    fn gc_typeid(&self, ty: TypeId) -> Result<IntValue<'ctx>, BackendError> {
        let tid = self.prog_types().gc_typeid(ty).ok_or_else(|| self.internal(format!("malloc of {}, which is not a GC type", self.prog_types().name(ty))))?;
        Ok(self.i64(tid as i64))
    }

    /// `malloc` of a fixed-size GC struct: `kiln_gc_malloc(tid, size)`.
    fn malloc(&self, res_ty: TypeId, name: &str) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        if self.cx.prog.gc.is_some() {
            return Err(self.internal("a malloc the GC transform did not expand"));
        }
        let ty = self.prog_types().deref(res_ty);
        let size = self.prog_types().struct_layout(ty).size;
        let f = self.cx.runtime_fn(RtFn::GcMalloc)?;
        let site = self.b().build_call(f, &[self.gc_typeid(ty)?.into(), self.i64(size as i64).into()], name)?;
        Ok(Some(call_value(site)?))
    }

    /// `malloc_varsize(n)`: `kiln_gc_malloc_varsize(tid, total, n, length_offset)` with
    /// `total = round_up(items_offset + n * item_size, 8)`.
    fn malloc_varsize(&self, res_ty: TypeId, n: IntValue<'ctx>, name: &str) -> Result<Option<BasicValueEnum<'ctx>>, BackendError> {
        if self.cx.prog.gc.is_some() {
            return Err(self.internal("a malloc_varsize the GC transform did not expand"));
        }
        let types = self.prog_types();
        let ty = types.deref(res_ty);
        let v: VarsizeLayout = match types.get(ty) {
            LlType::Struct(_) => types.struct_layout(ty).varsize.ok_or_else(|| self.internal("malloc_varsize of a fixed-size struct"))?,
            LlType::Array { .. } => types.array_layout(ty),
            _ => return Err(self.internal("malloc_varsize of a non-container")),
        };
        let b = self.b();
        let items = b.build_int_mul(n, self.i64(v.item_size as i64), "")?;
        let unrounded = b.build_int_add(items, self.i64(v.items_offset as i64 + 7), "")?;
        let total = b.build_and(unrounded, self.i64(!7), "")?;
        let f = self.cx.runtime_fn(RtFn::GcMallocVarsize)?;
        let args = [self.gc_typeid(ty)?.into(), total.into(), n.into(), self.i64(v.length_offset as i64).into()];
        Ok(Some(call_value(b.build_call(f, &args, name)?)?))
    }
}
