//! `ir-advisor new <id>`: starts an intent file for a maintainer to fill;
//! `ir-advisor new --decline <kind>`: the same for a decline file.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::intents::{is_valid_id, DeclineKind, Topic, MAX_ID_LEN};

pub fn run(dir: &Path, id: &str, today: NaiveDate) -> anyhow::Result<ExitCode> {
    if !is_valid_id(id) {
        eprintln!(
            "error: `{id}` is not a valid intent id: use lowercase ASCII letters, digits and `_`, \
             at most {MAX_ID_LEN} of them"
        );
        return Ok(ExitCode::from(2));
    }
    let path = dir.join(format!("{id}.toml"));
    let next = "fill in the titles, patterns and answers, then run `ir-advisor check`";
    create(&path, &template(today), next)
}

/// Starts `declines/<kind>.toml`, or, when it exists (the shipped kinds
/// do), says how to extend it: a maintainer adds examples far more often
/// than a kind.
pub fn run_decline(dir: &Path, kind: &str) -> anyhow::Result<ExitCode> {
    let Some(kind) = DeclineKind::parse(kind) else {
        let known: Vec<&str> = DeclineKind::ALL.iter().map(|k| k.as_str()).collect();
        eprintln!(
            "error: `{kind}` is not a decline kind: one of {}",
            known.join(", ")
        );
        return Ok(ExitCode::from(2));
    };
    let path = dir
        .join("declines")
        .join(format!("{kind}.toml", kind = kind.as_str()));
    if path.exists() {
        writeln!(
            std::io::stdout(),
            "{} exists: add example questions in your own words to `examples` of each \
             language (never from tests/data), then run `ir-advisor fit`, paste the \
             weights into src/tuning.rs, and run `ir-advisor check` (see intents/declines/README.md)",
            path.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
    let next = "fill in the replies and examples, then run `ir-advisor fit` and `ir-advisor check`";
    create(&path, DECLINE_TEMPLATE, next)
}

/// Writes a new file, refusing to overwrite one.
fn create(path: &Path, text: &str, next: &str) -> anyhow::Result<ExitCode> {
    // `create_new` refuses an existing file atomically: no check-then-write
    // race with an editor.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists; edit it instead", path.display());
            return Ok(ExitCode::from(2));
        }
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!("creating {}", path.display())))
        }
    };
    file.write_all(text.as_bytes())?;
    writeln!(std::io::stdout(), "wrote {}: {next}", path.display())?;
    Ok(ExitCode::SUCCESS)
}

/// A new decline file: empty replies and examples, so `check` refuses it
/// until it is filled in.
const DECLINE_TEMPLATE: &str = r#"# What this kind covers, for maintainers. See README.md here.

[en]
# One Telegram message: say what the bot cannot do and where to ask,
# never a fact the sources do not state.
reply = """
"""
# Questions that belong to this kind, in your own words, as students type
# them (at least 45 a language; the ones sharing words with a topic matter
# most). Never copied from tests/data.
examples = [
]

[id]
reply = """
"""
examples = [
]
"#;

/// The new file: every field present and explained. Patterns and answers
/// start empty, so `check` (and a running bot's reload) refuses the file
/// until it is filled in rather than serving a placeholder.
fn template(today: NaiveDate) -> String {
    let topics: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
    format!(
        r#"# The menu group this intent is listed under: {topics}.
topic = "about"
# The documents the answers rest on, by their titles in
# sources/documents.toml; every reply ends with a line naming them.
sources = []
# Ids of other intents offered as buttons under the answer.
related = []
# When the answers were last checked against the sources.
reviewed = {today}
# true if the answer speaks of patients' care: the reply then adds
# "for your own care, ask your doctor".
care_note = false

[en]
# The button label for this intent.
title = ""
# Questions students ask about it, as they would type them: short and
# long, with and without "IR", informal too.
patterns = [
]
# The answer, in your own words, stating only what the sources support.
answer = """
"""

[id]
title = ""
patterns = [
]
answer = """
"""
"#,
        topics = topics.join(", ")
    )
}
