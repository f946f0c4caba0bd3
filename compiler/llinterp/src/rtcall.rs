//! Calls into the runtime library: `rt_call[f]` runs the function the runtime exports
//! under `f.info().symbol`, found in `kiln_runtime::symbol_table()`, so the llinterp
//! executes exactly the code a translated binary links against.
//!
//! Every runtime function is called through one of two function-pointer shapes: six
//! integer parameters and eight `f64` parameters, returning a 64-bit integer or an
//! `f64`. This relies on the x86-64 System V calling convention, Kiln's only target:
//! integer-class arguments (ints, pointers, bools, chars, code points, words) go in the
//! six integer registers in order and floats in `xmm0`–`xmm7` in order, independently of
//! each other, so a function of any signature within those limits reads exactly its own
//! arguments and ignores the extra registers. Integer arguments narrower than 64 bits
//! are read from the low bits of their register; a `bool` or `u32` result comes back in
//! the low bits of `rax` (so results are masked to their width), a float result in
//! `xmm0`, and a `void` function leaves `rax` meaningless (the result is 0).

use kiln_lltype::{Kind, RtFn};

#[cfg(not(target_arch = "x86_64"))]
compile_error!("rt_call shapes assume the x86-64 System V calling convention");

type IntShape = extern "C" fn(u64, u64, u64, u64, u64, u64, f64, f64, f64, f64, f64, f64, f64, f64) -> u64;
type FloatShape = extern "C" fn(u64, u64, u64, u64, u64, u64, f64, f64, f64, f64, f64, f64, f64, f64) -> f64;

/// Integer and float registers available for arguments.
const INT_REGS: usize = 6;
const FLOAT_REGS: usize = 8;
/// The most arguments a resolved runtime function takes.
pub(crate) const MAX_ARGS: usize = INT_REGS + FLOAT_REGS;

/// A runtime function ready to call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RtCallee {
    shape: Shape,
    result: Kind,
    /// Bit i set: argument i is a float.
    float_args: u32,
    nargs: usize,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Int(IntShape),
    Float(FloatShape),
}

impl RtCallee {
    /// Finds `f` in the runtime's symbol table and picks its call shape.
    pub fn resolve(f: RtFn) -> Result<RtCallee, String> {
        let info = f.info();
        let addr = kiln_runtime::symbols::lookup(info.symbol).ok_or_else(|| format!("the runtime does not export {}", info.symbol))?;
        let floats = info.args.iter().filter(|k| **k == Kind::Float).count();
        let ints = info.args.len() - floats;
        if ints > INT_REGS || floats > FLOAT_REGS || info.args.len() > 32 {
            return Err(format!("{}: {} integer and {} float arguments do not all fit in registers", info.symbol, ints, floats));
        }
        let float_args = info.args.iter().enumerate().filter(|(_, k)| **k == Kind::Float).fold(0u32, |m, (i, _)| m | (1 << i));
        // SAFETY: `addr` is the address of the runtime function exported as `symbol`,
        // whose parameters have the kinds `info.args`; both shapes pass every argument in
        // the register that function reads it from (see the module doc).
        let shape = unsafe {
            use std::mem::transmute;
            if info.ret == Kind::Float {
                Shape::Float(transmute::<*const (), FloatShape>(addr))
            } else {
                Shape::Int(transmute::<*const (), IntShape>(addr))
            }
        };
        Ok(RtCallee { shape, result: info.ret, float_args, nargs: info.args.len() })
    }

    /// Calls the function on raw argument words (floats as their bits); returns the raw
    /// result (a float result as its bits).
    #[inline]
    pub fn call(&self, args: &[u64]) -> u64 {
        let mut i = [0u64; INT_REGS];
        let mut f = [0f64; FLOAT_REGS];
        let (mut ni, mut nf) = (0, 0);
        for (k, a) in args.iter().take(self.nargs).enumerate() {
            if self.float_args & (1 << k) != 0 {
                f[nf] = f64::from_bits(*a);
                nf += 1;
            } else {
                i[ni] = *a;
                ni += 1;
            }
        }
        let raw = match self.shape {
            Shape::Int(g) => g(i[0], i[1], i[2], i[3], i[4], i[5], f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]),
            Shape::Float(g) => g(i[0], i[1], i[2], i[3], i[4], i[5], f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]).to_bits(),
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

    #[test]
    fn float_arguments_and_results_use_the_float_registers() {
        let _session = kiln_runtime::host::Session::begin(true);
        let atan2 = RtCallee::resolve(RtFn::MathAtan2).expect("resolves");
        let r = f64::from_bits(atan2.call(&[1.0f64.to_bits(), (-1.0f64).to_bits()]));
        assert_eq!(r, 1.0f64.atan2(-1.0));
        let pow = RtCallee::resolve(RtFn::FloatPow).expect("resolves");
        assert_eq!(f64::from_bits(pow.call(&[2.0f64.to_bits(), 10.0f64.to_bits()])), 1024.0);
    }
}
