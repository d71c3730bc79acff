//! `ir-advisor report`: what students asked that the bot could not answer,
//! grouped, with the intent each group came closest to; and how students
//! rated the answers.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::config::StateFiles;
use crate::intents::IntentSet;
use crate::matcher::Matcher;
use crate::report::{group_unmatched, helpfulness_lines, Group};
use crate::storage::ChatStore;
use crate::tuning::SUGGEST_FROM;
use crate::unmatched::read_log;

pub fn run(
    set: &IntentSet,
    files: &StateFiles,
    since: Option<NaiveDate>,
) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let log = read_log(&files.unmatched, since)?;
    let groups = group_unmatched(&Matcher::new(set), &log.entries);
    writeln!(
        out,
        "{} unmatched questions in {} groups (from {}{})",
        log.entries.len(),
        groups.len(),
        files.unmatched.display(),
        since.map_or(String::new(), |day| format!(", since {day}"))
    )?;
    if log.unreadable_lines > 0 {
        writeln!(out, "({} unreadable lines skipped)", log.unreadable_lines)?;
    }
    for (number, group) in groups.iter().enumerate() {
        write!(out, "\n{}", describe(number + 1, group))?;
    }
    writeln!(out, "\nHelpful / not helpful per intent:")?;
    // Opening the database would create it: a maintainer's machine may
    // have none.
    if files.db.exists() {
        write!(
            out,
            "{}",
            helpfulness_lines(&ChatStore::open(&files.db)?.helpfulness()?)
        )?;
    } else {
        writeln!(out, "  (no database at {})", files.db.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(number: usize, group: &Group) -> String {
    let mut text = format!("{number}. {} question{}", group.size, plural(group.size));
    if let Some(kind) = group.decline {
        text.push_str(&format!(", declined as {kind}"));
    }
    let advice = match &group.closest_intent {
        Some(intent) if group.confidence >= SUGGEST_FROM => {
            text.push_str(&format!(
                ", closest intent {intent} ({:.2})",
                group.confidence
            ));
            format!("add these as patterns to {intent}, if it answers them")
        }
        Some(intent) => {
            text.push_str(&format!(
                ", nothing close (best {intent}, {:.2})",
                group.confidence
            ));
            "a new intent, if the sources cover it; else out of scope".to_owned()
        }
        None => "a new intent, if the sources cover it; else out of scope".to_owned(),
    };
    text.push('\n');
    for example in &group.examples {
        text.push_str(&format!("   - {example}\n"));
    }
    text.push_str(&format!("   -> {advice}\n"));
    text
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
