//! The annotation lattice: what the annotator knows about a value, from `Impossible`
//! (no value reaches here yet) up through the concrete kinds of RPy values. Merging two
//! annotations (`union`, in `defs.rs`) only ever moves up, which is why the fixpoint ends.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use kiln_frontend::{ObjId, Value};

/// A list definition: lists created at one site (or merged by flowing together) share
/// one, and with it one item annotation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ListDefId(pub u32);

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct DictDefId(pub u32);

/// The annotator's view of a class: its instance attributes and place in the hierarchy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ClassDefId(pub u32);

/// An annotated graph (a function, or one specialisation of it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct GraphId(pub u32);

impl fmt::Display for GraphId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "g{}", self.0)
    }
}

/// A prebuilt object that a value may be (RPython's "descs" of a PBC).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Desc {
    Function(ObjId),
    Class(ObjId),
    /// A method looked up on instances of `class` (the function is `func`).
    Method { func: ObjId, class: ClassDefId },
    /// Anything else constant with no run-time representation: modules, built-in
    /// functions and types, JIT drivers.
    Frozen(ObjId),
}

/// What an iterator walks over.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IterKind {
    List,
    Str,
    DictKeys,
    DictValues,
    DictItems,
    /// `enumerate(it)`: the source is an iterator.
    Enumerate,
    /// `zip(a, b)`: the source is a tuple of two iterators.
    Zip,
    /// `reversed(list)`.
    Reversed,
    /// Over a `bytes`: the ints of its bytes.
    Bytes,
    /// `iter(range(...))` outside a `for` statement.
    Range,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SomeValue {
    /// No value has reached here (yet): the bottom of the lattice.
    Impossible,
    /// An error was reported about this value; it silently absorbs everything so that
    /// one mistake is reported once.
    Object,
    /// Only `None`.
    None_,
    Bool { konst: Option<bool> },
    /// `boolish`: a bool flowed into this int somewhere (a variable, attribute or item
    /// that holds `True` in one place and `0` in another). Arithmetic on it is fine, as
    /// in Python, but printing it would show `1` where CPython shows `True`.
    Int { nonneg: bool, unsigned: bool, konst: Option<i64>, boolish: bool },
    /// `intish`: an int (or bool) flowed into this float somewhere. Arithmetic on it gives
    /// CPython's numbers, but printing it would show `2.0` where CPython shows `2`.
    /// `boolish`: a bool flowed into this float somewhere (PySOM's bool list passed to
    /// its float-list filler). Unlike `intish`, the value keeps its type at run time:
    /// True and False are two reserved signalling-NaN patterns in the float slot (the
    /// RTyper's `Repr::FloatOrBool`), so it prints, compares and type-tests as CPython.
    Float { konst: Option<u64>, intish: bool, boolish: bool },
    /// A one-character string, never None: a code point at run time.
    Char { konst: Option<char> },
    Str { can_be_none: bool, konst: Option<Arc<str>> },
    /// A `bytes` value, never None. At run time it is a str whose code points are the
    /// bytes (0..=255), so the str operations that only compare, count and copy code
    /// points (`len`, slicing, `+`, `==`, `in`) are also the bytes' ones. `ascii`: every
    /// value that flows here holds only bytes below 128, whose str is the very text
    /// CPython's strict `bytes.decode()` gives, without a `UnicodeDecodeError`.
    Bytes { konst: Option<Arc<[u8]>>, ascii: bool },
    List { def: ListDefId, can_be_none: bool },
    Dict { def: DictDefId, can_be_none: bool },
    Tuple(Arc<[SomeValue]>),
    Instance { class: ClassDefId, can_be_none: bool, konst: Option<ObjId> },
    /// The class of an instance of `class` (or a subclass): a vtable at run time.
    ClassOf { class: ClassDefId },
    Pbc { descs: Arc<BTreeSet<Desc>>, can_be_none: bool },
    Iterator { kind: IterKind, source: Box<SomeValue> },
}

impl SomeValue {
    pub fn int() -> SomeValue {
        SomeValue::Int { nonneg: false, unsigned: false, konst: None, boolish: false }
    }

    pub fn nonneg_int() -> SomeValue {
        SomeValue::Int { nonneg: true, unsigned: false, konst: None, boolish: false }
    }

    pub fn bool() -> SomeValue {
        SomeValue::Bool { konst: None }
    }

    pub fn float() -> SomeValue {
        SomeValue::Float { konst: None, intish: false, boolish: false }
    }

    pub fn str() -> SomeValue {
        SomeValue::Str { can_be_none: false, konst: None }
    }

    pub fn char() -> SomeValue {
        SomeValue::Char { konst: None }
    }

    pub fn single(d: Desc) -> SomeValue {
        let mut s = BTreeSet::new();
        s.insert(d);
        SomeValue::Pbc { descs: Arc::new(s), can_be_none: false }
    }

    pub fn is_impossible(&self) -> bool {
        matches!(self, SomeValue::Impossible)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, SomeValue::Object)
    }

    /// Whether the value may be None.
    pub fn can_be_none(&self) -> bool {
        match self {
            SomeValue::None_ => true,
            SomeValue::Str { can_be_none, .. }
            | SomeValue::List { can_be_none, .. }
            | SomeValue::Dict { can_be_none, .. }
            | SomeValue::Instance { can_be_none, .. }
            | SomeValue::Pbc { can_be_none, .. } => *can_be_none,
            _ => false,
        }
    }

    /// The same annotation without the possibility of None.
    pub fn nonnull(&self) -> SomeValue {
        let mut s = self.clone();
        match &mut s {
            SomeValue::Str { can_be_none, .. }
            | SomeValue::List { can_be_none, .. }
            | SomeValue::Dict { can_be_none, .. }
            | SomeValue::Instance { can_be_none, .. }
            | SomeValue::Pbc { can_be_none, .. } => *can_be_none = false,
            _ => {}
        }
        s
    }

    /// The same annotation, allowing None (None_ for kinds that cannot be None).
    pub fn nullable(&self) -> Option<SomeValue> {
        let mut s = self.clone();
        match &mut s {
            SomeValue::Str { can_be_none, .. }
            | SomeValue::List { can_be_none, .. }
            | SomeValue::Dict { can_be_none, .. }
            | SomeValue::Instance { can_be_none, .. }
            | SomeValue::Pbc { can_be_none, .. } => *can_be_none = true,
            SomeValue::Char { .. } => return Some(SomeValue::Str { can_be_none: true, konst: None }),
            SomeValue::None_ | SomeValue::Object => {}
            _ => return None,
        }
        Some(s)
    }

    /// Whether the value is an int-like number (bool included), as Python's int is.
    pub fn is_intlike(&self) -> bool {
        matches!(self, SomeValue::Int { .. } | SomeValue::Bool { .. })
    }

    /// Whether CPython may hold an int (or bool) here: an int, or a float that an int or
    /// a bool flowed into (`-True` is the int -1, `True + True` the int 2).
    pub fn may_be_int(&self) -> bool {
        matches!(self, SomeValue::Int { .. } | SomeValue::Bool { .. } | SomeValue::Float { intish: true, .. } | SomeValue::Float { boolish: true, .. })
    }

    /// A float that may hold a bool (NaN-boxed at run time; see `Float`).
    pub fn is_boolish_float(&self) -> bool {
        matches!(self, SomeValue::Float { boolish: true, .. })
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, SomeValue::Int { .. } | SomeValue::Bool { .. } | SomeValue::Float { .. })
    }

    pub fn is_stringlike(&self) -> bool {
        matches!(self, SomeValue::Str { .. } | SomeValue::Char { .. })
    }

    pub fn is_unsigned(&self) -> bool {
        matches!(self, SomeValue::Int { unsigned: true, .. })
    }

    pub fn is_nonneg(&self) -> bool {
        match self {
            SomeValue::Int { nonneg, konst, .. } => *nonneg || konst.is_some_and(|k| k >= 0),
            SomeValue::Bool { .. } => true,
            _ => false,
        }
    }

    pub fn const_int(&self) -> Option<i64> {
        match self {
            SomeValue::Int { konst, .. } => *konst,
            SomeValue::Bool { konst: Some(b) } => Some(*b as i64),
            _ => None,
        }
    }

    pub fn const_bool(&self) -> Option<bool> {
        match self {
            SomeValue::Bool { konst } => *konst,
            _ => None,
        }
    }

    /// The function descs of a PBC.
    pub fn descs(&self) -> Option<&BTreeSet<Desc>> {
        match self {
            SomeValue::Pbc { descs, .. } => Some(descs),
            _ => None,
        }
    }

    /// Drops constant knowledge (for values that are stored and may change).
    pub fn without_const(&self) -> SomeValue {
        match self {
            SomeValue::Bool { .. } => SomeValue::bool(),
            SomeValue::Int { nonneg, unsigned, boolish, .. } => SomeValue::Int { nonneg: *nonneg, unsigned: *unsigned, konst: None, boolish: *boolish },
            SomeValue::Float { intish, boolish, .. } => SomeValue::Float { konst: None, intish: *intish, boolish: *boolish },
            SomeValue::Char { .. } => SomeValue::char(),
            SomeValue::Str { can_be_none, .. } => SomeValue::Str { can_be_none: *can_be_none, konst: None },
            SomeValue::Bytes { ascii, .. } => SomeValue::Bytes { konst: None, ascii: *ascii },
            SomeValue::Instance { class, can_be_none, .. } => SomeValue::Instance { class: *class, can_be_none: *can_be_none, konst: None },
            SomeValue::Tuple(items) => SomeValue::Tuple(items.iter().map(|i| i.without_const()).collect()),
            other => other.clone(),
        }
    }
}

/// What a type test tells about variables on each side of a branch (RPython's
/// "knowntypedata"): used to narrow `x` after `if x is None:` or `isinstance(x, A)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownTypes {
    pub on_true: Vec<(kiln_flowgraph::Var, SomeValue)>,
    pub on_false: Vec<(kiln_flowgraph::Var, SomeValue)>,
}

impl SomeValue {
    /// The import-time value of a constant annotation.
    pub fn const_value(&self) -> Option<Value> {
        match self {
            Self::None_ => Some(Value::None),
            Self::Bool { konst: Some(b) } => Some(Value::Bool(*b)),
            Self::Int { konst: Some(i), .. } => Some(Value::Int(*i)),
            Self::Float { konst: Some(f), .. } => Some(Value::Float(f64::from_bits(*f))),
            Self::Char { konst: Some(c) } => Some(Value::str(&c.to_string())),
            Self::Str { konst: Some(s), .. } => Some(Value::Str(s.clone())),
            Self::Bytes { konst: Some(b), .. } => Some(Value::Bytes(b.clone())),
            Self::Instance { konst: Some(o), .. } => Some(Value::Obj(*o)),
            Self::Pbc { descs, can_be_none: false } if descs.len() == 1 => match descs.iter().next()? {
                Desc::Function(o) | Desc::Class(o) | Desc::Frozen(o) => Some(Value::Obj(*o)),
                Desc::Method { .. } => None,
            },
            _ => None,
        }
    }
}
