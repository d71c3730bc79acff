//! `ir-advisor eval FILE.tsv`: accuracy figures on a labelled file.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::evaluation::{evaluate, parse_tsv};
use crate::intents::IntentSet;
use crate::matcher::Matcher;

pub fn run(set: &IntentSet, file: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let rows = parse_tsv(&text).with_context(|| format!("in {}", file.display()))?;
    let report = evaluate(&Matcher::new(set), &rows);
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
