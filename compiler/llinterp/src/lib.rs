//! The low-level graph interpreter (being written).
