//! A rule's own examples, run: every `fire` example must give a claim of its rule, no `pass`
//! example may. The embedded pack's are run by its tests; a user's pack (`--rules`, `rule-dirs`)
//! has its examples run when it loads, and `claimlint rules --test` reports them all.

use super::Engine;
use crate::rules::{PackError, PackErrors, Rule};

/// One example of one rule, run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRun {
    /// Index of the rule in the pack.
    pub rule: usize,
    pub text: String,
    /// A `fire` example (else a `pass` counter-example).
    pub should_fire: bool,
    /// The rule claimed something in it.
    pub fired: bool,
}

impl ExampleRun {
    pub fn passed(&self) -> bool {
        self.fired == self.should_fire
    }

    /// What went wrong, for a failed run.
    pub fn problem(&self, rule: &Rule) -> String {
        if self.should_fire {
            format!(
                "rule `{}` does not fire on its example {:?}",
                rule.id, self.text
            )
        } else {
            format!(
                "rule `{}` fires on its counter-example {:?}",
                rule.id, self.text
            )
        }
    }
}

/// Runs the examples of the rules `which` selects, in pack order.
pub fn run(engine: &Engine, which: impl Fn(&Rule) -> bool) -> Vec<ExampleRun> {
    let mut runs = Vec::new();
    for (i, rule) in engine.pack().rules.iter().enumerate() {
        if !which(rule) {
            continue;
        }
        let cases = rule
            .examples
            .fire
            .iter()
            .map(|t| (t, true))
            .chain(rule.examples.pass.iter().map(|t| (t, false)));
        for (text, should_fire) in cases {
            let fired = engine.check_text(text).iter().any(|c| c.rule as usize == i);
            runs.push(ExampleRun {
                rule: i,
                text: text.clone(),
                should_fire,
                fired,
            });
        }
    }
    runs
}

/// The failed examples of the rules `which` selects, as pack errors naming each rule's file.
pub fn check(engine: &Engine, which: impl Fn(&Rule) -> bool) -> Result<(), PackErrors> {
    let rules = &engine.pack().rules;
    let errors: Vec<PackError> = run(engine, which)
        .into_iter()
        .filter(|r| !r.passed())
        .map(|r| PackError {
            file: rules[r.rule].file.clone(),
            span: None,
            message: r.problem(&rules[r.rule]),
            label: String::new(),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PackErrors {
            errors,
            ..PackErrors::default()
        })
    }
}
