//! `bytes` values: a bytes is the str whose code points are its bytes (0..=255), so the
//! str operations that count, copy and compare code points serve it unchanged. What
//! differs is lowered here: indexing and iteration give ints (`rops.rs`, `riter.rs`),
//! and `str()`/`repr()`/`print()` show CPython's `b'...'`. The annotator admits showing,
//! writing and decoding only bytes known to be ASCII, whose str is their text.

use kiln_annotator::SomeValue;
use kiln_flowspace::Opnd;
use kiln_frontend::Value;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{RtFn, TypeId};

use crate::lower::Lower;
use crate::repr::Repr;

/// The str holding a bytes constant: each byte as the code point of the same value.
pub fn bytes_as_str(b: &[u8]) -> String {
    b.iter().map(|&x| x as char).collect()
}

impl<'r, 'a> Lower<'r, 'a> {
    /// The annotation of an operand (a constant's own, for a bytes constant).
    pub fn operand_ann(&self, o: &Opnd) -> SomeValue {
        match o {
            Opnd::Var(v) => self.ann(*v).clone(),
            Opnd::Const(Value::Bytes(b)) => SomeValue::Bytes { konst: Some(b.clone()), ascii: b.is_ascii() },
            Opnd::Const(_) => SomeValue::Object,
        }
    }

    pub fn is_bytes(&self, o: &Opnd) -> bool {
        matches!(self.operand_ann(o), SomeValue::Bytes { .. })
    }

    /// `repr(b)` and `str(b)`: CPython's `b'...'`.
    pub fn bytes_repr(&mut self, o: &Opnd) -> LlValue {
        if let Opnd::Const(Value::Bytes(b)) = o {
            let text = kiln_frontend::ops::bytes_repr(b);
            return self.str_const(&text);
        }
        let x = self.arg_as(o, &Repr::Str);
        self.rtcall(RtFn::BytesRepr, vec![x], TypeId::STR_PTR)
    }

    /// `b.decode()`, `b.decode(codec)`, `b.decode(codec, errors)`: the annotator admits a
    /// strict decode only of ASCII bytes, whose str is their text, and `"replace"`.
    pub fn bytes_decode(&mut self, s: LlValue, args: &[Opnd]) -> LlValue {
        let text = |o: Option<&Opnd>| match o {
            Some(Opnd::Const(Value::Str(t))) => Some(t.to_string()),
            _ => None,
        };
        if text(args.get(1)).as_deref() != Some("replace") {
            return s;
        }
        let ascii = text(args.first()).and_then(|e| kiln_frontend::ops::codec_is_ascii(&e)).unwrap_or(false);
        self.rtcall(RtFn::BytesDecodeReplace, vec![s, LlValue::Const(kiln_lltype::LlConst::Bool(ascii))], TypeId::STR_PTR)
    }
}
