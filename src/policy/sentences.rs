//! The sentence each diagnostic stands in, as the engine saw it (normalized: lowercase, straight
//! quotes, collapsed white space). Approvals and baselines compare sentences, not positions, so
//! moving a claim to another line changes nothing. Computed only when one of them is in use.

use crate::diagnostic::Diagnostic;
use crate::engine::{normalize, segment};
use crate::source::SourceFile;

/// The normalized sentence of each diagnostic, in order.
pub fn of(file: &SourceFile, diagnostics: &[Diagnostic]) -> Vec<String> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let extracted = file.extract();
    let normalized = normalize::normalize(&extracted.text);
    let sentences = segment::sentences(&normalized.text);
    diagnostics
        .iter()
        .map(|d| {
            let at = normalized
                .map
                .unmap(extracted.map.unmap(file.decode_map.unmap(d.span.start)));
            let i = sentences.partition_point(|s| s.end <= at);
            let range = sentences.get(i).cloned().unwrap_or(at..at);
            let text = normalized.text.get(range).unwrap_or_default();
            squash(text)
        })
        .collect()
}

/// Normalizes a phrase the way sentences are: the engine's normalization, one space between
/// words, no closing punctuation.
pub fn normalize_phrase(text: &str) -> String {
    squash(&normalize::normalize(text).text)
}

fn squash(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', '!', '?', '。', '！', '？'])
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::source::Format;

    #[test]
    fn finds_the_sentence_of_each_claim() {
        let engine = Engine::new(crate::rules::load_embedded().unwrap()).unwrap();
        let text = "# Title\n\nOur serum is gentle. It **regrows hair**\nin weeks! Book now.\n";
        let file =
            SourceFile::decode("a.md".into(), text.as_bytes().to_vec(), Format::Markdown).unwrap();
        let diagnostics = engine.check_file(&file);
        assert!(!diagnostics.is_empty());
        assert_eq!(of(&file, &diagnostics)[0], "it regrows hair in weeks");
        assert_eq!(
            normalize_phrase("It regrows  Hair in weeks!"),
            "it regrows hair in weeks"
        );
    }
}
