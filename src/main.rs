//! The `claimlint` binary: parse arguments, run, map the result to an exit code. Nothing else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match claimlint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // Help and version are successes; usage errors exit 2, as documented.
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let status = claimlint::app::run(cli, &mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(status as u8)
}
