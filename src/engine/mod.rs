//! The engine: normalize → segment → match (one automaton) → find claims → diagnostics with
//! spans in the original file.

pub mod claims;
pub mod matcher;
pub mod normalize;
pub mod segment;
pub mod text;

use std::ops::Range;

pub use claims::Claim;
pub use matcher::{BuildError, Matcher};

use crate::diagnostic::Diagnostic;
use crate::rules::RulePack;
use crate::source::SourceFile;

/// A compiled pack, shared read-only by every worker.
#[derive(Debug)]
pub struct Engine {
    pack: RulePack,
    matcher: Matcher,
}

impl Engine {
    pub fn new(pack: RulePack) -> Result<Engine, BuildError> {
        let matcher = Matcher::new(&pack)?;
        Ok(Engine { pack, matcher })
    }

    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Claims of a plain text, with spans in that text.
    pub fn check_text(&self, text: &str) -> Vec<Claim> {
        let normalized = normalize::normalize(text);
        let mut claims = self.claims_of_normalized(&normalized.text);
        for claim in &mut claims {
            claim.span = normalized.map.map(claim.span.start)..normalized.map.map(claim.span.end);
        }
        claims
    }

    fn claims_of_normalized(&self, text: &str) -> Vec<Claim> {
        let hits = self.matcher.find(text);
        if hits.is_empty() {
            return Vec::new();
        }
        let sentences = segment::sentences(text);
        claims::find_claims(&self.pack, &self.matcher, text, &hits, &sentences)
    }

    /// Diagnostics of a file, with spans in its original bytes, sorted by offset.
    pub fn check_file(&self, file: &SourceFile) -> Vec<Diagnostic> {
        let extracted = file.extract();
        let normalized = normalize::normalize(&extracted.text);
        let claims = self.claims_of_normalized(&normalized.text);
        let to_original = |offset: usize| -> usize {
            file.decode_map
                .map(extracted.map.map(normalized.map.map(offset)))
        };
        let mut diagnostics: Vec<Diagnostic> = claims
            .into_iter()
            .map(|claim| {
                let span: Range<usize> = to_original(claim.span.start)..to_original(claim.span.end);
                let rule = &self.pack.rules[claim.rule as usize];
                Diagnostic {
                    rule: claim.rule as usize,
                    severity: rule.severity,
                    text: file.original_text(span.clone()).into_owned(),
                    span,
                    listed_after: claim.listed_after,
                }
            })
            .collect();
        diagnostics.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });
        diagnostics
    }
}
