//! `ir-advisor eval`: accuracy figures on a labelled file, under typing
//! noise, or by cross-validation over the intents' own patterns.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::evaluation::{
    cross_validate_noisy, evaluate, evaluate_conversations, evaluate_noisy, parse_conversations,
    parse_tsv, Labelled,
};
use crate::intents::IntentSet;
use crate::matcher::Matcher;

/// What to evaluate, as the command line asked.
pub struct EvalRequest<'a> {
    pub file: Option<&'a Path>,
    pub noise_seed: Option<u64>,
    pub cross_validate: Option<usize>,
    /// The file is a conversation set.
    pub conversations: bool,
}

pub fn run(set: &IntentSet, request: EvalRequest) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if request.conversations {
        let Some(file) = request.file else {
            bail!("--conversations reads a conversation file: give one");
        };
        let turns = parse_conversations(&read_text(file)?)
            .with_context(|| format!("in {}", file.display()))?;
        writeln!(out, "{}", evaluate_conversations(set, &turns))?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = match (request.cross_validate, request.file) {
        (Some(folds), None) => cross_validate_noisy(set, folds, request.noise_seed),
        (Some(_), Some(_)) => {
            bail!("--cross-validate uses the intents' own patterns: give no file")
        }
        (None, None) => {
            bail!("give a labelled file (lang, expected, question), or --cross-validate K")
        }
        (None, Some(file)) => {
            let rows = read_rows(file)?;
            let matcher = Matcher::new(set);
            match request.noise_seed {
                None => evaluate(set, &matcher, &rows),
                Some(seed) => evaluate_noisy(&matcher, &rows, seed),
            }
        }
    };
    writeln!(out, "{report}")?;
    Ok(ExitCode::SUCCESS)
}

fn read_rows(file: &Path) -> anyhow::Result<Vec<Labelled>> {
    parse_tsv(&read_text(file)?).with_context(|| format!("in {}", file.display()))
}

fn read_text(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}
