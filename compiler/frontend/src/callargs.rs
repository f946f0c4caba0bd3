//! Binding call arguments to parameters: positional, keyword, defaults, with Python's
//! error messages. Shared by the import-time evaluator (on values) and the flowspace (on
//! flow-graph operands), so both stages accept exactly the same calls.

use std::sync::Arc;

use crate::value::Params;

/// Why a call does not fit a function's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindError(pub String);

/// Binds `positional` and `keywords` to `params`. `defaults` are the defaults of the last
/// positional parameters, `kwdefaults` those of keyword-only ones. Returns one operand per
/// positional parameter followed by one per keyword-only parameter. `*args`/`**kwargs`
/// parameters are not supported at run time and are rejected by the caller.
pub fn bind<T: Clone>(
    fname: &str,
    params: &Params,
    defaults: &[T],
    kwdefaults: &[(Arc<str>, T)],
    positional: Vec<T>,
    keywords: Vec<(Arc<str>, T)>,
) -> Result<Vec<T>, BindError> {
    let npos = params.positional.len();
    if positional.len() > npos {
        let takes = if defaults.is_empty() {
            format!("{npos} positional argument{}", if npos == 1 { "" } else { "s" })
        } else {
            format!("from {} to {npos} positional arguments", npos - defaults.len())
        };
        return Err(BindError(format!("{fname}() takes {takes} but {} {} given", positional.len(), if positional.len() == 1 { "was" } else { "were" })));
    }
    let mut slots: Vec<Option<T>> = vec![None; npos + params.kwonly.len()];
    for (i, v) in positional.into_iter().enumerate() {
        slots[i] = Some(v);
    }
    for (name, v) in keywords {
        let idx = params
            .positional
            .iter()
            .position(|p| *p == name)
            .filter(|i| *i >= params.posonly)
            .or_else(|| params.kwonly.iter().position(|p| *p == name).map(|i| npos + i));
        match idx {
            Some(i) => {
                if slots[i].is_some() {
                    return Err(BindError(format!("{fname}() got multiple values for argument '{name}'")));
                }
                slots[i] = Some(v);
            }
            None => return Err(BindError(format!("{fname}() got an unexpected keyword argument '{name}'"))),
        }
    }
    let first_default = npos - defaults.len();
    let mut missing = Vec::new();
    for i in 0..npos {
        if slots[i].is_none() {
            if i >= first_default {
                slots[i] = Some(defaults[i - first_default].clone());
            } else {
                missing.push(format!("'{}'", params.positional[i]));
            }
        }
    }
    for (j, name) in params.kwonly.iter().enumerate() {
        if slots[npos + j].is_none() {
            match kwdefaults.iter().find(|(n, _)| n == name) {
                Some((_, v)) => slots[npos + j] = Some(v.clone()),
                None => missing.push(format!("'{name}'")),
            }
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            _ => format!("{} and {}", missing[..missing.len() - 1].join(", "), missing[missing.len() - 1]),
        };
        return Err(BindError(format!(
            "{fname}() missing {} required argument{}: {list}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(slots.into_iter().map(|s| s.expect("every slot is filled or reported missing")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(names: &[&str]) -> Params {
        Params { positional: names.iter().map(|n| Arc::from(*n)).collect(), ..Default::default() }
    }

    #[test]
    fn binds_keywords_and_defaults() {
        let p = params(&["a", "b", "c"]);
        let r = bind("f", &p, &[30], &[], vec![1], vec![(Arc::from("b"), 2)]).unwrap();
        assert_eq!(r, vec![1, 2, 30]);
    }

    #[test]
    fn reports_python_messages() {
        let p = params(&["a", "b"]);
        assert_eq!(bind::<i32>("f", &p, &[], &[], vec![1, 2, 3], vec![]).unwrap_err().0, "f() takes 2 positional arguments but 3 were given");
        assert_eq!(bind::<i32>("f", &p, &[], &[], vec![], vec![]).unwrap_err().0, "f() missing 2 required arguments: 'a' and 'b'");
        assert_eq!(bind("f", &p, &[], &[], vec![1], vec![(Arc::from("a"), 2)]).unwrap_err().0, "f() got multiple values for argument 'a'");
        assert_eq!(bind("f", &p, &[], &[], vec![1], vec![(Arc::from("z"), 2)]).unwrap_err().0, "f() got an unexpected keyword argument 'z'");
    }
}
