//! `TextBuilder`: the one way extractors write the text to lint. An extractor walks its
//! document in order and says, for each piece of copy, which source bytes it comes from; the
//! builder appends the text, records the offset map, and turns block boundaries into line and
//! paragraph breaks (the sentence structure the engine expects).
//!
//! Everything an extractor does not hand over (tags, markers, code, URLs) is a gap. A gap
//! between two pieces of one sentence (`re<b>grows</b> hair`) joins them with nothing, so a
//! claim split by inline markup is one claim. Where a gap falls at the edge of a claim, the
//! builder decides which side owns it, so a span neither starts with a closing tag nor ends
//! with an opening one: a gap before whitespace or punctuation belongs to the text before it
//! (`cures</b>.`), a gap after whitespace to the text after it (` <b>cures`), and between two
//! word characters closing markup sticks to the left and opening markup to the right.
//!
//! Invariants (checked by the property tests): the map sends every character boundary of the
//! text to a character boundary of the source, in non-decreasing order, never past its end.

use std::borrow::Cow;
use std::ops::Range;

use super::Extracted;
use crate::source::OffsetMap;

/// Which kind of markup was skipped, when it matters for attributing a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// An opening tag or marker (`<b>`, the first `**`): it belongs to the text after it.
    Opening,
    /// A closing tag or marker: it belongs to the text before it.
    Closing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Paragraph,
}

/// Builds extracted text and its map back to `source`.
#[derive(Debug)]
pub struct TextBuilder<'s> {
    source: &'s str,
    text: String,
    map: OffsetMap,
    /// Where the source of the text so far ends.
    origin_end: usize,
    pending: Break,
    opened: bool,
    closed: bool,
    /// The break pending when the first piece of text was written.
    first_break: Option<Break>,
}

impl<'s> TextBuilder<'s> {
    pub fn new(source: &'s str) -> Self {
        TextBuilder {
            source,
            text: String::with_capacity(source.len() / 2),
            map: OffsetMap::identity(),
            origin_end: 0,
            pending: Break::None,
            opened: false,
            closed: false,
            first_break: None,
        }
    }

    /// Makes room for `additional` more bytes of text.
    pub fn reserve(&mut self, additional: usize) {
        self.text.reserve(additional);
    }

    /// Appends what another builder of the same source extracted from the part that follows
    /// (a top-level block group, extracted on its own, in parallel), exactly as if this builder
    /// had extracted it. That holds when the part's first text came after a paragraph break
    /// (which overrides whatever this builder has pending) and the part's text starts with no
    /// line break (so counting the line breaks at its end never reaches into this text);
    /// otherwise the part is handed back, to be extracted here instead.
    pub fn append_part(&mut self, part: TextBuilder<'s>) -> Result<(), Box<TextBuilder<'s>>> {
        let exact = part.first_break == Some(Break::Paragraph)
            && part.text.chars().next().is_some_and(|c| c != '\n');
        if !exact {
            return Err(Box::new(part));
        }
        if !self.text.is_empty() {
            self.write_break(Break::Paragraph);
        }
        self.map.append(&part.map, self.text.len(), 0);
        self.text.push_str(&part.text);
        self.origin_end = part.origin_end;
        self.pending = part.pending;
        self.opened = part.opened;
        self.closed = part.closed;
        Ok(())
    }

    /// Ends the text with `wanted` (one or two line breaks), each mapped to where the source
    /// of the text so far ends.
    fn write_break(&mut self, wanted: Break) {
        let want = if wanted == Break::Paragraph { 2 } else { 1 };
        let have = self.text.len() - self.text.trim_end_matches('\n').len();
        for _ in have..want {
            self.map.push(self.text.len(), self.origin_end);
            self.text.push('\n');
        }
    }

    /// The source being extracted.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// Notes that markup was skipped before the next piece of text.
    pub fn skipped(&mut self, markup: Markup) {
        match markup {
            Markup::Opening => self.opened = true,
            Markup::Closing => self.closed = true,
        }
    }

    /// Ends the current line (a list item, a table cell, `<br>`): the next text starts a new
    /// sentence.
    pub fn line_break(&mut self) {
        self.pending = self.pending.max(Break::Line);
    }

    /// Ends the current paragraph (a blank line in the text).
    pub fn paragraph_break(&mut self) {
        self.pending = Break::Paragraph;
    }

    /// Copies `source[range]` as it is.
    pub fn copy(&mut self, range: Range<usize>) {
        self.copy_with(range, false);
    }

    /// Copies `source[range]` with every line break, tab and form feed made a space: inline
    /// text whose source line breaks do not end sentences (HTML text, Markdown soft breaks).
    pub fn copy_inline(&mut self, range: Range<usize>) {
        self.copy_with(range, true);
    }

    /// Appends `text` standing for the whole of `source[range]` (a decoded entity or escape):
    /// a span that starts or ends at it selects all of those bytes.
    pub fn replace(&mut self, range: Range<usize>, text: &str) {
        if text.is_empty() {
            return;
        }
        let Some(range) = self.clamp(range) else {
            return;
        };
        self.begin(range.start, text, false);
        let start = self.text.len();
        self.text.push_str(text);
        // Every position inside the replacement maps to its end.
        for (i, _) in text.char_indices().skip(1) {
            self.map.push(start + i, range.end);
        }
        self.origin_end = range.end;
    }

    /// Appends decoded text `value` whose source is `source[range]`, where the two differ only
    /// by escapes and character references (a Markdown text event, a quoted YAML or JSON
    /// string): equal characters are copied in step, and each reference or escape is one
    /// replacement. Anything else that differs is resynchronized on the next common character.
    /// `references`: the raw text may hold character references (`&amp;`, in Markdown); a
    /// YAML or JSON string has none, and its `&` is always itself.
    pub fn aligned(&mut self, range: Range<usize>, value: &str, inline: bool, references: bool) {
        let Some(raw) = self.source.get(range.clone()) else {
            return;
        };
        if raw == value {
            self.copy_with(range, inline);
            return;
        }
        let mut raw_pos = 0;
        let mut val_pos = 0;
        while val_pos < value.len() && raw_pos < raw.len() {
            let (raw_rest, val_rest) = (&raw[raw_pos..], &value[val_pos..]);
            let same = common_prefix(raw_rest, val_rest);
            let (raw_len, val_len) = if same > 0 {
                let start = range.start + raw_pos;
                self.copy_with(start..start + same, inline);
                raw_pos += same;
                val_pos += same;
                continue;
            } else if let Some(unit) = escape_unit(raw_rest, val_rest, references) {
                unit
            } else {
                resync(raw_rest, val_rest)
            };
            let start = range.start + raw_pos;
            if val_len > 0 {
                self.replace(start..start + raw_len, &val_rest[..val_len]);
            }
            raw_pos += raw_len;
            val_pos += val_len;
        }
        if val_pos < value.len() {
            let end = self.origin_end.max(range.end);
            self.replace(end..end, &value[val_pos..]);
        }
        // Raw bytes left with no text are a gap, like skipped markup.
    }

    fn copy_with(&mut self, range: Range<usize>, inline: bool) {
        let Some(range) = self.clamp(range) else {
            return;
        };
        let Some(slice) = self.source.get(range.clone()) else {
            return;
        };
        if slice.is_empty() {
            return;
        }
        // Whitespace next to a break or other whitespace says nothing: leave it in the gap.
        let blank = slice.trim().is_empty();
        if blank
            && (self.pending != Break::None
                || self
                    .text
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace))
        {
            return;
        }
        self.begin(range.start, slice, true);
        if inline && slice.contains(['\n', '\r', '\t', '\x0C']) {
            self.text.extend(slice.chars().map(|c| match c {
                '\n' | '\r' | '\t' | '\x0C' => ' ',
                c => c,
            }));
        } else {
            self.text.push_str(slice);
        }
        self.origin_end = range.end;
    }

    /// Keeps the source order: a range before the text already taken is cut to what follows
    /// it (or dropped), and a range that is not on character boundaries is dropped.
    fn clamp(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = range.start.max(self.origin_end);
        let end = range.end.max(start);
        (end <= self.source.len()
            && self.source.is_char_boundary(start)
            && self.source.is_char_boundary(end))
        .then_some(start..end)
    }

    /// Starts a piece of text whose source starts at `origin`: writes a pending break, then
    /// records where the piece starts, giving a gap before it to the side it belongs to.
    fn begin(&mut self, origin: usize, piece: &str, in_step: bool) {
        if self.text.is_empty() {
            self.first_break.get_or_insert(self.pending);
        } else if self.pending != Break::None {
            self.write_break(self.pending);
        }
        self.pending = Break::None;
        let derived = self.text.len();
        let Some(first) = piece.chars().next() else {
            return;
        };
        let gap = origin > self.origin_end;
        let after_space = self
            .text
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let before_stop = !first.is_alphanumeric();
        let left = gap && !after_space && (before_stop || (self.closed && !self.opened)) && in_step;
        if left {
            // The gap belongs to the text before: the first character absorbs it.
            self.map.push(derived, self.origin_end);
            self.map
                .push(derived + first.len_utf8(), origin + first.len_utf8());
        } else {
            self.map.push(derived, origin);
        }
        self.opened = false;
        self.closed = false;
    }

    /// The text and its map.
    pub fn finish(mut self) -> Extracted<'static> {
        self.map.push(self.text.len(), self.origin_end);
        Extracted {
            text: Cow::Owned(self.text),
            map: self.map,
        }
    }
}

/// The length of the longest common prefix of two strings, on a character boundary, stopping
/// before a `&` or `\\` of the raw text (which may start a reference or an escape).
fn common_prefix(raw: &str, value: &str) -> usize {
    raw.char_indices()
        .zip(value.chars())
        .find(|((_, x), y)| x != y || matches!(x, '&' | '\\'))
        .map_or_else(|| raw.len().min(value.len()), |((i, _), _)| i)
}

/// A character reference or backslash escape at the start of `raw` that stands for the
/// character(s) at the start of `value`: their lengths.
fn escape_unit(raw: &str, value: &str, references: bool) -> Option<(usize, usize)> {
    let first = value.chars().next()?;
    if raw.starts_with('&') {
        if references
            && let Some((text, len)) = super::entities::char_ref(raw, false)
            && value.starts_with(text.as_str())
        {
            return Some((len, text.len()));
        }
        // A literal ampersand.
        return (first == '&').then_some((1, 1));
    }
    let escaped = raw.strip_prefix('\\')?;
    let next = escaped.chars().next()?;
    let len = match next {
        // `\u2014`, `\uD83D\uDE00`, `\x41`, `\U0001F600`.
        'u' if escaped.get(5..7) == Some("\\u") && (first as u32) > 0xFFFF => 12,
        'u' => 6,
        'x' => 4,
        'U' => 10,
        c => 1 + c.len_utf8(),
    };
    (len <= raw.len() && raw.is_char_boundary(len)).then_some((len, first.len_utf8()))
}

/// For two texts that differ at their start, the lengths of the shortest differing runs after
/// which they agree again (on one character at least), or the whole of both.
fn resync(raw: &str, value: &str) -> (usize, usize) {
    // Escapes and line folds are short: look a little way ahead in both.
    let starts = |s: &str, n: usize| -> Vec<usize> {
        s.char_indices()
            .map(|(i, _)| i)
            .take(n)
            .chain(std::iter::once(s.len()))
            .collect()
    };
    let raw_starts = starts(raw, 64);
    let val_starts = starts(value, 8);
    // The nearest agreement first, counting characters skipped on both sides: taking every
    // skip of the raw text first matched a fold (`"\n  薄毛改善 "` against `" 薄毛改善 "`) on
    // the value's last space, and the whole claim became a replacement with no width.
    let mut pairs: Vec<(usize, usize)> = (0..raw_starts.len())
        .flat_map(|i| (0..val_starts.len()).map(move |j| (i, j)))
        .collect();
    pairs.sort_by_key(|&(i, j)| (i + j, i));
    for (i, j) in pairs {
        let (r, v) = (raw_starts[i], val_starts[j]);
        if r == 0 && v == 0 {
            continue;
        }
        let (rest_raw, rest_val) = (&raw[r..], &value[v..]);
        if rest_raw.is_empty() && rest_val.is_empty() {
            return (r, v);
        }
        if rest_raw.chars().next().is_some() && rest_raw.chars().next() == rest_val.chars().next() {
            return (r, v);
        }
    }
    (raw.len(), value.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(e: &Extracted<'_>, source: &str, needle: &str) -> String {
        let start = e.text.find(needle).expect("needle in text");
        let end = start + needle.len();
        source[e.map.map(start)..e.map.map(end)].to_owned()
    }

    #[test]
    fn inline_gaps_join_and_spans_skip_edge_markup() {
        let source = "It <b>cures</b> re<i>grows</i>. Ok";
        let mut b = TextBuilder::new(source);
        b.copy(0..3);
        b.skipped(Markup::Opening);
        b.copy(6..11);
        b.skipped(Markup::Closing);
        b.copy(15..18);
        b.skipped(Markup::Opening);
        b.copy(21..26);
        b.skipped(Markup::Closing);
        b.copy(30..34);
        let e = b.finish();
        assert_eq!(e.text, "It cures regrows. Ok");
        assert_eq!(origin(&e, source, "cures"), "cures");
        assert_eq!(origin(&e, source, "regrows"), "re<i>grows");
        assert_eq!(origin(&e, source, "cures regrows"), "cures</b> re<i>grows");
        // A span never starts at punctuation, so the closing tag before it stays left of it.
        assert_eq!(origin(&e, source, "Ok"), "Ok");
    }

    #[test]
    fn breaks_are_written_once_and_map_to_the_text_before() {
        let source = "<p>one</p><p>two</p><li>three";
        let mut b = TextBuilder::new(source);
        b.paragraph_break();
        b.copy(3..6);
        b.paragraph_break();
        b.paragraph_break();
        b.copy(13..16);
        b.line_break();
        b.copy(24..29);
        b.paragraph_break();
        let e = b.finish();
        assert_eq!(e.text, "one\n\ntwo\nthree");
        assert_eq!(origin(&e, source, "one\n"), "one");
        assert_eq!(origin(&e, source, "two"), "two");
        assert_eq!(e.map.map(e.text.len()), 29);
    }

    #[test]
    fn replacements_select_their_whole_source() {
        let source = "a &amp; b";
        let mut b = TextBuilder::new(source);
        b.aligned(0..9, "a & b", true, true);
        let e = b.finish();
        assert_eq!(e.text, "a & b");
        assert_eq!(origin(&e, source, "&"), "&amp;");
        assert_eq!(origin(&e, source, "& b"), "&amp; b");
        assert_eq!(origin(&e, source, "a &"), "a &amp;");
    }

    #[test]
    fn a_part_extracted_apart_appends_as_if_extracted_here() {
        let source = "one **two**\n\nthree &amp; four\n\nfive";
        let first = |b: &mut TextBuilder<'_>| {
            b.copy(0..4);
            b.skipped(Markup::Opening);
            b.copy(6..9);
            b.skipped(Markup::Closing);
        };
        let rest = |b: &mut TextBuilder<'_>| {
            b.paragraph_break();
            b.aligned(13..29, "three & four", true, true);
            b.paragraph_break();
            b.copy(31..35);
        };
        let mut whole = TextBuilder::new(source);
        first(&mut whole);
        rest(&mut whole);
        let mut joined = TextBuilder::new(source);
        first(&mut joined);
        let mut part = TextBuilder::new(source);
        rest(&mut part);
        assert!(joined.append_part(part).is_ok());
        let (whole, joined) = (whole.finish(), joined.finish());
        assert_eq!(joined.text, "one two\n\nthree & four\n\nfive");
        assert_eq!(joined.text, whole.text);
        assert_eq!(joined.map, whole.map);
        // A part whose first text follows only a line break is handed back.
        let mut part = TextBuilder::new(source);
        part.line_break();
        part.copy(31..35);
        assert!(TextBuilder::new(source).append_part(part).is_err());
    }

    #[test]
    fn out_of_order_ranges_are_cut_not_mapped_backwards() {
        let source = "abcdef";
        let mut b = TextBuilder::new(source);
        b.copy(2..4);
        b.copy(0..3);
        b.copy(3..6);
        let e = b.finish();
        assert_eq!(e.text, "cdef");
        assert_eq!(e.map.map(4), 6);
    }
}
