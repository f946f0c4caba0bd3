//! The table of every function the runtime exports to generated code, by symbol name.
//! The llinterp resolves `rt_call` through it, so it calls the very functions a
//! translated binary links against; a test checks it against the compiler's `RtFn`
//! table, and one here checks it is complete.

/// A symbol name and the function's address.
pub type Symbol = (&'static str, *const ());

struct SymbolTable([Symbol; 17]);

// SAFETY: the table holds addresses of functions, which are immutable and shareable.
unsafe impl Sync for SymbolTable {}

static TABLE: SymbolTable = SymbolTable([
    ("kiln_rt_start", crate::start::kiln_rt_start as *const ()),
    ("kiln_rt_finish", crate::start::kiln_rt_finish as *const ()),
    ("kiln_gc_malloc", crate::alloc::kiln_gc_malloc as *const ()),
    ("kiln_gc_malloc_varsize", crate::alloc::kiln_gc_malloc_varsize as *const ()),
    ("kiln_out_str", crate::io::kiln_out_str as *const ()),
    ("kiln_out_int", crate::io::kiln_out_int as *const ()),
    ("kiln_out_char", crate::io::kiln_out_char as *const ()),
    ("kiln_out_float", crate::io::kiln_out_float as *const ()),
    ("kiln_flush_stdout", crate::io::kiln_flush_stdout as *const ()),
    ("kiln_str_from_int", crate::rstr::kiln_str_from_int as *const ()),
    ("kiln_str_to_int", crate::rstr::kiln_str_to_int as *const ()),
    ("kiln_str_eq", crate::rstr::kiln_str_eq as *const ()),
    ("kiln_str_cmp", crate::rstr::kiln_str_cmp as *const ()),
    ("kiln_str_concat", crate::rstr::kiln_str_concat as *const ()),
    ("kiln_str_from_char", crate::rstr::kiln_str_from_char as *const ()),
    ("kiln_str_char_at", crate::rstr::kiln_str_char_at as *const ()),
    ("kiln_stack_check", crate::stack::kiln_stack_check as *const ()),
]);

/// Every exported function: (symbol, address).
pub fn symbol_table() -> &'static [Symbol] {
    &TABLE.0
}

/// The address of an exported function.
pub fn lookup(symbol: &str) -> Option<*const ()> {
    TABLE.0.iter().find(|(name, _)| *name == symbol).map(|(_, addr)| *addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `#[no_mangle]` function in the crate's sources, found by reading them.
    fn exported_functions() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the source directory is readable") {
            let text = std::fs::read_to_string(entry.expect("a directory entry").path()).expect("a readable source file");
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if line.trim() != "#[no_mangle]" {
                    continue;
                }
                let item = lines.next().unwrap_or_default();
                if let Some(rest) = item.split(" fn ").nth(1).filter(|_| item.contains("extern \"C\"")) {
                    names.push(rest.split('(').next().unwrap_or_default().to_string());
                }
            }
        }
        names.sort();
        names
    }

    #[test]
    fn the_table_lists_every_exported_function() {
        let mut listed: Vec<String> = symbol_table().iter().map(|(name, _)| name.to_string()).collect();
        listed.sort();
        assert_eq!(listed, exported_functions());
        assert!(symbol_table().iter().all(|(_, addr)| !addr.is_null()));
        assert_eq!(lookup("kiln_out_int"), Some(crate::io::kiln_out_int as *const ()));
        assert_eq!(lookup("kiln_no_such_function"), None);
    }
}
