//! Annotation rules for calls to built-in functions and types (`len`, `int(s)`,
//! `isinstance`, the `kiln.*` helpers, `math`).

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};
use kiln_flowgraph::{Operation, Var};
use kiln_flowspace::{Hl, Opnd};
use kiln_frontend::{Builtin, BuiltinType, ObjId, Object, Value};

use crate::annotate::{Annotator, OpLoc};
use crate::model::*;

impl<'a> Annotator<'a> {
    fn arity(&self, name: &str, args: &[SomeValue], min: usize, max: usize, span: Span) -> Result<(), Diagnostic> {
        if args.len() < min || args.len() > max {
            let want = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            return Err(Diagnostic::error("E0320", format!("{name}() takes {want} argument(s), got {}", args.len())).with_primary(span, "in this call"));
        }
        Ok(())
    }

    fn expect(&mut self, what: &str, s: &SomeValue, ok: bool, span: Span) -> Result<(), Diagnostic> {
        if ok {
            return Ok(());
        }
        let d = self.describe(s);
        Err(Diagnostic::error("E0321", format!("{what}, not {d}")).with_primary(span, "here"))
    }

    pub(crate) fn builtin_call(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, b: Builtin, all: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        let npos = all.len() - kwnames.len();
        let args = &all[..npos];
        let kw = |name: &str| kwnames.iter().position(|k| &**k == name).map(|i| &all[npos + i]);
        let allowed_kw: &[&str] = match b {
            Builtin::Print => &["sep", "end"],
            Builtin::Sorted => &["reverse"],
            _ => &[],
        };
        if let Some(bad) = kwnames.iter().find(|k| !allowed_kw.contains(&&***k)) {
            return Err(Diagnostic::error("E0320", format!("{}() got an unexpected keyword argument '{bad}'", b.name())).with_primary(span, "here"));
        }
        use SomeValue as S;
        let name = b.name();
        match b {
            Builtin::Len => {
                self.arity(name, args, 1, 1, span)?;
                match &args[0] {
                    s if s.is_stringlike() && !s.can_be_none() => Ok(S::nonneg_int()),
                    S::Bytes { .. } => Ok(S::nonneg_int()),
                    S::List { can_be_none: false, .. } | S::Dict { can_be_none: false, .. } => Ok(S::nonneg_int()),
                    S::Tuple(items) => Ok(S::Int { nonneg: true, unsigned: false, konst: Some(items.len() as i64), boolish: false }),
                    s if s.can_be_none() => Err(self.none_error(g, "len()", &op.args[1], span)),
                    s => {
                        let d = self.describe(s);
                        Err(Diagnostic::error("E0321", format!("object of type {d} has no len()")).with_primary(span, "here"))
                    }
                }
            }
            Builtin::Print => {
                for (i, a) in args.iter().enumerate() {
                    if matches!(a, S::Bytes { .. }) {
                        // Shown as CPython's repr, `b'...'` (the rtyper's `bytes_repr`).
                        continue;
                    }
                    self.check_str_arg(a, span)?;
                    self.check_exc_repr(a, false, span)?;
                    self.check_bool_shown(g, &op.args[1 + i], a, span, "print() shows")?;
                }
                for k in ["sep", "end"] {
                    if let Some(v) = kw(k) {
                        let ok = v.is_stringlike() && !v.can_be_none();
                        self.expect(&format!("print()'s {k} must be a str"), &v.clone(), ok, span)?;
                    }
                }
                Ok(S::None_)
            }
            Builtin::Range => {
                self.arity(name, args, 1, 3, span)?;
                for a in args {
                    self.expect("range() arguments must be ints", a, a.is_intlike(), span)?;
                }
                let def = self.new_list_at(site);
                let _ = self.list_generalize(def, S::int(), span);
                Ok(S::List { def: ListDefId(def), can_be_none: false })
            }
            Builtin::Isinstance => {
                self.arity(name, args, 2, 2, span)?;
                let classes = self.class_tuple(&op.args[2], span)?;
                self.isinstance_result(g, &op.args[1], &args[0], &classes, op.result)
            }
            Builtin::Abs => {
                self.arity(name, args, 1, 1, span)?;
                match &args[0] {
                    s if s.is_intlike() => Ok(S::Int { nonneg: true, unsigned: false, konst: None, boolish: false }),
                    S::Float { intish, boolish, .. } => Ok(S::Float { konst: None, intish: *intish || *boolish, boolish: false }),
                    s => {
                        let s = s.clone();
                        self.expect("abs() needs a number", &s, false, span).map(|_| S::Object)
                    }
                }
            }
            Builtin::Min | Builtin::Max => {
                if args.len() == 1 {
                    return match &args[0] {
                        S::List { def, can_be_none: false } => {
                            let item = self.list_item(def.0);
                            Ok(item)
                        }
                        s => {
                            let s = s.clone();
                            self.expect(&format!("{name}() of one argument needs a list"), &s, false, span).map(|_| S::Object)
                        }
                    };
                }
                self.arity(name, args, 2, 16, span)?;
                let mut acc = S::Impossible;
                for a in args {
                    let ok = a.is_numeric() || (a.is_stringlike() && !a.can_be_none());
                    self.expect(&format!("{name}() compares numbers or strings"), a, ok, span)?;
                    acc = self.union(&acc, &a.without_const()).map_err(|m| Diagnostic::error("E0321", format!("{name}() of {} and {}", m.a, m.b)).with_primary(span, "here"))?;
                }
                Ok(acc)
            }
            Builtin::Sum => {
                self.arity(name, args, 1, 2, span)?;
                let S::List { def, can_be_none: false } = &args[0] else {
                    let a = args[0].clone();
                    return self.expect("sum() needs a list", &a, false, span).map(|_| S::Object);
                };
                let item = self.list_item(def.0);
                if item.is_impossible() {
                    return Ok(args.get(1).cloned().unwrap_or(S::Int { nonneg: false, unsigned: false, konst: None, boolish: false }).without_const());
                }
                self.expect("sum() adds numbers", &item, item.is_numeric(), span)?;
                let start = args.get(1).cloned().unwrap_or(S::int());
                let sum = self.union(&item.without_const(), &start.without_const()).map_err(|m| Diagnostic::error("E0321", format!("sum() of {} and {}", m.a, m.b)).with_primary(span, "here"))?;
                // A sum is an int even of bools (sum([True, True]) is 2).
                Ok(match sum {
                    S::Int { nonneg, unsigned, konst, .. } => S::Int { nonneg, unsigned, konst, boolish: false },
                    other => other,
                })
            }
            Builtin::Any | Builtin::All => {
                self.arity(name, args, 1, 1, span)?;
                let ok = matches!(args[0], S::List { can_be_none: false, .. });
                self.expect(&format!("{name}() needs a list"), &args[0], ok, span)?;
                Ok(S::bool())
            }
            Builtin::Ord => {
                self.arity(name, args, 1, 1, span)?;
                match &args[0] {
                    S::Char { .. } => Ok(S::nonneg_int()),
                    S::Str { can_be_none: false, .. } => Ok(S::nonneg_int()),
                    s => {
                        let s = s.clone();
                        self.expect("ord() needs a one-character string", &s, false, span).map(|_| S::Object)
                    }
                }
            }
            Builtin::Chr => {
                self.arity(name, args, 1, 1, span)?;
                self.expect("chr() needs an int", &args[0], args[0].is_intlike(), span)?;
                Ok(S::char())
            }
            Builtin::Hash | Builtin::ComputeHash => {
                self.arity(name, args, 1, 1, span)?;
                // A str that may be None hashes as None does: `compute_hash(None)` is 0
                // (RPython's), `hash(None)` a constant (CPython's is its address).
                let ok = args[0].is_numeric() || (args[0].is_stringlike() && !matches!(args[0], S::None_)) || matches!(args[0], S::Tuple(_) | S::Instance { .. });
                self.expect("hash() of a number, string, tuple or instance", &args[0], ok, span)?;
                Ok(S::int())
            }
            Builtin::Repr => {
                self.arity(name, args, 1, 1, span)?;
                if matches!(args[0], S::Bytes { .. }) {
                    return Ok(S::str());
                }
                self.check_printable(&args[0], span)?;
                self.check_exc_repr(&args[0], true, span)?;
                self.check_bool_shown(g, &op.args[1], &args[0], span, "repr() of")?;
                Ok(S::str())
            }
            Builtin::Enumerate => {
                self.arity(name, args, 1, 1, span)?;
                let inner = self.iter_of(g, &op.args[1], &args[0], span)?;
                Ok(S::Iterator { kind: IterKind::Enumerate, source: Box::new(inner) })
            }
            Builtin::Zip => {
                self.arity(name, args, 2, 4, span)?;
                let mut its = Vec::new();
                for (k, a) in args.iter().enumerate() {
                    its.push(self.iter_of(g, &op.args[k + 1], a, span)?);
                }
                Ok(S::Iterator { kind: IterKind::Zip, source: Box::new(S::Tuple(its.into())) })
            }
            Builtin::Reversed => {
                self.arity(name, args, 1, 1, span)?;
                let ok = matches!(args[0], S::List { can_be_none: false, .. });
                self.expect("reversed() needs a list", &args[0], ok, span)?;
                Ok(S::Iterator { kind: IterKind::Reversed, source: Box::new(args[0].clone()) })
            }
            Builtin::Sorted => {
                self.arity(name, args, 1, 1, span)?;
                match &args[0] {
                    S::List { def, can_be_none: false } => {
                        let item = self.list_item(def.0);
                        let ok = item.is_impossible() || item.is_numeric() || item.is_stringlike() || matches!(item, S::Tuple(_));
                        self.expect("sorted() needs comparable items", &item, ok, span)?;
                        Ok(S::List { def: *def, can_be_none: false })
                    }
                    s => {
                        let s = s.clone();
                        self.expect("sorted() needs a list", &s, false, span).map(|_| S::Object)
                    }
                }
            }
            Builtin::Divmod => {
                self.arity(name, args, 2, 2, span)?;
                let ok = args[0].is_numeric() && args[1].is_numeric();
                self.expect("divmod() needs numbers", &args[0], ok, span)?;
                if matches!(args[0], S::Float { .. }) || matches!(args[1], S::Float { .. }) {
                    let f = S::Float { konst: None, intish: args[0].may_be_int() && args[1].may_be_int(), boolish: false };
                    Ok(S::Tuple(vec![f.clone(), f].into()))
                } else {
                    Ok(S::Tuple(vec![S::int(), S::int()].into()))
                }
            }
            Builtin::Iter => {
                self.arity(name, args, 1, 1, span)?;
                self.iter_of(g, &op.args[1], &args[0], span)
            }
            Builtin::Next => {
                self.arity(name, args, 1, 1, span)?;
                match &args[0] {
                    S::Iterator { kind, source } => Ok(self.iter_item(*kind, source)),
                    s => {
                        let s = s.clone();
                        self.expect("next() needs an iterator", &s, false, span).map(|_| S::Object)
                    }
                }
            }
            Builtin::ExcInit => {
                self.arity(name, args, 1, 3, span)?;
                let base = self.classdef(self.prog.classes.get("BaseException"));
                let ok = matches!(&args[0], S::Instance { class, .. } if self.is_subclassdef(*class, base));
                self.expect("BaseException.__init__ needs an exception instance", &args[0], ok, span)?;
                for a in &args[1..] {
                    self.check_printable(a, span)?;
                }
                Ok(S::None_)
            }
            Builtin::Intmask => {
                self.arity(name, args, 1, 1, span)?;
                self.expect("intmask() needs an int", &args[0], args[0].is_intlike(), span)?;
                Ok(S::int())
            }
            Builtin::Ovfcheck => {
                self.arity(name, args, 1, 1, span)?;
                let ok = args[0].is_intlike() && !args[0].is_unsigned();
                self.expect("ovfcheck() needs a signed int operation", &args[0], ok, span)?;
                Ok(S::int())
            }
            Builtin::WeAreTranslated => Ok(S::Bool { konst: Some(true) }),
            Builtin::WeAreJitted => Ok(S::bool()),
            Builtin::Promote => {
                self.arity(name, args, 1, 1, span)?;
                Ok(args[0].clone())
            }
            Builtin::PromoteString => {
                self.arity(name, args, 1, 1, span)?;
                self.expect("promote_string() needs a str", &args[0], args[0].is_stringlike(), span)?;
                Ok(args[0].clone())
            }
            // `hint(x)`, or `hint(x, "flag,...")` as the flowspace rewrites keywords.
            Builtin::Hint => {
                self.arity(name, args, 1, 2, span)?;
                Ok(args[0].clone())
            }
            Builtin::IsConstant | Builtin::IsVirtual => {
                self.arity(name, args, 1, 1, span)?;
                Ok(S::bool())
            }
            Builtin::AssertGreen => {
                self.arity(name, args, 1, 1, span)?;
                Ok(S::None_)
            }
            Builtin::JitMergePoint | Builtin::CanEnterJit | Builtin::SetParam => Ok(S::None_),
            Builtin::OsWrite => {
                self.arity(name, args, 2, 2, span)?;
                self.expect("the file descriptor must be an int", &args[0], args[0].is_intlike(), span)?;
                if matches!(args[1], S::Bytes { .. }) {
                    return Ok(S::nonneg_int());
                }
                let ok = args[1].is_stringlike() && !args[1].can_be_none();
                self.expect("kiln.os.write() writes a str", &args[1], ok, span)?;
                Ok(S::nonneg_int())
            }
            Builtin::OsRead => {
                self.arity(name, args, 2, 2, span)?;
                let ok = args[0].is_intlike() && args[1].is_intlike();
                self.expect("kiln.os.read(fd, n) takes two ints", &args[0], ok, span)?;
                Ok(S::str())
            }
            // CPython 3's `os.read`: the bytes read, which may be any bytes.
            Builtin::OsReadBytes => {
                self.arity(name, args, 2, 2, span)?;
                let ok = args[0].is_intlike() && args[1].is_intlike();
                self.expect("os.read(fd, n) takes two ints", &args[0], ok, span)?;
                Ok(S::Bytes { konst: None, ascii: false })
            }
            Builtin::OsOpen => {
                self.arity(name, args, 2, 3, span)?;
                if args[0].is_stringlike() && args[0].can_be_none() && !matches!(args[0], S::None_) {
                    // A path that may be None: a null check raising CPython's TypeError.
                    return Err(self.none_error(g, "os.open()", &op.args[1], span));
                }
                let ok = args[0].is_stringlike() && !args[0].can_be_none();
                self.expect("kiln.os.open() takes a path str", &args[0], ok, span)?;
                for a in &args[1..] {
                    self.expect("open flags and mode are ints", a, a.is_intlike(), span)?;
                }
                Ok(S::nonneg_int())
            }
            Builtin::OsClose => {
                self.arity(name, args, 1, 1, span)?;
                self.expect("close() takes a file descriptor", &args[0], args[0].is_intlike(), span)?;
                Ok(S::None_)
            }
            Builtin::OrderedDict => {
                self.arity("OrderedDict", args, 0, 0, span)?;
                let def = self.new_dict_at(site);
                if !self.ordered_dicts.contains(&def) {
                    self.ordered_dicts.push(def);
                }
                Ok(S::Dict { def: DictDefId(def), can_be_none: false })
            }
            Builtin::OsReadFile => {
                self.arity(name, args, 1, 1, span)?;
                if args[0].is_stringlike() && args[0].can_be_none() && !matches!(args[0], S::None_) {
                    return Err(self.none_error(g, "read_file()", &op.args[1], span));
                }
                let ok = args[0].is_stringlike() && !args[0].can_be_none();
                self.expect("read_file() takes a path str", &args[0], ok, span)?;
                Ok(S::str())
            }
            Builtin::TimeTime | Builtin::TimeClock => {
                self.arity(name, args, 0, 0, span)?;
                Ok(S::float())
            }
            Builtin::RgcCollect | Builtin::RgcDisable | Builtin::RgcEnable => {
                self.arity(name, args, 0, 0, span)?;
                Ok(S::None_)
            }
            Builtin::RgcIsenabled => {
                self.arity(name, args, 0, 0, span)?;
                Ok(S::bool())
            }
            Builtin::MathSqrt | Builtin::MathSin | Builtin::MathCos | Builtin::MathTan | Builtin::MathExp | Builtin::MathLog | Builtin::MathFabs => {
                self.arity(name, args, 1, 1, span)?;
                self.expect(&format!("{name}() needs a number"), &args[0], args[0].is_numeric(), span)?;
                Ok(S::float())
            }
            Builtin::MathFloor | Builtin::MathCeil => {
                self.arity(name, args, 1, 1, span)?;
                self.expect(&format!("{name}() needs a number"), &args[0], args[0].is_numeric(), span)?;
                Ok(S::int())
            }
            Builtin::MathIsnan | Builtin::MathIsinf => {
                self.arity(name, args, 1, 1, span)?;
                self.expect(&format!("{name}() needs a number"), &args[0], args[0].is_numeric(), span)?;
                Ok(S::bool())
            }
            Builtin::MathAtan2 | Builtin::MathPow | Builtin::MathFmod | Builtin::MathCopysign => {
                self.arity(name, args, 2, 2, span)?;
                for a in args {
                    self.expect(&format!("{name}() needs numbers"), a, a.is_numeric(), span)?;
                }
                Ok(S::float())
            }
            Builtin::Issubclass | Builtin::Hasattr | Builtin::Getattr | Builtin::Setattr | Builtin::Super | Builtin::Id => {
                let mut d = Diagnostic::error("E0322", format!("{name}() is not supported in run-time code")).with_primary(span, "here").with_note("it can be used at import time, where Python's full semantics apply");
                if matches!(b, Builtin::Hasattr) {
                    // Python's answer depends on whether this very instance was assigned the
                    // attribute yet; a translated instance has every field of its class.
                    d = d.with_note("an instance's attributes are fields that every instance of its class has, so whether one was assigned cannot be asked at run time: use isinstance(), or a field set to None");
                }
                Err(d)
            }
            Builtin::StaticMethod
            | Builtin::SpecializeArgtype
            | Builtin::SpecializeArg
            | Builtin::SpecializeMemo
            | Builtin::UnrollingIterable
            | Builtin::NotRpython
            | Builtin::AlwaysInline
            | Builtin::Elidable
            | Builtin::UnrollSafe
            | Builtin::DontLookInside
            | Builtin::LookInside => Err(Diagnostic::error("E0322", format!("{name}() is for import time")).with_primary(span, "called from run-time code").with_note("decorators and hint constructors run while the program is imported")),
            Builtin::Unbound => Err(Diagnostic::internal("the flowspace's unbound-local marker was called").with_primary(span, "here")),
        }
    }

    /// The classes of an `isinstance` second argument: a class or a constant tuple of
    /// classes (built-in types are allowed too).
    fn class_tuple(&mut self, o: &Opnd, span: Span) -> Result<Vec<ObjId>, Diagnostic> {
        let bad = || Diagnostic::error("E0323", "isinstance() needs a class or a tuple of classes known at translation time").with_primary(span, "here");
        let is_class = |a: &Self, o: ObjId| matches!(a.prog.heap.get(o), Object::Class(_) | Object::BuiltinType(_));
        if let Opnd::Var(v) = o {
            // A tuple display of constant classes: `isinstance(x, (A, B))`.
            if let SomeValue::Tuple(items) = self.binding(self.cur.0, *v) {
                return items.iter().map(|i| i.const_value().and_then(|v| v.as_obj()).filter(|o| is_class(self, *o)).ok_or_else(bad)).collect();
            }
        }
        let Opnd::Const(Value::Obj(c)) = o else { return Err(bad()) };
        match self.prog.heap.get(*c) {
            Object::Class(_) | Object::BuiltinType(_) => Ok(vec![*c]),
            Object::Tuple(items) => items.iter().map(|i| i.as_obj().filter(|o| matches!(self.prog.heap.get(*o), Object::Class(_) | Object::BuiltinType(_))).ok_or_else(bad)).collect(),
            _ => Err(bad()),
        }
    }

    /// `isinstance(x, classes)`: a constant when the annotation decides it, otherwise a
    /// bool that narrows `x` on the true side.
    pub(crate) fn isinstance_result(&mut self, g: GraphId, o: &Opnd, x: &SomeValue, classes: &[ObjId], result: Var) -> Result<SomeValue, Diagnostic> {
        use SomeValue as S;
        let mut narrowed: Option<SomeValue> = None;
        let mut always = false;
        if let S::Float { boolish: true, intish: false, .. } = x {
            // A NaN-boxed bool or a float, told apart at run time; narrowed to the one
            // or the other on each side.
            let tests = |k: BuiltinType| classes.iter().any(|c| matches!(self.prog.heap.get(*c), Object::BuiltinType(t) if *t == k));
            let float = tests(BuiltinType::Float);
            let boolean = tests(BuiltinType::Int) || tests(BuiltinType::Bool);
            return Ok(match (float, boolean) {
                (true, true) => S::Bool { konst: Some(true) },
                (false, false) => S::Bool { konst: Some(false) },
                (float, _) => {
                    let (yes, no) = if float { (S::float(), S::bool()) } else { (S::bool(), S::float()) };
                    if let Opnd::Var(v) = o {
                        self.knowntypes.insert((g, result), KnownTypes { on_true: vec![(*v, yes)], on_false: vec![(*v, no)] });
                    }
                    S::bool()
                }
            });
        }
        for &c in classes {
            match self.prog.heap.get(c) {
                Object::BuiltinType(t) => {
                    let span = self.cur_span;
                    self.check_type_tested(g, o, x, *t, span)?;
                    let m = match t {
                        BuiltinType::Int => x.is_intlike(),
                        BuiltinType::Bool => matches!(x, S::Bool { .. }),
                        BuiltinType::Float => matches!(x, S::Float { .. }),
                        BuiltinType::Str => x.is_stringlike(),
                        BuiltinType::List => matches!(x, S::List { .. }),
                        BuiltinType::Dict => matches!(x, S::Dict { .. }),
                        BuiltinType::Tuple => matches!(x, S::Tuple(_)),
                        BuiltinType::RUint => x.is_unsigned(),
                    };
                    if m && !x.can_be_none() {
                        always = true;
                    } else if m {
                        narrowed = Some(x.nonnull());
                    }
                }
                Object::Class(_) => {
                    let S::Instance { class, .. } = x else { continue };
                    let cd = self.classdef(c);
                    if self.is_subclassdef(*class, cd) {
                        if x.can_be_none() {
                            narrowed = Some(x.nonnull());
                        } else {
                            always = true;
                        }
                    } else if self.is_subclassdef(cd, *class) {
                        let n = S::Instance { class: cd, can_be_none: false, konst: None };
                        narrowed = Some(match narrowed {
                            Some(prev) => self.union(&prev, &n).unwrap_or(S::Instance { class: *class, can_be_none: false, konst: None }),
                            None => n,
                        });
                    }
                }
                _ => {}
            }
        }
        if always {
            return Ok(S::Bool { konst: Some(true) });
        }
        match narrowed {
            None => Ok(S::Bool { konst: Some(false) }),
            Some(n) => {
                if let Opnd::Var(v) = o {
                    self.knowntypes.insert((g, result), KnownTypes { on_true: vec![(*v, n)], on_false: Vec::new() });
                }
                Ok(S::bool())
            }
        }
    }

    pub(crate) fn type_call(&mut self, g: GraphId, site: OpLoc, op: &Operation<Hl>, t: BuiltinType, all: &[SomeValue], kwnames: &[Arc<str>]) -> Result<SomeValue, Diagnostic> {
        let span = op.span;
        if !kwnames.is_empty() {
            return Err(Diagnostic::error("E0320", format!("{}() takes no keyword arguments in RPy", t.name())).with_primary(span, "here"));
        }
        let args = all;
        use SomeValue as S;
        match t {
            BuiltinType::Int => {
                self.arity("int", args, 0, 2, span)?;
                if args.is_empty() {
                    return Ok(S::Int { nonneg: true, unsigned: false, konst: Some(0), boolish: false });
                }
                if args.len() == 2 {
                    if args[0].is_stringlike() && args[0].can_be_none() && !matches!(args[0], S::None_) && args[1].is_intlike() {
                        return Err(self.none_error(g, "int(s, base)", &op.args[1], span));
                    }
                    let ok = args[0].is_stringlike() && !args[0].can_be_none() && args[1].is_intlike();
                    self.expect("int(s, base) takes a str and an int", &args[0], ok, span)?;
                    return Ok(S::int());
                }
                if args[0].is_stringlike() && args[0].can_be_none() && !matches!(args[0], S::None_) {
                    // A str that may be None: a null check raising CPython's TypeError.
                    return Err(self.none_error(g, "int()", &op.args[1], span));
                }
                let ok = args[0].is_numeric() || (args[0].is_stringlike() && !args[0].can_be_none());
                self.expect("int() converts a number or a str", &args[0], ok, span)?;
                Ok(S::Int { nonneg: args[0].is_nonneg(), unsigned: false, konst: None, boolish: false })
            }
            BuiltinType::RUint => {
                self.arity("r_uint", args, 1, 1, span)?;
                self.expect("r_uint() converts an int", &args[0], args[0].is_intlike(), span)?;
                Ok(S::Int { nonneg: true, unsigned: true, konst: None, boolish: false })
            }
            BuiltinType::Float => {
                self.arity("float", args, 0, 1, span)?;
                if let Some(a) = args.first() {
                    if a.is_stringlike() && a.can_be_none() && !matches!(a, S::None_) {
                        return Err(self.none_error(g, "float()", &op.args[1], span));
                    }
                    let ok = a.is_numeric() || (a.is_stringlike() && !a.can_be_none());
                    self.expect("float() converts a number or a str", a, ok, span)?;
                }
                Ok(S::float())
            }
            BuiltinType::Bool => {
                self.arity("bool", args, 0, 1, span)?;
                Ok(S::bool())
            }
            BuiltinType::Str => {
                self.arity("str", args, 0, 1, span)?;
                if let (Some(S::Bytes { .. }), 1) = (args.first(), args.len()) {
                    return Ok(S::str());
                }
                if let Some(a) = args.first() {
                    self.check_str_arg(a, span)?;
                    self.check_exc_repr(a, false, span)?;
                    self.check_bool_shown(g, &op.args[1], a, span, "str() of")?;
                }
                Ok(S::str())
            }
            BuiltinType::List => {
                self.arity("list", args, 0, 1, span)?;
                let def = self.new_list_at(site);
                if let Some(S::Bytes { .. }) = args.first() {
                    return Err(crate::bytes::unsupported("list() of bytes", span).with_note("loop over the bytes (for x in b: ...) to collect their ints"));
                }
                if let Some(a) = args.first() {
                    let it = self.iter_of(g, &op.args[1], a, span)?;
                    let S::Iterator { kind, source } = &it else { return Ok(S::Object) };
                    let item = self.iter_item(*kind, source);
                    // An empty source (a dict nothing is ever stored in) still gives a
                    // list, an empty one; the item type joins later if the source
                    // ever gets one, since this operation is a reader of the source.
                    if let Err(m) = self.list_generalize(def, item, span) {
                        return Err(Diagnostic::error("E0302", format!("list() mixes {} and {}", m.a, m.b)).with_primary(span, "here"));
                    }
                }
                Ok(S::List { def: ListDefId(def), can_be_none: false })
            }
            BuiltinType::Dict => {
                self.arity("dict", args, 0, 0, span)?;
                let def = self.new_dict_at(site);
                Ok(S::Dict { def: DictDefId(def), can_be_none: false })
            }
            BuiltinType::Tuple => {
                self.arity("tuple", args, 1, 1, span)?;
                match &args[0] {
                    S::Tuple(_) => Ok(args[0].clone()),
                    a => {
                        let a = a.clone();
                        self.expect("tuple() of a variable sequence has no fixed length in RPy", &a, false, span).map(|_| S::Object)
                    }
                }
            }
        }
    }
}
