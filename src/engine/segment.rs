//! Sentence segmentation over normalized text.
//!
//! A sentence ends at `.`, `!` or `?` followed by a space or line break (not after a known
//! abbreviation such as "e.g." or "dr.", and not inside a number), at `。！？`, and at every line
//! break, since headings, bullets and table cells in copy often carry no final punctuation.
//! A sentence whose last character is `:` is a lead-in: it absorbs what follows it, so
//! "improves the following:" reaches every item. It takes the next sentence, and goes on taking
//! line after line while they carry no sentence punctuation (list items, table cells), up to the
//! next paragraph break; a paragraph of full sentences after a heading-like lead-in lends it only
//! its first sentence.

use std::ops::Range;

/// Abbreviations whose period does not end a sentence (normalized, without the final period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "dr", "mr", "mrs", "ms", "prof", "approx", "vs", "st", "fig", "inc", "ltd", "co",
    "jr", "sr", "dept", "est", "ca", "cf", "al", "min", "max", "ref", "vol", "pp", "ph.d", "u.s",
    "u.k", "e.u",
];

/// No word longer than this (in bytes) keeps a period from ending a sentence: the longest
/// abbreviation, "no", or a single letter (up to four bytes).
const SHORT_WORD_MAX: usize = {
    let mut max = 4;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > max {
            max = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    max
};

#[derive(Debug, Clone)]
struct Segment {
    range: Range<usize>,
    /// The separator after this segment is a paragraph break (or the end of the text).
    paragraph_end: bool,
    /// The segment ends with sentence punctuation, not just a line break.
    terminated: bool,
}

/// The sentences of a normalized text, as byte ranges, in order and non-overlapping.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    sentences_in(text, 0..text.len())
}

/// The sentences of `range` of a normalized text, where `range` is the whole text or runs from
/// a paragraph break (or the start) to just after one (or the end) with no lead-in (`:`)
/// before it: the same sentences `sentences` finds there in the whole text.
pub fn sentences_in(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let segments = split(text, range);
    merge_lead_ins(text, segments)
}

/// The bytes `split` stops at: `\n . ! ?` and the first bytes of `。！？`.
const MAY_END: [bool; 256] = {
    let mut table = [false; 256];
    table[b'\n' as usize] = true;
    table[b'.' as usize] = true;
    table[b'!' as usize] = true;
    table[b'?' as usize] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

fn split(text: &str, range: Range<usize>) -> Vec<Segment> {
    let bytes = &text.as_bytes()[..range.end];
    let mut segments = Vec::new();
    let mut start = range.start;
    // Byte by byte: every terminator is ASCII or starts with 0xE3 (`。`) or 0xEF (`！？`), and
    // no byte of a multi-byte character is ASCII.
    let mut i = range.start;
    while i < bytes.len() {
        // Skip to the next byte that may end a segment.
        while i < bytes.len() && !MAY_END[bytes[i] as usize] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let end = match bytes[i] {
            b'\n' => {
                let paragraph = bytes.get(i + 1) == Some(&b'\n');
                push(&mut segments, text, start, i, paragraph);
                start = if paragraph { i + 2 } else { i + 1 };
                i = start;
                continue;
            }
            c @ (b'.' | b'!' | b'?') if ends_sentence(text, i, c as char) => Some(i + 1),
            0xE3 | 0xEF if text[i..].starts_with(['。', '！', '？']) => Some(i + 3),
            _ => None,
        };
        if let Some(end) = end {
            push(&mut segments, text, start, end, false);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push(&mut segments, text, start, range.end, true);
    segments
}

fn push(segments: &mut Vec<Segment>, text: &str, start: usize, end: usize, paragraph_end: bool) {
    let slice = &text[start..end];
    let trimmed_start = start + (slice.len() - slice.trim_start().len());
    let trimmed_end = start + slice.trim_end().len();
    if trimmed_start < trimmed_end {
        let terminated =
            text[trimmed_start..trimmed_end].ends_with(['.', '!', '?', '。', '！', '？']);
        segments.push(Segment {
            range: trimmed_start..trimmed_end,
            paragraph_end,
            terminated,
        });
    } else if paragraph_end && let Some(last) = segments.last_mut() {
        last.paragraph_end = true;
    }
}

fn ends_sentence(text: &str, i: usize, c: char) -> bool {
    let bytes = text.as_bytes();
    // Closing quotes and brackets may follow the terminator.
    let closers = bytes[i + 1..]
        .iter()
        .take_while(|&&b| matches!(b, b'"' | b'\'' | b')' | b']'))
        .count();
    let rest = &text[i + 1 + closers..];
    if !matches!(rest.as_bytes().first(), None | Some(b' ' | b'\n')) {
        return false;
    }
    if c != '.' {
        return true;
    }
    // "no. 1", "approx. 30", "e.g. hair": only a short word can keep the period. The word is
    // looked for backwards no further than that (this runs at every period of every text).
    let mut word_start = 0;
    for (k, ch) in text[..i].char_indices().rev() {
        if ch.is_whitespace() || ch == '(' || ch == '"' {
            word_start = k + ch.len_utf8();
            break;
        }
        if i - k > SHORT_WORD_MAX {
            return true;
        }
    }
    !keeps_period(&text[word_start..i], rest, bytes.get(i + 1) == Some(&b' '))
}

/// Whether `word`, just before a period followed by `rest`, keeps the period from ending the
/// sentence: an abbreviation, "no" before a number, or an initial (`space_next`: a space
/// follows the period itself).
fn keeps_period(word: &str, rest: &str, space_next: bool) -> bool {
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    if word == "no"
        && rest
            .trim_start()
            .starts_with(|ch: char| ch.is_ascii_digit())
    {
        return true;
    }
    // A single letter (an initial) is an abbreviation too.
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(letter), None) if letter.is_alphabetic())
        && space_next
}

fn merge_lead_ins(text: &str, segments: Vec<Segment>) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(segments.len());
    let mut k = 0;
    while k < segments.len() {
        let mut current = segments[k].range.clone();
        if text[current.clone()].ends_with(':') && k + 1 < segments.len() {
            let mut m = k + 1;
            current.end = segments[m].range.end;
            while !segments[m].paragraph_end && !segments[m].terminated && m + 1 < segments.len() {
                m += 1;
                current.end = segments[m].range.end;
            }
            k = m + 1;
        } else {
            k += 1;
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ends_sentence` looking back over the whole word before the period and reading what
    /// follows it char by char, as it first did: the oracle of the bounded version.
    fn ends_sentence_oracle(text: &str, i: usize, c: char) -> bool {
        let after = &text[i + 1..];
        let next = after.chars().next();
        let rest = after.trim_start_matches(['"', '\'', ')', ']']);
        if !matches!(rest.chars().next(), None | Some(' ' | '\n')) {
            return false;
        }
        if c != '.' {
            return true;
        }
        let word_start = text[..i]
            .char_indices()
            .rev()
            .find(|&(_, ch)| ch.is_whitespace() || ch == '(' || ch == '"')
            .map_or(0, |(p, ch)| p + ch.len_utf8());
        !keeps_period(&text[word_start..i], rest, next == Some(' '))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn ends_sentence_is_its_oracle(
            picks in proptest::collection::vec(0usize..30, 0..30)
        ) {
            // Words, terminators (weighted) and what may stand around them.
            const PIECES: [&str; 30] = [
                "no", "approx", "e.g", "ph.d", "a", "é", "x", "mrs", "regrows", "bc", "1", "2.5",
                "dept", ".", ".", ".", ".", "!", "?", " ", " ", "]", "\n", "(", "\"", "'", ")",
                "\u{3000}", "\u{a0}", "。",
            ];
            let text: String = picks.iter().map(|&p| PIECES[p]).collect();
            for (i, c) in text.char_indices().filter(|&(_, c)| matches!(c, '.' | '!' | '?')) {
                proptest::prop_assert_eq!(
                    ends_sentence(&text, i, c),
                    ends_sentence_oracle(&text, i, c),
                    "{:?} at {}", text, i
                );
            }
        }
    }

    fn texts(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_terminators_and_lines() {
        assert_eq!(
            texts("it cures. it heals! really?\nheading\nbody"),
            ["it cures.", "it heals!", "really?", "heading", "body"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_decimals() {
        assert_eq!(
            texts("growth factors, e.g. egf, reach approx. 2.5 mm. next"),
            ["growth factors, e.g. egf, reach approx. 2.5 mm.", "next"]
        );
        assert_eq!(
            texts("ranked no. 1 in tokyo. ok"),
            ["ranked no. 1 in tokyo.", "ok"]
        );
    }

    #[test]
    fn japanese_full_stop() {
        assert_eq!(
            texts("薄毛を改善します。副作用なし。"),
            ["薄毛を改善します。", "副作用なし。"]
        );
    }

    #[test]
    fn lead_in_absorbs_the_following_list() {
        let text =
            "it improves the following symptoms:\n\nalopecia, insomnia, etc.\n\nnext paragraph.";
        assert_eq!(
            texts(text),
            [
                "it improves the following symptoms:\n\nalopecia, insomnia, etc.",
                "next paragraph."
            ]
        );
        let bullets = "benefits include:\n- wrinkles\n- hair loss\n\nafter.";
        assert_eq!(
            texts(bullets),
            ["benefits include:\n- wrinkles\n- hair loss", "after."]
        );
        let prose = "neurology:\n\nit is studied in stroke. cells may help. more.";
        assert_eq!(
            texts(prose),
            [
                "neurology:\n\nit is studied in stroke.",
                "cells may help.",
                "more."
            ]
        );
    }
}
