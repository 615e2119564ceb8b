//! What happens to diagnostics after the engine found them, by the team's decisions: rule
//! settings from the configuration, inline suppressions, the approved-claims register, the
//! baseline and the changed-lines filter.

pub mod approvals;
pub mod baseline;
pub mod changed;
pub mod sentences;
pub mod suppress;

use crate::config::{FileSettings, RuleAction};
use crate::diagnostic::Diagnostic;
use crate::rules::RulePack;

/// The action of the configuration on each rule of `pack`, by rule index.
pub fn rule_actions(pack: &RulePack, settings: &FileSettings) -> Vec<Option<RuleAction>> {
    pack.rules.iter().map(|r| settings.rule_action(r)).collect()
}

/// Drops the diagnostics of rules turned off and gives configured severities. A claim whose
/// sentence context lowered it to info (a caution, a description) stays at info.
pub fn apply_rule_actions(actions: &[Option<RuleAction>], diagnostics: &mut Vec<Diagnostic>) {
    if actions.iter().all(Option::is_none) {
        return;
    }
    diagnostics.retain_mut(|d| match actions.get(d.rule).copied().flatten() {
        Some(RuleAction::Off) => false,
        Some(RuleAction::Severity(severity)) => {
            if d.context.is_none() {
                d.severity = severity;
            }
            true
        }
        Some(RuleAction::On) | None => true,
    });
}
