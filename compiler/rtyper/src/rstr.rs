//! Strings: methods, slicing, repetition, `%` formatting and f-string formatting.
//!
//! `%` with a constant format string is parsed at translation time: each conversion
//! becomes a call to the runtime's `format(value, spec)` with an equivalent format spec,
//! so `"%5.2f" % x` costs one runtime call per conversion and no parsing at run time.

use kiln_flowgraph::Operation;
use kiln_flowspace::{Hl, Opnd};
use kiln_frontend::Value;
use kiln_lltype::builder::LlValue;
use kiln_lltype::{FieldRef, LlConst, LlOp, RtFn, TypeId};

use crate::lower::Lower;
use crate::repr::Repr;

fn c(v: LlConst) -> LlValue {
    LlValue::Const(v)
}

/// "Absent" for an optional slice bound passed to the runtime.
pub const ABSENT: i64 = i64::MIN;

impl<'r, 'a> Lower<'r, 'a> {
    pub fn str_const(&mut self, s: &str) -> LlValue {
        c(self.rt.ll.str_const(s))
    }

    /// An operand that must be a str (chars are converted).
    pub fn str_arg(&mut self, o: &Opnd) -> LlValue {
        self.arg_as(o, &Repr::Str)
    }

    /// An optional int operand (a slice bound, find's start): ABSENT/`default` for None
    /// or when missing.
    pub fn opt_int(&mut self, o: Option<&Opnd>, default: i64) -> LlValue {
        match o {
            None | Some(Opnd::Const(Value::None)) => c(LlConst::Signed(default)),
            Some(o) => {
                if self.opnd_repr(o).is_void() {
                    return c(LlConst::Signed(default));
                }
                self.arg_as(o, &Repr::Int)
            }
        }
    }

    pub fn str_getslice(&mut self, op: &Operation<Hl>) -> LlValue {
        let s = self.str_arg(&op.args[0]);
        let lo = self.opt_int(op.args.get(1), ABSENT);
        let hi = self.opt_int(op.args.get(2), ABSENT);
        let st = self.opt_int(op.args.get(3), 1);
        self.rtcall(RtFn::StrSliceStep, vec![s, lo, hi, st], TypeId::STR_PTR)
    }

    pub fn str_method(&mut self, op: &Operation<Hl>, name: &str, nkw: usize) -> LlValue {
        if nkw > 0 {
            return self.unsupported("keyword arguments to str methods");
        }
        let s = self.str_arg(&op.args[0]);
        if name == "decode" {
            return self.bytes_decode(s, &op.args[1..]);
        }
        let a = &op.args[1..];
        let ty = TypeId::STR_PTR;
        let b = TypeId::BOOL;
        match name {
            "join" => {
                let (l, lr) = self.arg(&a[0]);
                let chars = matches!(&lr, Repr::List(r) if r.item == Repr::Char);
                self.rtcall(if chars { RtFn::StrJoinChars } else { RtFn::StrJoin }, vec![s, l], ty)
            }
            "rsplit" => {
                let sep = self.str_arg(&a[0]);
                let max = self.opt_int(a.get(1), -1);
                self.rtcall(RtFn::StrRsplit, vec![s, sep, max], TypeId::LIST_STR_PTR)
            }
            "split" => {
                let sep = match a.first() {
                    Some(o) if !self.opnd_repr(o).is_void() => self.str_arg(o),
                    _ => c(LlConst::Null(TypeId::STR_PTR)),
                };
                let max = self.opt_int(a.get(1), -1);
                self.rtcall(RtFn::StrSplit, vec![s, sep, max], TypeId::LIST_STR_PTR)
            }
            "strip" | "lstrip" | "rstrip" => {
                let chars = match a.first() {
                    Some(o) if !self.opnd_repr(o).is_void() => self.str_arg(o),
                    _ => c(LlConst::Null(TypeId::STR_PTR)),
                };
                let which = match name {
                    "strip" => 0,
                    "lstrip" => 1,
                    _ => 2,
                };
                self.rtcall(RtFn::StrStrip, vec![s, chars, c(LlConst::Signed(which))], ty)
            }
            "startswith" | "endswith" => {
                let x = self.str_arg(&a[0]);
                let start = self.opt_int(a.get(1), 0);
                let end = self.opt_int(a.get(2), i64::MAX);
                self.rtcall(if name == "startswith" { RtFn::StrStartsWith } else { RtFn::StrEndsWith }, vec![s, x, start, end], b)
            }
            "find" | "rfind" | "count" | "index" => {
                let x = self.str_arg(&a[0]);
                let start = self.opt_int(a.get(1), 0);
                let end = self.opt_int(a.get(2), i64::MAX);
                let f = match name {
                    "find" => RtFn::StrFind,
                    "rfind" => RtFn::StrRFind,
                    "count" => RtFn::StrCount,
                    _ => RtFn::StrIndex,
                };
                self.rtcall(f, vec![s, x, start, end], TypeId::SIGNED)
            }
            "replace" => {
                let x = self.str_arg(&a[0]);
                let y = self.str_arg(&a[1]);
                let n = self.opt_int(a.get(2), -1);
                self.rtcall(RtFn::StrReplace, vec![s, x, y, n], ty)
            }
            "lower" => self.rtcall(RtFn::StrLower, vec![s], ty),
            "upper" => self.rtcall(RtFn::StrUpper, vec![s], ty),
            "isdigit" => self.rtcall(RtFn::StrIsDigit, vec![s], b),
            "isalpha" => self.rtcall(RtFn::StrIsAlpha, vec![s], b),
            "isalnum" => self.rtcall(RtFn::StrIsAlnum, vec![s], b),
            "isspace" => self.rtcall(RtFn::StrIsSpace, vec![s], b),
            other => self.unsupported(&format!("str.{other}()")),
        }
    }

    /// `repr(o)` as a string.
    pub fn repr_of(&mut self, o: &Opnd) -> LlValue {
        if self.is_bytes(o) {
            return self.bytes_repr(o);
        }
        let (x, r) = self.arg(o);
        match &r {
            // An r_uint's repr is `r_uint(N)`, as the support package's under CPython.
            Repr::Int | Repr::Bool | Repr::Float | Repr::FloatOrBool => self.to_str(o),
            _ => {
                let w = self.to_word(x, &r);
                let d = self.desc_of(&r);
                self.rtcall(RtFn::Repr, vec![w, d], TypeId::STR_PTR)
            }
        }
    }

    /// `format(o, spec)` for a constant spec.
    pub fn format_with_spec(&mut self, o: &Opnd, spec: &str) -> LlValue {
        if spec.is_empty() {
            return self.to_str(o);
        }
        let (mut x, mut r) = self.arg(o);
        if r == Repr::FloatOrBool {
            // The annotator lets only float formats through (`{True:.2f}` is 1.00).
            x = self.unbox_float(x);
            r = Repr::Float;
        }
        let w = self.to_word(x, &r);
        let d = self.desc_of(&r);
        let sp = self.str_const(spec);
        self.rtcall(RtFn::Format, vec![w, d, sp], TypeId::STR_PTR)
    }

    /// An f-string replacement field: `{o!conversion:spec}`.
    pub fn format_field(&mut self, o: &Opnd, conversion: Option<char>, spec: &str) -> LlValue {
        match conversion {
            Some('r') | Some('a') => {
                let s = self.repr_of(o);
                if spec.is_empty() {
                    return s;
                }
                let sp = self.str_const(spec);
                let w = self.to_word(s, &Repr::Str);
                let d = self.desc_of(&Repr::Str);
                self.rtcall(RtFn::Format, vec![w, d, sp], TypeId::STR_PTR)
            }
            Some('s') => {
                let s = self.to_str(o);
                if spec.is_empty() {
                    return s;
                }
                let sp = self.str_const(spec);
                let w = self.to_word(s, &Repr::Str);
                let d = self.desc_of(&Repr::Str);
                self.rtcall(RtFn::Format, vec![w, d, sp], TypeId::STR_PTR)
            }
            _ => self.format_with_spec(o, spec),
        }
    }

    /// `fmt % args` with a constant format string, or `fmt % d` with a dict.
    pub fn percent_format(&mut self, op: &Operation<Hl>) -> LlValue {
        if let Repr::Dict(_) = self.opnd_repr(&op.args[1]) {
            // `fmt % d`: the runtime looks the format's keys up in the dict.
            let fmt = self.arg_as(&op.args[0], &Repr::Str);
            let (dv, dr) = self.arg(&op.args[1]);
            let w = self.to_word(dv, &dr);
            let d = self.desc_of(&dr);
            return self.rtcall(RtFn::PercentMapping, vec![fmt, w, d], TypeId::STR_PTR);
        }
        let Some(Value::Str(fmt)) = op.args[0].as_const().cloned() else {
            return self.percent_tuple(op);
        };
        // The annotator's choice (a constant right operand included).
        if self.rt.ann.percent_runtime.contains(&(self.gid, self.site.0, self.site.1)) {
            return self.percent_tuple(op);
        }
        // The values: a tuple's items, or the single right operand.
        let (rv, rr) = self.arg(&op.args[1]);
        let values: Vec<(LlValue, Repr)> = match &rr {
            Repr::Tuple(tr) => {
                let tr = tr.clone();
                tr.items
                    .iter()
                    .enumerate()
                    .map(|(i, ir)| {
                        let v = if ir.is_void() { c(LlConst::Void) } else { self.genop(LlOp::GetField(FieldRef { strukt: tr.strukt, index: i as u32 }), vec![rv.clone()], ir.lltype()) };
                        (v, ir.clone())
                    })
                    .collect()
            }
            _ => vec![(rv, rr.clone())],
        };
        let mut pieces: Vec<LlValue> = Vec::new();
        let mut literal = String::new();
        let mut chars = fmt.chars().peekable();
        let mut next = values.into_iter();
        while let Some(ch) = chars.next() {
            if ch != '%' {
                literal.push(ch);
                continue;
            }
            let mut flags = String::new();
            let conv = loop {
                match chars.next() {
                    Some(x) if "-+ #0123456789.".contains(x) => flags.push(x),
                    Some(x) => break x,
                    None => {
                        self.user_error("E0403", "incomplete format", "a '%' at the end of the format string needs a conversion");
                        return self.str_const("");
                    }
                }
            };
            if conv == '%' {
                literal.push('%');
                continue;
            }
            if !literal.is_empty() {
                let l = self.str_const(&literal);
                pieces.push(l);
                literal.clear();
            }
            let Some((v, r)) = next.next() else {
                self.user_error("E0403", "not enough arguments for format string", "the format string has more conversions than values");
                return self.str_const("");
            };
            let piece = self.percent_piece(v, &r, &flags, conv);
            pieces.push(piece);
        }
        if next.next().is_some() {
            self.user_error("E0403", "not all arguments converted during string formatting", "the format string has fewer conversions than values");
        }
        if !literal.is_empty() || pieces.is_empty() {
            let l = self.str_const(&literal);
            pieces.push(l);
        }
        let mut acc = pieces[0].clone();
        for p in pieces.into_iter().skip(1) {
            acc = self.rtcall(RtFn::StrConcat, vec![acc, p], TypeId::STR_PTR);
        }
        acc
    }

    /// `fmt % (v0, v1, ...)` or `fmt % v` with a format built at run time: the values go
    /// to the runtime's formatting as a tuple with its type descriptor (a single value
    /// as a 1-tuple, as CPython formats a value that is not a tuple or a mapping).
    fn percent_tuple(&mut self, op: &Operation<Hl>) -> LlValue {
        let fmt = self.arg_as(&op.args[0], &Repr::Str);
        let (rv, rr) = self.arg(&op.args[1]);
        let (tup, tr) = match &rr {
            Repr::Tuple(_) => (rv, rr.clone()),
            _ => {
                let tr = self.rt.tuple_repr(vec![rr.clone()]);
                (self.new_tuple(&tr, vec![rv]), Repr::Tuple(tr))
            }
        };
        let w = self.to_word(tup, &tr);
        let d = self.desc_of(&tr);
        self.rtcall(RtFn::PercentTuple, vec![fmt, w, d], TypeId::STR_PTR)
    }

    /// `fmt % {k0: v0, ...}` (`HlOp::PercentMap`): the values go to the runtime's
    /// formatting in a record, the tuple `(k0, v0, k1, v1, ...)` with its type
    /// descriptor, so they may have different types; the format is parsed at run time.
    pub fn percent_mapping(&mut self, op: &Operation<Hl>, keys: &[std::sync::Arc<str>]) -> LlValue {
        let fmt = self.arg_as(&op.args[0], &Repr::Str);
        let mut items = Vec::new();
        let mut reprs = Vec::new();
        for (k, a) in keys.iter().zip(&op.args[1..]) {
            items.push(self.str_const(k));
            reprs.push(Repr::Str);
            let (v, r) = self.arg(a);
            items.push(v);
            reprs.push(r);
        }
        let tr = self.rt.tuple_repr(reprs);
        let rec = self.new_tuple(&tr, items);
        let tr = Repr::Tuple(tr);
        let w = self.to_word(rec, &tr);
        let d = self.desc_of(&tr);
        self.rtcall(RtFn::PercentMapping, vec![fmt, w, d], TypeId::STR_PTR)
    }

    /// One `%` conversion as a call to `format` with the equivalent spec.
    fn percent_piece(&mut self, v: LlValue, r: &Repr, flags: &str, conv: char) -> LlValue {
        let left = flags.contains('-');
        let zero = !left && flags.trim_start_matches(['+', ' ', '#']).starts_with('0');
        let sign = if flags.contains('+') { "+" } else if flags.contains(' ') { " " } else { "" };
        let digits: String = flags.trim_start_matches(['-', '+', ' ', '#', '0']).to_string();
        let (width, prec) = match digits.split_once('.') {
            Some((w, p)) => (w.to_string(), Some(p.to_string())),
            None => (digits.clone(), None),
        };
        let align = if left { "<" } else { "" };
        let alt = if flags.contains('#') { "#" } else { "" };
        let z = if zero { "0" } else { "" };
        let p = prec.as_ref().map(|p| format!(".{}", if p.is_empty() { "0" } else { p })).unwrap_or_default();
        let (value, vr, ty) = match conv {
            's' | 'r' | 'a' => {
                let s = match conv {
                    's' => self.value_to_str(v, r),
                    _ => self.value_repr(v, r),
                };
                let spec = format!("{}{}{}", if left { "<" } else { ">" }, width, p);
                return if width.is_empty() && p.is_empty() { s } else { self.format_value(s, &Repr::Str, &spec) };
            }
            // An r_uint is formatted as the unsigned number it is (2**64 - 1 is
            // `18446744073709551615` / `ffffffffffffffff`, never the signed word's -1).
            'd' | 'i' | 'u' if *r == Repr::Uint => (v, Repr::Uint, "d"),
            'd' | 'i' | 'u' => {
                let iv = match r {
                    Repr::Float => self.helper(crate::helpers::Helper::IntFromFloat, vec![v]),
                    Repr::FloatOrBool => {
                        let f = self.unbox_float(v);
                        self.helper(crate::helpers::Helper::IntFromFloat, vec![f])
                    }
                    other => self.convert(v, other, &Repr::Int),
                };
                (iv, Repr::Int, "d")
            }
            'x' | 'X' | 'o' | 'c' if *r == Repr::FloatOrBool => {
                self.user_error("E0403", format!("'%{conv}' of a float that may be a bool is not supported"), "CPython formats a bool as an int and refuses a float here; convert with int(x) first");
                return self.str_const("");
            }
            'x' | 'X' | 'o' => {
                let ty = if conv == 'x' { "x" } else if conv == 'X' { "X" } else { "o" };
                if *r == Repr::Uint {
                    (v, Repr::Uint, ty)
                } else {
                    (self.convert(v, r, &Repr::Int), Repr::Int, ty)
                }
            }
            'c' => match r {
                Repr::Char | Repr::Str => return v,
                _ => {
                    let iv = self.convert(v, r, &Repr::Int);
                    let ch = self.helper(crate::helpers::Helper::Chr, vec![iv]);
                    return self.rtcall(RtFn::StrFromChar, vec![ch], TypeId::STR_PTR);
                }
            },
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let fv = self.convert(v, r, &Repr::Float);
                let p = if prec.is_none() { ".6".to_string() } else { p.clone() };
                let spec = format!("{align}{sign}{alt}{z}{width}{p}{conv}");
                return self.format_value(fv, &Repr::Float, &spec);
            }
            other => {
                self.user_error("E0403", format!("unsupported format character '{other}'"), "supported: %d %i %s %r %x %X %o %c %f %e %g %%");
                return self.str_const("");
            }
        };
        let spec = format!("{align}{sign}{alt}{z}{width}{p}{ty}");
        self.format_value(value, &vr, &spec)
    }

    pub fn format_value(&mut self, v: LlValue, r: &Repr, spec: &str) -> LlValue {
        let w = self.to_word(v, r);
        let d = self.desc_of(r);
        let sp = self.str_const(spec);
        self.rtcall(RtFn::Format, vec![w, d, sp], TypeId::STR_PTR)
    }

    /// `str()` of an already-lowered value.
    pub fn value_to_str(&mut self, v: LlValue, r: &Repr) -> LlValue {
        match r {
            Repr::Int => self.rtcall(RtFn::StrFromInt, vec![v], TypeId::STR_PTR),
            Repr::Uint => self.rtcall(RtFn::StrFromUint, vec![v], TypeId::STR_PTR),
            Repr::Float => self.rtcall(RtFn::StrFromFloat, vec![v], TypeId::STR_PTR),
            Repr::FloatOrBool => self.boxed_to_str(v),
            Repr::Char => self.rtcall(RtFn::StrFromChar, vec![v], TypeId::STR_PTR),
            Repr::Bool => self.helper(crate::helpers::Helper::BoolToStr, vec![v]),
            Repr::Str => self.helper(crate::helpers::Helper::OptStr, vec![v]),
            Repr::Instance { cdef, .. } => {
                let cdef = *cdef;
                if !self.rt.str_impls_below(cdef).is_empty() {
                    let e = self.cast(v, TypeId::OBJECT_PTR);
                    self.helper(crate::helpers::Helper::StrDispatch(cdef), vec![e])
                } else if self.rt.is_exception_cdef(cdef) {
                    let e = self.cast(v, TypeId::OBJECT_PTR);
                    self.helper(crate::helpers::Helper::ExcStr, vec![e])
                } else {
                    // Not an exception: no message to read (CPython's default str() is
                    // the repr).
                    self.value_repr(v, r)
                }
            }
            _ => self.value_repr(v, r),
        }
    }

    /// `repr()` of an already-lowered value.
    pub fn value_repr(&mut self, v: LlValue, r: &Repr) -> LlValue {
        match r {
            Repr::Int | Repr::Float | Repr::FloatOrBool | Repr::Bool => self.value_to_str(v, r),
            _ => {
                let w = self.to_word(v, r);
                let d = self.desc_of(r);
                self.rtcall(RtFn::Repr, vec![w, d], TypeId::STR_PTR)
            }
        }
    }
}
