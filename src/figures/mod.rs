//! The figure model: typed sources, figures, events and tables from
//! `content/data.toml`, with derived figures computed and every relation
//! between figures checked.
//!
//! This is what sets briefing apart: a number is data with a unit, a period
//! and a source, written by one formatter, and checked against the other
//! numbers it is related to. [`RawData`] is the file as serde reads it;
//! [`Book`] is the resolved, read-only model the rest of the build uses.

pub mod chart;
pub mod comparisons;
pub mod expand;
pub mod format;
pub mod functions;
pub mod html;
pub mod interval;
pub mod locale;
pub mod period;
pub mod period_text;
pub mod translations;
pub mod units;

mod builder;
mod model;
mod raw;

pub use builder::build;
pub use model::*;
pub use raw::*;

/// Map of ids to entries, in file order, with the id's place in the file.
pub type Entries<T> = indexmap::IndexMap<toml::Spanned<String>, toml::Spanned<T>>;
