//! The deterministic text form of a jitcode set: descriptors, the portal, then each
//! jitcode with its instructions. Registers print as `%i3`, constants by value as `$5`,
//! `$&symbol`, `$NULL`, `$@object`, `$1.5`; labels as `L<pc>`, defined on a line of their
//! own before the instruction they name; `live` prints the registers it records.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::code::{IntConst, JitCode, JitCodeSet, RefConst};
use crate::descr::{CallTarget, Descr, DescrKind, ExtraEffect, Mutability};
use crate::insn::{decode_all, DecodedArg};
use crate::Bank;

/// The text of a whole set.
pub fn print_set(set: &JitCodeSet) -> String {
    let mut out = String::new();
    for d in &set.descrs {
        let _ = writeln!(out, "descr {}", print_descr(set, d));
    }
    for p in &set.portals {
        let name = set.jitcodes.get(p.jitcode as usize).map_or("?", |j| j.name.as_str());
        let printable = match &p.printable {
            Some(pr) => {
                let f = set.symbols.get(pr.symbol as usize).map_or("?", |s| s.name.as_str());
                let args: Vec<String> = pr.greens.iter().map(|g| format!("green{g}")).collect();
                format!(" printable {f}({})", args.join(", "))
            }
            None => String::new(),
        };
        let _ = writeln!(out, "portal {name}: driver {} greens [{}] reds [{}]{printable}", p.driver, p.greens.join(", "), p.reds.join(", "));
    }
    for j in &set.jitcodes {
        out.push('\n');
        out.push_str(&print_jitcode(set, j));
    }
    out
}

/// Some jitcodes of a set (by index), preceded by the descriptors they use (directly,
/// or in the effect sets of the calls they make), in the set's order.
pub fn print_jitcodes(set: &JitCodeSet, which: &[usize]) -> String {
    let mut used = BTreeSet::new();
    for &i in which {
        let Some(j) = set.jitcodes.get(i) else { continue };
        for d in decode_all(&j.code).unwrap_or_default() {
            for a in &d.args {
                if let DecodedArg::Descr(x) = a {
                    used.insert(*x);
                    if let Some(Descr { kind: DescrKind::Call(c), .. }) = set.descrs.get(*x as usize) {
                        used.extend(c.effect.reads.iter().flatten().copied());
                        used.extend(c.effect.writes.iter().flatten().copied());
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for x in used {
        if let Some(d) = set.descrs.get(x as usize) {
            let _ = writeln!(out, "descr {}", print_descr(set, d));
        }
    }
    for &i in which {
        if let Some(j) = set.jitcodes.get(i) {
            out.push('\n');
            out.push_str(&print_jitcode(set, j));
        }
    }
    out
}

/// One descriptor: `name: kind(facts)`.
pub fn print_descr(set: &JitCodeSet, d: &Descr) -> String {
    let mut s = format!("{}: ", d.name);
    let mut_name = |m: Mutability| match m {
        Mutability::Mutable => "",
        Mutability::Immutable => ", immutable",
        Mutability::QuasiImmutable => ", quasi_immutable",
    };
    match &d.kind {
        DescrKind::Field(f) => {
            let _ = write!(
                s,
                "field(offset={}, size={}, bank={}{}{}{})",
                f.offset,
                f.size,
                f.bank,
                if f.signed { ", signed" } else { "" },
                if f.gc { ", gc" } else { ", raw" },
                mut_name(f.mutability)
            );
        }
        DescrKind::Array(a) => {
            let _ = write!(
                s,
                "array(base={}, len={}, item_size={}, bank={}{}{}{}",
                a.base_offset,
                a.len_offset,
                a.item_size,
                a.item_bank,
                if a.signed { ", signed" } else { "" },
                if a.gc { ", gc" } else { ", raw" },
                if a.immutable_items { ", immutable" } else { "" }
            );
            if let Some(t) = a.type_id {
                let _ = write!(s, ", type_id={t}");
            }
            s.push(')');
        }
        DescrKind::Size(z) => {
            let _ = write!(s, "size(size={}, type_id={})", z.size, z.type_id);
        }
        DescrKind::Call(c) => {
            let args: Vec<String> = c.args.iter().map(|b| b.to_string()).collect();
            let _ = write!(s, "call(args=[{}], result={}", args.join(", "), c.result.map_or("v".to_string(), |b| b.to_string()));
            match &c.target {
                CallTarget::Func(f) => {
                    let _ = write!(s, ", func {f}");
                }
                CallTarget::Runtime(f) => {
                    let _ = write!(s, ", runtime {f}");
                }
                CallTarget::Indirect => s.push_str(", indirect"),
            }
            let e = &c.effect;
            if e.can_raise {
                s.push_str(", can_raise");
            }
            if e.can_collect {
                s.push_str(", can_collect");
            }
            match e.extra {
                ExtraEffect::None => {}
                ExtraEffect::Elidable => s.push_str(", elidable"),
                ExtraEffect::LoopInvariant => s.push_str(", loop_invariant"),
                ExtraEffect::CanInvalidate => s.push_str(", can_invalidate"),
            }
            let set_text = |v: &Option<Vec<u16>>| match v {
                None => "all".to_string(),
                Some(v) => {
                    let names: Vec<&str> = v.iter().map(|i| set.descrs.get(*i as usize).map_or("?", |d| d.name.as_str())).collect();
                    format!("[{}]", names.join(", "))
                }
            };
            let _ = write!(s, ", reads={}, writes={}", set_text(&e.reads), set_text(&e.writes));
            if let Some(o) = &c.oopspec {
                let _ = write!(s, ", oopspec={o}");
            }
            s.push(')');
        }
    }
    s
}

fn symbol_name(set: &JitCodeSet, i: u32) -> &str {
    set.symbols.get(i as usize).map_or("?", |s| s.name.as_str())
}

/// A register or constant operand of `bank`.
pub fn print_reg(set: &JitCodeSet, j: &JitCode, bank: Bank, r: u16) -> String {
    let n = j.num_regs[bank.index()];
    if r < n {
        return format!("%{}{r}", bank.letter());
    }
    let k = (r - n) as usize;
    match bank {
        Bank::Int => match j.consts_i.get(k) {
            Some(IntConst::Value(v)) => format!("${v}"),
            Some(IntConst::Addr(s)) => format!("$&{}", symbol_name(set, *s)),
            None => format!("$?i{r}"),
        },
        Bank::Ref => match j.consts_r.get(k) {
            Some(RefConst::Null) => "$NULL".to_string(),
            Some(RefConst::Static(s)) => format!("$@{}", symbol_name(set, *s)),
            None => format!("$?r{r}"),
        },
        Bank::Float => match j.consts_f.get(k) {
            Some(bits) => format!("${:?}", f64::from_bits(*bits)),
            None => format!("$?f{r}"),
        },
    }
}

/// One jitcode: a header line, then its instructions.
pub fn print_jitcode(set: &JitCodeSet, j: &JitCode) -> String {
    let mut out = String::new();
    let result = j.result.map_or("v".to_string(), |b| b.to_string());
    let _ = writeln!(
        out,
        "jitcode {} (args i{} r{} f{}; regs i{} r{} f{}) -> {result}",
        j.name, j.num_args[0], j.num_args[1], j.num_args[2], j.num_regs[0], j.num_regs[1], j.num_regs[2]
    );
    let insns = match decode_all(&j.code) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(out, "  <undecodable: {e}>");
            return out;
        }
    };
    let mut targets = BTreeSet::new();
    for d in &insns {
        for a in &d.args {
            match a {
                DecodedArg::Label(l) => {
                    targets.insert(*l);
                }
                DecodedArg::Switch(cases) => targets.extend(cases.iter().map(|(_, l)| *l)),
                _ => {}
            }
        }
    }
    let regs = |bank: Bank, rs: &[u16]| rs.iter().map(|r| print_reg(set, j, bank, *r)).collect::<Vec<_>>().join(", ");
    for d in &insns {
        if targets.contains(&d.pc) {
            let _ = writeln!(out, "L{}:", d.pc);
        }
        let mut parts: Vec<String> = Vec::new();
        for a in &d.args {
            parts.push(match a {
                DecodedArg::Reg(b, r) => print_reg(set, j, *b, *r),
                DecodedArg::List(b, rs) => format!("{}[{}]", b.letter().to_ascii_uppercase(), regs(*b, rs)),
                DecodedArg::Label(l) => format!("L{l}"),
                DecodedArg::Descr(i) => format!("<{}>", set.descrs.get(*i as usize).map_or("?", |d| d.name.as_str())),
                DecodedArg::JitCode(i) => format!("<jitcode {}>", set.jitcodes.get(*i as usize).map_or("?", |j| j.name.as_str())),
                DecodedArg::Live(t) => match j.liveness.get(*t as usize) {
                    Some(l) => {
                        let all: Vec<String> = Bank::ALL.iter().filter(|b| !l.regs[b.index()].is_empty()).map(|b| regs(*b, &l.regs[b.index()])).collect();
                        format!("[{}]", all.join(", "))
                    }
                    None => format!("?{t}"),
                },
                DecodedArg::Switch(cases) => {
                    let c: Vec<String> = cases.iter().map(|(v, l)| format!("{v}: L{l}")).collect();
                    format!("{{{}}}", c.join(", "))
                }
                DecodedArg::Imm(i) => i.to_string(),
            });
        }
        let mut line = format!("  {}", d.opcode.name());
        if !parts.is_empty() {
            line.push(' ');
            line.push_str(&parts.join(", "));
        }
        if let Some((b, r)) = d.result {
            let _ = write!(line, " -> {}", print_reg(set, j, b, r));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
