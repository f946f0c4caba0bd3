//! Where the compiler is: the function (and operation) a stage is working on, kept per
//! thread so that an internal compiler error, even a panic, can name the user's
//! function and source line instead of leaving the user with no location at all.
//!
//! Stages call [`enter_function`] when they start on a function and [`at`] for each
//! operation; [`current`] is read by the driver's panic handler. The record is only a
//! hint for error reports: nothing reads it to decide what to compile.

use std::cell::{Cell, RefCell};

use crate::Span;

thread_local! {
    static FUNCTION: RefCell<Option<(String, Span)>> = const { RefCell::new(None) };
    static OP: Cell<Span> = const { Cell::new(Span::DUMMY) };
}

/// The stage starts on function `name`, defined at `span`.
pub fn enter_function(name: &str, span: Span) {
    FUNCTION.with(|f| *f.borrow_mut() = Some((name.to_string(), span)));
    OP.with(|o| o.set(Span::DUMMY));
}

/// The stage is now at the operation with this span (in the function entered last).
pub fn at(span: Span) {
    OP.with(|o| o.set(span));
}

/// The stage left its functions (it finished, or moved to whole-program work).
pub fn clear() {
    FUNCTION.with(|f| *f.borrow_mut() = None);
    OP.with(|o| o.set(Span::DUMMY));
}

/// The function being worked on (name and definition span) and the best span known:
/// the current operation's, else the function's.
pub fn current() -> Option<(String, Span)> {
    let (name, def) = FUNCTION.with(|f| f.borrow().clone())?;
    let op = OP.with(Cell::get);
    Some((name, if op.is_dummy() { def } else { op }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileId;

    #[test]
    fn the_operation_span_wins_over_the_function_span() {
        let def = Span::new(FileId(0), 0, 10);
        let op = Span::new(FileId(0), 4, 6);
        enter_function("f", def);
        assert_eq!(current(), Some(("f".to_string(), def)));
        at(op);
        assert_eq!(current(), Some(("f".to_string(), op)));
        enter_function("g", def);
        assert_eq!(current(), Some(("g".to_string(), def)));
        clear();
        assert_eq!(current(), None);
    }
}
