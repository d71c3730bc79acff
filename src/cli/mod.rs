//! The `ir-advisor` command line: a thin shell that reads input, calls the
//! library and prints. The argument types stop here; the library never
//! sees them.

mod chat;
mod check;
mod eval;
mod explain;
mod fit;
mod lines;
mod match_questions;
mod new_intent;
mod report;
mod run;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::check::load_folder;
use crate::intents::{today, IntentSet};
use crate::lang::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "ir-advisor",
    version,
    about = "A bilingual advisor on careers in interventional radiology"
)]
pub struct Cli {
    /// The folder of intent files.
    #[arg(
        long,
        global = true,
        env = "IR_ADVISOR_INTENTS",
        default_value = "intents"
    )]
    pub intents: PathBuf,

    /// The reply language when a question's own words do not tell (en, id).
    #[arg(long, global = true, default_value = "en")]
    pub lang: Lang,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// With no command, the bot runs with these.
    #[command(flatten)]
    pub run: run::RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Telegram bot (the default): long polling, or a webhook with
    /// --webhook-url; token from TELOXIDE_TOKEN in the environment or .env.
    Run(Box<run::RunArgs>),
    /// Talk to the advisor in the terminal, one question per line.
    Chat,
    /// Match questions read from stdin, one per line, and print the intents.
    Match {
        /// One JSON object per line instead of tab-separated text.
        #[arg(long)]
        json: bool,
    },
    /// Show how a question is read and scored: words, language, top intents.
    Explain {
        /// The question, as a student would type it.
        question: String,
    },
    /// Group the questions the bot could not answer, and show how
    /// students rated the answers.
    Report {
        /// Only questions asked on or after this day (YYYY-MM-DD).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        #[command(flatten)]
        files: run::StateFiles,
    },
    /// Start a new intent file, <INTENTS>/<ID>.toml, to fill in.
    New {
        /// The intent id: lowercase letters, digits and `_`.
        id: String,
    },
    /// Validate the intents folder: exit 1 listing every error.
    Check,
    /// Fit the weights of the answer-or-not decision by cross-validation over
    /// the patterns and decline examples, and print them for src/tuning.rs.
    Fit {
        /// How many folds.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..))]
        folds: u16,
    },
    /// Measure matching accuracy on a labelled file (lang, expected, question).
    Eval {
        /// A tab-separated file with the header `lang expected question`.
        file: Option<PathBuf>,
        /// Ask every question with realistic typos, seeded for repeatable runs.
        #[arg(long, value_name = "SEED")]
        noise: Option<u64>,
        /// K-fold cross-validation over the intents' own patterns (no file).
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(2..))]
        cross_validate: Option<u16>,
    },
}

/// Runs the chosen command; the default is the Telegram bot.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli
        .command
        .unwrap_or_else(|| Command::Run(Box::new(cli.run)))
    {
        Command::Run(args) => run::run(&cli.intents, &args),
        Command::Chat => chat::run(&load(&cli.intents)?, cli.lang),
        Command::Match { json } => match_questions::run(&load(&cli.intents)?, cli.lang, json),
        Command::Check => check::run(&cli.intents, today()),
        Command::Report { since, files } => report::run(&load(&cli.intents)?, &files, since),
        Command::New { id } => new_intent::run(&cli.intents, &id, today()),
        Command::Explain { question } => explain::run(&load(&cli.intents)?, cli.lang, &question),
        Command::Fit { folds } => fit::run(&load(&cli.intents)?, usize::from(folds)),
        Command::Eval {
            file,
            noise,
            cross_validate,
        } => eval::run(
            &load(&cli.intents)?,
            eval::EvalRequest {
                file: file.as_deref(),
                noise_seed: noise,
                cross_validate: cross_validate.map(usize::from),
            },
        ),
    }
}

/// Loads the intents folder, naming it in the error.
pub fn load(dir: &Path) -> anyhow::Result<IntentSet> {
    load_folder(dir, today()).with_context(|| format!("loading intents from {}", dir.display()))
}
