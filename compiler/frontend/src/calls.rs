//! The evaluator's built-in operations: calls of built-in functions and types, attribute
//! and item access on import-time values, and iteration.

use std::sync::Arc;

use kiln_diagnostics::{Diagnostic, Span};

use crate::builtins::{self, Builtin, BuiltinType};
use crate::eval::{unsupported, Evaluator, Exc, R};
use crate::ops::{self, BinOp, CmpOp, PyErr};
use crate::value::*;

impl<'l> Evaluator<'l> {
    pub(crate) fn call_type(&mut self, t: BuiltinType, args: Vec<Value>, span: Span) -> R<Value> {
        if let (BuiltinType::Str, Some(v)) = (t, args.first()) {
            self.check_shown(v, span, "str()")?;
        }
        let heap = &self.p.heap;
        let arg = args.first().cloned();
        let v = match (t, arg) {
            (BuiltinType::Int, None) => Value::Int(0),
            (BuiltinType::Int, Some(Value::Str(s))) => {
                let base = match args.get(1) {
                    Some(Value::Int(b)) => *b as u32,
                    _ => 10,
                };
                let clean: String = s.trim().replace('_', "");
                match i64::from_str_radix(&clean, base) {
                    Ok(i) => Value::Int(i),
                    Err(_) => {
                        let r = ops::str_repr(&s);
                        return Err(self.raise("ValueError", format!("invalid literal for int() with base {base}: {r}"), span));
                    }
                }
            }
            (BuiltinType::Int, Some(Value::Int(i))) => Value::Int(i),
            // r_uint(x) wraps x modulo 2**64 (rarithmetic's r_uint).
            (BuiltinType::RUint, Some(Value::Int(i))) => Value::UInt(i as u64),
            (BuiltinType::RUint, Some(Value::UInt(u))) => Value::UInt(u),
            (BuiltinType::RUint, Some(Value::Bool(b))) => Value::UInt(b as u64),
            (BuiltinType::Int, Some(Value::UInt(u))) => match i64::try_from(u) {
                Ok(i) => Value::Int(i),
                Err(_) => return Err(self.raise("OverflowError", format!("int() of r_uint({u}) at import time: above sys.maxint (use intmask)"), span)),
            },
            (BuiltinType::Float, Some(Value::UInt(u))) => Value::Float(u as f64),
            (BuiltinType::Int, Some(Value::Bool(b))) => Value::Int(b as i64),
            (BuiltinType::Int, Some(Value::Float(f))) => {
                if !f.is_finite() || f.abs() >= 9.2e18 {
                    return Err(self.raise("OverflowError", "cannot convert float to a 64-bit int", span));
                }
                Value::Int(f.trunc() as i64)
            }
            (BuiltinType::Float, None) => Value::Float(0.0),
            (BuiltinType::Float, Some(Value::Int(i))) => Value::Float(i as f64),
            (BuiltinType::Float, Some(Value::Float(f))) => Value::Float(f),
            (BuiltinType::Float, Some(Value::Bool(b))) => Value::Float(b as i64 as f64),
            (BuiltinType::Float, Some(Value::Str(s))) => match s.trim().parse::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) => {
                    let r = ops::str_repr(&s);
                    return Err(self.raise("ValueError", format!("could not convert string to float: {r}"), span));
                }
            },
            (BuiltinType::Str, None) => Value::str(""),
            (BuiltinType::Str, Some(v)) => Value::str(&ops::to_str(heap, &v)),
            (BuiltinType::Bool, None) => Value::Bool(false),
            (BuiltinType::Bool, Some(v)) => Value::Bool(ops::truth(heap, &v)),
            (BuiltinType::List, None) => Value::Obj(self.p.heap.alloc(Object::List(Vec::new()))),
            (BuiltinType::List, Some(v)) => {
                let items = self.iterate(&v, span)?;
                Value::Obj(self.p.heap.alloc(Object::List(items)))
            }
            (BuiltinType::Tuple, None) => Value::Obj(self.p.heap.alloc(Object::Tuple(Vec::new()))),
            (BuiltinType::Tuple, Some(v)) => {
                let items = self.iterate(&v, span)?;
                Value::Obj(self.p.heap.alloc(Object::Tuple(items)))
            }
            (BuiltinType::Dict, None) => Value::Obj(self.p.heap.alloc(Object::Dict(Dict::default()))),
            (BuiltinType::Dict, Some(v)) => {
                let pairs = self.iterate(&v, span)?;
                let mut d = Dict::default();
                for p in pairs {
                    let kv = self.iterate(&p, span)?;
                    if kv.len() != 2 {
                        return Err(self.raise("ValueError", "dictionary update sequence element has wrong length", span));
                    }
                    let k = ops::hash_key(&self.p.heap, &kv[0]).map_err(|e| self.py(e, span))?;
                    d.entries.insert(k, (kv[0].clone(), kv[1].clone()));
                }
                Value::Obj(self.p.heap.alloc(Object::Dict(d)))
            }
            (t, Some(v)) => {
                let tn = self.p.heap.type_name(&v);
                return Err(self.raise("TypeError", format!("{}() argument must be a string or a number, not '{tn}'", t.name()), span));
            }
            (BuiltinType::RUint, None) => Value::UInt(0),
        };
        Ok(v)
    }

    pub(crate) fn set_hint(&mut self, args: &[Value], span: Span, set: impl FnOnce(&mut FuncHints)) -> R<Value> {
        match args {
            [Value::Obj(f)] if self.p.heap.function(*f).is_some() => {
                if let Object::Function(func) = self.p.heap.get_mut(*f) {
                    set(&mut func.hints);
                }
                Ok(args[0].clone())
            }
            [v] if matches!(v, Value::Obj(o) if matches!(self.p.heap.get(*o), Object::Class(_))) => Ok(v.clone()),
            _ => Err(self.raise("TypeError", "this decorator applies to a function", span)),
        }
    }

    /// `JitDriver(**kwargs)`, or an instance of a `JitDriver` subclass `class` whose class
    /// attributes `greens`, `reds`, `virtualizables` are the defaults.
    pub(crate) fn make_jitdriver(&mut self, class: Option<ObjId>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        let mut info = builtins::new_jitdriver(span);
        let mut given: Vec<(Arc<str>, Value)> = Vec::new();
        if let Some(c) = class {
            for k in ["greens", "reds", "virtualizables"] {
                if let Some((_, v)) = self.p.heap.class_lookup(c, k) {
                    if v != Value::None {
                        given.push((Arc::from(k), v));
                    }
                }
            }
        }
        for (k, v) in kwargs {
            given.retain(|(x, _)| *x != k);
            given.push((k, v));
        }
        for (k, v) in &given {
            let names = |s: &mut Self| -> R<Vec<Arc<str>>> {
                let items = s.iterate(v, span)?;
                items
                    .into_iter()
                    .map(|i| match i {
                        Value::Str(n) => Ok(n),
                        _ => Err(s.raise("TypeError", "JitDriver variable names must be strings", span)),
                    })
                    .collect()
            };
            match &**k {
                "greens" => info.greens = names(self)?,
                "reds" => {
                    if matches!(v, Value::Str(s) if &**s == "auto") {
                        info.reds_auto = true;
                    } else {
                        info.reds = names(self)?;
                    }
                }
                "virtualizables" => info.virtualizables = names(self)?,
                "get_printable_location" => info.get_printable_location = Some(v.clone()),
                "name" => {
                    info.name = ops::to_str(&self.p.heap, v);
                    info.named = true;
                }
                // Functions the JIT calls: the translator checks and translates them, or
                // says it cannot.
                "get_jitcell_at" | "set_jitcell_at" | "confirm_enter_jit" | "can_never_inline" | "should_unroll_one_iteration" | "get_unique_id" | "get_location" => {
                    if *v != Value::None {
                        info.callbacks.push((k.clone(), v.clone()));
                    }
                }
                "is_recursive" => info.is_recursive = ops::truth(&self.p.heap, v),
                // Accepted as RPython does: they change nothing a program can observe
                // (`check_untranslated` is for untranslated runs; Kiln's JIT does not
                // vectorize).
                "check_untranslated" | "vectorize" | "vec_cost" => {}
                other => return Err(self.raise("TypeError", format!("JitDriver() got an unexpected keyword argument '{other}'"), span)),
            }
        }
        if !given.iter().any(|(k, _)| &**k == "greens") {
            return Err(self.raise("TypeError", "JitDriver needs greens=[...]", span));
        }
        if !given.iter().any(|(k, _)| &**k == "reds") {
            return Err(self.raise("TypeError", "JitDriver needs reds=[...] or reds='auto'", span));
        }
        if let Some(both) = info.greens.iter().find(|g| info.reds.contains(g)) {
            return Err(self.raise("TypeError", format!("JitDriver names are both green and red: ['{both}']"), span));
        }
        Ok(Value::Obj(self.p.heap.alloc(Object::JitDriver(info))))
    }

    pub(crate) fn call_builtin(&mut self, b: Builtin, args: Vec<Value>, kwargs: Vec<(Arc<str>, Value)>, span: Span) -> R<Value> {
        let nargs = args.len();
        let want = |n: usize| -> Result<(), String> {
            if nargs == n {
                Ok(())
            } else {
                Err(format!("{}() takes exactly {n} argument{} ({nargs} given)", b.name(), if n == 1 { "" } else { "s" }))
            }
        };
        macro_rules! arity {
            ($n:expr) => {
                if let Err(m) = want($n) {
                    return Err(self.raise("TypeError", m, span));
                }
            };
        }
        let heap_err = |s: &mut Self, e: PyErr| s.py(e, span);
        match b {
            Builtin::Len => {
                arity!(1);
                if let Some(n) = self.native_len(&args[0]) {
                    return Ok(Value::Int(n));
                }
                ops::len(&self.p.heap, &args[0]).map(Value::Int).map_err(|e| heap_err(self, e))
            }
            Builtin::Print => {
                for a in args.iter() {
                    self.check_shown(a, span, "print()")?;
                }
                let sep = kwargs.iter().find(|(k, _)| &**k == "sep").map_or(" ".to_string(), |(_, v)| ops::to_str(&self.p.heap, v));
                let end = kwargs.iter().find(|(k, _)| &**k == "end").map_or("\n".to_string(), |(_, v)| ops::to_str(&self.p.heap, v));
                let parts: Vec<String> = args.iter().map(|a| ops::to_str(&self.p.heap, a)).collect();
                let to_stderr = kwargs.iter().any(|(k, v)| &**k == "file" && matches!(v, Value::Obj(m) if self.p.heap.module(*m).is_some_and(|md| md.name == "sys.stderr")));
                if to_stderr {
                    use std::io::Write;
                    let _ = std::io::stdout().flush();
                    eprint!("{}{}", parts.join(&sep), end);
                } else {
                    print!("{}{}", parts.join(&sep), end);
                }
                Ok(Value::None)
            }
            Builtin::Range => {
                let ints: Vec<i64> = args
                    .iter()
                    .map(|a| match a {
                        Value::Int(i) => Ok(*i),
                        Value::Bool(b) => Ok(*b as i64),
                        _ => Err(()),
                    })
                    .collect::<Result<_, _>>()
                    .map_err(|_| self.raise("TypeError", "range() arguments must be integers", span))?;
                let (start, stop, step) = match ints.as_slice() {
                    [s] => (0, *s, 1),
                    [a, s] => (*a, *s, 1),
                    [a, s, st] => (*a, *s, *st),
                    _ => return Err(self.raise("TypeError", "range expected 1 to 3 arguments", span)),
                };
                if step == 0 {
                    return Err(self.raise("ValueError", "range() arg 3 must not be zero", span));
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::Range { start, stop, step })))
            }
            Builtin::Isinstance => {
                arity!(2);
                Ok(Value::Bool(self.isinstance(&args[0], &args[1])))
            }
            Builtin::Issubclass => {
                arity!(2);
                let r = match (&args[0], &args[1]) {
                    (Value::Obj(a), Value::Obj(c)) => self.p.heap.is_subclass(*a, *c),
                    _ => false,
                };
                Ok(Value::Bool(r))
            }
            Builtin::Abs => {
                arity!(1);
                match &args[0] {
                    Value::Int(i) => Ok(Value::Int(i.wrapping_abs())),
                    Value::Bool(b) => Ok(Value::Int(*b as i64)),
                    Value::Float(f) => Ok(Value::Float(f.abs())),
                    _ => Err(self.raise("TypeError", "bad operand type for abs()", span)),
                }
            }
            Builtin::Min | Builtin::Max => {
                let items = if nargs == 1 { self.iterate(&args[0], span)? } else { args.clone() };
                if items.is_empty() {
                    return Err(self.raise("ValueError", format!("{}() arg is an empty sequence", b.name()), span));
                }
                let mut best = items[0].clone();
                for it in &items[1..] {
                    let better = if b == Builtin::Min {
                        ops::compare(&self.p.heap, CmpOp::Lt, it, &best)
                    } else {
                        ops::compare(&self.p.heap, CmpOp::Gt, it, &best)
                    }
                    .map_err(|e| heap_err(self, e))?;
                    if better {
                        best = it.clone();
                    }
                }
                Ok(best)
            }
            Builtin::Sum => {
                let items = self.iterate(args.first().unwrap_or(&Value::None), span)?;
                let mut acc = args.get(1).cloned().unwrap_or(Value::Int(0));
                for it in items {
                    acc = ops::binary_op(&mut self.p.heap, BinOp::Add, &acc, &it).map_err(|e| heap_err(self, e))?;
                }
                Ok(acc)
            }
            Builtin::Any | Builtin::All => {
                arity!(1);
                let items = self.iterate(&args[0], span)?;
                let truths = items.iter().map(|i| ops::truth(&self.p.heap, i));
                Ok(Value::Bool(if b == Builtin::Any { truths.into_iter().any(|t| t) } else { truths.into_iter().all(|t| t) }))
            }
            Builtin::Ord => {
                arity!(1);
                match &args[0] {
                    Value::Str(s) if s.chars().count() == 1 => Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64))),
                    _ => Err(self.raise("TypeError", "ord() expected a character", span)),
                }
            }
            Builtin::Chr => {
                arity!(1);
                match &args[0] {
                    Value::Int(i) => match char::from_u32(*i as u32).filter(|_| (0..0x110000).contains(i)) {
                        Some(c) => Ok(Value::str(&c.to_string())),
                        None => Err(self.raise("ValueError", "chr() arg not in range(0x110000)", span)),
                    },
                    _ => Err(self.raise("TypeError", "an integer is required", span)),
                }
            }
            Builtin::Repr => {
                arity!(1);
                self.check_shown(&args[0], span, "repr()")?;
                Ok(Value::str(&ops::repr(&self.p.heap, &args[0])))
            }
            Builtin::Id => {
                arity!(1);
                Ok(Value::Int(match &args[0] {
                    Value::Obj(o) => o.0 as i64,
                    _ => 0,
                }))
            }
            Builtin::Hash | Builtin::ComputeHash => {
                arity!(1);
                use std::hash::{Hash, Hasher};
                let k = ops::hash_key(&self.p.heap, &args[0]).map_err(|e| heap_err(self, e))?;
                if let HashKey::Int(i) = k {
                    return Ok(Value::Int(i));
                }
                let mut h = std::collections::hash_map::DefaultHasher::new();
                k.hash(&mut h);
                Ok(Value::Int(h.finish() as i64))
            }
            Builtin::Enumerate => {
                let items = self.iterate(args.first().unwrap_or(&Value::None), span)?;
                let start = match args.get(1) {
                    Some(Value::Int(i)) => *i,
                    _ => 0,
                };
                let pairs = items.into_iter().enumerate().map(|(i, v)| Value::Obj(self.p.heap.alloc(Object::Tuple(vec![Value::Int(start + i as i64), v])))).collect();
                Ok(Value::Obj(self.p.heap.alloc(Object::Iterator(pairs))))
            }
            Builtin::Zip => {
                if args.is_empty() {
                    return Ok(Value::Obj(self.p.heap.alloc(Object::Iterator(Default::default()))));
                }
                self.zip_values(&args, span)
            }
            Builtin::Reversed => {
                arity!(1);
                let mut items = self.iterate(&args[0], span)?;
                items.reverse();
                Ok(Value::Obj(self.p.heap.alloc(Object::Iterator(items.into()))))
            }
            Builtin::Sorted => {
                let mut items = self.iterate(args.first().unwrap_or(&Value::None), span)?;
                let reverse = kwargs.iter().any(|(k, v)| &**k == "reverse" && ops::truth(&self.p.heap, v));
                let mut failed = None;
                items.sort_by(|a, b| match ops::compare(&self.p.heap, CmpOp::Lt, a, b) {
                    Ok(true) => std::cmp::Ordering::Less,
                    Ok(false) => match ops::compare(&self.p.heap, CmpOp::Lt, b, a) {
                        Ok(true) => std::cmp::Ordering::Greater,
                        _ => std::cmp::Ordering::Equal,
                    },
                    Err(e) => {
                        failed = Some(e);
                        std::cmp::Ordering::Equal
                    }
                });
                if let Some(e) = failed {
                    return Err(self.py(e, span));
                }
                if reverse {
                    items.reverse();
                }
                Ok(Value::Obj(self.p.heap.alloc(Object::List(items))))
            }
            Builtin::Divmod => {
                arity!(2);
                let q = ops::binary_op(&mut self.p.heap, BinOp::FloorDiv, &args[0], &args[1]).map_err(|e| heap_err(self, e))?;
                let r = ops::binary_op(&mut self.p.heap, BinOp::Mod, &args[0], &args[1]).map_err(|e| heap_err(self, e))?;
                Ok(Value::Obj(self.p.heap.alloc(Object::Tuple(vec![q, r]))))
            }
            Builtin::Hasattr => {
                arity!(2);
                let Value::Str(name) = &args[1] else { return Err(self.raise("TypeError", "hasattr(): attribute name must be string", span)) };
                Ok(Value::Bool(self.getattr(&args[0], name, span).is_ok()))
            }
            Builtin::Getattr => {
                let Some(Value::Str(name)) = args.get(1) else { return Err(self.raise("TypeError", "getattr(): attribute name must be string", span)) };
                match self.getattr(&args[0], name, span) {
                    Ok(v) => Ok(v),
                    Err(e) => match args.get(2) {
                        Some(d) => Ok(d.clone()),
                        None => Err(e),
                    },
                }
            }
            Builtin::Setattr => {
                arity!(3);
                let Value::Str(name) = &args[1] else { return Err(self.raise("TypeError", "setattr(): attribute name must be string", span)) };
                self.setattr(&args[0], name, args[2].clone(), span)?;
                Ok(Value::None)
            }
            Builtin::Iter => {
                arity!(1);
                let items = self.iterate(&args[0], span)?;
                Ok(Value::Obj(self.p.heap.alloc(Object::Iterator(items.into()))))
            }
            Builtin::Next => {
                let Some(Value::Obj(it)) = args.first() else { return Err(self.raise("TypeError", "next() expects an iterator", span)) };
                if let Some(r) = self.native_next(*it, span) {
                    return r;
                }
                let next = match self.p.heap.get_mut(*it) {
                    Object::Iterator(q) => q.pop_front(),
                    _ => return Err(self.raise("TypeError", "next() expects an iterator", span)),
                };
                match (next, args.get(1)) {
                    (Some(v), _) => Ok(v),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(self.raise("StopIteration", "", span)),
                }
            }
            Builtin::Super => Err(unsupported(span, "super() outside a method")),
            Builtin::StaticMethod => {
                arity!(1);
                Ok(Value::Obj(self.p.heap.alloc(Object::StaticMethod(args[0].clone()))))
            }
            Builtin::ExcInit => {
                let Some(Value::Obj(inst)) = args.first() else { return Err(self.raise("TypeError", "BaseException.__init__ needs an instance", span)) };
                let rest = args[1..].to_vec();
                let message = match rest.as_slice() {
                    [] => Value::None,
                    [one] => Value::str(&ops::to_str(&self.p.heap, one)),
                    _ => {
                        let t = self.p.heap.alloc(Object::Tuple(rest.clone()));
                        Value::str(&ops::to_str(&self.p.heap, &Value::Obj(t)))
                    }
                };
                let args_t = self.p.heap.alloc(Object::Tuple(rest));
                if let Object::Instance(i) = self.p.heap.get_mut(*inst) {
                    i.attrs.insert(Arc::from("message"), message);
                    i.attrs.insert(Arc::from("args"), Value::Obj(args_t));
                }
                Ok(Value::None)
            }
            Builtin::Intmask => {
                arity!(1);
                match &args[0] {
                    Value::Int(i) => Ok(Value::Int(*i)),
                    Value::UInt(u) => Ok(Value::Int(*u as i64)),
                    Value::Bool(b) => Ok(Value::Int(*b as i64)),
                    _ => Err(self.raise("TypeError", "intmask() expects an int", span)),
                }
            }
            Builtin::Ovfcheck => {
                arity!(1);
                if matches!(args[0], Value::UInt(_)) {
                    return Err(self.raise("TypeError", "ovfcheck() of an unsigned value: r_uint arithmetic never overflows", span));
                }
                Ok(args[0].clone())
            }
            Builtin::WeAreTranslated | Builtin::WeAreJitted | Builtin::IsConstant | Builtin::IsVirtual => Ok(Value::Bool(false)),
            Builtin::AssertGreen => Ok(Value::None),
            Builtin::SpecializeArgtype | Builtin::SpecializeArg => {
                let idx: Vec<usize> = args.iter().filter_map(|a| if let Value::Int(i) = a { Some(*i as usize) } else { None }).collect();
                if idx.len() != args.len() || idx.is_empty() {
                    return Err(self.raise("TypeError", format!("{}() takes argument positions (ints)", b.name()), span));
                }
                let s = if b == Builtin::SpecializeArgtype { Specialization::ArgType(idx) } else { Specialization::Arg(idx) };
                Ok(Value::Obj(self.p.heap.alloc(Object::Specializer(s))))
            }
            Builtin::SpecializeMemo => Ok(Value::Obj(self.p.heap.alloc(Object::Specializer(Specialization::Memo)))),
            Builtin::UnrollingIterable => {
                arity!(1);
                let items = self.iterate(&args[0], span)?;
                Ok(Value::Obj(self.p.heap.alloc(Object::UnrollingIterable(items))))
            }
            Builtin::NotRpython => self.set_hint(&args, span, |h| h.not_rpython = true),
            Builtin::AlwaysInline => self.set_hint(&args, span, |h| h.always_inline = true),
            Builtin::Elidable => self.set_hint(&args, span, |h| h.elidable = true),
            Builtin::UnrollSafe => self.set_hint(&args, span, |h| h.unroll_safe = true),
            Builtin::DontLookInside => self.set_hint(&args, span, |h| h.dont_look_inside = true),
            Builtin::LookInside => self.set_hint(&args, span, |h| h.look_inside = true),
            Builtin::Promote | Builtin::PromoteString | Builtin::Hint => Ok(args.first().cloned().unwrap_or(Value::None)),
            Builtin::SetParam | Builtin::JitMergePoint | Builtin::CanEnterJit => Ok(Value::None),
            Builtin::MathSqrt | Builtin::MathFloor | Builtin::MathCeil | Builtin::MathSin | Builtin::MathCos | Builtin::MathTan | Builtin::MathExp | Builtin::MathLog | Builtin::MathFabs | Builtin::MathIsnan | Builtin::MathIsinf => {
                arity!(1);
                let x = match &args[0] {
                    Value::Int(i) => *i as f64,
                    Value::Float(f) => *f,
                    Value::Bool(b) => *b as i64 as f64,
                    _ => return Err(self.raise("TypeError", "must be real number", span)),
                };
                Ok(match b {
                    Builtin::MathSqrt => Value::Float(x.sqrt()),
                    Builtin::MathFloor => Value::Int(x.floor() as i64),
                    Builtin::MathCeil => Value::Int(x.ceil() as i64),
                    Builtin::MathSin => Value::Float(x.sin()),
                    Builtin::MathCos => Value::Float(x.cos()),
                    Builtin::MathTan => Value::Float(x.tan()),
                    Builtin::MathExp => Value::Float(x.exp()),
                    Builtin::MathLog => Value::Float(x.ln()),
                    Builtin::MathFabs => Value::Float(x.abs()),
                    Builtin::MathIsnan => Value::Bool(x.is_nan()),
                    _ => Value::Bool(x.is_infinite()),
                })
            }
            Builtin::MathFmod | Builtin::MathCopysign => {
                arity!(2);
                let f = |v: &Value| match v {
                    Value::Int(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    Value::Bool(b) => Some(*b as i64 as f64),
                    _ => None,
                };
                match (f(&args[0]), f(&args[1])) {
                    (Some(x), Some(y)) if b == Builtin::MathCopysign => Ok(Value::Float(x.copysign(y))),
                    (Some(x), Some(y)) => match python_fmod(x, y) {
                        Some(r) => Ok(Value::Float(r)),
                        None => Err(self.raise("ValueError", "math domain error", span)),
                    },
                    _ => Err(self.raise("TypeError", "must be real number", span)),
                }
            }
            Builtin::MathAtan2 | Builtin::MathPow => {
                arity!(2);
                let f = |v: &Value| match v {
                    Value::Int(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    _ => None,
                };
                match (f(&args[0]), f(&args[1])) {
                    (Some(a), Some(c)) => Ok(Value::Float(if b == Builtin::MathPow { a.powf(c) } else { a.atan2(c) })),
                    _ => Err(self.raise("TypeError", "must be real number", span)),
                }
            }
            // The wall clock at import time, as CPython and RPython read it there: the
            // value is frozen into the binary like every import-time value (PySOM's
            // prebuilt universe records its start time so).
            Builtin::TimeTime => {
                arity!(0);
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
                Ok(Value::Float(now))
            }
            Builtin::OsWrite | Builtin::OsRead | Builtin::OsReadBytes | Builtin::OsOpen | Builtin::OsClose | Builtin::OsReadFile | Builtin::TimeClock | Builtin::RgcCollect | Builtin::RgcDisable | Builtin::RgcEnable | Builtin::RgcIsenabled => {
                Err(Exc::Diag(
                    Diagnostic::error("E0109", format!("{}() cannot be called at import time", b.name()))
                        .with_primary(span, "called while the program is being imported")
                        .with_note("I/O happens at run time: call it from a function reachable from entry_point"),
                ))
            }
            Builtin::OrderedDict => Err(Exc::Diag(
                Diagnostic::error("E0109", "collections.OrderedDict() cannot be called at import time")
                    .with_primary(span, "called while the program is being imported")
                    .with_note("Kiln's import-time dicts are plain dicts; make the OrderedDict at run time, or use a dict"),
            )),
            // Not reachable from source (no name spells it); a bug in Kiln if called.
            Builtin::Unbound => Err(Exc::Diag(Diagnostic::internal("the flowspace's unbound-local marker was called").with_primary(span, "here"))),
        }
    }

    pub(crate) fn isinstance(&self, v: &Value, cls: &Value) -> bool {
        let Value::Obj(c) = cls else { return false };
        match self.p.heap.get(*c) {
            Object::Tuple(items) => items.iter().any(|i| self.isinstance(v, i)),
            Object::Class(_) => match v {
                Value::Obj(o) => match self.p.heap.get(*o) {
                    Object::Instance(i) => self.p.heap.is_subclass(i.class, *c),
                    _ => *c == self.classes().object,
                },
                _ => *c == self.classes().object,
            },
            Object::BuiltinType(t) => match (t, v) {
                (BuiltinType::Int, Value::Int(_) | Value::UInt(_) | Value::Bool(_)) => true,
                (BuiltinType::RUint, Value::UInt(_)) => true,
                (BuiltinType::Bool, Value::Bool(_)) => true,
                (BuiltinType::Float, Value::Float(_)) => true,
                (BuiltinType::Str, Value::Str(_)) => true,
                (BuiltinType::List, Value::Obj(o)) => matches!(self.p.heap.get(*o), Object::List(_)),
                (BuiltinType::Dict, Value::Obj(o)) => matches!(self.p.heap.get(*o), Object::Dict(_)),
                (BuiltinType::Tuple, Value::Obj(o)) => matches!(self.p.heap.get(*o), Object::Tuple(_)),
                _ => false,
            },
            _ => false,
        }
    }

    // ----- attributes and items ----------------------------------------------------

    pub(crate) fn getattr(&mut self, obj: &Value, name: &str, span: Span) -> R<Value> {
        let found = crate::attrs::lookup_attr(&self.p.heap, obj, name);
        match found {
            Some(crate::attrs::Attr::Plain(v)) => Ok(v),
            Some(crate::attrs::Attr::Bind { func, receiver }) => Ok(Value::Obj(self.p.heap.alloc(Object::BoundMethod { func, receiver }))),
            Some(crate::attrs::Attr::BindBuiltin(b, receiver)) => {
                let func = Value::Obj(self.p.heap.alloc(Object::Builtin(b)));
                Ok(Value::Obj(self.p.heap.alloc(Object::BoundMethod { func, receiver })))
            }
            Some(crate::attrs::Attr::ValueMethod { receiver, name }) => Ok(Value::Obj(self.p.heap.alloc(Object::BuiltinMethod { receiver, name }))),
            None => {
                if let Value::Obj(o) = obj {
                    if let Some(v) = self.class_introspection(*o, name) {
                        return Ok(v);
                    }
                    if let Some(v) = self.version_info_field(*o, name) {
                        return Ok(v);
                    }
                    if let Some(v) = self.metaclass_attr(*o, name) {
                        return Ok(v);
                    }
                    if matches!(self.p.heap.get(*o), Object::Native(crate::native::Native::Func(crate::native::NativeFn::Chain))) && name == "from_iterable" {
                        return Ok(Value::Obj(self.p.heap.alloc(Object::Native(crate::native::Native::Func(crate::native::NativeFn::ChainFromIterable)))));
                    }
                    if let Object::Native(crate::native::Native::Set { .. } | crate::native::Native::Globals(_) | crate::native::Native::SysModules | crate::native::Native::Environ) = self.p.heap.get(*o) {
                        return Ok(Value::Obj(self.p.heap.alloc(Object::BuiltinMethod { receiver: obj.clone(), name: Arc::from(name) })));
                    }
                    if let Object::Super { after, receiver } = self.p.heap.get(*o).clone() {
                        // super() in a method: the receiver's class. In a metaclass's
                        // `__new__` the receiver is a subclass of the metaclass itself; in
                        // its `__init__`, a class made by it (look in its metaclass).
                        let cls = match &receiver {
                            Value::Obj(r) => match self.p.heap.get(*r) {
                                Object::Instance(i) => Some(i.class),
                                Object::Class(c) if self.p.heap.is_subclass(*r, after) => {
                                    let _ = c;
                                    Some(*r)
                                }
                                Object::Class(c) => Some(c.metaclass.unwrap_or(self.p.classes.get("type"))),
                                _ => None,
                            },
                            _ => None,
                        };
                        if let Some(cls) = cls {
                            let mro = self.p.heap.class(cls).map(|c| c.mro.clone()).unwrap_or_default();
                            let start = mro.iter().position(|c| *c == after).map_or(mro.len(), |i| i + 1);
                            for k in &mro[start..] {
                                if let Some(v) = self.p.heap.class(*k).and_then(|c| c.dict.get(name)).cloned() {
                                    return Ok(match &v {
                                        // `__new__` is a static method.
                                        Value::Obj(f) if name != "__new__" && matches!(self.p.heap.get(*f), Object::Function(_) | Object::Builtin(Builtin::ExcInit) | Object::Native(crate::native::Native::Func(crate::native::NativeFn::TypeInit))) => {
                                            Value::Obj(self.p.heap.alloc(Object::BoundMethod { func: v.clone(), receiver: receiver.clone() }))
                                        }
                                        _ => v,
                                    });
                                }
                            }
                        }
                    }
                }
                let d = self.p.heap.describe(obj);
                Err(self.raise("AttributeError", format!("{d} has no attribute '{name}'"), span))
            }
        }
    }

    /// The class attributes that describe the class itself (`__dict__`, `__base__`,
    /// `__bases__`, `__mro__`), which import-time code reads to generate methods.
    /// `__dict__` is a snapshot of the class's own namespace: CPython's is a read-only
    /// proxy, so the only difference would show if the class changed while the copy
    /// was still held.
    fn class_introspection(&mut self, o: ObjId, name: &str) -> Option<Value> {
        let Object::Class(c) = self.p.heap.get(o) else { return None };
        let object = self.classes().object;
        match name {
            "__dict__" => {
                let entries = c.dict.iter().map(|(k, v)| (HashKey::Str(k.clone()), (Value::Str(k.clone()), v.clone()))).collect();
                Some(Value::Obj(self.p.heap.alloc(Object::Dict(crate::value::Dict { entries }))))
            }
            "__base__" => Some(if o == object { Value::None } else { Value::Obj(c.bases.first().copied().unwrap_or(object)) }),
            "__bases__" => {
                let bases: Vec<Value> = if o == object {
                    Vec::new()
                } else if c.bases.is_empty() {
                    vec![Value::Obj(object)]
                } else {
                    c.bases.iter().map(|b| Value::Obj(*b)).collect()
                };
                Some(Value::Obj(self.p.heap.alloc(Object::Tuple(bases))))
            }
            "__mro__" => {
                let mro: Vec<Value> = c.mro.iter().map(|b| Value::Obj(*b)).collect();
                Some(Value::Obj(self.p.heap.alloc(Object::Tuple(mro))))
            }
            _ => None,
        }
    }

    /// An attribute a class gets from its metaclass, as CPython looks there after the
    /// class's own MRO: a method of the metaclass is bound to the class
    /// (`cls._initialize_node_class()` called from the metaclass's `__init__`).
    fn metaclass_attr(&mut self, o: ObjId, name: &str) -> Option<Value> {
        let meta = self.p.heap.class(o)?.metaclass?;
        let mro = self.p.heap.class(meta)?.mro.clone();
        let v = mro.iter().find_map(|k| self.p.heap.class(*k).and_then(|c| c.dict.get(name)).cloned())?;
        Some(match &v {
            Value::Obj(f) if matches!(self.p.heap.get(*f), Object::Function(_)) => Value::Obj(self.p.heap.alloc(Object::BoundMethod { func: v.clone(), receiver: Value::Obj(o) })),
            _ => v,
        })
    }

    /// `sys.version_info.major` and the other named fields of `sys.version_info`.
    fn version_info_field(&self, o: ObjId, name: &str) -> Option<Value> {
        let index = ["major", "minor", "micro", "releaselevel", "serial"].iter().position(|n| *n == name)?;
        let sys = *self.p.modules.get("sys")?;
        let vi = self.p.heap.module(sys)?.globals.get("version_info")?.as_obj()?;
        if vi != o {
            return None;
        }
        match self.p.heap.get(o) {
            Object::Tuple(items) => items.get(index).cloned(),
            _ => None,
        }
    }

    pub(crate) fn setattr(&mut self, obj: &Value, name: &str, v: Value, span: Span) -> R<()> {
        let key: Arc<str> = Arc::from(name);
        if let Value::Obj(o) = obj {
            match self.p.heap.get_mut(*o) {
                Object::Instance(i) => {
                    i.attrs.insert(key, v);
                    return Ok(());
                }
                Object::Class(c) => {
                    c.dict.insert(key, v);
                    return Ok(());
                }
                Object::Module(m) => {
                    m.globals.insert(key, v);
                    return Ok(());
                }
                Object::Function(f) => {
                    f.attrs.insert(key, v);
                    return Ok(());
                }
                _ => {}
            }
        }
        let d = self.p.heap.describe(obj);
        Err(self.raise("AttributeError", format!("cannot set attribute '{name}' of {d}"), span))
    }

    pub(crate) fn setitem(&mut self, obj: &Value, key: Value, v: Value, span: Span) -> R<()> {
        if let Some(r) = self.native_setitem(obj, &key, v.clone(), span) {
            return r;
        }
        let Value::Obj(o) = obj else {
            let t = self.p.heap.type_name(obj);
            return Err(self.raise("TypeError", format!("'{t}' object does not support item assignment"), span));
        };
        let hk = ops::hash_key(&self.p.heap, &key);
        match self.p.heap.get_mut(*o) {
            Object::List(items) => {
                let n = items.len() as i64;
                let Value::Int(i) = key else { return Err(self.raise("TypeError", "list indices must be integers", span)) };
                let j = if i < 0 { i + n } else { i };
                if !(0..n).contains(&j) {
                    return Err(self.raise("IndexError", "list assignment index out of range", span));
                }
                items[j as usize] = v;
                Ok(())
            }
            Object::Dict(_) => {
                let hk = match hk {
                    Ok(k) => k,
                    Err(e) => return Err(self.py(e, span)),
                };
                if let Object::Dict(d) = self.p.heap.get_mut(*o) {
                    match d.entries.get_mut(&hk) {
                        Some(slot) => slot.1 = v,
                        None => {
                            d.entries.insert(hk, (key, v));
                        }
                    }
                }
                Ok(())
            }
            _ => {
                let t = self.p.heap.type_name(obj);
                Err(self.raise("TypeError", format!("'{t}' object does not support item assignment"), span))
            }
        }
    }

    pub(crate) fn delitem(&mut self, obj: &Value, key: &Value, span: Span) -> R<()> {
        if let Some(r) = self.native_delitem(obj, key, span) {
            return r;
        }
        let hk = ops::hash_key(&self.p.heap, key);
        if let Value::Obj(o) = obj {
            match self.p.heap.get_mut(*o) {
                Object::List(items) => {
                    let n = items.len() as i64;
                    if let Value::Int(i) = key {
                        let j = if *i < 0 { i + n } else { *i };
                        if (0..n).contains(&j) {
                            items.remove(j as usize);
                            return Ok(());
                        }
                    }
                    return Err(self.raise("IndexError", "list assignment index out of range", span));
                }
                Object::Dict(d) => {
                    let hk = match hk {
                        Ok(k) => k,
                        Err(e) => return Err(self.py(e, span)),
                    };
                    if d.entries.shift_remove(&hk).is_some() {
                        return Ok(());
                    }
                    let r = ops::repr(&self.p.heap, key);
                    return Err(self.raise("KeyError", r, span));
                }
                _ => {}
            }
        }
        let t = self.p.heap.type_name(obj);
        Err(self.raise("TypeError", format!("'{t}' object does not support item deletion"), span))
    }

    /// The items of an iterable, materialised (import-time iteration is eager).
    pub(crate) fn iterate(&mut self, v: &Value, span: Span) -> R<Vec<Value>> {
        if let Some(r) = self.native_iterate(v, span) {
            return r;
        }
        match v {
            Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
            Value::Obj(o) => match self.p.heap.get_mut(*o) {
                Object::Tuple(items) | Object::List(items) | Object::UnrollingIterable(items) => Ok(items.clone()),
                Object::Dict(d) => Ok(d.entries.values().map(|(k, _)| k.clone()).collect()),
                Object::Range { start, stop, step } => {
                    let (start, step) = (*start, *step);
                    let n = ops::range_len(start, *stop, step);
                    if n > 10_000_000 {
                        return Err(Exc::Diag(Diagnostic::error("E0103", "range too large to iterate at import time").with_primary(span, "here")));
                    }
                    Ok((0..n).map(|i| Value::Int(start + i * step)).collect())
                }
                Object::Iterator(q) => Ok(std::mem::take(q).into_iter().collect()),
                _ => {
                    let t = self.p.heap.type_name(v);
                    Err(self.raise("TypeError", format!("'{t}' object is not iterable"), span))
                }
            },
            _ => {
                let t = self.p.heap.type_name(v);
                Err(self.raise("TypeError", format!("'{t}' object is not iterable"), span))
            }
        }
    }
}

/// `math.fmod(x, y)` as CPython computes it: C's `fmod`, except that an infinite `x` or
/// a zero `y` is a domain error (None), and an infinite `y` gives `x` back.
pub(crate) fn python_fmod(x: f64, y: f64) -> Option<f64> {
    if x.is_nan() || y.is_nan() {
        return Some(f64::NAN);
    }
    if x.is_infinite() || y == 0.0 {
        return None;
    }
    if y.is_infinite() {
        return Some(x);
    }
    Some(x % y)
}
