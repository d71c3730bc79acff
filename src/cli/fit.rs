//! `ir-advisor fit`: refits the decision's weights and prints them, ready
//! to paste over `ANSWER_WEIGHTS` in `src/tuning.rs`.

use std::io::Write;
use std::process::ExitCode;

use crate::evaluation::fit_answer;
use crate::intents::IntentSet;
use crate::matcher::FEATURE_NAMES;

pub fn run(set: &IntentSet, folds: usize) -> anyhow::Result<ExitCode> {
    let weights = fit_answer(set, folds);
    let mut out = std::io::stdout().lock();
    for (name, weight) in FEATURE_NAMES.iter().zip(weights) {
        writeln!(out, "// {name:<34} {weight:>9.4}")?;
    }
    let listed: Vec<String> = weights.iter().map(|w| format!("{w:.4}")).collect();
    writeln!(
        out,
        "pub const ANSWER_WEIGHTS: [f32; {}] = [{}];",
        weights.len(),
        listed.join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}
