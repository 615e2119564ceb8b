//! Term expansion: the `~` inflection marker of the pack format.
//!
//! `improve~ skin` becomes `improve skin`, `improves skin`, `improved skin`, `improving skin`.
//! Over-generation is harmless (a form that is not a word never occurs in copy), so the rules are
//! simple and predictable rather than a full English morphology.

/// Expands every `word~` of a term into its inflected forms; a term without `~` is returned alone.
pub fn expand(term: &str) -> Vec<String> {
    let mut forms: Vec<String> = vec![String::new()];
    for (i, word) in term.split(' ').enumerate() {
        let variants = match word.strip_suffix('~') {
            Some(stem) if !stem.is_empty() => inflect(stem),
            _ => vec![word.to_owned()],
        };
        let mut next = Vec::with_capacity(forms.len() * variants.len());
        for prefix in &forms {
            for v in &variants {
                let mut s = prefix.clone();
                if i > 0 {
                    s.push(' ');
                }
                s.push_str(v);
                next.push(s);
            }
        }
        forms = next;
    }
    forms.sort();
    forms.dedup();
    forms
}

/// The usual English forms of a verb or noun stem.
fn inflect(stem: &str) -> Vec<String> {
    let mut out = vec![stem.to_owned()];
    let last = stem.chars().last().unwrap_or(' ');
    let before_last = stem.chars().rev().nth(1).unwrap_or(' ');
    let is_vowel = |c: char| "aeiou".contains(c);
    if last == 'y' && !is_vowel(before_last) {
        let root = &stem[..stem.len() - 1];
        out.extend([
            format!("{root}ies"),
            format!("{root}ied"),
            format!("{stem}ing"),
        ]);
    } else if last == 'e' {
        let root = &stem[..stem.len() - 1];
        out.extend([format!("{stem}s"), format!("{stem}d"), format!("{root}ing")]);
    } else if stem.ends_with('s')
        || stem.ends_with('x')
        || stem.ends_with('z')
        || stem.ends_with("ch")
        || stem.ends_with("sh")
    {
        out.extend([
            format!("{stem}es"),
            format!("{stem}ed"),
            format!("{stem}ing"),
        ]);
    } else {
        out.extend([
            format!("{stem}s"),
            format!("{stem}ed"),
            format!("{stem}ing"),
        ]);
        // stop -> stopped, stopping: a short consonant-vowel-consonant ending doubles.
        let third_last = stem.chars().rev().nth(2).unwrap_or(' ');
        if last.is_ascii_alphabetic()
            && !is_vowel(last)
            && !"wxy".contains(last)
            && is_vowel(before_last)
            && !is_vowel(third_last)
        {
            out.extend([format!("{stem}{last}ed"), format!("{stem}{last}ing")]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_terms_stay_alone() {
        assert_eq!(expand("hair loss"), ["hair loss"]);
    }

    #[test]
    fn verbs_inflect() {
        let forms = expand("improve~");
        for f in ["improve", "improves", "improved", "improving"] {
            assert!(forms.contains(&f.to_owned()), "{f} missing from {forms:?}");
        }
        let forms = expand("stop~");
        assert!(forms.contains(&"stopped".to_owned()));
        assert!(forms.contains(&"stopping".to_owned()));
        let forms = expand("remedy~");
        assert!(forms.contains(&"remedies".to_owned()));
        let forms = expand("relieve~");
        assert!(forms.contains(&"relieving".to_owned()));
    }

    #[test]
    fn marker_applies_per_word() {
        let forms = expand("regrow~ hair");
        assert!(forms.contains(&"regrows hair".to_owned()));
        assert!(forms.contains(&"regrowing hair".to_owned()));
        assert!(forms.iter().all(|f| f.ends_with(" hair")));
    }
}
