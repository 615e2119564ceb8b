//! `claimlint check`: walk, read and check in parallel, then report in path order.

use std::io::{IsTerminal, Read, Write};

use rayon::prelude::*;

use super::{ExitStatus, load_pack};
use crate::cli::{CheckArgs, ColorChoice, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::report::{ReportContext, Reporter, Summary, human::HumanReporter, json::JsonReporter};
use crate::source::walk::{Input, collect_inputs, describe_io};
use crate::source::{Format, Skip, SourceFile};

/// What became of one input.
enum Outcome {
    Checked {
        file: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
    Skipped(String, Skip),
    Unreadable(String, String),
}

pub fn run(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(pack) = load_pack(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    let engine = match Engine::new(pack) {
        Ok(e) => e.with_product(args.product),
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Failure);
        }
    };
    let jurisdictions = if args.jurisdiction.is_empty() {
        engine.pack().jurisdictions()
    } else {
        args.jurisdiction.clone()
    };

    let (inputs, walk_errors) = collect_inputs(&args.paths, &args.stdin_filename);
    let mut failed = !walk_errors.is_empty();
    let mut summary = Summary {
        read_errors: walk_errors.len(),
        ..Summary::default()
    };
    for e in &walk_errors {
        writeln!(err, "error: {}: {}", e.path, e.message)?;
    }

    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| check_input(&engine, input))
        .collect();

    let ctx = ReportContext {
        pack: engine.pack(),
        jurisdictions: &jurisdictions,
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        OutputFormat::Human => Box::new(HumanReporter::new(use_color(args.color))),
        OutputFormat::Json => Box::new(JsonReporter::default()),
    };
    let threshold = args.fail_on.threshold();
    let mut findings = false;
    for outcome in outcomes {
        match outcome {
            Outcome::Checked { file, diagnostics } => {
                summary.files_checked += 1;
                if file.bytes.is_empty() {
                    writeln!(err, "note: {}: empty file", file.name)?;
                }
                for notice in &file.notices {
                    writeln!(err, "warning: {}: {notice}", file.name)?;
                }
                for d in &diagnostics {
                    summary.count(d.severity);
                    findings |= d.severity >= threshold;
                }
                reporter.file(out, &ctx, &file, &diagnostics)?;
            }
            Outcome::Skipped(name, reason) => {
                summary.files_skipped += 1;
                writeln!(err, "note: {name}: {reason}")?;
            }
            Outcome::Unreadable(name, message) => {
                summary.read_errors += 1;
                failed = true;
                writeln!(err, "error: {name}: {message}")?;
            }
        }
    }
    reporter.finish(out, &ctx, &summary)?;
    Ok(if failed {
        ExitStatus::Failure
    } else if findings {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn check_input(engine: &Engine, input: &Input) -> Outcome {
    let (name, format, bytes) = match input {
        Input::Stdin(name) => {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
                return Outcome::Unreadable(name.clone(), describe_io(&e));
            }
            (
                name.clone(),
                Format::from_path(std::path::Path::new(name)),
                bytes,
            )
        }
        Input::File(path) => {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(bytes) => (name, Format::from_path(path), bytes),
                Err(e) => return Outcome::Unreadable(name, describe_io(&e)),
            }
        }
    };
    match SourceFile::decode(name.clone(), bytes, format) {
        Ok(file) => {
            let diagnostics = engine.check_file(&file);
            Outcome::Checked { file, diagnostics }
        }
        Err(skip) => Outcome::Skipped(name, skip),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}
