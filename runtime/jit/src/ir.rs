//! The trace IR: a linear list of ops in SSA form over typed boxes and constants.
//!
//! A trace starts with its input boxes and ends with `jump` or `finish`. Every op result is
//! a box defined exactly once; its number is its identity and its printed name is a type
//! prefix plus that number (`i3`, `f4`, `p5`), as in RPython's oparser format. A `label`
//! does not define boxes: its arguments are the loop's live boxes, which the closing `jump`
//! rebinds, so facts learned before a label never hold after it.

use crate::descr::DescrId;
use crate::opcode::OpCode;
use crate::resume::ResumeData;

/// The three value kinds of traces: machine word, double, GC reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Int,
    Float,
    Ref,
}

impl Type {
    /// The letter used in box names (`i`, `f`, `p`).
    pub fn box_prefix(self) -> char {
        match self {
            Type::Int => 'i',
            Type::Float => 'f',
            Type::Ref => 'p',
        }
    }

    /// The letter used in descriptors (`i`, `f`, `r`).
    pub fn letter(self) -> char {
        match self {
            Type::Int => 'i',
            Type::Float => 'f',
            Type::Ref => 'r',
        }
    }

    pub fn from_letter(c: char) -> Option<Type> {
        match c {
            'i' => Some(Type::Int),
            'f' => Some(Type::Float),
            'r' => Some(Type::Ref),
            _ => None,
        }
    }
}

/// A box: one SSA value of the trace. The number is the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoxId(pub u32);

/// A constant. Floats are kept as their bits, so constants compare and hash exactly (a NaN
/// constant equals itself; `0.0` and `-0.0` differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Const {
    Int(i64),
    Float(u64),
    /// An address of a GC object (0 is `NULL`). Constants that point into a moving heap
    /// must be registered with the collector by whoever creates them.
    Ref(u64),
}

impl Const {
    pub fn float(x: f64) -> Const {
        Const::Float(x.to_bits())
    }

    pub fn ty(self) -> Type {
        match self {
            Const::Int(_) => Type::Int,
            Const::Float(_) => Type::Float,
            Const::Ref(_) => Type::Ref,
        }
    }

    pub fn as_int(self) -> Option<i64> {
        match self {
            Const::Int(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_float(self) -> Option<f64> {
        match self {
            Const::Float(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }
}

/// An operand: a box or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Box(BoxId),
    Const(Const),
}

impl Value {
    pub fn int(v: i64) -> Value {
        Value::Const(Const::Int(v))
    }

    pub fn as_box(self) -> Option<BoxId> {
        match self {
            Value::Box(b) => Some(b),
            Value::Const(_) => None,
        }
    }

    pub fn as_const(self) -> Option<Const> {
        match self {
            Value::Const(c) => Some(c),
            Value::Box(_) => None,
        }
    }

    pub fn as_int_const(self) -> Option<i64> {
        self.as_const().and_then(Const::as_int)
    }
}

impl From<BoxId> for Value {
    fn from(b: BoxId) -> Value {
        Value::Box(b)
    }
}

impl From<Const> for Value {
    fn from(c: Const) -> Value {
        Value::Const(c)
    }
}

/// What some ops carry besides arguments and descriptor.
#[derive(Clone, Debug, PartialEq)]
pub enum OpExtra {
    None,
    /// Every guard: how to rebuild the interpreter state when it fails.
    Resume(Box<ResumeData>),
    /// `debug_merge_point`: the printable location of the interpreter position.
    Location(Box<str>),
}

/// One operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    pub opcode: OpCode,
    pub args: Vec<Value>,
    pub result: Option<BoxId>,
    pub descr: Option<DescrId>,
    pub extra: OpExtra,
}

impl Op {
    pub fn new(opcode: OpCode, args: Vec<Value>, result: Option<BoxId>) -> Op {
        Op { opcode, args, result, descr: None, extra: OpExtra::None }
    }

    pub fn with_descr(mut self, descr: DescrId) -> Op {
        self.descr = Some(descr);
        self
    }

    pub fn resume(&self) -> Option<&ResumeData> {
        match &self.extra {
            OpExtra::Resume(r) => Some(r),
            _ => None,
        }
    }

    pub fn resume_mut(&mut self) -> Option<&mut ResumeData> {
        match &mut self.extra {
            OpExtra::Resume(r) => Some(r),
            _ => None,
        }
    }

    /// Every value the op reads: its arguments, then the boxes of its resume data.
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        for &a in &self.args {
            f(a);
        }
        if let Some(r) = self.resume() {
            r.for_each_value(&mut f);
        }
    }

    /// Rewrites every value the op reads (arguments and resume data).
    pub fn map_uses(&mut self, mut f: impl FnMut(Value) -> Value) {
        for a in &mut self.args {
            *a = f(*a);
        }
        if let Some(r) = self.resume_mut() {
            r.map_values(&mut f);
        }
    }
}

/// The result of an elidable call that the tracer executed, keyed by its constant
/// arguments (function address first). The optimizer folds `call_pure_*` with these.
#[derive(Clone, Debug, PartialEq)]
pub struct PureResult {
    pub args: Vec<Const>,
    pub result: Const,
}

/// A trace: input boxes, ops, and the types of all boxes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// The type of each box number; `None` for numbers not in use.
    pub box_types: Vec<Option<Type>>,
    pub inputargs: Vec<BoxId>,
    pub ops: Vec<Op>,
    pub pure_results: Vec<PureResult>,
}

impl Trace {
    /// A fresh box of a type, numbered after every box in use.
    pub fn new_box(&mut self, ty: Type) -> BoxId {
        let id = BoxId(self.box_types.len() as u32);
        self.box_types.push(Some(ty));
        id
    }

    /// Declares a box with a given number (the parser keeps the numbers of the text).
    pub fn declare_box(&mut self, id: BoxId, ty: Type) {
        let i = id.0 as usize;
        if self.box_types.len() <= i {
            self.box_types.resize(i + 1, None);
        }
        self.box_types[i] = Some(ty);
    }

    pub fn box_type(&self, id: BoxId) -> Option<Type> {
        self.box_types.get(id.0 as usize).copied().flatten()
    }

    pub fn value_type(&self, v: Value) -> Option<Type> {
        match v {
            Value::Box(b) => self.box_type(b),
            Value::Const(c) => Some(c.ty()),
        }
    }

    /// The recorded result of an elidable call with these constant arguments.
    pub fn pure_result(&self, args: &[Const]) -> Option<Const> {
        self.pure_results.iter().find(|p| p.args == args).map(|p| p.result)
    }
}
