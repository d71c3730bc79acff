//! `ir-advisor new <id>`: starts an intent file for a maintainer to fill.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::intents::{is_valid_id, Topic, MAX_ID_LEN};

pub fn run(dir: &Path, id: &str, today: NaiveDate) -> anyhow::Result<ExitCode> {
    if !is_valid_id(id) {
        eprintln!(
            "error: `{id}` is not a valid intent id: use lowercase ASCII letters, digits and `_`, \
             at most {MAX_ID_LEN} of them"
        );
        return Ok(ExitCode::from(2));
    }
    let path = dir.join(format!("{id}.toml"));
    // `create_new` refuses an existing file atomically: no check-then-write
    // race with an editor.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists; edit it instead", path.display());
            return Ok(ExitCode::from(2));
        }
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!("creating {}", path.display())))
        }
    };
    file.write_all(template(today).as_bytes())?;
    writeln!(
        std::io::stdout(),
        "wrote {}: fill in the titles, patterns and answers, then run `ir-advisor check`",
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

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
