//! `claimlint config [PATH]`: the configuration that applies to a path, resolved, with the file
//! it comes from and the overrides that apply, as TOML.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::{ExitStatus, load_pack};
use crate::cli::ConfigArgs;
use crate::config::resolve::{Selection, select};
use crate::config::{FileSettings, Resolver, RuleAction};
use crate::judge::ProductType;
use crate::rules::{Jurisdiction, Severity};

/// The effective settings, defaults filled in.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Effective {
    checked: bool,
    jurisdictions: Vec<Jurisdiction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<ProductType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<crate::judge::Genre>,
    fail_on: Severity,
    #[serde(flatten)]
    settings: FileSettings,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    rules: BTreeMap<String, RuleAction>,
}

pub fn run(
    args: &ConfigArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<ExitStatus> {
    let Some(pack) = load_pack(&args.pack, err)? else {
        return Ok(ExitStatus::Failure);
    };
    let renderer = super::stderr_renderer();
    let mut resolver = match Resolver::new(args.config.config.as_deref(), args.config.no_config) {
        Ok(r) => r,
        Err(errors) => {
            write!(err, "{}", errors.render(&renderer))?;
            return Ok(ExitStatus::Failure);
        }
    };
    let config = match resolver.config_for(&args.path) {
        Ok(config) => config,
        Err(broken) => {
            write!(err, "{}", broken.errors.render(&renderer))?;
            return Ok(ExitStatus::Failure);
        }
    };
    if let Some(config) = &config
        && let Err(errors) = config.check_rules(&pack)
    {
        write!(err, "{}", errors.render(&renderer))?;
        return Ok(ExitStatus::Failure);
    }
    let settings = FileSettings::new(config.as_deref(), &args.path);
    let walked = args.path.is_dir();
    let checked = walked || select(config.as_deref(), &args.path, false) == Selection::Checked;
    writeln!(out, "# claimlint configuration for {}", args.path.display())?;
    match &settings.config {
        Some(path) => writeln!(out, "# from {}", path.display())?,
        None if args.config.no_config => writeln!(out, "# --no-config: defaults apply")?,
        None => writeln!(
            out,
            "# no claimlint.toml or .claimlint.toml found in its folder or above: defaults apply"
        )?,
    }
    if walked {
        writeln!(
            out,
            "# a folder: path globs of overrides are matched against the folder itself"
        )?;
    }
    let effective = Effective {
        checked,
        jurisdictions: settings
            .jurisdictions
            .clone()
            .unwrap_or_else(|| pack.jurisdictions()),
        product: settings.product,
        genre: settings.genre,
        fail_on: settings.fail_on.unwrap_or(Severity::Warning),
        rules: settings.rule_settings(),
        settings,
    };
    let text = toml::to_string(&effective).map_err(std::io::Error::other)?;
    write!(out, "{text}")?;
    Ok(ExitStatus::Clean)
}
