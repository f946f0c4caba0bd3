//! Hand-built allocation-heavy programs for the GC tests and the GC benchmark
//! (`examples/gcbench.rs`): linked structures, cycles, large arrays written when old,
//! strings built in loops, heap exhaustion and deep recursion, each with the output it
//! must print.

#![allow(dead_code)]

use kiln_abi::BuiltinExc;
use kiln_flowgraph::{ExitSwitch, Link, LinkCase, Span, Var};
use kiln_lltype::builder::{c, int, v, LlBuilder, LlValue};
use kiln_lltype::{FieldRef, FuncId, FuncKind, LlConst, LlFunc, LlGraph, LlOp, LlProgram, RtFn, StaticId, StaticObj, StaticValue, TypeId};

/// `Node { value: Signed, next: *Node, other: *Node }`.
pub struct Node {
    pub ty: TypeId,
    pub ptr: TypeId,
    pub value: FieldRef,
    pub next: FieldRef,
    pub other: FieldRef,
    /// `GcArray<*Node>` and its pointer type.
    pub array_ptr: TypeId,
}

pub fn node_type(prog: &mut LlProgram) -> Node {
    let ty = prog.types.new_struct("Node", true);
    let ptr = prog.types.ptr(ty);
    prog.types.add_field(ty, "value", TypeId::SIGNED);
    prog.types.add_field(ty, "next", ptr);
    prog.types.add_field(ty, "other", ptr);
    let array = prog.types.gc_array(ptr);
    let array_ptr = prog.types.ptr(array);
    Node { ty, ptr, value: FieldRef { strukt: ty, index: 0 }, next: FieldRef { strukt: ty, index: 1 }, other: FieldRef { strukt: ty, index: 2 }, array_ptr }
}

pub fn add_func(prog: &mut LlProgram, b: LlBuilder, params: &[TypeId], ret: TypeId) -> FuncId {
    let graph = b.finish();
    let ty = prog.types.func(params.to_vec(), ret);
    prog.add_func(LlFunc { name: graph.name.clone(), graph, ty, kind: FuncKind::User, hints: Default::default() })
}

/// A constant pointer to function `id` (which may not be added yet) of the given type.
pub fn func_ref(prog: &mut LlProgram, id: u32, params: &[TypeId], ret: TypeId) -> LlConst {
    let fty = prog.types.func(params.to_vec(), ret);
    LlConst::Func(FuncId(id), prog.types.ptr(fty))
}

pub fn entry(prog: &mut LlProgram, b: LlBuilder) {
    let id = add_func(prog, b, &[TypeId::LIST_STR_PTR], TypeId::SIGNED);
    prog.entry = Some(id);
}

pub fn print_int(b: &mut LlBuilder, value: LlValue) {
    b.op(LlOp::RtCall(RtFn::OutInt), vec![value], TypeId::VOID);
    b.op(LlOp::RtCall(RtFn::OutChar), vec![c(LlConst::UniChar('\n' as u32))], TypeId::VOID);
}

pub fn print_str(prog: &mut LlProgram, b: &mut LlBuilder, text: &str) {
    let s = prog.str_const(text);
    b.op(LlOp::RtCall(RtFn::OutStr), vec![c(s)], TypeId::VOID);
}

/// `for i in range(n)` with loop-carried values: `body` gets `i` and the carried
/// values and returns their next values; it must end in the block it started in (no
/// nested loops: those go in a function of their own). Returns the carried values after
/// the loop; the builder continues after it.
pub fn for_range(b: &mut LlBuilder, n: LlValue, carried: &[(TypeId, LlValue)], body: impl FnOnce(&mut LlBuilder, Var, &[Var]) -> Vec<LlValue>) -> Vec<Var> {
    let types: Vec<TypeId> = carried.iter().map(|(t, _)| *t).collect();
    let mut head_types = vec![TypeId::SIGNED, TypeId::SIGNED];
    head_types.extend(&types);
    let (head, hv) = b.new_block(&head_types);
    let mut args = vec![int(0), n];
    args.extend(carried.iter().map(|(_, v)| v.clone()));
    b.jump(head, args);
    b.switch_to(head);
    let more = b.op(LlOp::IntLt, vec![v(hv[0]), v(hv[1])], TypeId::BOOL);
    let (body_block, bv) = b.new_block(&head_types);
    let (done, dv) = b.new_block(&types);
    b.branch(v(more), (body_block, hv.iter().map(|x| v(*x)).collect()), (done, hv[2..].iter().map(|x| v(*x)).collect()));
    b.switch_to(body_block);
    let next_carried = body(b, bv[0], &bv[2..]);
    let next = b.op(LlOp::IntAdd, vec![v(bv[0]), int(1)], TypeId::SIGNED);
    let mut back = vec![v(next), v(bv[1])];
    back.extend(next_carried);
    b.jump(head, back);
    b.switch_to(done);
    dv
}

/// `int(argv[i])`.
pub fn int_arg(b: &mut LlBuilder, argv: Var, i: i64) -> Var {
    let items = b.op(LlOp::GetField(FieldRef { strukt: TypeId::LIST_STR, index: 1 }), vec![v(argv)], TypeId::ARRAY_STR_PTR);
    let arg = b.op(LlOp::GetArrayItem, vec![v(items), int(i)], TypeId::STR_PTR);
    b.op(LlOp::RtCall(RtFn::StrToInt), vec![v(arg), int(10)], TypeId::SIGNED)
}

/// A new node with `value`, `next` and `other`.
pub fn new_node(b: &mut LlBuilder, n: &Node, value: LlValue, next: LlValue, other: LlValue) -> Var {
    let p = b.op(LlOp::Malloc, vec![], n.ptr);
    b.op(LlOp::SetField(n.value), vec![v(p), value], TypeId::VOID);
    b.op(LlOp::SetField(n.next), vec![v(p), next], TypeId::VOID);
    b.op(LlOp::SetField(n.other), vec![v(p), other], TypeId::VOID);
    p
}

pub fn null(n: &Node) -> LlValue {
    c(LlConst::Null(n.ptr))
}

/// Makes the block `block` catch: its last op raises, `normal` is taken when it does not,
/// each `(vtable, link)` when it raises an instance of that class.
pub fn catch(g: &mut LlGraph, block: kiln_flowgraph::BlockId, normal: Link<LlConst>, cases: Vec<(StaticId, Link<LlConst>)>) {
    let mut exits = vec![normal];
    for (cls, mut link) in cases {
        link.case = LinkCase::Exception(LlConst::Static(cls, TypeId::VTABLE_PTR));
        link.last_exception = Some(g.new_var(Some("last_exception"), TypeId::VTABLE_PTR));
        link.last_exc_value = Some(g.new_var(Some("last_exc_value"), TypeId::OBJECT_PTR));
        exits.push(link);
    }
    let bl = g.block_mut(block);
    bl.exitswitch = ExitSwitch::LastException;
    bl.exits = exits;
}

/// The vtable of a built-in exception class the runtime raises, registered so that the
/// program's handlers catch the runtime's instances.
pub fn builtin_exc(prog: &mut LlProgram, exc: BuiltinExc, range: (i64, i64)) -> StaticId {
    let name = prog.str_const(exc.name());
    let size = prog.types.struct_layout(TypeId::BASE_EXCEPTION).size as i64;
    let id = prog.add_static(StaticObj {
        ty: TypeId::VTABLE,
        value: StaticValue::Struct {
            fields: vec![LlConst::Signed(range.0), LlConst::Signed(range.1), name, LlConst::Signed(kiln_abi::typeid::BASE_EXCEPTION as i64), LlConst::Signed(size)],
            items: vec![],
        },
        name: format!("{}_vtable", exc.name()),
    });
    prog.exc_vtables[exc as usize] = Some(id);
    id
}

/// ```python
/// def build(n):                  # a list of n nodes, with garbage in between
///     head = None
///     for i in range(n): head = Node(i, head, Node(-1))
///     return head
/// def entry_point(argv):
///     head = build(int(argv[1]))
///     rgc.collect()
///     s = 0; while head: s += head.value; head = head.next
///     print(s)
/// ```
pub fn deep_list_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let (mut b, _) = LlBuilder::new("build", &[TypeId::SIGNED], n.ptr, Span::DUMMY);
    let count = v(b.graph.params()[0]);
    let out = for_range(&mut b, count, &[(n.ptr, null(&n))], |b, i, carried| {
        let junk = new_node(b, &n, int(-1), null(&n), null(&n));
        let node = new_node(b, &n, v(i), v(carried[0]), v(junk));
        vec![v(node)]
    });
    b.ret(v(out[0]));
    let build = add_func(&mut prog, b, &[TypeId::SIGNED], n.ptr);
    let build = prog.func_const(build);

    let (mut b, argv) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    let count = int_arg(&mut b, argv[0], 1);
    let head = b.op(LlOp::DirectCall, vec![c(build), v(count)], n.ptr);
    b.op(LlOp::RtCall(RtFn::GcCollect), vec![], TypeId::VOID);
    let (walk, wv) = b.new_block(&[n.ptr, TypeId::SIGNED]);
    b.jump(walk, vec![v(head), int(0)]);
    b.switch_to(walk);
    let end = b.op(LlOp::PtrIsNull, vec![v(wv[0])], TypeId::BOOL);
    let (step, sv) = b.new_block(&[n.ptr, TypeId::SIGNED]);
    let (done, dv) = b.new_block(&[TypeId::SIGNED]);
    b.branch(v(end), (done, vec![v(wv[1])]), (step, vec![v(wv[0]), v(wv[1])]));
    b.switch_to(step);
    let value = b.op(LlOp::GetField(n.value), vec![v(sv[0])], TypeId::SIGNED);
    let sum = b.op(LlOp::IntAdd, vec![v(sv[1]), v(value)], TypeId::SIGNED);
    let next = b.op(LlOp::GetField(n.next), vec![v(sv[0])], n.ptr);
    b.jump(walk, vec![v(next), v(sum)]);
    b.switch_to(done);
    print_int(&mut b, v(dv[0]));
    b.ret(int(0));
    entry(&mut prog, b);
    prog
}

pub fn deep_list_expected(n: i64) -> String {
    format!("{}\n", (0..n).sum::<i64>())
}

/// ```python
/// HOLDER = Node(7)                      # prebuilt, mutated at run time
/// def entry_point(argv):
///     first = Node(0); last = first
///     for i in range(1, 1000): last.next = Node(i); last = last.next
///     last.next = first                 # a cycle
///     HOLDER.next = first               # reachable only through the prebuilt object
///     first = last = None
///     for i in range(int(argv[1])): Node(i)   # garbage: collections move the ring
///     rgc.collect()
///     p = HOLDER.next; s = 0
///     for i in range(1000): s += p.value; p = p.next
///     print(s); print(p is HOLDER.next); print(HOLDER.value)
/// ```
pub fn ring_program() -> (LlProgram, String) {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let holder = prog.add_static(StaticObj {
        ty: n.ty,
        value: StaticValue::Struct { fields: vec![LlConst::Signed(7), LlConst::Null(n.ptr), LlConst::Null(n.ptr)], items: vec![] },
        name: "holder".into(),
    });
    let holder = c(LlConst::Static(holder, n.ptr));
    let (mut b, argv) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    let garbage = int_arg(&mut b, argv[0], 1);
    let first = new_node(&mut b, &n, int(0), null(&n), null(&n));
    let out = for_range(&mut b, int(999), &[(n.ptr, v(first)), (n.ptr, v(first)), (TypeId::SIGNED, v(garbage))], |b, i, carried| {
        let value = b.op(LlOp::IntAdd, vec![v(i), int(1)], TypeId::SIGNED);
        let node = new_node(b, &n, v(value), null(&n), null(&n));
        b.op(LlOp::SetField(n.next), vec![v(carried[1]), v(node)], TypeId::VOID);
        vec![v(carried[0]), v(node), v(carried[2])]
    });
    b.op(LlOp::SetField(n.next), vec![v(out[1]), v(out[0])], TypeId::VOID);
    b.op(LlOp::SetField(n.next), vec![holder.clone(), v(out[0])], TypeId::VOID);
    for_range(&mut b, v(out[2]), &[], |b, i, _| {
        new_node(b, &n, v(i), null(&n), null(&n));
        vec![]
    });
    b.op(LlOp::RtCall(RtFn::GcCollect), vec![], TypeId::VOID);
    let start = b.op(LlOp::GetField(n.next), vec![holder.clone()], n.ptr);
    let out = for_range(&mut b, int(1000), &[(n.ptr, v(start)), (TypeId::SIGNED, int(0))], |b, _, carried| {
        let value = b.op(LlOp::GetField(n.value), vec![v(carried[0])], TypeId::SIGNED);
        let sum = b.op(LlOp::IntAdd, vec![v(carried[1]), v(value)], TypeId::SIGNED);
        let next = b.op(LlOp::GetField(n.next), vec![v(carried[0])], n.ptr);
        vec![v(next), v(sum)]
    });
    print_int(&mut b, v(out[1]));
    let again = b.op(LlOp::GetField(n.next), vec![holder.clone()], n.ptr);
    let same = b.op(LlOp::PtrEq, vec![v(out[0]), v(again)], TypeId::BOOL);
    let same = b.op(LlOp::CastBoolToInt, vec![v(same)], TypeId::SIGNED);
    print_int(&mut b, v(same));
    let seven = b.op(LlOp::GetField(n.value), vec![holder], TypeId::SIGNED);
    print_int(&mut b, v(seven));
    b.ret(int(0));
    entry(&mut prog, b);
    (prog, format!("{}\n1\n7\n", (0..1000).sum::<i64>()))
}

/// ```python
/// def entry_point(argv):
///     size = int(argv[1])
///     arr = [None] * size               # large (over 2046 items): allocated old, with cards
///     small = [None] * 500              # young, then promoted
///     rgc.collect()
///     for i in range(size):
///         arr[i] = Node(i); Node(-1)     # stores of young nodes into an old array
///         small[i % 500] = Node(i)
///     s = 0
///     for i in range(size): s += arr[i].value
///     t = 0
///     for i in range(500): t += small[i].value
///     print(s); print(t)
/// ```
pub fn big_array_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let (mut b, argv) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    let size = int_arg(&mut b, argv[0], 1);
    let arr = b.op(LlOp::MallocVarsize, vec![v(size)], n.array_ptr);
    let small = b.op(LlOp::MallocVarsize, vec![int(500)], n.array_ptr);
    b.op(LlOp::RtCall(RtFn::GcCollect), vec![], TypeId::VOID);
    let out = for_range(&mut b, v(size), &[(n.array_ptr, v(arr)), (n.array_ptr, v(small)), (TypeId::SIGNED, v(size))], |b, i, carried| {
        let node = new_node(b, &n, v(i), null(&n), null(&n));
        b.op(LlOp::SetArrayItem, vec![v(carried[0]), v(i), v(node)], TypeId::VOID);
        new_node(b, &n, int(-1), null(&n), null(&n));
        let k = b.op(LlOp::IntMod, vec![v(i), int(500)], TypeId::SIGNED);
        let other = new_node(b, &n, v(i), null(&n), null(&n));
        b.op(LlOp::SetArrayItem, vec![v(carried[1]), v(k), v(other)], TypeId::VOID);
        vec![v(carried[0]), v(carried[1]), v(carried[2])]
    });
    let (arr, small, size) = (out[0], out[1], out[2]);
    let sums = for_range(&mut b, v(size), &[(n.array_ptr, v(arr)), (TypeId::SIGNED, int(0)), (n.array_ptr, v(small))], |b, i, carried| {
        let item = b.op(LlOp::GetArrayItem, vec![v(carried[0]), v(i)], n.ptr);
        let value = b.op(LlOp::GetField(n.value), vec![v(item)], TypeId::SIGNED);
        let s = b.op(LlOp::IntAdd, vec![v(carried[1]), v(value)], TypeId::SIGNED);
        vec![v(carried[0]), v(s), v(carried[2])]
    });
    print_int(&mut b, v(sums[1]));
    let small = sums[2];
    let sums = for_range(&mut b, int(500), &[(n.array_ptr, v(small)), (TypeId::SIGNED, int(0))], |b, i, carried| {
        let item = b.op(LlOp::GetArrayItem, vec![v(carried[0]), v(i)], n.ptr);
        let value = b.op(LlOp::GetField(n.value), vec![v(item)], TypeId::SIGNED);
        let s = b.op(LlOp::IntAdd, vec![v(carried[1]), v(value)], TypeId::SIGNED);
        vec![v(carried[0]), v(s)]
    });
    print_int(&mut b, v(sums[1]));
    b.ret(int(0));
    entry(&mut prog, b);
    prog
}

pub fn big_array_expected(size: i64) -> String {
    format!("{}\n{}\n", (0..size).sum::<i64>(), (size - 500..size).sum::<i64>())
}

/// ```python
/// def entry_point(argv):
///     s = ""
///     for i in range(3000): s = s + str(i % 10)
///     print(s)
/// ```
pub fn strings_program() -> (LlProgram, String) {
    let mut prog = LlProgram::new();
    let empty = prog.str_const("");
    let (mut b, _) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    let out = for_range(&mut b, int(3000), &[(TypeId::STR_PTR, c(empty))], |b, i, carried| {
        let digit = b.op(LlOp::IntMod, vec![v(i), int(10)], TypeId::SIGNED);
        let piece = b.op(LlOp::RtCall(RtFn::StrFromInt), vec![v(digit)], TypeId::STR_PTR);
        let s = b.op(LlOp::RtCall(RtFn::StrConcat), vec![v(carried[0]), v(piece)], TypeId::STR_PTR);
        vec![v(s)]
    });
    b.op(LlOp::RtCall(RtFn::OutStr), vec![v(out[0])], TypeId::VOID);
    b.op(LlOp::RtCall(RtFn::OutChar), vec![c(LlConst::UniChar('\n' as u32))], TypeId::VOID);
    b.ret(int(0));
    entry(&mut prog, b);
    let expected: String = (0..3000).map(|i| char::from(b'0' + (i % 10) as u8)).collect();
    (prog, format!("{expected}\n"))
}

/// ```python
/// def grow():                          # never returns: the heap runs out
///     head = None
///     while True: head = Node(0, head)
/// def entry_point(argv):
///     try: grow()
///     except MemoryError: print("caught")
///     keep = None
///     for i in range(len(argv) * 1000): keep = Node(i, keep)
///     print(keep.value)
/// ```
/// Run with a small `KILN_GC_MAX_HEAP`. With `none`, nothing is ever freed, so the
/// allocations after the handler raise MemoryError again (uncaught).
pub fn memory_error_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let memory_error = builtin_exc(&mut prog, BuiltinExc::MemoryError, (1, 2));
    let (mut b, _) = LlBuilder::new("grow", &[], TypeId::SIGNED, Span::DUMMY);
    let (head, hv) = b.new_block(&[n.ptr]);
    b.jump(head, vec![null(&n)]);
    b.switch_to(head);
    let node = new_node(&mut b, &n, int(0), v(hv[0]), null(&n));
    b.jump(head, vec![v(node)]);
    let grow = add_func(&mut prog, b, &[], TypeId::SIGNED);
    let grow = prog.func_const(grow);

    let (mut b, argv) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], TypeId::SIGNED, Span::DUMMY);
    let argv = argv[0];
    let first = b.current();
    b.op(LlOp::DirectCall, vec![c(grow)], TypeId::SIGNED);
    let (caught, cv) = b.new_block(&[TypeId::LIST_STR_PTR]);
    let (after, av) = b.new_block(&[TypeId::LIST_STR_PTR]);
    catch(&mut b.graph, first, Link::new(after, vec![v(argv)]), vec![(memory_error, Link::new(caught, vec![v(argv)]))]);
    b.switch_to(caught);
    print_str(&mut prog, &mut b, "caught\n");
    b.jump(after, vec![v(cv[0])]);
    b.switch_to(after);
    let len = b.op(LlOp::GetField(FieldRef { strukt: TypeId::LIST_STR, index: 0 }), vec![v(av[0])], TypeId::SIGNED);
    let count = b.op(LlOp::IntMul, vec![v(len), int(1000)], TypeId::SIGNED);
    let out = for_range(&mut b, v(count), &[(n.ptr, null(&n))], |b, i, carried| {
        let node = new_node(b, &n, v(i), v(carried[0]), null(&n));
        vec![v(node)]
    });
    let value = b.op(LlOp::GetField(n.value), vec![v(out[0])], TypeId::SIGNED);
    print_int(&mut b, v(value));
    b.ret(int(0));
    entry(&mut prog, b);
    prog
}

/// ```python
/// def is_even(n, keep):                 # mutual recursion keeping a node per frame
///     if n == 0: return keep.value
///     return is_odd(n - 1, Node(n, keep))
/// def is_odd(n, keep):
///     if n == 0: return -keep.value
///     return is_even(n - 1, Node(n, keep))
/// def count(n, f):                      # recursion through an indirect call
///     if n == 0: return 0
///     return f(n - 1, count_f) + 1
/// def entry_point(argv):
///     for depth in (1000, 10**9):
///         try: print(is_even(depth, Node(0)))
///         except RecursionError: print("recursion")
///     try: print(count(10**9, count))
///     except RecursionError: print("recursion")
///     print(count(500, count))
/// ```
pub fn recursion_program() -> (LlProgram, String) {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let recursion_error = builtin_exc(&mut prog, BuiltinExc::RecursionError, (1, 2));
    let s = TypeId::SIGNED;
    let even = func_ref(&mut prog, 0, &[s, n.ptr], s);
    let odd = func_ref(&mut prog, 1, &[s, n.ptr], s);
    for (name, other, sign) in [("is_even", odd.clone(), 1), ("is_odd", even.clone(), -1)] {
        let (mut b, p) = LlBuilder::new(name, &[s, n.ptr], s, Span::DUMMY);
        let zero = b.op(LlOp::IntEq, vec![v(p[0]), int(0)], TypeId::BOOL);
        let (base, bv) = b.new_block(&[n.ptr]);
        let (rec, rv) = b.new_block(&[s, n.ptr]);
        b.branch(v(zero), (base, vec![v(p[1])]), (rec, vec![v(p[0]), v(p[1])]));
        b.switch_to(base);
        let value = b.op(LlOp::GetField(n.value), vec![v(bv[0])], s);
        let value = b.op(LlOp::IntMul, vec![v(value), int(sign)], s);
        b.ret(v(value));
        b.switch_to(rec);
        let m = b.op(LlOp::IntSub, vec![v(rv[0]), int(1)], s);
        let keep = new_node(&mut b, &n, v(rv[0]), v(rv[1]), null(&n));
        let r = b.op(LlOp::DirectCall, vec![c(other), v(m), v(keep)], s);
        b.ret(v(r));
        add_func(&mut prog, b, &[s, n.ptr], s);
    }
    // `count(n, f)` calls `f(n - 1)` through the pointer; `count_f(n)` is
    // `count(n, count_f)`, so the cycle count -> count_f -> count goes through an
    // indirect call.
    let f_ty = prog.types.func(vec![s], s);
    let f_ptr = prog.types.ptr(f_ty);
    let count_f = LlConst::Func(FuncId(3), f_ptr);
    let (mut b, p) = LlBuilder::new("count", &[s, f_ptr], s, Span::DUMMY);
    let zero = b.op(LlOp::IntEq, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (rec, rv) = b.new_block(&[s, f_ptr]);
    let rb = b.graph.returnblock;
    b.branch(v(zero), (rb, vec![int(0)]), (rec, vec![v(p[0]), v(p[1])]));
    b.switch_to(rec);
    let m = b.op(LlOp::IntSub, vec![v(rv[0]), int(1)], s);
    let r = b.op(LlOp::IndirectCall, vec![v(rv[1]), v(m)], s);
    let r = b.op(LlOp::IntAdd, vec![v(r), int(1)], s);
    b.ret(v(r));
    let count = add_func(&mut prog, b, &[s, f_ptr], s);
    let count = prog.func_const(count);
    let (mut b, p) = LlBuilder::new("count_f", &[s], s, Span::DUMMY);
    let r = b.op(LlOp::DirectCall, vec![c(count.clone()), v(p[0]), c(count_f.clone())], s);
    b.ret(v(r));
    assert_eq!(add_func(&mut prog, b, &[s], s), FuncId(3));

    let (mut b, _) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], s, Span::DUMMY);
    // One guarded call per case: `try: print(call()) except RecursionError: print(...)`.
    let guarded = |prog: &mut LlProgram, b: &mut LlBuilder, callee: LlConst, args: Vec<LlValue>| {
        let first = b.current();
        let r = b.op(LlOp::DirectCall, [vec![c(callee)], args].concat(), s);
        let (ok, ov) = b.new_block(&[s]);
        let (caught, _) = b.new_block(&[]);
        let (after, _) = b.new_block(&[]);
        catch(&mut b.graph, first, Link::new(ok, vec![v(r)]), vec![(recursion_error, Link::new(caught, vec![]))]);
        b.switch_to(ok);
        print_int(b, v(ov[0]));
        b.jump(after, vec![]);
        b.switch_to(caught);
        print_str(prog, b, "recursion\n");
        b.jump(after, vec![]);
        b.switch_to(after);
    };
    for depth in [1000, 1_000_000_000] {
        let keep = new_node(&mut b, &n, int(0), null(&n), null(&n));
        guarded(&mut prog, &mut b, even.clone(), vec![int(depth), v(keep)]);
    }
    guarded(&mut prog, &mut b, count.clone(), vec![int(1_000_000_000), c(count_f.clone())]);
    guarded(&mut prog, &mut b, count, vec![int(500), c(count_f)]);
    b.ret(int(0));
    entry(&mut prog, b);
    // is_even(1000, Node(0)): 1000 steps from is_even end in is_even with keep = Node(1).
    (prog, "1\nrecursion\nrecursion\n500\n".into())
}

/// The binary-trees benchmark (the Computer Language Benchmarks Game's), with the
/// maximum depth from `argv[1]`:
/// ```python
/// def make(d): return Node(0) if d == 0 else Node(0, make(d - 1), make(d - 1))
/// def check(t): return 1 if t.next is None else 1 + check(t.next) + check(t.other)
/// def entry_point(argv):
///     max_depth = int(argv[1])
///     print(check(make(max_depth + 1)))          # stretch tree
///     long_lived = make(max_depth)
///     for d in range(4, max_depth + 1, 2):
///         iterations = 1 << (max_depth - d + 4)
///         total = 0
///         for i in range(iterations): total += check(make(d))
///         print(iterations, d, total)
///     print(check(long_lived))
/// ```
pub fn binary_trees_program() -> LlProgram {
    let mut prog = LlProgram::new();
    let n = node_type(&mut prog);
    let s = TypeId::SIGNED;
    let make = func_ref(&mut prog, 0, &[s], n.ptr);
    let (mut b, p) = LlBuilder::new("make", &[s], n.ptr, Span::DUMMY);
    let leaf = b.op(LlOp::IntEq, vec![v(p[0]), int(0)], TypeId::BOOL);
    let (l, _) = b.new_block(&[]);
    let (inner, iv) = b.new_block(&[s]);
    b.branch(v(leaf), (l, vec![]), (inner, vec![v(p[0])]));
    b.switch_to(l);
    let node = new_node(&mut b, &n, int(0), null(&n), null(&n));
    b.ret(v(node));
    b.switch_to(inner);
    let d1 = b.op(LlOp::IntSub, vec![v(iv[0]), int(1)], s);
    let left = b.op(LlOp::DirectCall, vec![c(make.clone()), v(d1)], n.ptr);
    let right = b.op(LlOp::DirectCall, vec![c(make.clone()), v(d1)], n.ptr);
    let node = new_node(&mut b, &n, int(0), v(left), v(right));
    b.ret(v(node));
    assert_eq!(add_func(&mut prog, b, &[s], n.ptr), FuncId(0));

    let check = func_ref(&mut prog, 1, &[n.ptr], s);
    let sum_checks = func_ref(&mut prog, 2, &[s, s], s);
    let (mut b, p) = LlBuilder::new("check", &[n.ptr], s, Span::DUMMY);
    let left = b.op(LlOp::GetField(n.next), vec![v(p[0])], n.ptr);
    let leaf = b.op(LlOp::PtrIsNull, vec![v(left)], TypeId::BOOL);
    let (inner, iv) = b.new_block(&[n.ptr, n.ptr]);
    let rb = b.graph.returnblock;
    b.branch(v(leaf), (rb, vec![int(1)]), (inner, vec![v(p[0]), v(left)]));
    b.switch_to(inner);
    let cl = b.op(LlOp::DirectCall, vec![c(check.clone()), v(iv[1])], s);
    let right = b.op(LlOp::GetField(n.other), vec![v(iv[0])], n.ptr);
    let cr = b.op(LlOp::DirectCall, vec![c(check.clone()), v(right)], s);
    let sum = b.op(LlOp::IntAdd, vec![v(cl), v(cr)], s);
    let sum = b.op(LlOp::IntAdd, vec![v(sum), int(1)], s);
    b.ret(v(sum));
    assert_eq!(add_func(&mut prog, b, &[n.ptr], s), FuncId(1));

    // sum_checks(iterations, d) = sum(check(make(d)) for _ in range(iterations))
    let (mut b, p) = LlBuilder::new("sum_checks", &[s, s], s, Span::DUMMY);
    let out = for_range(&mut b, v(p[0]), &[(s, v(p[1])), (s, int(0))], |b, _, c2| {
        let t = b.op(LlOp::DirectCall, vec![c(make.clone()), v(c2[0])], n.ptr);
        let ct = b.op(LlOp::DirectCall, vec![c(check.clone()), v(t)], s);
        let total = b.op(LlOp::IntAdd, vec![v(c2[1]), v(ct)], s);
        vec![v(c2[0]), v(total)]
    });
    b.ret(v(out[1]));
    assert_eq!(add_func(&mut prog, b, &[s, s], s), FuncId(2));

    let (mut b, argv) = LlBuilder::new("entry_point", &[TypeId::LIST_STR_PTR], s, Span::DUMMY);
    let max_depth = int_arg(&mut b, argv[0], 1);
    let stretch = b.op(LlOp::IntAdd, vec![v(max_depth), int(1)], s);
    let t = b.op(LlOp::DirectCall, vec![c(make.clone()), v(stretch)], n.ptr);
    let ct = b.op(LlOp::DirectCall, vec![c(check.clone()), v(t)], s);
    print_int(&mut b, v(ct));
    let long_lived = b.op(LlOp::DirectCall, vec![c(make.clone()), v(max_depth)], n.ptr);
    // for k in range((max_depth - 4) // 2 + 1): d = 4 + 2k
    let span = b.op(LlOp::IntSub, vec![v(max_depth), int(4)], s);
    let half = b.op(LlOp::IntFloorDiv, vec![v(span), int(2)], s);
    let rounds = b.op(LlOp::IntAdd, vec![v(half), int(1)], s);
    let out = for_range(&mut b, v(rounds), &[(s, v(max_depth)), (n.ptr, v(long_lived))], |b, k, carried| {
        let twice = b.op(LlOp::IntMul, vec![v(k), int(2)], s);
        let d = b.op(LlOp::IntAdd, vec![v(twice), int(4)], s);
        let shift = b.op(LlOp::IntSub, vec![v(carried[0]), v(d)], s);
        let shift = b.op(LlOp::IntAdd, vec![v(shift), int(4)], s);
        let iterations = b.op(LlOp::IntLshift, vec![int(1), v(shift)], s);
        let total = b.op(LlOp::DirectCall, vec![c(sum_checks.clone()), v(iterations), v(d)], s);
        b.op(LlOp::RtCall(RtFn::OutInt), vec![v(iterations)], TypeId::VOID);
        b.op(LlOp::RtCall(RtFn::OutChar), vec![c(LlConst::UniChar(' ' as u32))], TypeId::VOID);
        b.op(LlOp::RtCall(RtFn::OutInt), vec![v(d)], TypeId::VOID);
        b.op(LlOp::RtCall(RtFn::OutChar), vec![c(LlConst::UniChar(' ' as u32))], TypeId::VOID);
        print_int(b, v(total));
        vec![v(carried[0]), v(carried[1])]
    });
    let cl = b.op(LlOp::DirectCall, vec![c(check), v(out[1])], s);
    print_int(&mut b, v(cl));
    b.ret(int(0));
    entry(&mut prog, b);
    prog
}

/// What `binary_trees_program` prints for `max_depth`.
pub fn binary_trees_expected(max_depth: u32) -> String {
    let nodes = |d: u32| (1u64 << (d + 1)) - 1;
    let mut out = format!("{}\n", nodes(max_depth + 1));
    let mut d = 4;
    while d <= max_depth {
        let iterations = 1u64 << (max_depth - d + 4);
        out.push_str(&format!("{iterations} {d} {}\n", iterations * nodes(d)));
        d += 2;
    }
    out.push_str(&format!("{}\n", nodes(max_depth)));
    out
}
