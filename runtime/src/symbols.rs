//! The table of every function the runtime exports to generated code, by symbol name.
//! The llinterp resolves `rt_call` through it, so it calls the very functions a
//! translated binary links against; a test checks it against the compiler's `RtFn`
//! table, and one here checks it is complete.

/// A symbol name and the function's address.
pub type Symbol = (&'static str, *const ());

struct SymbolTable(&'static [Symbol]);

// SAFETY: the table holds addresses of functions, which are immutable and shareable.
unsafe impl Sync for SymbolTable {}

static TABLE: SymbolTable = SymbolTable(&[
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
    ("kiln_str_from_float", crate::rconv::kiln_str_from_float as *const ()),
    ("kiln_str_from_uint", crate::rconv::kiln_str_from_uint as *const ()),
    ("kiln_str_to_float", crate::rconv::kiln_str_to_float as *const ()),
    ("kiln_list_resize", crate::rlist::kiln_list_resize as *const ()),
    ("kiln_gc_collect", crate::gc::kiln_gc_collect as *const ()),
    ("kiln_gc_set_enabled", crate::gc::kiln_gc_set_enabled as *const ()),
    ("kiln_gc_isenabled", crate::gc::kiln_gc_isenabled as *const ()),
    ("kiln_gc_none_malloc_slow", crate::gc::none::kiln_gc_none_malloc_slow as *const ()),
    ("kiln_gc_none_malloc_varsize_slow", crate::gc::none::kiln_gc_none_malloc_varsize_slow as *const ()),
    ("kiln_gc_semispace_malloc_slow", crate::gc::semispace::kiln_gc_semispace_malloc_slow as *const ()),
    ("kiln_gc_semispace_malloc_varsize_slow", crate::gc::semispace::kiln_gc_semispace_malloc_varsize_slow as *const ()),
    ("kiln_gc_marksweep_malloc_slow", crate::gc::marksweep::kiln_gc_marksweep_malloc_slow as *const ()),
    ("kiln_gc_marksweep_malloc_varsize_slow", crate::gc::marksweep::kiln_gc_marksweep_malloc_varsize_slow as *const ()),
    ("kiln_gc_incminimark_malloc_slow", crate::gc::incminimark::kiln_gc_incminimark_malloc_slow as *const ()),
    ("kiln_gc_incminimark_malloc_varsize_slow", crate::gc::incminimark::kiln_gc_incminimark_malloc_varsize_slow as *const ()),
    ("kiln_gc_incminimark_wb", crate::gc::incminimark::kiln_gc_incminimark_wb as *const ()),
    ("kiln_gc_incminimark_wb_array", crate::gc::incminimark::kiln_gc_incminimark_wb_array as *const ()),
    ("kiln_str_slice", crate::rstrmeth::kiln_str_slice as *const ()),
    ("kiln_str_slice_step", crate::rstrmeth::kiln_str_slice_step as *const ()),
    ("kiln_str_mul", crate::rstrmeth::kiln_str_mul as *const ()),
    ("kiln_str_contains", crate::rstrmeth::kiln_str_contains as *const ()),
    ("kiln_str_find", crate::rstrmeth::kiln_str_find as *const ()),
    ("kiln_str_rfind", crate::rstrmeth::kiln_str_rfind as *const ()),
    ("kiln_str_count", crate::rstrmeth::kiln_str_count as *const ()),
    ("kiln_str_index", crate::rstrmeth::kiln_str_index as *const ()),
    ("kiln_str_startswith", crate::rstrmeth::kiln_str_startswith as *const ()),
    ("kiln_str_endswith", crate::rstrmeth::kiln_str_endswith as *const ()),
    ("kiln_str_strip", crate::rstrmeth::kiln_str_strip as *const ()),
    ("kiln_str_split", crate::rstrmeth::kiln_str_split as *const ()),
    ("kiln_str_join", crate::rstrmeth::kiln_str_join as *const ()),
    ("kiln_str_join_chars", crate::rstrmeth::kiln_str_join_chars as *const ()),
    ("kiln_str_replace", crate::rstrmeth::kiln_str_replace as *const ()),
    ("kiln_str_lower", crate::rstrmeth::kiln_str_lower as *const ()),
    ("kiln_str_upper", crate::rstrmeth::kiln_str_upper as *const ()),
    ("kiln_str_isdigit", crate::rstrmeth::kiln_str_isdigit as *const ()),
    ("kiln_str_isalpha", crate::rstrmeth::kiln_str_isalpha as *const ()),
    ("kiln_str_isalnum", crate::rstrmeth::kiln_str_isalnum as *const ()),
    ("kiln_str_isspace", crate::rstrmeth::kiln_str_isspace as *const ()),
    ("kiln_str_hash", crate::rstrmeth::kiln_str_hash as *const ()),
    ("kiln_repr", crate::rdesc::kiln_repr as *const ()),
    ("kiln_hash", crate::rdesc::kiln_hash as *const ()),
    ("kiln_compute_hash", crate::rdesc::kiln_compute_hash as *const ()),
    ("kiln_eq", crate::rdesc::kiln_eq as *const ()),
    ("kiln_cmp", crate::rdesc::kiln_cmp as *const ()),
    ("kiln_format", crate::rformat::kiln_format as *const ()),
    ("kiln_percent_mapping", crate::rpercent::kiln_percent_mapping as *const ()),
    ("kiln_percent_tuple", crate::rpercent::kiln_percent_tuple as *const ()),
    ("kiln_list_move", crate::rlistops::kiln_list_move as *const ()),
    ("kiln_list_copy_from", crate::rlistops::kiln_list_copy_from as *const ()),
    ("kiln_list_reverse", crate::rlistops::kiln_list_reverse as *const ()),
    ("kiln_list_sort", crate::rlistops::kiln_list_sort as *const ()),
    ("kiln_list_find", crate::rlistops::kiln_list_find as *const ()),
    ("kiln_list_count", crate::rlistops::kiln_list_count as *const ()),
    ("kiln_list_minmax", crate::rlistops::kiln_list_minmax as *const ()),
    ("kiln_list_sum_int", crate::rlistops::kiln_list_sum_int as *const ()),
    ("kiln_list_sum_float", crate::rlistops::kiln_list_sum_float as *const ()),
    ("kiln_list_slice", crate::rlistops::kiln_list_slice as *const ()),
    ("kiln_list_setslice", crate::rlistops::kiln_list_setslice as *const ()),
    ("kiln_list_concat", crate::rlistops::kiln_list_concat as *const ()),
    ("kiln_list_mul", crate::rlistops::kiln_list_mul as *const ()),
    ("kiln_list_range", crate::rlistops::kiln_list_range as *const ()),
    ("kiln_dict_new", crate::rdict::kiln_dict_new as *const ()),
    ("kiln_dict_getitem", crate::rdict::kiln_dict_getitem as *const ()),
    ("kiln_dict_setitem", crate::rdict::kiln_dict_setitem as *const ()),
    ("kiln_dict_delitem", crate::rdict::kiln_dict_delitem as *const ()),
    ("kiln_dict_contains", crate::rdict::kiln_dict_contains as *const ()),
    ("kiln_dict_get", crate::rdict::kiln_dict_get as *const ()),
    ("kiln_dict_setdefault", crate::rdict::kiln_dict_setdefault as *const ()),
    ("kiln_dict_pop", crate::rdict::kiln_dict_pop as *const ()),
    ("kiln_dict_pop_default", crate::rdict::kiln_dict_pop_default as *const ()),
    ("kiln_dict_clear", crate::rdict::kiln_dict_clear as *const ()),
    ("kiln_dict_copy", crate::rdict::kiln_dict_copy as *const ()),
    ("kiln_dict_update", crate::rdict::kiln_dict_update as *const ()),
    ("kiln_dict_next", crate::rdict::kiln_dict_next as *const ()),
    ("kiln_dict_key_at", crate::rdict::kiln_dict_key_at as *const ()),
    ("kiln_dict_value_at", crate::rdict::kiln_dict_value_at as *const ()),
    ("kiln_dict_keys", crate::rdict::kiln_dict_keys as *const ()),
    ("kiln_dict_values", crate::rdict::kiln_dict_values as *const ()),
    ("kiln_float_floordiv", crate::rmath::kiln_float_floordiv as *const ()),
    ("kiln_float_mod", crate::rmath::kiln_float_mod as *const ()),
    ("kiln_float_pow", crate::rmath::kiln_float_pow as *const ()),
    ("kiln_math_sqrt", crate::rmath::kiln_math_sqrt as *const ()),
    ("kiln_math_exp", crate::rmath::kiln_math_exp as *const ()),
    ("kiln_math_log", crate::rmath::kiln_math_log as *const ()),
    ("kiln_math_sin", crate::rmath::kiln_math_sin as *const ()),
    ("kiln_math_cos", crate::rmath::kiln_math_cos as *const ()),
    ("kiln_math_tan", crate::rmath::kiln_math_tan as *const ()),
    ("kiln_math_atan2", crate::rmath::kiln_math_atan2 as *const ()),
    ("kiln_str_rsplit", crate::rstrmeth::kiln_str_rsplit as *const ()),
    ("kiln_math_fmod", crate::rmath::kiln_math_fmod as *const ()),
    ("kiln_math_copysign", crate::rmath::kiln_math_copysign as *const ()),
    ("kiln_math_floor", crate::rmath::kiln_math_floor as *const ()),
    ("kiln_math_ceil", crate::rmath::kiln_math_ceil as *const ()),
    ("kiln_os_write", crate::ros::kiln_os_write as *const ()),
    ("kiln_os_read", crate::ros::kiln_os_read as *const ()),
    ("kiln_os_read_bytes", crate::ros::kiln_os_read_bytes as *const ()),
    ("kiln_os_write_bytes", crate::ros::kiln_os_write_bytes as *const ()),
    ("kiln_bytes_repr", crate::rbytes::kiln_bytes_repr as *const ()),
    ("kiln_bytes_decode_replace", crate::rbytes::kiln_bytes_decode_replace as *const ()),
    ("kiln_os_open", crate::ros::kiln_os_open as *const ()),
    ("kiln_os_close", crate::ros::kiln_os_close as *const ()),
    ("kiln_os_read_file", crate::ros::kiln_os_read_file as *const ()),
    ("kiln_time_time", crate::ros::kiln_time_time as *const ()),
    ("kiln_time_clock", crate::ros::kiln_time_clock as *const ()),
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

    /// The Rust source files under `dir`, subdirectories included.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the source directory is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every `#[no_mangle]` function in the crate's sources, found by reading them.
    fn exported_functions() -> Vec<String> {
        let mut files = Vec::new();
        sources(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut files);
        let mut names = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(path).expect("a readable source file");
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
