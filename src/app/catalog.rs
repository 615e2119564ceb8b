//! `claimlint rules` and `claimlint explain`: the pack as a catalog a reviewer can audit.

use std::io::Write;

use serde::Serialize;

use super::{ExitStatus, load_pack};
use crate::cli::{ExplainArgs, ListFormat, RulesArgs};
use crate::rules::{Jurisdiction, Level, Rule, RulePack};

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    rationale: &'a str,
    suggestion: &'a str,
    levels: Vec<&'static str>,
    jurisdictions: Vec<&'static str>,
    phrases: &'a [String],
    patterns: &'a [String],
    exceptions: &'a [String],
    composite: Option<CompositeJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
    regulatory: Vec<NoteJson<'a>>,
    examples: ExamplesJson<'a>,
    file: &'a str,
}

#[derive(Serialize)]
struct CompositeJson<'a> {
    actions: &'a [String],
    targets: &'a [String],
    max_gap: usize,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    class: Option<&'static str>,
    level: &'static str,
    summary: &'a str,
    sources: Vec<String>,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    jurisdiction: &'static str,
    note: &'a str,
    refs: Vec<&'a str>,
}

#[derive(Serialize)]
struct ExamplesJson<'a> {
    fire: &'a [String],
    pass: &'a [String],
}

fn rule_json<'a>(pack: &'a RulePack, rule: &'a Rule) -> RuleJson<'a> {
    RuleJson {
        id: &rule.id,
        category: rule.category.as_str(),
        severity: rule.severity.as_str(),
        message: &rule.message,
        rationale: &rule.rationale,
        suggestion: &rule.suggestion,
        levels: rule.levels().into_iter().map(Level::letter).collect(),
        jurisdictions: rule
            .jurisdictions()
            .into_iter()
            .map(Jurisdiction::as_str)
            .collect(),
        phrases: &rule.phrases_written,
        patterns: &rule.patterns,
        exceptions: &rule.exceptions,
        composite: rule.composite.as_ref().map(|c| CompositeJson {
            actions: &c.actions_written,
            targets: &c.targets_written,
            max_gap: c.max_gap,
        }),
        evidence: rule
            .evidence
            .iter()
            .map(|e| EvidenceJson {
                class: e.class.map(|c| c.as_str()),
                level: e.level.letter(),
                summary: &e.summary,
                sources: e
                    .sources
                    .iter()
                    .map(|&s| pack.cite(s).id().to_owned())
                    .collect(),
            })
            .collect(),
        regulatory: rule
            .regulatory
            .iter()
            .map(|n| NoteJson {
                jurisdiction: n.jurisdiction.as_str(),
                note: &n.note,
                refs: n
                    .refs
                    .iter()
                    .map(|&r| pack.regulations[r].id.as_str())
                    .collect(),
            })
            .collect(),
        examples: ExamplesJson {
            fire: &rule.examples.fire,
            pass: &rule.examples.pass,
        },
        file: &rule.file,
    }
}

pub fn rules(
    args: &RulesArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(pack) = load_pack(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    if args.export_literals {
        let mut literals: Vec<String> = pack
            .rules
            .iter()
            .flat_map(|r| {
                let composite = r
                    .composite
                    .iter()
                    .flat_map(|c| c.actions.iter().chain(&c.targets));
                r.phrases.iter().chain(composite)
            })
            .map(|t| crate::engine::normalize::normalize_term(t))
            .filter(|t| !t.is_empty())
            .collect();
        literals.sort();
        literals.dedup();
        for l in literals {
            writeln!(out, "{l}")?;
        }
        return Ok(ExitStatus::Clean);
    }
    if let Some(days) = args.stale_after {
        return stale(&pack, days, out);
    }
    if args.test {
        return test_examples(pack, out, err);
    }
    match args.format {
        ListFormat::Markdown => crate::report::docs::write_rules_markdown(&pack, out)?,
        ListFormat::Json => {
            let all: Vec<RuleJson<'_>> = pack.rules.iter().map(|r| rule_json(&pack, r)).collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(crate::report::json_io_error)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = pack.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:17}  {:8}  {:9}  {:20}  summary",
                "rule", "category", "severity", "evidence", "jurisdictions"
            )?;
            for rule in &pack.rules {
                let levels: Vec<&str> = rule.levels().into_iter().map(Level::letter).collect();
                let js: Vec<&str> = rule
                    .jurisdictions()
                    .into_iter()
                    .map(Jurisdiction::as_str)
                    .collect();
                writeln!(
                    out,
                    "{:width$}  {:17}  {:8}  {:9}  {:20}  {}",
                    rule.id,
                    rule.category.as_str(),
                    rule.severity.as_str(),
                    levels.join(","),
                    js.join(","),
                    rule.message
                )?;
            }
            writeln!(out, "\n{} rules", pack.rules.len())?;
        }
    }
    Ok(ExitStatus::Clean)
}

pub fn explain(
    args: &ExplainArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(pack) = load_pack(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    let Some(rule) = pack.rule(&args.rule_id) else {
        writeln!(err, "error: no rule `{}` in the pack", args.rule_id)?;
        let close: Vec<&str> = pack
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| {
                let wanted = args.rule_id.split('.').next().unwrap_or("");
                id.contains(&args.rule_id) || (!wanted.is_empty() && id.starts_with(wanted))
            })
            .collect();
        if !close.is_empty() {
            writeln!(err, "help: rules with a similar id: {}", close.join(", "))?;
        }
        writeln!(err, "help: `claimlint rules` lists every rule")?;
        return Ok(ExitStatus::Failure);
    };
    let jurisdictions: Vec<Jurisdiction> = if args.jurisdiction.is_empty() {
        Jurisdiction::ALL.to_vec()
    } else {
        args.jurisdiction.clone()
    };
    write_explanation(&pack, rule, &jurisdictions, out)?;
    Ok(ExitStatus::Clean)
}

fn write_explanation(
    pack: &RulePack,
    rule: &Rule,
    jurisdictions: &[Jurisdiction],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}: {}", rule.id, rule.message)?;
    writeln!(
        out,
        "category: {}   default severity: {}   defined in: {}",
        rule.category, rule.severity, rule.file
    )?;
    writeln!(out, "\nWhy it matters\n{}", indent(&rule.rationale))?;

    writeln!(out, "\nWhat it matches")?;
    if !rule.phrases_written.is_empty() {
        writeln!(out, "  phrases: {}", quoted(&rule.phrases_written))?;
    }
    if !rule.patterns.is_empty() {
        writeln!(out, "  patterns: {}", quoted(&rule.patterns))?;
    }
    if let Some(c) = &rule.composite {
        writeln!(
            out,
            "  an action ({}) meeting a target ({}) in the same sentence, either order, at most {} words apart; targets listed after a linked one count too",
            c.actions_written.join(", "),
            quoted(&c.targets_written),
            c.max_gap
        )?;
        if c.targets_written.iter().any(|t| t.starts_with('@')) {
            // A lexicon says little by its name: show how many terms it stands for, and some.
            let sample: Vec<String> = c
                .targets
                .iter()
                .step_by((c.targets.len() / 12).max(1))
                .take(12)
                .cloned()
                .collect();
            writeln!(
                out,
                "  the targets are {} terms once each @lexicon ([lexicon.NAME] in rules/*.toml) is expanded, e.g. {}",
                c.targets.len(),
                quoted(&sample)
            )?;
        }
    }
    if !rule.exceptions.is_empty() {
        writeln!(out, "  except inside: {}", quoted(&rule.exceptions))?;
    }
    writeln!(
        out,
        "  not when negated (\"does not cure\", \"no evidence that it ...\")"
    )?;

    writeln!(out, "\nEvidence")?;
    for e in &rule.evidence {
        let class = e.class.map_or("any product (default)", |c| c.as_str());
        writeln!(
            out,
            "  {class}: {} ({}): {}",
            e.level.label(),
            e.level.letter(),
            e.summary
        )?;
        for &s in &e.sources {
            let c = pack.cite(s);
            let url = c.url().map(|u| format!(" <{u}>")).unwrap_or_default();
            writeln!(out, "    - {} {}{url}", c.id(), c.text())?;
        }
    }

    writeln!(out, "\nRegulatory notes")?;
    for note in rule
        .regulatory
        .iter()
        .filter(|n| jurisdictions.contains(&n.jurisdiction))
    {
        writeln!(out, "  {}: {}", note.jurisdiction, note.note)?;
        for &r in &note.refs {
            let reg = &pack.regulations[r];
            writeln!(
                out,
                "    - {} {}: {} <{}>",
                reg.id, reg.instrument, reg.title, reg.url
            )?;
        }
    }

    write_severity(rule, out)?;

    writeln!(out, "\nSuggested rewording\n  \"{}\"", rule.suggestion)?;
    writeln!(out, "\nExamples that are flagged")?;
    for ex in &rule.examples.fire {
        writeln!(out, "  - {ex}")?;
    }
    writeln!(out, "\nExamples that are not")?;
    for ex in &rule.examples.pass {
        writeln!(out, "  - {ex}")?;
    }
    writeln!(out, "\nEvidence levels")?;
    for level in [Level::A, Level::B, Level::C, Level::D, Level::E, Level::X] {
        writeln!(
            out,
            "  {} {}: {}",
            level.letter(),
            level.label(),
            level.meaning()
        )?;
    }
    writeln!(
        out,
        "  Regulators such as the FTC expect randomised human trials for health claims: animal or in-vitro work alone does not substantiate a claim."
    )?;
    Ok(())
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lists every source and rule note reviewed more than `days` ago; exits 1 when there are any.
fn stale(pack: &RulePack, days: u32, out: &mut dyn Write) -> std::io::Result<ExitStatus> {
    let today = jiff::Zoned::now().date();
    let age = |reviewed: &str| -> Option<i32> {
        let date: jiff::civil::Date = reviewed.parse().ok()?;
        Some((today - date).get_days())
    };
    let limit = i64::from(days);
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for e in &pack.evidence {
        if age(&e.reviewed).is_some_and(|a| i64::from(a) > limit) {
            rows.push((
                e.reviewed.clone(),
                format!("evidence {}", e.id),
                e.citation(),
            ));
        }
    }
    for r in &pack.regulations {
        if age(&r.reviewed).is_some_and(|a| i64::from(a) > limit) {
            rows.push((
                r.reviewed.clone(),
                format!("regulation {}", r.id),
                r.instrument.clone(),
            ));
        }
    }
    for rule in &pack.rules {
        for n in &rule.regulatory {
            if age(&n.reviewed).is_some_and(|a| i64::from(a) > limit) {
                rows.push((
                    n.reviewed.clone(),
                    format!("note {} {}", rule.id, n.jurisdiction),
                    rule.message.clone(),
                ));
            }
        }
    }
    rows.sort();
    for (reviewed, what, text) in &rows {
        writeln!(out, "{reviewed}  {what}  {text}")?;
    }
    writeln!(
        out,
        "{} entr{} last reviewed more than {days} days ago",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    )?;
    Ok(if rows.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}

/// How this rule's severity is decided, with the outcome for each product type and class.
fn write_severity(rule: &Rule, out: &mut dyn Write) -> std::io::Result<()> {
    use crate::judge::{ProductType, evidence_floor, severity_for_product};
    writeln!(out, "\nSeverity")?;
    writeln!(
        out,
        "  default {}; then the declared product type (--product) where the law draws the line, \
         raised to the floor the evidence sets (X: error, E: warning), and lowered to info in a \
         cautionary sentence, a sentence that reports or studies others' claims{}.",
        rule.severity,
        if rule.category.is_mechanism() {
            " or a sentence that only describes how cells or molecules work"
        } else {
            ""
        }
    )?;
    let products = [
        None,
        Some(ProductType::Cosmetic),
        Some(ProductType::Clinic),
        Some(ProductType::Drug),
    ];
    for e in &rule.evidence {
        let class = e.class.map_or("no class named", |c| c.as_str());
        let cells: Vec<String> = products
            .iter()
            .map(|p| {
                let s = severity_for_product(rule, *p).max(evidence_floor(e.level));
                format!("{} {s}", p.map_or("undeclared", |p| p.as_str()))
            })
            .collect();
        writeln!(
            out,
            "  {class} (evidence {}): {}",
            e.level.letter(),
            cells.join(", ")
        )?;
    }
    Ok(())
}

/// `claimlint rules --test`: every rule's examples, run and reported like a test runner.
fn test_examples(
    pack: crate::rules::RulePack,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let engine = match crate::engine::Engine::new(pack) {
        Ok(e) => e,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(ExitStatus::Failure);
        }
    };
    let rules = &engine.pack().rules;
    let runs = crate::engine::examples::run(&engine, |_| true);
    writeln!(
        out,
        "running {} examples of {} rules",
        runs.len(),
        rules.len()
    )?;
    let mut failed = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let mine: Vec<_> = runs.iter().filter(|r| r.rule == i).collect();
        let bad: Vec<_> = mine.iter().filter(|r| !r.passed()).collect();
        let verdict = if bad.is_empty() { "ok" } else { "FAILED" };
        writeln!(
            out,
            "rule {} ({} examples) ... {verdict}",
            rule.id,
            mine.len()
        )?;
        failed.extend(bad.into_iter().map(|r| r.problem(rule)));
    }
    if !failed.is_empty() {
        writeln!(out, "\nfailures:")?;
        for f in &failed {
            writeln!(out, "    {f}")?;
        }
    }
    let passed = runs.len() - failed.len();
    writeln!(
        out,
        "\nexample result: {}. {passed} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len()
    )?;
    Ok(if failed.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    })
}
