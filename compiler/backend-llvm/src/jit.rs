//! What a VM translated with `--jit` carries for its JIT (docs/jit.md, "The portal"):
//! the serialized jitcodes, the address of each symbol they name, and the
//! `kiln_jit_program` record (`kiln_abi::KilnJitProgram`) that points to both, to the
//! collector's `kiln_gc_NAME_jit` record and says where instances keep their vtable.
//! `main` hands the record to the JIT runtime (`kiln_jit_init`) after starting the
//! runtime, and calls `kiln_jit_exit` before finishing (the JIT writes its counters).
//!
//! A VM without `--jit` gets none of this, and names nothing of the JIT.

use std::collections::HashMap;

use inkwell::module::Linkage;
use inkwell::values::{BasicValue, GlobalValue, IntValue};
use kiln_abi::{ABI_VERSION, SYM_JIT_PROGRAM};
use kiln_lltype::{RtFn, StaticValue, TypeId};

use crate::codegen::Lowering;
use crate::BackendError;

/// A symbol the jitcodes name, in the set's order (`kiln_jitcode::Symbol`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JitSymbol {
    /// A function of the program, by its low-level name.
    Func(String),
    /// A prebuilt object: by its name, or for a string by its text in Rust's `{:?}`
    /// form (as the codewriter names them).
    Static(String),
    /// A runtime function, by its C symbol.
    Runtime(String),
}

/// What the backend embeds for the JIT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JitEmbed {
    /// `kiln_jitcode::to_bytes` of the program's jitcode set.
    pub jitcodes: Vec<u8>,
    pub symbols: Vec<JitSymbol>,
}

impl<'a, 'ctx> Lowering<'a, 'ctx> {
    /// The address of one symbol, as a constant.
    fn jit_symbol_addr(&self, sym: &JitSymbol, funcs: &HashMap<&str, usize>, statics: &HashMap<String, usize>) -> Result<IntValue<'ctx>, BackendError> {
        let i64t = self.ctx.i64_type();
        let ptr = match sym {
            JitSymbol::Func(name) => {
                let i = funcs.get(name.as_str()).ok_or_else(|| BackendError::Internal(format!("the jitcodes name the function `{name}`, which the program does not have")))?;
                self.funcs[*i].as_global_value().as_pointer_value()
            }
            JitSymbol::Static(name) => {
                let i = statics.get(name).ok_or_else(|| BackendError::Internal(format!("the jitcodes name the prebuilt object `{name}`, which the program does not have")))?;
                self.statics[*i].as_pointer_value()
            }
            JitSymbol::Runtime(symbol) => {
                let f = match RtFn::ALL.iter().find(|f| f.info().symbol == symbol) {
                    Some(f) => self.runtime_fn(*f)?,
                    None => self.module.get_function(symbol).unwrap_or_else(|| self.module.add_function(symbol, self.ctx.void_type().fn_type(&[], false), Some(Linkage::External))),
                };
                f.as_global_value().as_pointer_value()
            }
        };
        Ok(ptr.const_to_int(i64t))
    }

    /// Emits the jitcodes, the symbol table and the `kiln_jit_program` record.
    pub(crate) fn emit_jit_program(&self, jit: &JitEmbed) -> Result<GlobalValue<'ctx>, BackendError> {
        let (i32t, i64t, ptr) = (self.ctx.i32_type(), self.ctx.i64_type(), self.types.ptr());
        let funcs: HashMap<&str, usize> = self.prog.funcs.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).rev().collect();
        let mut statics: HashMap<String, usize> = HashMap::new();
        for (i, s) in self.prog.statics.iter().enumerate() {
            let key = match &s.value {
                StaticValue::Str(text) => format!("{:?}", &**text),
                _ => s.name.clone(),
            };
            statics.entry(key).or_insert(i);
        }
        let bytes = self.ctx.const_string(&jit.jitcodes, false);
        let code = self.module.add_global(bytes.get_type(), None, "kiln.jit.jitcodes");
        code.set_linkage(Linkage::Private);
        code.set_constant(true);
        code.set_initializer(&bytes);

        let addrs: Vec<IntValue<'ctx>> = jit.symbols.iter().map(|s| self.jit_symbol_addr(s, &funcs, &statics)).collect::<Result<_, _>>()?;
        let table = i64t.const_array(&addrs);
        let table_g = self.module.add_global(table.get_type(), None, "kiln.jit.symbols");
        table_g.set_linkage(Linkage::Private);
        table_g.set_constant(true);
        table_g.set_initializer(&table);

        let runtime = match self.prog.gc {
            Some(policy) => {
                let name = policy.symbol("_jit");
                let g = self.module.get_global(&name).unwrap_or_else(|| self.module.add_global(self.ctx.i8_type(), None, &name));
                g.set_linkage(Linkage::External);
                g.as_pointer_value()
            }
            None => return Err(BackendError::Internal("a --jit program that was not GC-transformed".into())),
        };
        let object = self.prog.types.struct_layout(TypeId::OBJECT);
        let typeptr = self.prog.types.field_index(TypeId::OBJECT, "typeptr").ok_or_else(|| BackendError::Internal("instances have no typeptr".into()))?;
        let vtable_offset = object.offsets[typeptr as usize];

        let record_ty = self.ctx.struct_type(&[i32t.into(), i32t.into(), ptr.into(), i64t.into(), ptr.into(), i64t.into(), ptr.into()], false);
        let record = record_ty.const_named_struct(&[
            i32t.const_int(ABI_VERSION as u64, false).as_basic_value_enum(),
            i32t.const_int(vtable_offset, false).into(),
            code.as_pointer_value().into(),
            i64t.const_int(jit.jitcodes.len() as u64, false).into(),
            table_g.as_pointer_value().into(),
            i64t.const_int(addrs.len() as u64, false).into(),
            runtime.into(),
        ]);
        let g = self.module.add_global(record_ty, None, SYM_JIT_PROGRAM);
        g.set_constant(true);
        g.set_initializer(&record);
        Ok(g)
    }
}
