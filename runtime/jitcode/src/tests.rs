//! Tests of the format: assembling, printing, the byte form and the verifier.

use crate::*;

/// `def count(n): i = 0; while i < n: i = i + 1; return i` as a codewriter would write
/// it, plus a residual call through a descriptor and an inline call.
fn sample() -> JitCodeSet {
    let mut set = JitCodeSet::default();
    let f = set.symbol("helper", SymbolKind::Func);
    let cell = set.descr(Descr {
        name: "Cell.value".into(),
        kind: DescrKind::Field(FieldDescr { offset: 8, size: 8, bank: Bank::Int, signed: true, mutability: Mutability::Immutable, gc: true }),
    });
    let call = set.descr(Descr {
        name: "call helper".into(),
        kind: DescrKind::Call(CallDescr {
            args: vec![Bank::Int, Bank::Ref],
            result: Some(Bank::Int),
            target: CallTarget::Func("helper".into()),
            effect: EffectInfo { can_raise: true, can_collect: false, extra: ExtraEffect::None, reads: Some(vec![cell]), writes: Some(vec![]) },
            oopspec: None,
        }),
    });

    // count: %i0 = n (argument), %i1 = i, %i2 = i < n; constants $0 (index 3), $1 (4).
    let mut a = Assembler::new();
    let head = a.new_label();
    let exit = a.new_label();
    a.emit("int_copy/i>i", vec![Operand::Reg(Bank::Int, 3)], Some(1)).unwrap();
    a.define(head);
    a.emit("int_lt/ii>i", vec![Operand::Reg(Bank::Int, 1), Operand::Reg(Bank::Int, 0)], Some(2)).unwrap();
    a.emit("live/T", vec![Operand::Live(0)], None).unwrap();
    a.emit("goto_if_not/iL", vec![Operand::Reg(Bank::Int, 2), Operand::Label(exit)], None).unwrap();
    a.emit("int_add/ii>i", vec![Operand::Reg(Bank::Int, 1), Operand::Reg(Bank::Int, 4)], Some(1)).unwrap();
    a.emit("goto/L", vec![Operand::Label(head)], None).unwrap();
    a.define(exit);
    a.emit("int_return/i", vec![Operand::Reg(Bank::Int, 1)], None).unwrap();
    set.jitcodes.push(JitCode {
        name: "count".into(),
        num_regs: [3, 0, 0],
        num_args: [1, 0, 0],
        result: Some(Bank::Int),
        consts_i: vec![IntConst::Value(0), IntConst::Value(1)],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![Liveness { regs: [vec![0, 1, 2], vec![], vec![]] }],
    });

    // user(p): x = p.value; y = helper(x, p) (can raise: caught, re-raised); count(y).
    let mut a = Assembler::new();
    let handler = a.new_label();
    a.emit("getfield_gc_i/rd>i", vec![Operand::Reg(Bank::Ref, 0), Operand::Descr(cell)], Some(0)).unwrap();
    a.emit(
        "residual_call_i/iIRFd>i",
        vec![Operand::Reg(Bank::Int, 2), Operand::List(Bank::Int, vec![0]), Operand::List(Bank::Ref, vec![0]), Operand::List(Bank::Float, vec![]), Operand::Descr(call)],
        Some(1),
    )
    .unwrap();
    a.emit("live/T", vec![Operand::Live(0)], None).unwrap();
    a.emit("catch_exception/L", vec![Operand::Label(handler)], None).unwrap();
    a.emit("inline_call_i/jIRF>i", vec![Operand::JitCode(0), Operand::List(Bank::Int, vec![1]), Operand::List(Bank::Ref, vec![]), Operand::List(Bank::Float, vec![])], Some(0)).unwrap();
    a.emit("int_return/i", vec![Operand::Reg(Bank::Int, 0)], None).unwrap();
    a.define(handler);
    a.emit("reraise/", vec![], None).unwrap();
    set.jitcodes.push(JitCode {
        name: "user".into(),
        num_regs: [2, 1, 0],
        num_args: [0, 1, 0],
        result: Some(Bank::Int),
        consts_i: vec![IntConst::Addr(f)],
        consts_r: vec![],
        consts_f: vec![],
        code: a.finish().unwrap(),
        liveness: vec![Liveness { regs: [vec![1], vec![0], vec![]] }],
    });
    set
}

#[test]
fn instruction_table_is_well_formed() {
    assert!(INSNS.len() < 256, "opcodes are one byte");
    for (i, key) in INSNS.iter().enumerate() {
        let op = Opcode::from_key(key).expect("every key is found");
        assert_eq!(op.0 as usize, i, "{key} is listed twice");
        let _ = op.args();
        let _ = op.result();
    }
}

#[test]
fn printer() {
    let expected = "\
descr Cell.value: field(offset=8, size=8, bank=i, signed, gc, immutable)
descr call helper: call(args=[i, r], result=i, func helper, can_raise, reads=[Cell.value], writes=[])

jitcode count (args i1 r0 f0; regs i3 r0 f0) -> i
  int_copy $0 -> %i1
L5:
  int_lt %i1, %i0 -> %i2
  live [%i0, %i1, %i2]
  goto_if_not %i2, L34
  int_add %i1, $1 -> %i1
  goto L5
L34:
  int_return %i1

jitcode user (args i0 r1 f0; regs i2 r1 f0) -> i
  getfield_gc_i %r0, <Cell.value> -> %i0
  residual_call_i $&helper, I[%i0], R[%r0], F[], <call helper> -> %i1
  live [%i1, %r0]
  catch_exception L42
  inline_call_i <jitcode count>, I[%i1], R[], F[] -> %i0
  int_return %i0
L42:
  reraise
";
    assert_eq!(print_set(&sample()), expected);
}

#[test]
fn bytes_round_trip() {
    let set = sample();
    assert!(verify_set(&set).is_empty(), "{:?}", verify_set(&set));
    let bytes = to_bytes(&set);
    let back = from_bytes(&bytes).expect("reads back");
    assert_eq!(back, set);
    assert_eq!(to_bytes(&back), bytes);
}

#[test]
fn malformed_bytes_are_errors_not_panics() {
    let bytes = to_bytes(&sample());
    for n in 0..bytes.len() {
        assert!(from_bytes(&bytes[..n]).is_err(), "a prefix of {n} bytes was accepted");
    }
    // Flipping any byte either fails to read or reads a set the verifier can judge
    // (printing and verifying must not panic either).
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xff;
        if let Ok(set) = from_bytes(&b) {
            let _ = verify_set(&set);
            let _ = print_set(&set);
        }
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert!(from_bytes(&extra).is_err());
}

fn errors_after(change: impl FnOnce(&mut JitCodeSet)) -> Vec<String> {
    let mut set = sample();
    change(&mut set);
    verify_set(&set)
}

#[test]
fn verifier_finds_each_kind_of_error() {
    let has = |errs: Vec<String>, want: &str| assert!(errs.iter().any(|e| e.contains(want)), "no `{want}` in {errs:?}");
    // A constant as a result: count's first instruction writes %i1; make it write $0.
    has(errors_after(|s| s.jitcodes[0].code[3] = 3), "is not a register");
    // A register out of range.
    has(errors_after(|s| s.jitcodes[0].num_regs[0] = 1), "out of range");
    // A label into the middle of an instruction: goto's target.
    has(
        errors_after(|s| {
            let c = &mut s.jitcodes[0].code;
            let n = c.len();
            c[n - 7..n - 3].copy_from_slice(&6u32.to_le_bytes());
        }),
        "is not an instruction",
    );
    // Falling off the end: the final `int_return %i1` (3 bytes) becomes `live 0`.
    has(
        errors_after(|s| {
            let c = &mut s.jitcodes[0].code;
            let n = c.len();
            c[n - 3..].copy_from_slice(&[0, 0, 0]);
        }),
        "falls through",
    );
    // A field descriptor where a call descriptor is needed.
    has(
        errors_after(|s| {
            if let DescrKind::Call(c) = &mut s.descrs[1].kind {
                c.args.push(Bank::Float);
            }
        }),
        "arguments per bank",
    );
    has(errors_after(|s| s.descrs.swap(0, 1)), "descriptor");
    // Liveness naming a constant.
    has(errors_after(|s| s.jitcodes[0].liveness[0].regs[0].push(7)), "not a register");
    // Inline call with the wrong number of arguments.
    has(errors_after(|s| s.jitcodes[0].num_args = [2, 0, 0]), "inline call of count");
    // A return of the wrong bank.
    has(errors_after(|s| s.jitcodes[0].result = None), "int_return");
    // A missing symbol.
    has(errors_after(|s| s.symbols.clear()), "symbol");
    // A portal without a merge point.
    has(errors_after(|s| s.portals = vec![PortalInfo { jitcode: 0, number: 0, driver: "d".into(), greens: vec![], reds: vec![], printable: None }]), "no jit_merge_point");
}

#[test]
fn assembler_rejects_mismatched_operands() {
    let mut a = Assembler::new();
    assert!(a.emit("int_add/ii>i", vec![Operand::Reg(Bank::Ref, 0), Operand::Reg(Bank::Int, 0)], Some(0)).is_err());
    assert!(a.emit("int_add/ii>i", vec![Operand::Reg(Bank::Int, 0)], Some(0)).is_err());
    assert!(a.emit("int_add/ii>i", vec![Operand::Reg(Bank::Int, 0), Operand::Reg(Bank::Int, 0)], None).is_err());
    assert!(a.emit("no_such/", vec![], None).is_err());
    let l = a.new_label();
    a.emit("goto/L", vec![Operand::Label(l)], None).unwrap();
    assert!(a.finish().is_err(), "an undefined label is an error");
}

#[test]
fn a_portals_printable_location_round_trips() {
    let mut set = sample();
    let f = set.symbol("get_location", SymbolKind::Func);
    set.portals = vec![
        PortalInfo { jitcode: 0, number: 0, driver: "d".into(), greens: vec!["pc".into(), "code".into()], reds: vec![], printable: Some(Printable { symbol: f, greens: vec![1, 0] }) },
        PortalInfo { jitcode: 1, number: 1, driver: "e".into(), greens: vec![], reds: vec![], printable: None },
    ];
    let bytes = to_bytes(&set);
    assert_eq!(from_bytes(&bytes).expect("reads back"), set);
    assert!(print_set(&set).contains("driver d greens [pc, code] reds [] printable get_location(green1, green0)\n"), "{}", print_set(&set));
}

/// A VM translated by an older toolchain embeds jitcodes in an older form: the JIT
/// runtime refuses them, naming both versions (the JIT is then off), rather than misread.
#[test]
fn jitcodes_of_another_format_version_are_refused() {
    let mut bytes = to_bytes(&sample());
    assert_eq!(&bytes[..4], &[b'K', b'J', b'C', FORMAT_VERSION]);
    bytes[3] = b'1';
    let err = from_bytes(&bytes).expect_err("the first form is refused");
    assert!(err.contains("format version 1") && err.contains(&format!("reads version {FORMAT_VERSION}")), "{err}");
}
