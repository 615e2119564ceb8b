//! The `claimlint` binary: parse arguments, run, map the result to an exit code. Nothing else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod allocator;

#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

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
    // Buffered: reporters write many small pieces, and a line-buffered stdout made a system
    // call for each line. 64 KB at a time: the JSON of a site export (700 MB) took 105,688
    // writes with the default 8 KB, and takes 11,305 (strace). Each batch of files is flushed,
    // so a terminal still sees the findings as they come.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    // Not locked for the whole run: a worker thread's panic message also goes to stderr.
    let mut err = Messages(std::io::stderr());
    let status = claimlint::app::run(cli, &mut out, &mut err);
    match out.flush() {
        // A closed pipe (`claimlint check | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        _ => ExitCode::from(status as u8),
    }
}

/// Standard error, for warnings and errors: a failure to write one (a closed or full pipe) is
/// ignored. Only a closed standard output means the reader has gone; losing a message must
/// never cut the report short or change the exit status.
struct Messages(std::io::Stderr);

impl Write for Messages {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}
