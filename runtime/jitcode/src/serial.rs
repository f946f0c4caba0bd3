//! The byte form of a jitcode set, as a `--jit` binary embeds it, and reading it back.
//!
//! Little-endian throughout: the magic `KJC` and the format's version (a byte,
//! [`FORMAT_VERSION`]: bumped whenever the form changes, so that a JIT runtime refuses
//! the jitcodes of a VM translated by another toolchain, saying so), then the symbols, the descriptors, the
//! jitcodes and the portal, each list prefixed by its u32 length and each string by its
//! u32 byte length. [`from_bytes`] trusts nothing: malformed input is an `Err`, and a
//! set read back should still go through [`crate::verify_set`] before it runs.

use crate::code::{Bank, IntConst, JitCode, JitCodeSet, Liveness, PortalInfo, Printable, RefConst, Symbol, SymbolKind};
use crate::descr::{ArrayDescr, CallDescr, CallTarget, Descr, DescrKind, EffectInfo, ExtraEffect, FieldDescr, Mutability, SizeDescr};

const MAGIC: &[u8; 3] = b"KJC";

/// The version of the byte form. 1: the first; 2: a portal per driver (PR of the
/// several drivers, which changed the form without a new version) and each portal's
/// `get_printable_location`.
pub const FORMAT_VERSION: u8 = 2;

struct W(Vec<u8>);

impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 items"));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn bank(&mut self, b: Bank) {
        self.u8(b as u8);
    }
    fn opt_bank(&mut self, b: Option<Bank>) {
        self.u8(b.map_or(0, |b| b as u8 + 1));
    }
    fn u16s(&mut self, v: &[u16]) {
        self.len(v.len());
        v.iter().for_each(|x| self.u16(*x));
    }
    fn opt_u16s(&mut self, v: &Option<Vec<u16>>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.u16s(v);
            }
        }
    }
    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        v.iter().for_each(|s| self.str(s));
    }
}

fn mutability_tag(m: Mutability) -> u8 {
    match m {
        Mutability::Mutable => 0,
        Mutability::Immutable => 1,
        Mutability::QuasiImmutable => 2,
    }
}

/// The bytes of a set.
pub fn to_bytes(set: &JitCodeSet) -> Vec<u8> {
    let mut w = W(MAGIC.to_vec());
    w.u8(FORMAT_VERSION);
    w.len(set.symbols.len());
    for s in &set.symbols {
        w.u8(match s.kind {
            SymbolKind::Func => 0,
            SymbolKind::Static => 1,
            SymbolKind::Runtime => 2,
        });
        w.str(&s.name);
    }
    w.len(set.descrs.len());
    for d in &set.descrs {
        w.str(&d.name);
        match &d.kind {
            DescrKind::Field(f) => {
                w.u8(0);
                w.u32(f.offset);
                w.u8(f.size);
                w.bank(f.bank);
                w.u8(f.signed as u8);
                w.u8(mutability_tag(f.mutability));
                w.u8(f.gc as u8);
            }
            DescrKind::Array(a) => {
                w.u8(1);
                w.u32(a.base_offset);
                w.u32(a.len_offset);
                w.u8(a.item_size);
                w.bank(a.item_bank);
                w.u8(a.signed as u8);
                w.u8(a.immutable_items as u8);
                w.u8(a.gc as u8);
                match a.type_id {
                    None => w.u8(0),
                    Some(t) => {
                        w.u8(1);
                        w.u32(t);
                    }
                }
            }
            DescrKind::Size(z) => {
                w.u8(2);
                w.u32(z.size);
                w.u32(z.type_id);
            }
            DescrKind::Call(c) => {
                w.u8(3);
                w.len(c.args.len());
                c.args.iter().for_each(|b| w.bank(*b));
                w.opt_bank(c.result);
                match &c.target {
                    CallTarget::Func(s) => {
                        w.u8(0);
                        w.str(s);
                    }
                    CallTarget::Runtime(s) => {
                        w.u8(1);
                        w.str(s);
                    }
                    CallTarget::Indirect => w.u8(2),
                }
                let e = &c.effect;
                w.u8(e.can_raise as u8);
                w.u8(e.can_collect as u8);
                w.u8(match e.extra {
                    ExtraEffect::None => 0,
                    ExtraEffect::Elidable => 1,
                    ExtraEffect::LoopInvariant => 2,
                    ExtraEffect::CanInvalidate => 3,
                });
                w.opt_u16s(&e.reads);
                w.opt_u16s(&e.writes);
                match &c.oopspec {
                    None => w.u8(0),
                    Some(o) => {
                        w.u8(1);
                        w.str(o);
                    }
                }
            }
        }
    }
    w.len(set.jitcodes.len());
    for j in &set.jitcodes {
        w.str(&j.name);
        j.num_regs.iter().for_each(|n| w.u16(*n));
        j.num_args.iter().for_each(|n| w.u16(*n));
        w.opt_bank(j.result);
        w.len(j.consts_i.len());
        for c in &j.consts_i {
            match c {
                IntConst::Value(v) => {
                    w.u8(0);
                    w.u64(*v as u64);
                }
                IntConst::Addr(s) => {
                    w.u8(1);
                    w.u32(*s);
                }
            }
        }
        w.len(j.consts_r.len());
        for c in &j.consts_r {
            match c {
                RefConst::Null => w.u8(0),
                RefConst::Static(s) => {
                    w.u8(1);
                    w.u32(*s);
                }
            }
        }
        w.len(j.consts_f.len());
        j.consts_f.iter().for_each(|b| w.u64(*b));
        w.bytes(&j.code);
        w.len(j.liveness.len());
        for l in &j.liveness {
            l.regs.iter().for_each(|r| w.u16s(r));
        }
    }
    w.len(set.portals.len());
    for p in &set.portals {
        w.u16(p.jitcode);
        w.u32(p.number);
        w.str(&p.driver);
        w.strs(&p.greens);
        w.strs(&p.reds);
        match &p.printable {
            None => w.u8(0),
            Some(pr) => {
                w.u8(1);
                w.u32(pr.symbol);
                w.u16s(&pr.greens);
            }
        }
    }
    w.0
}

struct R<'a> {
    b: &'a [u8],
    pos: usize,
}

type Res<T> = Result<T, String>;

impl R<'_> {
    fn take(&mut self, n: usize) -> Res<&[u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.b.len()).ok_or_else(|| format!("truncated at byte {}", self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Res<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    /// A list length, bounded by the bytes left (each item takes at least one byte), so
    /// a corrupt length cannot make us allocate without limit.
    fn len(&mut self) -> Res<usize> {
        let n = self.u32()? as usize;
        if n > self.b.len() - self.pos {
            return Err(format!("length {n} at byte {} exceeds the input", self.pos - 4));
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Res<Vec<u8>> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }
    fn str(&mut self) -> Res<String> {
        String::from_utf8(self.bytes()?).map_err(|_| format!("invalid UTF-8 before byte {}", self.pos))
    }
    fn bool(&mut self) -> Res<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            t => Err(format!("bad flag {t} at byte {}", self.pos - 1)),
        }
    }
    fn bank(&mut self) -> Res<Bank> {
        match self.u8()? {
            0 => Ok(Bank::Int),
            1 => Ok(Bank::Ref),
            2 => Ok(Bank::Float),
            t => Err(format!("bad bank {t} at byte {}", self.pos - 1)),
        }
    }
    fn opt_bank(&mut self) -> Res<Option<Bank>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(Bank::Int)),
            2 => Ok(Some(Bank::Ref)),
            3 => Ok(Some(Bank::Float)),
            t => Err(format!("bad result bank {t} at byte {}", self.pos - 1)),
        }
    }
    fn u16s(&mut self) -> Res<Vec<u16>> {
        let n = self.len()?;
        (0..n).map(|_| self.u16()).collect()
    }
    fn opt_u16s(&mut self) -> Res<Option<Vec<u16>>> {
        Ok(if self.bool()? { Some(self.u16s()?) } else { None })
    }
    fn strs(&mut self) -> Res<Vec<String>> {
        let n = self.len()?;
        (0..n).map(|_| self.str()).collect()
    }
    fn tag(&mut self, what: &str, max: u8) -> Res<u8> {
        let t = self.u8()?;
        if t > max {
            return Err(format!("bad {what} tag {t} at byte {}", self.pos - 1));
        }
        Ok(t)
    }
}

/// Reads a set back from [`to_bytes`]'s form.
pub fn from_bytes(bytes: &[u8]) -> Result<JitCodeSet, String> {
    let mut r = R { b: bytes, pos: 0 };
    if r.take(3)? != MAGIC {
        return Err("not a jitcode set (bad magic)".into());
    }
    let version = match r.u8()? {
        // The first form's magic was `KJC1`.
        b'1' => 1,
        v => v,
    };
    if version != FORMAT_VERSION {
        return Err(format!("the jitcodes are in format version {version}, this JIT reads version {FORMAT_VERSION} (translate the VM again with this toolchain)"));
    }
    let mut set = JitCodeSet::default();
    for _ in 0..r.len()? {
        let kind = match r.tag("symbol", 2)? {
            0 => SymbolKind::Func,
            1 => SymbolKind::Static,
            _ => SymbolKind::Runtime,
        };
        set.symbols.push(Symbol { kind, name: r.str()? });
    }
    for _ in 0..r.len()? {
        let name = r.str()?;
        let kind = match r.tag("descriptor", 3)? {
            0 => {
                let offset = r.u32()?;
                let size = r.u8()?;
                let bank = r.bank()?;
                let signed = r.bool()?;
                let mutability = match r.tag("mutability", 2)? {
                    0 => Mutability::Mutable,
                    1 => Mutability::Immutable,
                    _ => Mutability::QuasiImmutable,
                };
                DescrKind::Field(FieldDescr { offset, size, bank, signed, mutability, gc: r.bool()? })
            }
            1 => DescrKind::Array(ArrayDescr {
                base_offset: r.u32()?,
                len_offset: r.u32()?,
                item_size: r.u8()?,
                item_bank: r.bank()?,
                signed: r.bool()?,
                immutable_items: r.bool()?,
                gc: r.bool()?,
                type_id: if r.bool()? { Some(r.u32()?) } else { None },
            }),
            2 => DescrKind::Size(SizeDescr { size: r.u32()?, type_id: r.u32()? }),
            _ => {
                let n = r.len()?;
                let args = (0..n).map(|_| r.bank()).collect::<Res<Vec<_>>>()?;
                let result = r.opt_bank()?;
                let target = match r.tag("call target", 2)? {
                    0 => CallTarget::Func(r.str()?),
                    1 => CallTarget::Runtime(r.str()?),
                    _ => CallTarget::Indirect,
                };
                let can_raise = r.bool()?;
                let can_collect = r.bool()?;
                let extra = match r.tag("extra effect", 3)? {
                    0 => ExtraEffect::None,
                    1 => ExtraEffect::Elidable,
                    2 => ExtraEffect::LoopInvariant,
                    _ => ExtraEffect::CanInvalidate,
                };
                let reads = r.opt_u16s()?;
                let writes = r.opt_u16s()?;
                let oopspec = if r.bool()? { Some(r.str()?) } else { None };
                DescrKind::Call(CallDescr { args, result, target, effect: EffectInfo { can_raise, can_collect, extra, reads, writes }, oopspec })
            }
        };
        set.descrs.push(Descr { name, kind });
    }
    for _ in 0..r.len()? {
        let name = r.str()?;
        let num_regs = [r.u16()?, r.u16()?, r.u16()?];
        let num_args = [r.u16()?, r.u16()?, r.u16()?];
        let result = r.opt_bank()?;
        let mut consts_i = Vec::new();
        for _ in 0..r.len()? {
            consts_i.push(match r.tag("int constant", 1)? {
                0 => IntConst::Value(r.u64()? as i64),
                _ => IntConst::Addr(r.u32()?),
            });
        }
        let mut consts_r = Vec::new();
        for _ in 0..r.len()? {
            consts_r.push(match r.tag("ref constant", 1)? {
                0 => RefConst::Null,
                _ => RefConst::Static(r.u32()?),
            });
        }
        let mut consts_f = Vec::new();
        for _ in 0..r.len()? {
            consts_f.push(r.u64()?);
        }
        let code = r.bytes()?;
        let mut liveness = Vec::new();
        for _ in 0..r.len()? {
            liveness.push(Liveness { regs: [r.u16s()?, r.u16s()?, r.u16s()?] });
        }
        set.jitcodes.push(JitCode { name, num_regs, num_args, result, consts_i, consts_r, consts_f, code, liveness });
    }
    for _ in 0..r.len()? {
        let (jitcode, number, driver, greens, reds) = (r.u16()?, r.u32()?, r.str()?, r.strs()?, r.strs()?);
        let printable = match r.tag("printable location", 2)? {
            0 => None,
            _ => Some(Printable { symbol: r.u32()?, greens: r.u16s()? }),
        };
        set.portals.push(PortalInfo { jitcode, number, driver, greens, reds, printable });
    }
    if r.pos != bytes.len() {
        return Err(format!("{} bytes of trailing data", bytes.len() - r.pos));
    }
    Ok(set)
}
