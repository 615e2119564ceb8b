//! Reading the files that steer a run rather than the copy it lints: configuration files,
//! baselines, approved-claim registers and rule files.
//!
//! Any contributor to a checked repository can write these (a nested `claimlint.toml` is read
//! when its folder is walked), so each read is bounded: a settings file must be a regular file
//! (a symlink to one is followed) of at most [`LIMIT`] bytes, in UTF-8, with or without a
//! byte-order mark. A device, FIFO or folder is refused before anything is read from it.

use std::io::Read;
use std::path::Path;

/// The largest settings file read: far above any real configuration, register or rule file
/// (the whole embedded pack is under 1 MiB), far below what would hurt a CI runner.
pub const LIMIT: u64 = 16 << 20;

/// The text of the settings file at `path`, or what is wrong with it, as a message to follow
/// the file's name.
pub fn read_text(path: &Path) -> Result<String, String> {
    let describe = super::walk::describe_io;
    let cannot = |e: std::io::Error| format!("cannot read: {}", describe(&e));
    // Looked at before it is opened: opening a FIFO waits for a writer.
    let regular = |meta: std::fs::Metadata| -> Result<u64, String> {
        if meta.is_file() {
            Ok(meta.len())
        } else if meta.is_dir() {
            Err("is a folder, not a file".to_owned())
        } else {
            Err(
                "not a regular file (a device, FIFO or socket is never read as settings)"
                    .to_owned(),
            )
        }
    };
    regular(std::fs::metadata(path).map_err(cannot)?)?;
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = regular(file.metadata().map_err(cannot)?)?;
    if len > LIMIT {
        return Err(too_large(Some(len)));
    }
    let mut bytes = Vec::new();
    file.take(LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > LIMIT {
        // It grew while it was read.
        return Err(too_large(None));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

fn too_large(size: Option<u64>) -> String {
    let size = size.map_or_else(String::new, |s| format!(" ({s} bytes)"));
    format!(
        "too large for a settings file{size}: the limit is {} MiB",
        LIMIT >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_drops_a_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "\u{feff}a = 1\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "a = 1\n");
    }

    #[test]
    fn refuses_what_is_not_a_bounded_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_text(dir.path()).unwrap_err(),
            "is a folder, not a file"
        );
        let missing = dir.path().join("missing.toml");
        assert_eq!(
            read_text(&missing).unwrap_err(),
            "cannot read: no such file or directory"
        );
        let big = dir.path().join("big.toml");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(LIMIT + 1).unwrap();
        assert!(read_text(&big).unwrap_err().starts_with("too large"));
        let latin1 = dir.path().join("latin1.toml");
        std::fs::write(&latin1, b"a = \"caf\xe9\"").unwrap();
        assert_eq!(
            read_text(&latin1).unwrap_err(),
            "not valid UTF-8 (at byte 8)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("claimlint.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        assert!(
            read_text(&fifo)
                .unwrap_err()
                .starts_with("not a regular file")
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_device_even_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("claims.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        for path in [Path::new("/dev/zero"), &link] {
            assert!(
                read_text(path)
                    .unwrap_err()
                    .starts_with("not a regular file"),
                "{}",
                path.display()
            );
        }
    }
}
