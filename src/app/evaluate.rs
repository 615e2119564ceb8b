//! `claimlint eval`: the confusion table of a labelled corpus.

use std::io::Write;

use super::{ExitStatus, load_pack};
use crate::cli::EvalArgs;
use crate::engine::Engine;
use crate::eval::{self, Counts, Miss};

pub fn run(
    args: &EvalArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(pack) = load_pack(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    let engine = match Engine::new(pack) {
        Ok(e) => e,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Failure);
        }
    };
    let examples = match eval::read_corpus(&args.paths) {
        Ok(e) => e,
        Err(errors) => {
            for e in errors {
                writeln!(err, "error: {e}")?;
            }
            return Ok(ExitStatus::Failure);
        }
    };
    let (split, language) = (args.split, args.language);
    let examples = eval::select(examples, split, language);
    let report = eval::evaluate(&engine, &examples, args.level.threshold());
    let from = if report.documents > 0 {
        format!(" from {} documents", report.documents)
    } else {
        String::new()
    };
    let which = [
        split.map(|s| format!("{} split", s.as_str())),
        language.map(|l| l.as_str().to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    writeln!(
        out,
        "{} sentences{from}{}; a claim is reported at {} or above",
        report.examples,
        if which.is_empty() {
            String::new()
        } else {
            format!(" ({which})")
        },
        args.level.threshold()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:18} {:>5} {:>5} {:>5} {:>5} {:>9} {:>7}",
        "category", "tp", "fp", "fn", "tn", "precision", "recall"
    )?;
    let row = |out: &mut dyn Write, name: &str, c: &Counts, tn: String| -> std::io::Result<()> {
        writeln!(
            out,
            "{name:18} {:>5} {:>5} {:>5} {tn:>5} {:>9.3} {:>7.3}",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        )
    };
    for (category, counts) in &report.by_category {
        row(out, category.as_str(), counts, "-".to_owned())?;
    }
    row(
        out,
        "all (claim/none)",
        &report.overall,
        report.overall.tn.to_string(),
    )?;
    if report.by_language.len() > 1 || !report.by_genre.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{:18} {:>5} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "language / genre", "tp", "fp", "fn", "tn", "precision", "recall"
        )?;
        for (language, counts) in &report.by_language {
            row(out, language.as_str(), counts, counts.tn.to_string())?;
        }
        for (genre, counts) in &report.by_genre {
            row(out, genre, counts, counts.tn.to_string())?;
        }
    }
    let list = |out: &mut dyn Write, title: &str, misses: &[Miss]| -> std::io::Result<()> {
        if misses.is_empty() || args.show == 0 {
            return Ok(());
        }
        writeln!(out, "\n{title} ({} in all):", misses.len())?;
        for m in misses.iter().take(args.show) {
            let predicted: Vec<&str> = m.predicted.iter().map(|c| c.as_str()).collect();
            let expected = m.example.category.map_or("none", |c| c.as_str());
            writeln!(
                out,
                "  {}:{} [{} → {}] {}",
                m.example.file,
                m.example.line,
                expected,
                if predicted.is_empty() {
                    "none".to_owned()
                } else {
                    predicted.join(",")
                },
                m.example.text
            )?;
        }
        Ok(())
    };
    list(out, "missed claims", &report.false_negatives)?;
    list(out, "false positives", &report.false_positives)?;
    let below = args
        .min
        .is_some_and(|m| report.overall.precision() < m || report.overall.recall() < m);
    Ok(if below {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
