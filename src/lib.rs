//! lotse — skills profiling and job matching for German job centres and
//! refugee advisors. The engine lives here; `src/main.rs` is a thin binary.

pub mod accounts;
pub mod allocate;
pub mod audit;
pub mod catalogue;
pub mod cefr;
pub mod duplicates;
pub mod error;
pub mod import;
pub mod permit;
pub mod profile;
pub mod records;
pub mod validate;

pub use error::{Diagnostic, Error, Result};
pub mod batch;
pub mod config;
pub mod csv_safe;
pub mod engine;
pub mod erase;
pub mod export;
pub mod generate;
pub mod index;
pub mod rank;
pub mod report;
pub mod resolve;
pub mod resolved;
pub mod score;
pub mod text;
pub mod web;
