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

/// Normalizes a whole document (a copy of it, normalized in place).
pub fn normalize(input: &str) -> Normalized {
    normalize_owned(input.to_owned())
}

/// Texts longer than this are normalized in parts, in parallel.
const PARALLEL_AFTER: usize = 4 << 20;
/// About how long each of those parts is.
const PART_LEN: usize = 1 << 20;

/// Normalizes a document it owns, in its own buffer, without a second copy of a large text.
/// Normalization mostly keeps or shortens text: it reads at `i` and writes at `w <= i`. Where a
/// character grows past what was read (`İ` lowercases to three bytes), a gap is opened before
/// it; `shift` is the length of the gaps so far, so `i - shift` is the offset in the input.
///
/// A long text is normalized in parts on parallel threads, each in its own stretch of the
/// buffer (see `in_parts`).
pub fn normalize_owned(input: String) -> Normalized {
    if input.len() > PARALLEL_AFTER {
        return in_parts(input, PART_LEN);
    }
    serial(input)
}

/// `normalize_owned` on one thread.
fn serial(input: String) -> Normalized {
    let mut buf = input.into_bytes();
    let mut pass = Pass::default();
    while let Some(needed) = pass.run(&mut buf) {
        // No room: a gap before the character, large enough for many more such characters
        // (each gap costs a move of the rest).
        let gap = needed.max(64).max((buf.len() - pass.i) / 8);
        buf.splice(pass.i..pass.i, std::iter::repeat_n(0, gap));
        pass.i += gap;
        pass.shift += gap;
    }
    buf.truncate(pass.w);
    Normalized {
        text: bytes_to_string(buf),
        map: pass.map,
    }
}

/// `normalize_owned` in parts of about `part_len` bytes, on parallel threads.
///
/// A part ends just after a run of whitespace that holds a paragraph break: that run becomes
/// `\n\n` whatever surrounds it, and normalization after it reads nothing before it (a single
/// line break looks back at the last character written, and a part begins with a character
/// that is neither whitespace nor invisible, or writes nothing before a break that ends a
/// clause either way). Each part is normalized in place in its own stretch of the buffer; where
/// a character would grow past what its part has read, the rest of that part (which begins at
/// that character, where normalization starts afresh the same way) is normalized in a buffer of
/// its own. The parts are then moved together and their maps appended.
fn in_parts(input: String, part_len: usize) -> Normalized {
    use rayon::prelude::*;
    let cuts = cuts(&input, part_len);
    if cuts.len() <= 2 {
        return serial(input);
    }
    let mut buf = input.into_bytes();
    let mut parts: Vec<&mut [u8]> = Vec::with_capacity(cuts.len() - 1);
    let mut rest: &mut [u8] = &mut buf;
    for pair in cuts.windows(2) {
        let (part, after) = rest.split_at_mut(pair[1] - pair[0]);
        parts.push(part);
        rest = after;
    }
    let done: Vec<(Pass, Option<Normalized>)> = parts
        .into_par_iter()
        .map(|part| {
            let mut pass = Pass::default();
            let rest = pass.run(part).map(|_| {
                let unread = std::str::from_utf8(&part[pass.i..]).map_or_else(
                    |_| String::from_utf8_lossy(&part[pass.i..]).into_owned(),
                    str::to_owned,
                );
                serial(unread)
            });
            (pass, rest)
        })
        .collect();
    // The parts' texts moved together (in place unless a part had a rest of its own), and
    // their maps appended.
    let mut map = OffsetMap::identity();
    let mut len = 0;
    for (&cut, (pass, rest)) in cuts.iter().zip(&done) {
        map.append(&pass.map, len, cut);
        len += pass.w;
        if let Some(rest) = rest {
            map.append(&rest.map, len, cut + pass.i);
            len += rest.text.len();
        }
    }
    let text = if done.iter().all(|(_, rest)| rest.is_none()) {
        let mut to = 0;
        for (&cut, (pass, _)) in cuts.iter().zip(&done) {
            buf.copy_within(cut..cut + pass.w, to);
            to += pass.w;
        }
        buf.truncate(to);
        buf
    } else {
        let mut out = Vec::with_capacity(len);
        for (&cut, (pass, rest)) in cuts.iter().zip(&done) {
            out.extend_from_slice(&buf[cut..cut + pass.w]);
            if let Some(rest) = rest {
                out.extend_from_slice(rest.text.as_bytes());
            }
        }
        out
    };
    Normalized {
        text: bytes_to_string(text),
        map,
    }
}

/// Where a long text may be cut into parts normalized apart (see `in_parts`): 0, then about
/// every `part_len` bytes the first character after a run of whitespace that holds `\n\n`,
/// then the end.
fn cuts(text: &str, part_len: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = vec![0];
    let mut at = part_len;
    while at < bytes.len() {
        let Some(k) = memchr::memmem::find(&bytes[at..], b"\n\n").map(|k| at + k) else {
            break;
        };
        let Some(cut) = text[k..].find(|c: char| !c.is_whitespace()).map(|n| k + n) else {
            break;
        };
        out.push(cut);
        at = cut + part_len;
    }
    out.push(bytes.len());
    out
}

/// One pass of normalization over a buffer: reading at `i`, writing at `w <= i`, `shift` bytes
/// of gaps opened so far, and the map of what is written (an identity map at first).
#[derive(Default)]
struct Pass {
    i: usize,
    w: usize,
    shift: usize,
    map: OffsetMap,
}

impl Pass {
    /// Normalizes `buf` in place from `i` on. Stops at `i` before a character whose folded
    /// form would overwrite bytes not yet read, and returns how many bytes short the room is;
    /// `None` at the end.
    fn run(&mut self, buf: &mut [u8]) -> Option<usize> {
        let Pass { i, w, shift, map } = self;
        while *i < buf.len() {
            let b = buf[*i];
            if b < 0x80 && !b.is_ascii_whitespace() {
                // A run of ASCII is copied lowercased, in one go.
                let run = ascii_run_end(buf, *i);
                buf.copy_within(*i..run, *w);
                buf[*w..*w + (run - *i)].make_ascii_lowercase();
                *w += run - *i;
                *i = run;
                continue;
            }
            let c = char_at(buf, *i);
            let len = c.len_utf8();
            if c.is_whitespace() {
                let mut j = *i;
                let mut newlines = 0;
                while j < buf.len() {
                    let c2 = char_at(buf, j);
                    if !c2.is_whitespace() {
                        break;
                    }
                    if c2 == '\n' {
                        newlines += 1;
                    }
                    j += c2.len_utf8();
                }
                let replacement: &[u8] = match newlines {
                    0 => b" ",
                    1 if continues_sentence(&buf[..*w], &buf[j..]) => b" ",
                    1 => b"\n",
                    _ => b"\n\n",
                };
                // A run holds at least as many bytes as its replacement.
                buf[*w..*w + replacement.len()].copy_from_slice(replacement);
                *w += replacement.len();
                map.push(*w, j - *shift);
                *i = j;
                continue;
            }
            if is_invisible(c) {
                *i += len;
                map.push(*w, *i - *shift);
                continue;
            }
            let mut folded = [0u8; 16];
            let k = fold(c, &mut folded);
            if *w + k > *i + len {
                return Some(*w + k - (*i + len));
            }
            buf[*w..*w + k].copy_from_slice(&folded[..k]);
            *w += k;
            *i += len;
            map.push(*w, *i - *shift);
        }
        None
    }
}

/// Text written whole characters at a time is UTF-8; were it not, nothing panics.
fn bytes_to_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The character starting at byte `i` of UTF-8 text.
fn char_at(bytes: &[u8], i: usize) -> char {
    let len = match bytes[i] {
        b if b < 0x80 => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => 2,
    };
    std::str::from_utf8(&bytes[i..(i + len).min(bytes.len())])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{FFFD}')
}

/// Where a run of plain ASCII starting at `i` ends: letters, digits, punctuation, and single
/// spaces between them (a space that stays a space moves nothing in the map).
fn ascii_run_end(bytes: &[u8], i: usize) -> usize {
    let mut run = i + 1;
    // Eight bytes at a time while they are plain whatever follows them, then byte by byte.
    while let Some(eight) = bytes.get(run..run + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        if !plain_eight(u64::from_le_bytes(word)) {
            break;
        }
        run += 8;
    }
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
    run
}

/// Whether eight bytes (read little-endian) belong to a plain ASCII run whatever byte follows
/// them: all ASCII, none below a space (line breaks, tabs and other controls), and no space
/// followed by another or last of the eight. A `false` only sends them to the byte-by-byte loop.
fn plain_eight(w: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    if w & HIGH != 0 {
        return false;
    }
    // Each byte is below 0x80, so adding 0x60 carries into no other byte, and sets its high bit
    // exactly when it is at least 0x20.
    if (w + 0x6060_6060_6060_6060) & HIGH != HIGH {
        return false;
    }
    // The high bit of each byte that is a space (exactly: no carry crosses a byte).
    let x = w ^ 0x2020_2020_2020_2020;
    let spaces = !(((x & LOW) + LOW) | x | LOW);
    spaces & (spaces >> 8) == 0 && spaces >> 63 == 0
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

/// Whether a single line break between `before` and `after` (UTF-8 text) runs a sentence on.
fn continues_sentence(before: &[u8], after: &[u8]) -> bool {
    let trimmed = before.len() - before.iter().rev().take_while(|&&b| b == b' ').count();
    let last = (trimmed > 0).then(|| {
        let mut k = trimmed - 1;
        while k > 0 && (before[k] & 0xC0) == 0x80 {
            k -= 1;
        }
        char_at(before, k)
    });
    let ends_clause = matches!(
        last,
        None | Some('.' | '!' | '?' | ':' | ';' | '。' | '！' | '？' | '\n')
    );
    let next_lower = !after.is_empty() && char_at(after, 0).is_lowercase();
    !ends_clause && next_lower
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Writes the folded, lowercased form of `c` into `out`; returns its length in bytes.
fn fold(c: char, out: &mut [u8; 16]) -> usize {
    let folded = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        _ => c,
    };
    if folded.is_ascii() {
        out[0] = folded.to_ascii_lowercase() as u8;
        return 1;
    }
    // At most three characters of at most four bytes.
    let mut k = 0;
    for lower in folded.to_lowercase() {
        k += lower.encode_utf8(&mut out[k..]).len();
    }
    k
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
    fn long_texts_are_cut_after_paragraph_breaks() {
        let text = "Ab.\n\n \u{3000}Cd\nef.\n\nİx\n\n\n";
        assert_eq!(cuts(text, 1), [0, 9, 17, text.len()]);
        assert_eq!(&text[9..11], "Cd");
        assert_eq!(&text[17..19], "İ");
        assert_eq!(cuts(text, 100), [0, text.len()]);
        // A part that grows (İ) has its rest normalized apart; the text is the same.
        assert_eq!(in_parts(text.to_owned(), 1).text, normalize(text).text);
        assert_eq!(normalize(text).text, "ab.\n\ncd ef.\n\ni\u{307}x\n\n");
    }

    #[test]
    fn eight_plain_bytes() {
        let eight = |s: &[u8]| plain_eight(u64::from_le_bytes(s.try_into().expect("eight")));
        for plain in [b"abcdefgh", b"ab cd ef", b" b d f h", b"A,B.~!@Z"] {
            assert!(eight(plain), "{:?}", String::from_utf8_lossy(plain));
        }
        for not in [
            b"abc  efg",
            b"abcdefg ",
            b"abc\ndefg",
            b"ab\tdefgh",
            b"abc\x0bdefg",
            b"abc\xc3\xa9fgh",
            b"\x7f\x80abcdef",
        ] {
            assert!(!eight(not), "{:?}", String::from_utf8_lossy(not));
        }
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

    /// Pieces that exercise every branch: ASCII runs, whitespace runs of every kind, folds
    /// that shrink, lowercasings that grow (`İ`, `Ⱥ`), invisible characters.
    const PIECES: &[&str] = &[
        "Regrows",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "\u{0B}",
        "hair",
        ".",
        "No",
        "x",
        "\u{00A0}",
        "\u{3000}",
        "ＦＤＡ",
        "\u{2019}",
        "\u{201C}",
        "\u{2010}",
        "\u{00AD}",
        "\u{200B}",
        "İ",
        "Ⱥ",
        "ß",
        "薄毛",
        "ﾃ",
        "É",
        "\u{1F600}",
        "?",
        ":",
    ];

    fn compose(picks: &[usize]) -> String {
        picks.iter().map(|&k| PIECES[k % PIECES.len()]).collect()
    }

    /// The rules applied one character at a time into a new string: the oracle for the
    /// in-place normalizer, its ASCII runs and its gaps.
    fn one_char_at_a_time(input: &str) -> Normalized {
        let mut out = String::new();
        let mut map = OffsetMap::identity();
        let mut chars = input.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let end = i + c.len_utf8();
            // A vertical tab is not ASCII whitespace to the ASCII runs: it starts no run of
            // whitespace, though it continues one.
            if c.is_whitespace() && c != '\u{0B}' {
                let (mut j, mut newlines) = (end, usize::from(c == '\n'));
                while let Some(&(k, c2)) = chars.peek() {
                    if !c2.is_whitespace() {
                        break;
                    }
                    newlines += usize::from(c2 == '\n');
                    j = k + c2.len_utf8();
                    chars.next();
                }
                out.push_str(match newlines {
                    0 => " ",
                    1 if continues_sentence(out.as_bytes(), &input.as_bytes()[j..]) => " ",
                    1 => "\n",
                    _ => "\n\n",
                });
                map.push(out.len(), j);
            } else if is_invisible(c) {
                map.push(out.len(), end);
            } else {
                let mut folded = [0u8; 16];
                let k = fold(c, &mut folded);
                out.push_str(std::str::from_utf8(&folded[..k]).expect("folded UTF-8"));
                map.push(out.len(), end);
            }
        }
        Normalized { text: out, map }
    }

    proptest::proptest! {
        #[test]
        fn in_place_normalization_is_normalization(
            picks in proptest::collection::vec(0usize..100, 0..60)
        ) {
            let input = compose(&picks);
            let expected = one_char_at_a_time(&input);
            let owned = normalize_owned(input.clone());
            proptest::prop_assert_eq!(&owned.text, &expected.text);
            for at in 0..=expected.text.len() {
                proptest::prop_assert_eq!(owned.map.map(at), expected.map.map(at));
            }
        }

        #[test]
        fn normalization_in_parts_is_normalization(
            picks in proptest::collection::vec(0usize..100, 0..80),
            part_len in 1usize..24,
        ) {
            let input = compose(&picks);
            let expected = one_char_at_a_time(&input);
            let parts = in_parts(input.clone(), part_len);
            proptest::prop_assert_eq!(&parts.text, &expected.text);
            for at in 0..=expected.text.len() {
                proptest::prop_assert_eq!(parts.map.map(at), expected.map.map(at), "at {}", at);
            }
        }
    }

    #[test]
    fn in_place_normalization_grows_into_a_new_buffer_when_it_must() {
        // `İ` (two bytes) lowercases to three: with nothing shortened before it, no room.
        let n = normalize_owned("İx Y".to_owned());
        assert_eq!(n.text, "i\u{307}x y");
        assert_eq!(n.text, one_char_at_a_time("İx Y").text);
        let n = normalize_owned("A  İ".to_owned());
        assert_eq!(n.text, one_char_at_a_time("A  İ").text);
        // Many in a row, after a long text: several gaps, offsets still exact.
        let input = format!("{}{} cure", "a ".repeat(500), "İ".repeat(300));
        let n = normalize_owned(input.clone());
        let expected = one_char_at_a_time(&input);
        assert_eq!(n.text, expected.text);
        let cure = n.text.find("cure").expect("cure");
        assert_eq!(&input[n.map.map(cure)..n.map.map(cure + 4)], "cure");
        assert_eq!(n.map, expected.map);
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
