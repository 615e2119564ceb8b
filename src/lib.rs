//! claimlint: a linter for health and beauty marketing copy.
//!
//! A document travels one pipeline:
//!
//! ```text
//! read (walk, decode) → extract (text + offset map) → match (one automaton) →
//! judge (claims, negation, lists, evidence, jurisdictions) → report (human, json, ...)
//! ```
//!
//! - [`source`]: walking, reading, decoding, format extraction, offset maps and line indexes.
//! - [`rules`]: the rule-pack format, loading, validation and the validated model.
//! - [`engine`]: normalization, segmentation, the matcher and the claim finder.
//! - [`judge`]: product type and class, evidence choice and severity.
//! - [`diagnostic`]: the one finding type every stage speaks.
//! - [`config`]: `claimlint.toml` discovery, validation and per-file settings.
//! - [`policy`]: the team's decisions applied to findings: rule settings, inline suppressions,
//!   the approved-claims register, baselines, changed lines.
//! - [`report`]: output formats behind one `Reporter` trait.
//! - [`app`]: the commands, wiring the above together.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod eval;
pub mod judge;
pub mod policy;
pub mod report;
pub mod rules;
pub mod source;

#[cfg(test)]
mod fuzz;
