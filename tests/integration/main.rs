//! Integration tests: the real binary on fixture files, the CLI contract (exit codes, bad
//! input), rule self-tests over the embedded pack, and the seed pages.

mod classes;
mod cli_contract;
mod corpus;
mod fixtures;
mod formats;
mod harness;
mod hostile;
mod outputs;
mod pack;
mod repos;
mod seeds;
