//! Translation of one lltype graph into the llinterp's compact form ([`CFunc`]): dense
//! variable slots, constants preloaded into the frame, field offsets and widths resolved,
//! runtime functions resolved to addresses, and block exits turned into jumps with the
//! link's copies precomputed. Each function is compiled once, on its first call.
//!
//! A frame is a run of 64-bit slots: the graph's variables, then its constants (copied in
//! from [`CFunc::frame`] on every call, so every operand is just a slot). The parameters
//! are the first slots.

use std::collections::HashMap;

use kiln_flowgraph::{BlockId, ExitSwitch, LinkCase, Value, Var};
use kiln_lltype::typeinfo::TypeInfoRow;
use kiln_lltype::{FieldRef, FuncId, LlConst, LlGraph, LlOp, LlProgram, LlType, RtFn, StructLayout, TypeId};

use crate::memory::{func_tag, Width};
use crate::rtcall::RtCallee;

/// A slot of the current frame.
pub(crate) type Slot = u32;

/// Where an array's length and items are, and how wide an item is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArrayShape {
    pub length_offset: u32,
    pub items_offset: u32,
    pub item_size: u32,
    pub width: Width,
}

/// One instruction of the compact form. Block exits are instructions too.
#[derive(Debug)]
pub(crate) enum Insn {
    /// A pure op evaluated by `kiln_lltype::eval::eval_pure`.
    Pure {
        op: LlOp,
        args: [Slot; 3],
        nargs: u8,
        dst: Slot,
    },
    Copy {
        src: Slot,
        dst: Slot,
    },
    PtrEq {
        a: Slot,
        b: Slot,
        dst: Slot,
    },
    PtrNe {
        a: Slot,
        b: Slot,
        dst: Slot,
    },
    PtrIsNull {
        a: Slot,
        dst: Slot,
    },
    PtrNonNull {
        a: Slot,
        dst: Slot,
    },
    Load {
        ptr: Slot,
        offset: u32,
        width: Width,
        dst: Slot,
    },
    Store {
        ptr: Slot,
        offset: u32,
        width: Width,
        src: Slot,
    },
    LoadItem {
        ptr: Slot,
        index: Slot,
        shape: ArrayShape,
        dst: Slot,
    },
    StoreItem {
        ptr: Slot,
        index: Slot,
        shape: ArrayShape,
        src: Slot,
    },
    LoadLength {
        ptr: Slot,
        length_offset: u32,
        dst: Slot,
    },
    Malloc {
        tid: u32,
        size: u32,
        dst: Slot,
    },
    MallocVarsize {
        tid: u32,
        length: Slot,
        dst: Slot,
    },
    Call {
        callee: FuncId,
        args: Box<[Slot]>,
        dst: Slot,
    },
    IndirectCall {
        fptr: Slot,
        args: Box<[Slot]>,
        dst: Slot,
    },
    RtCall {
        callee: RtCallee,
        args: Box<[Slot]>,
        dst: Slot,
    },
    /// `rt_call[kiln_stack_check]`: a call-depth check in the llinterp.
    StackCheck,
    ExcOccurred {
        dst: Slot,
    },
    ExcType {
        dst: Slot,
    },
    ExcValue {
        dst: Slot,
    },
    ExcClear,
    ExcRestore {
        etype: Slot,
        evalue: Slot,
    },
    Jump {
        link: u32,
    },
    Branch {
        cond: Slot,
        if_true: u32,
        if_false: u32,
    },
    Switch {
        value: Slot,
        cases: Box<[(u64, u32)]>,
        default: Option<u32>,
    },
    Return {
        src: Slot,
    },
}

/// A jump between blocks: copies into the target's input slots, then continue at
/// `target`. When a destination is also a source, the copies go through a scratch buffer
/// so they happen in parallel, as block-argument SSA means.
#[derive(Debug)]
pub(crate) struct CLink {
    pub target: u32,
    pub moves: Box<[(Slot, Slot)]>,
    pub parallel: bool,
}

/// A compiled function.
#[derive(Debug)]
pub(crate) struct CFunc {
    pub name: String,
    pub nparams: usize,
    /// The initial frame: zeros for the variables, then the constants.
    pub frame: Box<[u64]>,
    pub code: Vec<Insn>,
    pub links: Vec<CLink>,
    pub entry: u32,
    /// For each instruction: its block and op index (the op count for a block's exit),
    /// for error messages.
    pub origin: Vec<(BlockId, u32)>,
}

/// What compilation needs from the program, computed once per run.
pub(crate) struct CompileEnv<'p> {
    pub prog: &'p LlProgram,
    pub rows: &'p [TypeInfoRow],
    pub static_addrs: &'p [u64],
}

/// Layouts are recomputed by `TypeTable`; the compiler caches them per run.
#[derive(Default)]
pub(crate) struct LayoutCache {
    structs: HashMap<TypeId, StructLayout>,
}

impl LayoutCache {
    fn struct_layout(&mut self, env: &CompileEnv, ty: TypeId) -> &StructLayout {
        self.structs.entry(ty).or_insert_with(|| env.prog.types.struct_layout(ty))
    }
}

/// The raw value of a constant in memory or in a slot.
pub(crate) fn const_bits(env: &CompileEnv, c: &LlConst) -> Result<u64, String> {
    match c {
        LlConst::Static(id, _) => env.static_addrs.get(id.0 as usize).copied().ok_or_else(|| format!("no prebuilt object {id}")),
        LlConst::Func(id, _) => {
            if (id.0 as usize) < env.prog.funcs.len() {
                Ok(func_tag(*id))
            } else {
                Err(format!("no function {id}"))
            }
        }
        other => other.to_bits().ok_or_else(|| format!("constant {other:?} has no raw form")),
    }
}

/// The memory width of a value of type `ty` stored in a field or item.
pub(crate) fn width_of(env: &CompileEnv, ty: TypeId) -> Result<Width, String> {
    Ok(match env.prog.types.get(ty) {
        LlType::Void => Width::W0,
        LlType::Bool | LlType::Char => Width::W1,
        LlType::UniChar => Width::W4,
        LlType::Signed | LlType::Unsigned | LlType::Float | LlType::Address | LlType::Ptr(_) => Width::W8,
        other => return Err(format!("a value of type {} ({other:?}) cannot be loaded or stored whole", env.prog.types.name(ty))),
    })
}

struct FuncCompiler<'a, 'p> {
    env: &'a CompileEnv<'p>,
    layouts: &'a mut LayoutCache,
    graph: &'p LlGraph,
    slots: HashMap<Var, Slot>,
    nvars: u32,
    consts: Vec<u64>,
    const_slots: HashMap<LlConst, Slot>,
    code: Vec<Insn>,
    links: Vec<CLink>,
    origin: Vec<(BlockId, u32)>,
    /// Links to patch once every block's start is known: (link index, target block).
    pending_targets: Vec<(u32, BlockId)>,
    /// Switch arms of the current block that return: (link index, returned slot).
    return_stubs: Vec<(u32, Slot)>,
}

/// Compiles function `id`. Errors describe the offending op; they are bugs in Kiln.
pub(crate) fn compile(env: &CompileEnv, layouts: &mut LayoutCache, id: FuncId) -> Result<CFunc, String> {
    let func = env.prog.funcs.get(id.0 as usize).ok_or_else(|| format!("no function {id}"))?;
    let graph = &func.graph;
    let mut c = FuncCompiler {
        env,
        layouts,
        graph,
        slots: HashMap::new(),
        nvars: 0,
        consts: Vec::new(),
        const_slots: HashMap::new(),
        code: Vec::new(),
        links: Vec::new(),
        origin: Vec::new(),
        pending_targets: Vec::new(),
        return_stubs: Vec::new(),
    };
    let blocks = graph.reachable_blocks();
    // Parameters first, then every other variable: slots are dense.
    for v in graph.params() {
        c.var_slot(*v);
    }
    for b in &blocks {
        let block = graph.block(*b);
        for v in &block.inputargs {
            c.var_slot(*v);
        }
        for op in &block.ops {
            c.var_slot(op.result);
        }
    }
    let mut block_start: HashMap<BlockId, u32> = HashMap::new();
    for b in &blocks {
        if *b == graph.returnblock || *b == graph.exceptblock {
            continue;
        }
        block_start.insert(*b, c.code.len() as u32);
        c.compile_block(*b).map_err(|m| format!("graph {}: {b}: {m}", graph.name))?;
    }
    for (link, target) in std::mem::take(&mut c.pending_targets) {
        c.links[link as usize].target = block_start[&target];
    }
    let entry = *block_start.get(&graph.startblock).ok_or_else(|| format!("graph {}: the start block is final", graph.name))?;
    let mut frame = vec![0u64; c.nvars as usize];
    frame.extend_from_slice(&c.consts);
    Ok(CFunc {
        name: func.name.clone(),
        nparams: graph.params().len(),
        frame: frame.into_boxed_slice(),
        code: c.code,
        links: c.links,
        entry,
        origin: c.origin,
    })
}

impl FuncCompiler<'_, '_> {
    fn slot_of(&self, v: Var) -> Result<Slot, String> {
        self.slots.get(&v).copied().ok_or_else(|| format!("{v} is used but never defined"))
    }

    /// Gives a variable its slot (during the first pass, before any constant has one).
    fn var_slot(&mut self, v: Var) -> Slot {
        let next = self.nvars;
        *self.slots.entry(v).or_insert_with(|| {
            self.nvars += 1;
            next
        })
    }

    /// The slot of a variable or constant. Every variable has its slot before the first
    /// constant gets one, so constants can take the slots after the variables.
    fn value_slot(&mut self, v: &Value<LlConst>) -> Result<Slot, String> {
        match v {
            Value::Var(var) => self.slot_of(*var),
            Value::Const(k) => {
                if let Some(s) = self.const_slots.get(k) {
                    return Ok(*s);
                }
                let bits = const_bits(self.env, k)?;
                self.consts.push(bits);
                let s = self.nvars + (self.consts.len() as u32 - 1);
                self.const_slots.insert(k.clone(), s);
                Ok(s)
            }
        }
    }

    fn value_type(&self, v: &Value<LlConst>) -> TypeId {
        match v {
            Value::Var(var) => *self.graph.var_type(*var),
            Value::Const(k) => k.ty(),
        }
    }

    fn emit(&mut self, insn: Insn, origin: (BlockId, u32)) {
        self.code.push(insn);
        self.origin.push(origin);
    }

    fn compile_block(&mut self, b: BlockId) -> Result<(), String> {
        let graph = self.graph;
        let block = graph.block(b);
        for (i, op) in block.ops.iter().enumerate() {
            // JIT markers and `jit_assert_green` do nothing outside the JIT.
            if matches!(op.op, LlOp::JitMergePoint(_) | LlOp::JitCanEnterJit(_) | LlOp::JitAssertGreen) {
                continue;
            }
            let insn = self.compile_op(op).map_err(|m| format!("op {i} ({}): {m}", op.op.name()))?;
            self.emit(insn, (b, i as u32));
        }
        let exit_origin = (b, block.ops.len() as u32);
        let exit = match &block.exitswitch {
            ExitSwitch::LastException => {
                return Err("a LastException switch: the llinterp runs graphs after the exception transform".into());
            }
            ExitSwitch::None => match block.exits.as_slice() {
                [link] => self.compile_exit(link)?,
                other => return Err(format!("{} exits without a switch", other.len())),
            },
            ExitSwitch::Value(v) => {
                let value = self.value_slot(v)?;
                let mut cases = Vec::new();
                let mut default = None;
                let (mut if_true, mut if_false) = (None, None);
                for link in &block.exits {
                    let target = self.compile_link(link)?;
                    match &link.case {
                        LinkCase::Bool(true) => if_true = Some(target),
                        LinkCase::Bool(false) => if_false = Some(target),
                        LinkCase::Int(i) => cases.push((*i as u64, target)),
                        LinkCase::Char(ch) => cases.push((*ch as u64, target)),
                        LinkCase::Default => default = Some(target),
                        other => return Err(format!("a value switch with case {other:?}")),
                    }
                }
                match (if_true, if_false) {
                    (Some(t), Some(f)) if cases.is_empty() && default.is_none() => Insn::Branch { cond: value, if_true: t, if_false: f },
                    _ => {
                        if let Some(t) = if_true {
                            cases.push((1, t));
                        }
                        if let Some(f) = if_false {
                            cases.push((0, f));
                        }
                        Insn::Switch { value, cases: cases.into_boxed_slice(), default }
                    }
                }
            }
        };
        self.emit(exit, exit_origin);
        // The switch arms that return jump to one `Return` each, right after the exit.
        for (link, src) in std::mem::take(&mut self.return_stubs) {
            self.links[link as usize].target = self.code.len() as u32;
            self.emit(Insn::Return { src }, exit_origin);
        }
        Ok(())
    }

    /// An unconditional exit: a return when it goes to the return block, else a jump.
    fn compile_exit(&mut self, link: &kiln_flowgraph::Link<LlConst>) -> Result<Insn, String> {
        if link.target == self.graph.returnblock {
            let [value] = link.args.as_slice() else { return Err("a return link must pass one value".into()) };
            return Ok(Insn::Return { src: self.value_slot(value)? });
        }
        Ok(Insn::Jump { link: self.compile_link(link)? })
    }

    /// A switch arm's link. An arm that goes to the return block jumps to a `Return`
    /// stub emitted after the block (plain exits return directly, see `compile_exit`).
    fn compile_link(&mut self, link: &kiln_flowgraph::Link<LlConst>) -> Result<u32, String> {
        if link.target == self.graph.exceptblock {
            return Err("a link to the except block: the llinterp runs graphs after the exception transform".into());
        }
        if link.target == self.graph.returnblock {
            // Switch arms that return: jump to a return stub emitted after this block.
            let [value] = link.args.as_slice() else { return Err("a return link must pass one value".into()) };
            let src = self.value_slot(value)?;
            let index = self.links.len() as u32;
            self.links.push(CLink { target: u32::MAX, moves: Box::new([]), parallel: false });
            self.return_stubs.push((index, src));
            return Ok(index);
        }
        let target_block = self.graph.block(link.target);
        if target_block.inputargs.len() != link.args.len() {
            return Err(format!("a link passes {} values to {} inputs", link.args.len(), target_block.inputargs.len()));
        }
        let mut moves = Vec::new();
        for (arg, input) in link.args.iter().zip(&target_block.inputargs) {
            let src = self.value_slot(arg)?;
            let dst = self.slot_of(*input)?;
            if src != dst {
                moves.push((src, dst));
            }
        }
        let parallel = moves.iter().any(|(_, dst)| moves.iter().any(|(src, _)| src == dst));
        let index = self.links.len() as u32;
        self.links.push(CLink { target: u32::MAX, moves: moves.into_boxed_slice(), parallel });
        self.pending_targets.push((index, link.target));
        Ok(index)
    }
}

impl FuncCompiler<'_, '_> {
    fn arg(&mut self, op: &kiln_flowgraph::Operation<kiln_lltype::Ll>, i: usize) -> Result<Slot, String> {
        let v = op.args.get(i).ok_or_else(|| format!("missing argument {i}"))?;
        self.value_slot(v)
    }

    fn args_from(&mut self, op: &kiln_flowgraph::Operation<kiln_lltype::Ll>, first: usize) -> Result<Box<[Slot]>, String> {
        (first..op.args.len()).map(|i| self.arg(op, i)).collect()
    }

    /// Offset and width of a (non-array) field.
    fn field(&mut self, f: FieldRef) -> Result<(u32, Width), String> {
        let types = &self.env.prog.types;
        let LlType::Struct(st) = types.get(f.strukt) else { return Err(format!("{} is not a struct", types.name(f.strukt))) };
        let field = st.fields.get(f.index as usize).ok_or_else(|| format!("{} has no field {}", st.name, f.index))?;
        let width = width_of(self.env, field.ty)?;
        let offset = self.layouts.struct_layout(self.env, f.strukt).offsets[f.index as usize];
        Ok((offset as u32, width))
    }

    /// The inline array of a variable-size struct, named by its (last) field.
    fn interior(&mut self, f: FieldRef) -> Result<ArrayShape, String> {
        let types = &self.env.prog.types;
        let LlType::Struct(st) = types.get(f.strukt) else { return Err(format!("{} is not a struct", types.name(f.strukt))) };
        if f.index as usize + 1 != st.fields.len() {
            return Err(format!("field {} of {} is not its inline array", f.index, st.name));
        }
        let name = st.name.clone();
        let v = self.layouts.struct_layout(self.env, f.strukt).varsize.ok_or_else(|| format!("{name} has no inline array"))?;
        Ok(ArrayShape {
            length_offset: v.length_offset as u32,
            items_offset: v.items_offset as u32,
            item_size: v.item_size as u32,
            width: width_of(self.env, v.item_type)?,
        })
    }

    /// The standalone array a pointer value points to.
    fn array(&mut self, ptr: &Value<LlConst>) -> Result<ArrayShape, String> {
        let types = &self.env.prog.types;
        let ty = self.value_type(ptr);
        let arr = match types.get(ty) {
            LlType::Ptr(a) if matches!(types.get(*a), LlType::Array { .. }) => *a,
            _ => return Err(format!("{} is not a pointer to an array", types.name(ty))),
        };
        let v = types.array_layout(arr);
        Ok(ArrayShape {
            length_offset: v.length_offset as u32,
            items_offset: v.items_offset as u32,
            item_size: v.item_size as u32,
            width: width_of(self.env, v.item_type)?,
        })
    }

    /// The GC type id and type-info row of what a `malloc` result points to.
    fn gc_row(&self, result: Var) -> Result<(u32, &TypeInfoRow), String> {
        let types = &self.env.prog.types;
        let ptr = *self.graph.var_type(result);
        let LlType::Ptr(target) = types.get(ptr) else { return Err(format!("the result type {} is not a pointer", types.name(ptr))) };
        let tid = types.gc_typeid(*target).ok_or_else(|| format!("{} is not a GC type", types.name(*target)))?;
        let row = self.env.rows.get(tid as usize).filter(|r| r.ty == Some(*target)).ok_or_else(|| format!("no type-info row for type id {tid}"))?;
        Ok((tid, row))
    }

    fn compile_op(&mut self, op: &kiln_flowgraph::Operation<kiln_lltype::Ll>) -> Result<Insn, String> {
        let dst = self.slot_of(op.result)?;
        Ok(match op.op {
            LlOp::GetField(f) => {
                let (offset, width) = self.field(f)?;
                Insn::Load { ptr: self.arg(op, 0)?, offset, width, dst }
            }
            LlOp::SetField(f) => {
                let (offset, width) = self.field(f)?;
                Insn::Store { ptr: self.arg(op, 0)?, offset, width, src: self.arg(op, 1)? }
            }
            LlOp::GetInteriorItem(f) => {
                let shape = self.interior(f)?;
                Insn::LoadItem { ptr: self.arg(op, 0)?, index: self.arg(op, 1)?, shape, dst }
            }
            LlOp::SetInteriorItem(f) => {
                let shape = self.interior(f)?;
                Insn::StoreItem { ptr: self.arg(op, 0)?, index: self.arg(op, 1)?, shape, src: self.arg(op, 2)? }
            }
            LlOp::GetInteriorLength(f) => {
                let shape = self.interior(f)?;
                Insn::LoadLength { ptr: self.arg(op, 0)?, length_offset: shape.length_offset, dst }
            }
            LlOp::GetArrayItem | LlOp::SetArrayItem | LlOp::GetArrayLength => {
                let ptr_value = op.args.first().ok_or("missing the array argument")?;
                let shape = self.array(ptr_value)?;
                let ptr = self.arg(op, 0)?;
                match op.op {
                    LlOp::GetArrayItem => Insn::LoadItem { ptr, index: self.arg(op, 1)?, shape, dst },
                    LlOp::SetArrayItem => Insn::StoreItem { ptr, index: self.arg(op, 1)?, shape, src: self.arg(op, 2)? },
                    _ => Insn::LoadLength { ptr, length_offset: shape.length_offset, dst },
                }
            }
            LlOp::Malloc => {
                let (tid, row) = self.gc_row(op.result)?;
                if row.flags & kiln_abi::TI_VARSIZE != 0 {
                    return Err("malloc of a variable-size type".into());
                }
                Insn::Malloc { tid, size: row.fixed_size, dst }
            }
            LlOp::MallocVarsize => {
                let (tid, row) = self.gc_row(op.result)?;
                if row.flags & kiln_abi::TI_VARSIZE == 0 {
                    return Err("malloc_varsize of a fixed-size type".into());
                }
                Insn::MallocVarsize { tid, length: self.arg(op, 0)?, dst }
            }
            LlOp::DirectCall => {
                let callee = match op.args.first() {
                    Some(Value::Const(LlConst::Func(id, _))) => *id,
                    _ => return Err("direct_call needs a function constant".into()),
                };
                let target = self.env.prog.funcs.get(callee.0 as usize).ok_or_else(|| format!("no function {callee}"))?;
                if target.graph.params().len() != op.args.len() - 1 {
                    return Err(format!("{} arguments for {}, which takes {}", op.args.len() - 1, target.name, target.graph.params().len()));
                }
                Insn::Call { callee, args: self.args_from(op, 1)?, dst }
            }
            LlOp::IndirectCall => Insn::IndirectCall { fptr: self.arg(op, 0)?, args: self.args_from(op, 1)?, dst },
            other if other.is_gc_only() => {
                return Err(format!(
                    "{} is made by the GC transform, which only translated binaries get: the llinterp runs graphs before it",
                    other.name()
                ))
            }
            other if other.is_jit_portal_only() => {
                return Err(format!(
                    "{} is made by the JIT's portal rewrite, which only binaries translated with --jit get: the llinterp runs without a JIT",
                    other.name()
                ))
            }
            LlOp::RtCall(RtFn::StackCheck) => Insn::StackCheck,
            LlOp::RtCall(f) => {
                if op.args.len() != f.info().args.len() {
                    return Err(format!("{} takes {} arguments", f.info().symbol, f.info().args.len()));
                }
                Insn::RtCall { callee: RtCallee::resolve(f)?, args: self.args_from(op, 0)?, dst }
            }
            LlOp::ExcOccurred => Insn::ExcOccurred { dst },
            LlOp::ExcType => Insn::ExcType { dst },
            LlOp::ExcValue => Insn::ExcValue { dst },
            LlOp::ExcClear => Insn::ExcClear,
            LlOp::ExcRestore => Insn::ExcRestore { etype: self.arg(op, 0)?, evalue: self.arg(op, 1)? },
            // JIT hints: the identity, or false (no value is a trace constant or a virtual
            // outside JIT code).
            LlOp::JitPromote | LlOp::JitPromoteString | LlOp::JitHint(_) => Insn::Copy { src: self.arg(op, 0)?, dst },
            LlOp::JitWeAreJitted | LlOp::JitIsConstant | LlOp::JitIsVirtual => {
                Insn::Copy { src: self.value_slot(&kiln_flowgraph::Value::Const(kiln_lltype::LlConst::Bool(false)))?, dst }
            }
            // Pointer ops work on raw addresses; `eval_pure` does not cover them.
            LlOp::CastPointer | LlOp::CastPtrToInt | LlOp::CastIntToPtr => Insn::Copy { src: self.arg(op, 0)?, dst },
            LlOp::PtrEq => Insn::PtrEq { a: self.arg(op, 0)?, b: self.arg(op, 1)?, dst },
            LlOp::PtrNe => Insn::PtrNe { a: self.arg(op, 0)?, b: self.arg(op, 1)?, dst },
            LlOp::PtrIsNull => Insn::PtrIsNull { a: self.arg(op, 0)?, dst },
            LlOp::PtrNonNull => Insn::PtrNonNull { a: self.arg(op, 0)?, dst },
            other => {
                let info = other.info();
                if info.effect != kiln_lltype::Effect::Pure {
                    return Err(format!("the llinterp does not run {}", info.name));
                }
                let nargs = op.args.len();
                if nargs > 3 || other.signature().is_some_and(|(kinds, _)| kinds.len() != nargs) {
                    return Err(format!("{} arguments", nargs));
                }
                let mut args = [0; 3];
                for (i, a) in args.iter_mut().enumerate().take(nargs) {
                    *a = self.arg(op, i)?;
                }
                Insn::Pure { op: other, args, nargs: nargs as u8, dst }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiln_lltype::eval::eval_pure;
    use kiln_lltype::Effect;

    /// Pure ops compile to `Insn::Pure` unless they work on pointers; `eval_pure` must
    /// know every one of those, or programs using them would stop with an internal error.
    #[test]
    fn eval_pure_covers_every_pure_non_pointer_op() {
        let pointer_ops = [LlOp::CastPointer, LlOp::CastPtrToInt, LlOp::CastIntToPtr, LlOp::PtrEq, LlOp::PtrNe, LlOp::PtrIsNull, LlOp::PtrNonNull];
        for op in LlOp::SIMPLE {
            if op.info().effect != Effect::Pure || pointer_ops.contains(op) || op.is_gc_only() {
                continue;
            }
            let (kinds, _) = op.signature().expect("simple ops have signatures");
            // Arguments inside every op's domain: 1.0 for floats, 1 otherwise.
            let args: Vec<u64> = kinds.iter().map(|k| if *k == kiln_lltype::Kind::Float { 1f64.to_bits() } else { 1 }).collect();
            assert!(eval_pure(*op, &args).is_some(), "eval_pure does not evaluate {}", op.name());
        }
    }
}
