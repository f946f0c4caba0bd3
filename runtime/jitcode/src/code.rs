//! Jitcodes and the set of them a program has.

use std::fmt;

use crate::descr::Descr;

/// A register bank. Every value a jitcode handles is a machine word of one of three
/// kinds, as in RPython and in the trace IR: ints (also bools, chars, unsigned ints and
/// addresses of non-GC data such as vtables and functions), GC references, and floats.
/// A reference register is what a collector must find and update; the banks keep that
/// visible without per-register tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bank {
    Int,
    Ref,
    Float,
}

impl Bank {
    pub const ALL: [Bank; 3] = [Bank::Int, Bank::Ref, Bank::Float];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn letter(self) -> char {
        match self {
            Bank::Int => 'i',
            Bank::Ref => 'r',
            Bank::Float => 'f',
        }
    }

    pub fn from_char(c: char) -> Option<Bank> {
        match c {
            'i' => Some(Bank::Int),
            'r' => Some(Bank::Ref),
            'f' => Some(Bank::Float),
            _ => None,
        }
    }
}

impl fmt::Display for Bank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// What a symbol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A function of the translated program.
    Func,
    /// A prebuilt object in the binary's data.
    Static,
    /// A function of the runtime library.
    Runtime,
}

/// An address the jitcodes use, resolved when the set is loaded (the binary that embeds
/// the set also emits a table of these addresses, in this order).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
}

/// A constant of the int bank.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IntConst {
    Value(i64),
    /// The address of a symbol of the set (a function, a vtable, a runtime helper).
    Addr(u32),
}

/// A constant of the ref bank.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RefConst {
    Null,
    /// A prebuilt GC object, by its symbol.
    Static(u32),
}

/// The registers live at one point, by bank, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Liveness {
    pub regs: [Vec<u16>; 3],
}

/// One function as jitcode.
#[derive(Clone, Debug, PartialEq)]
pub struct JitCode {
    /// The low-level function's symbol name.
    pub name: String,
    /// Registers per bank (constants are numbered after them).
    pub num_regs: [u16; 3],
    /// Arguments per bank: they arrive in registers `0..n` of their bank, in order.
    pub num_args: [u16; 3],
    /// The bank of the result; `None` for a function returning nothing.
    pub result: Option<Bank>,
    pub consts_i: Vec<IntConst>,
    pub consts_r: Vec<RefConst>,
    /// Float constants, as bits.
    pub consts_f: Vec<u64>,
    pub code: Vec<u8>,
    /// What `live` instructions refer to: the registers live where a guard or a call
    /// can resume.
    pub liveness: Vec<Liveness>,
}

impl JitCode {
    pub fn num_consts(&self, bank: Bank) -> usize {
        match bank {
            Bank::Int => self.consts_i.len(),
            Bank::Ref => self.consts_r.len(),
            Bank::Float => self.consts_f.len(),
        }
    }

    /// Whether `index` names a register (not a constant) of `bank`.
    pub fn is_register(&self, bank: Bank, index: u16) -> bool {
        index < self.num_regs[bank.index()]
    }
}

/// A portal: the jitcode with one driver's merge point, and the driver's facts. A
/// program has one per `JitDriver` (RPython's `jitdriver_sd`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalInfo {
    pub jitcode: u16,
    /// The driver's number: the immediate of its `jit_merge_point` (and the argument
    /// the rewritten portal passes to `kiln_jit_merge_point`).
    pub number: u32,
    /// The driver's name in the JIT log (its variable's name, or `name=`).
    pub driver: String,
    pub greens: Vec<String>,
    pub reds: Vec<String>,
    /// The driver's `get_printable_location`, if it has one.
    pub printable: Option<Printable>,
}

/// A driver's `get_printable_location(*greens) -> str`, which the JIT log calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printable {
    /// The function, as a symbol of the set.
    pub symbol: u32,
    /// Its arguments in C order: for each, the index of the green among the merge
    /// point's green slots (the greens by bank, ints then references then floats, in
    /// the driver's order within a bank; `Void` greens have no slot and no argument).
    pub greens: Vec<u16>,
}

/// Every jitcode of a program, with the descriptors and symbols they share.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JitCodeSet {
    pub jitcodes: Vec<JitCode>,
    pub descrs: Vec<Descr>,
    pub symbols: Vec<Symbol>,
    /// The portals, one per driver, in driver-number order.
    pub portals: Vec<PortalInfo>,
}

impl JitCodeSet {
    /// The index of `sym`, added if new.
    pub fn symbol(&mut self, name: &str, kind: SymbolKind) -> u32 {
        if let Some(i) = self.symbols.iter().position(|s| s.name == name && s.kind == kind) {
            return i as u32;
        }
        self.symbols.push(Symbol { name: name.to_string(), kind });
        self.symbols.len() as u32 - 1
    }

    /// The index of a descriptor equal to `d`, added if new.
    pub fn descr(&mut self, d: Descr) -> u16 {
        if let Some(i) = self.descrs.iter().position(|x| *x == d) {
            return i as u16;
        }
        self.descrs.push(d);
        self.descrs.len() as u16 - 1
    }

    /// The portal of driver `number`.
    pub fn portal(&self, number: u32) -> Option<&PortalInfo> {
        self.portals.iter().find(|p| p.number == number)
    }

    /// The portal whose jitcode is `jitcode` (a function is the portal of one driver).
    pub fn portal_at(&self, jitcode: u16) -> Option<&PortalInfo> {
        self.portals.iter().find(|p| p.jitcode == jitcode)
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.jitcodes.iter().position(|j| j.name == name)
    }
}
