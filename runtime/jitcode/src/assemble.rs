//! The assembler: symbolic instructions with labels in, bytecode out.

use crate::insn::{ArgCode, Opcode};
use crate::Bank;

/// A jump target, defined once with [`Assembler::define`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(pub u32);

/// One symbolic operand; its variant must match the opcode's code at its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    Reg(Bank, u16),
    List(Bank, Vec<u16>),
    Label(Label),
    Descr(u16),
    JitCode(u16),
    Live(u16),
    Switch(Vec<(i64, Label)>),
    Imm(u8),
}

/// Builds one jitcode body.
#[derive(Debug, Default)]
pub struct Assembler {
    code: Vec<u8>,
    labels: Vec<Option<u32>>,
    /// Where a label's offset must be written once it is known.
    fixups: Vec<(usize, Label)>,
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::default()
    }

    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Places `l` at the current position.
    pub fn define(&mut self, l: Label) {
        self.labels[l.0 as usize] = Some(self.code.len() as u32);
    }

    /// The current position.
    pub fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    /// Appends one instruction; `key` is its `name/codes` key.
    pub fn emit(&mut self, key: &str, args: Vec<Operand>, result: Option<u16>) -> Result<(), String> {
        let op = Opcode::from_key(key).ok_or_else(|| format!("no instruction `{key}`"))?;
        let codes = op.args();
        if codes.len() != args.len() {
            return Err(format!("`{key}` takes {} operands, got {}", codes.len(), args.len()));
        }
        if op.result().is_some() != result.is_some() {
            return Err(format!("`{key}`: result register given or missing"));
        }
        self.code.push(op.0);
        for (code, arg) in codes.iter().zip(args) {
            match (code, arg) {
                (ArgCode::Reg(b), Operand::Reg(b2, r)) if *b == b2 => self.u16(r),
                (ArgCode::List(b), Operand::List(b2, regs)) if *b == b2 => {
                    let n = u8::try_from(regs.len()).map_err(|_| format!("`{key}`: more than 255 arguments of one bank"))?;
                    self.code.push(n);
                    regs.into_iter().for_each(|r| self.u16(r));
                }
                (ArgCode::Label, Operand::Label(l)) => self.label(l),
                (ArgCode::Descr, Operand::Descr(d)) => self.u16(d),
                (ArgCode::JitCode, Operand::JitCode(j)) => self.u16(j),
                (ArgCode::Live, Operand::Live(t)) => self.u16(t),
                (ArgCode::Switch, Operand::Switch(cases)) => {
                    let n = u16::try_from(cases.len()).map_err(|_| format!("`{key}`: too many cases"))?;
                    self.u16(n);
                    for (v, l) in cases {
                        self.code.extend_from_slice(&v.to_le_bytes());
                        self.label(l);
                    }
                }
                (ArgCode::Imm, Operand::Imm(i)) => self.code.push(i),
                (code, arg) => return Err(format!("`{key}`: operand {arg:?} where {code:?} is expected")),
            }
        }
        if let Some(r) = result {
            self.u16(r);
        }
        Ok(())
    }

    fn u16(&mut self, v: u16) {
        self.code.extend_from_slice(&v.to_le_bytes());
    }

    fn label(&mut self, l: Label) {
        self.fixups.push((self.code.len(), l));
        self.code.extend_from_slice(&[0; 4]);
    }

    /// The bytecode, with every label resolved.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        for (at, l) in std::mem::take(&mut self.fixups) {
            let pc = self.labels.get(l.0 as usize).copied().flatten().ok_or_else(|| format!("label {} is never defined", l.0))?;
            self.code[at..at + 4].copy_from_slice(&pc.to_le_bytes());
        }
        Ok(self.code)
    }
}
