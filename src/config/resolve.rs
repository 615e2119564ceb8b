//! Which configuration applies to a file, and what it says for that file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::{CONFIG_NAMES, Config, RuleAction, RuleSetting};
use crate::judge::ProductType;
use crate::rules::{Jurisdiction, PackErrors, Rule, Severity};
use crate::source::Format;
use crate::source::extract::DEFAULT_EXTENSIONS;

/// Finds the configuration of each file: the one named with `--config`, or the nearest
/// `claimlint.toml`/`.claimlint.toml` in the file's folder or above it. Each file is read once.
#[derive(Debug, Default)]
pub struct Resolver {
    explicit: Option<Arc<Config>>,
    /// Nothing is discovered (`--no-config`).
    isolated: bool,
    /// Folder → the config that applies in it (`None`: none found up to the root).
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Config files that failed to load, with their errors (reported once).
    failed: HashMap<PathBuf, Arc<PackErrors>>,
    /// The working folder, asked once (`None`: it could not be read).
    cwd: std::sync::OnceLock<Option<PathBuf>>,
}

/// A config that failed to load, for a file under it.
#[derive(Debug, Clone)]
pub struct Broken {
    pub path: PathBuf,
    pub errors: Arc<PackErrors>,
    /// True the first time this config is met (its errors are to be shown then).
    pub first: bool,
}

impl Resolver {
    /// A resolver that uses `explicit` for every file, discovers configs when it is `None`, or
    /// uses none at all when `isolated`.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> Result<Resolver, PackErrors> {
        let explicit = match explicit {
            Some(path) => Some(Arc::new(Config::load(path)?)),
            None => None,
        };
        Ok(Resolver {
            explicit,
            isolated,
            ..Resolver::default()
        })
    }

    /// The configuration for `path` (a file or a folder).
    pub fn config_for(&mut self, path: &Path) -> Result<Option<Arc<Config>>, Broken> {
        self.config_of(path, path.is_dir())
    }

    /// The configuration for `file`, known not to be a folder: no system call when its folder
    /// was met before (a walk of 20,000 files asked for its working folder and the type of
    /// each file: about 40,000 calls).
    pub fn config_for_file(&mut self, file: &Path) -> Result<Option<Arc<Config>>, Broken> {
        self.config_of(file, false)
    }

    fn config_of(&mut self, path: &Path, is_dir: bool) -> Result<Option<Arc<Config>>, Broken> {
        if self.isolated {
            return Ok(None);
        }
        if let Some(config) = &self.explicit {
            return Ok(Some(config.clone()));
        }
        let absolute = if path.is_absolute() {
            std::path::absolute(path)
        } else {
            match self.cwd.get_or_init(|| std::env::current_dir().ok()) {
                Some(cwd) => std::path::absolute(cwd.join(path)),
                None => std::path::absolute(path),
            }
        };
        let Ok(absolute) = absolute else {
            return Ok(None);
        };
        let start = if is_dir {
            absolute.as_path()
        } else {
            absolute.parent().unwrap_or(&absolute)
        };
        let mut visited = Vec::new();
        let mut found = None;
        for dir in start.ancestors() {
            if let Some(cached) = self.by_dir.get(dir) {
                found = cached.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            if let Some(path) = CONFIG_NAMES
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
            {
                if let Some(errors) = self.failed.get(&path) {
                    return Err(Broken {
                        path,
                        errors: errors.clone(),
                        first: false,
                    });
                }
                match Config::load(&shown(&path)) {
                    Ok(config) => {
                        found = Some(Arc::new(config));
                        break;
                    }
                    Err(errors) => {
                        let errors = Arc::new(errors);
                        self.failed.insert(path.clone(), errors.clone());
                        return Err(Broken {
                            path,
                            errors,
                            first: true,
                        });
                    }
                }
            }
        }
        for dir in visited {
            self.by_dir.insert(dir, found.clone());
        }
        Ok(found)
    }
}

/// A path as the user should see it: relative to the working folder when it is inside it.
fn shown(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Whether a file is checked, by its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Checked,
    /// Matched an `exclude` glob.
    Excluded,
    /// Found by walking, but neither a known extension, an `include` glob nor a `[types]` glob.
    NotSelected,
}

/// What the configuration says for one file (before the command line is applied).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSettings {
    /// The config file, if any.
    pub config: Option<PathBuf>,
    /// The `[[overrides]]` that apply, by their `paths`.
    pub overrides: Vec<Vec<String>>,
    /// (Shown by `claimlint config` with defaults filled in.)
    #[serde(skip)]
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    #[serde(skip)]
    pub product: Option<ProductType>,
    #[serde(skip)]
    pub genre: Option<crate::judge::Genre>,
    #[serde(skip)]
    pub fail_on: Option<Severity>,
    /// The file type, from a `[types]` mapping.
    #[serde(
        rename = "type",
        skip_serializing_if = "Option::is_none",
        serialize_with = "format_name"
    )]
    pub format: Option<Format>,
    #[serde(rename = "copy-keys", skip_serializing_if = "Option::is_none")]
    pub copy_keys: Option<Vec<String>>,
    #[serde(rename = "rule-dirs", skip_serializing_if = "Vec::is_empty")]
    pub rule_dirs: Vec<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<PathBuf>,
    /// Rule settings of every layer that applies, in order (the last that selects a rule wins;
    /// within a layer a rule id beats its group or category).
    #[serde(skip)]
    layers: Vec<Vec<RuleSetting>>,
}

fn format_name<S: serde::Serializer>(format: &Option<Format>, s: S) -> Result<S::Ok, S::Error> {
    match format {
        Some(f) => s.serialize_str(match f {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Mdx => "mdx",
            Format::Html => "html",
            Format::Json => "json",
            Format::Yaml => "yaml",
        }),
        None => s.serialize_none(),
    }
}

impl FileSettings {
    /// The settings `config` gives `file`.
    pub fn new(config: Option<&Config>, file: &Path) -> FileSettings {
        let Some(config) = config else {
            return FileSettings::default();
        };
        let relative = config.relative(file);
        let matches = |globs: &super::Globs| relative.as_deref().is_some_and(|r| globs.is_match(r));
        let mut settings = FileSettings {
            config: Some(config.path.clone()),
            jurisdictions: config.base.jurisdictions.clone(),
            product: config.base.product,
            genre: config.base.genre,
            fail_on: config.base.fail_on,
            format: config
                .types
                .iter()
                .find(|(globs, _)| matches(globs))
                .map(|(_, f)| *f),
            copy_keys: config.copy_keys.clone(),
            rule_dirs: config.rule_dirs.clone(),
            claims: config.claims.clone(),
            layers: vec![config.base.rules.clone()],
            overrides: Vec::new(),
        };
        for o in config.overrides.iter().filter(|o| matches(&o.paths)) {
            settings.overrides.push(o.paths.patterns.clone());
            let layer = &o.layer;
            if layer.jurisdictions.is_some() {
                settings.jurisdictions = layer.jurisdictions.clone();
            }
            settings.product = layer.product.or(settings.product);
            settings.genre = layer.genre.or(settings.genre);
            settings.fail_on = layer.fail_on.or(settings.fail_on);
            settings.layers.push(layer.rules.clone());
        }
        settings
    }

    /// What the settings do to `rule`: `None` when no setting selects it.
    pub fn rule_action(&self, rule: &Rule) -> Option<RuleAction> {
        let mut action = None;
        for layer in &self.layers {
            let by_id = layer.iter().find(|s| s.selector == rule.id);
            let by_group = || layer.iter().find(|s| super::selects(rule, &s.selector));
            if let Some(setting) = by_id.or_else(by_group) {
                action = Some(setting.action);
            }
        }
        action
    }

    /// Every rule setting in effect, for `claimlint config`: selector → action, later layers
    /// replacing earlier ones.
    pub fn rule_settings(&self) -> std::collections::BTreeMap<String, RuleAction> {
        self.layers
            .iter()
            .flatten()
            .map(|s| (s.selector.clone(), s.action))
            .collect()
    }
}

/// Whether `file` is checked under `config`. `walked` is true for files found by walking a
/// folder (named files are checked whatever their extension, unless excluded).
pub fn select(config: Option<&Config>, file: &Path, walked: bool) -> Selection {
    let known_extension = || {
        file.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DEFAULT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    };
    let Some(config) = config else {
        return if !walked || known_extension() {
            Selection::Checked
        } else {
            Selection::NotSelected
        };
    };
    let relative = config.relative(file);
    let matches = |globs: &super::Globs| relative.as_deref().is_some_and(|r| globs.is_match(r));
    if matches(&config.exclude) {
        return Selection::Excluded;
    }
    if !walked {
        return Selection::Checked;
    }
    let selected = match &config.include {
        Some(include) => matches(include),
        None => known_extension(),
    } || config.types.iter().any(|(globs, _)| matches(globs));
    if selected {
        Selection::Checked
    } else {
        Selection::NotSelected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn site_config(text: &str) -> Config {
        Config::parse(
            "c",
            text.to_owned(),
            PathBuf::from("/site"),
            PathBuf::from("/site/claimlint.toml"),
        )
        .unwrap()
    }

    #[test]
    fn the_nearest_config_applies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "claimlint.toml", "product = \"clinic\"\n");
        write(root, "shop/.claimlint.toml", "product = \"cosmetic\"\n");
        write(root, "shop/items/a.md", "x");
        write(root, "blog/b.md", "x");
        let mut resolver = Resolver::new(None, false).unwrap();
        let shop = resolver
            .config_for(&root.join("shop/items/a.md"))
            .unwrap()
            .unwrap();
        assert_eq!(shop.base.product, Some(ProductType::Cosmetic));
        let blog = resolver
            .config_for(&root.join("blog/b.md"))
            .unwrap()
            .unwrap();
        assert_eq!(blog.base.product, Some(ProductType::Clinic));
        let mut isolated = Resolver::new(None, true).unwrap();
        assert!(
            isolated
                .config_for(&root.join("blog/b.md"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_broken_config_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "claimlint.toml", "product = 3\n");
        let mut resolver = Resolver::new(None, false).unwrap();
        let first = resolver.config_for(&dir.path().join("a.md")).unwrap_err();
        assert!(first.first);
        let again = resolver.config_for(&dir.path().join("b.md")).unwrap_err();
        assert!(!again.first);
    }

    #[test]
    fn genre_is_set_per_path() {
        let text = r#"
genre = "marketing"
[[overrides]]
paths = ["research/**"]
genre = "research"
"#;
        let config = site_config(text);
        let page = FileSettings::new(Some(&config), Path::new("/site/pages/a.md"));
        let paper = FileSettings::new(Some(&config), Path::new("/site/research/a.md"));
        assert_eq!(page.genre, Some(crate::judge::Genre::Marketing));
        assert_eq!(paper.genre, Some(crate::judge::Genre::Research));
    }

    #[test]
    fn overrides_and_rule_precedence() {
        let text = r#"
product = "clinic"
[rules]
superiority = "off"
"safety.no-side-effects" = "warning"
[[overrides]]
paths = ["blog/**"]
product = "cosmetic"
rules = { "superiority.superlative" = "on" }
"#;
        let config = site_config(text);
        let page = FileSettings::new(Some(&config), Path::new("/site/pages/a.md"));
        let post = FileSettings::new(Some(&config), Path::new("/site/blog/a.md"));
        assert_eq!(page.product, Some(ProductType::Clinic));
        assert_eq!(post.product, Some(ProductType::Cosmetic));
        assert_eq!(post.overrides, [vec!["blog/**".to_owned()]]);
        let pack = crate::rules::load_embedded().unwrap();
        let superlative = pack.rule("superiority.superlative").unwrap();
        assert_eq!(page.rule_action(superlative), Some(RuleAction::Off));
        assert_eq!(post.rule_action(superlative), Some(RuleAction::On));
        // The override names one rule of the group; the rest stay off.
        let other = pack
            .rules
            .iter()
            .find(|r| r.category.as_str() == "superiority" && r.id != superlative.id)
            .unwrap();
        assert_eq!(post.rule_action(other), Some(RuleAction::Off));
        let side = pack.rule("safety.no-side-effects").unwrap();
        assert_eq!(
            page.rule_action(side),
            Some(RuleAction::Severity(Severity::Warning))
        );
    }

    #[test]
    fn selection_by_globs() {
        let text =
            "exclude = [\"drafts/\"]\ninclude = [\"content/**\"]\n[types]\n\"*.njk\" = \"html\"\n";
        let config = site_config(text);
        let select = |p: &str, walked| select(Some(&config), Path::new(p), walked);
        assert_eq!(select("/site/content/a.md", true), Selection::Checked);
        assert_eq!(select("/site/other/a.md", true), Selection::NotSelected);
        assert_eq!(select("/site/other/a.md", false), Selection::Checked);
        assert_eq!(select("/site/layouts/a.njk", true), Selection::Checked);
        assert_eq!(select("/site/drafts/a.md", true), Selection::Excluded);
        assert_eq!(select("/site/drafts/a.md", false), Selection::Excluded);
    }
}
