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

/// The embedded pack as build.rs loaded and validated it, in postcard.
static EMBEDDED_SNAPSHOT: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/embedded_pack.postcard"));

/// Loads the pack embedded in the binary: the snapshot build.rs made of it (the same pack as
/// loading its TOML files gives, which a test checks).
pub fn load_embedded() -> Result<RulePack, PackErrors> {
    postcard::from_bytes(EMBEDDED_SNAPSHOT).map_err(|e| PackErrors {
        errors: vec![PackError {
            file: "(embedded pack)".to_owned(),
            span: None,
            message: format!("the embedded snapshot cannot be read: {e}"),
            label: String::new(),
        }],
        ..PackErrors::default()
    })
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn the_embedded_snapshot_is_the_pack_its_files_load_to() {
        let snapshot = load_embedded().expect("the snapshot loads");
        let loaded = load::load(&embedded_files()).expect("the files load");
        assert!(!snapshot.rules.is_empty());
        let parts = |p: &RulePack| {
            [
                ("rules", format!("{:?}", p.rules)),
                ("evidence", format!("{:?}", p.evidence)),
                ("regulations", format!("{:?}", p.regulations)),
                ("context", format!("{:?}", p.context)),
                ("cues", format!("{:?}", p.cues)),
            ]
        };
        for ((name, a), (_, b)) in parts(&snapshot).into_iter().zip(parts(&loaded)) {
            assert!(a == b, "the snapshot's {name} differ from the files'");
        }
        let index = |pack: &RulePack| {
            pack.rule_index
                .clone()
                .into_iter()
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(index(&snapshot), index(&loaded));
    }
}
