//! Which product class (and route) a claim is about, read off the copy.
//!
//! The evidence for "regrows hair" differs between PRP, exosomes and a plain cosmetic, so every
//! claim is attributed to a class: the class named nearest to it in its own sentence, else the
//! class the document names most often, else, when the user declared a cosmetic and the copy names
//! no special ingredient, a plain cosmetic. The route (topical, microneedling, intradermal, IV drip,
//! intranasal) is found the same way and shown with the class.

use std::ops::Range;

use serde::Serialize;

use super::ProductType;
use crate::engine::matcher::{Hit, HitKind, Matcher, Role};
use crate::rules::{ProductClass, Route};

/// Where the assumed class came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassSource {
    /// Named in the claim's own sentence.
    Sentence,
    /// The class the document names most often.
    Document,
    /// The user declared a cosmetic and the copy names no special ingredient.
    Declared,
}

/// The product class and route a claim is assumed to be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Assumed {
    pub class: Option<(ProductClass, ClassSource)>,
    pub route: Option<Route>,
}

/// The class and route cues of one document.
#[derive(Debug, Default)]
pub struct DocumentCues {
    classes: Vec<(usize, ProductClass)>,
    routes: Vec<(usize, Route)>,
    dominant_class: Option<ProductClass>,
    dominant_route: Option<Route>,
}

impl DocumentCues {
    /// Collects the cues among a document's hits (sorted by start).
    pub fn new(matcher: &Matcher, hits: &[Hit]) -> DocumentCues {
        let mut cues = DocumentCues::default();
        cues.collect(matcher, hits);
        cues.finish();
        cues
    }

    /// The cues of a document checked in pieces: each piece's cues (`collect`), in order.
    pub fn from_pieces(pieces: impl IntoIterator<Item = DocumentCues>) -> DocumentCues {
        let mut cues = DocumentCues::default();
        for piece in pieces {
            cues.classes.extend(piece.classes);
            cues.routes.extend(piece.routes);
        }
        cues.finish();
        cues
    }

    /// Adds the cues among `hits` (sorted by start, after those already collected).
    pub fn collect(&mut self, matcher: &Matcher, hits: &[Hit]) {
        let cues = self;
        for hit in hits {
            let HitKind::Literal(l) = hit.kind else {
                continue;
            };
            for role in matcher.roles(l) {
                match role {
                    Role::Class(c) => cues.classes.push((hit.start, *c)),
                    Role::Route(r) => cues.routes.push((hit.start, *r)),
                    _ => {}
                }
            }
        }
    }

    fn finish(&mut self) {
        self.dominant_class = dominant(&self.classes);
        self.dominant_route = dominant(&self.routes);
    }

    /// The class and route of a claim at `span` in `sentence`.
    pub fn assume(
        &self,
        sentence: Range<usize>,
        span: &Range<usize>,
        product: Option<ProductType>,
    ) -> Assumed {
        let class = nearest(&self.classes, &sentence, span.start)
            .map(|c| (c, ClassSource::Sentence))
            .or_else(|| self.dominant_class.map(|c| (c, ClassSource::Document)))
            .or_else(|| {
                (product == Some(ProductType::Cosmetic))
                    .then_some((ProductClass::Cosmetic, ClassSource::Declared))
            });
        let route = nearest(&self.routes, &sentence, span.start).or(self.dominant_route);
        Assumed { class, route }
    }
}

/// The cue in `sentence` nearest to `pos` (`cues` are sorted by position).
fn nearest<T: Copy>(cues: &[(usize, T)], sentence: &Range<usize>, pos: usize) -> Option<T> {
    let first = cues.partition_point(|(p, _)| *p < sentence.start);
    let last = cues.partition_point(|(p, _)| *p < sentence.end);
    cues[first..last]
        .iter()
        .min_by_key(|(p, _)| p.abs_diff(pos))
        .map(|(_, c)| *c)
}

/// The most frequent value; ties go to the one named first.
fn dominant<T: Copy + PartialEq>(cues: &[(usize, T)]) -> Option<T> {
    let mut counts: Vec<(T, usize, usize)> = Vec::new();
    for (pos, value) in cues {
        match counts.iter_mut().find(|(v, _, _)| v == value) {
            Some(entry) => entry.1 += 1,
            None => counts.push((*value, 1, *pos)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(v, _, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominant_prefers_count_then_first_mention() {
        assert_eq!(dominant(&[(5, 'a'), (9, 'b'), (12, 'b')]), Some('b'));
        assert_eq!(dominant(&[(5, 'a'), (9, 'b')]), Some('a'));
        assert_eq!(dominant::<char>(&[]), None);
    }

    #[test]
    fn nearest_stays_in_the_sentence() {
        let cues = [(2, 'a'), (20, 'b'), (40, 'c')];
        assert_eq!(nearest(&cues, &(10..35), 30), Some('b'));
        assert_eq!(nearest(&cues, &(21..35), 30), None);
    }
}
