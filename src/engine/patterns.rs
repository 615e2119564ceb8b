//! The pack's regexes, compiled on first use and run only where they can match.
//!
//! Most pack regexes begin with one of a few literals (`\bno\. ?1\b` begins with `no.`). Those
//! literals are extracted from the regex (`regex_syntax`'s prefix extractor) and placed in the
//! matcher's one Aho-Corasick automaton; the regex then runs anchored at each place where one of
//! its prefixes was found, instead of over the whole text. The matches are exactly those of
//! `find_iter` over the whole text: every match starts with a prefix, so the leftmost match at or
//! after a position starts at the first prefix occurrence from there where an anchored search
//! succeeds, and an anchored search at the leftmost start ends where the unanchored one does.
//! Each anchored search reads at most `MAX_MATCH_LEN` bytes, so the searches of a text cost at
//! most that many steps a prefix occurrence: a match longer than that is not found this way.
//!
//! A regex with no finite prefix set (one that may start with `\d` or any word) but a finite set
//! of suffixes, and that never matches a line break, runs only over the lines where one of its
//! suffixes was found: every match ends with a suffix and lies inside one line. Any other regex
//! runs over the whole text. Each regex is compiled the first time a text needs it, so start-up
//! pays only for parsing.
//!
//! A regex that begins with a word boundary (`\b` made ASCII) cannot start between two ASCII
//! word bytes, so a prefix found inside a word ("eas" in "please") is no place to search.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use regex_automata::meta::{Cache, Regex};
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The most bytes a match may start before a prefix occurrence (`(?:^|[^\w-])heal`).
const MAX_LOOKBACK: usize = 8;
/// The longest prefix (or suffix) placed in the automaton.
const MAX_PREFIX: usize = 8;
/// The longest match a search from a prefix occurrence may find, in bytes. A claim phrase is
/// a few words; bounding each anchored search by this (or by the regex's own maximum length,
/// if shorter) keeps a text full of prefixes linear: without it, `boost\w*` searched from each
/// of 46,666 occurrences of "boosts" in one 280 KB word read on to the word's end every time
/// (33 s). A longer match is not found from its prefix.
pub const MAX_MATCH_LEN: usize = 1024;

/// One regex phrase of a rule.
#[derive(Debug)]
pub struct PackRegex {
    /// The pattern as parsed (word boundaries made ASCII).
    hir: Hir,
    /// The rule it belongs to.
    pub rule: u32,
    /// Literals every match has at most `lookback` bytes after its start, if there is a finite
    /// set of them.
    pub prefixes: Option<Vec<Vec<u8>>>,
    /// How many bytes before a prefix a match may start (a leading part of bounded length that
    /// has no finite prefixes itself, such as `(?:^|[^\w-])`).
    pub lookback: usize,
    /// For a regex without prefixes that never matches a line break: literals every match ends
    /// with, if there is a finite set of them.
    pub suffixes: Option<Vec<Vec<u8>>>,
    /// The regex begins with an ASCII word boundary.
    pub word_start: bool,
    /// How far past its start an anchored search reads: the regex's maximum match length, at
    /// most `MAX_MATCH_LEN`.
    window: usize,
    /// The regex may match an empty string or one holding a line break, so its matches may
    /// cross a paragraph break: it is run over the whole text, never in pieces.
    pub whole_text: bool,
    /// The regex once compiled.
    compiled: OnceLock<Compiled>,
}

/// A compiled regex and where threads keep their search caches of it.
#[derive(Debug)]
struct Compiled {
    regex: Regex,
    /// Its slot in each thread's `CACHES`, given back when the regex is dropped.
    slot: usize,
    /// Which regex, of all that have held the slot, a cache was made for.
    id: u64,
}

/// Slots of `CACHES`: the next never used, and those given back.
static SLOTS: Mutex<(usize, Vec<usize>)> = Mutex::new((0, Vec::new()));
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's search cache of each compiled regex, by slot, with the id of the regex it
    /// was made for. The anchored searches at prefix hits (2.5 million on the site tree of
    /// `bench/`) take their cache here: the regex's own pool serves one thread without a lock
    /// and locks a mutex for the others.
    static CACHES: RefCell<Vec<Option<(u64, Cache)>>> = const { RefCell::new(Vec::new()) };
}

impl Drop for PackRegex {
    fn drop(&mut self) {
        if let Some(compiled) = self.compiled.get() {
            // A slot whose id no longer matches gets a new cache where it is next used.
            let mut slots = SLOTS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slots.1.push(compiled.slot);
        }
    }
}

impl PackRegex {
    /// Parses a pack regex and extracts its prefixes; compiles nothing.
    pub fn new(source: &str, rule: u32) -> Result<PackRegex, String> {
        let hir = regex_syntax::Parser::new()
            .parse(source)
            .map_err(|e| e.to_string())?;
        Ok(PackRegex::from_hir(hir, rule))
    }

    /// A pack regex as parsed while loading (see `ascii_word_escapes`).
    pub fn from_hir(hir: Hir, rule: u32) -> PackRegex {
        let never_empty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        let (prefixes, lookback) = if never_empty {
            anchors(&hir)
        } else {
            (None, 0)
        };
        let whole_text = !never_empty || may_match_line_break(&hir);
        let suffixes = if prefixes.is_none() && !whole_text {
            finite_suffixes(&hir)
        } else {
            None
        };
        let word_start = begins_with_word_boundary(&hir);
        let window = hir
            .properties()
            .maximum_len()
            .map_or(MAX_MATCH_LEN, |n| n.min(MAX_MATCH_LEN));
        PackRegex {
            hir,
            rule,
            prefixes,
            lookback,
            suffixes,
            word_start,
            window,
            whole_text,
            compiled: OnceLock::new(),
        }
    }

    fn regex(&self) -> &Regex {
        &self.compiled().regex
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let regex = Regex::builder()
                .build_from_hir(&self.hir)
                .expect("pack regexes are validated when the pack loads");
            let slot = {
                let mut slots = SLOTS
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                slots.1.pop().unwrap_or_else(|| {
                    slots.0 += 1;
                    slots.0 - 1
                })
            };
            let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            Compiled { regex, slot, id }
        })
    }

    /// The match of an anchored search, with this thread's cache. The search reads at most
    /// `window` bytes (look-around still sees the bytes after them).
    fn search_anchored(&self, text: &str, start: usize) -> Option<regex_automata::Match> {
        let Compiled { regex, slot, id } = self.compiled();
        let end = text.floor_char_boundary(start.saturating_add(self.window).min(text.len()));
        let input = Input::new(text)
            .range(start..end.max(start))
            .anchored(Anchored::Yes);
        CACHES.with_borrow_mut(|caches| {
            if caches.len() <= *slot {
                caches.resize_with(slot + 1, || None);
            }
            let cache = match &mut caches[*slot] {
                Some((made_for, cache)) if made_for == id => cache,
                entry => &mut entry.insert((*id, regex.create_cache())).1,
            };
            regex.search_with(cache, &input)
        })
    }

    /// Every non-empty match inside `span` of `text`, as `find_iter` gives them (look-around
    /// sees the text outside the span).
    pub fn find_all(&self, text: &str, span: Range<usize>, out: &mut impl FnMut(usize, usize)) {
        for m in self.regex().find_iter(Input::new(text).span(span)) {
            if !m.is_empty() {
                out(m.start(), m.end());
            }
        }
    }

    /// The end of the match that starts exactly at `start`, if any (an anchored search).
    pub fn match_at(&self, text: &str, start: usize) -> Option<usize> {
        self.search_anchored(text, start).map(|m| m.end())
    }

    /// The matches `find_iter` would give, searching only at `starts` (sorted, deduplicated):
    /// the places where a match may start, from where the prefixes occur.
    pub fn find_at_starts(&self, text: &str, starts: &[usize], out: &mut impl FnMut(usize, usize)) {
        let mut from = 0;
        for &start in starts {
            if start < from {
                continue;
            }
            if let Some(m) = self.search_anchored(text, start) {
                // A prefixed regex never matches the empty string.
                out(m.start(), m.end());
                from = m.end();
            }
        }
    }
}

/// The prefixes of a regex and how far before them a match may start: its own prefixes, else
/// those of what follows a leading part of at most `MAX_LOOKBACK` bytes. Own prefixes of one
/// byte (a digit, from `[0-9]`) occur everywhere: then the first set after the leading part
/// whose literals are all longer is taken instead, so `\b[0-9]{1,3} ?%` is searched where `%`
/// occurs, not at every digit.
fn anchors(hir: &Hir) -> (Option<Vec<Vec<u8>>>, usize) {
    let own = finite_prefixes(hir);
    let shortest = |prefixes: &[Vec<u8>]| prefixes.iter().map(Vec::len).min().unwrap_or(0);
    if let Some(prefixes) = &own
        && shortest(prefixes) > 1
    {
        return (own, 0);
    }
    if let HirKind::Concat(parts) = hir.kind() {
        let mut lookback = 0;
        for i in 1..parts.len() {
            match parts[i - 1].properties().maximum_len() {
                Some(n) if lookback + n <= MAX_LOOKBACK => lookback += n,
                _ => break,
            }
            if let Some(prefixes) = finite_prefixes(&Hir::concat(parts[i..].to_vec()))
                && (own.is_none() || shortest(&prefixes) > 1)
            {
                return (Some(prefixes), lookback);
            }
        }
    }
    (own, 0)
}

fn finite_prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().extract(hir);
    seq.literals()
        .filter(|lits| !lits.is_empty() && lits.iter().all(|l| !l.is_empty()))
        .map(|lits| shortest_prefixes(lits.iter().map(|l| l.as_bytes())))
}

fn finite_suffixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Suffix).extract(hir);
    seq.literals()
        .filter(|lits| !lits.is_empty() && lits.iter().all(|l| !l.is_empty()))
        .map(|lits| shortest_suffixes(lits.iter().map(|l| l.as_bytes())))
}

/// Whether every match of a regex begins at an ASCII word boundary.
fn begins_with_word_boundary(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(
            look,
            Look::WordAscii | Look::WordStartAscii | Look::WordStartHalfAscii
        ),
        HirKind::Concat(parts) => parts.first().is_some_and(begins_with_word_boundary),
        HirKind::Capture(cap) => begins_with_word_boundary(&cap.sub),
        HirKind::Alternation(parts) => parts.iter().all(begins_with_word_boundary),
        _ => false,
    }
}

/// Whether a regex may match text holding `\n` (conservatively: any literal or class that
/// holds it).
fn may_match_line_break(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(rep) => rep.max != Some(0) && may_match_line_break(&rep.sub),
        HirKind::Capture(cap) => may_match_line_break(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(may_match_line_break)
        }
    }
}

/// The prefixes cut to at most `MAX_PREFIX` bytes (at a character boundary), without those
/// that start with another: fewer patterns for the automaton, the same places to search (a
/// shorter prefix only adds places, where the anchored search fails).
fn shortest_prefixes<'a>(literals: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
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

/// The suffixes cut to their last `MAX_PREFIX` bytes (at a character boundary), without those
/// that end with another: the mirror of `shortest_prefixes`.
fn shortest_suffixes<'a>(literals: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    let reversed: Vec<Vec<u8>> = literals
        .map(|l| {
            let mut start = l.len().saturating_sub(MAX_PREFIX);
            // Never split a UTF-8 sequence: move on to the start of a character.
            while start > 0 && start < l.len() && (l[start] & 0xC0) == 0x80 {
                start += 1;
            }
            l[start..].iter().rev().copied().collect()
        })
        .collect();
    // Reversed, a suffix is a prefix: keep the shortest, then turn them round again.
    shortest_prefixes(reversed.iter().map(|l| l.as_slice()))
        .into_iter()
        .map(|l| l.into_iter().rev().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        PackRegex::new(pattern, 0)
            .expect("valid")
            .find_all(text, 0..text.len(), &mut |s, e| out.push((s, e)));
        out
    }

    fn anchored(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let re = PackRegex::new(pattern, 0).expect("valid");
        let prefixes = re.prefixes.clone().expect("has prefixes");
        let mut starts: Vec<usize> = (0..text.len())
            .filter(|&i| prefixes.iter().any(|p| text.as_bytes()[i..].starts_with(p)))
            .flat_map(|i| (i.saturating_sub(re.lookback)..=i).filter(|&s| text.is_char_boundary(s)))
            .collect();
        starts.sort();
        starts.dedup();
        let mut out = Vec::new();
        re.find_at_starts(text, &starts, &mut |s, e| out.push((s, e)));
        out
    }

    #[test]
    fn prefixes_are_cut_and_minimal() {
        let re = PackRegex::new(r"(?-u:\b)(?:regrow|regrows|regrowing) hair", 0).expect("valid");
        let cut: Vec<&[u8]> = vec![b"regrow h", b"regrowin", b"regrows "];
        assert_eq!(re.prefixes, Some(cut.iter().map(|p| p.to_vec()).collect()));
        let nested = PackRegex::new(r"(?:stop|stopped|stops) it", 0).expect("valid");
        assert_eq!(
            nested.prefixes,
            Some(vec![
                b"stop it".to_vec(),
                b"stopped ".to_vec(),
                b"stops it".to_vec()
            ])
        );
        let short = PackRegex::new(r"(?:eas|easing|eased)\w* pain", 0).expect("valid");
        assert_eq!(short.prefixes, Some(vec![b"eas".to_vec()]));
        let none = PackRegex::new(r"\d+ years", 0).expect("valid");
        assert_eq!(none.prefixes, None);
        let empty = PackRegex::new(r"(?:abc)?", 0).expect("valid");
        assert_eq!(empty.prefixes, None);
        assert!(empty.whole_text);
        let lead = PackRegex::new(r"(?:^|[^\w-])heal (?:\S+ )?ulcers", 0).expect("valid");
        assert_eq!(
            (lead.prefixes.clone(), lead.lookback),
            (Some(vec![b"heal ".to_vec()]), 4)
        );
        assert!(lead.whole_text);
        assert!(!re.whole_text);
        assert!(PackRegex::new(r"a\s+b", 0).expect("valid").whole_text);
        assert!(!PackRegex::new(r"a\S+ .b", 0).expect("valid").whole_text);
    }

    #[test]
    fn anchored_searches_read_a_bounded_window() {
        // Within the window, the same matches as a search of the whole text.
        let pattern = r"(?-u:\b)boost[0-9A-Za-z_]*(?-u:\b)";
        let text = "boosts it; boostboost; boost";
        assert_eq!(anchored(pattern, text), matches(pattern, text));
        // A run longer than the window is no match from its prefix: each start reads
        // `MAX_MATCH_LEN` bytes at most, whatever the run's length.
        let run = "boosts".repeat(MAX_MATCH_LEN);
        let found = anchored(r"boost[0-9A-Za-z_]*(?-u:\b)", &run);
        // Only the window that reaches the end of the text holds a match.
        assert_eq!(found.len(), 1);
        assert!(run.len() - found[0].0 <= MAX_MATCH_LEN, "{found:?}");
        let short = "boosts".repeat(MAX_MATCH_LEN / 8);
        assert_eq!(
            anchored(r"boost[0-9A-Za-z_]*(?-u:\b)", &short),
            vec![(0, short.len())]
        );
        // A regex's own maximum length is its window when shorter; the look-around after the
        // window still sees the text.
        let re = PackRegex::new(r"(?-u:\b)cures?(?-u:\b)", 0).expect("valid");
        assert_eq!(re.window, 5);
        assert_eq!(
            anchored(r"(?-u:\b)cures?(?-u:\b)", "cures curesx cure"),
            vec![(0, 5), (13, 17)]
        );
    }

    #[test]
    fn one_byte_prefixes_give_way_to_what_follows() {
        // Its own prefixes would be the ten digits: searched from every digit of every text.
        let pattern = r"(?-u:\b)[0-9]{1,2} ?(?:%|percent) (?:more|better)";
        let re = PackRegex::new(pattern, 0).expect("valid");
        let prefixes = re.prefixes.clone().expect("has prefixes");
        assert!(prefixes.iter().all(|p| p.len() > 1), "{prefixes:?}");
        assert_eq!(re.lookback, 2);
        let text = "in 2024, 40% more; 7 percent better, 123% more, x5 % better, 5 %more";
        assert_eq!(anchored(pattern, text), matches(pattern, text));
        assert_eq!(matches(pattern, text).len(), 2);
        // A one-byte set is kept when nothing better follows.
        let digit = PackRegex::new(r"[0-9]+ years", 0).expect("valid");
        assert_eq!(digit.prefixes.as_ref().map(Vec::len), Some(10));
    }

    #[test]
    fn every_regex_of_the_embedded_pack_compiles() {
        // Compiled lazily at first use, where an error could only panic: so proven here.
        let pack = crate::rules::load_embedded().expect("pack");
        let mut n = 0;
        for (i, rule) in pack.rules.iter().enumerate() {
            for pattern in &rule.patterns {
                let hir = crate::rules::load::parse_pattern(pattern).expect("parses");
                let re = PackRegex::from_hir(hir, i as u32);
                assert!(
                    Regex::builder().build_from_hir(&re.hir).is_ok(),
                    "{}",
                    rule.id
                );
                n += 1;
            }
        }
        assert!(n > 100, "{n} regexes");
    }

    #[test]
    fn every_regex_of_the_embedded_pack_is_gated() {
        // A regex with neither prefixes nor suffixes runs over every byte of every text: two
        // such (a Japanese `[^。]{0,25}` that could cross a line break) cost the 200 MB
        // benchmark a third of its margin. A pattern must begin with a literal, or end with one
        // and stay inside a line (`[^。\n]`).
        let pack = crate::rules::load_embedded().expect("pack");
        let ungated: Vec<String> = pack
            .rules
            .iter()
            .enumerate()
            .flat_map(|(i, rule)| {
                rule.patterns.iter().filter_map(move |pattern| {
                    let hir = crate::rules::load::parse_pattern(pattern).expect("parses");
                    let re = PackRegex::from_hir(hir, i as u32);
                    (re.prefixes.is_none() && re.suffixes.is_none())
                        .then(|| format!("{}: {pattern}", rule.id))
                })
            })
            .collect();
        assert!(ungated.is_empty(), "{ungated:#?}");
    }

    #[test]
    fn suffixes_and_word_starts() {
        let re = PackRegex::new(
            r"(?-u:\b)(?:\d+|nine) (?:out of|in) 10 (?:doctors|physicians|surgeons)(?-u:\b)",
            0,
        )
        .expect("valid");
        assert_eq!(re.prefixes, None);
        let suffixes: Vec<String> = re
            .suffixes
            .iter()
            .flatten()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
        // Each cut to its last 8 bytes.
        assert_eq!(suffixes, ["ysicians", "surgeons", " doctors"]);
        assert!(re.word_start);
        let ja = PackRegex::new(r"\d+歳(?:も)?若", 0).expect("valid");
        assert!(ja.suffixes.is_some());
        assert!(!ja.word_start);
        // A regex that may match a line break is never gated by lines.
        assert_eq!(
            PackRegex::new(r"\d+\s+doctors", 0).expect("valid").suffixes,
            None
        );
    }

    #[test]
    fn anchored_searches_keep_their_caches_apart() {
        // A regex dropped gives its slot back; one compiled after it may take the slot but not
        // the cache made for the first.
        let first = PackRegex::new(r"(?:regrow|regrows) hair", 0).expect("valid");
        assert_eq!(first.match_at("it regrows hair", 3), Some(15));
        drop(first);
        let second = PackRegex::new(r"cures? (?:acne|warts)", 0).expect("valid");
        let third = PackRegex::new(r"(?:regrow|regrows) hair", 0).expect("valid");
        // Each thread has caches of its own.
        std::thread::scope(|s| {
            let searches: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        (
                            second.match_at("it cures acne", 3),
                            second.match_at("it regrows hair", 3),
                            third.match_at("it regrows hair", 3),
                            third.match_at("it cures acne", 3),
                        )
                    })
                })
                .collect();
            for search in searches {
                let found = search.join().expect("no panic");
                assert_eq!(found, (Some(13), None, Some(15), None));
            }
        });
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
