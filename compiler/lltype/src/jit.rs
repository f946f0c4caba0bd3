//! What the JIT needs to know about the program that its graphs' ops do not say: the
//! JIT drivers (greens, reds, callbacks), the hints on functions, and how mutable a
//! struct field is. The RTyper fills these in from `kiln.jit`; the codewriter reads them.
//!
//! The hint ops themselves (`jit_merge_point`, `jit_promote`, ...) are in the op table
//! ([`crate::ops::LlOp`]); a marker op names its driver by [`JitDriverId`].

use std::fmt;

use kiln_flowgraph::Span;

use crate::program::FuncId;
use crate::types::TypeId;

/// A JIT driver of the low-level program: an index into [`crate::LlProgram::jit_drivers`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct JitDriverId(pub u32);

impl fmt::Display for JitDriverId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "d{}", self.0)
    }
}

/// A green or red variable of a driver: its name in the hint calls and its low-level
/// type (the same at every marker of the driver).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JitVar {
    pub name: String,
    pub ty: TypeId,
}

/// A function the JIT calls back, given to `JitDriver(...)`, translated as an extra
/// entry point of the program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum JitCallback {
    /// `get_printable_location(*greens) -> str`: the position shown in the JIT log.
    GetPrintableLocation,
    /// `get_unique_id(*greens) -> int`: an id of the interpreted code, for profilers.
    GetUniqueId,
    /// `should_unroll_one_iteration(*greens) -> bool`.
    ShouldUnrollOneIteration,
    /// `can_never_inline(*greens) -> bool`.
    CanNeverInline,
    /// `confirm_enter_jit(*greens, *reds) -> bool`: may veto entering compiled code.
    ConfirmEnterJit,
}

impl JitCallback {
    pub const ALL: [JitCallback; 5] =
        [JitCallback::GetPrintableLocation, JitCallback::GetUniqueId, JitCallback::ShouldUnrollOneIteration, JitCallback::CanNeverInline, JitCallback::ConfirmEnterJit];

    /// The keyword argument of `JitDriver(...)` that names the callback.
    pub fn keyword(self) -> &'static str {
        match self {
            JitCallback::GetPrintableLocation => "get_printable_location",
            JitCallback::GetUniqueId => "get_unique_id",
            JitCallback::ShouldUnrollOneIteration => "should_unroll_one_iteration",
            JitCallback::CanNeverInline => "can_never_inline",
            JitCallback::ConfirmEnterJit => "confirm_enter_jit",
        }
    }

    pub fn from_keyword(k: &str) -> Option<JitCallback> {
        JitCallback::ALL.into_iter().find(|c| c.keyword() == k)
    }

    /// Whether the callback takes the reds after the greens.
    pub fn takes_reds(self) -> bool {
        self == JitCallback::ConfirmEnterJit
    }
}

/// One `JitDriver` used by the translated program, with its reds resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct JitDriverDesc {
    pub name: String,
    pub greens: Vec<JitVar>,
    /// The reds in the order the markers pass them. With `reds='auto'` they are the
    /// variables live across the merge point (RPython's rule), named after the source
    /// variables where the flowspace kept a name.
    pub reds: Vec<JitVar>,
    pub reds_auto: bool,
    /// The translated callbacks (`get_printable_location`, ...), in [`JitCallback::ALL`]
    /// order.
    pub callbacks: Vec<(JitCallback, FuncId)>,
    pub is_recursive: bool,
    /// Recorded; nothing uses them until virtualizables exist.
    pub virtualizables: Vec<String>,
    /// Where the driver was created.
    pub span: Span,
}

impl JitDriverDesc {
    pub fn callback(&self, c: JitCallback) -> Option<FuncId> {
        self.callbacks.iter().find(|(k, _)| *k == c).map(|(_, f)| *f)
    }
}

/// The JIT hints on one low-level function (decorators of `kiln.jit`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FuncHints {
    /// `@elidable` (or `@purefunction`, `@elidable_promote`): calls with constant
    /// arguments may be folded.
    pub elidable: bool,
    /// `@elidable_promote(promote_args)`: which arguments to promote first ("all", or
    /// comma-separated positions).
    pub promote_args: Option<String>,
    /// `@dont_look_inside`: the tracer calls the function as a black box.
    pub dont_look_inside: bool,
    /// `@look_inside`: the tracer traces into it (the default, stated).
    pub look_inside: bool,
    /// `@look_inside_iff(pred)`: the predicate's name; the predicate is not translated
    /// yet.
    pub look_inside_iff: Option<String>,
    /// `@unroll_safe`: the tracer may inline it although it has a loop.
    pub unroll_safe: bool,
    /// `@loop_invariant`: the result is the same within one loop of a trace.
    pub loop_invariant: bool,
    /// `@always_inline` (`kiln.objectmodel`): the backend inlines every call (LLVM's
    /// `alwaysinline`). Not a JIT hint, but a hint on the function all the same.
    pub always_inline: bool,
}

impl FuncHints {
    pub fn is_empty(&self) -> bool {
        *self == FuncHints::default()
    }
}

impl fmt::Display for FuncHints {
    /// The hints as decorator names, space-separated, for dumps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.elidable {
            parts.push(match &self.promote_args {
                Some(a) => format!("elidable_promote({a:?})"),
                None => "elidable".into(),
            });
        }
        if self.dont_look_inside {
            parts.push("dont_look_inside".into());
        }
        if self.look_inside {
            parts.push("look_inside".into());
        }
        if let Some(p) = &self.look_inside_iff {
            parts.push(format!("look_inside_iff({p})"));
        }
        if self.unroll_safe {
            parts.push("unroll_safe".into());
        }
        if self.loop_invariant {
            parts.push("loop_invariant".into());
        }
        if self.always_inline {
            parts.push("always_inline".into());
        }
        write!(f, "{}", parts.join(" "))
    }
}

/// How a struct field may change after its object is built (`_immutable_fields_`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mutability {
    #[default]
    Mutable,
    /// `'f'`: never written after construction; reads from a constant object fold.
    Immutable,
    /// `'f?'`: rarely written; the JIT may fold reads only with invalidation of the
    /// code that did, which does not exist yet, so until then it is read as mutable.
    QuasiImmutable,
    /// `'f[*]'`: the field is immutable and so are the items of the list it holds.
    ImmutableItems,
    /// `'f?[*]'`: a quasi-immutable field holding a list whose items are immutable.
    QuasiImmutableItems,
}

impl Mutability {
    /// The field's value never changes after construction.
    pub fn is_immutable(self) -> bool {
        matches!(self, Mutability::Immutable | Mutability::ImmutableItems)
    }

    /// The suffix `_immutable_fields_` writes after the name, for dumps.
    pub fn suffix(self) -> &'static str {
        match self {
            Mutability::Mutable => "",
            Mutability::Immutable => "",
            Mutability::QuasiImmutable => "?",
            Mutability::ImmutableItems => "[*]",
            Mutability::QuasiImmutableItems => "?[*]",
        }
    }
}

/// The keywords of a `hint(x, ...)` that are not `promote`: what they ask of the JIT.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HintFlags(pub u8);

impl HintFlags {
    /// `access_directly=True`: the virtualizable is accessed without the JIT's checks.
    pub const ACCESS_DIRECTLY: HintFlags = HintFlags(1);
    /// `fresh_virtualizable=True`: the virtualizable was just allocated.
    pub const FRESH_VIRTUALIZABLE: HintFlags = HintFlags(2);
    /// `force_virtualizable=True`: the virtualizable must be written back to memory.
    pub const FORCE_VIRTUALIZABLE: HintFlags = HintFlags(4);

    const NAMES: [(HintFlags, &'static str); 3] =
        [(HintFlags::ACCESS_DIRECTLY, "access_directly"), (HintFlags::FRESH_VIRTUALIZABLE, "fresh_virtualizable"), (HintFlags::FORCE_VIRTUALIZABLE, "force_virtualizable")];

    /// The flag of a `hint()` keyword, if it is one.
    pub fn from_keyword(k: &str) -> Option<HintFlags> {
        HintFlags::NAMES.iter().find(|(_, n)| *n == k).map(|(f, _)| *f)
    }

    pub fn contains(self, other: HintFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for HintFlags {
    type Output = HintFlags;
    fn bitor(self, o: HintFlags) -> HintFlags {
        HintFlags(self.0 | o.0)
    }
}

impl fmt::Display for HintFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = HintFlags::NAMES.iter().filter(|(fl, _)| self.contains(*fl)).map(|(_, n)| *n).collect();
        write!(f, "{}", names.join(","))
    }
}
