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

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::normalize::normalize_term;
use super::text::on_word_boundaries;
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
    /// A hedge ("may help").
    Hedge,
    /// Attribution to animal or laboratory work ("in animal studies").
    Attribution,
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
    automaton: AhoCorasick,
    roles: Vec<Vec<Role>>,
    literals: Vec<String>,
    regexes: Vec<(Regex, u32)>,
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

impl Matcher {
    pub fn new(pack: &RulePack) -> Result<Matcher, BuildError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut literals: Vec<String> = Vec::new();
        let mut roles: Vec<Vec<Role>> = Vec::new();
        let mut add = |term: &str, role: Role| {
            let norm = normalize_term(term);
            if norm.is_empty() {
                return;
            }
            let id = *index.entry(norm.clone()).or_insert_with(|| {
                literals.push(norm);
                roles.push(Vec::new());
                literals.len() - 1
            });
            if !roles[id].contains(&role) {
                roles[id].push(role);
            }
        };
        for (i, rule) in pack.rules.iter().enumerate() {
            let i = i as u32;
            for p in &rule.phrases {
                add(p, Role::Phrase(i));
            }
            for e in &rule.exceptions {
                add(e, Role::Exception(i));
            }
            if let Some(c) = &rule.composite {
                for a in &c.actions {
                    add(a, Role::Action(i));
                }
                for t in &c.targets {
                    add(t, Role::Target(i));
                }
            }
        }
        for n in &pack.context.negators {
            add(n, Role::Negator);
        }
        for n in &pack.context.neutral {
            add(n, Role::Neutral);
        }
        for n in &pack.context.descriptive_subjects {
            add(n, Role::Subject);
        }
        for n in &pack.context.customer_cues {
            add(n, Role::Customer);
        }
        for n in &pack.context.cautions {
            add(n, Role::Caution);
        }
        for n in &pack.context.hedges {
            add(n, Role::Hedge);
        }
        for n in &pack.context.attributions {
            add(n, Role::Attribution);
        }
        for (class, terms) in &pack.cues.classes {
            for t in terms {
                add(t, Role::Class(*class));
            }
        }
        for (route, terms) in &pack.cues.routes {
            for t in terms {
                add(t, Role::Route(*route));
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .map_err(|e| BuildError(e.to_string()))?;

        let mut regexes = Vec::new();
        for (i, rule) in pack.rules.iter().enumerate() {
            for re in &rule.compiled_patterns {
                regexes.push((re.clone(), i as u32));
            }
        }

        Ok(Matcher {
            automaton,
            roles,
            literals,
            regexes,
        })
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
        let mut hits: Vec<Hit> = self
            .automaton
            .find_overlapping_iter(text)
            .filter(|m| on_word_boundaries(text, m.start(), m.end()))
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                kind: HitKind::Literal(m.pattern().as_u32()),
            })
            .collect();
        // Each regex runs on its own automaton: a set of them all falls back to a slow NFA
        // simulation over long texts (measured: minutes on 6 MB), single regexes do not.
        for (re, rule) in &self.regexes {
            hits.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| Hit {
                start: m.start(),
                end: m.end(),
                kind: HitKind::Pattern(*rule),
            }));
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }
}
