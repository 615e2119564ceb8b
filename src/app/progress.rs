//! A progress bar on standard error for long scans: files done, throughput, findings so far.
//!
//! It is drawn only when standard error is a terminal, the output is the human format (never
//! beside JSON, SARIF and the other machine formats), and the scan has run for over a second. It
//! is cleared before each report is written, so it never mixes with diagnostics.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
    bytes: AtomicU64,
}

/// Whether a run may show progress at all.
pub fn wanted(stderr_is_terminal: bool, human_format: bool, files: usize) -> bool {
    stderr_is_terminal && human_format && files > 1
}

impl Progress {
    /// A progress bar over `files` files, or one that draws nothing when not `wanted`.
    pub fn new(files: usize, wanted: bool) -> Progress {
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            bytes: AtomicU64::new(0),
        }
    }

    /// One file is done (called from the workers).
    pub fn file_done(&self, bytes: usize) {
        if let Some(bar) = &self.bar {
            self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
            bar.inc(1);
        }
    }

    /// Runs `f` with the bar cleared, so what `f` prints is not mixed with it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown.load(Ordering::Relaxed) => bar.suspend(f),
            _ => f(),
        }
    }

    /// Updates the message; shows the bar once the scan has lasted over a second.
    pub fn update(&self, findings: usize) {
        let Some(bar) = &self.bar else { return };
        let elapsed = self.started.elapsed();
        if elapsed >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        let rate = mb / elapsed.as_secs_f64().max(1e-3);
        bar.set_message(format!("{rate:.1} MB/s  {findings} findings"));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_for_people_at_a_terminal() {
        assert!(wanted(true, true, 100));
        assert!(
            !wanted(false, true, 100),
            "not when stderr is a pipe or file"
        );
        assert!(!wanted(true, false, 100), "not with a machine format");
        assert!(!wanted(true, true, 1), "not for one file");
    }

    #[test]
    fn a_hidden_bar_passes_through() {
        let p = Progress::new(3, false);
        p.file_done(10);
        p.update(2);
        assert_eq!(p.suspend(|| 7), 7);
        p.finish();
    }
}
