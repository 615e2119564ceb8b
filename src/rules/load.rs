//! Loading a pack: parse every file, then validate everything and resolve references.
//!
//! All problems are collected (not just the first), each pointing at the value at fault.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use toml::Spanned;

use super::error::{PackError, PackErrors};
use super::model::{
    Composite, Context, Cues, Evidence, Examples, Note, Regulation, Rule, RuleEvidence, RulePack,
    SourceRef,
};
use super::raw::{RawEvidence, RawFile, RawRegulation, RawRule};
use super::terms;

struct Loader<'f> {
    errors: PackErrors,
    file: String,
    /// Whether the regexes of a file are compiled while loading, not only parsed.
    compile: &'f (dyn Fn(&str) -> bool + Sync),
}

impl Loader<'_> {
    fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>, label: &str) {
        self.errors.errors.push(PackError {
            file: self.file.clone(),
            span,
            message: message.into(),
            label: label.to_owned(),
        });
    }
}

/// Loads a pack from `(file name, contents)` pairs. Regexes are parsed to validate them; the
/// engine compiles each the first time a text needs it.
pub fn load(files: &[(String, String)]) -> Result<RulePack, PackErrors> {
    load_checked(files, &|_| false)
}

/// `load`, compiling the regexes of the files `compile` names as well: a regex that parses may
/// still be too large to compile, which the user should hear about at load time, with its place
/// (build.rs loads the embedded pack this way, compiling every regex).
pub fn load_checked(
    files: &[(String, String)],
    compile: &(dyn Fn(&str) -> bool + Sync),
) -> Result<RulePack, PackErrors> {
    let mut loader = Loader {
        errors: PackErrors::default(),
        file: String::new(),
        compile,
    };
    let mut parsed: Vec<(String, RawFile)> = Vec::new();
    // The files are parsed in parallel, their errors reported in order.
    let results: Vec<Result<RawFile, toml::de::Error>> = files
        .par_iter()
        .map(|(_, text)| toml::from_str::<RawFile>(text))
        .collect();
    for ((name, _), result) in files.iter().zip(results) {
        loader.file = name.clone();
        match result {
            Ok(raw) => parsed.push((name.clone(), raw)),
            Err(err) => {
                let message = err.message().trim().to_owned();
                loader.error(err.span(), message, "here");
            }
        }
    }
    if files.is_empty() {
        loader.file = "(pack)".to_owned();
        loader.error(None, "the pack has no .toml files", "");
    }

    // Lexicons and context first: rules refer to them.
    let mut lexicons: HashMap<String, Vec<String>> = HashMap::new();
    let mut context = Context::default();
    let mut context_seen = false;
    let mut cues = Cues::default();
    for (name, raw) in &parsed {
        loader.file = name.clone();
        for (lex_name, lex) in &raw.lexicon {
            let terms = lex
                .get_ref()
                .terms
                .iter()
                .map(|t| t.get_ref().clone())
                .collect();
            if lexicons.insert(lex_name.clone(), terms).is_some() {
                loader.error(
                    Some(lex.span()),
                    format!("lexicon `{lex_name}` is defined twice"),
                    "second definition",
                );
            }
        }
        for (class, lex) in &raw.classes {
            if cues.classes.iter().any(|(c, _)| c == class) {
                loader.error(
                    Some(lex.span()),
                    format!("cues for class `{}` are defined twice", class.as_str()),
                    "second definition",
                );
            }
            cues.classes
                .push((*class, expand_plain(&lex.get_ref().terms)));
        }
        for (route, lex) in &raw.routes {
            if cues.routes.iter().any(|(r, _)| r == route) {
                loader.error(
                    Some(lex.span()),
                    format!("cues for route `{}` are defined twice", route.as_str()),
                    "second definition",
                );
            }
            cues.routes
                .push((*route, expand_plain(&lex.get_ref().terms)));
        }
        if let Some(ctx) = &raw.context {
            if context_seen {
                loader.error(
                    Some(ctx.span()),
                    "[context] is defined twice",
                    "second definition",
                );
            }
            context_seen = true;
            let ctx = ctx.get_ref();
            context.negators = expand_plain(&ctx.negators);
            context.neutral = expand_plain(&ctx.neutral);
            context.descriptive_subjects = expand_plain(&ctx.descriptive_subjects);
            context.customer_cues = expand_plain(&ctx.customer_cues);
            context.cautions = expand_plain(&ctx.cautions);
            context.reported = expand_plain(&ctx.reported);
            context.hedges = expand_plain(&ctx.hedges);
            context.attributions = expand_plain(&ctx.attributions);
            context.compound_heads = expand_plain(&ctx.compound_heads);
        }
    }

    let mut evidence = Vec::new();
    let mut evidence_index = HashMap::new();
    let mut regulations = Vec::new();
    let mut regulation_index = HashMap::new();
    for (name, raw) in &parsed {
        loader.file = name.clone();
        for e in &raw.evidence {
            let entry = evidence_entry(&mut loader, e.get_ref());
            if evidence_index
                .insert(entry.id.clone(), evidence.len())
                .is_some()
                || regulation_index.contains_key(&entry.id)
            {
                loader.error(
                    Some(e.get_ref().id.span()),
                    format!("duplicate source id `{}`", entry.id),
                    "already defined",
                );
            }
            evidence.push(entry);
        }
        for r in &raw.regulation {
            let entry = regulation_entry(&mut loader, r.get_ref());
            if regulation_index
                .insert(entry.id.clone(), regulations.len())
                .is_some()
                || evidence_index.contains_key(&entry.id)
            {
                loader.error(
                    Some(r.get_ref().id.span()),
                    format!("duplicate source id `{}`", entry.id),
                    "already defined",
                );
            }
            regulations.push(entry);
        }
    }

    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_index = HashMap::new();
    let refs = Refs {
        lexicons: &lexicons,
        evidence: &evidence_index,
        regulations: &regulation_index,
    };
    // Each rule is read on its own, in parallel (expanding its terms and parsing its regexes
    // are most of the loading time); its errors are then reported in file order.
    let raw_rules: Vec<(&String, &Spanned<RawRule>)> = parsed
        .iter()
        .flat_map(|(name, raw)| raw.rule.iter().map(move |r| (name, r)))
        .collect();
    let entries: Vec<(Option<Rule>, Vec<PackError>)> = raw_rules
        .par_iter()
        .map(|&(name, raw_rule)| {
            let mut own = Loader {
                errors: PackErrors::default(),
                file: name.clone(),
                compile,
            };
            let rule = rule_entry(&mut own, raw_rule, &refs);
            (rule, own.errors.errors)
        })
        .collect();
    for ((name, raw_rule), (rule, errors)) in raw_rules.into_iter().zip(entries) {
        loader.file = name.clone();
        loader.errors.errors.extend(errors);
        if let Some(rule) = rule {
            if rule_index.contains_key(&rule.id) {
                loader.error(
                    Some(raw_rule.get_ref().id.span()),
                    format!("duplicate rule id `{}`", rule.id),
                    "already defined",
                );
                continue;
            }
            rule_index.insert(rule.id.clone(), rules.len());
            rules.push(rule);
        }
    }

    if rules.is_empty() && loader.errors.is_empty() && !files.is_empty() {
        loader.file = files[0].0.clone();
        loader.error(
            None,
            "the pack defines no rules: every file is empty or holds only evidence, regulations or lexicons",
            "",
        );
    }
    if loader.errors.is_empty() {
        Ok(RulePack {
            rules,
            evidence,
            regulations,
            context,
            cues,
            rule_index,
        })
    } else {
        // The files' texts, to show the errors in.
        for (name, text) in files {
            loader.errors.sources.insert(name.clone(), text.clone());
        }
        Err(loader.errors)
    }
}

struct Refs<'a> {
    lexicons: &'a HashMap<String, Vec<String>>,
    evidence: &'a HashMap<String, usize>,
    regulations: &'a HashMap<String, usize>,
}

fn expand_plain(terms: &[Spanned<String>]) -> Vec<String> {
    terms
        .iter()
        .flat_map(|t| terms::expand(t.get_ref()))
        .collect()
}

/// Expands `@lexicon` includes and `~` markers; unknown lexicons and empty terms are errors.
fn expand_terms(
    loader: &mut Loader,
    terms: &[Spanned<String>],
    lexicons: &HashMap<String, Vec<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for term in terms {
        let text = term.get_ref().trim();
        if let Some(name) = text.strip_prefix('@') {
            match lexicons.get(name) {
                Some(list) => out.extend(list.iter().flat_map(|t| terms::expand(t))),
                None => loader.error(
                    Some(term.span()),
                    format!("unknown lexicon `{name}`"),
                    "no [lexicon.NAME] with this name in the pack",
                ),
            }
        } else if text.is_empty() || !text.chars().any(char::is_alphanumeric) {
            loader.error(
                Some(term.span()),
                "empty term",
                "a term needs a letter or digit",
            );
        } else {
            out.extend(terms::expand(text));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn rule_entry(loader: &mut Loader, spanned: &Spanned<RawRule>, refs: &Refs<'_>) -> Option<Rule> {
    let raw = spanned.get_ref();
    let id = raw.id.get_ref().clone();
    if !valid_rule_id(&id) {
        loader.error(
            Some(raw.id.span()),
            format!("invalid rule id `{id}`"),
            "ids are lowercase `area.what`, e.g. `hair.regrowth`",
        );
    }
    let rule_span = Some(raw.id.span());
    for (field, value) in [
        ("message", &raw.message),
        ("rationale", &raw.rationale),
        ("suggestion", &raw.suggestion),
    ] {
        if value.trim().is_empty() {
            loader.error(
                rule_span.clone(),
                format!("rule `{id}` has an empty `{field}`"),
                "this rule",
            );
        }
    }
    let phrases = expand_terms(loader, &raw.phrases, refs.lexicons);
    let exceptions = expand_terms(loader, &raw.exceptions, refs.lexicons);
    let mut patterns = Vec::new();
    for p in &raw.patterns {
        // Parsed to validate it (compiled too for a user's files); the engine compiles each
        // regex the first time a text needs it.
        match parse_pattern(p.get_ref()) {
            Ok(hir) => {
                if (loader.compile)(&loader.file)
                    && let Err(err) = regex_automata::meta::Regex::builder().build_from_hir(&hir)
                {
                    loader.error(
                        Some(p.span()),
                        format!("regex in rule `{id}` cannot be compiled"),
                        &one_line(&err.to_string()),
                    );
                    continue;
                }
                patterns.push(p.get_ref().clone());
            }
            Err(err) => loader.error(
                Some(p.span()),
                format!("invalid regex in rule `{id}`"),
                &one_line(&err),
            ),
        }
    }
    let composite = raw.composite.as_ref().map(|c| {
        let c = c.get_ref();
        Composite {
            actions: expand_terms(loader, &c.actions, refs.lexicons),
            targets: expand_terms(loader, &c.targets, refs.lexicons),
            actions_written: c.actions.iter().map(|t| t.get_ref().clone()).collect(),
            targets_written: c.targets.iter().map(|t| t.get_ref().clone()).collect(),
            max_gap: c.max_gap.unwrap_or(6),
        }
    });
    if let Some(c) = &raw.composite {
        let inner = c.get_ref();
        if inner.actions.is_empty() || inner.targets.is_empty() {
            loader.error(
                Some(c.span()),
                format!("composite of rule `{id}` needs actions and targets"),
                "both lists must be non-empty",
            );
        }
    }
    if raw.phrases.is_empty() && raw.patterns.is_empty() && raw.composite.is_none() {
        loader.error(
            rule_span.clone(),
            format!("rule `{id}` matches nothing"),
            "add `phrases`, `patterns` or `[rule.composite]`",
        );
    }

    let mut evidence = Vec::new();
    for e in &raw.evidence {
        let inner = e.get_ref();
        let mut sources = Vec::new();
        for s in &inner.sources {
            match resolve_source(s.get_ref(), refs) {
                Some(r) => sources.push(r),
                None => loader.error(
                    Some(s.span()),
                    format!("unknown source `{}` in rule `{id}`", s.get_ref()),
                    "not an id in evidence.toml or regulations.toml",
                ),
            }
        }
        if inner.sources.is_empty() {
            loader.error(
                Some(e.span()),
                format!("evidence of rule `{id}` cites no source"),
                "add `sources`",
            );
        }
        evidence.push(RuleEvidence {
            class: inner.class,
            level: inner.level,
            sources,
            summary: prose(&inner.summary),
        });
    }
    let generic = evidence.iter().filter(|e| e.class.is_none()).count();
    if generic != 1 {
        loader.error(
            rule_span.clone(),
            format!("rule `{id}` needs exactly one generic [[rule.evidence]] (without `class`), found {generic}"),
            "this rule",
        );
    }
    let mut seen_classes = HashSet::new();
    for (e, raw_e) in evidence.iter().zip(&raw.evidence) {
        if let Some(class) = e.class
            && !seen_classes.insert(class)
        {
            loader.error(
                Some(raw_e.span()),
                format!(
                    "rule `{id}` has two evidence entries for class `{}`",
                    class.as_str()
                ),
                "duplicate class",
            );
        }
    }

    let mut regulatory = Vec::new();
    let mut seen_jurisdictions = HashSet::new();
    for n in &raw.regulatory {
        let inner = n.get_ref();
        if !seen_jurisdictions.insert(inner.jurisdiction) {
            loader.error(
                Some(n.span()),
                format!("rule `{id}` has two notes for `{}`", inner.jurisdiction),
                "one note per jurisdiction",
            );
        }
        let mut note_refs = Vec::new();
        for r in &inner.refs {
            match refs.regulations.get(r.get_ref()) {
                Some(&i) => note_refs.push(i),
                None => loader.error(
                    Some(r.span()),
                    format!("unknown regulation `{}` in rule `{id}`", r.get_ref()),
                    "not an id in regulations.toml",
                ),
            }
        }
        if inner.refs.is_empty() {
            loader.error(
                Some(n.span()),
                format!("a note of rule `{id}` cites nothing"),
                "add `refs`",
            );
        }
        check_date(loader, &inner.reviewed);
        regulatory.push(Note {
            jurisdiction: inner.jurisdiction,
            note: prose(&inner.note),
            refs: note_refs,
            reviewed: inner.reviewed.get_ref().clone(),
        });
    }
    if regulatory.is_empty() {
        loader.error(
            rule_span.clone(),
            format!("rule `{id}` has no regulatory note"),
            "add a [[rule.regulatory]] entry",
        );
    }

    let examples = match &raw.examples {
        Some(ex) => {
            let inner = ex.get_ref();
            if inner.fire.is_empty() || inner.pass.is_empty() {
                loader.error(
                    Some(ex.span()),
                    format!("rule `{id}` needs examples that fire and examples that pass"),
                    "both `fire` and `pass` must be non-empty",
                );
            }
            Examples {
                fire: inner.fire.iter().map(|s| s.get_ref().clone()).collect(),
                pass: inner.pass.iter().map(|s| s.get_ref().clone()).collect(),
            }
        }
        None => {
            loader.error(
                rule_span.clone(),
                format!("rule `{id}` has no examples"),
                "add [rule.examples] with `fire` and `pass`",
            );
            Examples::default()
        }
    };

    if evidence.is_empty() {
        return None;
    }
    Some(Rule {
        id,
        category: raw.category,
        severity: raw.severity,
        message: prose(&raw.message),
        rationale: prose(&raw.rationale),
        suggestion: prose(&raw.suggestion),
        phrases,
        phrases_written: raw.phrases.iter().map(|t| t.get_ref().clone()).collect(),
        patterns,
        exceptions,
        composite,
        evidence,
        regulatory,
        examples,
        file: loader.file.clone(),
    })
}

fn resolve_source(id: &str, refs: &Refs<'_>) -> Option<SourceRef> {
    refs.evidence
        .get(id)
        .map(|&i| SourceRef::Evidence(i))
        .or_else(|| refs.regulations.get(id).map(|&i| SourceRef::Regulation(i)))
}

fn valid_rule_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let ok_part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('-')
            && !p.ends_with('-')
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let first = parts.next().is_some_and(ok_part);
    let rest: Vec<&str> = parts.collect();
    first && !rest.is_empty() && rest.iter().all(|p| ok_part(p))
}

/// Parses a pack regex as the engine compiles it (with ASCII word boundaries).
pub fn parse_pattern(pattern: &str) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::Parser::new()
        .parse(&ascii_word_escapes(pattern))
        .map_err(|e| e.to_string())
}

/// Word boundaries and word characters in pack regexes are ASCII: a Unicode `\b` keeps the regex
/// engine off its fast automata on any non-ASCII text (a hundred times slower on large files),
/// and a Unicode `\w` is a class of hundreds of ranges that makes each regex slower to compile
/// and its automaton larger. The text the patterns see is normalized, lowercase copy; no
/// Japanese pattern uses these escapes. `\d` stays as written: as `[0-9]` its ten digits would
/// become the prefixes of many regexes.
pub fn ascii_word_escapes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside a bracketed class (nested `[[:word:]]` counts as one level deeper).
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('b' | 'B')) if class_depth == 0 => {
                    out.push_str("(?-u:\\");
                    out.push(e);
                    out.push(')');
                }
                Some('w') if class_depth == 0 => out.push_str("[0-9A-Za-z_]"),
                Some('w') => out.push_str("0-9A-Za-z_"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Prose fields are written as wrapped TOML strings; the model keeps them as single-spaced text
/// so every output format can wrap them its own way.
fn prose(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_date(loader: &mut Loader, date: &Spanned<String>) {
    let d = date.get_ref();
    let ok = d.len() == 10
        && d.as_bytes().iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok {
        loader.error(
            Some(date.span()),
            format!("invalid date `{d}`"),
            "expected YYYY-MM-DD",
        );
    }
}

fn check_id_shape(
    loader: &mut Loader,
    value: &Option<Spanned<String>>,
    kind: &str,
) -> Option<String> {
    let v = value.as_ref()?;
    let s = v.get_ref().trim();
    let ok = match kind {
        "pmid" => !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
        "doi" => s.starts_with("10.") && s.contains('/') && !s.contains(' '),
        "pmcid" => s
            .strip_prefix("PMC")
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())),
        "nct" => s
            .strip_prefix("NCT")
            .is_some_and(|d| d.len() == 8 && d.chars().all(|c| c.is_ascii_digit())),
        _ => is_url(s),
    };
    if !ok {
        let expected = match kind {
            "pmid" => "a PMID is digits only",
            "doi" => "a DOI starts with `10.` and has a `/`",
            "pmcid" => "a PMCID is `PMC` and digits",
            "nct" => "an NCT number is `NCT` and 8 digits",
            _ => "a URL starts with http:// or https://",
        };
        loader.error(Some(v.span()), format!("invalid {kind} `{s}`"), expected);
        return None;
    }
    Some(s.to_owned())
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && s.len() > 10
}

fn evidence_entry(loader: &mut Loader, raw: &RawEvidence) -> Evidence {
    check_date(loader, &raw.reviewed);
    let pmid = check_id_shape(loader, &raw.pmid, "pmid");
    let doi = check_id_shape(loader, &raw.doi, "doi");
    let pmcid = check_id_shape(loader, &raw.pmcid, "pmcid");
    let nct = check_id_shape(loader, &raw.nct, "nct");
    let url = check_id_shape(loader, &raw.url, "url");
    for u in &raw.other_urls {
        check_id_shape(loader, &Some(u.clone()), "url");
    }
    if raw.pmid.is_none()
        && raw.doi.is_none()
        && raw.pmcid.is_none()
        && raw.nct.is_none()
        && raw.url.is_none()
    {
        loader.error(
            Some(raw.id.span()),
            format!("source `{}` has no identifier", raw.id.get_ref()),
            "add a pmid, doi, pmcid, nct or url",
        );
    }
    Evidence {
        id: raw.id.get_ref().clone(),
        authors: raw.authors.clone(),
        title: raw.title.clone(),
        journal: raw.journal.clone(),
        year: raw.year,
        study_type: raw.study_type.clone(),
        size: raw.size.clone(),
        pmid,
        doi,
        pmcid,
        nct,
        url,
        finding: prose(&raw.finding),
        grade: raw.grade,
        verification: raw.verification,
        reviewed: raw.reviewed.get_ref().clone(),
    }
}

fn regulation_entry(loader: &mut Loader, raw: &RawRegulation) -> Regulation {
    check_date(loader, &raw.reviewed);
    let url = check_id_shape(loader, &Some(raw.url.clone()), "url").unwrap_or_default();
    for u in &raw.other_urls {
        check_id_shape(loader, &Some(u.clone()), "url");
    }
    Regulation {
        id: raw.id.get_ref().clone(),
        jurisdiction: raw.jurisdiction,
        instrument: raw.instrument.clone(),
        title: raw.title.clone(),
        url,
        summary: prose(&raw.summary),
        verification: raw.verification,
        reviewed: raw.reviewed.get_ref().clone(),
    }
}

/// Reads every `*.toml` file of a folder, sorted by name.
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<(String, String)>, PackErrors> {
    let mut errors = PackErrors::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(err) => {
            errors.errors.push(PackError {
                file: dir.display().to_string(),
                span: None,
                message: format!(
                    "cannot read rule folder: {}",
                    crate::source::walk::describe_io(&err)
                ),
                label: String::new(),
            });
            return Err(errors);
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        errors.errors.push(PackError {
            file: dir.display().to_string(),
            span: None,
            message: "the rule folder holds no .toml files".to_owned(),
            label: String::new(),
        });
        return Err(errors);
    }
    let mut files = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match crate::source::settings_file::read_text(&path) {
            Ok(text) => files.push((name, text)),
            Err(message) => errors.errors.push(PackError {
                file: name,
                span: None,
                message,
                label: String::new(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::ascii_word_escapes as ascii;

    #[test]
    fn word_escapes_become_ascii_inside_and_outside_classes() {
        assert_eq!(ascii(r"\bheal\w*\b"), r"(?-u:\b)heal[0-9A-Za-z_]*(?-u:\b)");
        assert_eq!(ascii(r"(?:[\w-]+ ){0,5}"), r"(?:[0-9A-Za-z_-]+ ){0,5}");
        // A class that opens with `]` or `^]`, a nested class, and escaped backslashes.
        assert_eq!(ascii(r"[]\w][^]\w]"), r"[]0-9A-Za-z_][^]0-9A-Za-z_]");
        assert_eq!(
            ascii(r"[[:alpha:]\w]\w"),
            r"[[:alpha:]0-9A-Za-z_][0-9A-Za-z_]"
        );
        assert_eq!(ascii(r"\\w\d\S[。\n]"), r"\\w\d\S[。\n]");
        // Every result still parses as the same kind of regex.
        for p in [r"[]\w]+", r"[^]\w]", r"x[[:alpha:]\w]\b"] {
            assert!(regex_syntax::Parser::new().parse(&ascii(p)).is_ok(), "{p}");
        }
    }
}
