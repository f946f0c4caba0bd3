//! Python's operators on import-time values, with CPython's results and error messages.
//!
//! The evaluator uses these at import time, and the flowspace uses them to fold
//! operations whose operands are all constants, so a folded constant is exactly what the
//! operation would have computed. Ints are 64-bit: a result that does not fit is an
//! `OverflowError` here rather than a Python big int.

use std::sync::Arc;

use crate::value::{HashKey, Heap, ObjId, Object, Value};

/// A built-in exception raised by an operation: the class name and the message.
#[derive(Clone, Debug, PartialEq)]
pub struct PyErr {
    pub class: &'static str,
    pub msg: String,
}

pub type OpResult<T> = Result<T, PyErr>;

pub fn err<T>(class: &'static str, msg: impl Into<String>) -> OpResult<T> {
    Err(PyErr { class, msg: msg.into() })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }

    pub fn from_ast(op: ruff_python_ast::Operator) -> Option<BinOp> {
        use ruff_python_ast::Operator as O;
        Some(match op {
            O::Add => BinOp::Add,
            O::Sub => BinOp::Sub,
            O::Mult => BinOp::Mul,
            O::Div => BinOp::TrueDiv,
            O::FloorDiv => BinOp::FloorDiv,
            O::Mod => BinOp::Mod,
            O::Pow => BinOp::Pow,
            O::LShift => BinOp::LShift,
            O::RShift => BinOp::RShift,
            O::BitAnd => BinOp::BitAnd,
            O::BitOr => BinOp::BitOr,
            O::BitXor => BinOp::BitXor,
            O::MatMult => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn from_ast(op: ruff_python_ast::CmpOp) -> CmpOp {
        use ruff_python_ast::CmpOp as C;
        match op {
            C::Eq => CmpOp::Eq,
            C::NotEq => CmpOp::Ne,
            C::Lt => CmpOp::Lt,
            C::LtE => CmpOp::Le,
            C::Gt => CmpOp::Gt,
            C::GtE => CmpOp::Ge,
            C::Is => CmpOp::Is,
            C::IsNot => CmpOp::IsNot,
            C::In => CmpOp::In,
            C::NotIn => CmpOp::NotIn,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

/// Python's floor division of ints; the divisor is non-zero.
pub fn int_floordiv(a: i64, b: i64) -> i64 {
    if b == -1 {
        return a.wrapping_neg();
    }
    let q = a / b;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// Python's modulo of ints; the divisor is non-zero.
pub fn int_mod(a: i64, b: i64) -> i64 {
    if b == -1 {
        return 0;
    }
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}

/// Python's float modulo: the result has the divisor's sign.
pub fn float_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m + b
        } else {
            m
        }
    } else {
        0.0f64.copysign(b)
    }
}

/// Python's float floor division.
pub fn float_floordiv(a: f64, b: f64) -> f64 {
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let floordiv = div.floor();
        if div - floordiv > 0.5 {
            floordiv + 1.0
        } else {
            floordiv
        }
    } else {
        0.0f64.copysign(a / b)
    }
}

fn overflow<T>() -> OpResult<T> {
    err("OverflowError", "integer overflow: RPy ints are 64-bit")
}

fn as_number(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(*b as i64)),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::UInt(u) => Some(Num::UInt(*u)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Num {
    fn f(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::UInt(u) => u as f64,
            Num::Float(f) => f,
        }
    }

}

/// Two integer operands for a comparison: an int compared with an r_uint is first
/// wrapped to 64 bits (`r_uint(-1) == -1`, `r_uint(1) < -1`), as RPython and the
/// support package's `r_uint` compare; `None` when a float is involved.
fn int_pair(x: Num, y: Num) -> Option<(i128, i128)> {
    match (x, y) {
        (Num::Int(a), Num::Int(b)) => Some((a as i128, b as i128)),
        (Num::UInt(a), Num::UInt(b)) => Some((a as i128, b as i128)),
        (Num::UInt(a), Num::Int(b)) => Some((a as i128, b as u64 as i128)),
        (Num::Int(a), Num::UInt(b)) => Some((a as u64 as i128, b as i128)),
        _ => None,
    }
}

/// `r_uint` arithmetic: an operation with an r_uint operand and an int (or two r_uints)
/// gives an r_uint, the int taken modulo 2**64, and wraps (RPython's `rarithmetic`).
fn uint_binop(op: BinOp, a: u64, b: u64, b_signed: Option<i64>) -> OpResult<Value> {
    let r = match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::FloorDiv | BinOp::Mod => {
            if b == 0 {
                return err("ZeroDivisionError", "integer division or modulo by zero");
            }
            if op == BinOp::FloorDiv { a / b } else { a % b }
        }
        BinOp::TrueDiv => {
            if b == 0 {
                return err("ZeroDivisionError", "division by zero");
            }
            return Ok(Value::Float(a as f64 / b as f64));
        }
        // `**` on an r_uint is Python's int power (an unbounded int), not a wrapping
        // one: refused rather than wrapped.
        BinOp::Pow => return err("TypeError", "'**' with an r_uint operand is not supported: r_uint has no wrapping power"),
        BinOp::LShift | BinOp::RShift => {
            let n = b_signed.unwrap_or(b as i64);
            if n < 0 {
                return err("ValueError", "negative shift count");
            }
            match (op, n >= 64) {
                (_, true) => 0,
                (BinOp::LShift, false) => a << n,
                _ => a >> n,
            }
        }
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::BitXor => a ^ b,
    };
    Ok(Value::UInt(r))
}

pub fn binary_op(heap: &mut Heap, op: BinOp, a: &Value, b: &Value) -> OpResult<Value> {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return numeric_binop(op, x, y, matches!((a, b), (Value::Bool(_), Value::Bool(_))));
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => Ok(Value::Str(Arc::from(format!("{x}{y}")))),
        (BinOp::Add, Value::Bytes(x), Value::Bytes(y)) => Ok(Value::Bytes(x.iter().chain(y.iter()).copied().collect())),
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if as_int(n).is_some() => {
            let n = as_int(n).unwrap_or(0).max(0) as usize;
            Ok(Value::Str(Arc::from(s.repeat(n))))
        }
        (BinOp::Mod, Value::Str(fmt), Value::Obj(id)) if matches!(heap.get(*id), Object::Dict(_)) => {
            percent_mapping(heap, fmt, *id).map(|s| Value::Str(Arc::from(s)))
        }
        (BinOp::Mod, Value::Str(fmt), args) => {
            let r = match args {
                Value::Obj(id) => match heap.get(*id) {
                    Object::Tuple(items) => percent_format(heap, fmt, items),
                    _ => percent_single(heap, fmt, args),
                },
                _ => percent_single(heap, fmt, args),
            };
            r.map(|s| Value::Str(Arc::from(s)))
        }
        (_, Value::Obj(x), Value::Obj(y)) => match (op, heap.get(*x).clone(), heap.get(*y).clone()) {
            (BinOp::Add, Object::Tuple(p), Object::Tuple(q)) => Ok(Value::Obj(heap.alloc(Object::Tuple([p, q].concat())))),
            (BinOp::Add, Object::List(p), Object::List(q)) => Ok(Value::Obj(heap.alloc(Object::List([p, q].concat())))),
            _ => type_error(heap, op, a, b),
        },
        (BinOp::Mul, Value::Obj(x), n) | (BinOp::Mul, n, Value::Obj(x)) if as_int(n).is_some() => {
            let k = as_int(n).unwrap_or(0).max(0) as usize;
            match heap.get(*x).clone() {
                Object::Tuple(items) => Ok(Value::Obj(heap.alloc(Object::Tuple(repeat(&items, k))))),
                Object::List(items) => Ok(Value::Obj(heap.alloc(Object::List(repeat(&items, k))))),
                _ => type_error(heap, op, a, b),
            }
        }
        _ => type_error(heap, op, a, b),
    }
}

fn repeat(items: &[Value], k: usize) -> Vec<Value> {
    let mut out = Vec::with_capacity(items.len() * k);
    for _ in 0..k {
        out.extend(items.iter().cloned());
    }
    out
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn type_error<T>(heap: &Heap, op: BinOp, a: &Value, b: &Value) -> OpResult<T> {
    err("TypeError", format!("unsupported operand type(s) for {}: '{}' and '{}'", op.symbol(), heap.type_name(a), heap.type_name(b)))
}

fn numeric_binop(op: BinOp, x: Num, y: Num, both_bool: bool) -> OpResult<Value> {
    match (x, y) {
        (Num::UInt(a), Num::UInt(b)) => return uint_binop(op, a, b, None),
        (Num::UInt(a), Num::Int(b)) => return uint_binop(op, a, b as u64, Some(b)),
        // A shift's count keeps its type out of the result: `1 << r_uint(3)` is still
        // an r_uint in RPython (the left operand is converted), like every other op.
        (Num::Int(a), Num::UInt(b)) => return uint_binop(op, a as u64, b, None),
        _ => {}
    }
    if let (Num::Int(a), Num::Int(b)) = (x, y) {
        let r = match op {
            BinOp::Add => a.checked_add(b),
            BinOp::Sub => a.checked_sub(b),
            BinOp::Mul => a.checked_mul(b),
            BinOp::FloorDiv => {
                if b == 0 {
                    return err("ZeroDivisionError", "integer division or modulo by zero");
                }
                if a == i64::MIN && b == -1 {
                    None
                } else {
                    Some(int_floordiv(a, b))
                }
            }
            BinOp::Mod => {
                if b == 0 {
                    return err("ZeroDivisionError", "integer modulo by zero");
                }
                Some(int_mod(a, b))
            }
            BinOp::TrueDiv => {
                if b == 0 {
                    return err("ZeroDivisionError", "division by zero");
                }
                return Ok(Value::Float(a as f64 / b as f64));
            }
            BinOp::Pow => {
                if b < 0 {
                    if a == 0 {
                        return err("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                    }
                    return Ok(Value::Float((a as f64).powf(b as f64)));
                }
                let mut acc: i64 = 1;
                let mut ok = true;
                for _ in 0..b.min(200) {
                    match acc.checked_mul(a) {
                        Some(v) => acc = v,
                        None => {
                            ok = false;
                            break;
                        }
                    }
                    if acc == 0 || acc == 1 {
                        break;
                    }
                }
                if b >= 200 && acc != 0 && acc != 1 && acc != -1 {
                    ok = false;
                }
                if ok && acc == -1 && a == -1 {
                    acc = if b % 2 == 0 { 1 } else { -1 };
                }
                ok.then_some(acc)
            }
            BinOp::LShift => {
                if b < 0 {
                    return err("ValueError", "negative shift count");
                }
                if a == 0 {
                    Some(0)
                } else if b >= 64 {
                    None
                } else {
                    let r = a << b;
                    (r >> b == a).then_some(r)
                }
            }
            BinOp::RShift => {
                if b < 0 {
                    return err("ValueError", "negative shift count");
                }
                Some(if b >= 64 { if a < 0 { -1 } else { 0 } } else { a >> b })
            }
            BinOp::BitAnd => {
                if both_bool {
                    return Ok(Value::Bool((a & b) != 0));
                }
                Some(a & b)
            }
            BinOp::BitOr => {
                if both_bool {
                    return Ok(Value::Bool((a | b) != 0));
                }
                Some(a | b)
            }
            BinOp::BitXor => {
                if both_bool {
                    return Ok(Value::Bool((a ^ b) != 0));
                }
                Some(a ^ b)
            }
        };
        return r.map(Value::Int).map_or_else(overflow, Ok);
    }
    let (a, b) = (x.f(), y.f());
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::TrueDiv => {
            if b == 0.0 {
                return err("ZeroDivisionError", "float division by zero");
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return err("ZeroDivisionError", "float floor division by zero");
            }
            float_floordiv(a, b)
        }
        BinOp::Mod => {
            if b == 0.0 {
                return err("ZeroDivisionError", "float modulo");
            }
            float_mod(a, b)
        }
        BinOp::Pow => a.powf(b),
        _ => return err("TypeError", format!("unsupported operand type(s) for {}: 'float'", op.symbol())),
    }))
}

pub fn truth(heap: &Heap, v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::UInt(u) => *u != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Bytes(b) => !b.is_empty(),
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(t) | Object::List(t) => !t.is_empty(),
            Object::Dict(d) => !d.entries.is_empty(),
            Object::Range { start, stop, step } => range_len(*start, *stop, *step) > 0,
            Object::Native(crate::native::Native::Set { items, .. }) => !items.is_empty(),
            _ => true,
        },
    }
}

pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}

pub fn unary_neg(v: &Value) -> OpResult<Value> {
    match v {
        Value::Int(i) => i.checked_neg().map(Value::Int).map_or_else(overflow, Ok),
        Value::UInt(u) => Ok(Value::UInt(u.wrapping_neg())),
        Value::Bool(b) => Ok(Value::Int(-(*b as i64))),
        Value::Float(f) => Ok(Value::Float(-f)),
        _ => err("TypeError", "bad operand type for unary -"),
    }
}

pub fn unary_invert(v: &Value) -> OpResult<Value> {
    match v {
        Value::Int(i) => Ok(Value::Int(!i)),
        Value::UInt(u) => Ok(Value::UInt(!u)),
        Value::Bool(b) => Ok(Value::Int(!(*b as i64))),
        _ => err("TypeError", "bad operand type for unary ~"),
    }
}

/// Python's `==`.
pub fn equal(heap: &Heap, a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return match int_pair(x, y) {
            Some((p, q)) => p == q,
            None => x.f() == y.f(),
        };
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => {
            if x == y {
                return true;
            }
            match (heap.get(*x), heap.get(*y)) {
                (Object::Tuple(p), Object::Tuple(q)) | (Object::List(p), Object::List(q)) => {
                    p.len() == q.len() && p.iter().zip(q).all(|(i, j)| equal(heap, i, j))
                }
                (Object::Native(crate::native::Native::Set { items: p, .. }), Object::Native(crate::native::Native::Set { items: q, .. })) => {
                    p.len() == q.len() && p.keys().all(|k| q.contains_key(k))
                }
                (Object::Dict(p), Object::Dict(q)) => {
                    p.entries.len() == q.entries.len()
                        && p.entries.iter().all(|(k, (_, v))| q.entries.get(k).is_some_and(|(_, w)| equal(heap, v, w)))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Python's `is`, for values of this model: scalars by value, objects by identity.
pub fn is(a: &Value, b: &Value) -> bool {
    a == b
}

fn order(heap: &Heap, a: &Value, b: &Value) -> OpResult<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return Ok(match int_pair(x, y) {
            Some((p, q)) => p.cmp(&q),
            _ => x.f().partial_cmp(&y.f()).unwrap_or(Ordering::Equal),
        });
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Ok(x.cmp(y)),
        (Value::Obj(x), Value::Obj(y)) => match (heap.get(*x), heap.get(*y)) {
            (Object::Tuple(p), Object::Tuple(q)) | (Object::List(p), Object::List(q)) => {
                for (i, j) in p.iter().zip(q) {
                    if !equal(heap, i, j) {
                        return order(heap, i, j);
                    }
                }
                Ok(p.len().cmp(&q.len()))
            }
            _ => err("TypeError", format!("'<' not supported between instances of '{}' and '{}'", heap.type_name(a), heap.type_name(b))),
        },
        _ => err("TypeError", format!("'<' not supported between instances of '{}' and '{}'", heap.type_name(a), heap.type_name(b))),
    }
}

pub fn compare(heap: &Heap, op: CmpOp, a: &Value, b: &Value) -> OpResult<bool> {
    use std::cmp::Ordering::*;
    let nan = matches!(a, Value::Float(f) if f.is_nan()) || matches!(b, Value::Float(f) if f.is_nan());
    Ok(match op {
        CmpOp::Eq => equal(heap, a, b),
        CmpOp::Ne => !equal(heap, a, b),
        CmpOp::Is => is(a, b),
        CmpOp::IsNot => !is(a, b),
        CmpOp::Lt => !nan && order(heap, a, b)? == Less,
        CmpOp::Le => !nan && order(heap, a, b)? != Greater,
        CmpOp::Gt => !nan && order(heap, a, b)? == Greater,
        CmpOp::Ge => !nan && order(heap, a, b)? != Less,
        CmpOp::In => contains(heap, b, a)?,
        CmpOp::NotIn => !contains(heap, b, a)?,
    })
}

/// `item in container`.
pub fn contains(heap: &Heap, container: &Value, item: &Value) -> OpResult<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(sub) => Ok(s.contains(&**sub)),
            _ => err("TypeError", "'in <string>' requires string as left operand"),
        },
        Value::Bytes(b) => match item {
            Value::Bytes(sub) => Ok(sub.is_empty() || b.windows(sub.len()).any(|w| w == &**sub)),
            _ => match as_int(item) {
                Some(i) if (0..256).contains(&i) => Ok(b.contains(&(i as u8))),
                Some(_) => err("ValueError", "byte must be in range(0, 256)"),
                None => err("TypeError", format!("a bytes-like object is required, not '{}'", heap.type_name(item))),
            },
        },
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(items) | Object::List(items) | Object::UnrollingIterable(items) => Ok(items.iter().any(|x| equal(heap, x, item))),
            Object::Dict(d) => Ok(d.entries.contains_key(&hash_key(heap, item)?)),
            Object::Range { start, stop, step } => Ok(match item {
                Value::Int(i) => {
                    let n = range_len(*start, *stop, *step);
                    n > 0 && (i - start) % step == 0 && (0..n).contains(&((i - start) / step))
                }
                _ => false,
            }),
            _ => err("TypeError", format!("argument of type '{}' is not iterable", heap.type_name(container))),
        },
        _ => err("TypeError", format!("argument of type '{}' is not iterable", heap.type_name(container))),
    }
}

pub fn hash_key(heap: &Heap, v: &Value) -> OpResult<HashKey> {
    Ok(match v {
        Value::None => HashKey::None,
        Value::Bool(b) => HashKey::Int(*b as i64),
        Value::Int(i) => HashKey::Int(*i),
        Value::UInt(u) if *u <= i64::MAX as u64 => HashKey::Int(*u as i64),
        Value::UInt(_) => return err("TypeError", "an r_uint above sys.maxint as a dict key or set item at import time is not supported"),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                HashKey::Int(*f as i64)
            } else {
                HashKey::Float(f.to_bits())
            }
        }
        Value::Str(s) => HashKey::Str(s.clone()),
        Value::Bytes(b) => HashKey::Bytes(b.clone()),
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(items) => HashKey::Tuple(items.iter().map(|x| hash_key(heap, x)).collect::<OpResult<_>>()?),
            Object::List(_) | Object::Dict(_) | Object::Native(crate::native::Native::Set { .. }) => {
                return err("TypeError", format!("unhashable type: '{}'", heap.type_name(v)))
            }
            _ => HashKey::Ident(*id),
        },
    })
}

/// The number of code points of a string: what Python's `len` counts.
pub fn str_len(s: &str) -> i64 {
    s.chars().count() as i64
}

pub fn len(heap: &Heap, v: &Value) -> OpResult<i64> {
    match v {
        Value::Str(s) => Ok(str_len(s)),
        Value::Bytes(b) => Ok(b.len() as i64),
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(t) | Object::List(t) | Object::UnrollingIterable(t) => Ok(t.len() as i64),
            Object::Dict(d) => Ok(d.entries.len() as i64),
            Object::Range { start, stop, step } => Ok(range_len(*start, *stop, *step)),
            _ => err("TypeError", format!("object of type '{}' has no len()", heap.type_name(v))),
        },
        _ => err("TypeError", format!("object of type '{}' has no len()", heap.type_name(v))),
    }
}

fn norm_index(i: i64, n: i64) -> Option<usize> {
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

/// `container[index]` for an int, str or dict key index.
pub fn getitem(heap: &Heap, container: &Value, index: &Value) -> OpResult<Value> {
    match container {
        Value::Str(s) => {
            let i = as_int(index).ok_or_else(|| PyErr { class: "TypeError", msg: "string indices must be integers".into() })?;
            let n = str_len(s);
            match norm_index(i, n) {
                Some(j) => Ok(Value::str(&s.chars().nth(j).map(String::from).unwrap_or_default())),
                None => err("IndexError", "string index out of range"),
            }
        }
        Value::Bytes(b) => {
            let i = as_int(index).ok_or_else(|| PyErr { class: "TypeError", msg: format!("byte indices must be integers or slices, not {}", heap.type_name(index)) })?;
            match norm_index(i, b.len() as i64) {
                Some(j) => Ok(Value::Int(b[j] as i64)),
                None => err("IndexError", "index out of range"),
            }
        }
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(items) | Object::List(items) | Object::UnrollingIterable(items) => {
                let what = if matches!(heap.get(*id), Object::List(_)) { "list" } else { "tuple" };
                let i = as_int(index).ok_or_else(|| PyErr { class: "TypeError", msg: format!("{what} indices must be integers") })?;
                match norm_index(i, items.len() as i64) {
                    Some(j) => Ok(items[j].clone()),
                    None => err("IndexError", format!("{what} index out of range")),
                }
            }
            Object::Dict(d) => match d.entries.get(&hash_key(heap, index)?) {
                Some((_, v)) => Ok(v.clone()),
                None => err("KeyError", repr(heap, index)),
            },
            Object::Range { start, stop, step } => {
                let i = as_int(index).ok_or_else(|| PyErr { class: "TypeError", msg: "range indices must be integers".into() })?;
                match norm_index(i, range_len(*start, *stop, *step)) {
                    Some(j) => Ok(Value::Int(start + step * j as i64)),
                    None => err("IndexError", "range object index out of range"),
                }
            }
            _ => err("TypeError", format!("'{}' object is not subscriptable", heap.type_name(container))),
        },
        _ => err("TypeError", format!("'{}' object is not subscriptable", heap.type_name(container))),
    }
}

/// Resolves slice bounds the way CPython does for step 1.
pub fn slice_bounds(n: i64, start: Option<i64>, stop: Option<i64>) -> (usize, usize) {
    let fix = |v: i64| if v < 0 { (v + n).max(0) } else { v.min(n) };
    let a = start.map_or(0, fix);
    let b = stop.map_or(n, fix);
    (a as usize, b.max(a) as usize)
}

/// `container[start:stop:step]`.
pub fn getslice(heap: &mut Heap, container: &Value, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> OpResult<Value> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return err("ValueError", "slice step cannot be zero");
    }
    let pick = |n: i64| -> Vec<usize> {
        if step == 1 {
            let (a, b) = slice_bounds(n, start, stop);
            (a..b).collect()
        } else {
            let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
            let fix = |v: i64| if v < 0 { (v + n).max(lo) } else { v.min(hi) };
            let mut i = start.map_or(if step > 0 { 0 } else { n - 1 }, fix);
            let end = stop.map_or(if step > 0 { n } else { -1 }, fix);
            let mut out = Vec::new();
            while (step > 0 && i < end) || (step < 0 && i > end) {
                out.push(i as usize);
                i += step;
            }
            out
        }
    };
    match container {
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            let idx = pick(chars.len() as i64);
            Ok(Value::str(&idx.into_iter().map(|i| chars[i]).collect::<String>()))
        }
        Value::Bytes(b) => {
            let idx = pick(b.len() as i64);
            Ok(Value::Bytes(idx.into_iter().map(|i| b[i]).collect()))
        }
        Value::Obj(id) => match heap.get(*id).clone() {
            Object::Tuple(items) => {
                let idx = pick(items.len() as i64);
                Ok(Value::Obj(heap.alloc(Object::Tuple(idx.into_iter().map(|i| items[i].clone()).collect()))))
            }
            Object::List(items) => {
                let idx = pick(items.len() as i64);
                Ok(Value::Obj(heap.alloc(Object::List(idx.into_iter().map(|i| items[i].clone()).collect()))))
            }
            _ => err("TypeError", format!("'{}' object is not subscriptable", heap.type_name(container))),
        },
        _ => err("TypeError", format!("'{}' object is not subscriptable", heap.type_name(container))),
    }
}

/// Python's `repr(float)`: the shortest string that reads back as the same float.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // `{:e}` gives the shortest round-trip digits as d.ddddde±x.
    let sci = format!("{:e}", f);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if !(-4..16).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{body}")
}

/// Python's `repr(str)`: single quotes unless the string contains one and no double.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Whether an encoding name CPython accepts names ASCII (`Some(true)`) or UTF-8
/// (`Some(false)`), after CPython's normalisation of case, `_` and spaces; `None` for
/// the other codecs, which Kiln does not have.
pub fn codec_is_ascii(name: &str) -> Option<bool> {
    let n: String = name.trim().to_ascii_lowercase().chars().map(|c| if c == '_' || c == ' ' { '-' } else { c }).collect();
    match n.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" => Some(false),
        "ascii" | "us-ascii" | "646" => Some(true),
        _ => None,
    }
}

/// `s.encode(enc)` and `b.decode(enc)` for UTF-8 and ASCII, the codecs Kiln knows:
/// `None` for any other method, receiver or encoding (and for an encoding error, which
/// would be CPython's `UnicodeError`): callers report those as unsupported.
pub fn codec_method(recv: &Value, name: &str, args: &[&Value]) -> Option<Value> {
    let ascii = match args {
        [] => false,
        [Value::Str(e)] => codec_is_ascii(e)?,
        _ => return None,
    };
    match (recv, name) {
        (Value::Str(s), "encode") if !ascii || s.is_ascii() => Some(Value::Bytes(s.as_bytes().into())),
        (Value::Bytes(b), "decode") if !ascii || b.is_ascii() => std::str::from_utf8(b).ok().map(Value::str),
        _ => None,
    }
}

/// Python's `repr(bytes)` (also its `str()`): the runtime's, so that import time and
/// run time agree.
pub fn bytes_repr(b: &[u8]) -> String {
    kiln_runtime::rbytes::repr(b)
}

pub fn repr(heap: &Heap, v: &Value) -> String {
    match v {
        Value::Str(s) => str_repr(s),
        Value::UInt(u) => format!("r_uint({u})"),
        _ => to_str(heap, v),
    }
}

/// Python's `str(v)`.
pub fn to_str(heap: &Heap, v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => s.to_string(),
        Value::Bytes(b) => bytes_repr(b),
        Value::Obj(id) => match heap.get(*id) {
            Object::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|x| repr(heap, x)).collect();
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            Object::List(items) => format!("[{}]", items.iter().map(|x| repr(heap, x)).collect::<Vec<_>>().join(", ")),
            Object::Dict(d) => format!(
                "{{{}}}",
                d.entries.values().map(|(k, v)| format!("{}: {}", repr(heap, k), repr(heap, v))).collect::<Vec<_>>().join(", ")
            ),
            Object::Instance(inst) => match inst.attrs.get("message") {
                Some(Value::Str(m)) => m.to_string(),
                Some(Value::None) => String::new(),
                _ => format!("<{} object>", heap.class(inst.class).map_or("?", |c| &*c.name)),
            },
            Object::Class(c) => format!("<class '{}'>", c.qualname),
            Object::Function(f) => format!("<function {}>", f.qualname),
            Object::Module(m) => format!("<module '{}'>", m.name),
            Object::Native(crate::native::Native::Set { items, frozen }) => {
                let inner = items.values().map(|x| repr(heap, x)).collect::<Vec<_>>().join(", ");
                match (frozen, items.is_empty()) {
                    (false, true) => "set()".into(),
                    (false, false) => format!("{{{inner}}}"),
                    (true, true) => "frozenset()".into(),
                    (true, false) => format!("frozenset({{{inner}}})"),
                }
            }
            _ => format!("<{}>", heap.describe(v)),
        },
    }
}

/// `fmt % (a, b, ...)` at import time, `args` the tuple's items: the runtime's own
/// formatting (`kiln_runtime::rpercent`, CPython's `PyUnicode_Format`), so import time
/// and run time agree, messages included.
pub fn percent_format(heap: &Heap, fmt: &str, args: &[Value]) -> OpResult<String> {
    let items = args.iter().map(|v| pct_value(heap, v)).collect();
    kiln_runtime::rpercent::percent_tuple_host(fmt, items, None).map_err(|(class, msg)| PyErr { class, msg })
}

/// `fmt % x` with `x` not a tuple nor a dict: a 1-tuple, except that CPython takes a
/// list, bytes or a range for a mapping (`"abc" % [1]` is `"abc"`; `%(key)` indexes it).
fn percent_single(heap: &Heap, fmt: &str, x: &Value) -> OpResult<String> {
    let subscript = match x {
        Value::Bytes(_) => Some("byte"),
        Value::Obj(id) => match heap.get(*id) {
            Object::List(_) => Some("list"),
            Object::Range { .. } => Some("range"),
            _ => None,
        },
        _ => None,
    };
    let msg = subscript.map(|t| format!("{t} indices must be integers or slices, not str"));
    kiln_runtime::rpercent::percent_tuple_host(fmt, vec![pct_value(heap, x)], msg).map_err(|(class, msg)| PyErr { class, msg })
}

/// An import-time value as the runtime's formatting reads it.
fn pct_value(heap: &Heap, v: &Value) -> kiln_runtime::rpercent::PctValue {
    use kiln_runtime::rpercent::PctValue;
    match v {
        Value::None => PctValue::None,
        Value::Bool(b) => PctValue::Bool(*b),
        Value::Int(i) => PctValue::Int(*i),
        Value::UInt(u) if *u <= i64::MAX as u64 => PctValue::Int(*u as i64),
        Value::UInt(_) => PctValue::Other { str: to_str(heap, v).into_bytes(), repr: repr(heap, v).into_bytes(), type_name: heap.type_name(v) },
        Value::Float(f) => PctValue::Float(*f),
        Value::Str(s) => PctValue::Str(s.as_bytes().to_vec()),
        Value::Obj(_) | Value::Bytes(_) => PctValue::Other { str: to_str(heap, v).into_bytes(), repr: repr(heap, v).into_bytes(), type_name: heap.type_name(v) },
    }
}

/// `fmt % d` with a dict at import time: the runtime's own formatting
/// (`kiln_runtime::rpercent`), so import time and run time agree.
fn percent_mapping(heap: &Heap, fmt: &str, dict: ObjId) -> OpResult<String> {
    use kiln_runtime::rpercent::{percent_mapping_host, PctKey};
    let Object::Dict(d) = heap.get(dict) else { return percent_single(heap, fmt, &Value::Obj(dict)) };
    let value = |v: &Value| pct_value(heap, v);
    let entries = d
        .entries
        .values()
        .map(|(k, v)| {
            let key = match k {
                Value::Str(s) => PctKey::Str(s.as_bytes().to_vec()),
                other => PctKey::Other { repr: repr(heap, other).into_bytes() },
            };
            (key, value(v))
        })
        .collect();
    percent_mapping_host(fmt, entries).map_err(|(class, msg)| PyErr { class, msg })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_cpython() {
        let cases = [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345.0, "123456789012345.0"),
            (1.2345678901234567e16, "1.2345678901234568e+16"),
            (-2.5, "-2.5"),
            (f64::INFINITY, "inf"),
            (-0.0, "-0.0"),
            (3.141592653589793, "3.141592653589793"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "repr({f:?})");
        }
    }

    #[test]
    fn percent_formatting() {
        let heap = Heap::default();
        let f = |fmt: &str, args: &[Value]| percent_format(&heap, fmt, args).unwrap();
        assert_eq!(f("%d-%s", &[Value::Int(-3), Value::str("x")]), "-3-x");
        assert_eq!(f("%5d|%-4s|%05.2f", &[Value::Int(42), Value::str("ab"), Value::Float(3.14159)]), "   42|ab  |03.14");
        assert_eq!(f("%x %r %%", &[Value::Int(255), Value::str("q")]), "ff 'q' %");
        assert_eq!(f("%.3e %g %g", &[Value::Float(12345.678), Value::Float(0.0001), Value::Float(1e20)]), "1.235e+04 0.0001 1e+20");
        let e = |fmt: &str, args: &[Value]| percent_format(&heap, fmt, args).unwrap_err();
        let m = e("%d %y", &[Value::Int(1), Value::Int(2)]);
        assert_eq!((m.class, m.msg.as_str()), ("ValueError", "unsupported format character 'y' (0x79) at index 4"));
        let m = e("%s", &[Value::Int(1), Value::Int(2)]);
        assert_eq!((m.class, m.msg.as_str()), ("TypeError", "not all arguments converted during string formatting"));
    }

    #[test]
    fn float_floor_division_and_modulo() {
        assert_eq!(float_floordiv(7.0, 2.0), 3.0);
        assert_eq!(float_floordiv(-7.0, 2.0), -4.0);
        assert_eq!(float_mod(-7.0, 2.0), 1.0);
        assert_eq!(float_mod(7.0, -2.0), -1.0);
    }
}
