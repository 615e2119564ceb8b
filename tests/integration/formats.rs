//! Real inputs: the binary on Markdown, MDX, HTML, JSON, YAML, Shift_JIS and UTF-16 pages in
//! `fixtures/formats/`, with exact diagnostics (rule, line, column, byte offsets, text). The
//! same claims inside code, scripts, styles, comments, URLs, JSX and non-copy fields give none.
//! Also the reading flags: `--type`, `--encoding`, `--max-filesize`, `--copy-keys`.

use crate::harness::{code, root, run, run_with_stdin, stderr, stdout};

/// One diagnostic as `(rule, line, column, start offset, end offset, text)`.
type Found = (String, u64, u64, u64, u64, String);

fn found(doc: &serde_json::Value) -> Vec<Found> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["start"]["line"].as_u64().unwrap_or_default(),
                d["start"]["column"].as_u64().unwrap_or_default(),
                d["start"]["offset"].as_u64().unwrap_or_default(),
                d["end"]["offset"].as_u64().unwrap_or_default(),
                d["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let doc = serde_json::from_str(&stdout(&out)).expect("output is JSON");
    (code(&out), doc)
}

fn f(rule: &str, line: u64, column: u64, start: u64, end: u64, text: &str) -> Found {
    (rule.to_owned(), line, column, start, end, text.to_owned())
}

/// Offsets select the reported text in the original bytes (decoded with `encoding`), and for
/// UTF-8 files the line and column agree with the offset.
fn assert_offsets_select_text(path: &str, encoding: &'static encoding_rs::Encoding) {
    let bytes = std::fs::read(root().join(path)).expect("fixture exists");
    let (_, doc) = check_json(&[path]);
    for (_, line, column, start, end, text) in found(&doc) {
        let (start, end) = (start as usize, end as usize);
        assert!(start < end && end <= bytes.len(), "{path}: {start}..{end}");
        let (decoded, _) = encoding.decode_without_bom_handling(&bytes[start..end]);
        assert_eq!(decoded, text, "{path}: offsets and text disagree");
        if encoding == encoding_rs::UTF_8 {
            let before = String::from_utf8_lossy(&bytes[..start]);
            assert_eq!(before.matches('\n').count() as u64 + 1, line, "{path}");
            let col = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count();
            assert_eq!(col as u64 + 1, column, "{path}");
        }
    }
}

#[test]
fn markdown_lints_copy_and_skips_code_urls_and_comments() {
    let (status, doc) = check_json(&["fixtures/formats/markdown-page.md"]);
    assert_eq!(status, 1);
    assert_eq!(
        found(&doc),
        [
            // Front matter: the title and description only, not the slug or tags.
            f("hair.regrowth", 2, 17, 20, 32, "regrows hair"),
            f("safety.no-side-effects", 6, 33, 150, 165, "no side effects"),
            // Split by emphasis: one claim, its span across the markers.
            f("hair.regrowth", 11, 9, 202, 218, "re**grows** hair"),
            // Wrapped in emphasis: the span is the words, not the asterisks.
            f(
                "safety.no-side-effects",
                13,
                20,
                255,
                270,
                "no side effects"
            ),
            // A table cell and an image's alt text.
            f(
                "safety.no-side-effects",
                29,
                25,
                615,
                630,
                "no side effects"
            ),
            // A before-and-after heading presents results (outcome.results-claim).
            f("outcome.results-claim", 31, 3, 636, 652, "Before and after"),
            f("hair.regrowth", 31, 21, 654, 666, "regrows hair"),
        ]
    );
    assert_offsets_select_text("fixtures/formats/markdown-page.md", encoding_rs::UTF_8);
}

#[test]
fn html_lints_text_attributes_and_head_and_skips_code() {
    let (status, doc) = check_json(&["fixtures/formats/html-page.html"]);
    assert_eq!(status, 1);
    assert_eq!(
        found(&doc),
        [
            f("hair.regrowth", 6, 43, 136, 148, "regrows hair"),
            f("hair.regrowth", 13, 12, 370, 389, "re<b>grows</b> hair"),
            f(
                "safety.no-side-effects",
                14,
                39,
                448,
                470,
                "no side</span> effects"
            ),
            f(
                "proof.clinically-proven",
                15,
                16,
                491,
                512,
                "clinically&#32;proven"
            ),
            f(
                "safety.no-side-effects",
                16,
                34,
                562,
                577,
                "No side effects"
            ),
        ]
    );
    assert_offsets_select_text("fixtures/formats/html-page.html", encoding_rs::UTF_8);
}

#[test]
fn mdx_skips_esm_jsx_and_expressions() {
    let (_, doc) = check_json(&["fixtures/formats/mdx-page.mdx"]);
    assert_eq!(
        found(&doc),
        [f("hair.regrowth", 8, 9, 136, 148, "regrows hair")]
    );
}

#[test]
fn json_and_yaml_lint_copy_keys_only() {
    let (_, doc) = check_json(&["fixtures/formats/content.json"]);
    assert_eq!(
        found(&doc),
        [
            f("hair.regrowth", 4, 21, 76, 88, "regrows hair"),
            // An escape inside the claim is part of its bytes.
            f(
                "safety.no-side-effects",
                5,
                42,
                154,
                174,
                "no side\\u0020effects"
            ),
        ]
    );
    let (_, doc) = check_json(&["fixtures/formats/page.yaml"]);
    assert_eq!(
        found(&doc),
        [f("hair.regrowth", 4, 11, 55, 67, "regrows hair")]
    );
    // Other keys, on request.
    let (_, doc) = check_json(&["--copy-keys", "note", "fixtures/formats/page.yaml"]);
    assert_eq!(
        found(&doc),
        [f(
            "safety.no-side-effects",
            7,
            7,
            118,
            133,
            "No side effects"
        )]
    );
}

#[test]
fn shift_jis_page_is_decoded_from_its_meta_charset() {
    let path = "fixtures/formats/shift-jis-page.html";
    let (status, doc) = check_json(&[path]);
    assert_eq!(status, 1);
    let lines: Vec<(String, u64, u64, u64, String)> = found(&doc)
        .into_iter()
        .map(|(rule, line, _, start, end, text)| (rule, line, start, end, text))
        .collect();
    assert_eq!(
        lines,
        [
            (
                "hair.loss-treatment".to_owned(),
                8,
                132,
                151,
                "治療は薄毛の<b>改善".to_owned()
            ),
            (
                "body.immune-boost".to_owned(),
                9,
                180,
                192,
                "免疫力を高め".to_owned()
            ),
        ]
    );
    assert_offsets_select_text(path, encoding_rs::SHIFT_JIS);
}

#[test]
fn utf16_page_with_a_bom_is_read_not_skipped() {
    let path = "fixtures/formats/utf16-page.txt";
    let (status, doc) = check_json(&[path]);
    assert_eq!(status, 1);
    assert_eq!(doc["summary"]["files_skipped"], 0);
    let lines: Vec<(String, u64, u64, u64, String)> = found(&doc)
        .into_iter()
        .map(|(rule, line, _, start, end, text)| (rule, line, start, end, text))
        .collect();
    assert_eq!(
        lines,
        [
            (
                "hair.regrowth".to_owned(),
                3,
                68,
                92,
                "regrows hair".to_owned()
            ),
            (
                "hair.loss-treatment".to_owned(),
                4,
                96,
                106,
                "薄毛の改善".to_owned()
            ),
        ]
    );
    assert_offsets_select_text(path, encoding_rs::UTF_16LE);
}

/// Columns and snippets of non-UTF-8 files need the reporters to use
/// `SourceFile::line_index` and `SourceFile::original_text` instead of reading the bytes as
/// UTF-8 (until then the human reporter panics on these pages).
#[test]
fn non_utf8_pages_have_character_columns_and_readable_snippets() {
    let (_, doc) = check_json(&[
        "fixtures/formats/shift-jis-page.html",
        "fixtures/formats/utf16-page.txt",
    ]);
    let columns: Vec<(u64, u64)> = found(&doc).iter().map(|d| (d.1, d.2)).collect();
    assert_eq!(columns, [(8, 7), (9, 4), (3, 21), (4, 1)]);
    let out = run(&[
        "check",
        "--color",
        "never",
        "fixtures/formats/shift-jis-page.html",
        "fixtures/formats/utf16-page.txt",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("8 | <p>当院の治療は薄毛の<b>改善</b>が期待できます。</p>"),
        "{text}"
    );
    assert!(
        text.contains("3 | Café notes: our PRP regrows hair."),
        "{text}"
    );
    assert!(
        text.contains(" --> fixtures/formats/utf16-page.txt:4:1"),
        "{text}"
    );
}

#[test]
fn type_overrides_the_extension_for_stdin_and_odd_names() {
    let page = b"<p>Our PRP re<b>grows</b> hair.</p>\n<!-- no side effects -->\n";
    let out = run_with_stdin(
        &["check", "--format", "json", "--type", "html", "-"],
        Some(page),
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(
        found(&doc),
        [f("hair.regrowth", 1, 12, 11, 30, "re<b>grows</b> hair")]
    );
    // Without --type, standard input is plain text: the tags split the claim, and the
    // comment is linted.
    let out = run_with_stdin(&["check", "--format", "json", "-"], Some(page));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(
        found(&doc),
        [f("safety.no-side-effects", 2, 6, 41, 56, "no side effects")]
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let odd = dir.path().join("page.content");
    std::fs::write(
        &odd,
        "Intro.\n\n```\nno side effects\n```\n\nIt **regrows hair**.\n",
    )
    .expect("write");
    let odd = odd.display().to_string();
    let (_, doc) = check_json(&["--type", "md", &odd]);
    assert_eq!(
        found(&doc),
        [f("hair.regrowth", 7, 6, 38, 50, "regrows hair")]
    );
}

#[test]
fn encoding_flag_decodes_legacy_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("euc.txt");
    let (bytes, _, _) = encoding_rs::EUC_JP.encode("ご案内\n免疫力を高めます。\n");
    std::fs::write(&path, &bytes).expect("write");
    let path = path.display().to_string();
    let (status, doc) = check_json(&["--encoding", "euc-jp", &path]);
    assert_eq!(status, 1);
    let got = found(&doc);
    assert_eq!(got.len(), 1, "{doc}");
    let (rule, line, _, start, end, text) = &got[0];
    assert_eq!((rule.as_str(), *line), ("body.immune-boost", 2));
    // "ご案内\n" is 7 bytes in EUC-JP; the claim is six two-byte characters.
    assert_eq!((*start, *end, text.as_str()), (7, 19, "免疫力を高め"));

    // Without the flag the bytes are not UTF-8: a warning, and the run goes on.
    let out = run(&["check", "--format", "json", &path]);
    assert!(
        stderr(&out).contains("invalid UTF-8 at byte 0"),
        "{}",
        stderr(&out)
    );

    let out = run(&["check", "--encoding", "klingon", &path]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown encoding `klingon`"));
}

#[test]
fn max_filesize_skips_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.md");
    std::fs::write(&big, "It regrows hair.\n".repeat(100)).expect("write");
    let small = dir.path().join("small.md");
    std::fs::write(&small, "It regrows hair.\n").expect("write");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--max-filesize",
        "1K",
        &dir.path().display().to_string(),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "big.md: file skipped: 1700 bytes is over the --max-filesize limit of 1024 bytes"
        ),
        "{err}"
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["summary"]["files_skipped"], 1);
    assert_eq!(doc["summary"]["files_checked"], 1);
    assert_eq!(code(&out), 1);

    let out = run_with_stdin(
        &["check", "--max-filesize", "10", "-"],
        Some(b"It regrows hair.\n"),
    );
    assert!(stderr(&out).contains("over the --max-filesize limit of 10 bytes"));
    assert_eq!(code(&out), 0);

    let out = run(&["check", "--max-filesize", "ten", "fixtures"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid size `ten`"));
}

#[test]
fn every_format_fixture_reads_without_warnings() {
    let out = run(&["check", "--format", "json", "fixtures/formats"]);
    assert_eq!(stderr(&out), "", "no notices for the format fixtures");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    // Walking a folder takes Markdown, MDX, HTML and text, not JSON or YAML.
    assert_eq!(doc["summary"]["files_checked"], 5);
}
