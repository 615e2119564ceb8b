//! `--format json`: one document, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! The schema is documented in the README; later versions only add fields.
//!
//! The document is written as files are reported (the same bytes `serde_json`'s pretty printer
//! gives for the whole document), so memory does not grow with the number of diagnostics. The
//! evidence, notes and suggestion of a claim depend only on its rule, product class, route and
//! the selected jurisdictions: each such block is serialized once and reused, so a report of
//! many diagnostics costs little more than copying them out. A file with thousands of findings
//! (a long export) is rendered a window at a time on parallel threads, then written in order:
//! the same bytes (a test compares them).

use foldhash::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{
    DiagnosticView, EvidenceView, Finding, NoteView, ReportContext, Reporter, Summary, in_order,
    json_io_error,
};
use crate::diagnostic::{Approval, Diagnostic, Problem};
use crate::engine::ClaimContext;
use crate::judge::classes::ClassSource;
use crate::rules::{Jurisdiction, ProductClass, Route, Severity};
use crate::source::{LineIndex, Position, SourceFile};

/// What the shared block of a claim depends on, besides the jurisdictions: the pack (by
/// address), the rule, the assumed class and its source, and the route.
type SharedKey = (usize, usize, Option<(ProductClass, u8)>, Option<Route>);

/// Serialized shared blocks, by key.
type Blocks = HashMap<SharedKey, String>;

/// Streams the document.
#[derive(Debug)]
pub struct JsonReporter {
    /// The opening was written.
    started: bool,
    /// At least one diagnostic was written.
    any: bool,
    /// Serialized evidence, notes and suggestion, ready to splice, by the selected
    /// jurisdictions.
    shared: HashMap<Vec<Jurisdiction>, Blocks>,
    /// A file with this many findings is rendered on parallel threads.
    parallel_after: usize,
}

impl Default for JsonReporter {
    fn default() -> Self {
        JsonReporter {
            started: false,
            any: false,
            shared: HashMap::default(),
            parallel_after: PARALLEL_AFTER,
        }
    }
}

/// The fields of a claim before the shared block, in the order of `DiagnosticView`.
#[derive(Serialize)]
struct Head<'a> {
    rule: &'a str,
    category: &'a str,
    severity: Severity,
    path: &'a str,
    start: Position,
    end: Position,
    text: &'a str,
    message: &'a str,
}

/// The block shared by every claim of one rule, class, route and set of jurisdictions.
#[derive(Serialize)]
struct Shared<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a EvidenceView>,
    regulatory: &'a [NoteView],
    suggestion: &'a str,
}

/// The fields after it.
#[derive(Serialize)]
struct Extra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<&'a Approval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listed_after: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<ClaimContext>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hedge: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    preclinical: bool,
}

/// The fields of a pretty-printed object, without its braces, indented for a diagnostic in the
/// document's array (six spaces); empty for an empty object.
fn fields(value: &impl Serialize) -> io::Result<String> {
    let mut out = Vec::new();
    write_fields(&mut out, value, "")?;
    String::from_utf8(out).map_err(io::Error::other)
}

thread_local! {
    /// The pretty-printed object `write_fields` takes its lines from, kept between calls.
    static PRETTY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes `fields(value)` to `out`, after `before`, unless the object is empty: without
/// allocating, once the thread has printed an object as long (about 2 µs a finding went to
/// three allocations and copies of the same text).
fn write_fields<W: Write + ?Sized>(
    out: &mut W,
    value: &impl Serialize,
    before: &str,
) -> io::Result<()> {
    PRETTY.with_borrow_mut(|text| {
        text.clear();
        serde_json::to_writer_pretty(&mut *text, value).map_err(json_io_error)?;
        // The lines between the first (`{`) and the last (`}`); a pretty-printed object has no
        // other line break (strings escape theirs).
        let (Some(first), Some(last)) = (memchr::memchr(b'\n', text), memchr::memrchr(b'\n', text))
        else {
            return Ok(());
        };
        if first == last {
            return Ok(());
        }
        out.write_all(before.as_bytes())?;
        for (i, line) in text[first + 1..last].split(|&b| b == b'\n').enumerate() {
            out.write_all(if i == 0 { b"    " } else { b"\n    " })?;
            out.write_all(line)?;
        }
        Ok(())
    })
}

fn source_code(source: ClassSource) -> u8 {
    match source {
        ClassSource::Sentence => 0,
        ClassSource::Document => 1,
        ClassSource::Declared => 2,
    }
}

/// A file with this many findings is rendered on parallel threads (by default).
const PARALLEL_AFTER: usize = 4096;
/// Findings rendered at a time, in parallel, before they are written: bounds the memory the
/// rendered text holds (about 4 KB a claim).
const WINDOW: usize = 4096;
/// Bytes reserved per finding for a chunk of a window: twice what a finding takes in big.md's
/// report (a guess too large reserves memory that is never written).
const FINDING_BYTES: usize = 8 << 10;

/// The key of a claim's shared block.
fn key(ctx: &ReportContext<'_>, d: &Diagnostic) -> SharedKey {
    (
        std::ptr::from_ref(ctx.pack) as usize,
        d.rule,
        d.assumed.class.map(|(c, s)| (c, source_code(s))),
        d.assumed.route,
    )
}

/// Serializes a claim's shared block unless it already was.
fn cache_shared(
    blocks: &mut Blocks,
    ctx: &ReportContext<'_>,
    file: &SourceFile,
    index: &LineIndex,
    d: &Diagnostic,
) -> io::Result<()> {
    if let std::collections::hash_map::Entry::Vacant(entry) = blocks.entry(key(ctx, d)) {
        let view = DiagnosticView::new(ctx, file, index, d);
        entry.insert(fields(&Shared {
            evidence: view.evidence.as_ref(),
            regulatory: &view.regulatory,
            suggestion: &view.suggestion,
        })?);
    }
    Ok(())
}

/// Writes one finding, after a comma unless it is the document's first. A claim's shared block
/// must be in `blocks`.
fn render<W: Write + ?Sized>(
    out: &mut W,
    blocks: &Blocks,
    ctx: &ReportContext<'_>,
    file: &SourceFile,
    index: &LineIndex,
    finding: &Finding<'_>,
    first: bool,
) -> io::Result<()> {
    let separator = if first { "" } else { "," };
    let d = match finding {
        Finding::Problem(p) => {
            let view = DiagnosticView::problem(file, index, p);
            return write!(out, "{separator}\n    {}", super::indented(&view, 4)?);
        }
        Finding::Claim(d) => d,
    };
    let rule = &ctx.pack.rules[d.rule];
    let head = Head {
        rule: &rule.id,
        category: rule.category.as_str(),
        severity: d.severity,
        path: &file.name,
        start: index.position(file.bytes(), d.span.start),
        end: index.position(file.bytes(), d.span.end),
        text: &d.text,
        message: &rule.message,
    };
    let shared = blocks
        .get(&key(ctx, d))
        .ok_or_else(|| io::Error::other("a claim's shared block was not cached"))?;
    let extra = Extra {
        approval: d.approval.as_ref(),
        listed_after: d.listed_after.as_deref(),
        context: d.context,
        hedge: d.hedge.as_deref(),
        preclinical: d.preclinical,
    };
    write!(out, "{separator}\n    {{\n")?;
    write_fields(out, &head, "")?;
    write!(out, ",\n{shared}")?;
    write_fields(out, &extra, ",\n")?;
    write!(out, "\n    }}")
}

impl JsonReporter {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(out, "{{\n  \"version\": 1,\n  \"diagnostics\": [")?;
        }
        Ok(())
    }
}

impl Reporter for JsonReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        use rayon::prelude::*;
        self.start(out)?;
        if diagnostics.is_empty() && problems.is_empty() {
            return Ok(());
        }
        let index = file.line_index();
        let first = !self.any;
        self.any = true;
        let blocks = self.shared.entry(ctx.jurisdictions.to_vec()).or_default();
        for d in diagnostics {
            cache_shared(blocks, ctx, file, &index, d)?;
        }
        let blocks = &*blocks;
        if diagnostics.len() + problems.len() < self.parallel_after {
            for (i, finding) in in_order(diagnostics, problems).enumerate() {
                render(out, blocks, ctx, file, &index, &finding, first && i == 0)?;
            }
            return Ok(());
        }
        // Many findings (a long export): rendered window by window on parallel threads, each
        // window written in order.
        let findings: Vec<Finding<'_>> = in_order(diagnostics, problems).collect();
        for (w, window) in findings.chunks(WINDOW).enumerate() {
            let parts: Vec<io::Result<Vec<u8>>> = window
                .par_chunks(256)
                .enumerate()
                .map(|(c, chunk)| {
                    // Room for the chunk at once: growing from empty copied each buffer several
                    // times (big.md: windows rendered in 166-176 ms against 209-230 ms).
                    let mut buf = Vec::with_capacity(chunk.len() * FINDING_BYTES);
                    for (i, finding) in chunk.iter().enumerate() {
                        let at_start = first && w == 0 && c == 0 && i == 0;
                        render(&mut buf, blocks, ctx, file, &index, finding, at_start)?;
                    }
                    Ok(buf)
                })
                .collect();
            for part in parts {
                out.write_all(&part?)?;
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
        self.start(out)?;
        if self.any {
            write!(out, "\n  ]")?;
        } else {
            write!(out, "]")?;
        }
        writeln!(
            out,
            ",\n  \"summary\": {}\n}}",
            super::indented(summary, 2)?
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_the_same_bytes_as_the_pretty_printer() {
        let summary = Summary {
            files_checked: 2,
            ..Summary::default()
        };
        let expected = serde_json::to_string_pretty(&serde_json::json!({
            "version": 1,
            "diagnostics": [],
            "summary": summary,
        }))
        .unwrap();
        let pack = crate::rules::load_embedded().unwrap();
        let ctx = ReportContext {
            pack: &pack,
            jurisdictions: &[],
        };
        let mut out = Vec::new();
        JsonReporter::default()
            .finish(&mut out, &ctx, &summary)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{expected}\n"));
    }

    #[test]
    fn a_long_file_renders_the_same_bytes_on_parallel_threads() {
        use crate::engine::Engine;
        use crate::source::Format;
        let engine = Engine::new(crate::rules::load_embedded().unwrap()).unwrap();
        let text = "This serum regrows hair in weeks.\n\n".repeat(WINDOW + 300);
        let file =
            SourceFile::decode("long.md".into(), text.into_bytes(), Format::Markdown).unwrap();
        let diagnostics = engine.check_file(&file);
        assert!(diagnostics.len() > WINDOW, "{} claims", diagnostics.len());
        let ctx = ReportContext {
            pack: engine.pack(),
            jurisdictions: &[Jurisdiction::Us, Jurisdiction::Eu],
        };
        let render = |parallel_after| {
            let mut reporter = JsonReporter {
                parallel_after,
                ..JsonReporter::default()
            };
            let mut out = Vec::new();
            reporter
                .file(&mut out, &ctx, &file, &diagnostics, &[])
                .unwrap();
            reporter
                .finish(&mut out, &ctx, &Summary::default())
                .unwrap();
            out
        };
        let parallel = render(1);
        assert!(parallel == render(usize::MAX), "parallel rendering differs");
        let document: serde_json::Value = serde_json::from_slice(&parallel).unwrap();
        assert_eq!(
            document["diagnostics"].as_array().unwrap().len(),
            diagnostics.len()
        );
    }
}
