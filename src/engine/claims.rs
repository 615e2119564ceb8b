//! The claim finder: from hits and sentences to claims.
//!
//! - A phrase (literal or regex) is a claim unless a negation cue stands just before it.
//! - A composite claim is an action and a target of the same rule in one sentence, either order,
//!   at most `max_gap` words apart.
//! - A target listed next to a linked target ("improves wrinkles, sagging and dullness") inherits
//!   that link: the list inherits its lead-in.
//! - Claims of one rule that overlap merge into one.

use std::ops::Range;

use super::matcher::{Hit, HitKind, Matcher, Role};
use super::text::{count_words_upto, is_cjk, words_at_most};
use crate::rules::RulePack;

/// How many words may stand between a negation cue and the claim it negates.
const NEGATION_WINDOW: usize = 5;
/// How many words of list glue may stand between two listed targets.
const LIST_GAP: usize = 3;
/// How many words may stand between a hedge and the claim it softens.
const HEDGE_WINDOW: usize = 6;
/// How many words may stand between a lead-in's action and its colon.
const LEAD_IN_GAP: usize = 6;

/// How many words may stand before a sentence's subject ("the", "these", an adjective).
const SUBJECT_WINDOW: usize = 3;
/// A comma this early ends an introductory phrase ("At the same time, cytokines ...").
const INTRO_WINDOW: usize = 5;
/// The most bytes one word of a window may take, with the space and punctuation around it. A
/// window of a few words is never searched further than this many bytes a word (see `reach`).
const MAX_WORD_BYTES: usize = 64;

/// A claim found in normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rule: u32,
    /// Byte range in the normalized text.
    pub span: Range<usize>,
    /// For a listed target: the action term of the lead-in it inherits.
    pub listed_after: Option<String>,
    /// The sentence reads as something other than a promise to the reader.
    pub context: Option<ClaimContext>,
    /// The product class and route the claim is about (filled in by the engine).
    pub assumed: crate::judge::classes::Assumed,
    /// The hedge that softens the wording ("may help"), if any: still a claim.
    pub hedge: Option<String>,
    /// The sentence attributes the result to animal or laboratory work.
    pub preclinical: bool,
}

/// Sentence context that weakens a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimContext {
    /// A description of how cells or ingredients work ("Cytokines are proteins that ..."),
    /// with nothing addressed to a customer or a product.
    Descriptive,
    /// A caution or disclosure ("it is an exaggeration to guarantee ...").
    Cautionary,
    /// A third party reporting, alleging or studying a claim rather than making it ("the
    /// complaint alleged that the cream reverses ageing", "the authors conclude ...").
    Reported,
    /// The file is declared a genre that sells nothing (`genre = "research"`, ...).
    Genre,
}

#[derive(Debug, Clone, Copy)]
struct Link {
    action: Hit,
    negated: bool,
}

/// Sentences between two looks at the clock.
const BUDGET_EVERY: usize = 256;

/// Finds every claim of a normalized text, or stops once `budget` has run out.
pub fn find_claims(
    pack: &RulePack,
    matcher: &Matcher,
    text: &str,
    hits: &[Hit],
    sentences: &[Range<usize>],
    budget: &super::Budget,
) -> Result<Vec<Claim>, super::OverBudget> {
    let mut claims = Vec::new();
    let mut h = 0;
    for (i, sentence) in sentences.iter().enumerate() {
        if i % BUDGET_EVERY == 0 {
            budget.check()?;
        }
        // A question is not a claim ("Can PRP regrow hair?") unless the next sentence answers
        // it with a yes.
        let question = text[sentence.clone()].ends_with(['?', '？']);
        let answered = sentences.get(i + 1).is_some_and(|next| {
            let next = &text[next.clone()];
            next.starts_with("yes") || next.starts_with("はい")
        });
        if question && !answered {
            continue;
        }
        while h < hits.len() && hits[h].start < sentence.start {
            h += 1;
        }
        let first = h;
        while h < hits.len() && hits[h].end <= sentence.end {
            h += 1;
        }
        if first < h {
            sentence_claims(
                pack,
                matcher,
                text,
                sentence.start,
                &hits[first..h],
                &mut claims,
            );
        }
    }
    Ok(merge(text, claims))
}

fn sentence_claims(
    pack: &RulePack,
    matcher: &Matcher,
    text: &str,
    sentence_start: usize,
    hits: &[Hit],
    claims: &mut Vec<Claim>,
) {
    let roles = |hit: &Hit| -> &[Role] {
        match hit.kind {
            HitKind::Literal(l) => matcher.roles(l),
            HitKind::Pattern(_) => &[],
        }
    };
    let has_role = |hit: &Hit, role: Role| -> bool { roles(hit).contains(&role) };
    // The cue hits by kind, each list sorted: every question below looks only near its
    // position, so a sentence of thousands of hits costs no more per hit than a short one.
    let mut negators = Vec::new();
    let mut neutral = Vec::new();
    let mut hedges = Vec::new();
    let mut actions = Vec::new();
    let mut exceptions = Vec::new();
    for hit in hits {
        for role in roles(hit) {
            match *role {
                Role::Negator => negators.push((0, *hit)),
                Role::Neutral => neutral.push((0, *hit)),
                Role::Hedge => hedges.push((0, *hit)),
                Role::Action(rule) => actions.push((rule, *hit)),
                Role::Exception(rule) => exceptions.push((rule, *hit)),
                _ => {}
            }
        }
    }
    let negators = Cues::new(negators);
    let neutral = Cues::new(neutral);
    let hedges = Cues::new(hedges);
    let mut any_action: Vec<(u32, Hit)> = actions.iter().map(|&(_, h)| (0, h)).collect();
    any_action.dedup_by_key(|(_, h)| (h.start, h.end));
    let any_action = Cues::new(any_action);
    let actions = Cues::new(actions);
    let exceptions = Cues::new(exceptions);

    let negated = |pos: usize| -> bool {
        // A claim worded in the negative ("no side effects") is not negated by an earlier cue
        // ("no needles, no downtime and no side effects").
        if negators.any_starting_at(0, pos) {
            return false;
        }
        negators.before(0, pos, NEGATION_WINDOW).any(|n| {
            !neutral.covers(0, &(n.start..n.end))
                && words_at_most(&text[n.end..pos], NEGATION_WINDOW)
                && !breaks_clause(&text[n.end..pos])
        })
    };
    let context = sentence_context(matcher, text, sentence_start, hits, &has_role);
    let first_claim = claims.len();
    let exception_covers =
        |rule: u32, span: &Range<usize>| -> bool { exceptions.covers(rule, span) };

    // A CJK term written straight before a compound head is part of a longer name (育毛 in
    // 育毛剤, 細胞再生 in 幹細胞再生治療), not a claim of its own.
    let in_compound = |hit: &Hit| -> bool {
        matches!(hit.kind, HitKind::Literal(_))
            && text[..hit.end].chars().next_back().is_some_and(is_cjk)
            && hits[hits.partition_point(|h| h.start < hit.end)..]
                .iter()
                .take_while(|h| h.start == hit.end)
                .any(|h| has_role(h, Role::CompoundHead))
    };

    // Phrases.
    for hit in hits {
        if in_compound(hit) {
            continue;
        }
        let rules: Vec<u32> = match hit.kind {
            HitKind::Pattern(rule) => vec![rule],
            HitKind::Literal(l) => matcher
                .roles(l)
                .iter()
                .filter_map(|r| match r {
                    Role::Phrase(rule) => Some(*rule),
                    _ => None,
                })
                .collect(),
        };
        for rule in rules {
            let span = hit.start..hit.end;
            if !negated(hit.start) && !exception_covers(rule, &span) {
                claims.push(Claim {
                    rule,
                    span,
                    listed_after: None,
                    context,
                    assumed: Default::default(),
                    hedge: None,
                    preclinical: false,
                });
            }
        }
    }

    // Composite claims: link each target to the nearest action of its rule.
    let targets: Vec<(Hit, Vec<u32>)> = hits
        .iter()
        .filter(|hit| !in_compound(hit))
        .filter_map(|hit| match hit.kind {
            HitKind::Literal(l) => {
                let rules: Vec<u32> = matcher
                    .roles(l)
                    .iter()
                    .filter_map(|r| match r {
                        Role::Target(rule) => Some(*rule),
                        _ => None,
                    })
                    .collect();
                (!rules.is_empty()).then_some((*hit, rules))
            }
            HitKind::Pattern(_) => None,
        })
        .collect();
    let targets = outermost(targets);
    if targets.is_empty() {
        return;
    }
    // Whether a target lies inside `lo..hi`. The targets are sorted by start and, once nested
    // ones are folded, their ends increase too: the first one starting at `lo` or later ends
    // first.
    let target_between = |lo: usize, hi: usize| -> bool {
        let k = targets.partition_point(|(t, _)| t.start < lo);
        targets
            .get(k)
            .is_some_and(|(t, _)| t.end <= hi && t.start < t.end)
    };
    // links[k]: the link of target k, if any (direct for some rule, or inherited).
    let mut links: Vec<Option<Link>> = Vec::with_capacity(targets.len());
    for (target, rules) in &targets {
        let mut best: Option<(usize, Hit, u32)> = None;
        for &rule in rules {
            let max_gap = pack.rules[rule as usize]
                .composite
                .as_ref()
                .map_or(0, |c| c.max_gap);
            for action in actions.around(rule, target, max_gap) {
                // Another target between them means this one is a list item: it is linked
                // through the list, not straight to the action.
                let (lo, hi) = if action.end <= target.start {
                    (action.end, target.start)
                } else {
                    (target.end, action.start)
                };
                if target_between(lo, hi) {
                    continue;
                }
                let gap = if action.end <= target.start {
                    count_words_upto(&text[action.end..target.start], max_gap)
                } else if target.end <= action.start {
                    count_words_upto(&text[target.end..action.start], max_gap)
                } else {
                    continue;
                };
                if gap <= max_gap && best.is_none_or(|(g, _, _)| gap < g) {
                    best = Some((gap, *action, rule));
                }
            }
        }
        let link = best.map(|(_, action, _)| Link {
            negated: negated(action.start.min(target.start)) || negated(action.start),
            action,
        });
        if let Some((_, action, rule)) = best
            && link.is_some_and(|l| !l.negated)
        {
            let joined = action.start.min(target.start)..action.end.max(target.end);
            // An action on another line (a lead-in and its list) is not underlined with the
            // target: the target alone is the claim, listed after the action.
            let (span, listed_after) = if text[joined.clone()].contains('\n') {
                (target.start..target.end, lead_term(matcher, &action))
            } else {
                (joined, None)
            };
            for &r in rules {
                // Every rule of this target that accepts this action claims the span.
                let accepts = r == rule || has_role(&action, Role::Action(r));
                if accepts && !exception_covers(r, &span) {
                    claims.push(Claim {
                        rule: r,
                        span: span.clone(),
                        listed_after: listed_after.clone(),
                        context,
                        assumed: Default::default(),
                        hedge: None,
                        preclinical: false,
                    });
                }
            }
        }
        links.push(link);
    }

    // Lists inherit their lead-in: forward, then backward.
    let mut inherited = vec![false; targets.len()];
    for k in 1..targets.len() {
        if links[k].is_none()
            && is_list_glue(text, targets[k - 1].0.end, targets[k].0.start)
            && let Some(prev) = links[k - 1]
        {
            links[k] = Some(prev);
            inherited[k] = true;
        }
    }
    for k in (0..targets.len().saturating_sub(1)).rev() {
        if links[k].is_none()
            && is_list_glue(text, targets[k].0.end, targets[k + 1].0.start)
            && let Some(next) = links[k + 1]
        {
            links[k] = Some(next);
            inherited[k] = true;
        }
    }
    // A lead-in ending with a colon ("improves the following:") lends its action to every
    // condition listed after it, however long the list.
    if let Some(colon) = text[sentence_start..targets[targets.len() - 1].0.start].find(":\n") {
        let colon = sentence_start + colon;
        let lead = any_action
            .before(0, colon, LEAD_IN_GAP)
            .find(|a| words_at_most(&text[a.end..colon], LEAD_IN_GAP));
        if let Some(action) = lead {
            let negated_lead = negated(action.start);
            for (k, (target, _)) in targets.iter().enumerate() {
                if target.start > colon && links[k].is_none() {
                    links[k] = Some(Link {
                        action: *action,
                        negated: negated_lead,
                    });
                    inherited[k] = true;
                }
            }
        }
    }

    for (k, (target, rules)) in targets.iter().enumerate() {
        if !inherited[k] {
            continue;
        }
        let Some(link) = &links[k] else { continue };
        if link.negated {
            continue;
        }
        let lead = lead_term(matcher, &link.action);
        for &rule in rules {
            let span = target.start..target.end;
            if !exception_covers(rule, &span) {
                claims.push(Claim {
                    rule,
                    span,
                    listed_after: lead.clone(),
                    context,
                    assumed: Default::default(),
                    hedge: None,
                    preclinical: false,
                });
            }
        }
    }
    // Hedges and attribution to animal or laboratory work, noted on every claim they reach.
    let preclinical = hits.iter().any(|h| has_role(h, Role::Attribution));
    for c in &mut claims[first_claim..] {
        c.preclinical = preclinical;
        c.hedge = hedges
            .before(0, c.span.start, HEDGE_WINDOW)
            .find(|h| words_at_most(&text[h.end..c.span.start], HEDGE_WINDOW))
            .and_then(|h| match h.kind {
                HitKind::Literal(l) => Some(matcher.literal(l).to_owned()),
                HitKind::Pattern(_) => None,
            });
    }

    // A sentence that also makes a marketing assertion ("clinically proven to ...") is not a
    // neutral description.
    if context == Some(ClaimContext::Descriptive)
        && claims[first_claim..]
            .iter()
            .any(|c| pack.rules[c.rule as usize].category.is_assertion())
    {
        for c in &mut claims[first_claim..] {
            c.context = None;
        }
    }
}

/// The most bytes a window of `words` words may span (`MAX_WORD_BYTES` a word, and one word
/// more): a cue further away than this is out of reach however few words stand between, so
/// every window is read in bounded time.
fn reach(words: usize) -> usize {
    (words + 1) * MAX_WORD_BYTES
}

/// Cue hits of one kind in a sentence, keyed by rule (or 0), sorted by key then start (hit
/// order among equal starts), with the length of the longest.
struct Cues {
    items: Vec<(u32, Hit)>,
    longest: usize,
}

impl Cues {
    fn new(mut items: Vec<(u32, Hit)>) -> Cues {
        items.sort_by_key(|&(key, hit)| (key, hit.start));
        let longest = items
            .iter()
            .map(|(_, h)| h.end - h.start)
            .max()
            .unwrap_or(0);
        Cues { items, longest }
    }

    /// The hits of `key` that start in `range`, in order.
    fn starting_in(&self, key: u32, range: Range<usize>) -> &[(u32, Hit)] {
        let lo = self
            .items
            .partition_point(|&(k, h)| (k, h.start) < (key, range.start));
        let hi = self
            .items
            .partition_point(|&(k, h)| (k, h.start) < (key, range.end));
        &self.items[lo..hi.max(lo)]
    }

    fn any_starting_at(&self, key: u32, pos: usize) -> bool {
        !self.starting_in(key, pos..pos + 1).is_empty()
    }

    /// The hits of `key` that end at or before `pos`, within `reach(words)` bytes of it,
    /// latest start first.
    fn before(&self, key: u32, pos: usize, words: usize) -> impl Iterator<Item = &Hit> {
        let reach = reach(words);
        let from = pos.saturating_sub(reach + self.longest);
        self.starting_in(key, from..pos)
            .iter()
            .rev()
            .map(|(_, h)| h)
            .filter(move |h| h.end <= pos && pos - h.end <= reach)
    }

    /// The hits of `key` within `reach(words)` bytes of `target`, on either side, in order.
    fn around(&self, key: u32, target: &Hit, words: usize) -> impl Iterator<Item = &Hit> {
        let reach = reach(words);
        let from = target.start.saturating_sub(reach + self.longest);
        self.starting_in(key, from..target.end.saturating_add(reach + 1))
            .iter()
            .map(|(_, h)| h)
            .filter(move |h| h.end + reach >= target.start)
    }

    /// Whether a hit of `key` covers `span`.
    fn covers(&self, key: u32, span: &Range<usize>) -> bool {
        let from = span.start.saturating_sub(self.longest);
        self.starting_in(key, from..span.start + 1)
            .iter()
            .any(|(_, h)| span.end <= h.end)
    }
}

/// Folds targets nested inside a longer target ("fatigue" in "eye fatigue") into it: the longer
/// term is the condition named, and it carries the rules of every term inside it. Targets must
/// not overlap for lists to chain from one item to the next.
fn outermost(targets: Vec<(Hit, Vec<u32>)>) -> Vec<(Hit, Vec<u32>)> {
    let mut out: Vec<(Hit, Vec<u32>)> = Vec::with_capacity(targets.len());
    for (hit, rules) in targets {
        if let Some((outer, outer_rules)) = out.last_mut()
            && hit.start < outer.end
        {
            if hit.end <= outer.end {
                // Nested in the previous target.
                for r in rules {
                    if !outer_rules.contains(&r) {
                        outer_rules.push(r);
                    }
                }
                continue;
            }
            if hit.start == outer.start {
                // Same start, longer: the new hit contains the previous one.
                let mut merged = rules;
                for r in outer_rules.iter() {
                    if !merged.contains(r) {
                        merged.push(*r);
                    }
                }
                *outer = hit;
                *outer_rules = merged;
                continue;
            }
        }
        out.push((hit, rules));
    }
    out
}

/// Does the text between a negation cue and a claim start a new clause or list item?
/// ("no downtime, fast results"; "does not cure but relieves pain"). Plain "and"/"or" do not:
/// "does not treat or prevent cancer" negates both verbs.
fn breaks_clause(between: &str) -> bool {
    between.contains([',', ';', ':', '(', ')'])
        || between
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "but" | "while" | "yet" | "whereas"))
}

/// The context of a sentence, from its cue hits.
fn sentence_context(
    matcher: &Matcher,
    text: &str,
    start: usize,
    hits: &[Hit],
    has_role: &dyn Fn(&Hit, Role) -> bool,
) -> Option<ClaimContext> {
    if hits.iter().any(|h| has_role(h, Role::Caution)) {
        return Some(ClaimContext::Cautionary);
    }
    if hits.iter().any(|h| has_role(h, Role::Reported)) {
        return Some(ClaimContext::Reported);
    }
    let addressed = hits.iter().any(|h| has_role(h, Role::Customer));
    // The subject is counted from the end of an introductory phrase, if there is one.
    // Only the first few words can hold it: look no further (a long text without commas must
    // not be searched again for every sentence).
    let window = text.floor_char_boundary((start + 160).min(text.len()));
    let start = match memchr::memchr(b',', &text.as_bytes()[start..window]) {
        Some(comma) if words_at_most(&text[start..start + comma], INTRO_WINDOW) => {
            start + comma + 1
        }
        _ => start,
    };
    // The subject stands before the first action or phrase: in "Repairs damaged skin cells",
    // "cells" is the object of a promise, not the subject of a description.
    let first_claim_word = hits
        .iter()
        .filter(|h| match h.kind {
            HitKind::Pattern(_) => true,
            HitKind::Literal(l) => matcher
                .roles(l)
                .iter()
                .any(|r| matches!(r, Role::Action(_) | Role::Phrase(_))),
        })
        .map(|h| h.start)
        .min()
        .unwrap_or(usize::MAX);
    let described = hits.iter().any(|h| {
        has_role(h, Role::Subject)
            && h.start >= start
            && h.start < first_claim_word
            && words_at_most(&text[start..h.start], SUBJECT_WINDOW)
    });
    (described && !addressed).then_some(ClaimContext::Descriptive)
}

/// The normalized action term a listed target inherits.
fn lead_term(matcher: &Matcher, action: &Hit) -> Option<String> {
    match action.kind {
        HitKind::Literal(l) => Some(matcher.literal(l).to_owned()),
        HitKind::Pattern(_) => None,
    }
}

/// Is `text[a..b]` list glue: a few words at most, with a separator among them?
fn is_list_glue(text: &str, a: usize, b: usize) -> bool {
    if a > b {
        return false;
    }
    let glue = &text[a..b];
    if !words_at_most(glue, LIST_GAP) {
        return false;
    }
    glue.contains([',', ';', '/', '&', '、', '・', '•', '\n'])
        || glue
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "and" | "or" | "nor" | "plus"))
}

/// Merges overlapping claims of the same rule; the result is sorted by start, then rule.
fn merge(text: &str, mut claims: Vec<Claim>) -> Vec<Claim> {
    // A regex may take the space around a phrase; the span is the words only.
    for claim in &mut claims {
        let slice = &text[claim.span.clone()];
        let start = claim.span.start + (slice.len() - slice.trim_start().len());
        let end = claim.span.start + slice.trim_end().len();
        if start < end {
            claim.span = start..end;
        }
    }
    claims.sort_by(|a, b| {
        (a.rule, a.span.start, a.span.end).cmp(&(b.rule, b.span.start, b.span.end))
    });
    let mut out: Vec<Claim> = Vec::with_capacity(claims.len());
    for claim in claims {
        if let Some(last) = out.last_mut()
            && last.rule == claim.rule
            && claim.span.start < last.span.end
        {
            last.span.end = last.span.end.max(claim.span.end);
            if claim.listed_after.is_none() {
                last.listed_after = None;
            }
            continue;
        }
        out.push(claim);
    }
    out.sort_by_key(|c| (c.span.start, c.span.end, c.rule));
    out
}
