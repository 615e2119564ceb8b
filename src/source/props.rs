//! Property tests over the readers: for random documents in every format and encoding,
//! nothing panics, and every offset of the extracted text maps back to an offset of the
//! original bytes that is in range, in order, and on a character boundary. Bounded in cases and
//! size so `cargo test` stays quick; `PROPTEST_CASES` raises the count for a longer run.

use proptest::prelude::*;

use super::{Format, ReadOptions, SourceFile};

/// Pieces that real pages are made of, and that break naive readers.
const FRAGMENTS: &[&str] = &[
    "regrows hair",
    "no side effects",
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
    prop::sample::select(vec![
        Format::Text,
        Format::Markdown,
        Format::Mdx,
        Format::Html,
        Format::Json,
        Format::Yaml,
    ])
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

// 256 cases each by default (`PROPTEST_CASES` overrides it).
proptest! {
    #[test]
    fn extracted_offsets_map_into_the_source(doc in document(), format in format()) {
        let extracted = format.extract(&doc, &ReadOptions::default().copy_keys);
        let mut last = 0;
        for d in extracted.text.char_indices().map(|(i, _)| i).chain([extracted.text.len()]) {
            let o = extracted.map.map(d);
            prop_assert!(o <= doc.len() && doc.is_char_boundary(o) && o >= last, "{d} -> {o}");
            last = o;
        }
    }

    #[test]
    fn decoded_and_extracted_offsets_map_into_the_bytes(
        doc in document(),
        format in format(),
        encoding in encoding(),
    ) {
        let bytes = encode(&doc, encoding);
        let options = ReadOptions { encoding: Some(encoding), ..ReadOptions::default() };
        if let Ok(file) = SourceFile::read("doc".into(), bytes, format, &options) {
            check_file(&file)?;
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        format in format(),
        encoding in prop::option::of(encoding()),
    ) {
        let options = ReadOptions { encoding, ..ReadOptions::default() };
        if let Ok(file) = SourceFile::read("doc".into(), bytes, format, &options) {
            check_file(&file)?;
            let _ = file.original_text(0..file.bytes().len());
        }
    }
}
