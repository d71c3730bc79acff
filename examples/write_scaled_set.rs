//! Writes the 10 000-intent synthetic set the `match_scaled` benchmark
//! times, and questions about it, so that the product path can be timed on
//! the same work:
//!
//! ```text
//! cargo run --release --example write_scaled_set -- DIR [INTENTS] [QUESTIONS]
//! target/release/ir-advisor --intents DIR/intents match < DIR/noisy.txt
//! target/release/ir-advisor --intents DIR/intents match < DIR/common.txt
//! ```
//!
//! `DIR/intents/` holds the intent files and the shipped lexicons;
//! `noisy.txt` holds patterns typed in a hurry, `common.txt` questions made
//! only of words hundreds of intents use, one a line.

#[path = "../benches/support/mod.rs"]
mod support;

use std::path::PathBuf;

use anyhow::{bail, Context};

/// The set `match_scaled` times at its largest.
const DEFAULT_INTENTS: usize = 10_000;
/// As many as `match_scaled` cycles through: enough that the per-question
/// cost outweighs loading the set when the CLI is timed.
const DEFAULT_QUESTIONS: usize = support::SCALED_QUESTIONS;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        bail!("usage: write_scaled_set DIR [INTENTS] [QUESTIONS]");
    };
    let mut number = |default| -> anyhow::Result<usize> {
        args.next()
            .map_or(Ok(default), |arg| arg.parse().context("a count"))
    };
    let (intents, questions) = (number(DEFAULT_INTENTS)?, number(DEFAULT_QUESTIONS)?);
    let folder = dir.join("intents");
    if folder.exists() {
        bail!("{} exists already", folder.display());
    }
    support::write_synthetic_folder(&folder, intents);
    let set = support::load(&folder);
    let write = |name: &str, lines: Vec<String>| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, lines.join("\n") + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        println!("{}: {} questions", path.display(), lines.len());
        Ok(())
    };
    write("noisy.txt", support::noisy_questions(&set, questions))?;
    write(
        "common.txt",
        support::common_word_questions(&set, questions),
    )?;
    println!("{}: {intents} intents", folder.display());
    Ok(())
}
