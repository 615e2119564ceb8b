//! The rule pack: its file format (`raw`), the validated model (`model`), loading and validation
//! (`load`), term expansion (`terms`) and pack errors rendered like compiler errors (`error`).

pub mod error;
pub mod load;
pub mod model;
pub mod raw;
pub mod terms;

use std::path::Path;

pub use error::{ErrorSubject, PackError, PackErrors};
pub use model::*;

include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));

/// Loads the pack embedded in the binary.
pub fn load_embedded() -> Result<RulePack, PackErrors> {
    load::load(&embedded_files())
}

/// The files of the embedded pack, by name.
pub fn embedded_files() -> Vec<(String, String)> {
    EMBEDDED_PACK
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect()
}

/// Loads a pack from a folder of TOML files.
pub fn load_dir(dir: &Path) -> Result<RulePack, PackErrors> {
    let files = load::read_dir(dir)?;
    load::load_checked(&files, &|_| true)
}
