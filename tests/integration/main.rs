//! Integration tests: the real binary on fixture files, the CLI contract (exit codes, bad
//! input), rule self-tests over the embedded pack, and the seed pages.

mod classes;
mod cli_contract;
mod fixtures;
mod harness;
mod pack;
mod seeds;
