//! `claimlint check`: walk, read and check in parallel, then report in path order.

use std::io::{IsTerminal, Write};

use rayon::prelude::*;

use super::{ExitStatus, load_pack};
use crate::cli::{CheckArgs, ColorChoice, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::report::checkstyle::CheckstyleReporter;
use crate::report::github::GithubReporter;
use crate::report::jsonl::JsonLinesReporter;
use crate::report::sarif::SarifReporter;
use crate::report::{ReportContext, Reporter, Summary, human::HumanReporter, json::JsonReporter};
use crate::source::walk::{Input, collect_inputs, describe_io};
use crate::source::{Format, ReadOptions, Skip, SourceFile, read_file, read_limited};

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

    let read = read_options(args);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            writeln!(err, "error: cannot start worker threads: {e}")?;
            return Ok(ExitStatus::Failure);
        }
    };
    let outcomes: Vec<Outcome> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| check_input(&engine, input, &read))
            .collect()
    });

    let ctx = ReportContext {
        pack: engine.pack(),
        jurisdictions: &jurisdictions,
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        OutputFormat::Human => Box::new(HumanReporter::new(use_color(args.color))),
        OutputFormat::Json => Box::new(JsonReporter::default()),
        OutputFormat::Jsonl => Box::new(JsonLinesReporter),
        OutputFormat::Sarif => Box::new(SarifReporter::default()),
        OutputFormat::Github => Box::new(GithubReporter),
        OutputFormat::Checkstyle => Box::new(CheckstyleReporter::default()),
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

/// How inputs are read, from the flags.
fn read_options(args: &CheckArgs) -> ReadOptions {
    let defaults = ReadOptions::default();
    ReadOptions {
        format: args.file_type.map(|t| t.format()),
        encoding: args.encoding,
        max_filesize: args.max_filesize,
        copy_keys: if args.copy_keys.is_empty() {
            defaults.copy_keys
        } else {
            args.copy_keys.iter().map(|k| k.trim().to_owned()).collect()
        },
    }
}

fn check_input(engine: &Engine, input: &Input, read: &ReadOptions) -> Outcome {
    let limit = read.max_filesize;
    let (name, format, bytes) = match input {
        Input::Stdin(name) => match read_limited(std::io::stdin().lock(), limit) {
            Ok(Some(bytes)) => (
                name.clone(),
                Format::from_path(std::path::Path::new(name)),
                bytes,
            ),
            Ok(None) => {
                let skip = Skip::TooLarge { size: None, limit };
                return Outcome::Skipped(name.clone(), skip);
            }
            Err(e) => return Outcome::Unreadable(name.clone(), describe_io(&e)),
        },
        Input::File(path) => {
            let name = path.display().to_string();
            match read_file(path, limit) {
                Ok(Ok(bytes)) => (name, Format::from_path(path), bytes),
                Ok(Err(skip)) => return Outcome::Skipped(name, skip),
                Err(e) => return Outcome::Unreadable(name, describe_io(&e)),
            }
        }
    };
    match SourceFile::read(name.clone(), bytes, format, read) {
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
