//! Fuzz targets, on stable Rust: random documents in every format and encoding, built from
//! the pieces real pages are made of, through each reader and through the whole pipeline.
//!
//! Each target is a plain function that returns what is wrong with one input. `cargo test`
//! runs each through proptest for a bounded number of cases (`PROPTEST_CASES` raises it); the
//! ignored test `fuzz_for_a_time_budget` runs every target for `CLAIMLINT_FUZZ_SECS` seconds
//! each (`bench/fuzz.sh`), reporting executions, and writes any input that fails to
//! `target/fuzz-found/`; such an input goes into `tests/regressions/`, which every `cargo test`
//! runs through the targets.
//!
//! Invariants checked:
//! - nothing panics, for any bytes in any format and encoding;
//! - every offset of extracted text maps into the original bytes, in order, on a character
//!   boundary of the file's encoding;
//! - every diagnostic's span lies inside its file, on character boundaries, and its text is
//!   the file's text there;
//! - the diagnostics are the same whatever the number of threads;
//! - suppression problems point inside the file.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::engine::Engine;
use crate::source::{Format, ReadOptions, SourceFile};

/// Pieces that real pages are made of, and that break naive readers.
const FRAGMENTS: &[&str] = &[
    "regrows hair",
    "no side effects",
    "It ",
    "Our serum ",
    "cures ",
    "alopecia",
    "not ",
    "may help ",
    "boosts",
    "collagen",
    "wrinkles",
    ". ",
    ", ",
    "?",
    "有効成分が",
    "シワが消え",
    "<!-- claimlint-disable-next-line hair.regrowth -- approved -->\n",
    "<!-- claimlint-disable disease -- quoted -->",
    "<!-- claimlint-enable disease -->",
    "# claimlint-disable-line safety -- reason\n",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "薄毛を改善",
    "탈모",
    "é",
    "\u{1F600}",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br>",
    "<li>",
    "<div class=\"x\">",
    "</div>",
    "<img alt=\"cures &amp; heals\" src=x>",
    "<a href='/cures' title=\"t\">",
    "</a>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<pre>",
    "</pre>",
    "<svg/>",
    "<meta name=\"description\" content=\"x &lt; y\">",
    "<title>",
    "</title>",
    "&amp;",
    "&copy",
    "&#x1F600;",
    "&#0;",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "**",
    "_",
    "`",
    "```\n",
    "    ",
    "# ",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n",
    "[link](http://x.test/cures)",
    "![alt](i.png)",
    "\\*",
    "---\n",
    "+++\n",
    "title: ",
    "description: \"",
    "\\u2014",
    "import x from 'y'\n",
    "<Hero />\n",
    "{",
    "}",
    "{\"title\": \"",
    "\", ",
    "[",
    "]",
    ":",
    "\0",
];

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn format() -> impl Strategy<Value = Format> {
    prop::sample::select(FORMATS.to_vec())
}

fn encoding() -> impl Strategy<Value = &'static encoding_rs::Encoding> {
    prop::sample::select(vec![
        encoding_rs::UTF_8,
        encoding_rs::UTF_16LE,
        encoding_rs::UTF_16BE,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
        encoding_rs::GB18030,
        encoding_rs::WINDOWS_1252,
    ])
}

/// Encodes `text`, with a BOM for UTF-16 (as the reader requires).
fn encode(text: &str, encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        let big = encoding == encoding_rs::UTF_16BE;
        let mut bytes = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    } else {
        encoding.encode(text).0.into_owned()
    }
}

/// Checks the whole chain, extracted text → decoded text → original bytes.
fn check_file(file: &SourceFile) -> Result<(), TestCaseError> {
    let extracted = file.extract();
    let mut last_decoded = 0;
    let mut last_original = 0;
    let boundaries = extracted
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(extracted.text.len()));
    for d in boundaries {
        let decoded = extracted.map.map(d);
        prop_assert!(decoded <= file.text.len(), "{d} -> {decoded} past the text");
        prop_assert!(
            file.text.is_char_boundary(decoded),
            "{d} -> {decoded} inside a character"
        );
        prop_assert!(
            decoded >= last_decoded,
            "{d} -> {decoded} before {last_decoded}"
        );
        last_decoded = decoded;
        let original = file.decode_map.map(decoded);
        prop_assert!(original <= file.bytes().len());
        prop_assert!(original >= last_original, "original offsets out of order");
        last_original = original;
        // The original offset starts a character of the file's encoding: decoding from
        // there gives back the same text position.
        prop_assert_eq!(
            file.decode_map.map(file.decode_map.unmap(original)),
            original
        );
        if file.is_utf8() && file.notices.is_empty() {
            let start = if file.bytes().starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            prop_assert!(original >= start.min(file.bytes().len()));
            prop_assert!(
                file.bytes()
                    .get(original)
                    .is_none_or(|b| (*b as i8) >= -0x40),
                "UTF-8 offset {original} is a continuation byte"
            );
        }
    }
    // Positions never panic and agree with the offsets.
    let index = file.line_index();
    let end = index.position(file.bytes(), file.bytes().len());
    prop_assert_eq!(end.offset, file.bytes().len());
    Ok(())
}

/// The embedded pack, compiled once for every case.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let pack = crate::rules::load_embedded().expect("the embedded pack loads");
        Engine::new(pack).expect("the embedded pack compiles")
    })
}

/// Thread pools of one and of four threads, built once.
fn pools() -> &'static (rayon::ThreadPool, rayon::ThreadPool) {
    static POOLS: OnceLock<(rayon::ThreadPool, rayon::ThreadPool)> = OnceLock::new();
    POOLS.get_or_init(|| {
        let pool = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a pool")
        };
        (pool(1), pool(4))
    })
}

/// A document as text, extracted as `format`: every offset maps into it.
fn target_extract(doc: &str, format: Format) -> Result<(), TestCaseError> {
    let extracted = format.extract(doc, &ReadOptions::default().copy_keys);
    let mut last = 0;
    for d in extracted
        .text
        .char_indices()
        .map(|(i, _)| i)
        .chain([extracted.text.len()])
    {
        let o = extracted.map.map(d);
        prop_assert!(
            o <= doc.len() && doc.is_char_boundary(o) && o >= last,
            "{d} -> {o}"
        );
        last = o;
    }
    Ok(())
}

/// Bytes read as `format` (in `encoding`, if given): the offset chain holds.
fn target_read(
    bytes: Vec<u8>,
    format: Format,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<(), TestCaseError> {
    let options = ReadOptions {
        encoding,
        ..ReadOptions::default()
    };
    if let Ok(file) = SourceFile::read("doc".into(), bytes, format, &options) {
        check_file(&file)?;
        let _ = file.original_text(0..file.bytes().len());
    }
    Ok(())
}

/// Bytes through the whole pipeline (read, extract, match, judge, suppress): spans are exact
/// and the result does not depend on the number of threads.
fn target_pipeline(bytes: Vec<u8>, format: Format) -> Result<(), TestCaseError> {
    let Ok(file) = SourceFile::read("doc".into(), bytes, format, &ReadOptions::default()) else {
        return Ok(());
    };
    let engine = engine();
    let (one, four) = pools();
    let diagnostics = one.install(|| engine.check_file(&file));
    let again = four.install(|| engine.check_file(&file));
    prop_assert_eq!(
        format!("{diagnostics:?}"),
        format!("{again:?}"),
        "1 and 4 threads differ"
    );
    let len = file.bytes().len();
    for d in &diagnostics {
        prop_assert!(
            d.span.start < d.span.end && d.span.end <= len,
            "{:?}",
            d.span
        );
        for end in [d.span.start, d.span.end] {
            // On a character boundary of the file's encoding.
            prop_assert_eq!(file.decode_map.map(file.decode_map.unmap(end)), end);
        }
        prop_assert_eq!(&d.text, &file.original_text(d.span.clone()));
    }
    let outcome = crate::policy::suppress::apply(&file, engine.pack(), diagnostics);
    for p in &outcome.problems {
        prop_assert!(
            p.span.start <= p.span.end && p.span.end <= len,
            "{:?}",
            p.span
        );
    }
    Ok(())
}

// 256 cases each by default (`PROPTEST_CASES` overrides it).
proptest! {
    #[test]
    fn extracted_offsets_map_into_the_source(doc in document(), format in format()) {
        target_extract(&doc, format)?;
    }

    #[test]
    fn decoded_and_extracted_offsets_map_into_the_bytes(
        doc in document(),
        format in format(),
        encoding in encoding(),
    ) {
        target_read(encode(&doc, encoding), format, Some(encoding))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        format in format(),
        encoding in prop::option::of(encoding()),
    ) {
        target_read(bytes, format, encoding)?;
    }

    #[test]
    fn the_pipeline_keeps_spans_exact_on_any_thread_count(doc in document(), format in format()) {
        target_pipeline(doc.into_bytes(), format)?;
    }
}

/// Every input that once broke something, through the reader and pipeline targets in every
/// format.
#[test]
fn inputs_that_once_broke_something_still_hold() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/regressions exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.ends_with("README.md"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{} regression inputs", paths.len());
    for path in paths {
        let bytes = std::fs::read(&path).expect("reads");
        for format in FORMATS {
            let name = format!("{} as {format:?}", path.display());
            target_read(bytes.clone(), format, None).unwrap_or_else(|e| panic!("{name}: {e}"));
            target_pipeline(bytes.clone(), format).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// One random case of a target: its input (saved if it fails or hangs) and the check to run.
struct Case {
    input: Vec<u8>,
    run: Box<dyn FnOnce() -> Result<(), TestCaseError>>,
}

/// One target for the budgeted runner: a name and a maker of random cases.
type Target = (&'static str, fn(&mut TestRunner) -> Case);

fn draw<S: Strategy>(runner: &mut TestRunner, strategy: S) -> S::Value {
    strategy
        .new_tree(runner)
        .expect("the strategies never reject")
        .current()
}

fn case(input: Vec<u8>, run: impl FnOnce() -> Result<(), TestCaseError> + 'static) -> Case {
    Case {
        input,
        run: Box::new(run),
    }
}

const TARGETS: &[Target] = &[
    ("extract (every format)", |r| {
        let (doc, format) = draw(r, (document(), format()));
        case(doc.clone().into_bytes(), move || {
            target_extract(&doc, format)
        })
    }),
    ("read (every format and encoding)", |r| {
        let (doc, format, encoding) = draw(r, (document(), format(), encoding()));
        let bytes = encode(&doc, encoding);
        case(bytes.clone(), move || {
            target_read(bytes, format, Some(encoding))
        })
    }),
    ("read (arbitrary bytes)", |r| {
        let (bytes, format, encoding) = draw(
            r,
            (
                prop::collection::vec(any::<u8>(), 0..2000),
                format(),
                prop::option::of(encoding()),
            ),
        );
        case(bytes.clone(), move || target_read(bytes, format, encoding))
    }),
    ("pipeline (bytes to diagnostics, 1 and 4 threads)", |r| {
        let (doc, format) = draw(r, (document(), format()));
        let bytes = doc.into_bytes();
        case(bytes.clone(), move || target_pipeline(bytes, format))
    }),
];

/// A case running longer than this is a hang: its input is saved and the run stops.
const HANG_SECS: u64 = 20;

/// The case being run: its target, input and start, for the watchdog.
static RUNNING: std::sync::Mutex<Option<(&'static str, Vec<u8>, std::time::Instant)>> =
    std::sync::Mutex::new(None);

fn save_found(target: &str, n: u64, input: &[u8]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/fuzz-found");
    std::fs::create_dir_all(dir).expect("target/ is writable");
    let path = format!("{dir}/{}-{n}", target.split(' ').next().unwrap_or("x"));
    std::fs::write(&path, input).expect("writes the input");
    path
}

/// Runs every target for `CLAIMLINT_FUZZ_SECS` seconds (default 10), printing executions and
/// failures; fails if any input failed. A case that runs past `HANG_SECS` is a hang: its input
/// is saved and the process exits. Run by `bench/fuzz.sh`.
#[test]
#[ignore = "a timed fuzzing run: bench/fuzz.sh"]
#[allow(clippy::print_stdout)] // its report is the point
fn fuzz_for_a_time_budget() {
    let secs: u64 = std::env::var("CLAIMLINT_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((name, input, started)) = running.as_ref()
                && started.elapsed().as_secs() > HANG_SECS
            {
                let path = save_found(name, 0, input);
                println!("failure in {name}: a case ran past {HANG_SECS} s (input: {path})");
                std::process::exit(1);
            }
        }
    });
    let mut failures = 0;
    println!();
    println!("| target | seconds | executions | failures |");
    println!("|---|---:|---:|---:|");
    for (name, make) in TARGETS {
        let mut runner = TestRunner::deterministic();
        let started = std::time::Instant::now();
        let (mut runs, mut failed) = (0u64, 0u64);
        while started.elapsed().as_secs() < secs {
            let Case { input, run } = make(&mut runner);
            *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((name, input.clone(), std::time::Instant::now()));
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
            *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = None;
            runs += 1;
            let message = match outcome {
                Ok(Ok(())) => continue,
                Ok(Err(e)) => e.to_string(),
                Err(_) => "panicked".to_owned(),
            };
            failed += 1;
            let path = save_found(name, runs, &input);
            println!("failure in {name}: {message} (input: {path})");
        }
        failures += failed;
        println!("| {name} | {secs} | {runs} | {failed} |");
    }
    assert_eq!(failures, 0, "inputs that failed are in target/fuzz-found/");
}

const FORMATS: [Format; 6] = [
    Format::Text,
    Format::Markdown,
    Format::Mdx,
    Format::Html,
    Format::Json,
    Format::Yaml,
];
