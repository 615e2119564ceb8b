//! Normalization: the text the matcher sees. Lowercase; curly quotes straight; every dash and
//! hyphen variant `-`; full-width ASCII letters, digits and punctuation half-width; invisible
//! characters (soft hyphen, zero-width space, BOM) removed; whitespace runs collapsed to one space,
//! one line break (`\n`) or a paragraph break (`\n\n`). A single line break inside a running
//! sentence (the next line starts in lowercase) becomes a space, so hard-wrapped text matches.
//!
//! The `OffsetMap` records every place where lengths change, so each normalized offset maps back
//! to the text that was normalized.

use crate::source::OffsetMap;

/// Normalized text and its map back to the input.
#[derive(Debug)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
}

/// Normalizes a whole document.
pub fn normalize(input: &str) -> Normalized {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut map = OffsetMap::identity();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 && !b.is_ascii_whitespace() {
            // A run of ASCII is copied lowercased, in one go: letters, digits, punctuation, and
            // single spaces between them (a space that stays a space moves nothing in the map).
            let mut run = i + 1;
            while run < bytes.len() {
                let b = bytes[run];
                let plain = b < 0x80
                    && (!b.is_ascii_whitespace()
                        || (b == b' '
                            && bytes
                                .get(run + 1)
                                .is_some_and(|&n| n < 0x80 && !(n as char).is_whitespace())));
                if !plain {
                    break;
                }
                run += 1;
            }
            let at = out.len();
            out.push_str(&input[i..run]);
            out[at..].make_ascii_lowercase();
            i = run;
            continue;
        }
        let Some(c) = input[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            let mut j = i;
            let mut newlines = 0;
            for c2 in input[i..].chars() {
                if !c2.is_whitespace() {
                    break;
                }
                if c2 == '\n' {
                    newlines += 1;
                }
                j += c2.len_utf8();
            }
            let replacement = match newlines {
                0 => " ",
                1 if continues_sentence(&out, &input[j..]) => " ",
                1 => "\n",
                _ => "\n\n",
            };
            out.push_str(replacement);
            map.push(out.len(), j);
            i = j;
            continue;
        }
        if is_invisible(c) {
            i += len;
            map.push(out.len(), i);
            continue;
        }
        push_folded(&mut out, c);
        i += len;
        map.push(out.len(), i);
    }
    Normalized { text: out, map }
}

/// Normalizes a pack term exactly as documents are normalized, trimmed.
pub fn normalize_term(term: &str) -> String {
    // Most terms are plain ASCII words with single spaces: lowercasing is all normalization does.
    let plain = term
        .bytes()
        .all(|b| b.is_ascii() && (b == b' ' || !(b as char).is_whitespace()))
        && !term.contains("  ");
    if plain {
        return term.trim().to_ascii_lowercase();
    }
    normalize(term).text.trim().to_owned()
}

fn continues_sentence(before: &str, after: &str) -> bool {
    let last = before.trim_end_matches(' ').chars().last();
    let ends_clause = matches!(
        last,
        None | Some('.' | '!' | '?' | ':' | ';' | '。' | '！' | '？' | '\n')
    );
    let next_lower = after.chars().next().is_some_and(char::is_lowercase);
    !ends_clause && next_lower
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn push_folded(out: &mut String, c: char) {
    let folded = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        _ => c,
    };
    if folded.is_ascii() {
        out.push(folded.to_ascii_lowercase());
    } else {
        out.extend(folded.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(input: &str, needle: &str) -> (usize, usize) {
        let n = normalize(input);
        let start = n.text.find(needle).expect("needle in normalized text");
        (n.map.map(start), n.map.map(start + needle.len()))
    }

    #[test]
    fn folds_case_quotes_dashes_and_width() {
        let n = normalize("Parkinson\u{2019}s \u{201C}Anti\u{2010}Aging\u{201D} ＦＤＡ");
        assert_eq!(n.text, "parkinson's \"anti-aging\" fda");
    }

    #[test]
    fn collapses_spaces_and_keeps_offsets() {
        let input = "Regrows\u{00A0}\u{00A0}  hair";
        let n = normalize(input);
        assert_eq!(n.text, "regrows hair");
        let (s, e) = roundtrip(input, "hair");
        assert_eq!(&input[s..e], "hair");
    }

    #[test]
    fn full_width_offsets_point_at_original_bytes() {
        let input = "ａｂ cure";
        let (s, e) = roundtrip(input, "cure");
        assert_eq!(&input[s..e], "cure");
        let (s, e) = roundtrip(input, "ab");
        assert_eq!(&input[s..e], "ａｂ");
    }

    #[test]
    fn line_breaks_keep_structure() {
        assert_eq!(normalize("Title\nBody text.").text, "title\nbody text.");
        assert_eq!(normalize("one\n\n\ntwo").text, "one\n\ntwo");
        // A hard-wrapped sentence joins up.
        assert_eq!(normalize("regrows\nhair").text, "regrows hair");
    }

    #[test]
    fn ascii_runs_match_the_general_path() {
        // A space before another whitespace character (here a vertical tab) is part of a run.
        assert_eq!(normalize("A \u{0B}B").text, "a b");
        assert_eq!(normalize("A\u{0B}B").text, "a\u{0B}b");
        assert_eq!(normalize("Ab Cd  Ef\tGh \u{3000}Ij").text, "ab cd ef gh ij");
        let n = normalize("Ab  Cd ﾃ Ef");
        assert_eq!(n.text, "ab cd ﾃ ef");
        assert_eq!(n.map.map(n.text.find("ef").expect("ef")), "Ab  Cd ﾃ ".len());
    }

    #[test]
    fn plain_terms_normalize_like_text() {
        for term in [
            "Hair Loss",
            " no  side effects ",
            "anti-aging",
            "it's",
            "a\tb",
            "Ｆ",
            "x ",
        ] {
            assert_eq!(
                normalize_term(term),
                normalize(term).text.trim(),
                "{term:?}"
            );
        }
    }

    #[test]
    fn invisible_characters_vanish() {
        let input = "re\u{00AD}grows hair";
        let n = normalize(input);
        assert_eq!(n.text, "regrows hair");
        let (s, e) = roundtrip(input, "regrows");
        assert_eq!(&input[s..e], "re\u{00AD}grows");
    }
}
