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
use super::text::count_words;
use crate::rules::RulePack;

/// How many words may stand between a negation cue and the claim it negates.
const NEGATION_WINDOW: usize = 3;
/// How many words of list glue may stand between two listed targets.
const LIST_GAP: usize = 3;

/// A claim found in normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rule: u32,
    /// Byte range in the normalized text.
    pub span: Range<usize>,
    /// For a listed target: the action term of the lead-in it inherits.
    pub listed_after: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Link {
    action: Hit,
    negated: bool,
}

/// Finds every claim of a normalized text.
pub fn find_claims(
    pack: &RulePack,
    matcher: &Matcher,
    text: &str,
    hits: &[Hit],
    sentences: &[Range<usize>],
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let mut h = 0;
    for sentence in sentences {
        while h < hits.len() && hits[h].start < sentence.start {
            h += 1;
        }
        let first = h;
        while h < hits.len() && hits[h].end <= sentence.end {
            h += 1;
        }
        if first < h {
            sentence_claims(pack, matcher, text, &hits[first..h], &mut claims);
        }
    }
    merge(claims)
}

fn sentence_claims(
    pack: &RulePack,
    matcher: &Matcher,
    text: &str,
    hits: &[Hit],
    claims: &mut Vec<Claim>,
) {
    let negated = |pos: usize| -> bool {
        hits.iter().any(|n| {
            n.end <= pos
                && matches!(n.kind, HitKind::Literal(l) if matcher.roles(l).contains(&Role::Negator))
                && count_words(&text[n.end..pos]) <= NEGATION_WINDOW
        })
    };
    let exception_covers = |rule: u32, span: &Range<usize>| -> bool {
        hits.iter().any(|e| {
            e.start <= span.start
                && span.end <= e.end
                && matches!(e.kind, HitKind::Literal(l) if matcher.roles(l).contains(&Role::Exception(rule)))
        })
    };

    // Phrases.
    for hit in hits {
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
                });
            }
        }
    }

    // Composite claims: link each target to the nearest action of its rule.
    let targets: Vec<(Hit, Vec<u32>)> = hits
        .iter()
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
    if targets.is_empty() {
        return;
    }
    let actions_of = |rule: u32| {
        hits.iter().filter(move |a| {
            matches!(a.kind, HitKind::Literal(l) if matcher.roles(l).contains(&Role::Action(rule)))
        })
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
            for action in actions_of(rule) {
                let gap = if action.end <= target.start {
                    count_words(&text[action.end..target.start])
                } else if target.end <= action.start {
                    count_words(&text[target.end..action.start])
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
                let accepts = r == rule
                    || matches!(action.kind, HitKind::Literal(l) if matcher.roles(l).contains(&Role::Action(r)));
                if accepts && !exception_covers(r, &span) {
                    claims.push(Claim {
                        rule: r,
                        span: span.clone(),
                        listed_after: listed_after.clone(),
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
                });
            }
        }
    }
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
    if count_words(glue) > LIST_GAP {
        return false;
    }
    glue.contains([',', ';', '/', '&', '、', '・', '•', '\n'])
        || glue
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "and" | "or" | "nor" | "plus"))
}

/// Merges overlapping claims of the same rule; the result is sorted by start, then rule.
fn merge(mut claims: Vec<Claim>) -> Vec<Claim> {
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
