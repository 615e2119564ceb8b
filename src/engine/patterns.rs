//! The pack's regexes, compiled on first use and run only where they can match.
//!
//! Most pack regexes begin with one of a few literals (`\bno\. ?1\b` begins with `no.`). Those
//! literals are extracted from the regex (`regex_syntax`'s prefix extractor) and placed in the
//! matcher's one Aho-Corasick automaton; the regex then runs anchored at each place where one of
//! its prefixes was found, instead of over the whole text. The matches are exactly those of
//! `find_iter` over the whole text: every match starts with a prefix, so the leftmost match at or
//! after a position starts at the first prefix occurrence from there where an anchored search
//! succeeds, and an anchored search at the leftmost start ends where the unanchored one does.
//!
//! A regex with no finite prefix set (one that may start with `\d` or any word) runs over the
//! whole text as before. Each regex is compiled the first time a text needs it, so start-up
//! pays only for parsing.

use std::sync::OnceLock;

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::Extractor;

/// One regex phrase of a rule.
#[derive(Debug)]
pub struct PackRegex {
    /// The pattern as compiled (word boundaries made ASCII).
    source: String,
    /// The rule it belongs to.
    pub rule: u32,
    /// Literals every match starts with, if there is a finite set of them.
    pub prefixes: Option<Vec<Vec<u8>>>,
    compiled: OnceLock<Regex>,
}

impl PackRegex {
    /// Parses a (validated) pack regex and extracts its prefixes; compiles nothing.
    pub fn new(source: String, rule: u32) -> Result<PackRegex, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&source)
            .map_err(|e| e.to_string())?;
        let never_empty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        let seq = Extractor::new().extract(&hir);
        let prefixes = seq
            .literals()
            .filter(|lits| never_empty && !lits.is_empty() && lits.iter().all(|l| !l.is_empty()))
            .map(|lits| shortest_prefixes(lits.iter().map(|l| l.as_bytes())));
        Ok(PackRegex {
            source,
            rule,
            prefixes,
            compiled: OnceLock::new(),
        })
    }

    fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.source).expect("pack regexes are validated when the pack loads")
        })
    }

    /// Every non-empty match in `text`, as `find_iter` gives them.
    pub fn find_all(&self, text: &str, out: &mut impl FnMut(usize, usize)) {
        for m in self.regex().find_iter(text) {
            if !m.is_empty() {
                out(m.start(), m.end());
            }
        }
    }

    /// The matches `find_iter` would give, searching only at `starts` (sorted, deduplicated):
    /// the places where one of the prefixes occurs.
    pub fn find_at_starts(&self, text: &str, starts: &[usize], out: &mut impl FnMut(usize, usize)) {
        let re = self.regex();
        let mut from = 0;
        for &start in starts {
            if start < from {
                continue;
            }
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            if let Some(m) = re.search(&input) {
                // A prefixed regex never matches the empty string.
                out(m.start(), m.end());
                from = m.end();
            }
        }
    }
}
/// The prefixes cut to at most `MAX_PREFIX` bytes (at a character boundary), without those
/// that start with another: fewer patterns for the automaton, the same places to search (a
/// shorter prefix only adds places, where the anchored search fails).
fn shortest_prefixes<'a>(literals: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    const MAX_PREFIX: usize = 8;
    let mut cut: Vec<Vec<u8>> = literals
        .map(|l| {
            let mut end = l.len().min(MAX_PREFIX);
            // Never split a UTF-8 sequence: back up to the start of a character.
            while end < l.len() && end > 1 && (l[end] & 0xC0) == 0x80 {
                end -= 1;
            }
            l[..end].to_vec()
        })
        .collect();
    cut.sort();
    cut.dedup();
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(cut.len());
    for l in cut {
        // Sorted: a prefix of `l` in the set sorts just before it, or before a run of others
        // it also starts.
        if !out.iter().any(|p| l.starts_with(p)) {
            out.push(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        PackRegex::new(pattern.to_owned(), 0)
            .expect("valid")
            .find_all(text, &mut |s, e| out.push((s, e)));
        out
    }

    fn anchored(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let re = PackRegex::new(pattern.to_owned(), 0).expect("valid");
        let prefixes = re.prefixes.clone().expect("has prefixes");
        let mut starts: Vec<usize> = (0..text.len())
            .filter(|&i| prefixes.iter().any(|p| text.as_bytes()[i..].starts_with(p)))
            .collect();
        starts.dedup();
        let mut out = Vec::new();
        re.find_at_starts(text, &starts, &mut |s, e| out.push((s, e)));
        out
    }

    #[test]
    fn prefixes_are_cut_and_minimal() {
        let re = PackRegex::new(r"(?-u:\b)(?:regrow|regrows|regrowing) hair".to_owned(), 0)
            .expect("valid");
        let cut: Vec<&[u8]> = vec![b"regrow h", b"regrowin", b"regrows "];
        assert_eq!(re.prefixes, Some(cut.iter().map(|p| p.to_vec()).collect()));
        let nested = PackRegex::new(r"(?:stop|stopped|stops) it".to_owned(), 0).expect("valid");
        assert_eq!(
            nested.prefixes,
            Some(vec![
                b"stop it".to_vec(),
                b"stopped ".to_vec(),
                b"stops it".to_vec()
            ])
        );
        let short = PackRegex::new(r"(?:eas|easing|eased)\w* pain".to_owned(), 0).expect("valid");
        assert_eq!(short.prefixes, Some(vec![b"eas".to_vec()]));
        let none = PackRegex::new(r"\d+ years".to_owned(), 0).expect("valid");
        assert_eq!(none.prefixes, None);
        let empty = PackRegex::new(r"(?:abc)?".to_owned(), 0).expect("valid");
        assert_eq!(empty.prefixes, None);
    }

    #[test]
    fn anchored_search_finds_what_find_iter_finds() {
        for (pattern, text) in [
            (
                r"(?-u:\b)no\. ?1(?-u:\b)",
                "no. 1 and no.1 but not no.12, ano. 1; no. 1",
            ),
            (r"ab|abcd", "abcd abab xabcd"),
            (r"aa(?: \S+){0,2} b", "aa aa aa b aa x b aa"),
            (
                r"regrow\w*(?: [\w,-]+){0,3} hair",
                "regrows regrow hair, regrowing thin hair",
            ),
        ] {
            assert_eq!(
                anchored(pattern, text),
                matches(pattern, text),
                "{pattern} on {text}"
            );
        }
    }
}
