//! `RawConfig`: the serde mirror of `claimlint.toml`, exactly as written, with the span of every
//! value validation may need to point at. Unknown keys are errors (toml reports their span).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// Jurisdictions whose notes are shown.
    pub jurisdictions: Option<Spanned<Vec<Spanned<String>>>>,
    /// What the copy sells.
    pub product: Option<Spanned<String>>,
    /// What kind of document the copy is: marketing, editorial, research or regulatory.
    pub genre: Option<Spanned<String>>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<Spanned<String>>,
    /// Globs of files to check when walking folders (default: the known extensions).
    pub include: Option<Vec<Spanned<String>>>,
    /// Globs of files and folders never checked.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Rule settings: rule id or category → `off`, `on`, `error`, `warning` or `info`.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Folders of extra rule-pack TOML files, added to the embedded pack.
    #[serde(default)]
    pub rule_dirs: Vec<Spanned<String>>,
    /// File-type mappings: glob → `md`, `mdx`, `html`, `txt`, `json` or `yaml`.
    #[serde(default)]
    pub types: BTreeMap<Spanned<String>, Spanned<String>>,
    /// The keys whose values are copy in front matter, JSON and YAML.
    pub copy_keys: Option<Vec<Spanned<String>>>,
    /// The approved-claims register.
    pub claims: Option<Spanned<String>>,
    /// Settings for some paths only, applied in order after the top-level ones.
    #[serde(default)]
    pub overrides: Vec<Spanned<RawOverride>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOverride {
    pub paths: Spanned<Vec<Spanned<String>>>,
    pub jurisdictions: Option<Spanned<Vec<Spanned<String>>>>,
    pub product: Option<Spanned<String>>,
    pub genre: Option<Spanned<String>>,
    pub fail_on: Option<Spanned<String>>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<String>>,
}
