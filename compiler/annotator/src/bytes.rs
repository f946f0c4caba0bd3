//! Annotation rules for `bytes`: the operations whose CPython behaviour the translation
//! reproduces exactly, CPython's `TypeError`s found statically, and `E0334` for the rest.
//!
//! A bytes value is a str at run time whose code points are the bytes (see
//! `SomeValue::Bytes`): `len`, slicing, `+`, `*`, comparisons and `in` between bytes are
//! the str operations; indexing and iteration give the code points as ints; `print`,
//! `str`, `repr`, `os.write` and `decode(..., "replace")` convert in the runtime. A strict
//! `decode()` may raise CPython's `UnicodeDecodeError`, which Kiln does not have, so it
//! needs bytes the annotator knows to be ASCII (their str is their text).

use kiln_diagnostics::{Diagnostic, Span};
use kiln_frontend::ops::{BinOp, CmpOp};

use crate::annotate::Annotator;
use crate::model::SomeValue;

/// The encodings `bytes.decode` accepts: UTF-8 and ASCII (see `codec_is_ascii`).
pub fn known_encoding(name: &str) -> Option<bool> {
    kiln_frontend::ops::codec_is_ascii(name)
}

/// A str that is never None: its type in CPython is certainly `str`.
fn is_str(s: &SomeValue) -> bool {
    s.is_stringlike() && !s.can_be_none()
}

/// An operation that always raises CPython's exception `exc(message)`: the RTyper
/// compiles it into that raise (see `Annotator::certain_type_error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertainRaise {
    /// The built-in exception class raised.
    pub exc: &'static str,
    /// CPython's message.
    pub message: String,
}

pub(crate) fn unsupported(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0334", format!("{what} is not supported yet")).with_primary(span, "here")
}

fn non_ascii(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0334", format!("{what} of bytes that may hold non-ASCII bytes is not supported yet"))
        .with_primary(span, "here")
        .with_note("CPython raises UnicodeDecodeError for bytes that are not valid UTF-8, which Kiln does not have; a strict decode needs bytes known to be ASCII at translation time (ASCII b\"...\" literals, their slices and concatenations), and decode(\"utf-8\", \"replace\") decodes any bytes")
}

impl Annotator<'_> {
    /// A bytes value about to be decoded strictly: it must be known to be ASCII.
    pub(crate) fn check_bytes_ascii(&mut self, s: &SomeValue, what: &str, span: Span) -> Result<(), Diagnostic> {
        match s {
            SomeValue::Bytes { ascii: false, .. } => Err(non_ascii(what, span)),
            _ => Ok(()),
        }
    }

    /// A binary operator with a bytes operand (`inplace` for `+=` and the like).
    pub(crate) fn bytes_binop(&mut self, op: BinOp, a: &SomeValue, b: &SomeValue, span: Span, inplace: bool) -> Result<SomeValue, Diagnostic> {
        use SomeValue as S;
        let str_mix = |x: &SomeValue, y: &SomeValue| (matches!(x, S::Bytes { .. }) && is_str(y)) || (is_str(x) && matches!(y, S::Bytes { .. }));
        match (op, a, b) {
            (_, S::Object, _) | (_, _, S::Object) => Ok(S::Object),
            (BinOp::Add, S::Bytes { ascii: x, .. }, S::Bytes { ascii: y, .. }) => Ok(S::Bytes { konst: None, ascii: *x && *y }),
            (BinOp::Mul, S::Bytes { ascii, .. }, n) | (BinOp::Mul, n, S::Bytes { ascii, .. }) if n.is_intlike() => Ok(S::Bytes { konst: None, ascii: *ascii }),
            (BinOp::Mod, S::Bytes { .. }, _) => Err(unsupported("% formatting of bytes", span)),
            // `"%s" % b` is `"b'...'"` in CPython.
            (BinOp::Mod, f, _) if f.is_stringlike() => Err(unsupported("% formatting of bytes into a str", span).with_note("format str(b) instead")),
            // Bytes with a str (never None): CPython's TypeError, whatever the values.
            (_, x, y) if str_mix(x, y) => {
                let (da, db) = (self.py_type(a), self.py_type(b));
                let message = match op {
                    BinOp::Add if da == "bytes" => "can't concat str to bytes".to_string(),
                    BinOp::Add => "can only concatenate str (not \"bytes\") to str".to_string(),
                    BinOp::Mul => format!("can't multiply sequence by non-int of type '{db}'"),
                    BinOp::Pow if !inplace => format!("unsupported operand type(s) for ** or pow(): '{da}' and '{db}'"),
                    _ => format!("unsupported operand type(s) for {}{}: '{da}' and '{db}'", op.symbol(), if inplace { "=" } else { "" }),
                };
                Ok(self.certain_type_error(message, span))
            }
            (BinOp::Add, S::Bytes { .. }, other) if other.is_stringlike() => Err(Diagnostic::error("E0306", "can't concat str to bytes").with_primary(span, "here").with_note("CPython raises TypeError here; convert with s.encode() or b.decode()")),
            (BinOp::Add, other, S::Bytes { .. }) if other.is_stringlike() => {
                Err(Diagnostic::error("E0306", "can only concatenate str (not \"bytes\") to str").with_primary(span, "here").with_note("CPython raises TypeError here; convert with s.encode() or b.decode()"))
            }
            _ => {
                let (da, db) = (self.py_type(a), self.py_type(b));
                Err(Diagnostic::error("E0306", format!("unsupported operand type(s) for {}: '{da}' and '{db}'", op.symbol())).with_primary(span, "here").with_note("CPython raises TypeError here"))
            }
        }
    }

    /// An operation whose operand types make CPython raise `TypeError(message)` whatever
    /// their values (`"a" + b"b"`): compiled into that raise (recorded in
    /// `certain_raises` for the current operation, which the RTyper lowers to the raise)
    /// and reported as warning W0306. The operation never returns, so its result is
    /// `Impossible`: nothing after it in the block runs, and its `except` handlers do.
    pub(crate) fn certain_type_error(&mut self, message: String, span: Span) -> SomeValue {
        let (g, b) = self.cur;
        self.certain_raises.insert((g, b, self.cur_op), CertainRaise { exc: "TypeError", message: message.clone() });
        self.warn(
            Diagnostic::warning("W0306", message.clone())
                .with_primary(span, "this always raises TypeError")
                .with_note(format!("CPython raises `TypeError: {message}` here whatever the values; so does the translation"))
                .with_note("`--strict` makes this an error"),
        );
        SomeValue::Impossible
    }

    /// A comparison with a bytes operand; `None` when `b` is a container of another kind
    /// (`bytes in list`), which the container's rules decide.
    pub(crate) fn bytes_compare(&mut self, c: CmpOp, a: &SomeValue, b: &SomeValue, span: Span) -> Result<Option<SomeValue>, Diagnostic> {
        use SomeValue as S;
        let both = matches!(a, S::Bytes { .. }) && matches!(b, S::Bytes { .. });
        if matches!(a, S::Object) || matches!(b, S::Object) {
            return Ok(Some(S::bool()));
        }
        match c {
            CmpOp::Eq | CmpOp::Ne if both => Ok(Some(S::bool())),
            // Bytes never equal a value of another type in CPython (`b"a" == "a"` is
            // False): the result is a constant.
            CmpOp::Eq | CmpOp::Ne => Ok(Some(S::Bool { konst: Some(c == CmpOp::Ne) })),
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge if both => Ok(Some(S::bool())),
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge if is_str(a) || is_str(b) => {
                let (da, db) = (self.py_type(a), self.py_type(b));
                Ok(Some(self.certain_type_error(format!("'{}' not supported between instances of '{da}' and '{db}'", c.symbol()), span)))
            }
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                let (da, db) = (self.py_type(a), self.py_type(b));
                Err(Diagnostic::error("E0306", format!("'{}' not supported between instances of '{da}' and '{db}'", c.symbol())).with_primary(span, "here").with_note("CPython raises TypeError here"))
            }
            CmpOp::In | CmpOp::NotIn => match b {
                S::Bytes { .. } if matches!(a, S::Bytes { .. }) => Ok(Some(S::bool())),
                S::Bytes { .. } if a.is_intlike() => Err(unsupported("looking for an int in bytes ('in')", span)),
                S::Bytes { .. } if is_str(a) => Ok(Some(self.certain_type_error("a bytes-like object is required, not 'str'".into(), span))),
                _ if is_str(b) => Ok(Some(self.certain_type_error("'in <string>' requires string as left operand, not bytes".into(), span))),
                S::Bytes { .. } => {
                    let da = self.py_type(a);
                    Err(Diagnostic::error("E0306", format!("a bytes-like object is required, not '{da}'")).with_primary(span, "here").with_note("CPython raises TypeError here"))
                }
                _ => Ok(None),
            },
            CmpOp::Is | CmpOp::IsNot => Ok(None),
        }
    }

    /// Whether comparing `a` with `b` item by item (lists, tuples, dicts) would compare
    /// bytes with a str somewhere: the shared representation would find them equal
    /// where CPython finds them different (or, ordered, raises TypeError).
    pub(crate) fn mixes_bytes_and_str(&mut self, a: &SomeValue, b: &SomeValue, depth: u32) -> bool {
        use SomeValue as S;
        if depth > 8 {
            return false;
        }
        match (a, b) {
            (S::Bytes { .. }, x) | (x, S::Bytes { .. }) => x.is_stringlike(),
            (S::List { def: d1, .. }, S::List { def: d2, .. }) => {
                // Read as a reader (re-checked when an item type grows), without
                // `list_item`'s note of where a None item came from.
                let reader = self.cur;
                let mut item = |d: u32| {
                    let ld = self.lists.get_mut(d);
                    ld.readers.insert(reader);
                    ld.item.clone()
                };
                let (x, y) = (item(d1.0), item(d2.0));
                self.mixes_bytes_and_str(&x, &y, depth + 1)
            }
            (S::Dict { def: d1, .. }, S::Dict { def: d2, .. }) => {
                let ((k1, v1), (k2, v2)) = (self.dict_kv(d1.0), self.dict_kv(d2.0));
                self.mixes_bytes_and_str(&k1, &k2, depth + 1) || self.mixes_bytes_and_str(&v1, &v2, depth + 1)
            }
            (S::Tuple(x), S::Tuple(y)) if x.len() == y.len() => x.iter().zip(y.iter()).any(|(p, q)| self.mixes_bytes_and_str(p, q, depth + 1)),
            _ => false,
        }
    }

    /// `==`, `!=` or an ordering between containers (lists, tuples, dicts) that hold
    /// bytes on one side and str on the other: `E0334`.
    pub(crate) fn check_container_bytes_str(&mut self, a: &SomeValue, b: &SomeValue, span: Span) -> Result<(), Diagnostic> {
        let containers = |s: &SomeValue| matches!(s, SomeValue::List { .. } | SomeValue::Dict { .. } | SomeValue::Tuple(_));
        if containers(a) && containers(b) && self.mixes_bytes_and_str(a, b, 0) {
            return Err(unsupported("comparing a list, tuple or dict holding bytes with one holding str at the same place", span)
                .with_note("CPython compares bytes and str as different (ordering them raises TypeError); Kiln would compare their text"));
        }
        Ok(())
    }

    /// The name CPython gives the type of a value (for messages of its TypeErrors).
    pub(crate) fn py_type(&mut self, s: &SomeValue) -> String {
        match s {
            SomeValue::Bytes { .. } => "bytes".into(),
            SomeValue::Char { .. } | SomeValue::Str { .. } => "str".into(),
            SomeValue::Int { .. } => "int".into(),
            SomeValue::Bool { .. } => "bool".into(),
            SomeValue::Float { .. } => "float".into(),
            SomeValue::None_ => "NoneType".into(),
            SomeValue::List { .. } => "list".into(),
            SomeValue::Dict { .. } => "dict".into(),
            SomeValue::Tuple(_) => "tuple".into(),
            other => self.describe(other),
        }
    }
}
