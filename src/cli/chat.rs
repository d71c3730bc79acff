//! `ir-advisor chat`: the advisor in a terminal.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use super::lines::for_each_line;
use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::matcher::Matcher;
use crate::replies::{reply_to, Reply};

pub fn run(set: &IntentSet, default_lang: Lang) -> anyhow::Result<ExitCode> {
    let matcher = Matcher::new(set);
    let interactive = io::stdin().is_terminal();
    let mut out = io::stdout().lock();
    if interactive {
        writeln!(
            out,
            "Ask about a career in interventional radiology (Ctrl-D to quit)."
        )?;
        write!(out, "> ")?;
        out.flush()?;
    }
    for_each_line(io::stdin().lock(), |question| {
        if !question.trim().is_empty() {
            let reply = reply_to(set, &matcher.classify(question, default_lang));
            write!(out, "{}", render(&reply))?;
        }
        if interactive {
            write!(out, "> ")?;
        }
        out.flush()
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A reply as terminal text: the answer, then the follow-ups by id so the
/// user can type one.
pub fn render(reply: &Reply) -> String {
    let mut text = format!("{}\n\n{}\n", reply.text, reply.suggestions_heading());
    for s in &reply.suggestions {
        text.push_str(&format!("  • {} [{}]\n", s.title, s.intent));
    }
    text.push('\n');
    text
}
