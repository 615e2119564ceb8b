//! Rule-pack errors: each names the file and the exact span of the offending value, and renders
//! like a compiler error through annotate-snippets.

use std::collections::BTreeMap;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// One problem in one pack file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub file: String,
    /// Byte span in the file; `None` when the problem is the file as a whole.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub label: String,
}

/// What kind of file the errors are in; it names them in the rendered report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ErrorSubject {
    #[default]
    RulePack,
    Config,
    Claims,
}

impl ErrorSubject {
    fn title(self) -> &'static str {
        match self {
            ErrorSubject::RulePack => "invalid rule pack",
            ErrorSubject::Config => "invalid configuration",
            ErrorSubject::Claims => "invalid approved-claims register",
        }
    }

    fn footer(self, n: usize) -> String {
        let errors = format!("{n} error{}", if n == 1 { "" } else { "s" });
        match self {
            ErrorSubject::RulePack => format!("the rule pack has {errors}; nothing was checked"),
            ErrorSubject::Config => {
                format!("the configuration has {errors}; the files it governs were not checked")
            }
            ErrorSubject::Claims => format!(
                "the approved-claims register has {errors}; the files that use it were not checked"
            ),
        }
    }
}

/// Every problem found while loading a pack (or a configuration file), with the file texts
/// needed to show them.
#[derive(Debug, Clone, Default)]
pub struct PackErrors {
    pub subject: ErrorSubject,
    pub errors: Vec<PackError>,
    pub sources: BTreeMap<String, String>,
}

impl PackErrors {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Renders every error, rustc style.
    pub fn render(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        // The line starts of each source, found once: an error shows only the lines of its
        // span (a pack with thousands of errors rendered its whole file for each, 16 s).
        let mut line_starts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for err in &self.errors {
            let title = format!("{}: {}", self.subject.title(), err.message);
            let text = match (&err.span, self.sources.get(&err.file)) {
                (Some(span), Some(source)) => {
                    let span = clamp(span.clone(), source);
                    let starts = line_starts.entry(err.file.as_str()).or_insert_with(|| {
                        std::iter::once(0)
                            .chain(after_line_breaks(source))
                            .collect()
                    });
                    let first = starts.partition_point(|&s| s <= span.start) - 1;
                    let last = starts.partition_point(|&s| s < span.end.max(span.start + 1)) - 1;
                    let from = starts[first];
                    let to = starts.get(last + 1).map_or(source.len(), |&s| s);
                    let report = &[Level::ERROR.primary_title(title).element(
                        Snippet::source(&source[from..to])
                            .line_start(first + 1)
                            .path(err.file.as_str())
                            .annotation(
                                AnnotationKind::Primary
                                    .span(span.start - from..span.end.min(to) - from)
                                    .label(&err.label),
                            ),
                    )];
                    renderer.render(report)
                }
                _ => {
                    let report = &[Level::ERROR
                        .primary_title(title)
                        .element(Level::NOTE.message(format!("in {}", err.file)))];
                    renderer.render(report)
                }
            };
            out.push_str(&text);
            out.push_str("\n\n");
        }
        let n = self.errors.len();
        out.push_str(&format!("error: {}\n", self.subject.footer(n)));
        out
    }

    /// `file:line:col: message` lines, for plain logs and tests.
    pub fn short(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| match (&e.span, self.sources.get(&e.file)) {
                (Some(span), Some(src)) => {
                    let (line, col) = line_col(src, span.start);
                    format!("{}:{line}:{col}: {}", e.file, e.message)
                }
                _ => format!("{}: {}", e.file, e.message),
            })
            .collect()
    }
}

/// The offsets just after each line break of `source`.
fn after_line_breaks(source: &str) -> impl Iterator<Item = usize> + '_ {
    source.match_indices('\n').map(|(k, _)| k + 1)
}

fn clamp(span: Range<usize>, source: &str) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp(offset..offset, source).start;
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}
