//! A reference interpreter of traces over a model heap: the oracle that optimizer (and
//! later backend) tests compare against. It is deliberately simple and slow.
//!
//! The model heap holds objects at fake addresses; an object has a class (vtable address),
//! fields by descriptor, and items. Calls go to a function the test supplies. Where the
//! machine's behaviour is undefined (a null or dangling pointer, an index out of range),
//! the interpreter returns `Err`, and a test must not compare such a run.

use std::collections::HashMap;

use crate::descr::{DescrId, DescrTable};
use crate::ir::{BoxId, Const, Op, Trace, Type, Value};
use crate::opcode::OpCode;
use crate::opt::fold::{eval, eval_ovf};
use crate::resume::{ResumePos, ResumeValue};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Obj {
    pub class: u64,
    pub fields: HashMap<DescrId, Const>,
    pub items: Vec<Const>,
}

/// Objects live at addresses `16 * (index + 1)`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Heap {
    pub objs: Vec<Obj>,
}

impl Heap {
    pub fn alloc(&mut self, obj: Obj) -> u64 {
        self.objs.push(obj);
        16 * self.objs.len() as u64
    }

    pub fn get(&self, addr: u64) -> Result<&Obj, String> {
        addr.checked_div(16)
            .filter(|&i| addr % 16 == 0 && i >= 1)
            .and_then(|i| self.objs.get(i as usize - 1))
            .ok_or_else(|| format!("bad pointer {addr:#x}"))
    }

    pub fn get_mut(&mut self, addr: u64) -> Result<&mut Obj, String> {
        addr.checked_div(16)
            .filter(|&i| addr % 16 == 0 && i >= 1)
            .and_then(|i| self.objs.get_mut(i as usize - 1))
            .ok_or_else(|| format!("bad pointer {addr:#x}"))
    }
}

/// What a call did: its result, or the exception object it raised.
pub type CallResult = Result<Option<Const>, Const>;

/// The function behind a call: address, arguments, heap.
pub type CallFn<'a> = dyn FnMut(i64, &[Const], &mut Heap) -> Result<CallResult, String> + 'a;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    Finish(Vec<Const>),
    /// A guard failed: its index, its arguments' values, and its snapshot's frames.
    GuardFailure { op: usize, args: Vec<Const>, frames: Vec<(Option<ResumePos>, Vec<Const>)> },
    /// A jump to a label of another trace.
    Jump(DescrId, Vec<Const>),
    /// The loop ran the given number of iterations; the label's values at the next one.
    Looping(Vec<Const>),
}

fn zero(ty: Type) -> Const {
    match ty {
        Type::Int => Const::Int(0),
        Type::Float => Const::Float(0),
        Type::Ref => Const::Ref(0),
    }
}

struct Machine<'a, 'h> {
    trace: &'a Trace,
    descrs: &'a DescrTable,
    heap: &'h mut Heap,
    env: HashMap<BoxId, Const>,
    overflowed: bool,
    exception: Option<Const>,
}

impl Machine<'_, '_> {
    fn val(&self, v: Value) -> Result<Const, String> {
        match v {
            Value::Const(c) => Ok(c),
            Value::Box(b) => self.env.get(&b).copied().ok_or_else(|| format!("box {} has no value", b.0)),
        }
    }

    fn int(&self, v: Value) -> Result<i64, String> {
        self.val(v)?.as_int().ok_or_else(|| "expected an int".to_string())
    }

    fn ptr(&self, v: Value) -> Result<u64, String> {
        match self.val(v)? {
            Const::Ref(a) => Ok(a),
            _ => Err("expected a reference".into()),
        }
    }

    /// The address a memory op goes through: a reference (GC memory) or an int (raw
    /// memory; the model heap holds both kinds of object).
    fn addr(&self, v: Value) -> Result<u64, String> {
        match self.val(v)? {
            Const::Ref(a) => Ok(a),
            Const::Int(a) => Ok(a as u64),
            Const::Float(_) => Err("a float used as an address".into()),
        }
    }

    fn item_index(&self, obj: &Obj, v: Value) -> Result<usize, String> {
        let i = self.int(v)?;
        usize::try_from(i).ok().filter(|&i| i < obj.items.len()).ok_or_else(|| format!("index {i} out of range"))
    }

    fn field_type(&self, d: DescrId) -> Type {
        self.descrs.field(d).map(|f| f.ty).or_else(|| self.descrs.array(d).map(|a| a.item_ty)).unwrap_or(Type::Int)
    }

    /// Executes one op that is not control flow; `Some` if a guard failed.
    fn step(&mut self, op: &Op, calls: &mut CallFn) -> Result<Option<bool>, String> {
        use OpCode::*;
        let a = |k: usize| op.args[k];
        let result: Option<Const> = match op.opcode {
            _ if op.opcode.is_pure() && !matches!(op.opcode, ArraylenGc | ArraylenRaw | Strlen | Strgetitem) => {
                let args = op.args.iter().map(|&v| self.val(v)).collect::<Result<Vec<_>, _>>()?;
                Some(match eval(op.opcode, &args) {
                    Some(c) => c,
                    // What the machine does where C leaves it undefined.
                    None => match op.opcode {
                        IntLshift => Const::Int(self.int(a(0))?.wrapping_shl(self.int(a(1))? as u32)),
                        IntRshift => Const::Int(self.int(a(0))?.wrapping_shr(self.int(a(1))? as u32)),
                        UintRshift => Const::Int(((self.int(a(0))? as u64).wrapping_shr(self.int(a(1))? as u32)) as i64),
                        CastFloatToInt => Const::Int(args[0].as_float().unwrap_or(0.0) as i64),
                        _ => return Err(format!("cannot evaluate {}", op.opcode)),
                    },
                })
            }
            IntAddOvf | IntSubOvf | IntMulOvf => {
                let (x, y) = (self.int(a(0))?, self.int(a(1))?);
                let exact = eval_ovf(op.opcode, x, y);
                self.overflowed = exact.is_none();
                let base = op.opcode.without_ovf().ok_or("no base op")?;
                eval(base, &[Const::Int(x), Const::Int(y)])
            }
            GetfieldGcI | GetfieldGcR | GetfieldGcF | GetfieldRawI | GetfieldRawR | GetfieldRawF => {
                let d = op.descr.ok_or("no descr")?;
                let ty = self.field_type(d);
                let obj = self.heap.get(self.addr(a(0))?)?;
                Some(obj.fields.get(&d).copied().unwrap_or(zero(ty)))
            }
            SetfieldGc | SetfieldRaw => {
                let d = op.descr.ok_or("no descr")?;
                let v = self.val(a(1))?;
                let p = self.addr(a(0))?;
                self.heap.get_mut(p)?.fields.insert(d, v);
                None
            }
            GetarrayitemGcI | GetarrayitemGcR | GetarrayitemGcF | GetarrayitemRawI | GetarrayitemRawR | GetarrayitemRawF => {
                let obj = self.heap.get(self.addr(a(0))?)?;
                let i = self.item_index(obj, a(1))?;
                Some(obj.items[i])
            }
            ArraylenRaw => Some(Const::Int(self.heap.get(self.addr(a(0))?)?.items.len() as i64)),
            // Model addresses are the same numbers as ints and as references.
            CastPtrToInt => Some(Const::Int(self.ptr(a(0))? as i64)),
            CastIntToPtr => Some(Const::Ref(self.int(a(0))? as u64)),
            SetarrayitemGc => {
                let v = self.val(a(2))?;
                let p = self.ptr(a(0))?;
                let i = self.item_index(self.heap.get(p)?, a(1))?;
                self.heap.get_mut(p)?.items[i] = v;
                None
            }
            ArraylenGc => Some(Const::Int(self.heap.get(self.ptr(a(0))?)?.items.len() as i64)),
            New | NewWithVtable => {
                let class = op.descr.and_then(|d| self.descrs.size(d)).and_then(|s| s.vtable).unwrap_or(0);
                Some(Const::Ref(self.heap.alloc(Obj { class, ..Obj::default() })))
            }
            NewArray => {
                let n = usize::try_from(self.int(a(0))?).map_err(|_| "negative length")?;
                let ty = self.field_type(op.descr.ok_or("no descr")?);
                Some(Const::Ref(self.heap.alloc(Obj { items: vec![zero(ty); n], ..Obj::default() })))
            }
            _ if op.opcode.is_call() => {
                let args = op.args.iter().map(|&v| self.val(v)).collect::<Result<Vec<_>, _>>()?;
                let addr = args[0].as_int().ok_or("call of a non-int address")?;
                match calls(addr, &args[1..], self.heap)? {
                    Ok(r) => r,
                    Err(exc) => {
                        self.exception = Some(exc);
                        op.result.map(|r| zero(self.trace.box_type(r).unwrap_or(Type::Int)))
                    }
                }
            }
            _ if op.opcode.is_guard() => {
                let pass = match op.opcode {
                    GuardTrue => self.int(a(0))? != 0,
                    GuardFalse => self.int(a(0))? == 0,
                    GuardValue => self.val(a(0))? == self.val(a(1))?,
                    GuardNonnull => self.ptr(a(0))? != 0,
                    GuardIsnull => self.ptr(a(0))? == 0,
                    GuardClass => self.heap.get(self.ptr(a(0))?)?.class as i64 == self.int(a(1))?,
                    GuardNonnullClass => {
                        let p = self.ptr(a(0))?;
                        p != 0 && self.heap.get(p)?.class as i64 == self.int(a(1))?
                    }
                    GuardNoException => self.exception.is_none(),
                    GuardException => {
                        let cls = self.int(a(0))?;
                        match self.exception {
                            Some(Const::Ref(e)) if self.heap.get(e)?.class as i64 == cls => {
                                self.exception = None;
                                if let Some(r) = op.result {
                                    self.env.insert(r, Const::Ref(e));
                                }
                                true
                            }
                            _ => false,
                        }
                    }
                    GuardNoOverflow => !self.overflowed,
                    GuardOverflow => self.overflowed,
                    _ => return Err(format!("cannot evaluate {}", op.opcode)),
                };
                return Ok(Some(pass));
            }
            DebugMergePoint => None,
            _ => return Err(format!("cannot evaluate {}", op.opcode)),
        };
        if let (Some(r), Some(v)) = (op.result, result) {
            self.env.insert(r, v);
        }
        Ok(None)
    }

    fn snapshot(&self, op: &Op) -> Result<Vec<(Option<ResumePos>, Vec<Const>)>, String> {
        let Some(r) = op.resume() else { return Err("guard without resume data".into()) };
        r.frames
            .iter()
            .map(|f| {
                let values = f
                    .values
                    .iter()
                    .map(|v| match v {
                        ResumeValue::Value(v) => self.val(*v),
                        ResumeValue::Virtual(_) => Err("virtuals are not modelled".to_string()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((f.pos, values))
            })
            .collect()
    }
}

/// Runs a trace on `inputs` until it finishes, a guard fails, or its loop has run
/// `max_iterations` times.
pub fn run(
    trace: &Trace,
    descrs: &DescrTable,
    inputs: &[Const],
    heap: &mut Heap,
    calls: &mut CallFn,
    max_iterations: usize,
) -> Result<Exit, String> {
    if inputs.len() != trace.inputargs.len() {
        return Err("wrong number of inputs".into());
    }
    let env = trace.inputargs.iter().copied().zip(inputs.iter().copied()).collect();
    let mut m = Machine { trace, descrs, heap, env, overflowed: false, exception: None };
    let mut pc = 0;
    let mut iterations = 0;
    while let Some(op) = trace.ops.get(pc) {
        match op.opcode {
            OpCode::Label => {}
            OpCode::Finish => {
                return Ok(Exit::Finish(op.args.iter().map(|&v| m.val(v)).collect::<Result<_, _>>()?));
            }
            OpCode::Jump => {
                let values = op.args.iter().map(|&v| m.val(v)).collect::<Result<Vec<_>, _>>()?;
                let target = op.descr.ok_or("jump without target")?;
                let label = trace.ops.iter().position(|o| o.opcode == OpCode::Label && o.descr == Some(target));
                let Some(l) = label else { return Ok(Exit::Jump(target, values)) };
                iterations += 1;
                if iterations >= max_iterations {
                    return Ok(Exit::Looping(values));
                }
                for (&arg, &v) in trace.ops[l].args.iter().zip(&values) {
                    let b = arg.as_box().ok_or("label argument is not a box")?;
                    m.env.insert(b, v);
                }
                pc = l + 1;
                continue;
            }
            _ => {
                if let Some(false) = m.step(op, calls)? {
                    let frames = m.snapshot(op)?;
                    let args = op.args.iter().map(|&v| m.val(v)).collect::<Result<_, _>>()?;
                    return Ok(Exit::GuardFailure { op: pc, args, frames });
                }
            }
        }
        pc += 1;
    }
    Err("the trace ran off its end".into())
}
