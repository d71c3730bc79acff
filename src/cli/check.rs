//! `ir-advisor check`: validate the intents folder for a maintainer.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::check::{load_folder, misrouted_patterns, oversized_inline_answers};
use crate::evaluation::answer_weights_are_current;
use crate::file_error::FileError;
use crate::intents::{
    menu_problems, source_problems, stale_reviews, Documents, LoadError, Warning,
};
use crate::matcher::Matcher;
use crate::replies::oversized_answers;
use crate::tuning::ANSWER_WEIGHTS;

pub fn run(dir: &Path, today: NaiveDate) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let set = match load_folder(dir, today) {
        Ok(set) => set,
        Err(error @ LoadError::Invalid(_)) => {
            eprintln!("{error}");
            return Ok(ExitCode::FAILURE);
        }
        Err(error) => return Err(error.into()),
    };
    // Rules for shipped content, beyond what the bot needs to load it:
    // sources that are real documents, review dates, replies that fit,
    // every intent placed in the menu.
    let mut problems = oversized_answers(&set);
    problems.extend(oversized_inline_answers(&set));
    problems.extend(menu_problems(&set));
    match Documents::load(dir) {
        Ok(documents) => problems.extend(source_problems(&set, &documents)),
        Err(error) => problems.push(error),
    }
    if !problems.is_empty() {
        eprintln!("{}", LoadError::Invalid(problems));
        return Ok(ExitCode::FAILURE);
    }
    let matcher = Matcher::new(&set);
    let mut warnings: Vec<_> = stale_reviews(&set, today)
        .into_iter()
        .chain(misrouted_patterns(&set, &matcher))
        .collect();
    if !answer_weights_are_current(&set, &ANSWER_WEIGHTS) {
        warnings.push(Warning(FileError::new(
            dir,
            None,
            "the answer decision's weights (ANSWER_WEIGHTS in src/tuning.rs) were fitted on other patterns or decline examples: run `ir-advisor fit` and paste the line it prints",
        )));
    }
    for warning in &warnings {
        writeln!(out, "{warning}")?;
    }
    let patterns: usize = set
        .iter()
        .flat_map(|i| i.texts.values())
        .map(|t| t.patterns.len())
        .sum();
    let langs: Vec<String> = set.languages().iter().map(|l| l.to_string()).collect();
    writeln!(
        out,
        "ok: {} intents, {patterns} patterns, languages {}; {} warning{}",
        set.len(),
        langs.join(", "),
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    )?;
    Ok(ExitCode::SUCCESS)
}
