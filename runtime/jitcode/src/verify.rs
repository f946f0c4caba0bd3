//! The verifier of a jitcode set. Its errors are bugs of whoever made the set (the
//! codewriter, or corrupted bytes), never of the user's program. Invariants:
//!
//! 1. Every jitcode decodes completely: known opcodes, no truncated operand.
//! 2. A register operand of bank `b` is below `num_regs[b]` plus the number of `b`
//!    constants; a result is a register, never a constant. `num_args[b] <= num_regs[b]`.
//! 3. Every label and switch target is the offset of an instruction of the same jitcode.
//! 4. Descriptor operands exist and are of the kind the instruction needs: a field (GC or
//!    raw as the name says, of the bank of the value) for field access, an array for item
//!    access, lengths and `new_array`, a size for `new`, a call for residual calls, whose
//!    argument banks match the lists passed and whose result bank matches the suffix.
//! 5. Jitcode operands exist; an inline call passes as many arguments of each bank as
//!    the callee takes and expects the callee's result bank.
//! 6. `live` operands index the jitcode's liveness table; liveness lists are sorted
//!    registers (not constants), each once.
//! 7. Execution never runs off the end: the last instruction is a terminator (`goto`, a
//!    return, `raise`, `reraise`).
//! 8. `catch_exception` follows an instruction that can raise, with at most the `live`
//!    of that instruction between them.
//! 9. Returns match the jitcode's result bank (`void_return` when it has none).
//! 10. Constants name existing symbols; effect read and write sets name field or array
//!     descriptors.
//! 11. The portal, when there is one, names a jitcode that holds a `jit_merge_point`;
//!     its `get_printable_location` is a function symbol whose arguments are green
//!     slots of that merge point.

use crate::code::{IntConst, JitCode, JitCodeSet, RefConst};
use crate::descr::DescrKind;
use crate::insn::{decode_all, Decoded, DecodedArg};
use crate::Bank;

/// Every invariant violation of `set`; empty when it is well-formed.
pub fn verify_set(set: &JitCodeSet) -> Vec<String> {
    let mut errors = Vec::new();
    for (i, d) in set.descrs.iter().enumerate() {
        if let DescrKind::Call(c) = &d.kind {
            for s in [&c.effect.reads, &c.effect.writes].into_iter().flatten() {
                for x in s {
                    if !matches!(set.descrs.get(*x as usize).map(|d| &d.kind), Some(DescrKind::Field(_) | DescrKind::Array(_))) {
                        errors.push(format!("descr {i} ({}): effect set names {x}, not a field or array descriptor", d.name));
                    }
                }
            }
        }
    }
    for j in &set.jitcodes {
        verify_jitcode(set, j, &mut errors);
    }
    for (k, p) in set.portals.iter().enumerate() {
        if set.portals[..k].iter().any(|q| q.number == p.number || q.jitcode == p.jitcode) {
            errors.push(format!("two portals of driver {} or of jitcode {}", p.number, p.jitcode));
        }
        match set.jitcodes.get(p.jitcode as usize) {
            None => errors.push(format!("the portal names jitcode {}, which does not exist", p.jitcode)),
            Some(j) => {
                let is_ours = |d: &crate::insn::Decoded| d.opcode.name() == "jit_merge_point" && matches!(d.args.first(), Some(crate::insn::DecodedArg::Imm(x)) if u32::from(*x) == p.number);
                let has = decode_all(&j.code).map(|v| v.iter().any(is_ours)).unwrap_or(false);
                if !has {
                    errors.push(format!("the portal {} has no jit_merge_point of driver {}", j.name, p.number));
                }
                if let Some(pr) = &p.printable {
                    if !matches!(set.symbols.get(pr.symbol as usize), Some(s) if s.kind == crate::SymbolKind::Func) {
                        errors.push(format!("the printable location of driver {} names symbol {}, not a function", p.number, pr.symbol));
                    }
                    let greens = decode_all(&j.code).ok().and_then(|v| v.into_iter().find(is_ours)).map_or(0, |d| {
                        d.args[1..].iter().take(3).map(|a| if let DecodedArg::List(_, regs) = a { regs.len() } else { 0 }).sum::<usize>()
                    });
                    if let Some(g) = pr.greens.iter().find(|&&g| usize::from(g) >= greens) {
                        errors.push(format!("the printable location of driver {} takes green slot {g}; the merge point has {greens}", p.number));
                    }
                }
            }
        }
    }
    errors
}

fn verify_jitcode(set: &JitCodeSet, j: &JitCode, errors: &mut Vec<String>) {
    let mut err = |pc: Option<u32>, msg: String| match pc {
        Some(pc) => errors.push(format!("jitcode {} at {pc}: {msg}", j.name)),
        None => errors.push(format!("jitcode {}: {msg}", j.name)),
    };
    for b in Bank::ALL {
        if j.num_args[b.index()] > j.num_regs[b.index()] {
            err(None, format!("{} {b} arguments but {} registers", j.num_args[b.index()], j.num_regs[b.index()]));
        }
    }
    for c in &j.consts_i {
        if let IntConst::Addr(s) = c {
            if *s as usize >= set.symbols.len() {
                err(None, format!("int constant names symbol {s}, which does not exist"));
            }
        }
    }
    for c in &j.consts_r {
        if let RefConst::Static(s) = c {
            if *s as usize >= set.symbols.len() {
                err(None, format!("ref constant names symbol {s}, which does not exist"));
            }
        }
    }
    for (t, l) in j.liveness.iter().enumerate() {
        for b in Bank::ALL {
            let regs = &l.regs[b.index()];
            if regs.windows(2).any(|w| w[0] >= w[1]) {
                err(None, format!("liveness {t}: {b} registers not sorted and distinct"));
            }
            if regs.iter().any(|r| !j.is_register(b, *r)) {
                err(None, format!("liveness {t}: a {b} entry is not a register"));
            }
        }
    }
    let insns = match decode_all(&j.code) {
        Ok(v) => v,
        Err(e) => {
            err(None, e);
            return;
        }
    };
    let starts: std::collections::HashSet<u32> = insns.iter().map(|d| d.pc).collect();
    match insns.last() {
        None => err(None, "empty code".into()),
        Some(d) if !d.opcode.is_terminator() => err(Some(d.pc), format!("the code ends with `{}`, which falls through", d.opcode.name())),
        _ => {}
    }
    let mut prev: Option<&Decoded> = None;
    for d in &insns {
        let pc = Some(d.pc);
        let name = d.opcode.name();
        let reg_ok = |b: Bank, r: u16| (r as usize) < j.num_regs[b.index()] as usize + j.num_consts(b);
        for a in &d.args {
            match a {
                DecodedArg::Reg(b, r) if !reg_ok(*b, *r) => err(pc, format!("{b} operand {r} out of range")),
                DecodedArg::List(b, rs) => {
                    for r in rs {
                        if !reg_ok(*b, *r) {
                            err(pc, format!("{b} list operand {r} out of range"));
                        }
                    }
                }
                DecodedArg::Label(l) if !starts.contains(l) => err(pc, format!("label {l} is not an instruction")),
                DecodedArg::Switch(cases) => {
                    for (_, l) in cases {
                        if !starts.contains(l) {
                            err(pc, format!("switch target {l} is not an instruction"));
                        }
                    }
                }
                DecodedArg::Live(t) if *t as usize >= j.liveness.len() => err(pc, format!("liveness {t} does not exist")),
                _ => {}
            }
        }
        if let Some((b, r)) = d.result {
            if !j.is_register(b, r) {
                err(pc, format!("result {b}{r} is not a register"));
            }
        }
        if name == "catch_exception" && !prev.is_some_and(|p| p.opcode.can_raise()) {
            err(pc, "catch_exception does not follow an instruction that can raise".into());
        }
        // `live` between a raising instruction and its catch_exception keeps the raising
        // instruction as the one catch_exception refers to.
        if name == "live" && prev.is_some_and(|p| p.opcode.can_raise()) {
            continue;
        }
        let ret_bank = match name {
            "int_return" => Some(Some(Bank::Int)),
            "ref_return" => Some(Some(Bank::Ref)),
            "float_return" => Some(Some(Bank::Float)),
            "void_return" => Some(None),
            _ => None,
        };
        if let Some(rb) = ret_bank {
            if rb != j.result {
                err(pc, format!("`{name}` in a jitcode whose result is {:?}", j.result));
            }
        }
        check_descr(set, d, &mut err);
        check_inline(set, d, &mut err);
        prev = Some(d);
    }
}

fn lists(d: &Decoded) -> [usize; 3] {
    let mut n = [0; 3];
    for a in &d.args {
        if let DecodedArg::List(b, rs) = a {
            n[b.index()] += rs.len();
        }
    }
    n
}

fn suffix_bank(name: &str) -> Option<Bank> {
    match name.rsplit('_').next() {
        Some("i") => Some(Bank::Int),
        Some("r") => Some(Bank::Ref),
        Some("f") => Some(Bank::Float),
        _ => None,
    }
}

fn check_descr(set: &JitCodeSet, d: &Decoded, err: &mut impl FnMut(Option<u32>, String)) {
    let Some(idx) = d.args.iter().find_map(|a| if let DecodedArg::Descr(i) = a { Some(*i) } else { None }) else { return };
    let pc = Some(d.pc);
    let Some(descr) = set.descrs.get(idx as usize) else {
        err(pc, format!("descriptor {idx} does not exist"));
        return;
    };
    let name = d.opcode.name();
    let want = suffix_bank(name);
    match (&descr.kind, name) {
        (DescrKind::Field(f), n) if n.starts_with("getfield") || n.starts_with("setfield") => {
            if f.gc != n.contains("_gc_") {
                err(pc, format!("`{n}` with {} field descriptor {}", if f.gc { "a GC" } else { "a raw" }, descr.name));
            }
            if want != Some(f.bank) {
                err(pc, format!("`{n}` with a {} field {}", f.bank, descr.name));
            }
        }
        (DescrKind::Array(a), n) if n.starts_with("getarrayitem") || n.starts_with("setarrayitem") || n.starts_with("arraylen") || n == "new_array" => {
            if (n.contains("_gc") || n == "new_array") != a.gc {
                err(pc, format!("`{n}` with {} array descriptor {}", if a.gc { "a GC" } else { "a raw" }, descr.name));
            }
            if !n.starts_with("arraylen") && n != "new_array" && want != Some(a.item_bank) {
                err(pc, format!("`{n}` with an array of {} items ({})", a.item_bank, descr.name));
            }
            if n == "new_array" && a.type_id.is_none() {
                err(pc, format!("`new_array` of {}, which has no GC type id", descr.name));
            }
        }
        (DescrKind::Size(_), "new") => {}
        (DescrKind::Call(c), n) if n.starts_with("residual_call") => {
            let mut per_bank = [0usize; 3];
            c.args.iter().for_each(|b| per_bank[b.index()] += 1);
            if per_bank != lists(d) {
                err(pc, format!("`{n}` passes {:?} arguments per bank, {} takes {:?}", lists(d), descr.name, per_bank));
            }
            if c.result != want {
                err(pc, format!("`{n}` with a call descriptor whose result is {:?}", c.result));
            }
        }
        (_, n) => err(pc, format!("`{n}` with {} descriptor {}", descr.kind_name(), descr.name)),
    }
}

fn check_inline(set: &JitCodeSet, d: &Decoded, err: &mut impl FnMut(Option<u32>, String)) {
    let Some(idx) = d.args.iter().find_map(|a| if let DecodedArg::JitCode(i) = a { Some(*i) } else { None }) else { return };
    let pc = Some(d.pc);
    let Some(callee) = set.jitcodes.get(idx as usize) else {
        err(pc, format!("jitcode {idx} does not exist"));
        return;
    };
    let want: [usize; 3] = callee.num_args.map(|n| n as usize);
    if lists(d) != want {
        err(pc, format!("inline call of {} passes {:?} arguments per bank, it takes {:?}", callee.name, lists(d), want));
    }
    if suffix_bank(d.opcode.name()) != callee.result {
        err(pc, format!("`{}` of {}, whose result is {:?}", d.opcode.name(), callee.name, callee.result));
    }
}
