//! Function families' results, once annotation has reached its fixpoint (part of RPython's
//! `normalizecalls`): functions held in one value (a variable, an attribute, a list) are
//! called through one pointer type, so they must return one type. A member that never
//! returns (it always raises: PySOM's `_unwritten_inc`, `_restart`) has no result
//! annotation; it gets the family's, as RPython gives it, so the family has one signature.

use std::collections::HashMap;

use kiln_frontend::ObjId;

use crate::annotate::{Annotator, SpecKey};
use crate::model::*;

/// The function sets (two or more functions) inside an annotation.
fn function_sets(s: &SomeValue, out: &mut Vec<Vec<ObjId>>) {
    match s {
        SomeValue::Pbc { descs, .. } => {
            let fs: Vec<ObjId> = descs.iter().filter_map(|d| if let Desc::Function(f) = d { Some(*f) } else { None }).collect();
            if fs.len() > 1 {
                out.push(fs);
            }
        }
        SomeValue::Tuple(items) => {
            for i in items.iter() {
                function_sets(i, out);
            }
        }
        _ => {}
    }
}

fn find(parent: &mut HashMap<ObjId, ObjId>, x: ObjId) -> ObjId {
    let p = *parent.entry(x).or_insert(x);
    if p == x {
        return x;
    }
    let r = find(parent, p);
    parent.insert(x, r);
    r
}

impl<'a> Annotator<'a> {
    /// Gives each never-returning member of a function family the family's result.
    pub(crate) fn normalize_family_returns(&mut self) {
        let mut sets = Vec::new();
        for g in &self.graphs {
            for b in &g.bindings {
                function_sets(b, &mut sets);
            }
        }
        for cd in &self.classdefs {
            for a in cd.attrs.values() {
                function_sets(&a.ann, &mut sets);
            }
        }
        for id in 0..self.lists.len() as u32 {
            let item = self.lists.get(id).item.clone();
            function_sets(&item, &mut sets);
        }
        for id in 0..self.dicts.len() as u32 {
            let d = self.dicts.get(id).clone();
            function_sets(&d.key, &mut sets);
            function_sets(&d.value, &mut sets);
        }
        if sets.is_empty() {
            return;
        }
        let mut parent: HashMap<ObjId, ObjId> = HashMap::new();
        for s in &sets {
            for f in &s[1..] {
                let (a, b) = (find(&mut parent, s[0]), find(&mut parent, *f));
                if a != b {
                    parent.insert(b, a);
                }
            }
        }
        // The default graph of each function (the one a pointer to it calls).
        let mut graph_of: HashMap<ObjId, GraphId> = HashMap::new();
        for (i, g) in self.graphs.iter().enumerate() {
            if g.spec == SpecKey::Default {
                graph_of.entry(g.func).or_insert(GraphId(i as u32));
            }
        }
        let members: Vec<ObjId> = parent.keys().copied().collect();
        let mut families: HashMap<ObjId, Vec<GraphId>> = HashMap::new();
        for f in members {
            if let Some(&g) = graph_of.get(&f) {
                let r = find(&mut parent, f);
                families.entry(r).or_default().push(g);
            }
        }
        for (_, gids) in families {
            let mut result = SomeValue::Impossible;
            let mut ok = true;
            for &g in &gids {
                let rv = self.graphs[g.0 as usize].graph.return_var();
                let r = self.binding(g, rv).without_const_keep_pbc();
                match self.union(&result, &r) {
                    Ok(u) => result = u,
                    // The RTyper reports the family's differing signatures (E0412).
                    Err(_) => ok = false,
                }
            }
            if !ok || result.is_impossible() {
                continue;
            }
            for &g in &gids {
                let rv = self.graphs[g.0 as usize].graph.return_var();
                if self.binding(g, rv).is_impossible() {
                    self.graphs[g.0 as usize].bindings[rv.0 as usize] = result.clone();
                }
            }
        }
    }
}
