//! `--format human`: rustc-style diagnostics through annotate-snippets, then a summary line.
//!
//! ```text
//! error[hair.regrowth]: claims to regrow hair
//!  --> page.md:3:11
//!   |
//! 3 | Our serum regrows hair in eight weeks.
//!   |           ^^^^^^^^^^^^ hair-growth claim
//!   |
//!   = evidence: LOW (C) — ... [E-01 Chien WY et al. (2024), PMID 37983981]
//!   = us: ... [R-US-05]
//!   = help: consider: "..."
//! ```

use std::collections::HashMap;
use std::io::{self, Write};

use annotate_snippets::{Annotation, AnnotationKind, Level, Origin, Renderer, Snippet};

use super::{DiagnosticView, Finding, ReportContext, Reporter, Summary, in_order};
use crate::diagnostic::{Diagnostic, Problem};
use crate::rules::{Citation, Severity};
use crate::source::{LineIndex, SourceFile};

use std::borrow::Cow;
use std::ops::Range;

/// Renders each diagnostic as it comes.
pub struct HumanReporter {
    renderer: Renderer,
    /// Note texts already wrapped: the same evidence, notes and suggestion recur with every
    /// claim of a rule, and optimal-fit wrapping costs more than rendering.
    wrapped: HashMap<String, String>,
}

/// Wrapped note texts remembered at most (a run has far fewer distinct ones).
const WRAPPED_CACHE: usize = 4096;

impl HumanReporter {
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanReporter {
            renderer: renderer.term_width(100),
            wrapped: HashMap::new(),
        }
    }

    /// Renders a claim with its evidence, notes and suggestion.
    fn claim(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        index: &LineIndex,
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        let view = DiagnosticView::new(ctx, file, index, diagnostic);
        let rule = &ctx.pack.rules[diagnostic.rule];
        let shown = shown(file, index, &diagnostic.span);
        let label = format!("{} claim", rule.category);
        let class = view.evidence.as_ref().and_then(|e| e.class);
        let assumption = view
            .evidence
            .as_ref()
            .map(|e| e.assumption())
            .unwrap_or_default();
        let evidence = rule.evidence_for(class);
        let cites: Vec<String> = evidence
            .sources
            .iter()
            .map(|&s| short_cite(ctx.pack.cite(s)))
            .collect();
        let mut notes = Vec::new();
        if let Some(approval) = &view.approval {
            notes.push(
                Level::NOTE
                    .with_name("approval")
                    .message(cached(&mut self.wrapped, &approval.describe())),
            );
        }
        notes.extend([Level::NOTE.with_name("evidence").message(cached(
            &mut self.wrapped,
            &format!(
                "{} ({}){} — {} [{}]",
                evidence.level.label(),
                evidence.level.letter(),
                assumption,
                evidence.summary,
                cites.join("; ")
            ),
        ))]);
        if let Some(lead) = &view.listed_after {
            notes.push(Level::NOTE.message(format!(
                "listed after \"{lead}\": every condition in the list is claimed"
            )));
        }
        if let Some(hedge) = &view.hedge {
            notes.push(Level::NOTE.message(cached(&mut self.wrapped, &format!(
                "hedged (\"{hedge}\"): still a claim; regulators judge the net impression, and a hedge does not make an unsupported claim acceptable"
            ))));
        }
        if view.preclinical {
            const PRECLINICAL: &str = "attributed to animal or laboratory studies: such \
                results do not substantiate a claim about people";
            notes.push(Level::NOTE.message(cached(&mut self.wrapped, PRECLINICAL)));
        }
        match view.context {
            Some(crate::engine::ClaimContext::Descriptive) => notes.push(Level::NOTE.message(
                "the sentence describes how cells or ingredients work and addresses no customer or product; reported at info",
            )),
            Some(crate::engine::ClaimContext::Cautionary) => notes.push(Level::NOTE.message(
                "the sentence is a caution or disclosure, not a promise; reported at info",
            )),
            Some(crate::engine::ClaimContext::Genre) => notes.push(Level::NOTE.message(
                "the file is declared editorial, research or regulatory (`genre`), not marketing; reported at info",
            )),
            Some(crate::engine::ClaimContext::Reported) => notes.push(Level::NOTE.message(
                "the sentence reports, alleges or studies a claim (a third party's voice), it does not make it; reported at info",
            )),
            None => {}
        }
        for note in &view.regulatory {
            notes.push(
                Level::NOTE
                    .with_name(note.jurisdiction.as_str())
                    .message(cached(
                        &mut self.wrapped,
                        &format!("{} [{}]", note.note, note.refs.join(", ")),
                    )),
            );
        }
        notes.push(Level::HELP.message(cached(
            &mut self.wrapped,
            &format!("consider: \"{}\"", rule.suggestion),
        )));
        let report = &[level(diagnostic.severity)
            .primary_title(rule.message.as_str())
            .id(rule.id.as_str())
            .elements(origin(file, &shown))
            .element(located(file, &shown, &label))
            .elements(notes)];
        writeln!(out, "{}\n", rendered(&self.renderer, report, &shown))?;
        Ok(())
    }

    /// Renders a problem with a claimlint directive.
    fn problem(
        &mut self,
        out: &mut dyn Write,
        file: &SourceFile,
        index: &LineIndex,
        problem: &Problem,
    ) -> io::Result<()> {
        let shown = shown(file, index, &problem.span);
        let report = &[level(problem.severity)
            .primary_title(problem.message.as_str())
            .id(problem.code.id())
            .elements(origin(file, &shown))
            .element(located(file, &shown, "directive"))
            .element(Level::HELP.message(cached(&mut self.wrapped, problem.code.help())))];
        writeln!(out, "{}\n", rendered(&self.renderer, report, &shown))
    }
}

/// Bytes of a long line shown on each side of a span: a minified page or an export may hold a
/// whole site on one line, and rendering it in full for each of its findings made the human
/// output quadratic (10,000 findings on one 240 KB line took 34 s).
const CONTEXT: usize = 240;
/// The most bytes of a span underlined; a longer one is shown up to here.
const MAX_UNDERLINED: usize = 1024;

/// What a finding shows of its file: the lines its span covers (cut to `CONTEXT` bytes on
/// each side when they are long), decoded in the file's own encoding, with the span rebased
/// onto them.
struct Shown<'a> {
    /// 0-based line of the first shown line.
    first_line: usize,
    text: Cow<'a, str>,
    span: Range<usize>,
    /// `Some(column)` (1-based, in characters) when the text does not start at the beginning
    /// of its line: the location is then given explicitly.
    cut_column: Option<usize>,
}

fn shown<'a>(file: &'a SourceFile, index: &LineIndex, span: &Range<usize>) -> Shown<'a> {
    let bytes = file.bytes();
    let first_line = index.line_of(span.start);
    let last_line = index.line_of(span.end.saturating_sub(1).max(span.start));
    let line_start = index.line_range(bytes, first_line).start;
    let line_end = index
        .line_range(bytes, last_line)
        .end
        .max(span.end.min(bytes.len()));
    let span_end = span.end.min(span.start.saturating_add(MAX_UNDERLINED));
    let mut from = line_start.max(span.start.saturating_sub(CONTEXT));
    let mut to = line_end.min(span_end.saturating_add(CONTEXT));
    // Cut on character boundaries of UTF-8 text (other encodings are cut in their decoded
    // text by `original_text`).
    if file.is_utf8() {
        while from < span.start && (bytes[from] & 0xC0) == 0x80 {
            from += 1;
        }
        while to > span_end && to < bytes.len() && (bytes[to] & 0xC0) == 0x80 {
            to -= 1;
        }
    }
    let text = file.original_text(from..to);
    let rel_start = file.original_text(from..span.start).len();
    let rel_end = rel_start + file.original_text(span.start..span_end.min(to)).len();
    let cut_column =
        (from > line_start || to < line_end).then(|| index.position(bytes, span.start).column);
    Shown {
        first_line,
        text,
        span: rel_start..rel_end,
        cut_column,
    }
}

/// The snippet of a finding: the shown text with the span underlined and labelled. A cut
/// line is located by an explicit origin (the renderer would count the column from the cut).
fn located<'a>(
    file: &'a SourceFile,
    shown: &'a Shown<'a>,
    label: &'a str,
) -> Snippet<'a, Annotation<'a>> {
    let snippet = Snippet::source(shown.text.as_ref()).line_start(shown.first_line + 1);
    let snippet = if shown.cut_column.is_none() {
        snippet.path(super::printable_name(&file.name))
    } else {
        snippet
    };
    snippet.annotation(
        AnnotationKind::Primary
            .span(shown.span.clone())
            .label(label),
    )
}

/// A report rendered. On a cut line the snippet has no path of its own (its location is the
/// explicit origin), and the renderer marks it as coming from another file with a `:::` line:
/// that line is dropped, so the report reads like any other.
fn rendered(
    renderer: &Renderer,
    report: &[annotate_snippets::Group<'_>],
    shown: &Shown<'_>,
) -> String {
    let text = renderer.render(report);
    if shown.cut_column.is_none() {
        return text;
    }
    let is_marker = |line: &str| {
        let mut plain = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // Skip a colour sequence: ESC [ ... m.
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                plain.push(c);
            }
        }
        plain.trim() == ":::"
    };
    let mut out = String::with_capacity(text.len());
    let mut dropped = false;
    for line in text.split_inclusive('\n') {
        if !dropped && is_marker(line) {
            dropped = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The explicit location of a finding on a cut line.
fn origin<'a>(file: &'a SourceFile, shown: &Shown<'a>) -> Option<Origin<'a>> {
    shown.cut_column.map(|column| {
        Origin::path(super::printable_name(&file.name))
            .line(shown.first_line + 1)
            .char_column(column)
    })
}

/// Width of note text, so notes stay readable in a terminal.
const NOTE_WIDTH: usize = 96;

/// Wraps note text; annotate-snippets indents the continuation lines under the note.
fn wrap(text: &str) -> String {
    // Never split ids ("R-US-05"), DOIs or URLs at their hyphens.
    let options = textwrap::Options::new(NOTE_WIDTH)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

/// `wrap`, remembered.
fn cached(wrapped: &mut HashMap<String, String>, text: &str) -> String {
    if let Some(done) = wrapped.get(text) {
        return done.clone();
    }
    let done = wrap(text);
    if wrapped.len() >= WRAPPED_CACHE {
        wrapped.clear();
    }
    wrapped.insert(text.to_owned(), done.clone());
    done
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A short citation for one line: first author, year and the first identifier.
fn short_cite(c: Citation<'_>) -> String {
    match c {
        Citation::Evidence(e) => {
            let who = match (&e.authors, e.year) {
                (Some(a), Some(y)) => {
                    let first = a.split(',').next().unwrap_or(a).trim();
                    format!(
                        "{first}{} ({y})",
                        if a.contains(',') { " et al." } else { "" }
                    )
                }
                (None, Some(y)) => format!("{} ({y})", e.journal.as_deref().unwrap_or(&e.title)),
                _ => e.journal.clone().unwrap_or_else(|| e.title.clone()),
            };
            let id = e
                .pmid
                .as_ref()
                .map(|p| format!("PMID {p}"))
                .or_else(|| e.doi.as_ref().map(|d| format!("doi:{d}")))
                .or_else(|| e.pmcid.clone())
                .or_else(|| e.nct.clone())
                .or_else(|| e.url.clone())
                .unwrap_or_default();
            format!("{} {who}, {id}", e.id)
        }
        Citation::Regulation(r) => format!("{} {}", r.id, r.instrument),
    }
}

impl Reporter for HumanReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        if diagnostics.is_empty() && problems.is_empty() {
            return Ok(());
        }
        let index = file.line_index();
        for finding in in_order(diagnostics, problems) {
            match finding {
                Finding::Claim(d) => self.claim(out, ctx, file, &index, d)?,
                Finding::Problem(p) => self.problem(out, file, &index, p)?,
            }
        }
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _ctx: &ReportContext<'_>,
        summary: &Summary,
    ) -> io::Result<()> {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut line = format!(
            "checked {}: {}, {}, {}",
            plural(summary.files_checked, "file"),
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info")
        );
        if summary.files_skipped > 0 {
            line.push_str(&format!(
                "; {} skipped",
                plural(summary.files_skipped, "file")
            ));
        }
        if summary.read_errors > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(summary.read_errors, "path")
            ));
        }
        writeln!(out, "{line}")
    }
}
