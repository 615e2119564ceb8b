//! The time one document may take (`--file-time-limit`). Every stage is linear in its input,
//! so the budget is a safety net: a document that outlasts it is reported as not checked, and
//! the run goes on with the others.

use std::time::{Duration, Instant};

/// When checking one document must stop.
#[derive(Debug, Clone, Copy, Default)]
pub struct Budget {
    deadline: Option<Instant>,
}

/// A document outlasted its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget;

impl Budget {
    /// No limit.
    pub fn unlimited() -> Budget {
        Budget::default()
    }

    /// `limit` from now; `None` is no limit.
    pub fn from_now(limit: Option<Duration>) -> Budget {
        Budget {
            deadline: limit.and_then(|l| Instant::now().checked_add(l)),
        }
    }

    /// `Err` once the deadline has passed.
    pub fn check(&self) -> Result<(), OverBudget> {
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(OverBudget),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out() {
        assert_eq!(Budget::unlimited().check(), Ok(()));
        assert_eq!(Budget::from_now(None).check(), Ok(()));
        assert_eq!(
            Budget::from_now(Some(Duration::from_secs(3600))).check(),
            Ok(())
        );
        assert_eq!(
            Budget::from_now(Some(Duration::ZERO)).check(),
            Err(OverBudget)
        );
    }
}
