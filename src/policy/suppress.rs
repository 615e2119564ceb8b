//! Inline suppressions: directives in the copy that silence named rules, with a reason.
//!
//! ```text
//! <!-- claimlint-disable-next-line hair.regrowth -- approved by legal, ticket 2024-17 -->
//! <!-- claimlint-disable-line safety -- quoted from the regulator's warning -->
//! <!-- claimlint-disable disease.cure, safety.no-side-effects -- the page quotes a complaint -->
//! ...
//! <!-- claimlint-enable disease.cure, safety.no-side-effects -->
//! ```
//!
//! Where a directive may stand: in an HTML comment in HTML, Markdown and MDX (not inside code),
//! in a `{/* ... */}` comment in MDX, after `#` in YAML, and in plain text on a line of its own
//! (optionally after `#`, `//` or `;`). JSON has no comments: use the configuration instead.
//!
//! Rules are rule ids (`hair.regrowth`), groups (`hair`) or categories (`hair-growth`), separated by commas or spaces. A reason after `--` is
//! required; a directive without one suppresses nothing. Every suppression that is not used,
//! names an unknown rule, or has no reason is reported as a `Problem`.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Problem, ProblemCode};
use crate::rules::{RulePack, Severity};
use crate::source::{Format, LineIndex, SourceFile};

const PREFIX: &str = "claimlint-";

/// The severity of problems with directives.
const PROBLEM_SEVERITY: Severity = Severity::Warning;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Line,
    Disable,
    Enable,
}

/// One directive, with its range in the original bytes.
#[derive(Debug, Clone)]
struct Directive {
    kind: Kind,
    rules: Vec<String>,
    reason: Option<String>,
    /// The whole comment, in the original bytes.
    range: Range<usize>,
}

/// A suppression with the lines or bytes it covers.
#[derive(Debug)]
struct Suppression {
    directive: usize,
    rule: String,
    /// Covered lines (0-based, inclusive) for line forms; covered bytes for ranges.
    lines: Option<Range<usize>>,
    bytes: Range<usize>,
    used: bool,
}

/// What applying the directives of a file did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub problems: Vec<Problem>,
    /// How many diagnostics were suppressed.
    pub suppressed: usize,
}

/// Applies the file's directives to its diagnostics: removes the suppressed ones and reports
/// the problems with the directives themselves.
pub fn apply(file: &SourceFile, pack: &RulePack, diagnostics: Vec<Diagnostic>) -> Outcome {
    if !file.text.contains(PREFIX) {
        return Outcome {
            diagnostics,
            ..Outcome::default()
        };
    }
    let (directives, mut problems) = find(file);
    if directives.is_empty() {
        return Outcome {
            diagnostics,
            problems,
            suppressed: 0,
        };
    }
    let index = file.line_index();
    let mut suppressions = Vec::new();
    // Open `claimlint-disable` ranges by rule, the latest last.
    let mut open: HashMap<String, Vec<usize>> = HashMap::new();
    // Whether a selector names anything, asked once per selector (a file may hold thousands
    // of directives naming the same rule).
    let mut known: HashMap<String, bool> = HashMap::new();
    let mut selects_anything = |rule: &str| -> bool {
        *known
            .entry(rule.to_owned())
            .or_insert_with(|| crate::config::selects_anything(pack, rule))
    };
    for (i, d) in directives.iter().enumerate() {
        let problem = |code: ProblemCode, message: String| Problem {
            code,
            severity: PROBLEM_SEVERITY,
            span: d.range.clone(),
            message,
        };
        if d.rules.is_empty() {
            problems.push(problem(
                ProblemCode::Malformed,
                "the directive names no rule (name rule ids or categories; there is no blanket suppression)".to_owned(),
            ));
            continue;
        }
        for rule in &d.rules {
            if !selects_anything(rule) {
                problems.push(problem(
                    ProblemCode::UnknownRule,
                    format!("`{rule}` is not a rule id or category of the rule pack"),
                ));
            }
        }
        if d.kind == Kind::Enable {
            for rule in &d.rules {
                match open.get_mut(rule.as_str()).and_then(Vec::pop) {
                    Some(s) => {
                        let sup: &mut Suppression = &mut suppressions[s];
                        sup.bytes.end = d.range.start;
                    }
                    None if selects_anything(rule) => problems.push(problem(
                        ProblemCode::Unused,
                        format!(
                            "`claimlint-enable {rule}` has no `claimlint-disable {rule}` before it"
                        ),
                    )),
                    None => {}
                }
            }
            continue;
        }
        if d.reason.is_none() {
            problems.push(problem(
                ProblemCode::MissingReason,
                "suppression without a reason: write why after `--`; it suppresses nothing until then".to_owned(),
            ));
            continue;
        }
        let first = index.line_of(d.range.start);
        let last = index.line_of(d.range.end.saturating_sub(1).max(d.range.start));
        let lines = match d.kind {
            Kind::Line => Some(first..last + 1),
            Kind::NextLine => {
                let next = next_content_line(file, &index, last + 1);
                Some(next..next + 1)
            }
            _ => None,
        };
        for rule in d.rules.iter().filter(|r| selects_anything(r)) {
            if d.kind == Kind::Disable {
                open.entry(rule.clone())
                    .or_default()
                    .push(suppressions.len());
            }
            suppressions.push(Suppression {
                directive: i,
                rule: rule.clone(),
                lines: lines.clone(),
                bytes: d.range.end..usize::MAX,
                used: false,
            });
        }
    }

    let lookup = Lookup::new(&suppressions);
    let mut used = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut suppressed = 0;
    for diagnostic in diagnostics {
        // A claim inside a directive (its reason, in plain text) is not copy. Directives are
        // in text order and never overlap.
        let k = directives.partition_point(|d| d.range.start <= diagnostic.span.start);
        if k > 0 && diagnostic.span.end <= directives[k - 1].range.end {
            continue;
        }
        let rule = &pack.rules[diagnostic.rule];
        let line = index.line_of(diagnostic.span.start);
        match lookup.first(rule, line, diagnostic.span.start) {
            Some(s) => {
                used.push(s);
                suppressed += 1;
            }
            None => kept.push(diagnostic),
        }
    }
    drop(lookup);
    for s in used {
        suppressions[s].used = true;
    }
    for s in suppressions.iter().filter(|s| !s.used) {
        let d = &directives[s.directive];
        problems.push(Problem {
            code: ProblemCode::Unused,
            severity: PROBLEM_SEVERITY,
            span: d.range.clone(),
            message: format!(
                "the suppression of `{}` suppresses nothing{}",
                s.rule,
                match d.kind {
                    Kind::NextLine => " on the next line",
                    Kind::Line => " on its line",
                    _ => "",
                }
            ),
        });
    }
    problems.sort_by_key(|p| (p.span.start, p.code));
    Outcome {
        diagnostics: kept,
        problems,
        suppressed,
    }
}

/// The suppressions indexed by the selector they name: the first one (in the order of the
/// directives) that covers a diagnostic is found by looking up its rule's selectors, not by
/// trying every suppression of the file.
struct Lookup<'a> {
    /// (selector, line) → line-form suppressions covering that line, in order.
    lines: HashMap<(&'a str, usize), Vec<usize>>,
    /// selector → range suppressions in order (so by start), each with the largest end of it
    /// and those before it: the first range still open at a byte is found by binary search.
    ranges: HashMap<&'a str, Vec<(usize, usize, usize)>>,
}

impl<'a> Lookup<'a> {
    fn new(suppressions: &'a [Suppression]) -> Lookup<'a> {
        let mut lines: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
        let mut ranges: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
        for (i, s) in suppressions.iter().enumerate() {
            match &s.lines {
                Some(covered) => {
                    for line in covered.clone() {
                        lines.entry((s.rule.as_str(), line)).or_default().push(i);
                    }
                }
                None => {
                    let list = ranges.entry(s.rule.as_str()).or_default();
                    let reach = list.last().map_or(0, |&(_, _, r)| r).max(s.bytes.end);
                    list.push((i, s.bytes.start, reach));
                }
            }
        }
        Lookup { lines, ranges }
    }

    /// The first suppression of `rule` covering `line` (line forms) or byte `at` (ranges).
    fn first(&self, rule: &crate::rules::Rule, line: usize, at: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut consider = |i: usize| best = Some(best.map_or(i, |b| b.min(i)));
        for selector in selectors(rule) {
            if let Some(list) = self.lines.get(&(selector, line)) {
                consider(list[0]);
            }
            if let Some(list) = self.ranges.get(selector) {
                // Ranges that start before `at`; the first of them whose reach passes `at` is
                // the first one still open there (reach only grows).
                let started = list.partition_point(|&(_, start, _)| start <= at);
                let k = list[..started].partition_point(|&(_, _, reach)| reach <= at);
                if k < started {
                    consider(list[k].0);
                }
            }
        }
        best
    }
}

/// Every selector that selects `rule` (see `config::selects`): its id, each group its id
/// starts with, and its category.
fn selectors(rule: &crate::rules::Rule) -> impl Iterator<Item = &str> {
    let id = rule.id.as_str();
    let groups = id.match_indices('.').map(move |(k, _)| &id[..k]);
    std::iter::once(id)
        .chain(groups)
        .chain(std::iter::once(rule.category.as_str()))
}

/// The first line at or after `line` with something on it other than white space, or the last
/// line. (Asking for the next line until one ended at the end of the file looped for ever on
/// a file whose last line ends with a lone `\r`: found by `bench/fuzz.sh`.)
fn next_content_line(file: &SourceFile, index: &LineIndex, line: usize) -> usize {
    let last = index.line_count().saturating_sub(1);
    let mut line = line;
    while line < last {
        let range = index.line_range(file.bytes(), line);
        if !file.original_text(range).trim().is_empty() {
            return line;
        }
        line += 1;
    }
    line
}

/// Every directive of a file, and problems with the ones that cannot be read.
fn find(file: &SourceFile) -> (Vec<Directive>, Vec<Problem>) {
    let text = file.text.as_str();
    let code = match file.format {
        Format::Markdown | Format::Mdx => code_ranges(text),
        _ => Vec::new(),
    };
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    for (at, _) in text.match_indices(PREFIX) {
        // The code ranges are in text order and never overlap.
        let k = code.partition_point(|r| r.start <= at);
        if k > 0 && code[k - 1].contains(&at) {
            continue;
        }
        let Some(comment) = comment_around(text, at, file.format) else {
            continue;
        };
        let to_original =
            |r: Range<usize>| file.decode_map.map(r.start)..file.decode_map.map(r.end);
        match parse(&text[at..comment.body_end]) {
            Ok((kind, rules, reason)) => directives.push(Directive {
                kind,
                rules,
                reason,
                range: to_original(comment.range),
            }),
            Err(message) => problems.push(Problem {
                code: ProblemCode::Malformed,
                severity: PROBLEM_SEVERITY,
                span: to_original(comment.range),
                message,
            }),
        }
    }
    (directives, problems)
}

/// A comment holding a directive: the whole comment, and where the directive's text ends.
struct Comment {
    range: Range<usize>,
    body_end: usize,
}

/// The comment the directive starting at `at` stands in, if it stands in one.
fn comment_around(text: &str, at: usize, format: Format) -> Option<Comment> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let before = text[line_start..at].trim_end();
    let closed = |open: &str, close: &str| -> Option<Comment> {
        let start = line_start + before.rfind(open)?;
        if !text[start + open.len()..at].trim().is_empty() {
            return None;
        }
        let body_end = at + text[at..].find(close)?;
        Some(Comment {
            range: start..body_end + close.len(),
            body_end,
        })
    };
    let to_line_end = |leaders: &[&str]| -> Option<Comment> {
        let lead = before.trim_start();
        let ok = lead.is_empty() || leaders.contains(&lead);
        ok.then(|| {
            let start = if lead.is_empty() {
                at
            } else {
                line_start + (before.len() - before.trim_start().len())
            };
            let mut end = line_end;
            if text[..end].ends_with('\r') {
                end -= 1;
            }
            Comment {
                range: start..end,
                body_end: end,
            }
        })
    };
    match format {
        Format::Html | Format::Markdown => closed("<!--", "-->"),
        Format::Mdx => closed("{/*", "*/}").or_else(|| closed("<!--", "-->")),
        Format::Yaml => {
            // `# claimlint-...` at the end of any line.
            let hash = before.rfind('#')?;
            if !before[hash + 1..].trim().is_empty() {
                return None;
            }
            Some(Comment {
                range: line_start + hash..line_end,
                body_end: line_end,
            })
        }
        Format::Text => closed("<!--", "-->").or_else(|| to_line_end(&["#", "//", ";"])),
        Format::Json => None,
    }
}

/// Byte ranges of code (fenced and indented blocks, inline code) in Markdown.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut ranges = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

type Parsed = (Kind, Vec<String>, Option<String>);

/// Parses `claimlint-KIND rule, rule -- reason`.
fn parse(directive: &str) -> Result<Parsed, String> {
    let rest = &directive[PREFIX.len()..];
    let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let kind = match &rest[..name_end] {
        "disable-next-line" => Kind::NextLine,
        "disable-line" => Kind::Line,
        "disable" => Kind::Disable,
        "enable" => Kind::Enable,
        other => {
            return Err(format!(
                "unknown directive `claimlint-{other}` (use disable-next-line, disable-line, disable or enable)"
            ));
        }
    };
    let rest = rest[name_end..].trim();
    let (rules, reason) = match rest.find("--") {
        Some(i) => (&rest[..i], Some(rest[i + 2..].trim())),
        None => (rest, None),
    };
    let rules: Vec<String> = rules
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    let reason = reason.filter(|r| !r.is_empty()).map(str::to_owned);
    Ok((kind, rules, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    fn run(name: &str, format: Format, text: &str) -> (Outcome, Engine) {
        let engine = Engine::new(crate::rules::load_embedded().unwrap()).unwrap();
        let file = SourceFile::decode(name.into(), text.as_bytes().to_vec(), format).unwrap();
        let diagnostics = engine.check_file(&file);
        (apply(&file, engine.pack(), diagnostics), engine)
    }

    fn rules(outcome: &Outcome, engine: &Engine) -> Vec<String> {
        outcome
            .diagnostics
            .iter()
            .map(|d| engine.pack().rules[d.rule].id.clone())
            .collect()
    }

    fn codes(outcome: &Outcome) -> Vec<ProblemCode> {
        outcome.problems.iter().map(|p| p.code).collect()
    }

    #[test]
    fn a_next_line_directive_before_a_last_line_ending_in_a_lone_cr_ends() {
        // The last line is blank and ends with `\r`: its range never reached the file's end.
        let (outcome, _) = run(
            "p.md",
            Format::Markdown,
            "<!-- claimlint-disable-next-line hair.regrowth -- approved -->\n \r",
        );
        assert_eq!(outcome.suppressed, 0);
        assert_eq!(codes(&outcome), [ProblemCode::Unused]);
    }

    #[test]
    fn parses_the_forms() {
        let (kind, rules, reason) =
            parse("claimlint-disable-next-line hair.regrowth, safety -- legal ok ").unwrap();
        assert_eq!(kind, Kind::NextLine);
        assert_eq!(rules, ["hair.regrowth", "safety"]);
        assert_eq!(reason.as_deref(), Some("legal ok"));
        assert_eq!(parse("claimlint-enable x").unwrap().2, None);
        assert!(parse("claimlint-disabled x -- y").is_err());
    }

    #[test]
    fn next_line_in_html_and_markdown() {
        let page = "<!-- claimlint-disable-next-line hair.regrowth -- approved, ref 17 -->\n\nRegrows hair.\n\nRegrows hair.\n";
        for format in [Format::Markdown, Format::Html] {
            let (outcome, engine) = run("a", format, page);
            assert_eq!(outcome.suppressed, 1);
            assert_eq!(rules(&outcome, &engine), ["hair.regrowth"]);
            assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
        }
    }

    #[test]
    fn a_suppression_needs_a_reason_and_a_known_rule_and_a_use() {
        let page = "<!-- claimlint-disable-next-line hair.regrowth -->\nRegrows hair.\n\n<!-- claimlint-disable-next-line hair.regrow -- typo -->\nRegrows hair.\n\n<!-- claimlint-disable-next-line disease.cure -- nothing to cure here -->\nA calm page.\n";
        let (outcome, engine) = run("a.md", Format::Markdown, page);
        assert_eq!(outcome.suppressed, 0);
        assert_eq!(rules(&outcome, &engine), ["hair.regrowth", "hair.regrowth"]);
        assert_eq!(
            codes(&outcome),
            [
                ProblemCode::MissingReason,
                ProblemCode::UnknownRule,
                ProblemCode::Unused
            ]
        );
    }

    #[test]
    fn ranges_and_categories() {
        let page = "<!-- claimlint-disable safety -- quoting the regulator's warning -->\nNo side effects.\n\n100% safe.\n<!-- claimlint-enable safety -->\nNo side effects.\n";
        let (outcome, engine) = run("a.html", Format::Html, page);
        assert_eq!(outcome.suppressed, 2);
        assert_eq!(rules(&outcome, &engine), ["safety.no-side-effects"]);
        assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    }

    #[test]
    fn plain_text_and_yaml_forms_and_code_is_not_a_directive() {
        let text = "# claimlint-disable-next-line hair.regrowth -- cures nothing, approved\nRegrows hair.\n";
        let (outcome, _) = run("a.txt", Format::Text, text);
        assert_eq!(outcome.suppressed, 1);
        assert!(outcome.diagnostics.is_empty(), "the reason is not copy");
        assert!(outcome.problems.is_empty());

        let yaml = "body: Regrows hair. # claimlint-disable-line hair.regrowth -- approved\n";
        let (outcome, _) = run("a.yaml", Format::Yaml, yaml);
        assert_eq!(outcome.suppressed, 1);

        let md = "`<!-- claimlint-disable-next-line hair.regrowth -- x -->`\nRegrows hair.\n";
        let (outcome, _) = run("a.md", Format::Markdown, md);
        assert_eq!(outcome.suppressed, 0);
        assert!(outcome.problems.is_empty());
    }
}
