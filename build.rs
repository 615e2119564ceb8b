//! Embeds the default rule pack into the binary, so `claimlint` works alone anywhere.
//!
//! - Every `rules/*.toml` file is embedded as text (for `claimlint rules`, error reports and
//!   user packs built from it). Adding a rule file needs no code change: this script lists the
//!   folder at build time.
//! - The pack is also loaded and validated here, with the crate's own loader (`src/rules/`), and
//!   embedded as a postcard snapshot of the validated model: the binary starts without parsing
//!   TOML or expanding terms. A pack with errors fails the build, with the errors as
//!   `claimlint` would print them.
#![allow(dead_code)]

use std::env;
use std::fs;
use std::path::Path;

/// The crate's rule-pack modules, compiled into this script.
mod rules {
    #[path = "../src/rules/error.rs"]
    pub mod error;
    #[path = "../src/rules/load.rs"]
    pub mod load;
    #[path = "../src/rules/model.rs"]
    pub mod model;
    #[path = "../src/rules/raw.rs"]
    pub mod raw;
    #[path = "../src/rules/terms.rs"]
    pub mod terms;
}

/// What the loader uses of the rest of the crate (only to read a user's folder: unused here).
mod source {
    pub mod walk {
        pub fn describe_io(err: &std::io::Error) -> String {
            err.to_string()
        }
    }
    pub mod settings_file {
        pub fn read_text(path: &std::path::Path) -> Result<String, String> {
            std::fs::read_to_string(path).map_err(|e| e.to_string())
        }
    }
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let rules_dir = Path::new(&manifest).join("rules");
    println!("cargo:rerun-if-changed=rules");
    seed_pages_cfg(&manifest);
    let mut names: Vec<String> = fs::read_dir(&rules_dir)
        .expect("the rules/ folder exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();

    let mut code = String::from("/// The embedded default rule pack: (file name, contents).\n");
    code.push_str("pub const EMBEDDED_PACK: &[(&str, &str)] = &[\n");
    let mut files = Vec::new();
    for name in &names {
        let full = rules_dir.join(name);
        println!("cargo:rerun-if-changed={}", full.display());
        code.push_str(&format!(
            "    (\"rules/{name}\", include_str!({:?})),\n",
            full.display().to_string()
        ));
        let text = fs::read_to_string(&full).expect("a rules/*.toml file is readable UTF-8");
        files.push((format!("rules/{name}"), text));
    }
    code.push_str("];\n");
    let out = Path::new(&out_dir);
    fs::write(out.join("embedded_pack.rs"), code).expect("OUT_DIR is writable");

    // Regexes are compiled as well as parsed, as for a user's pack.
    let pack = match rules::load::load_checked(&files, &|_| true) {
        Ok(pack) => pack,
        Err(errors) => {
            // Cargo shows a failed build script's standard error.
            eprint!("{}", errors.render(&annotate_snippets::Renderer::plain()));
            std::process::exit(1);
        }
    };
    let snapshot = postcard::to_stdvec(&pack).expect("the validated pack serializes");
    fs::write(out.join("embedded_pack.postcard"), snapshot).expect("OUT_DIR is writable");
}

/// The seed-page tests need `../shared/seeds`. When it is absent they are compiled as ignored
/// (`cfg(seeds_absent)`), so a fresh clone reports them as ignored rather than passed; under CI
/// (`CI` set) they always run, and fail when the seeds are missing.
fn seed_pages_cfg(manifest: &str) {
    println!("cargo::rustc-check-cfg=cfg(seeds_absent)");
    println!("cargo:rerun-if-env-changed=CI");
    let seeds = Path::new(manifest).join("../shared/seeds");
    if seeds.is_dir() {
        println!("cargo:rerun-if-changed={}", seeds.display());
    } else if env::var_os("CI").is_none() {
        println!("cargo::rustc-cfg=seeds_absent");
    }
}
