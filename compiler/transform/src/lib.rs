//! Translation aspects on low-level graphs (being written).
