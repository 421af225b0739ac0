//! The integration test suite: one binary, one module per area.
//!
//! Tests run the real `bitext` binary in a temporary directory (see
//! [`harness`]) or call the library. None reaches the network. Snapshots are
//! insta's; review changed ones with `cargo insta review`, or rerun with
//! `INSTA_UPDATE=always` and read the diff.

mod cleared_env;
mod harness;
mod tool;

mod align;
mod backend;
mod batch;
mod browser;
mod claims;
mod cli;
mod command;
mod deploy;
mod documents;
mod dry_run;
mod fuzzy;
mod gloss;
mod glossary;
mod glossary_extract;
mod html_documents;
mod memory;
mod model;
mod output;
mod pg;
mod qa;
mod qa_command;
mod resilience;
mod review;
mod segment;
mod sharded;
mod shared_memory;
mod terminology;
mod translate;
mod webdriver;
