//! The commands: load the pack, run the check or print the catalog, decide the exit status.

mod catalog;
mod check;
mod evaluate;
mod in_order;
mod plan;
mod progress;
mod show_config;

use std::io::{IsTerminal, Write};

use annotate_snippets::Renderer;

use crate::cli::{Cli, Command, PackArgs};
use crate::rules::{self, RulePack};

/// The exit-code contract: 0 clean, 1 findings at or above `--fail-on`, 2 tool failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Clean = 0,
    Findings = 1,
    Failure = 2,
}

/// Runs one command, writing results to `out` and messages to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let result = match cli.command {
        Command::Check(args) => check::run(&args, out, err),
        Command::Rules(args) => catalog::rules(&args, out, err),
        Command::Explain(args) => catalog::explain(&args, out, err),
        Command::Eval(args) => evaluate::run(&args, out, err),
        Command::Config(args) => show_config::run(&args, out, err),
    };
    match result {
        Ok(status) => status,
        // A closed pipe (`claimlint check | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            ExitStatus::Failure
        }
    }
}

/// Loads the pack the arguments name, or writes its errors and returns `None`.
fn load_pack(args: &PackArgs, err: &mut dyn Write) -> std::io::Result<Option<RulePack>> {
    let loaded = match &args.rules {
        Some(dir) => rules::load_dir(dir),
        None => rules::load_embedded(),
    };
    match loaded {
        Ok(pack) => Ok(Some(pack)),
        Err(errors) => {
            write!(err, "{}", errors.render(&stderr_renderer()))?;
            Ok(None)
        }
    }
}

/// Loads the pack the arguments name and compiles it, or writes its errors and returns `None`.
/// A pack from a folder (`--rules`) has its rules' examples run first: a rule that misses its
/// own examples would lint wrongly without a word.
fn load_engine(
    args: &PackArgs,
    err: &mut dyn Write,
) -> std::io::Result<Option<crate::engine::Engine>> {
    let Some(pack) = load_pack(args, err)? else {
        return Ok(None);
    };
    let engine = match crate::engine::Engine::new(pack) {
        Ok(e) => e,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(None);
        }
    };
    if args.rules.is_some()
        && let Err(errors) = crate::engine::examples::check(&engine, |_| true)
    {
        write!(err, "{}", errors.render(&stderr_renderer()))?;
        return Ok(None);
    }
    Ok(Some(engine))
}

/// The renderer for errors on standard error: styled on a terminal.
fn stderr_renderer() -> Renderer {
    if std::io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}
