//! Resume data: what a failing guard needs to rebuild the interpreter's frames.
//!
//! A snapshot is a list of frames, outermost first, each a jitcode position and the values
//! of its live registers. A value is a box, a constant, or a *virtual*: an object the
//! optimizer removed, described field by field so that it can be allocated when the guard
//! fails (allocation removal will create these; the format and the verifier handle them
//! already).

use crate::descr::DescrId;
use crate::ir::Value;

/// A position in the jitcodes: which jitcode and which instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResumePos {
    pub jitcode: u32,
    pub pc: u32,
}

/// One value to write into a resumed frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResumeValue {
    Value(Value),
    /// Index into `ResumeData::virtuals`.
    Virtual(u32),
}

/// One interpreter frame of a snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameSnapshot {
    /// `None` only in hand-written traces (optimizer tests), which need no position.
    pub pos: Option<ResumePos>,
    pub values: Vec<ResumeValue>,
}

/// An object that does not exist while compiled code runs, to be built on guard failure.
#[derive(Clone, Debug, PartialEq)]
pub enum VirtualInfo {
    /// A struct or instance: its size descriptor and its fields' values.
    Struct { descr: DescrId, fields: Vec<(DescrId, ResumeValue)> },
    /// An array: its array descriptor and its items.
    Array { descr: DescrId, items: Vec<ResumeValue> },
}

impl VirtualInfo {
    fn values_mut(&mut self) -> Box<dyn Iterator<Item = &mut ResumeValue> + '_> {
        match self {
            VirtualInfo::Struct { fields, .. } => Box::new(fields.iter_mut().map(|(_, v)| v)),
            VirtualInfo::Array { items, .. } => Box::new(items.iter_mut()),
        }
    }

    pub fn values(&self) -> Box<dyn Iterator<Item = &ResumeValue> + '_> {
        match self {
            VirtualInfo::Struct { fields, .. } => Box::new(fields.iter().map(|(_, v)| v)),
            VirtualInfo::Array { items, .. } => Box::new(items.iter()),
        }
    }
}

/// The snapshot attached to a guard.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResumeData {
    pub frames: Vec<FrameSnapshot>,
    pub virtuals: Vec<VirtualInfo>,
}

impl ResumeData {
    /// A snapshot of one frame without position, as hand-written traces have.
    pub fn simple(values: Vec<Value>) -> ResumeData {
        ResumeData {
            frames: vec![FrameSnapshot {
                pos: None,
                values: values.into_iter().map(ResumeValue::Value).collect(),
            }],
            virtuals: vec![],
        }
    }

    /// Every box or constant the snapshot reads, virtuals' fields included.
    pub fn for_each_value(&self, f: &mut impl FnMut(Value)) {
        let frames = self.frames.iter().flat_map(|fr| fr.values.iter());
        let virtuals = self.virtuals.iter().flat_map(|v| v.values());
        for rv in frames.chain(virtuals) {
            if let ResumeValue::Value(v) = rv {
                f(*v);
            }
        }
    }

    pub fn map_values(&mut self, f: &mut impl FnMut(Value) -> Value) {
        let frames = self.frames.iter_mut().flat_map(|fr| fr.values.iter_mut());
        let virtuals = self.virtuals.iter_mut().flat_map(|v| v.values_mut());
        for rv in frames.chain(virtuals) {
            if let ResumeValue::Value(v) = rv {
                *v = f(*v);
            }
        }
    }

    /// Every virtual index mentioned anywhere in the snapshot.
    pub fn for_each_virtual_ref(&self, f: &mut impl FnMut(u32)) {
        let frames = self.frames.iter().flat_map(|fr| fr.values.iter());
        let virtuals = self.virtuals.iter().flat_map(|v| v.values());
        for rv in frames.chain(virtuals) {
            if let ResumeValue::Virtual(i) = rv {
                f(*i);
            }
        }
    }
}
