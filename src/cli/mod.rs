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
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::check::load_folder;
use crate::config::{BotArgs, Config, StateFiles};
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

    #[command(subcommand)]
    pub command: Option<Command>,

    /// With no command, the bot runs with these.
    #[command(flatten)]
    pub run: BotArgs,
}

/// For the commands that answer questions.
#[derive(Debug, clap::Args)]
pub struct ReplyLang {
    /// The reply language when a question's own words do not tell (en, id).
    #[arg(long, default_value = "en")]
    pub lang: Lang,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Telegram bot (the default): long polling, or a webhook with
    /// --webhook-url; token from TELOXIDE_TOKEN in the environment or .env.
    Run(Box<BotArgs>),
    /// Talk to the advisor in the terminal, one question per line.
    Chat {
        #[command(flatten)]
        reply: ReplyLang,
    },
    /// Match questions read from stdin, one per line, and print the intents.
    Match {
        /// One JSON object per line instead of tab-separated text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        reply: ReplyLang,
    },
    /// Show how a question is read and scored: words, language, top intents.
    Explain {
        /// The question, as a student would type it.
        question: String,
        #[command(flatten)]
        reply: ReplyLang,
    },
    /// Group the questions the bot could not answer, and show how
    /// students rated the answers.
    Report {
        /// Only questions asked on or after this day (YYYY-MM-DD).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        #[command(flatten)]
        files: StateFiles,
    },
    /// Start a new intent file, `<INTENTS>/<ID>.toml`, to fill in (with
    /// `--decline`, a decline file, or guidance on extending one).
    New {
        /// The intent id: lowercase letters, digits and `_` (with
        /// `--decline`, a decline kind: medical, not_covered, off_topic).
        id: String,
        /// Start (or get guidance on) a decline file in `declines/`
        /// instead of an intent.
        #[arg(long)]
        decline: bool,
    },
    /// Validate the intents folder: exit 1 listing every error.
    Check,
    /// Fit the weights of the answer-or-not decision by cross-validation over
    /// the patterns and decline examples, and print them for src/tuning.rs.
    Fit {
        /// How many folds.
        #[arg(long, default_value_t = crate::evaluation::FIT_FOLDS, value_parser = clap::value_parser!(u16).range(2..))]
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
        /// Read the file as conversations (conversation, turn, lang,
        /// expected, kind, message), each turn against the ones before.
        #[arg(long, conflicts_with_all = ["noise", "cross_validate"])]
        conversations: bool,
    },
}

/// The command line as given. The bot's flags may come before no command
/// at all (`ir-advisor --db X` runs the bot) but not before another one:
/// `ir-advisor --unmatched X report` is an error, not a report that
/// silently reads the default file. (`--intents` is for every command.)
pub fn parse() -> Cli {
    let mut command = Cli::command();
    let matches = command.clone().get_matches();
    if let Some(subcommand) = matches.subcommand_name() {
        let misplaced = command
            .get_arguments()
            .find(|arg| {
                !arg.is_global_set()
                    && matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine)
            })
            .and_then(|arg| arg.get_long().map(|long| format!("--{long}")));
        if let Some(arg) = misplaced {
            let message = format!(
                "{arg} before `{subcommand}` would be ignored: give it after the command \
                 (`ir-advisor {subcommand} {arg} ...`) if the command takes it"
            );
            command.error(ErrorKind::ArgumentConflict, message).exit();
        }
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// Runs the chosen command; the default is the Telegram bot.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli
        .command
        .unwrap_or_else(|| Command::Run(Box::new(cli.run)))
    {
        Command::Run(args) => run::run(Config::new(cli.intents, *args, |name| {
            std::env::var(name).ok()
        })),
        Command::Chat { reply } => chat::run(&load(&cli.intents)?, reply.lang),
        Command::Match { json, reply } => {
            match_questions::run(&load(&cli.intents)?, reply.lang, json)
        }
        Command::Check => check::run(&cli.intents, today()),
        Command::Report { since, files } => report::run(&load(&cli.intents)?, &files, since),
        Command::New { id, decline: false } => new_intent::run(&cli.intents, &id, today()),
        Command::New { id, decline: true } => new_intent::run_decline(&cli.intents, &id),
        Command::Explain { question, reply } => {
            explain::run(&load(&cli.intents)?, reply.lang, &question)
        }
        Command::Fit { folds } => fit::run(&load(&cli.intents)?, usize::from(folds)),
        Command::Eval {
            file,
            noise,
            cross_validate,
            conversations,
        } => eval::run(
            &load(&cli.intents)?,
            eval::EvalRequest {
                file: file.as_deref(),
                noise_seed: noise,
                cross_validate: cross_validate.map(usize::from),
                conversations,
            },
        ),
    }
}

/// Loads the intents folder, naming it in the error.
pub fn load(dir: &Path) -> anyhow::Result<IntentSet> {
    load_folder(dir, today()).with_context(|| format!("loading intents from {}", dir.display()))
}
