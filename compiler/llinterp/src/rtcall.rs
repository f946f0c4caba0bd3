//! Calls into the runtime library: `rt_call[f]` runs the function the runtime exports
//! under `f.info().symbol`, found in `kiln_runtime::symbol_table()`, so the llinterp
//! executes exactly the code a translated binary links against.
//!
//! The address is called through one of a few function-pointer shapes chosen from the
//! `RtInfo` kinds: every argument is passed as a 64-bit integer (ints, pointers, bools,
//! chars, code points), except floats, which are passed as `f64`. This relies on the
//! x86-64 System V calling convention, Kiln's only target: integer arguments narrower
//! than 64 bits are read from the low bits of their register, and a `bool` or `u32`
//! result comes back in the low bits of `rax` (so results are masked to their width),
//! while a `void` function leaves `rax` meaningless (the result is 0).

use kiln_lltype::{Kind, RtFn};

#[cfg(not(target_arch = "x86_64"))]
compile_error!("rt_call shapes assume the x86-64 System V calling convention");

/// A runtime function ready to call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RtCallee {
    shape: Shape,
    result: Kind,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Ints0(extern "C" fn() -> u64),
    Ints1(extern "C" fn(u64) -> u64),
    Ints2(extern "C" fn(u64, u64) -> u64),
    Ints3(extern "C" fn(u64, u64, u64) -> u64),
    Ints4(extern "C" fn(u64, u64, u64, u64) -> u64),
    Float1(extern "C" fn(f64) -> u64),
}

impl RtCallee {
    /// Finds `f` in the runtime's symbol table and picks its call shape.
    pub fn resolve(f: RtFn) -> Result<RtCallee, String> {
        let info = f.info();
        let addr = kiln_runtime::symbols::lookup(info.symbol).ok_or_else(|| format!("the runtime does not export {}", info.symbol))?;
        if matches!(info.ret, Kind::Float | Kind::Any) {
            return Err(format!("{}: the llinterp has no call shape for a {:?} result", info.symbol, info.ret));
        }
        let floats = info.args.iter().filter(|k| **k == Kind::Float).count();
        if info.args.contains(&Kind::Any) {
            return Err(format!("{}: an argument of kind Any", info.symbol));
        }
        // SAFETY: `addr` is the address of the runtime function exported as `symbol`,
        // whose parameters have the kinds `info.args`; each shape below passes them in
        // the registers that function reads them from (see the module doc).
        let shape = unsafe {
            use std::mem::transmute;
            match (info.args.len(), floats) {
                (0, 0) => Shape::Ints0(transmute::<*const (), extern "C" fn() -> u64>(addr)),
                (1, 0) => Shape::Ints1(transmute::<*const (), extern "C" fn(u64) -> u64>(addr)),
                (2, 0) => Shape::Ints2(transmute::<*const (), extern "C" fn(u64, u64) -> u64>(addr)),
                (3, 0) => Shape::Ints3(transmute::<*const (), extern "C" fn(u64, u64, u64) -> u64>(addr)),
                (4, 0) => Shape::Ints4(transmute::<*const (), extern "C" fn(u64, u64, u64, u64) -> u64>(addr)),
                (1, 1) => Shape::Float1(transmute::<*const (), extern "C" fn(f64) -> u64>(addr)),
                _ => return Err(format!("{}: the llinterp has no call shape for arguments {:?}", info.symbol, info.args)),
            }
        };
        Ok(RtCallee { shape, result: info.ret })
    }

    /// Calls the function on raw argument words; returns the raw result.
    #[inline]
    pub fn call(&self, args: &[u64]) -> u64 {
        let raw = match self.shape {
            Shape::Ints0(f) => f(),
            Shape::Ints1(f) => f(args[0]),
            Shape::Ints2(f) => f(args[0], args[1]),
            Shape::Ints3(f) => f(args[0], args[1], args[2]),
            Shape::Ints4(f) => f(args[0], args[1], args[2], args[3]),
            Shape::Float1(f) => f(f64::from_bits(args[0])),
        };
        match self.result {
            Kind::Void => 0,
            Kind::Bool => (raw & 0xFF != 0) as u64,
            Kind::Char => raw & 0xFF,
            Kind::UniChar => raw & 0xFFFF_FFFF,
            _ => raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_function_has_a_call_shape() {
        for f in RtFn::ALL {
            if let Err(e) = RtCallee::resolve(*f) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn narrow_results_are_masked() {
        let session = kiln_runtime::host::Session::begin(true);
        let (a, b) = (session.alloc_prebuilt_str("aé"), session.alloc_prebuilt_str("b"));
        let eq = RtCallee::resolve(RtFn::StrEq).expect("resolves");
        assert_eq!(eq.call(&[a as u64, a as u64]), 1);
        assert_eq!(eq.call(&[a as u64, b as u64]), 0);
        let char_at = RtCallee::resolve(RtFn::StrCharAt).expect("resolves");
        assert_eq!(char_at.call(&[a as u64, 1]), 0xE9);
        let cmp = RtCallee::resolve(RtFn::StrCmp).expect("resolves");
        assert_eq!(cmp.call(&[a as u64, b as u64]) as i64, -1);
        // `kiln_stack_check` returns nothing: whatever is left in `rax` must not leak.
        let check = RtCallee::resolve(RtFn::StackCheck).expect("resolves");
        assert_eq!(check.call(&[]), 0);
    }
}
