//! Random differential tests of the optimizer: random traces (loops and straight lines,
//! with aliasing objects, calls with effect info, overflow, guards) run in the reference
//! interpreter before and after optimization, and must end the same way with the same heap.
//! The traces also go through the printer and parser, and the verifier checks every result.

use crate::descr::DescrTable;
use crate::interp::{run, CallResult, Exit, Heap, Obj};
use crate::ir::{Const, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::parse::parse_trace_file;
use crate::print::print_trace_file;
use crate::verify::verify_rendered;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const DESCRS: &str = "\
descr C.a: field(offset=8, size=8, type=i)
descr C.b: field(offset=16, size=8, type=i, immutable)
descr C.q: field(offset=24, size=8, type=i, quasi_immutable)
descr C.r: field(offset=32, size=8, type=r)
descr A: array(base=16, len=8, item_size=8, type=i)
descr N: size(size=40, type_id=1, vtable=0x1000)
descr setA: call(args=[r, i], result=void, reads=all, writes=[C.a])
descr opaque: call(args=[r], result=i, can_raise, reads=all, writes=all)
descr pf: call(args=[i], result=i, elidable, reads=[], writes=[])
descr pfr: call(args=[i], result=i, can_raise, elidable, reads=[], writes=[])
";

const CONSTS: &[i64] = &[0, 1, -1, 2, 3, 7, 100, 255, i64::MAX, i64::MIN, i64::MAX - 1];

fn pf(x: i64) -> i64 {
    x.wrapping_mul(3).wrapping_add(1)
}

fn pfr(x: i64) -> Option<i64> {
    (x.rem_euclid(4) != 3).then(|| x.wrapping_sub(1))
}

struct Gen {
    rng: Rng,
    lines: Vec<String>,
    header: Vec<String>,
    ints: Vec<String>,
    refs: Vec<String>,
    /// References known to be initial objects (with items).
    arrays: Vec<String>,
    /// Earlier ops that can be repeated with a new result: (type prefix, right-hand side,
    /// line to emit after it).
    repeatable: Vec<(char, String, Option<String>)>,
    next: u32,
    /// No object without items was stored into `C.r` yet.
    cr_initial: bool,
}

impl Gen {
    fn fresh(&mut self, prefix: char) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn int(&mut self) -> String {
        if self.rng.chance(30) || self.ints.is_empty() {
            self.rng.pick(CONSTS).to_string()
        } else {
            self.rng.pick(&self.ints).clone()
        }
    }

    fn reference(&mut self) -> String {
        self.rng.pick(&self.refs).clone()
    }

    fn resume(&mut self) -> String {
        let n = 1 + self.rng.below(3);
        let vals: Vec<String> = (0..n)
            .map(|_| if self.rng.chance(50) { self.int() } else { self.reference() })
            .collect();
        format!("[{}]", vals.join(", "))
    }

    fn def(&mut self, prefix: char, rhs: String, after: Option<String>, repeatable: bool) -> String {
        let name = self.fresh(prefix);
        self.lines.push(format!("{name} = {rhs}"));
        if let Some(a) = &after {
            let a = a.replace("RESUME", &self.resume());
            self.lines.push(a);
        }
        if repeatable {
            self.repeatable.push((prefix, rhs, after));
        }
        match prefix {
            'i' => self.ints.push(name.clone()),
            _ => self.refs.push(name.clone()),
        }
        name
    }

    fn index(&mut self) -> String {
        if self.rng.chance(50) {
            self.rng.below(4).to_string()
        } else {
            let x = self.int();
            self.def('i', format!("int_and({x}, 3)"), None, true)
        }
    }

    fn step(&mut self) {
        let r = self.rng.below(19);
        match r {
            0 | 1 => {
                let op = *self.rng.pick(&[
                    "int_add", "int_sub", "int_mul", "int_and", "int_or", "int_xor", "int_lshift", "int_rshift",
                    "uint_rshift", "int_floordiv", "int_mod", "uint_floordiv", "uint_mod", "uint_add", "uint_mul",
                ]);
                let a = self.int();
                let b = if op.contains("shift") {
                    self.rng.below(64).to_string()
                } else if op.contains("div") || op.contains("mod") {
                    // The interpreter checks divisors for zero before dividing.
                    let d = self.int();
                    self.def('i', format!("int_or({d}, 1)"), None, true)
                } else {
                    self.int()
                };
                self.def('i', format!("{op}({a}, {b})"), None, true);
            }
            2 | 3 => {
                let op = *self.rng.pick(&[
                    "int_lt", "int_le", "int_gt", "int_ge", "int_eq", "int_ne", "uint_lt", "uint_ge", "int_is_true",
                    "int_between", "int_add_overflows", "int_mul_overflows", "bool_not", "char_lt",
                ]);
                let a = self.int();
                let rhs = match op {
                    "int_is_true" => format!("{op}({a})"),
                    // bool_not of a bool, char_lt of chars, as the jitcodes have them.
                    "bool_not" => format!("{op}({})", self.def('i', format!("int_is_true({a})"), None, true)),
                    "char_lt" => {
                        let b = self.int();
                        let (x, y) = (self.def('i', format!("cast_int_to_char({a})"), None, true), self.def('i', format!("cast_int_to_char({b})"), None, true));
                        format!("{op}({x}, {y})")
                    }
                    "int_between" => {
                        let (b, c) = (self.int(), self.int());
                        format!("{op}({a}, {b}, {c})")
                    }
                    _ => format!("{op}({a}, {})", self.int()),
                };
                let c = self.def('i', rhs, None, true);
                let g = *self.rng.pick(&["guard_true", "guard_false"]);
                let res = self.resume();
                self.lines.push(format!("{g}({c}) {res}"));
            }
            4 => {
                let op = *self.rng.pick(&["int_add_ovf", "int_sub_ovf", "int_mul_ovf"]);
                let (a, b) = (self.int(), self.int());
                self.def('i', format!("{op}({a}, {b})"), Some("guard_no_overflow() RESUME".into()), true);
            }
            5 => {
                let p = self.reference();
                let f = *self.rng.pick(&["C.a", "C.b", "C.q"]);
                self.def('i', format!("getfield_gc_i({p}, descr={f})"), None, true);
            }
            6 => {
                let p = self.reference();
                let f = *self.rng.pick(&["C.a", "C.q"]);
                let v = self.int();
                self.lines.push(format!("setfield_gc({p}, {v}, descr={f})"));
            }
            7 => {
                let p = self.reference();
                let q = self.def('p', format!("getfield_gc_r({p}, descr=C.r)"), None, true);
                if self.arrays.contains(&p) && self.cr_initial {
                    // Initial objects point only to initial objects, until a store says otherwise.
                    self.arrays.push(q);
                }
            }
            8 => {
                let (p, q) = (self.reference(), self.reference());
                self.lines.push(format!("setfield_gc({p}, {q}, descr=C.r)"));
                if !self.arrays.contains(&q) {
                    // What C.r holds may now be an object without items.
                    self.cr_initial = false;
                }
            }
            9 => {
                let p = self.rng.pick(&self.arrays).clone();
                let i = self.index();
                self.def('i', format!("getarrayitem_gc_i({p}, {i}, descr=A)"), None, true);
            }
            10 => {
                let p = self.rng.pick(&self.arrays).clone();
                let i = self.index();
                let v = self.int();
                self.lines.push(format!("setarrayitem_gc({p}, {i}, {v}, descr=A)"));
            }
            11 => {
                let p = self.rng.pick(&self.arrays).clone();
                let n = self.def('i', format!("arraylen_gc({p}, descr=A)"), None, true);
                let i = self.int();
                let c = self.def('i', format!("int_lt({i}, {n})"), None, true);
                let res = self.resume();
                self.lines.push(format!("guard_true({c}) {res}"));
            }
            12 => {
                let p = self.reference();
                let res = self.resume();
                let g = match self.rng.below(3) {
                    0 => format!("guard_nonnull({p}) {res}"),
                    1 => format!("guard_class({p}, {}) {res}", self.rng.pick(&[4096, 8192])),
                    _ => format!("guard_nonnull_class({p}, {}) {res}", self.rng.pick(&[4096, 8192])),
                };
                self.lines.push(g);
            }
            13 => {
                let p = self.fresh('p');
                self.lines.push(format!("{p} = new_with_vtable(descr=N)"));
                let (b, q) = (self.int(), self.reference());
                self.lines.push(format!("setfield_gc({p}, {b}, descr=C.b)"));
                self.lines.push(format!("setfield_gc({p}, {q}, descr=C.r)"));
                self.refs.push(p);
            }
            14 => match self.rng.below(4) {
                0 => {
                    let (p, v) = (self.reference(), self.int());
                    self.lines.push(format!("call_n(100, {p}, {v}, descr=setA)"));
                }
                1 => {
                    let p = self.reference();
                    self.def('i', format!("call_i(200, {p}, descr=opaque)"), Some("guard_no_exception() RESUME".into()), false);
                }
                k => {
                    let x = self.int();
                    if let Ok(c) = x.parse::<i64>() {
                        let r = if k == 2 { Some(pf(c)) } else { pfr(c) };
                        if let Some(r) = r {
                            let f = if k == 2 { 300 } else { 400 };
                            self.header.push(format!("call_pure_result({f}, {c}) = {r}"));
                        }
                    }
                    if k == 2 {
                        self.def('i', format!("call_pure_i(300, {x}, descr=pf)"), None, true);
                    } else {
                        let after = Some("guard_no_exception() RESUME".to_string());
                        self.def('i', format!("call_pure_i(400, {x}, descr=pfr)"), after, true);
                    }
                }
            },
            15 => {
                if !self.repeatable.is_empty() {
                    let (prefix, rhs, after) = self.rng.pick(&self.repeatable).clone();
                    self.def(prefix, rhs, after, false);
                }
            }
            16 => {
                let op = *self.rng.pick(&["int_abs", "cast_int_to_char", "cast_int_to_unichar", "int_neg"]);
                let a = self.int();
                let x = self.def('i', format!("{op}({a})"), None, true);
                // Use the narrow result so bounds on it matter: compare it with a constant.
                let c = *self.rng.pick(CONSTS);
                let t = self.def('i', format!("int_le({x}, {c})"), None, true);
                let g = *self.rng.pick(&["guard_true", "guard_false"]);
                let res = self.resume();
                self.lines.push(format!("{g}({t}) {res}"));
            }
            17 => {
                let p = self.reference();
                let op = *self.rng.pick(&["ptr_nonzero", "ptr_iszero"]);
                let c = self.def('i', format!("{op}({p})"), None, true);
                let g = *self.rng.pick(&["guard_true", "guard_false"]);
                let res = self.resume();
                self.lines.push(format!("{g}({c}) {res}"));
            }
            _ => {
                if self.rng.chance(50) {
                    let (a, c) = (self.int(), *self.rng.pick(CONSTS));
                    let res = self.resume();
                    self.lines.push(format!("guard_value({a}, {c}) {res}"));
                } else {
                    let (p, q) = (self.reference(), self.reference());
                    let c = self.def('i', format!("ptr_eq({p}, {q})"), None, true);
                    let res = self.resume();
                    self.lines.push(format!("guard_false({c}) {res}"));
                }
            }
        }
    }
}

fn generate(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
        lines: vec![],
        header: vec![],
        ints: vec!["i0".into(), "i1".into()],
        refs: vec!["p2".into(), "p3".into()],
        arrays: vec!["p2".into(), "p3".into()],
        repeatable: vec![],
        next: 3,
        cr_initial: true,
    };
    let looping = g.rng.chance(50);
    if looping {
        g.lines.push("label(i0, i1, p2, p3, descr=TargetToken(1))".into());
    }
    let n = 5 + g.rng.below(30);
    for _ in 0..n {
        g.step();
    }
    if looping {
        let (a, b) = (g.int(), g.int());
        let (p, q) = (g.rng.pick(&g.arrays).clone(), g.rng.pick(&g.arrays).clone());
        g.lines.push(format!("jump({a}, {b}, {p}, {q}, descr=TargetToken(1))"));
    } else {
        let mut all = g.ints.clone();
        all.extend(g.refs.iter().cloned());
        g.lines.push(format!("finish({})", all.join(", ")));
    }
    let mut header = g.header.clone();
    header.dedup();
    format!("{DESCRS}{}\n[i0, i1, p2, p3]\n{}\n", header.join("\n"), g.lines.join("\n"))
}

fn initial_heap(descrs: &DescrTable, rng: &mut Rng) -> (Heap, Vec<Const>) {
    let [a, b, q, r] = ["C.a", "C.b", "C.q", "C.r"].map(|n| descrs.lookup(n).unwrap());
    let mut heap = Heap::default();
    for k in 0..3u64 {
        let mut obj = Obj { class: if k == 2 { 8192 } else { 4096 }, ..Obj::default() };
        obj.fields.insert(a, Const::Int(*rng.pick(CONSTS)));
        obj.fields.insert(b, Const::Int(k as i64 * 10));
        obj.fields.insert(q, Const::Int(*rng.pick(CONSTS)));
        obj.fields.insert(r, Const::Ref(16 * (1 + (k + 1) % 3)));
        obj.items = (0..4).map(|_| Const::Int(*rng.pick(CONSTS))).collect();
        heap.alloc(obj);
    }
    // p2 and p3 may be the same object: aliasing must not fool the heap cache.
    let p2 = 16 * (1 + rng.below(3) as u64);
    let p3 = 16 * (1 + rng.below(3) as u64);
    let inputs = vec![Const::Int(*rng.pick(CONSTS)), Const::Int(*rng.pick(CONSTS)), Const::Ref(p2), Const::Ref(p3)];
    (heap, inputs)
}

fn calls(descrs: &DescrTable) -> impl FnMut(i64, &[Const], &mut Heap) -> Result<CallResult, String> {
    let a = descrs.lookup("C.a").unwrap();
    move |addr, args, heap| {
        let ptr = |c: Const| match c {
            Const::Ref(p) => Ok(p),
            _ => Err("not a pointer".to_string()),
        };
        Ok(match addr {
            100 => {
                heap.get_mut(ptr(args[0])?)?.fields.insert(a, args[1]);
                Ok(None)
            }
            200 => {
                let obj = heap.get_mut(ptr(args[0])?)?;
                let v = obj.fields.get(&a).and_then(|c| c.as_int()).unwrap_or(0).wrapping_add(1);
                obj.fields.insert(a, Const::Int(v));
                if let Some(Const::Int(x)) = obj.items.first_mut().map(|c| *c) {
                    obj.items[0] = Const::Int(x.wrapping_add(1));
                }
                if v.rem_euclid(5) == 0 {
                    Err(Const::Ref(heap.alloc(Obj { class: 0x3000, ..Obj::default() })))
                } else {
                    Ok(Some(Const::Int(v)))
                }
            }
            300 => Ok(Some(Const::Int(pf(args[0].as_int().unwrap_or(0))))),
            400 => match pfr(args[0].as_int().unwrap_or(0)) {
                Some(v) => Ok(Some(Const::Int(v))),
                None => Err(Const::Ref(heap.alloc(Obj { class: 0x3000, ..Obj::default() }))),
            },
            _ => return Err(format!("no function at {addr}")),
        })
    }
}

/// Makes the first iteration pass every guard (as a tracer records what happened), by
/// turning each failing guard into the one that passes.
fn fix_guards(trace: &mut Trace, descrs: &DescrTable, heap: &Heap, inputs: &[Const]) -> Result<(), String> {
    for _ in 0..200 {
        let mut h = heap.clone();
        match run(trace, descrs, inputs, &mut h, &mut calls(descrs), 1)? {
            Exit::GuardFailure { op, args, .. } => {
                let exc_box = (trace.ops[op].opcode == OpCode::GuardNoException).then(|| trace.new_box(Type::Ref));
                let g = &mut trace.ops[op];
                match g.opcode {
                    OpCode::GuardTrue => g.opcode = OpCode::GuardFalse,
                    OpCode::GuardFalse => g.opcode = OpCode::GuardTrue,
                    OpCode::GuardValue => g.args[1] = Value::Const(args[0]),
                    OpCode::GuardNoOverflow => g.opcode = OpCode::GuardOverflow,
                    OpCode::GuardClass | OpCode::GuardNonnullClass => {
                        let Const::Ref(p) = args[0] else { return Err("class of a non-ref".into()) };
                        g.args[1] = Value::int(h.get(p)?.class as i64);
                    }
                    OpCode::GuardNoException => {
                        g.opcode = OpCode::GuardException;
                        g.args = vec![Value::int(0x3000)];
                        g.result = exc_box;
                    }
                    other => return Err(format!("cannot fix {other}")),
                }
            }
            _ => return Ok(()),
        }
    }
    Err("too many guard fixes".into())
}

/// The exit without what optimization may legitimately change (which op, its arguments).
fn comparable(exit: &Exit) -> String {
    match exit {
        Exit::GuardFailure { frames, .. } => format!("guard failure {frames:?}"),
        other => format!("{other:?}"),
    }
}

/// The heap with fields that hold zero left out: a field never written reads as zero.
fn normalized(mut heap: Heap) -> Heap {
    for obj in &mut heap.objs {
        obj.fields.retain(|_, v| !matches!(v, Const::Int(0) | Const::Ref(0) | Const::Float(0)));
    }
    heap
}

#[test]
fn optimized_traces_behave_like_the_originals() {
    let seeds: u64 = std::env::var("KILN_JIT_RANDOM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3000);
    let (mut compared, mut undefined, mut ops_before, mut ops_after) = (0, 0, 0, 0);
    for seed in 0..seeds {
        let text = generate(seed);
        let (descrs, mut trace) = parse_trace_file(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        verify_rendered(&trace, &descrs).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let mut rng = Rng(seed + 7);
        let (heap, inputs) = initial_heap(&descrs, &mut rng);
        if fix_guards(&mut trace, &descrs, &heap, &inputs).is_err() {
            undefined += 1;
            continue;
        }
        // The printed form of the fixed trace parses back to the same trace.
        let printed = print_trace_file(&trace, &descrs);
        let (d2, t2) = parse_trace_file(&printed).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{printed}"));
        assert_eq!((&d2, &t2), (&descrs, &trace), "seed {seed}: round trip");

        let mut h1 = heap.clone();
        let Ok(before) = run(&trace, &descrs, &inputs, &mut h1, &mut calls(&descrs), 4) else {
            undefined += 1;
            continue;
        };
        let mut opt = trace.clone();
        crate::opt::optimize(&descrs, &mut opt).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        verify_rendered(&opt, &descrs).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let mut h2 = heap.clone();
        let after = run(&opt, &descrs, &inputs, &mut h2, &mut calls(&descrs), 4);
        let show = || format!("seed {seed}\nbefore:\n{printed}\nafter:\n{}", crate::print::print_trace(&opt, &descrs));
        let after = after.unwrap_or_else(|e| panic!("optimized trace: {e}\n{}", show()));
        assert_eq!(comparable(&after), comparable(&before), "exits differ\n{}", show());
        assert_eq!(normalized(h2), normalized(h1), "heaps differ\n{}", show());
        compared += 1;
        ops_before += trace.ops.len();
        ops_after += opt.ops.len();
    }
    eprintln!("{compared} traces compared, {undefined} undefined, {ops_before} ops optimized to {ops_after}");
    assert!(compared > seeds * 2 / 3, "only {compared} traces compared ({undefined} undefined)");
    // The test has teeth only if the optimizer does something to these traces.
    assert!(ops_after * 10 < ops_before * 8, "the optimizer removed little: {ops_before} -> {ops_after}");
}
