//! The engine: normalize → segment → match (one automaton) → find claims → diagnostics with
//! spans in the original file.

pub mod budget;
pub mod claims;
pub mod examples;
mod lanes;
pub mod matcher;
pub mod normalize;
pub mod patterns;
pub mod segment;
pub mod text;

use std::ops::Range;

pub use budget::{Budget, OverBudget};
pub use claims::{Claim, ClaimContext};
pub use matcher::{BuildError, Matcher};

use crate::diagnostic::Diagnostic;
use crate::judge::ProductType;
use crate::judge::classes::DocumentCues;
use crate::rules::{RulePack, Severity};
use crate::source::SourceFile;

/// Normalized texts longer than this are checked in pieces, in parallel.
const SPLIT_AFTER: usize = 4 << 20;
/// About how long each piece is.
const PIECE_LEN: usize = 1 << 20;

/// Splits a normalized text into pieces of about `len` bytes, each ending just after a
/// paragraph break (or at the end of the text). A break after a lead-in (`:`, which takes the
/// next paragraph into its sentence) or a question (answered or not by the next sentence) does
/// not split.
fn pieces(text: &str, len: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = len;
    while at < bytes.len() {
        let Some(k) = memchr::memmem::find(&bytes[at..], b"\n\n").map(|k| at + k) else {
            break;
        };
        if matches!(
            text[..k].trim_end().chars().next_back(),
            Some(':' | '?' | '？')
        ) {
            at = k + 1;
            continue;
        }
        out.push(start..k + 2);
        start = k + 2;
        at = start + len;
    }
    out.push(start..bytes.len());
    out
}

/// A compiled pack, shared read-only by every worker. Cloning shares the pack and the matcher
/// (a clone per product type costs two reference counts).
#[derive(Debug, Clone)]
pub struct Engine {
    pack: std::sync::Arc<RulePack>,
    matcher: std::sync::Arc<Matcher>,
    product: Option<ProductType>,
    genre: Option<crate::judge::Genre>,
}

impl Engine {
    pub fn new(pack: RulePack) -> Result<Engine, BuildError> {
        let matcher = Matcher::new(&pack)?;
        Ok(Engine {
            pack: std::sync::Arc::new(pack),
            matcher: std::sync::Arc::new(matcher),
            product: None,
            genre: None,
        })
    }

    /// Sets the kind of document the copy is (`--genre`): outside marketing every claim is
    /// reported at info.
    pub fn with_genre(mut self, genre: Option<crate::judge::Genre>) -> Engine {
        self.genre = genre;
        self
    }

    /// Sets the product type the copy sells (`--product`).
    pub fn with_product(mut self, product: Option<ProductType>) -> Engine {
        self.product = product;
        self
    }

    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Claims of a plain text, with spans in that text: every rule's own claims, before
    /// diagnostics of one category are merged (rule self-tests use this).
    pub fn check_text(&self, text: &str) -> Vec<Claim> {
        let normalized = normalize::normalize(text);
        let mut claims = self
            .claims_of_normalized(&normalized.text, &Budget::unlimited())
            .unwrap_or_default();
        for claim in &mut claims {
            claim.span = normalized.map.map(claim.span.start)..normalized.map.map(claim.span.end);
        }
        claims
    }

    /// Claims of a normalized text, each with its assumed product class and route.
    fn claims_of_normalized(&self, text: &str, budget: &Budget) -> Result<Vec<Claim>, OverBudget> {
        if text.len() > SPLIT_AFTER && self.matcher.splits_at_paragraphs() {
            let pieces = pieces(text, PIECE_LEN);
            if pieces.len() > 1 {
                return self.claims_in_pieces(text, &pieces, budget);
            }
        }
        let hits = self.matcher.find(text);
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        budget.check()?;
        let sentences = segment::sentences(text);
        let mut claims =
            claims::find_claims(&self.pack, &self.matcher, text, &hits, &sentences, budget)?;
        let cues = DocumentCues::new(&self.matcher, &hits);
        for claim in &mut claims {
            let i = sentences.partition_point(|s| s.end <= claim.span.start);
            let sentence = sentences.get(i).cloned().unwrap_or(claim.span.clone());
            claim.assumed = cues.assume(sentence, &claim.span, self.product);
        }
        Ok(claims)
    }

    /// `claims_of_normalized` for a long text, piece by piece in parallel: the same claims.
    ///
    /// Each piece lies between paragraph breaks where no sentence continues (see `pieces`), so
    /// its sentences, hits and claims are those of the whole text there. The regexes that may
    /// match across a paragraph break run over the whole text first; the product class most
    /// named is counted over the whole document.
    fn claims_in_pieces(
        &self,
        text: &str,
        pieces: &[Range<usize>],
        budget: &Budget,
    ) -> Result<Vec<Claim>, OverBudget> {
        use rayon::prelude::*;
        let m = &self.matcher;
        // The regexes that may match across a paragraph break, over the whole text, while
        // the automaton is built as a DFA for the whole text.
        let ((), whole) = rayon::join(
            || m.will_scan(text.len()),
            || m.whole_text_hits(text, pieces),
        );
        let mut whole_by_piece: Vec<Vec<(u32, matcher::Hit)>> = vec![Vec::new(); pieces.len()];
        for (r, hit) in whole {
            let k = pieces.partition_point(|p| p.end <= hit.start);
            whole_by_piece[k].push((r, hit));
        }
        // Hits, sentences and claims piece by piece; a piece's hits are dropped once its claims
        // and class cues are found.
        // Each claim keeps its sentence; a piece's sentences are dropped with its hits.
        type Found = (Vec<(Claim, Range<usize>)>, DocumentCues);
        budget.check()?;
        let found: Vec<Found> = pieces
            .par_iter()
            .zip(whole_by_piece)
            .map(|(piece, mut pattern_hits)| {
                budget.check()?;
                let scan = m.scan(text, piece.clone());
                m.run_regexes(
                    text,
                    piece.clone(),
                    &scan.starts,
                    |re| !re.whole_text,
                    &mut pattern_hits,
                );
                drop(scan.starts);
                let hits = matcher::assemble(scan.literal_hits, pattern_hits);
                let mut cues = DocumentCues::default();
                cues.collect(m, &hits);
                if hits.is_empty() {
                    return Ok((Vec::new(), cues));
                }
                let sentences = segment::sentences_in(text, piece.clone());
                let claims = claims::find_claims(&self.pack, m, text, &hits, &sentences, budget)?
                    .into_iter()
                    .map(|claim| {
                        let i = sentences.partition_point(|s| s.end <= claim.span.start);
                        let sentence = sentences.get(i).cloned().unwrap_or(claim.span.clone());
                        (claim, sentence)
                    })
                    .collect();
                Ok((claims, cues))
            })
            .collect::<Result<_, OverBudget>>()?;
        let mut parts = Vec::with_capacity(found.len());
        let mut cue_parts = Vec::with_capacity(found.len());
        for (claims, cues) in found {
            parts.push(claims);
            cue_parts.push(cues);
        }
        let cues = DocumentCues::from_pieces(cue_parts);
        Ok(parts
            .into_par_iter()
            .flat_map_iter(|claims| {
                claims.into_iter().map(|(mut claim, sentence)| {
                    claim.assumed = cues.assume(sentence, &claim.span, self.product);
                    claim
                })
            })
            .collect())
    }

    /// The severity of a claim: the rule's default, lowered to info in a cautionary sentence,
    /// and in a descriptive one when the claim is about a mechanism (regeneration, healing,
    /// inflammation, immunity, collagen, pain). An outcome for the reader (hair, wrinkles, skin
    /// tone, ageing, disease, wellbeing) or a marketing assertion keeps its severity whatever the
    /// sentence's subject.
    pub fn severity(&self, claim: &Claim) -> Severity {
        let rule = &self.pack.rules[claim.rule as usize];
        if self.genre.is_some_and(|g| !g.sells()) {
            return Severity::Info;
        }
        match claim.context {
            Some(ClaimContext::Cautionary | ClaimContext::Reported) => Severity::Info,
            Some(ClaimContext::Descriptive) if rule.category.is_mechanism() => Severity::Info,
            _ => {
                let class = claim.assumed.class.map(|(c, _)| c);
                let level = rule.evidence_for(class).level;
                crate::judge::severity_for_product(rule, self.product)
                    .max(crate::judge::evidence_floor(level))
            }
        }
    }

    /// Nested claims of one category are one finding: when one claim's span contains another's,
    /// keep the most severe rule (then the longer span, then the earlier rule), so one phrase
    /// does not collect several diagnostics that say the same thing.
    fn one_per_category(&self, mut claims: Vec<Claim>) -> Vec<Claim> {
        let category = |c: &Claim| self.pack.rules[c.rule as usize].category;
        let rank = |c: &Claim| {
            (
                std::cmp::Reverse(self.severity(c)),
                std::cmp::Reverse(c.span.len()),
                c.rule,
            )
        };
        // Stable sorts (on parallel threads: a long export has hundreds of thousands of claims).
        use rayon::slice::ParallelSliceMut;
        claims.par_sort_by_key(|c| (category(c), c.span.start));
        let mut kept: Vec<Claim> = Vec::with_capacity(claims.len());
        for claim in claims {
            if let Some(last) = kept.last_mut()
                && category(last) == category(&claim)
                && (claim.span.end <= last.span.end
                    || (claim.span.start == last.span.start && claim.span.end >= last.span.end))
            {
                if rank(&claim) < rank(last) {
                    *last = claim;
                }
                continue;
            }
            kept.push(claim);
        }
        kept.par_sort_by_key(|c| (c.span.start, c.span.end, c.rule));
        kept
    }

    /// Diagnostics of a file, with spans in its original bytes, sorted by offset.
    pub fn check_file(&self, file: &SourceFile) -> Vec<Diagnostic> {
        self.check_file_within(file, &Budget::unlimited())
            .unwrap_or_default()
    }

    /// `check_file`, stopping with `OverBudget` once `budget` has run out.
    pub fn check_file_within(
        &self,
        file: &SourceFile,
        budget: &Budget,
    ) -> Result<Vec<Diagnostic>, OverBudget> {
        let extracted = file.extract();
        let extracted_map = extracted.map;
        // An extracted copy is normalized in its own buffer; the file's own text is copied.
        // Only the maps are kept once the claims are found.
        let normalized = match extracted.text {
            std::borrow::Cow::Owned(text) => normalize::normalize_owned(text),
            std::borrow::Cow::Borrowed(text) => normalize::normalize(text),
        };
        budget.check()?;
        let claims = self.claims_of_normalized(&normalized.text, budget)?;
        let normalized_map = normalized.map;
        drop(normalized.text);
        let to_original = |offset: usize| -> usize {
            file.decode_map
                .map(extracted_map.map(normalized_map.map(offset)))
        };
        let claims = self.one_per_category(claims);
        // A long file's claims are mapped back on parallel threads, in order.
        use rayon::prelude::*;
        let mut diagnostics: Vec<Diagnostic> = claims
            .into_par_iter()
            .with_min_len(4096)
            .map(|claim| {
                let span: Range<usize> = to_original(claim.span.start)..to_original(claim.span.end);
                let severity = self.severity(&claim);
                let lowered = severity < self.pack.rules[claim.rule as usize].severity;
                Diagnostic {
                    rule: claim.rule as usize,
                    severity,
                    text: file.original_text(span.clone()).into_owned(),
                    span,
                    listed_after: claim.listed_after,
                    // The context is reported where it changed the severity; a genre that sells
                    // nothing lowers every claim, and says so.
                    context: if lowered && self.genre.is_some_and(|g| !g.sells()) {
                        Some(ClaimContext::Genre)
                    } else {
                        claim.context.filter(|_| lowered)
                    },
                    assumed: claim.assumed,
                    hedge: claim.hedge,
                    preclinical: claim.preclinical,
                    approval: None,
                }
            })
            .collect();
        diagnostics.sort_by(|a, b| {
            (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
        });

        Ok(diagnostics)
    }
}

/// The texts of the labelled corpus in `fixtures/corpus`, in file-name order (for tests).
#[cfg(test)]
pub(crate) fn corpus_fixtures() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("fixture reads"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = r#"
[[evidence]]
id = "E-T"
title = "t"
study_type = "review"
url = "https://example.org/t"
finding = "f"
grade = "C"
verification = "primary"
reviewed = "2026-11-22"

[[regulation]]
id = "R-T"
jurisdiction = "us"
instrument = "i"
title = "t"
url = "https://example.org/r"
summary = "s"
verification = "primary"
reviewed = "2026-11-22"

[lexicon.act]
terms = ["improve~", "treat~", "cure~", "regrow~"]

[context]
negators = ["not", "no", "no evidence"]
neutral = ["not only"]
"#;

    fn rule(id: &str, body: &str) -> String {
        format!(
            r#"
[[rule]]
id = "{id}"
category = "disease"
severity = "error"
message = "m"
rationale = "r"
suggestion = "s"
{body}
[[rule.evidence]]
level = "E"
sources = ["E-T"]
summary = "s"
[[rule.regulatory]]
jurisdiction = "us"
note = "n"
refs = ["R-T"]
reviewed = "2026-11-22"
[rule.examples]
fire = ["x"]
pass = ["y"]
"#
        )
    }

    fn engine() -> Engine {
        let rules = [
            rule(
                "t.safety",
                r#"phrases = ["no side effects", "completely safe"]"#,
            ),
            rule(
                "t.hair",
                "[rule.composite]\nactions = [\"@act\"]\ntargets = [\"hair loss\", \"alopecia\", \"thinning hair\"]\nmax_gap = 4",
            ),
            rule(
                "t.sleep",
                "[rule.composite]\nactions = [\"@act\"]\ntargets = [\"insomnia\", \"fatigue\"]",
            ),
            rule("t.regex", r#"patterns = ['\bno\.? ?1\b']"#),
        ];
        let files = vec![
            ("sources.toml".to_owned(), SOURCES.to_owned()),
            ("rules.toml".to_owned(), rules.concat()),
        ];
        Engine::new(crate::rules::load::load(&files).expect("test pack loads")).expect("compiles")
    }

    fn found(engine: &Engine, text: &str) -> Vec<(String, String)> {
        engine
            .check_text(text)
            .into_iter()
            .map(|c| {
                (
                    engine.pack().rules[c.rule as usize].id.clone(),
                    text[c.span].to_owned(),
                )
            })
            .collect()
    }

    fn pair(rule: &str, text: &str) -> (String, String) {
        (rule.to_owned(), text.to_owned())
    }

    #[test]
    fn phrase_is_a_claim_and_its_own_no_does_not_negate_it() {
        let e = engine();
        assert_eq!(
            found(&e, "No side effects at all."),
            [pair("t.safety", "No side effects")]
        );
        assert!(found(&e, "It is not completely safe.").is_empty());
        assert_eq!(
            found(&e, "No needles, no downtime and no side effects."),
            [pair("t.safety", "no side effects")]
        );
    }

    #[test]
    fn composite_links_action_and_target_in_either_order() {
        let e = engine();
        assert_eq!(
            found(&e, "It treats hair loss."),
            [pair("t.hair", "treats hair loss")]
        );
        assert_eq!(
            found(&e, "Thinning hair is improved."),
            [pair("t.hair", "Thinning hair is improved")]
        );
    }

    #[test]
    fn composite_needs_one_sentence_and_a_bounded_gap() {
        let e = engine();
        assert!(found(&e, "We treat many people. Hair loss is common.").is_empty());
        assert!(found(&e, "It treats one two three four five six hair loss.").is_empty());
    }

    #[test]
    fn negation_drops_the_claim() {
        let e = engine();
        assert!(found(&e, "It does not cure alopecia.").is_empty());
        assert!(found(&e, "There is no evidence that it regrows thinning hair.").is_empty());
        assert!(found(&e, "It does not treat or cure alopecia.").is_empty());
        assert_eq!(
            found(&e, "It is not a drug, but it treats alopecia."),
            [pair("t.hair", "treats alopecia")]
        );
        assert_eq!(
            found(&e, "It not only treats alopecia but more."),
            [pair("t.hair", "treats alopecia")]
        );
    }

    #[test]
    fn listed_conditions_inherit_the_lead_in() {
        let e = engine();
        let text = "It is expected to improve the following symptoms:\n\nAlopecia, thinning hair, fatigue, insomnia, etc.";
        let claims = e.check_text(text);
        let spans: Vec<&str> = claims.iter().map(|c| &text[c.span.clone()]).collect();
        assert_eq!(spans, ["Alopecia", "thinning hair", "fatigue", "insomnia"]);
        assert!(
            claims
                .iter()
                .all(|c| c.listed_after.as_deref() == Some("improve"))
        );
    }

    #[test]
    fn bulleted_lists_inherit_the_lead_in_however_long() {
        let e = engine();
        let text = "Patients find it can improve the following:\n- Thinning hair at the crown and the temples\n- Fatigue after a long day at work\n- Insomnia\n\nBook today.";
        let spans: Vec<&str> = e
            .check_text(text)
            .iter()
            .map(|c| &text[c.span.clone()])
            .collect();
        assert_eq!(spans, ["Thinning hair", "Fatigue", "Insomnia"]);
    }

    #[test]
    fn an_action_reaches_the_first_target_and_the_list_the_rest() {
        let e = engine();
        assert_eq!(
            found(&e, "It treats alopecia and even insomnia."),
            [
                pair("t.hair", "treats alopecia"),
                pair("t.sleep", "insomnia")
            ]
        );
    }

    #[test]
    fn overlapping_hits_of_one_rule_merge() {
        let e = engine();
        assert_eq!(
            found(&e, "It cures and treats alopecia."),
            [pair("t.hair", "treats alopecia")]
        );
    }

    #[test]
    fn regex_phrases_fire() {
        let e = engine();
        assert_eq!(
            found(&e, "Ranked No. 1 in Tokyo."),
            [pair("t.regex", "No. 1")]
        );
    }

    /// Claims of the pieces path and the whole-text path, with pieces of about `len` bytes.
    fn both_ways(engine: &Engine, text: &str, len: usize) -> (Vec<Claim>, Vec<Claim>) {
        let normalized = normalize::normalize(text);
        let text = normalized.text.as_str();
        let mut whole = engine.matcher.find(text);
        let sentences = segment::sentences(text);
        let mut claims = claims::find_claims(
            &engine.pack,
            &engine.matcher,
            text,
            &whole,
            &sentences,
            &Budget::unlimited(),
        )
        .expect("no limit");
        let cues = DocumentCues::new(&engine.matcher, &whole);
        for claim in &mut claims {
            let i = sentences.partition_point(|s| s.end <= claim.span.start);
            let sentence = sentences.get(i).cloned().unwrap_or(claim.span.clone());
            claim.assumed = cues.assume(sentence, &claim.span, None);
        }
        whole.clear();
        let split = pieces(text, len);
        assert!(split.len() > 3, "{} pieces", split.len());
        let pieces = engine
            .claims_in_pieces(text, &split, &Budget::unlimited())
            .expect("no limit");
        (claims, pieces)
    }

    #[test]
    fn pieces_find_what_the_whole_text_finds() {
        let engine = Engine::new(crate::rules::load_embedded().expect("pack")).expect("compiles");
        let mut text = String::new();
        for s in corpus_fixtures() {
            // One paragraph per line, and a few lines run together.
            for (i, line) in s.lines().enumerate() {
                text.push_str(line);
                text.push_str(if i % 3 == 0 { "\n" } else { "\n\n" });
            }
        }
        text.push_str("It improves the following:\n\nAlopecia and insomnia.\n\nCan it regrow hair?\n\nYes, it regrows hair.");
        // Pieces short enough to be walked in one lane, and long enough for four.
        for len in [300, 3000] {
            let (whole, pieces) = both_ways(&engine, &text, len);
            assert!(whole.len() > 200, "{} claims", whole.len());
            assert_eq!(whole, pieces, "pieces of {len} bytes");
        }
    }

    #[test]
    fn pieces_end_at_paragraphs_after_no_lead_in_or_question() {
        let text = "aaaa.\n\nbbbb:\n\ncccc?\n\ndddd.\n\neeee";
        let got: Vec<&str> = pieces(text, 2).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["aaaa.\n\n", "bbbb:\n\ncccc?\n\ndddd.\n\n", "eeee"]);
        assert_eq!(pieces("short", 10), vec![(0..5)]);
    }

    #[test]
    fn spans_point_at_original_text_after_normalization() {
        let e = engine();
        let text = "ＮＯ\u{00A0}side   effects, \u{201C}cures\u{201D} ALOPECIA";
        let got = found(&e, text);
        assert_eq!(
            got,
            [
                pair("t.safety", "ＮＯ\u{00A0}side   effects"),
                pair("t.hair", "cures\u{201D} ALOPECIA")
            ]
        );
    }
}
