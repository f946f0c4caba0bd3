//! `getattr(obj, NAME)` and `setattr(obj, NAME, value)` where NAME is a constant after
//! import (a literal, a global, the loop variable of an unrolled loop, a name closed over
//! by a factory): plain attribute operations, as RPython's flow space makes them. A name
//! that is not constant stays a call of the built-in, which the annotator rejects.

use std::sync::Arc;

use kiln_diagnostics::Span;
use kiln_frontend::value::Object;
use kiln_frontend::{Builtin, Value};

use crate::build::{Builder, Opnd};
use crate::ops::HlOp;

impl Builder<'_> {
    /// The attribute operation for a call of `getattr`/`setattr` with a constant name,
    /// or None when the call is something else.
    pub(crate) fn const_name_attr_call(&mut self, callee: &Opnd, pos: &[Opnd], kws: &[(Arc<str>, Opnd)], span: Span) -> Option<Opnd> {
        let Opnd::Const(Value::Obj(o)) = callee else { return None };
        let Object::Builtin(b) = self.heap.get(*o) else { return None };
        if !kws.is_empty() {
            return None;
        }
        match (b, pos) {
            (Builtin::Getattr, [obj, Opnd::Const(Value::Str(name))]) => Some(self.emit(HlOp::GetAttr(name.clone()), vec![obj.clone()], span)),
            (Builtin::Setattr, [obj, Opnd::Const(Value::Str(name)), value]) => {
                self.emit(HlOp::SetAttr(name.clone()), vec![obj.clone(), value.clone()], span);
                Some(Opnd::Const(Value::None))
            }
            _ => None,
        }
    }
}
