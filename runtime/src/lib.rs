//! The Kiln runtime (being written).
