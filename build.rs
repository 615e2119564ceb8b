//! Embeds every `rules/*.toml` file into the binary, so `claimlint` works alone anywhere.
//! Adding a rule file needs no code change: this script lists the folder at build time.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules = Path::new(&manifest).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<String> = fs::read_dir(&rules)
        .expect("the rules/ folder exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    let mut code = String::from("/// The embedded default rule pack: (file name, contents).\n");
    code.push_str("pub const EMBEDDED_PACK: &[(&str, &str)] = &[\n");
    for name in &names {
        let full = rules.join(name);
        println!("cargo:rerun-if-changed={}", full.display());
        code.push_str(&format!(
            "    (\"rules/{name}\", include_str!({:?})),\n",
            full.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_pack.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
