//! Configuration files: `claimlint.toml` (or `.claimlint.toml`), found by walking up from each
//! checked file, or named with `--config`.
//!
//! The nearest file applies, whole (files are not merged: a nested config is the complete
//! configuration for its folder). Globs and paths in a file are relative to its folder. A file
//! holds top-level settings and `[[overrides]]` for some paths, applied in order; the command
//! line wins over both. Errors name the file, line and column and render like compiler errors.

mod raw;
pub mod resolve;

use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Serialize;
use toml::Spanned;

use crate::judge::{Genre, ProductType};
use crate::rules::{ErrorSubject, Jurisdiction, PackError, PackErrors, RulePack, Severity};
use crate::source::Format;
use raw::{RawConfig, RawOverride};

pub use resolve::{FileSettings, Resolver};

/// The names a configuration file may have, in the order they are looked for in a folder.
pub const CONFIG_NAMES: [&str; 2] = ["claimlint.toml", ".claimlint.toml"];

/// What a `[rules]` entry does to the rules it selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    /// Not reported.
    Off,
    /// Reported (turns back on a rule an earlier setting turned off).
    On,
    /// Reported at this severity.
    #[serde(untagged)]
    Severity(Severity),
}

/// One `[rules]` entry: a rule id or a category, and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetting {
    pub selector: String,
    pub action: RuleAction,
    /// Where the selector is written, to report one the pack does not know.
    span: Range<usize>,
}

/// Settings that the top level and each override may set.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    pub product: Option<ProductType>,
    pub genre: Option<Genre>,
    pub fail_on: Option<Severity>,
    pub rules: Vec<RuleSetting>,
}

/// A set of globs, with the patterns as written.
#[derive(Debug, Clone)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// Whether a path relative to the config's folder (with `/` separators) matches.
    pub fn is_match(&self, relative: &str) -> bool {
        self.set.is_match(relative)
    }

    fn empty() -> Globs {
        Globs {
            patterns: Vec::new(),
            set: GlobSet::empty(),
        }
    }
}

/// A `[[overrides]]` entry.
#[derive(Debug, Clone)]
pub struct Override {
    pub paths: Globs,
    pub layer: Layer,
}

/// A validated configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The folder globs and relative paths are resolved from.
    pub dir: PathBuf,
    /// The file's text, to point at its values in later errors.
    text: String,
    pub base: Layer,
    pub include: Option<Globs>,
    pub exclude: Globs,
    pub rule_dirs: Vec<PathBuf>,
    /// File-type mappings, in the order written; the first match wins.
    pub types: Vec<(Globs, Format)>,
    pub copy_keys: Option<Vec<String>>,
    pub claims: Option<PathBuf>,
    pub overrides: Vec<Override>,
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, PackErrors> {
        let name = path.display().to_string();
        let text = crate::source::settings_file::read_text(path)
            .map_err(|message| single(&name, None, String::new(), message))?;
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Config::parse(&name, text, dir, path.to_path_buf())
    }

    /// Validates the text of a configuration file named `name`, whose paths are relative to
    /// `dir`.
    pub fn parse(
        name: &str,
        text: String,
        dir: PathBuf,
        path: PathBuf,
    ) -> Result<Config, PackErrors> {
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                let message = e.message().to_owned();
                return Err(single(name, e.span(), text, message));
            }
        };
        let mut v = Validator {
            name,
            errors: Vec::new(),
        };
        let base = v.layer(
            raw.jurisdictions.as_ref(),
            raw.product.as_ref(),
            raw.genre.as_ref(),
            raw.fail_on.as_ref(),
            &raw.rules,
        );
        let include = raw.include.as_ref().map(|g| v.globs(g));
        let exclude = v.globs(&raw.exclude);
        let types = raw
            .types
            .iter()
            .filter_map(|(glob, ty)| {
                let format = v.file_type(ty)?;
                Some((v.globs(std::slice::from_ref(glob)), format))
            })
            .collect();
        let overrides = raw.overrides.iter().map(|o| v.override_entry(o)).collect();
        let errors = v.errors;
        if !errors.is_empty() {
            return Err(with_source(errors, name, text));
        }
        Ok(Config {
            base,
            include,
            exclude,
            rule_dirs: raw
                .rule_dirs
                .iter()
                .map(|d| dir.join(d.get_ref()))
                .collect(),
            types,
            copy_keys: raw
                .copy_keys
                .map(|keys| keys.into_iter().map(|k| k.into_inner()).collect()),
            claims: raw.claims.map(|c| dir.join(c.get_ref())),
            overrides,
            path,
            dir,
            text,
        })
    }

    /// Every `[rules]` selector that is neither a rule id nor a category of `pack`.
    pub fn check_rules(&self, pack: &RulePack) -> Result<(), PackErrors> {
        let layers = std::iter::once(&self.base).chain(self.overrides.iter().map(|o| &o.layer));
        let errors: Vec<PackError> = layers
            .flat_map(|layer| &layer.rules)
            .filter(|s| !selects_anything(pack, &s.selector))
            .map(|s| PackError {
                file: self.path.display().to_string(),
                span: Some(s.span.clone()),
                message: format!("unknown rule or category `{}`", s.selector),
                label: "not a rule id or category of the rule pack".to_owned(),
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(with_source(
                errors,
                &self.path.display().to_string(),
                self.text.clone(),
            ))
        }
    }

    /// The path of `file` relative to this config's folder, with `/` separators, if it is inside.
    pub fn relative(&self, file: &Path) -> Option<String> {
        let file = std::path::absolute(file).ok()?;
        let dir = std::path::absolute(&self.dir).ok()?;
        let rel = file.strip_prefix(&dir).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Some(parts.join("/"))
    }
}

/// Whether a selector names a rule or a category of the pack.
pub fn selects_anything(pack: &RulePack, selector: &str) -> bool {
    pack.rules.iter().any(|r| selects(r, selector))
}

/// Whether a selector selects `rule`: its id (`hair.regrowth`), the group its id starts with
/// (`hair`), or its category (`hair-growth`).
pub fn selects(rule: &crate::rules::Rule, selector: &str) -> bool {
    rule.id == selector
        || rule.category.as_str() == selector
        || rule
            .id
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn single(name: &str, span: Option<Range<usize>>, text: String, message: String) -> PackErrors {
    with_source(
        vec![PackError {
            file: name.to_owned(),
            span,
            message,
            label: String::new(),
        }],
        name,
        text,
    )
}

fn with_source(errors: Vec<PackError>, name: &str, text: String) -> PackErrors {
    let mut all = PackErrors {
        subject: ErrorSubject::Config,
        errors,
        ..PackErrors::default()
    };
    all.sources.insert(name.to_owned(), text);
    all
}

struct Validator<'a> {
    name: &'a str,
    errors: Vec<PackError>,
}

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, message: String, label: &str) {
        self.errors.push(PackError {
            file: self.name.to_owned(),
            span: Some(span),
            message,
            label: label.to_owned(),
        });
    }

    /// A setting that must be one of a few names: parsed, or an error at its span saying which
    /// names are known.
    fn known<T>(
        &mut self,
        value: Option<&Spanned<String>>,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let value = value?;
        let parsed = parse(value.get_ref());
        if parsed.is_none() {
            self.error(
                value.span(),
                format!("unknown {what} `{}`", value.get_ref()),
                &format!("expected one of: {expected}"),
            );
        }
        parsed
    }

    fn layer(
        &mut self,
        jurisdictions: Option<&Spanned<Vec<Spanned<String>>>>,
        product: Option<&Spanned<String>>,
        genre: Option<&Spanned<String>>,
        fail_on: Option<&Spanned<String>>,
        rules: &std::collections::BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Layer {
        let jurisdictions = jurisdictions.map(|list| {
            list.get_ref()
                .iter()
                .filter_map(|j| {
                    let parsed = Jurisdiction::parse(j.get_ref());
                    if parsed.is_none() {
                        let all: Vec<&str> = Jurisdiction::ALL.iter().map(|j| j.as_str()).collect();
                        self.error(
                            j.span(),
                            format!("unknown jurisdiction `{}`", j.get_ref()),
                            &format!("expected one of: {}", all.join(", ")),
                        );
                    }
                    parsed
                })
                .collect()
        });
        let product = self.known(
            product,
            "product type",
            parse_product,
            "cosmetic, clinic, supplement, device, drug",
        );
        let genres = {
            use clap::ValueEnum;
            let names: Vec<&str> = Genre::value_variants().iter().map(|g| g.as_str()).collect();
            names.join(", ")
        };
        let genre = self.known(
            genre,
            "genre",
            |g| {
                use clap::ValueEnum;
                Genre::from_str(g, true).ok()
            },
            &genres,
        );
        let fail_on = self.known(fail_on, "severity", parse_severity, "error, warning, info");
        let rules = rules
            .iter()
            .filter_map(|(selector, action)| {
                let parsed = match action.get_ref().as_str() {
                    "off" => Some(RuleAction::Off),
                    "on" => Some(RuleAction::On),
                    other => parse_severity(other).map(RuleAction::Severity),
                };
                if parsed.is_none() {
                    self.error(
                        action.span(),
                        format!("unknown rule setting `{}`", action.get_ref()),
                        "expected one of: off, on, error, warning, info",
                    );
                }
                Some(RuleSetting {
                    selector: selector.get_ref().clone(),
                    action: parsed?,
                    span: selector.span(),
                })
            })
            .collect();
        Layer {
            jurisdictions,
            product,
            genre,
            fail_on,
            rules,
        }
    }

    fn globs(&mut self, patterns: &[Spanned<String>]) -> Globs {
        let mut set = GlobSetBuilder::new();
        let mut written = Vec::new();
        for pattern in patterns {
            for expanded in expand_glob(pattern.get_ref()) {
                match GlobBuilder::new(&expanded).literal_separator(true).build() {
                    Ok(glob) => {
                        set.add(glob);
                    }
                    Err(e) => {
                        self.error(
                            pattern.span(),
                            format!("invalid glob `{}`", pattern.get_ref()),
                            &e.kind().to_string(),
                        );
                        break;
                    }
                }
            }
            written.push(pattern.get_ref().clone());
        }
        match set.build() {
            Ok(set) => Globs {
                patterns: written,
                set,
            },
            Err(_) => Globs::empty(),
        }
    }

    fn file_type(&mut self, ty: &Spanned<String>) -> Option<Format> {
        let format = match ty.get_ref().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "mdx" => Some(Format::Mdx),
            "html" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "yaml" => Some(Format::Yaml),
            _ => None,
        };
        if format.is_none() {
            self.error(
                ty.span(),
                format!("unknown file type `{}`", ty.get_ref()),
                "expected one of: md, mdx, html, txt, json, yaml",
            );
        }
        format
    }

    fn override_entry(&mut self, entry: &Spanned<RawOverride>) -> Override {
        let o = entry.get_ref();
        if o.paths.get_ref().is_empty() {
            self.error(
                o.paths.span(),
                "an override needs at least one path glob".to_owned(),
                "empty list",
            );
        }
        Override {
            paths: self.globs(o.paths.get_ref()),
            layer: self.layer(
                o.jurisdictions.as_ref(),
                o.product.as_ref(),
                o.genre.as_ref(),
                o.fail_on.as_ref(),
                &o.rules,
            ),
        }
    }
}

/// A glob as gitignore reads it: without a `/` it matches at any depth, a trailing `/` is a
/// folder, and a folder's glob also matches everything inside it.
fn expand_glob(pattern: &str) -> Vec<String> {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = match trimmed.strip_prefix('/') {
        Some(rest) => rest.to_owned(),
        None if !trimmed.contains('/') => format!("**/{trimmed}"),
        None => trimmed.to_owned(),
    };
    vec![anchored.clone(), format!("{anchored}/**")]
}

pub fn parse_product(s: &str) -> Option<ProductType> {
    use clap::ValueEnum;
    ProductType::from_str(s, true).ok()
}

pub fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        // `warn` is what ruff, ESLint and many other tools call it.
        "warning" | "warn" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, PackErrors> {
        Config::parse(
            "claimlint.toml",
            text.to_owned(),
            PathBuf::from("/site"),
            PathBuf::from("/site/claimlint.toml"),
        )
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            r#"
jurisdictions = ["us", "jp"]
product = "cosmetic"
fail-on = "error"
include = ["content/**/*.md"]
exclude = ["drafts/", "*.tmp.md"]
rule-dirs = ["house-rules"]
copy-keys = ["title", "body"]
claims = "compliance/claims.toml"
[rules]
"hair.regrowth" = "off"
marketing = "info"
[types]
"*.njk" = "html"
[[overrides]]
paths = ["blog/**"]
product = "clinic"
rules = { "hair.regrowth" = "on" }
"#,
        )
        .unwrap();
        assert_eq!(
            c.base.jurisdictions,
            Some(vec![Jurisdiction::Us, Jurisdiction::Jp])
        );
        assert_eq!(c.base.product, Some(ProductType::Cosmetic));
        assert_eq!(c.base.fail_on, Some(Severity::Error));
        assert!(c.include.as_ref().unwrap().is_match("content/a/b.md"));
        assert!(c.exclude.is_match("drafts/x/y.md"));
        assert!(c.exclude.is_match("deep/page.tmp.md"));
        assert!(!c.exclude.is_match("content/page.md"));
        assert_eq!(c.rule_dirs, [PathBuf::from("/site/house-rules")]);
        assert_eq!(
            c.claims,
            Some(PathBuf::from("/site/compliance/claims.toml"))
        );
        assert_eq!(c.base.rules.len(), 2);
        assert_eq!(c.types[0].1, Format::Html);
        assert!(c.types[0].0.is_match("layouts/page.njk"));
        assert!(c.overrides[0].paths.is_match("blog/2024/post.md"));
        assert_eq!(c.overrides[0].layer.rules[0].action, RuleAction::On);
    }

    #[test]
    fn errors_point_at_the_value() {
        let errors = parse("product = \"cosmetics\"\nfail-on = \"warnings\"\n").unwrap_err();
        assert_eq!(
            errors.short(),
            [
                "claimlint.toml:1:11: unknown product type `cosmetics`",
                "claimlint.toml:2:11: unknown severity `warnings`",
            ]
        );
        // `warn` is accepted for `warning`.
        assert_eq!(
            parse("fail-on = \"warn\"\n").unwrap().base.fail_on,
            Some(Severity::Warning)
        );
        let errors = parse("[rules]\nx = 1\n").unwrap_err();
        assert_eq!(errors.errors.len(), 1);
        assert!(
            errors.short()[0].starts_with("claimlint.toml:2:5:"),
            "{:?}",
            errors.short()
        );
        let errors = parse("\n\nunknown-key = true\n").unwrap_err();
        assert!(errors.short()[0].starts_with("claimlint.toml:3:1: unknown field `unknown-key`"));
        let errors = parse("exclude = [\"a/[b\"]\n").unwrap_err();
        assert!(errors.short()[0].starts_with("claimlint.toml:1:12: invalid glob"));
    }

    #[test]
    fn an_unknown_genre_names_its_position() {
        let errors = parse("genre = \"blog\"\n").unwrap_err();
        let text = format!("{errors:?}");
        assert!(text.contains("unknown genre `blog`"), "{text}");
    }
}
