//! The compiled matcher: one Aho-Corasick automaton over every literal of every rule (phrases,
//! action and target terms, exceptions) and the context cues, built once; plus the rules' regexes,
//! each compiled once and run on its own automaton. Each literal maps to the roles it plays, so one pass over a
//! document finds everything the claim finder needs.
//!
//! The automaton reports overlapping matches, not only the leftmost-longest ones: with one
//! automaton shared by every rule, a long phrase of one rule ("the most effective") must not hide
//! a shorter term of another ("effective for"), nor a negation cue hide the claim after it. Which
//! overlapping hit wins is decided per rule by the claim finder (same-rule claims merge; an
//! exception covers only its own rule's hits).

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use aho_corasick::MatchKind;
use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::noncontiguous::NFA;

use super::lanes;
use super::normalize::normalize_term;
use super::patterns::PackRegex;
use super::text::on_word_boundaries;
use crate::rules::load::parse_pattern;
use crate::rules::{ProductClass, Route, RulePack};

/// What a literal means where it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A claim on its own for this rule.
    Phrase(u32),
    /// An action term of this rule's composite.
    Action(u32),
    /// A target term of this rule's composite.
    Target(u32),
    /// An exception of this rule.
    Exception(u32),
    /// A negation cue.
    Negator,
    /// Wording that contains a negator but does not negate ("not only").
    Neutral,
    /// The subject of a scientific description ("cytokines").
    Subject,
    /// Wording addressed to a customer or about a product ("your", "treatment").
    Customer,
    /// A caution or disclosure cue ("exaggeration").
    Caution,
    /// A third party reporting or studying claims ("the complaint alleged").
    Reported,
    /// A hedge ("may help").
    Hedge,
    /// Attribution to animal or laboratory work ("in animal studies").
    Attribution,
    /// A noun that makes the CJK term just before it part of a longer name (剤 in 育毛剤).
    CompoundHead,
    /// A cue for a product class ("exosome").
    Class(ProductClass),
    /// A cue for a route of administration ("IV drip").
    Route(Route),
}

/// One literal or regex found in normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: HitKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// A literal: index into the matcher's role table.
    Literal(u32),
    /// A regex phrase of this rule.
    Pattern(u32),
}

/// Every literal and regex of a pack, compiled.
#[derive(Debug)]
pub struct Matcher {
    /// The automaton as (noncontiguous) NFAs, each over a run of the patterns and built in
    /// parallel (the cheapest to build: start-up), with the number of its first pattern.
    /// Slower to run: a text is scanned once per part.
    nfa: Vec<(usize, NFA)>,
    /// The whole automaton as one DFA, built once enough text has been scanned to pay for it.
    dfa: OnceLock<DFA>,
    /// The patterns of the automaton, kept to build the DFA.
    patterns: Vec<Vec<u8>>,
    /// Bytes scanned with the NFA so far.
    scanned: AtomicUsize,
    /// A thread is building the DFA (the others go on with the NFA meanwhile).
    building: AtomicBool,
    roles: Vec<Vec<Role>>,
    literals: Vec<String>,
    /// For every pattern of the automaton (the literals, then regex prefixes and suffixes that
    /// are not literals), the regexes it is a prefix or a suffix of.
    anchor_of: Vec<Vec<Anchor>>,
    regexes: Vec<PackRegex>,
    /// A small automaton of the prefixes of the regexes that may cross a paragraph break, with
    /// the anchors of each pattern: built the first time a long text is checked in pieces.
    whole_text_anchors: OnceLock<Option<(DFA, Vec<Vec<Anchor>>)>>,
}

/// The automata a text is scanned with.
enum Automata<'a> {
    /// The NFA parts, each with the number of its first pattern.
    Parts(&'a [(usize, NFA)]),
    /// The DFA of every pattern.
    Whole(&'a DFA),
}

/// A pattern of the automaton that tells where a regex may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// A match may start here (or up to the regex's lookback before).
    Prefix(u32),
    /// A match may end here, in this line.
    Suffix(u32),
}

/// The patterns of an automaton, each once, with the anchors each one gives.
#[derive(Default)]
struct AnchorPatterns {
    patterns: Vec<Vec<u8>>,
    anchor_of: Vec<Vec<Anchor>>,
    index: HashMap<Vec<u8>, usize>,
}

impl AnchorPatterns {
    /// The number of `pattern`, added (anchoring nothing) if it is new.
    fn literal(&mut self, pattern: &[u8]) -> usize {
        if let Some(&id) = self.index.get(pattern) {
            return id;
        }
        self.patterns.push(pattern.to_vec());
        self.anchor_of.push(Vec::new());
        self.index.insert(pattern.to_vec(), self.patterns.len() - 1);
        self.patterns.len() - 1
    }

    fn add(&mut self, pattern: &[u8], anchor: Anchor) {
        let id = self.literal(pattern);
        if !self.anchor_of[id].contains(&anchor) {
            self.anchor_of[id].push(anchor);
        }
    }
}

/// An error compiling the pack into a matcher (a pack that validated should never give one).
#[derive(Debug)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot compile the rule pack: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// How many bytes the NFA scans before the DFA is built. Building the DFA costs about as much
/// as scanning a few megabytes with the NFA; most runs on a few pages never need it.
const DFA_AFTER: usize = 4 << 20;

/// The literals of a pack's terms, each with every role it plays: the automaton's patterns (the
/// literals, numbered in the order their first term comes in the pack), their normalized text,
/// and their roles.
fn literal_table(pack: &RulePack) -> (AnchorPatterns, Vec<String>, Vec<Vec<Role>>) {
    use rayon::prelude::*;
    // Every term with its role, in pack order.
    let mut terms: Vec<(&str, Role)> = Vec::new();
    for (i, rule) in pack.rules.iter().enumerate() {
        let i = i as u32;
        terms.extend(rule.phrases.iter().map(|p| (p.as_str(), Role::Phrase(i))));
        terms.extend(
            rule.exceptions
                .iter()
                .map(|e| (e.as_str(), Role::Exception(i))),
        );
        if let Some(c) = &rule.composite {
            terms.extend(c.actions.iter().map(|a| (a.as_str(), Role::Action(i))));
            terms.extend(c.targets.iter().map(|t| (t.as_str(), Role::Target(i))));
        }
    }
    let ctx = &pack.context;
    for (list, role) in [
        (&ctx.negators, Role::Negator),
        (&ctx.neutral, Role::Neutral),
        (&ctx.descriptive_subjects, Role::Subject),
        (&ctx.customer_cues, Role::Customer),
        (&ctx.cautions, Role::Caution),
        (&ctx.reported, Role::Reported),
        (&ctx.hedges, Role::Hedge),
        (&ctx.attributions, Role::Attribution),
        (&ctx.compound_heads, Role::CompoundHead),
    ] {
        terms.extend(list.iter().map(|t| (t.as_str(), role)));
    }
    for (class, list) in &pack.cues.classes {
        terms.extend(list.iter().map(|t| (t.as_str(), Role::Class(*class))));
    }
    for (route, list) in &pack.cues.routes {
        terms.extend(list.iter().map(|t| (t.as_str(), Role::Route(*route))));
    }
    // Lexicons make many terms recur (13,000 terms, 5,000 literals): each is normalized
    // once, in parallel.
    let mut distinct: HashMap<&str, usize> = HashMap::with_capacity(terms.len());
    let mut raw: Vec<&str> = Vec::new();
    let term_ids: Vec<usize> = terms
        .iter()
        .map(|&(t, _)| {
            *distinct.entry(t).or_insert_with(|| {
                raw.push(t);
                raw.len() - 1
            })
        })
        .collect();
    let normalized: Vec<String> = raw.par_iter().map(|t| normalize_term(t)).collect();
    // Literals are numbered in the order their first term comes in the pack.
    let mut anchors = AnchorPatterns::default();
    let mut literal_of: Vec<Option<usize>> = vec![None; normalized.len()];
    let mut literals: Vec<String> = Vec::new();
    let mut roles: Vec<Vec<Role>> = Vec::new();
    for (&k, &(_, role)) in term_ids.iter().zip(&terms) {
        let id = match literal_of[k] {
            Some(id) => id,
            None if normalized[k].is_empty() => continue,
            None => {
                let id = anchors.literal(normalized[k].as_bytes());
                if id == literals.len() {
                    literals.push(normalized[k].clone());
                    roles.push(Vec::new());
                }
                literal_of[k] = Some(id);
                id
            }
        };
        if !roles[id].contains(&role) {
            roles[id].push(role);
        }
    }
    (anchors, literals, roles)
}

/// The automaton's patterns as a (noncontiguous) NFA, for overlapping searches.
fn build_nfa(patterns: &[Vec<u8>]) -> Result<NFA, BuildError> {
    NFA::builder()
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(patterns)
        .map_err(|e| BuildError(e.to_string()))
}

/// The automaton's patterns as a DFA, for overlapping searches.
fn build_dfa(patterns: &[Vec<u8>]) -> Result<DFA, BuildError> {
    DFA::builder()
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(patterns)
        .map_err(|e| BuildError(e.to_string()))
}

impl Matcher {
    pub fn new(pack: &RulePack) -> Result<Matcher, BuildError> {
        use rayon::prelude::*;
        // The literals of the terms and the regexes (parsed and analysed) are made in parallel.
        let ((mut anchors, literals, roles), regexes) = rayon::join(
            || literal_table(pack),
            || {
                let sources: Vec<(u32, &str)> = pack
                    .rules
                    .iter()
                    .enumerate()
                    .flat_map(|(i, rule)| rule.patterns.iter().map(move |p| (i as u32, p.as_str())))
                    .collect();
                sources
                    .into_par_iter()
                    .map(|(i, source)| {
                        parse_pattern(source)
                            .map(|hir| PackRegex::from_hir(hir, i))
                            .map_err(BuildError)
                    })
                    .collect::<Result<Vec<PackRegex>, BuildError>>()
            },
        );
        let regexes = regexes?;
        // Regex prefixes join the automaton; those that are not literals go after them.
        for (r, re) in regexes.iter().enumerate() {
            let r = r as u32;
            for prefix in re.prefixes.iter().flatten() {
                anchors.add(prefix, Anchor::Prefix(r));
            }
            for suffix in re.suffixes.iter().flatten() {
                anchors.add(suffix, Anchor::Suffix(r));
            }
        }
        let AnchorPatterns {
            patterns,
            anchor_of,
            ..
        } = anchors;
        // Two parts of about the same number of bytes.
        let total: usize = patterns.iter().map(Vec::len).sum();
        let mut bytes = 0;
        let half = patterns
            .iter()
            .position(|p| {
                bytes += p.len();
                bytes * 2 >= total
            })
            .map_or(patterns.len(), |k| k + 1);
        let (first, second) = rayon::join(
            || build_nfa(&patterns[..half]),
            || build_nfa(&patterns[half..]),
        );
        let nfa = vec![(0, first?), (half, second?)];
        Ok(Matcher {
            nfa,
            dfa: OnceLock::new(),
            patterns,
            scanned: AtomicUsize::new(0),
            building: AtomicBool::new(false),
            roles,
            literals,
            anchor_of,
            regexes,
            whole_text_anchors: OnceLock::new(),
        })
    }

    /// The automata to scan `len` more bytes with, each with the number of its first pattern:
    /// the NFA parts until the bytes scanned reach `DFA_AFTER`, then the DFA, built by the
    /// first thread to get there while the others go on with the NFA. Both report the same
    /// matches (the NFA part by part).
    fn automata(&self, len: usize) -> Automata<'_> {
        if let Some(dfa) = self.dfa.get() {
            return Automata::Whole(dfa);
        }
        let scanned = self.scanned.fetch_add(len, Ordering::Relaxed) + len;
        if scanned >= DFA_AFTER && !self.building.swap(true, Ordering::AcqRel) {
            let dfa = build_dfa(&self.patterns).expect("the same patterns built as an NFA");
            return Automata::Whole(self.dfa.get_or_init(|| dfa));
        }
        Automata::Parts(&self.nfa)
    }

    /// The roles of a literal hit.
    pub fn roles(&self, literal: u32) -> &[Role] {
        &self.roles[literal as usize]
    }

    /// The normalized literal of a hit.
    pub fn literal(&self, literal: u32) -> &str {
        &self.literals[literal as usize]
    }

    /// Every literal (as normalized) of the automaton.
    pub fn literals(&self) -> &[String] {
        &self.literals
    }

    /// Every hit in a normalized text, sorted by start.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        if text.is_empty() {
            return Vec::new();
        }
        let scan = self.scan(text, 0..text.len());
        let mut pattern_hits = Vec::new();
        self.run_regexes(
            text,
            0..text.len(),
            &scan.starts,
            |_| true,
            &mut pattern_hits,
        );
        assemble(scan.literal_hits, pattern_hits)
    }

    /// Whether a long text can be checked in pieces split at paragraph breaks: no literal holds
    /// a line break (a regex that may match one runs over the whole text).
    pub fn splits_at_paragraphs(&self) -> bool {
        !self.patterns.iter().any(|p| p.contains(&b'\n'))
    }

    /// The literal hits in `range` of `text` (which lies between paragraph breaks, or is the
    /// whole text), and the places where each regex may match.
    pub fn scan(&self, text: &str, range: Range<usize>) -> Scan {
        let mut scan = Scan::default();
        match self.automata(range.len()) {
            Automata::Whole(dfa) => self.scan_with(dfa, true, 0, text, range, &mut scan),
            Automata::Parts(parts) => {
                for (first, nfa) in parts {
                    self.scan_with(nfa, false, *first, text, range.clone(), &mut scan);
                }
            }
        }
        scan.starts.sort_unstable();
        scan.starts.dedup();
        scan
    }

    /// Adds to `scan` the matches of `aut`, whose patterns are numbered from `first`, in `range`
    /// of `text`, walking several stretches at once when `interleave` (a DFA).
    fn scan_with<A: Automaton>(
        &self,
        aut: &A,
        interleave: bool,
        first: usize,
        text: &str,
        range: Range<usize>,
        scan: &mut Scan,
    ) {
        let bytes = text.as_bytes();
        let (base, hay) = (range.start, &bytes[range]);
        // The start of the line holding a position, lane by lane (positions increase in each).
        let mut lines = [LineStarts {
            floor: base,
            start: base,
            scanned: base,
        }; lanes::LANES];
        let mut found = |lane: usize, pattern: u32, start: usize, end: usize| {
            let (start, end) = (base + start, base + end);
            let id = first + pattern as usize;
            for &anchor in &self.anchor_of[id] {
                match anchor {
                    Anchor::Prefix(r) => self.push_starts(r, text, start, &mut scan.starts),
                    // A line that may hold a match, by its start.
                    Anchor::Suffix(r) => scan.starts.push((r, lines[lane].start_of(bytes, start))),
                }
            }
            if id < self.literals.len() && on_word_boundaries(text, start, end) {
                scan.literal_hits.push(Hit {
                    start,
                    end,
                    kind: HitKind::Literal(id as u32),
                });
            }
        };
        if interleave {
            lanes::overlapping_matches(aut, hay, &mut found);
        } else {
            lanes::in_one_lane(aut, hay, &mut found);
        }
    }

    /// Where regex `r` may start, given one of its prefixes found at `at`.
    fn push_starts(&self, r: u32, text: &str, at: usize, starts: &mut Vec<(u32, usize)>) {
        let re = &self.regexes[r as usize];
        if re.lookback == 0 {
            if !(re.word_start && inside_word(text.as_bytes(), at)) {
                starts.push((r, at));
            }
        } else {
            for s in at.saturating_sub(re.lookback)..=at {
                if text.is_char_boundary(s) {
                    starts.push((r, s));
                }
            }
        }
    }

    /// The hits of the regexes that may match across a paragraph break (`whole_text`), over
    /// the whole text, as `find_iter` gives them. Those with prefixes are searched only where
    /// their prefixes occur (found with an automaton of those prefixes alone), piece by piece
    /// of `pieces` in parallel; their matches are then chosen in order over the whole text.
    pub fn whole_text_hits(&self, text: &str, pieces: &[Range<usize>]) -> Vec<(u32, Hit)> {
        let anchors = self.whole_text_anchors.get_or_init(|| {
            let mut anchors = AnchorPatterns::default();
            for (r, re) in self.regexes.iter().enumerate() {
                if re.whole_text {
                    for prefix in re.prefixes.iter().flatten() {
                        anchors.add(prefix, Anchor::Prefix(r as u32));
                    }
                }
            }
            let AnchorPatterns {
                patterns,
                anchor_of,
                ..
            } = anchors;
            if patterns.is_empty() {
                return None;
            }
            // A part of the patterns of the big automaton, which built: this builds too (if it
            // did not, every such regex would run over the whole text).
            build_dfa(&patterns).ok().map(|ac| (ac, anchor_of))
        });
        let mut hits = Vec::new();
        let Some((ac, anchor_of)) = anchors else {
            for (r, re) in self.regexes.iter().enumerate() {
                if re.whole_text {
                    re.find_all(text, 0..text.len(), &mut |start, end| {
                        let kind = HitKind::Pattern(re.rule);
                        hits.push((r as u32, Hit { start, end, kind }))
                    });
                }
            }
            return hits;
        };
        // Piece by piece in parallel: where each regex may start, and the anchored match there
        // if any (a search from a start reads on past its piece as far as it needs).
        use rayon::prelude::*;
        let mut tried: Vec<(u32, usize, Option<usize>)> = pieces
            .par_iter()
            .flat_map_iter(|piece| {
                let mut starts: Vec<(u32, usize)> = Vec::new();
                let hay = &text.as_bytes()[piece.clone()];
                lanes::overlapping_matches(ac, hay, &mut |_, pattern, start, _| {
                    for anchor in &anchor_of[pattern as usize] {
                        if let Anchor::Prefix(r) = *anchor {
                            self.push_starts(r, text, piece.start + start, &mut starts);
                        }
                    }
                });
                starts.sort_unstable();
                starts.dedup();
                starts.into_iter().map(|(r, start)| {
                    let end = self.regexes[r as usize].match_at(text, start);
                    (r, start, end)
                })
            })
            .collect();
        // Then in order, as `find_iter` reports them: a start inside the last match is skipped.
        // On parallel threads: big.md has 905,000 of them (31 ms on one thread).
        tried.par_sort_unstable_by_key(|&(r, start, _)| (r, start));
        tried.dedup_by_key(|&mut (r, start, _)| (r, start));
        let mut last: Option<(u32, usize)> = None;
        for (r, start, end) in tried {
            if last.is_some_and(|(lr, from)| lr == r && start < from) {
                continue;
            }
            if let Some(end) = end {
                let kind = HitKind::Pattern(self.regexes[r as usize].rule);
                hits.push((r, Hit { start, end, kind }));
                last = Some((r, end));
            }
        }
        // The whole-text regexes without prefixes, over the whole text.
        self.run_regexes(
            text,
            0..text.len(),
            &[],
            |re| re.whole_text && re.prefixes.is_none(),
            &mut hits,
        );
        hits
    }

    /// Notes that `len` bytes are about to be scanned: past `DFA_AFTER` bytes in all, builds
    /// the DFA now rather than after the first pieces of a long text.
    pub fn will_scan(&self, len: usize) {
        self.automata(len);
    }

    /// Builds the DFA now (unless it is built or being built), for a run that will scan more
    /// than `DFA_AFTER` bytes: a run over many files, whose first files would otherwise be
    /// scanned with the slower NFA while it is built.
    pub fn prepare_for_many_files(&self) {
        self.automata(DFA_AFTER);
    }

    /// Runs the regexes that `which` selects, each over `span` (only at its `starts` when it
    /// has prefixes), adding `(regex, hit)` pairs to `out` regex by regex.
    pub fn run_regexes(
        &self,
        text: &str,
        span: Range<usize>,
        starts: &[(u32, usize)],
        which: impl Fn(&PackRegex) -> bool,
        out: &mut Vec<(u32, Hit)>,
    ) {
        // Each regex runs on its own automaton: a set of them all falls back to a slow NFA
        // simulation over long texts (measured: minutes on 6 MB), single regexes do not.
        let mut positions: Vec<usize> = Vec::new();
        let mut k = 0;
        for (r, re) in self.regexes.iter().enumerate() {
            let r = r as u32;
            positions.clear();
            while k < starts.len() && starts[k].0 < r {
                k += 1;
            }
            while k < starts.len() && starts[k].0 == r {
                positions.push(starts[k].1);
                k += 1;
            }
            if !which(re) {
                continue;
            }
            let rule = re.rule;
            let mut push = |start: usize, end: usize| {
                out.push((
                    r,
                    Hit {
                        start,
                        end,
                        kind: HitKind::Pattern(rule),
                    },
                ))
            };
            if re.suffixes.is_some() {
                // `positions` are the starts of the lines where a suffix was found.
                for &line in &positions {
                    let start = line.max(span.start);
                    let end = memchr::memchr(b'\n', &text.as_bytes()[start..span.end])
                        .map_or(span.end, |k| start + k);
                    re.find_all(text, start..end, &mut push);
                }
            } else if re.prefixes.is_none() {
                re.find_all(text, span.clone(), &mut push);
            } else if !positions.is_empty() {
                re.find_at_starts(text, &positions, &mut push);
            }
        }
    }

    /// The regexes of the pack, in order.
    pub fn regexes(&self) -> &[PackRegex] {
        &self.regexes
    }
}

/// The start of the line holding a position, for positions that mostly increase: each byte is
/// searched for a line break about once.
#[derive(Clone, Copy)]
struct LineStarts {
    /// Where the text scanned begins (a line starts there).
    floor: usize,
    /// The start of the line holding every position in `start..scanned`.
    start: usize,
    scanned: usize,
}

impl LineStarts {
    fn start_of(&mut self, bytes: &[u8], at: usize) -> usize {
        if at >= self.scanned {
            if let Some(k) = memchr::memrchr(b'\n', &bytes[self.scanned..at]) {
                self.start = self.scanned + k + 1;
            }
            self.scanned = at;
            self.start
        } else if at >= self.start {
            self.start
        } else {
            memchr::memrchr(b'\n', &bytes[self.floor..at])
                .map_or(self.floor, |k| self.floor + k + 1)
        }
    }
}

/// Whether `at` lies between two ASCII word bytes, where no match of a regex that begins
/// with a word boundary can start.
fn inside_word(bytes: &[u8], at: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    at > 0 && at < bytes.len() && word(bytes[at - 1]) && word(bytes[at])
}

/// What one pass of the automaton over a text finds.
#[derive(Debug, Default)]
pub struct Scan {
    /// Literal hits on word boundaries, in the order the automata found them (`assemble`
    /// sorts them).
    pub literal_hits: Vec<Hit>,
    /// `(regex, start)`: the places where each regex may match, sorted.
    pub starts: Vec<(u32, usize)>,
}

/// The hits of a text, sorted by start then end: the literal hits, then the regex hits regex
/// by regex (`pattern_hits` in any order of regexes, each regex's in order), ties keeping that
/// order.
pub fn assemble(mut hits: Vec<Hit>, mut pattern_hits: Vec<(u32, Hit)>) -> Vec<Hit> {
    pattern_hits.sort_by_key(|(r, h)| (*r, h.start));
    hits.extend(pattern_hits.into_iter().map(|(_, h)| h));
    hits.sort_by_key(|h| (h.start, h.end));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::normalize::normalize;

    /// The hits of every regex run with `find_iter` over the whole text, as (rule, start, end).
    fn every_regex_everywhere(m: &Matcher, text: &str) -> Vec<(u32, usize, usize)> {
        let mut out = Vec::new();
        for re in m.regexes() {
            re.find_all(text, 0..text.len(), &mut |s, e| out.push((re.rule, s, e)));
        }
        out.sort();
        out
    }

    #[test]
    fn anchored_and_line_gated_regexes_find_what_find_iter_finds() {
        let pack = crate::rules::load_embedded().expect("pack");
        let m = Matcher::new(&pack).expect("compiles");
        assert!(
            m.regexes().iter().any(|re| re.suffixes.is_some()),
            "the pack has a regex run only on the lines of its suffixes"
        );
        assert!(m.regexes().iter().any(|re| re.word_start));
        let mut text = crate::engine::corpus_fixtures().concat();
        text.push_str(
            "Nine out of ten doctors agree.\nPlease, ease the pain. 9 in 10 dermatologists\n\
             say so.\n肌が5歳若返る。2週間で効果を実感。\nRegrows hair; theregrows hair.",
        );
        let text = normalize(&text).text;
        let mut found: Vec<(u32, usize, usize)> = m
            .find(&text)
            .into_iter()
            .filter_map(|h| match h.kind {
                HitKind::Pattern(rule) => Some((rule, h.start, h.end)),
                HitKind::Literal(_) => None,
            })
            .collect();
        found.sort();
        let expected = every_regex_everywhere(&m, &text);
        assert!(expected.len() > 50, "{} regex hits", expected.len());
        assert_eq!(found, expected);
    }

    #[test]
    fn the_nfa_in_parts_finds_what_the_whole_dfa_finds() {
        let pack = crate::rules::load_embedded().expect("pack");
        let m = Matcher::new(&pack).expect("compiles");
        assert_eq!(m.nfa.len(), 2, "the NFA is built in two parts");
        let text = normalize(&crate::engine::corpus_fixtures().concat()).text;
        assert!(text.len() < DFA_AFTER);
        let by_parts = m.scan(&text, 0..text.len());
        assert!(m.dfa.get().is_none(), "no DFA for a few pages");
        m.prepare_for_many_files();
        assert!(m.dfa.get().is_some(), "the DFA is built");
        let by_dfa = m.scan(&text, 0..text.len());
        assert!(by_dfa.literal_hits.len() > 1000);
        assert_eq!(by_parts.starts, by_dfa.starts);
        assert_eq!(
            assemble(by_parts.literal_hits, Vec::new()),
            assemble(by_dfa.literal_hits, Vec::new())
        );
    }

    #[test]
    fn line_starts_follow_positions_forward_and_back() {
        let bytes = b"ab\ncd\n\nef";
        let mut lines = LineStarts {
            floor: 0,
            start: 0,
            scanned: 0,
        };
        let got: Vec<usize> = [1, 4, 3, 5, 8, 1, 6]
            .iter()
            .map(|&at| lines.start_of(bytes, at))
            .collect();
        assert_eq!(got, [0, 3, 3, 3, 7, 0, 6]);
        assert!(!inside_word(b"please", 0));
        assert!(inside_word(b"please", 3));
        assert!(!inside_word(b"a ease", 2));
    }
}
