//! Root saving and allocation expansion, one block at a time.
//!
//! **Roots.** Graphs are in block-argument SSA form, so every variable is local to its
//! block, and liveness is a backward scan of one block from the values its exits pass
//! on (`kiln_flowgraph::block_liveness`, shared with the JIT codewriter). Before an op that can collect, every GC pointer live after it (its own result
//! aside) is stored into a shadow-stack slot (`gc_save_root[k]`); after the op each is
//! reloaded into a new variable (`gc_load_root[k]`) that replaces it in the rest of the
//! block, since a moving collector may have changed it. A variable still in its slot
//! from an earlier collection point of the same block is not stored again. Slots are
//! numbered per function, the lowest free one first; a variable's slot is held from its
//! save to its last reload in the block. Int variables that hold GC pointers as words
//! ([`gc_words`]) are saved and reloaded the same way.
//!
//! **Allocation.** `malloc` becomes the inline bump-pointer fast path
//! ```text
//!     free = gc_load_free(); new = adr_add(free, SIZE); top = gc_load_top()
//!     switch adr_le(new, top)
//!       true  -> fast: gc_store_free(new); p = gc_init_object(free)
//!       false -> slow: save roots; p = gc_malloc_slow(SIZE); reload roots
//! ```
//! and `malloc_varsize(n)` the same after a test that `n` is small enough for the object
//! to be no larger than `kiln_abi::gc::LARGE_OBJECT_SIZE` (larger ones, and negative
//! lengths, always take the slow path, which computes the size without overflow). Only
//! the slow path saves roots. When the allocation is followed by the exception
//! transform's check (`exc_occurred` and a switch on it), the fast path skips the check:
//! only the slow path can raise.

use std::collections::{BTreeMap, HashMap, HashSet};

use kiln_abi::gc::{alloc_size, LARGE_OBJECT_SIZE};
use kiln_flowgraph::{BlockId, ExitSwitch, Link, LinkCase, Operation, Span, Value, Var};
use kiln_lltype::{GcPolicy, Ll, LlConst, LlGraph, LlOp, LlType, TypeId, TypeTable};

pub(crate) type CollectsFn<'a> = &'a dyn Fn(&LlGraph, &Operation<Ll>) -> bool;

pub(crate) struct Rewriter<'a> {
    pub g: &'a mut LlGraph,
    pub types: &'a TypeTable,
    pub policy: GcPolicy,
    pub collects: CollectsFn<'a>,
    /// Slots used so far: the frame size.
    pub nslots: u32,
    /// Int variables that hold GC pointers ([`gc_words`]); rooted like pointers.
    pub words: HashSet<Var>,
}

/// The Int variables of `g` that hold GC pointers as words: results of
/// `cast_ptr_to_int` of a GC pointer, operands of `cast_int_to_ptr` to a GC pointer type
/// (runtime helpers pass list items and dict entries as words), and whatever such a
/// word flows to or from through links and `same_as`. A word that is a GC pointer must be
/// saved and reloaded like one, or a moving collector would leave it stale.
pub(crate) fn gc_words(g: &LlGraph, types: &TypeTable) -> HashSet<Var> {
    let mut words = HashSet::new();
    let mut pairs: Vec<(Var, Var)> = Vec::new();
    for b in g.reachable_blocks() {
        let block = g.block(b);
        for op in &block.ops {
            match (op.op, op.args.first()) {
                (LlOp::CastPtrToInt, Some(Value::Var(p))) if types.is_gc_ptr(*g.var_type(*p)) => {
                    words.insert(op.result);
                }
                (LlOp::CastIntToPtr, Some(Value::Var(w))) if types.is_gc_ptr(*g.var_type(op.result)) => {
                    words.insert(*w);
                }
                (LlOp::SameAs | LlOp::JitPromote, Some(Value::Var(x))) if kiln_lltype::kind_of(*g.var_type(*x)) == kiln_lltype::Kind::Int => pairs.push((*x, op.result)),
                _ => {}
            }
        }
        for l in &block.exits {
            let inputs = &g.block(l.target).inputargs;
            for (a, input) in l.args.iter().zip(inputs) {
                if let Value::Var(a) = a {
                    if kiln_lltype::kind_of(*g.var_type(*a)) == kiln_lltype::Kind::Int {
                        pairs.push((*a, *input));
                    }
                }
            }
        }
    }
    if words.is_empty() {
        return words;
    }
    loop {
        let before = words.len();
        for (a, b) in &pairs {
            if words.contains(a) || words.contains(b) {
                words.insert(*a);
                words.insert(*b);
            }
        }
        if words.len() == before {
            return words;
        }
    }
}

fn map_value(v: &mut Value<LlConst>, map: &HashMap<Var, Var>) {
    if let Value::Var(x) = v {
        if let Some(n) = map.get(x) {
            *x = *n;
        }
    }
}

fn map_link(l: &mut Link<LlConst>, map: &HashMap<Var, Var>) {
    l.args.iter_mut().for_each(|a| map_value(a, map));
}

fn map_exitswitch(s: &mut ExitSwitch<LlConst>, map: &HashMap<Var, Var>) {
    if let ExitSwitch::Value(v) = s {
        map_value(v, map);
    }
}

impl Rewriter<'_> {
    /// Rewrites every block; returns the number of slots the function needs.
    pub(crate) fn run(&mut self) -> u32 {
        let mut work: Vec<BlockId> = self.g.reachable_blocks().into_iter().filter(|b| !self.g.is_final(*b)).collect();
        work.reverse();
        while let Some(b) = work.pop() {
            if let Some(rest) = self.block(b) {
                work.push(rest);
            }
        }
        self.nslots
    }

    fn is_gc(&self, v: Var) -> bool {
        self.types.is_gc_ptr(*self.g.var_type(v)) || self.words.contains(&v)
    }

    /// A fresh copy of `v`, a word when `v` is one.
    fn copy(&mut self, v: Var) -> Var {
        let fresh = self.g.copy_var(v);
        if self.words.contains(&v) {
            self.words.insert(fresh);
        }
        fresh
    }

    fn emit(&mut self, out: &mut Vec<Operation<Ll>>, op: LlOp, args: Vec<Value<LlConst>>, ty: TypeId, span: Span) -> Var {
        let result = self.g.new_var(None, ty);
        out.push(Operation { op, args, result, span });
        result
    }

    /// A new block whose inputs are fresh copies of `vars`; returns it and the renaming.
    fn carry(&mut self, vars: &[Var]) -> (BlockId, HashMap<Var, Var>) {
        let fresh: Vec<Var> = vars.iter().map(|v| self.copy(*v)).collect();
        let map = vars.iter().copied().zip(fresh.iter().copied()).collect();
        (self.g.add_block(fresh), map)
    }

    /// Stores the GC pointers `live` into slots, except those already in one; forgets
    /// slots whose variables are no longer live.
    fn save(&mut self, out: &mut Vec<Operation<Ll>>, live: &[Var], in_slot: &mut BTreeMap<Var, u32>, span: Span) {
        in_slot.retain(|v, _| live.contains(v));
        for &v in live {
            if in_slot.contains_key(&v) {
                continue;
            }
            let taken: HashSet<u32> = in_slot.values().copied().collect();
            let slot = (0..).find(|s| !taken.contains(s)).expect("a free slot exists");
            self.nslots = self.nslots.max(slot + 1);
            in_slot.insert(v, slot);
            self.emit(out, LlOp::GcSaveRoot(slot), vec![Value::Var(v)], TypeId::VOID, span);
        }
    }

    /// Reloads the GC pointers `live` from their slots into new variables, recording the
    /// new names in `rename` (keyed by whatever `key` maps each to).
    fn reload(&mut self, out: &mut Vec<Operation<Ll>>, live: &[(Var, Var)], in_slot: &mut BTreeMap<Var, u32>, rename: &mut HashMap<Var, Var>, span: Span) {
        for &(key, cur) in live {
            let slot = in_slot.remove(&cur).expect("every saved variable has a slot");
            let fresh = self.copy(cur);
            out.push(Operation { op: LlOp::GcLoadRoot(slot), args: vec![], result: fresh, span });
            in_slot.insert(fresh, slot);
            rename.insert(key, fresh);
        }
    }

    /// For each op of `b` that needs it, the variables live after it, sorted (the
    /// shared block liveness of `kiln_flowgraph`, with the op's result left out: it is
    /// produced by the op, so it is never saved across it).
    fn liveness(&self, b: BlockId, wanted: &[bool]) -> HashMap<usize, Vec<Var>> {
        let block = self.g.block(b);
        let live = kiln_flowgraph::block_liveness(block);
        let mut at = HashMap::new();
        for (i, op) in block.ops.iter().enumerate() {
            if wanted[i] {
                at.insert(i, live.after[i].iter().copied().filter(|v| *v != op.result).collect());
            }
        }
        at
    }

    /// Rewrites block `b`; returns the block holding the rest of it when an allocation
    /// split it.
    fn block(&mut self, b: BlockId) -> Option<BlockId> {
        let collects = self.collects;
        let is_malloc: Vec<bool> = self.g.block(b).ops.iter().map(|op| matches!(op.op, LlOp::Malloc | LlOp::MallocVarsize)).collect();
        let saves: Vec<bool> = self.g.block(b).ops.iter().map(|op| self.policy.collects() && collects(self.g, op)).collect();
        let wanted: Vec<bool> = is_malloc.iter().zip(&saves).map(|(m, s)| *m || *s).collect();
        if !wanted.contains(&true) {
            return None;
        }
        let at = self.liveness(b, &wanted);
        let ops = std::mem::take(&mut self.g.block_mut(b).ops);
        let mut out = Vec::with_capacity(ops.len());
        // Original variable to the name it has now (after reloads).
        let mut rename: HashMap<Var, Var> = HashMap::new();
        let mut in_slot: BTreeMap<Var, u32> = BTreeMap::new();
        let mut ops = ops.into_iter().enumerate();
        while let Some((i, mut op)) = ops.next() {
            op.args.iter_mut().for_each(|a| map_value(a, &rename));
            if is_malloc[i] {
                let carried: Vec<Var> = at[&i].iter().map(|v| *rename.get(v).unwrap_or(v)).collect();
                let mut rest: Vec<Operation<Ll>> = ops.map(|(_, o)| o).collect();
                for o in &mut rest {
                    o.args.iter_mut().for_each(|a| map_value(a, &rename));
                }
                let block = self.g.block_mut(b);
                map_exitswitch(&mut block.exitswitch, &rename);
                block.exits.iter_mut().for_each(|l| map_link(l, &rename));
                return self.expand_malloc(b, out, op, rest, carried, in_slot);
            }
            if !saves[i] {
                out.push(op);
                continue;
            }
            let live: Vec<(Var, Var)> = at[&i].iter().filter(|v| self.is_gc(**v)).map(|v| (*v, *rename.get(v).unwrap_or(v))).collect();
            let current: Vec<Var> = live.iter().map(|(_, c)| *c).collect();
            let span = op.span;
            self.save(&mut out, &current, &mut in_slot, span);
            out.push(op);
            self.reload(&mut out, &live, &mut in_slot, &mut rename, span);
        }
        let block = self.g.block_mut(b);
        block.ops = out;
        map_exitswitch(&mut block.exitswitch, &rename);
        block.exits.iter_mut().for_each(|l| map_link(l, &rename));
        None
    }

    /// Replaces `op`, an allocation of block `b` preceded by `prefix` (already rewritten)
    /// and followed by `rest` (in `b`'s current names, like its exits), by its fast and
    /// slow paths. `carried` are the variables live after it, `in_slot` the slots holding
    /// variables at that point.
    fn expand_malloc(
        &mut self,
        b: BlockId,
        prefix: Vec<Operation<Ll>>,
        op: Operation<Ll>,
        rest: Vec<Operation<Ll>>,
        carried: Vec<Var>,
        in_slot: BTreeMap<Var, u32>,
    ) -> Option<BlockId> {
        let span = op.span;
        let res = op.result;
        let res_ty = *self.g.var_type(res);
        let ty = self.types.deref(res_ty);
        let varsize = op.op == LlOp::MallocVarsize;
        let length = varsize.then(|| op.args[0].clone());
        // What every new block receives: the length when it is a variable, and the
        // carried variables.
        let mut passed: Vec<Var> = Vec::new();
        for v in length.as_ref().and_then(Value::as_var).into_iter().chain(carried.iter().copied()) {
            if !passed.contains(&v) {
                passed.push(v);
            }
        }
        let exitswitch = std::mem::replace(&mut self.g.block_mut(b).exitswitch, ExitSwitch::None);
        let exits = std::mem::take(&mut self.g.block_mut(b).exits);
        // The exception transform's check right after the allocation.
        let checks = matches!(rest.as_slice(), [only] if only.op == LlOp::ExcOccurred && exitswitch == ExitSwitch::Value(Value::Var(only.result)))
            && exits.len() == 2
            && exits.iter().all(|l| matches!(l.case, LinkCase::Bool(_)));

        let (slow, slow_map) = self.carry(&passed);
        let mut ops = prefix;
        // The bump test, in `b` itself or (variable-size) in a block after the length test.
        let (test_block, test_map) = if varsize {
            let max_len = self.max_inline_length(ty);
            let lengths_ok = self.emit(&mut ops, LlOp::IntBetween, vec![Value::Const(LlConst::Signed(0)), length.clone().expect("varsize"), Value::Const(LlConst::Signed(max_len + 1))], TypeId::BOOL, span);
            self.g.block_mut(b).ops = ops;
            let (sized, sized_map) = self.carry(&passed);
            let to = |m: &HashMap<Var, Var>| passed.iter().map(|v| Value::Var(m[v])).collect::<Vec<_>>();
            let ident: HashMap<Var, Var> = passed.iter().map(|v| (*v, *v)).collect();
            let block = self.g.block_mut(b);
            block.exitswitch = ExitSwitch::Value(Value::Var(lengths_ok));
            block.exits = vec![
                Link::new(slow, to(&ident)).with_case(LinkCase::Bool(false)),
                Link::new(sized, to(&ident)).with_case(LinkCase::Bool(true)),
            ];
            ops = Vec::new();
            (sized, sized_map)
        } else {
            (b, passed.iter().map(|v| (*v, *v)).collect())
        };
        let mut len_in_test = length.clone();
        if let Some(l) = &mut len_in_test {
            map_value(l, &test_map);
        }
        let size = self.emit_size(&mut ops, ty, len_in_test.as_ref(), span);
        let free = self.emit(&mut ops, LlOp::GcLoadFree, vec![], TypeId::ADDRESS, span);
        let new = self.emit(&mut ops, LlOp::AdrAdd, vec![Value::Var(free), size], TypeId::ADDRESS, span);
        let top = self.emit(&mut ops, LlOp::GcLoadTop, vec![], TypeId::ADDRESS, span);
        let fits = self.emit(&mut ops, LlOp::AdrLe, vec![Value::Var(new), Value::Var(top)], TypeId::BOOL, span);
        let mut fast_inputs = vec![free, new];
        fast_inputs.extend(passed.iter().map(|v| test_map[v]));
        let (fast, fast_map) = self.carry(&fast_inputs);
        let test = self.g.block_mut(test_block);
        test.ops = ops;
        test.exitswitch = ExitSwitch::Value(Value::Var(fits));
        test.exits = vec![
            Link::new(slow, passed.iter().map(|v| Value::Var(test_map[v])).collect()).with_case(LinkCase::Bool(false)),
            Link::new(fast, fast_inputs.iter().map(|v| Value::Var(*v)).collect()).with_case(LinkCase::Bool(true)),
        ];

        // The fast path.
        let mut fast_ops = Vec::new();
        self.emit(&mut fast_ops, LlOp::GcStoreFree, vec![Value::Var(fast_map[&new])], TypeId::VOID, span);
        let fast_res = match &len_in_test {
            None => self.emit(&mut fast_ops, LlOp::GcInitObject, vec![Value::Var(fast_map[&free])], res_ty, span),
            Some(l) => {
                let mut l = l.clone();
                map_value(&mut l, &fast_map);
                self.emit(&mut fast_ops, LlOp::GcInitVarsize, vec![Value::Var(fast_map[&free]), l], res_ty, span)
            }
        };
        // `b`'s names to the fast block's.
        let mut fast_rename: HashMap<Var, Var> = passed.iter().map(|v| (*v, fast_map[&test_map[v]])).collect();
        fast_rename.insert(res, fast_res);

        // The slow path, with the roots saved around the call.
        let mut slow_ops = Vec::new();
        let mut slow_slots: BTreeMap<Var, u32> = in_slot.iter().filter_map(|(v, s)| slow_map.get(v).map(|n| (*n, *s))).collect();
        let live: Vec<(Var, Var)> = carried.iter().filter(|v| self.is_gc(**v)).map(|v| (*v, slow_map[v])).collect();
        let current: Vec<Var> = live.iter().map(|(_, c)| *c).collect();
        self.save(&mut slow_ops, &current, &mut slow_slots, span);
        let slow_res = match &length {
            None => {
                let size = alloc_size(self.types.struct_layout(ty).size) as i64;
                self.emit(&mut slow_ops, LlOp::GcMallocSlow, vec![Value::Const(LlConst::Signed(size))], res_ty, span)
            }
            Some(l) => {
                let mut l = l.clone();
                map_value(&mut l, &slow_map);
                self.emit(&mut slow_ops, LlOp::GcMallocVarsizeSlow, vec![l], res_ty, span)
            }
        };
        let mut slow_rename: HashMap<Var, Var> = slow_map.clone();
        self.reload(&mut slow_ops, &live, &mut slow_slots, &mut slow_rename, span);
        slow_rename.insert(res, slow_res);

        if checks {
            let normal = exits.iter().find(|l| l.case == LinkCase::Bool(false)).cloned().expect("a check has a normal exit");
            let mut fast_exit = normal;
            fast_exit.case = LinkCase::Always;
            map_link(&mut fast_exit, &fast_rename);
            let fb = self.g.block_mut(fast);
            fb.ops = fast_ops;
            fb.exits = vec![fast_exit];
            let occurred = self.emit(&mut slow_ops, LlOp::ExcOccurred, vec![], TypeId::BOOL, span);
            let mut slow_exits = exits;
            slow_exits.iter_mut().for_each(|l| map_link(l, &slow_rename));
            let sb = self.g.block_mut(slow);
            sb.ops = slow_ops;
            sb.exitswitch = ExitSwitch::Value(Value::Var(occurred));
            sb.exits = slow_exits;
            return None;
        }

        // Otherwise both paths join in a block holding the rest.
        let mut cont_vars = vec![res];
        cont_vars.extend(carried.iter().copied());
        let (cont, cont_map) = self.carry(&cont_vars);
        let args = |m: &HashMap<Var, Var>| cont_vars.iter().map(|v| Value::Var(m[v])).collect::<Vec<_>>();
        let fb = self.g.block_mut(fast);
        fb.ops = fast_ops;
        fb.exits = vec![Link::new(cont, args(&fast_rename))];
        let sb = self.g.block_mut(slow);
        sb.ops = slow_ops;
        sb.exits = vec![Link::new(cont, args(&slow_rename))];
        let mut rest = rest;
        for o in &mut rest {
            o.args.iter_mut().for_each(|a| map_value(a, &cont_map));
        }
        let mut exitswitch = exitswitch;
        map_exitswitch(&mut exitswitch, &cont_map);
        let mut exits = exits;
        exits.iter_mut().for_each(|l| map_link(l, &cont_map));
        let cb = self.g.block_mut(cont);
        cb.ops = rest;
        cb.exitswitch = exitswitch;
        cb.exits = exits;
        Some(cont)
    }

    /// The longest length of a variable-size `ty` whose object takes the fast path.
    fn max_inline_length(&self, ty: TypeId) -> i64 {
        let v = self.varsize_layout(ty);
        if v.item_size == 0 {
            return i64::MAX - 1;
        }
        (LARGE_OBJECT_SIZE.saturating_sub(v.items_offset) / v.item_size) as i64
    }

    fn varsize_layout(&self, ty: TypeId) -> kiln_lltype::VarsizeLayout {
        match self.types.get(ty) {
            LlType::Array { .. } => self.types.array_layout(ty),
            _ => self.types.struct_layout(ty).varsize.expect("malloc_varsize of a variable-size struct (the verifier's invariant)"),
        }
    }

    /// The allocation size: a constant for fixed-size types, else
    /// `(items_offset + n * item_size + 7) & ~7` (at least 16: a header and a length).
    fn emit_size(&mut self, out: &mut Vec<Operation<Ll>>, ty: TypeId, length: Option<&Value<LlConst>>, span: Span) -> Value<LlConst> {
        let Some(n) = length else {
            return Value::Const(LlConst::Signed(alloc_size(self.types.struct_layout(ty).size) as i64));
        };
        let v = self.varsize_layout(ty);
        if v.item_size == 0 {
            return Value::Const(LlConst::Signed(alloc_size(v.items_offset) as i64));
        }
        let items = self.emit(out, LlOp::IntMul, vec![n.clone(), Value::Const(LlConst::Signed(v.item_size as i64))], TypeId::SIGNED, span);
        let end = self.emit(out, LlOp::IntAdd, vec![Value::Var(items), Value::Const(LlConst::Signed(v.items_offset as i64 + 7))], TypeId::SIGNED, span);
        Value::Var(self.emit(out, LlOp::IntAnd, vec![Value::Var(end), Value::Const(LlConst::Signed(-8))], TypeId::SIGNED, span))
    }
}
