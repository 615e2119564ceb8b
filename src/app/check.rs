//! `claimlint check`: walk, plan (configuration per file), check in parallel, apply the team's
//! decisions (suppressions, approvals, baseline), and report in path order.
//!
//! Files are checked in batches, each in parallel; while one batch is reported (in path order,
//! on this thread) the workers check the next ones, so output streams in path order and memory
//! holds a few batches (`in_order::IN_FLIGHT`), not the whole run.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use super::in_order;
use super::plan::{Plan, Planned, Planner};
use super::progress::{self, Progress};
use super::{ExitStatus, load_engine};
use crate::cli::{CheckArgs, ColorChoice, OutputFormat};
use crate::config::Resolver;
use crate::diagnostic::{Diagnostic, Problem};
use crate::engine::{Budget, OverBudget};
use crate::policy::baseline::{self, Baseline, Entry};
use crate::policy::changed::ChangedLines;
use crate::policy::{sentences, suppress};
use crate::report::checkstyle::CheckstyleReporter;
use crate::report::github::GithubReporter;
use crate::report::jsonl::JsonLinesReporter;
use crate::report::sarif::SarifReporter;
use crate::report::{
    ReportContext, Reporter, Summary, human::HumanReporter, json::JsonReporter, printable_name,
};
use crate::source::walk::{Input, WalkOptions, collect_inputs, describe_io};
use crate::source::{Format, Skip, SourceFile, read_file, read_limited};

/// A run over at least this many files builds the matcher's DFA while it plans them: about
/// 40 ms on a pool thread that would otherwise wait for the planning, and the DFA scans several
/// times as fast as the start-up NFA (it is built anyway after 4 MB).
const EARLY_DFA_FILES: usize = 256;

/// Files per thread in one batch.
const BATCH_PER_THREAD: usize = 64;

/// One file to check and how.
struct Job {
    input: Input,
    plan: Arc<Plan>,
}

/// What became of one input.
enum Outcome {
    Checked(Box<Checked>),
    Skipped(String, Skip),
    Unreadable(String, String),
}

struct Checked {
    file: SourceFile,
    plan: Arc<Plan>,
    diagnostics: Vec<Diagnostic>,
    problems: Vec<Problem>,
    suppressed: usize,
    /// The sentence of each diagnostic, when a baseline needs it.
    sentences: Vec<String>,
}

/// The run's own output file (`-o FILE`), if it already exists: never checked.
struct OwnOutput {
    /// Its file name and its canonical path.
    file: Option<(std::ffi::OsString, std::path::PathBuf)>,
}

impl OwnOutput {
    fn new(output: Option<&Path>) -> OwnOutput {
        let file = output.and_then(|path| {
            let canonical = std::fs::canonicalize(path).ok()?;
            Some((canonical.file_name()?.to_owned(), canonical))
        });
        OwnOutput { file }
    }

    /// Whether `path` is the output file (only a path with its file name is resolved).
    fn is(&self, path: &Path) -> bool {
        self.file.as_ref().is_some_and(|(name, canonical)| {
            path.file_name() == Some(name.as_os_str())
                && std::fs::canonicalize(path).is_ok_and(|p| &p == canonical)
        })
    }
}

/// What the whole run does besides checking.
struct RunOptions {
    /// Today's date, for approvals' expiry: read (with the time zone) only when a register
    /// is in use.
    today: std::sync::OnceLock<jiff::civil::Date>,
    changed: Option<ChangedLines>,
    baseline_in_use: bool,
    /// How long one file may take (`--file-time-limit`).
    time_limit: Option<std::time::Duration>,
}

pub fn run(
    args: &CheckArgs,
    stdout: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(engine) = load_engine(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    let renderer = super::stderr_renderer();
    let resolver = match Resolver::new(args.config.config.as_deref(), args.config.no_config) {
        Ok(r) => r,
        Err(errors) => {
            write!(err, "{}", errors.render(&renderer))?;
            return Ok(ExitStatus::Failure);
        }
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(message) => {
                writeln!(err, "error: {message}")?;
                return Ok(ExitStatus::Failure);
            }
        },
        None => None,
    };
    let revision = if args.diff {
        Some("HEAD")
    } else {
        args.changed_since.as_deref()
    };
    let changed = match revision.map(ChangedLines::since) {
        Some(Ok(changed)) => Some(changed),
        Some(Err(message)) => {
            writeln!(err, "error: --changed-since: {message}")?;
            return Ok(ExitStatus::Failure);
        }
        None => None,
    };
    let options = RunOptions {
        today: std::sync::OnceLock::new(),
        changed,
        baseline_in_use: args.baseline.is_some() || args.write_baseline.is_some(),
        time_limit: Some(args.file_time_limit).filter(|l| !l.is_zero()),
    };

    let walk = WalkOptions {
        ignore_files: !args.no_ignore,
    };
    // `--threads N` gets a pool of its own; otherwise rayon's global pool (one thread per CPU,
    // already started to load the pack) does the work.
    let pool = match args
        .threads
        .map(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build())
    {
        None => None,
        Some(Ok(pool)) => Some(pool),
        Some(Err(e)) => {
            writeln!(err, "error: cannot start worker threads: {e}")?;
            return Ok(ExitStatus::Failure);
        }
    };
    let (inputs, walk_errors) = collect_inputs(&args.paths, &args.stdin_filename, walk);
    if inputs.len() >= EARLY_DFA_FILES {
        // The pool is idle while the files are planned: the DFA is built there meanwhile.
        let engine = engine.clone();
        let build = move || engine.matcher().prepare_for_many_files();
        match &pool {
            Some(pool) => pool.spawn(build),
            None => rayon::spawn(build),
        }
    }
    let mut failed = !walk_errors.is_empty();
    let mut summary = Summary {
        read_errors: walk_errors.len(),
        ..Summary::default()
    };
    for e in &walk_errors {
        writeln!(err, "error: {}: {}", e.path, e.message)?;
    }

    let mut planner = Planner::new(args, resolver, engine, renderer);
    let mut jobs = Vec::with_capacity(inputs.len());
    let own_output = OwnOutput::new(args.output.as_deref());
    for input in inputs {
        let (path, walked) = match &input {
            Input::Stdin(name) => (Path::new(name.as_str()), false),
            Input::File { path, walked } => (path.as_path(), *walked),
        };
        if matches!(input, Input::File { .. }) && own_output.is(path) {
            // The report of an earlier run (`-o report.txt` inside the scanned folder) is not
            // copy: it quotes every claim it found.
            continue;
        }
        if let (Some(changed), Input::File { .. }) = (&options.changed, &input)
            && !changed.touches(path)
        {
            continue;
        }
        match planner.plan(path, walked, err)? {
            Planned::Check(plan) => jobs.push(Job { input, plan }),
            Planned::Excluded if !walked => {
                writeln!(
                    err,
                    "note: {}: excluded by the configuration, not checked",
                    path.display()
                )?;
            }
            Planned::Excluded | Planned::NotSelected => {}
            Planned::Broken => summary.read_errors += 1,
        }
    }
    failed |= planner.failed;

    let mut file_out;
    let out: &mut dyn Write = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => {
                file_out = BufWriter::with_capacity(64 * 1024, f);
                &mut file_out
            }
            Err(e) => {
                writeln!(err, "error: {}: {}", path.display(), describe_io(&e))?;
                return Ok(ExitStatus::Failure);
            }
        },
        None => stdout,
    };

    let base_ctx = ReportContext {
        pack: planner.base().pack(),
        jurisdictions: &[],
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        OutputFormat::Human => Box::new(HumanReporter::new(use_color(args.color, &args.output))),
        OutputFormat::Json => Box::new(JsonReporter::default()),
        OutputFormat::Jsonl => Box::new(JsonLinesReporter),
        OutputFormat::Sarif => Box::new(SarifReporter::default()),
        OutputFormat::Github => Box::new(GithubReporter),
        OutputFormat::Checkstyle => Box::new(CheckstyleReporter::default()),
    };
    let threads = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let batch = BATCH_PER_THREAD * threads.max(1);
    let progress = Progress::new(
        jobs.len(),
        progress::wanted(
            std::io::stderr().is_terminal(),
            args.format == OutputFormat::Human,
            jobs.len(),
        ),
    );
    let mut tally = Tally {
        write_baseline: args.write_baseline.is_some(),
        baseline,
        baseline_in_use: options.baseline_in_use,
        summary,
        findings: false,
        failed,
        recorded: Vec::new(),
    };
    let check = |job: &Job| {
        let outcome = guarded(|| input_name(&job.input), || check_job(job, &options));
        if let Outcome::Checked(c) = &outcome {
            progress.file_done(c.file.bytes().len());
        }
        outcome
    };
    let report_batch = |outcomes: Vec<Outcome>| -> std::io::Result<()> {
        progress.suspend(|| -> std::io::Result<()> {
            for outcome in outcomes {
                tally.take(outcome, reporter.as_mut(), out, err)?;
            }
            out.flush()
        })?;
        let s = &tally.summary;
        progress.update(s.errors + s.warnings + s.infos);
        Ok(())
    };
    // Batches are checked on the pool while the ones before them are reported here.
    in_order::check_in_order(&jobs, batch, pool.as_ref(), check, report_batch)?;
    progress.finish();

    let Tally {
        baseline,
        mut summary,
        findings,
        failed,
        recorded,
        ..
    } = tally;
    if let Some(path) = &args.write_baseline {
        let n = recorded.len();
        if let Err(e) = baseline::write(path, recorded) {
            writeln!(err, "error: {}: {}", path.display(), describe_io(&e))?;
            return Ok(ExitStatus::Failure);
        }
        writeln!(
            err,
            "wrote {n} finding{} of {} file{} to the baseline {}",
            if n == 1 { "" } else { "s" },
            summary.files_checked,
            if summary.files_checked == 1 { "" } else { "s" },
            path.display()
        )?;
        return Ok(if failed {
            ExitStatus::Failure
        } else {
            ExitStatus::Clean
        });
    }
    if let Some(baseline) = baseline {
        let gone = baseline.unmatched();
        summary.baseline_gone = gone.len();
        for e in &gone {
            writeln!(
                err,
                "note: baseline entry no longer found: {}:{}: {} \"{}\"",
                e.path, e.line, e.rule, e.claim
            )?;
        }
    }
    reporter.finish(out, &base_ctx, &summary)?;
    out.flush()?;
    // The process ends here: freeing the compiled pack (its automaton, tens of thousands of
    // small allocations) would only cost the user time.
    std::mem::forget(planner);
    Ok(if failed {
        ExitStatus::Failure
    } else if findings && !args.exit_zero {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// What the run has found so far, fed one outcome at a time in path order.
struct Tally {
    write_baseline: bool,
    baseline: Option<Baseline>,
    baseline_in_use: bool,
    summary: Summary,
    /// Some finding is at or above its file's `fail-on`.
    findings: bool,
    /// Some input or configuration could not be used.
    failed: bool,
    /// Baseline entries being recorded (`--write-baseline`).
    recorded: Vec<Entry>,
}

impl Tally {
    fn take(
        &mut self,
        outcome: Outcome,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> std::io::Result<()> {
        match outcome {
            Outcome::Checked(checked) => self.checked(*checked, reporter, out, err),
            Outcome::Skipped(name, reason) => {
                self.summary.files_skipped += 1;
                writeln!(err, "note: {}: {reason}", printable_name(&name))
            }
            Outcome::Unreadable(name, message) => {
                self.summary.read_errors += 1;
                self.failed = true;
                writeln!(err, "error: {}: {message}", printable_name(&name))
            }
        }
    }

    fn checked(
        &mut self,
        checked: Checked,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> std::io::Result<()> {
        let Checked {
            file,
            plan,
            mut diagnostics,
            mut problems,
            suppressed,
            sentences,
        } = checked;
        self.summary.files_checked += 1;
        self.summary.suppressed += suppressed;
        if file.bytes().is_empty() {
            writeln!(err, "note: {}: empty file", printable_name(&file.name))?;
        }
        for notice in &file.notices {
            writeln!(err, "warning: {}: {notice}", printable_name(&file.name))?;
        }
        if self.baseline_in_use {
            let (claims, directives) = entries(&plan, &file, &diagnostics, &problems, &sentences);
            if self.write_baseline {
                // Approved claims are not recorded: an expired approval must fail again.
                self.recorded.extend(
                    claims
                        .into_iter()
                        .zip(&diagnostics)
                        .filter(|(_, d)| !is_approved(d))
                        .map(|(e, _)| e),
                );
                self.recorded.extend(directives);
                return Ok(());
            }
            if let Some(baseline) = &mut self.baseline {
                let before = diagnostics.len() + problems.len();
                let mut keep = claims.iter().map(|e| !baseline.take(e));
                diagnostics.retain(|d| keep.next().unwrap_or(true) || is_approved(d));
                let mut keep = directives.iter().map(|e| !baseline.take(e));
                problems.retain(|_| keep.next().unwrap_or(true));
                self.summary.baselined += before - diagnostics.len() - problems.len();
            }
        }
        for d in &diagnostics {
            self.summary.count(d.severity);
            let approved = is_approved(d);
            self.summary.approved += usize::from(approved);
            self.findings |= !approved && d.severity >= plan.fail_on;
        }
        for p in &problems {
            self.summary.count(p.severity);
            self.findings |= p.severity >= plan.fail_on;
        }
        let ctx = ReportContext {
            pack: plan.engine.pack(),
            jurisdictions: &plan.jurisdictions,
        };
        reporter.file(out, &ctx, &file, &diagnostics, &problems)
    }
}

fn is_approved(d: &Diagnostic) -> bool {
    d.approval.as_ref().is_some_and(|a| a.is_approved())
}

/// The baseline entries of a file's diagnostics and of its directive problems.
fn entries(
    plan: &Plan,
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    problems: &[Problem],
    sentences: &[String],
) -> (Vec<Entry>, Vec<Entry>) {
    if diagnostics.is_empty() && problems.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let index = file.line_index();
    let path = baseline::stored_path(&file.name);
    let line = |offset: usize| index.position(file.bytes(), offset).line;
    let claims = diagnostics
        .iter()
        .zip(sentences)
        .map(|(d, sentence)| Entry {
            path: path.clone(),
            rule: plan.engine.pack().rules[d.rule].id.clone(),
            claim: sentences::normalize_phrase(&d.text),
            sentence: sentence.clone(),
            line: line(d.span.start),
        })
        .collect();
    let directives = problems
        .iter()
        .map(|p| Entry {
            path: path.clone(),
            rule: p.code.id().to_owned(),
            claim: sentences::normalize_phrase(&file.original_text(p.span.clone())),
            sentence: String::new(),
            line: line(p.span.start),
        })
        .collect();
    (claims, directives)
}

/// Runs `check`; a panic in it (a bug in claimlint, never the user's fault) becomes an error
/// for that one input, named by `name`, and the run goes on (the exit status is then 2).
fn guarded(name: impl FnOnce() -> String, check: impl FnOnce() -> Outcome) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Outcome::Unreadable(
                name(),
                format!(
                    "internal error while checking this file ({what}); the other files were \
                     checked. Please report it with the file attached"
                ),
            )
        }
    }
}

fn input_name(input: &Input) -> String {
    match input {
        Input::Stdin(name) => name.clone(),
        Input::File { path, .. } => path.display().to_string(),
    }
}

fn check_job(job: &Job, options: &RunOptions) -> Outcome {
    let budget = Budget::from_now(options.time_limit);
    let plan = &job.plan;
    let read = &plan.read;
    let limit = read.max_filesize;
    let (name, format, bytes) = match &job.input {
        Input::Stdin(name) => match read_limited(std::io::stdin().lock(), limit) {
            Ok(Some(bytes)) => (name.clone(), Format::from_path(Path::new(name)), bytes),
            Ok(None) => {
                let skip = Skip::TooLarge { size: None, limit };
                return Outcome::Skipped(name.clone(), skip);
            }
            Err(e) => return Outcome::Unreadable(name.clone(), describe_io(&e)),
        },
        Input::File { path, .. } => {
            let name = path.display().to_string();
            match read_file(path, limit) {
                Ok(Ok(bytes)) => (name, Format::from_path(path), bytes),
                Ok(Err(skip)) => return Outcome::Skipped(name, skip),
                Err(e) => return Outcome::Unreadable(name, describe_io(&e)),
            }
        }
    };
    let file = match SourceFile::read(name.clone(), bytes, format, read) {
        Ok(file) => file,
        Err(skip) => return Outcome::Skipped(name, skip),
    };
    let mut diagnostics = match plan.engine.check_file_within(&file, &budget) {
        Ok(diagnostics) => diagnostics,
        Err(OverBudget) => {
            let limit = options.time_limit.unwrap_or_default().as_secs_f64();
            return Outcome::Unreadable(
                name,
                format!(
                    "not checked: it took longer than the limit of {limit} s for one file \
                     (--file-time-limit)"
                ),
            );
        }
    };
    crate::policy::apply_rule_actions(&plan.actions, &mut diagnostics);
    let suppress::Outcome {
        mut diagnostics,
        mut problems,
        suppressed,
    } = suppress::apply(&file, plan.engine.pack(), diagnostics);
    if let (Some(changed), Input::File { path, .. }) = (&options.changed, &job.input) {
        let index = file.line_index();
        let line = |offset: usize| index.position(file.bytes(), offset).line;
        diagnostics.retain(|d| changed.contains(path, line(d.span.start)));
        problems.retain(|p| changed.contains(path, line(p.span.start)));
    }
    let needs_sentences = plan.register.is_some() || options.baseline_in_use;
    let sentences = if needs_sentences {
        sentences::of(&file, &diagnostics)
    } else {
        Vec::new()
    };
    if let Some(register) = &plan.register {
        register.apply(
            plan.engine.pack(),
            &mut diagnostics,
            &sentences,
            plan.product,
            &plan.jurisdictions,
            *options.today.get_or_init(|| jiff::Zoned::now().date()),
        );
    }
    Outcome::Checked(Box::new(Checked {
        file,
        plan: plan.clone(),
        diagnostics,
        problems,
        suppressed,
        sentences,
    }))
}

fn use_color(choice: ColorChoice, output: &Option<std::path::PathBuf>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_checking_one_file_is_that_files_error() {
        let outcome = guarded(|| "page.md".to_owned(), || panic!("an index out of bounds"));
        match outcome {
            Outcome::Unreadable(name, message) => {
                assert_eq!(name, "page.md");
                assert!(message.contains("an index out of bounds"), "{message}");
            }
            _ => panic!("the panic was not turned into an error"),
        }
        let fine = guarded(
            || unreachable!("the name is asked only on a panic"),
            || Outcome::Unreadable("x".into(), "y".into()),
        );
        assert!(matches!(fine, Outcome::Unreadable(n, _) if n == "x"));
    }
}
