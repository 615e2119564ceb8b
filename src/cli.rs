//! Command-line arguments (clap derive types only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::judge::{Genre, ProductType};
use crate::rules::{Jurisdiction, Severity};

/// Flags efficacy, safety, superiority, proof and approval claims in health and beauty copy,
/// with the evidence level, the regulatory notes and a compliant rewording for each.
#[derive(Debug, Parser)]
#[command(name = "claimlint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders for claims.
    Check(Box<CheckArgs>),
    /// List every rule of the pack.
    Rules(RulesArgs),
    /// Explain one rule: rationale, matches, evidence, notes, rewording, examples.
    Explain(ExplainArgs),
    /// Print the configuration that applies to a file or folder, and where it comes from.
    Config(ConfigArgs),
    /// Measure precision and recall on a labelled corpus (`label<TAB>category<TAB>text` files).
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// Load the rule pack from this folder instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// When to use colors in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Exit with status 1 when a diagnostic at or above this severity is found [default:
    /// warning, or `fail-on` in the configuration].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when findings reach `--fail-on` (as ruff's `--exit-zero`); a tool failure
    /// (a bad path, pack or configuration) still exits 2.
    #[arg(long)]
    pub exit_zero: bool,

    /// Jurisdictions whose regulatory notes are shown (default: all the pack covers).
    #[arg(long, value_delimiter = ',', value_parser = parse_jurisdiction, value_name = "LIST")]
    pub jurisdiction: Vec<Jurisdiction>,

    /// What the copy sells; severity follows the law for that kind of product (a cosmetic may
    /// only make appearance claims).
    #[arg(long, value_enum, value_name = "TYPE")]
    pub product: Option<ProductType>,

    /// What kind of document the files are; outside `marketing` (the default) claims are
    /// described, studied or judged rather than made, and are reported at info.
    #[arg(long, value_enum, value_name = "GENRE")]
    pub genre: Option<Genre>,

    /// How many files are checked at once (default: one per CPU). Output is the same, in the
    /// same order, whatever the number.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Seconds one file may take to check (`0`: no limit). A file that takes longer is
    /// reported as not checked (exit 2) and the run goes on; every stage is linear in the
    /// file's size, and 200 MB take about 3 s, so the limit only catches the unforeseen.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    pub file_time_limit: std::time::Duration,

    /// The name shown for standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,

    /// Read every input as this type instead of choosing by extension (for standard input and
    /// files with unusual names).
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub file_type: Option<FileType>,

    /// The encoding of inputs without a byte-order mark, as a WHATWG label (shift_jis, euc-jp,
    /// euc-kr, gb18030, windows-1252, utf-16le, ...). Default: UTF-8, or what an HTML page
    /// declares in `<meta charset>`.
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static crate::source::Encoding>,

    /// Skip files larger than this many bytes (a K, M or G suffix multiplies by 1024s). The
    /// default takes a CMS export or product feed of hundreds of megabytes; a file needs about
    /// three times its size in memory.
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = parse_size)]
    pub max_filesize: u64,

    /// The keys whose string values are copy in front matter, JSON and YAML files, replacing
    /// the default list (title, description, summary, excerpt, subtitle, headline, lead,
    /// caption, body, content, text).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub copy_keys: Vec<String>,

    /// Walk every file: do not respect `.gitignore`, `.git/info/exclude` or `.claimlintignore`.
    #[arg(long)]
    pub no_ignore: bool,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report only findings that are not in this baseline, and list its entries that no longer
    /// occur.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file instead of reporting them.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Lint only the lines changed since this git revision (the working tree against REV;
    /// untracked files count as changed).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Lint only uncommitted changes: the same as `--changed-since HEAD`.
    #[arg(long, conflicts_with = "changed_since")]
    pub diff: bool,

    #[command(flatten)]
    pub config: ConfigFileArgs,

    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct ConfigFileArgs {
    /// Use this configuration file for every input instead of discovering `claimlint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no configuration file at all.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The file or folder whose configuration is printed.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    #[command(flatten)]
    pub config: ConfigFileArgs,

    #[command(flatten)]
    pub pack: PackArgs,
}

/// An input type for `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileType {
    /// Markdown.
    Md,
    /// MDX (Markdown with JSX).
    Mdx,
    Html,
    /// Plain text.
    Txt,
    /// JSON: string values under the copy keys.
    Json,
    /// YAML: string values under the copy keys.
    Yaml,
}

impl FileType {
    pub fn format(self) -> crate::source::Format {
        use crate::source::Format;
        match self {
            FileType::Md => Format::Markdown,
            FileType::Mdx => Format::Mdx,
            FileType::Html => Format::Html,
            FileType::Txt => Format::Text,
            FileType::Json => Format::Json,
            FileType::Yaml => Format::Yaml,
        }
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// Print every literal term of every rule (phrases, actions, targets), normalized, one per
    /// line, instead of the rule list (for benchmarks against `rg -F -f`).
    #[arg(long)]
    pub export_literals: bool,

    /// List the evidence entries, regulations and rule notes last reviewed longer ago than this
    /// (e.g. `365d`, `52w`, `12m`), instead of the rule list; exits 1 when there are any.
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub stale_after: Option<u32>,

    /// Run every rule's examples (each `fire` example must be claimed by its rule, no `pass`
    /// example may) and report them like a test runner; exits 1 when any fails.
    #[arg(long)]
    pub test: bool,

    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `hair.regrowth`.
    pub rule_id: String,

    /// Jurisdictions whose notes are shown (default: all).
    #[arg(long, value_delimiter = ',', value_parser = parse_jurisdiction, value_name = "LIST")]
    pub jurisdiction: Vec<Jurisdiction>,

    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Corpus files or folders of `.tsv` files.
    #[arg(default_value = "fixtures/corpus")]
    pub paths: Vec<PathBuf>,

    /// The lowest severity that counts as reporting a claim.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub level: FailOn,

    /// List this many missed claims and false positives.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub show: usize,

    /// Exit with status 1 when precision or recall of the claim/none decision is below this.
    #[arg(long, value_name = "RATIO")]
    pub min: Option<f64>,

    /// Measure only the items of this split of the world corpus (documents are split by a hash
    /// of their address; our own items belong to neither).
    #[arg(long, value_enum)]
    pub split: Option<crate::eval::Split>,

    /// Measure only the items in this language.
    #[arg(long, value_enum)]
    pub language: Option<crate::eval::Language>,

    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style diagnostics with notes.
    Human,
    /// One JSON document (see the README for the schema).
    Json,
    /// One JSON diagnostic per line.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// Checkstyle XML.
    Checkstyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    /// The rule reference (`docs/rules.md` is this output).
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    #[value(alias = "warn")]
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// The most worker threads `--threads` accepts: each holds a few batches of files, and far
/// more threads than cores only costs memory (20,000 threads took 1.9 GB and over a minute).
pub const MAX_THREADS: usize = 1024;

fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads"))?;
    if (1..=MAX_THREADS).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} threads: give 1 to {MAX_THREADS}"))
    }
}

/// Seconds, possibly fractional (`0` is read as no limit by the caller).
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("`{s}` is not a number of seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(secs.min(1e9)))
}

/// An age in days: `365d`, `52w`, `12m` (30 days) or `1y` (365 days).
fn parse_age(s: &str) -> Result<u32, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u32 = number
        .parse()
        .map_err(|_| format!("invalid age `{s}` (expected e.g. 365d, 52w, 12m, 1y)"))?;
    let days = match unit {
        "" | "d" => 1,
        "w" => 7,
        "m" => 30,
        "y" => 365,
        _ => return Err(format!("invalid age unit in `{s}` (use d, w, m or y)")),
    };
    n.checked_mul(days)
        .ok_or_else(|| format!("age `{s}` is too large"))
}

fn parse_encoding(s: &str) -> Result<&'static crate::source::Encoding, String> {
    crate::source::Encoding::for_label(s.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding `{s}` (expected a label such as utf-8, utf-16le, utf-16be, \
             shift_jis, euc-jp, iso-2022-jp, euc-kr, gb18030, big5, windows-1252)"
        )
    })
}

/// A size in bytes: `1048576`, `512K`, `16M`, `1G` (powers of 1024; a trailing `B` or `iB` is
/// allowed).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .or_else(|| t.strip_suffix('b'))
        .unwrap_or(t);
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("invalid size `{s}` (expected e.g. 1048576, 512K, 16M, 1G)"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("invalid size unit in `{s}` (use K, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("size `{s}` is too large"))
}

fn parse_jurisdiction(s: &str) -> Result<Jurisdiction, String> {
    Jurisdiction::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Jurisdiction::ALL.iter().map(|j| j.as_str()).collect();
        format!(
            "unknown jurisdiction `{s}` (expected one of: {})",
            all.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_max_filesize_is_the_readers_default() {
        let cli = Cli::try_parse_from(["claimlint", "check", "."]).expect("parses");
        let Command::Check(args) = cli.command else {
            panic!("not check");
        };
        assert_eq!(args.max_filesize, crate::source::DEFAULT_MAX_FILESIZE);
    }

    #[test]
    fn time_limits_are_seconds_or_none() {
        assert_eq!(parse_seconds("0"), Ok(std::time::Duration::ZERO));
        assert_eq!(
            parse_seconds("1.5"),
            Ok(std::time::Duration::from_millis(1500))
        );
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("NaN").is_err());
    }

    #[test]
    fn warn_is_warning() {
        let cli =
            Cli::try_parse_from(["claimlint", "check", "--fail-on", "warn", "."]).expect("parses");
        let Command::Check(args) = cli.command else {
            panic!("not check");
        };
        assert_eq!(args.fail_on, Some(FailOn::Warning));
        assert_eq!(
            crate::config::parse_severity("warn"),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn threads_are_bounded() {
        assert_eq!(parse_threads("8"), Ok(8));
        assert!(parse_threads("0").is_err());
        assert!(parse_threads(&(MAX_THREADS + 1).to_string()).is_err());
    }
}
