//! Planning a check: which files, and with what settings each (configuration file, its
//! overrides, then the command line), compiled once per distinct combination.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::Renderer;

use crate::cli::CheckArgs;
use crate::config::resolve::{Selection, select};
use crate::config::{Config, FileSettings, Resolver, RuleAction};
use crate::engine::Engine;
use crate::judge::ProductType;
use crate::policy::approvals::Register;
use crate::rules::{self, Jurisdiction, PackErrors, Severity};
use crate::source::ReadOptions;

/// Everything one file is checked with.
#[derive(Debug)]
pub struct Plan {
    pub engine: Engine,
    pub product: Option<ProductType>,
    pub jurisdictions: Vec<Jurisdiction>,
    pub fail_on: Severity,
    pub read: ReadOptions,
    /// The configuration's action on each rule, by rule index.
    pub actions: Vec<Option<RuleAction>>,
    pub register: Option<Arc<Register>>,
}

/// What became of one path while planning.
pub enum Planned {
    Check(Arc<Plan>),
    /// Excluded by the configuration; the reason is shown when the file was named.
    Excluded,
    /// Found by walking but not a file to lint.
    NotSelected,
    /// Its configuration (or its rules or register) is broken; the errors were shown.
    Broken,
}

/// Builds plans, sharing engines, registers and plans between files.
pub struct Planner<'a> {
    args: &'a CheckArgs,
    resolver: Resolver,
    base: Engine,
    renderer: Renderer,
    /// Extra rule folders → the engine with them (`None`: they failed to load).
    engines: HashMap<Vec<PathBuf>, Option<Engine>>,
    registers: HashMap<PathBuf, Option<Arc<Register>>>,
    /// Configs whose `[rules]` were checked against their pack: path → valid.
    checked_rules: HashMap<PathBuf, bool>,
    plans: HashMap<PlanKey, Arc<Plan>>,
    /// Set once any configuration problem was shown.
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PlanKey {
    config: Option<PathBuf>,
    overrides: Vec<Vec<String>>,
    format: Option<u8>,
}

impl<'a> Planner<'a> {
    pub fn new(args: &'a CheckArgs, resolver: Resolver, base: Engine, renderer: Renderer) -> Self {
        Planner {
            args,
            resolver,
            base,
            renderer,
            engines: HashMap::new(),
            registers: HashMap::new(),
            checked_rules: HashMap::new(),
            plans: HashMap::new(),
            failed: false,
        }
    }

    pub fn base(&self) -> &Engine {
        &self.base
    }

    /// The plan for `path` (`walked`: found by walking a folder, not named).
    pub fn plan(
        &mut self,
        path: &Path,
        walked: bool,
        err: &mut dyn Write,
    ) -> std::io::Result<Planned> {
        let config = match self.resolver.config_for_file(path) {
            Ok(config) => config,
            Err(broken) => {
                if broken.first {
                    self.show(&broken.errors, err)?;
                }
                return Ok(Planned::Broken);
            }
        };
        match select(config.as_deref(), path, walked) {
            Selection::Checked => {}
            Selection::Excluded => return Ok(Planned::Excluded),
            Selection::NotSelected => return Ok(Planned::NotSelected),
        }
        let settings = FileSettings::new(config.as_deref(), path);
        let key = PlanKey {
            config: settings.config.clone(),
            overrides: settings.overrides.clone(),
            format: settings.format.map(|f| f as u8),
        };
        if let Some(plan) = self.plans.get(&key) {
            return Ok(Planned::Check(plan.clone()));
        }
        let Some(engine) = self.engine(&settings.rule_dirs, err)? else {
            return Ok(Planned::Broken);
        };
        if let Some(config) = &config
            && !self.rules_valid(config, &engine, err)?
        {
            return Ok(Planned::Broken);
        }
        let register = match &settings.claims {
            Some(path) => match self.register(path, &engine, err)? {
                Some(register) => Some(register),
                None => return Ok(Planned::Broken),
            },
            None => None,
        };
        let plan = Arc::new(self.build(&settings, engine, register));
        self.plans.insert(key, plan.clone());
        Ok(Planned::Check(plan))
    }

    fn build(
        &self,
        settings: &FileSettings,
        engine: Engine,
        register: Option<Arc<Register>>,
    ) -> Plan {
        let args = self.args;
        let product = args.product.or(settings.product);
        let genre = args.genre.or(settings.genre);
        let jurisdictions = if !args.jurisdiction.is_empty() {
            args.jurisdiction.clone()
        } else {
            settings
                .jurisdictions
                .clone()
                .unwrap_or_else(|| engine.pack().jurisdictions())
        };
        let fail_on = args
            .fail_on
            .map(|f| f.threshold())
            .or(settings.fail_on)
            .unwrap_or(Severity::Warning);
        let defaults = ReadOptions::default();
        let copy_keys = if !args.copy_keys.is_empty() {
            args.copy_keys.iter().map(|k| k.trim().to_owned()).collect()
        } else if let Some(keys) = &settings.copy_keys {
            keys.iter().cloned().collect()
        } else {
            defaults.copy_keys
        };
        let read = ReadOptions {
            format: args.file_type.map(|t| t.format()).or(settings.format),
            encoding: args.encoding,
            max_filesize: args.max_filesize,
            copy_keys,
        };
        let actions = crate::policy::rule_actions(engine.pack(), settings);
        Plan {
            engine: engine.with_product(product).with_genre(genre),
            product,
            jurisdictions,
            fail_on,
            read,
            actions,
            register,
        }
    }

    fn engine(&mut self, dirs: &[PathBuf], err: &mut dyn Write) -> std::io::Result<Option<Engine>> {
        if dirs.is_empty() {
            return Ok(Some(self.base.clone()));
        }
        if let Some(engine) = self.engines.get(dirs) {
            return Ok(engine.clone());
        }
        let engine = match self.load_with(dirs) {
            Ok(engine) => Some(engine),
            Err(errors) => {
                self.show(&errors, err)?;
                None
            }
        };
        self.engines.insert(dirs.to_vec(), engine.clone());
        Ok(engine)
    }

    /// The base pack (embedded, or `--rules DIR`) plus the files of the extra folders.
    fn load_with(&self, dirs: &[PathBuf]) -> Result<Engine, PackErrors> {
        let mut files = match &self.args.pack.rules {
            Some(dir) => rules::load::read_dir(dir)?,
            None => rules::embedded_files(),
        };
        let embedded = if self.args.pack.rules.is_none() {
            files.len()
        } else {
            0
        };
        for dir in dirs {
            files.extend(rules::load::read_dir(dir)?);
        }
        // The user's own files have their regexes compiled now, so a bad one is reported here.
        let users: std::collections::HashSet<String> =
            files[embedded..].iter().map(|(n, _)| n.clone()).collect();
        let pack = rules::load::load_checked(&files, &|name| users.contains(name))?;
        let engine = Engine::new(pack).map_err(|e| PackErrors {
            errors: vec![rules::PackError {
                file: dirs
                    .first()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
                span: None,
                message: e.to_string(),
                label: String::new(),
            }],
            ..PackErrors::default()
        })?;
        // The house rules' own examples must hold.
        crate::engine::examples::check(&engine, |rule| users.contains(&rule.file))?;
        Ok(engine)
    }

    fn rules_valid(
        &mut self,
        config: &Config,
        engine: &Engine,
        err: &mut dyn Write,
    ) -> std::io::Result<bool> {
        if let Some(&valid) = self.checked_rules.get(&config.path) {
            return Ok(valid);
        }
        let valid = match config.check_rules(engine.pack()) {
            Ok(()) => true,
            Err(errors) => {
                self.show(&errors, err)?;
                false
            }
        };
        self.checked_rules.insert(config.path.clone(), valid);
        Ok(valid)
    }

    fn register(
        &mut self,
        path: &Path,
        engine: &Engine,
        err: &mut dyn Write,
    ) -> std::io::Result<Option<Arc<Register>>> {
        if let Some(register) = self.registers.get(path) {
            return Ok(register.clone());
        }
        let register = match Register::load(path, engine.pack()) {
            Ok(register) => Some(Arc::new(register)),
            Err(errors) => {
                self.show(&errors, err)?;
                None
            }
        };
        self.registers.insert(path.to_path_buf(), register.clone());
        Ok(register)
    }

    fn show(&mut self, errors: &PackErrors, err: &mut dyn Write) -> std::io::Result<()> {
        self.failed = true;
        write!(err, "{}", errors.render(&self.renderer))
    }
}
