//! The pages: one module per thing shown.

pub mod batch;
pub mod explain;
pub mod list;
pub mod offer;
pub mod profile;
