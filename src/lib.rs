//! lotse — skills profiling and job matching for German job centres and
//! refugee advisors. The engine lives here; `src/main.rs` is a thin binary.

pub mod allocate;
