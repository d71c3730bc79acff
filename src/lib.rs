//! ir-advisor: a bilingual FAQ bot about careers in interventional
//! radiology. The library holds everything but the program's entry point,
//! so that tests and benchmarks use exactly what the bot runs.
//!
//! - [`lang`], [`text`], [`tuning`], [`file_error`]: the leaves everything
//!   else builds on (languages, words, the matcher's constants, data-file
//!   errors)
//! - [`intents`]: intent files -> a validated [`intents::IntentSet`]
//! - [`lexicon`]: per-language word lists that tune matching
//! - [`matcher`]: pure question -> intent matching
//! - [`check`]: the rules that need both the intents and the matcher
//! - [`evaluation`]: accuracy figures over labelled questions
//! - [`conversation`]: a message read against what the chat just said
//! - [`replies`]: what the bot says, per language
//! - [`storage`]: per-chat state and answer ratings in SQLite
//! - [`unmatched`], [`report`], [`stats`]: what the bot could not answer, for maintainers
//! - [`telegram`]: the Telegram bot around all of the above
//! - [`logging`]: log lines that never show the bot token
//! - [`config`]: every setting of the bot, read once
//! - [`cli`]: the `ir-advisor` command line

pub mod check;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod evaluation;
pub mod file_error;
pub mod intents;
pub mod lang;
pub mod lexicon;
pub mod logging;
pub mod matcher;
pub mod replies;
pub mod report;
#[cfg(test)]
mod shipped;
pub mod stats;
pub mod storage;
pub mod telegram;
pub mod text;
pub mod tuning;
pub mod unmatched;
