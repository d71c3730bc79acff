//! `ir-advisor chat`: the advisor in a terminal.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use super::lines::for_each_line;
use crate::intents::{IntentSet, Topic};
use crate::lang::Lang;
use crate::matcher::Matcher;
use crate::replies::{reply_to, topic_label, Reply};

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
            write!(out, "{}", render(set, &reply))?;
        }
        if interactive {
            write!(out, "> ")?;
        }
        out.flush()
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A reply as terminal text: the answer, then the follow-ups by id so the
/// user can type one (numbered when the bot asks which was meant); a
/// decline with nothing close lists every topic.
pub fn render(set: &IntentSet, reply: &Reply) -> String {
    let mut text = reply.message_text();
    text.push('\n');
    for (number, s) in (1..).zip(&reply.suggestions) {
        if reply.clarifying {
            text.push_str(&format!("  {number}. {} [{}]\n", s.title, s.intent));
        } else {
            text.push_str(&format!("  • {} [{}]\n", s.title, s.intent));
        }
    }
    if reply.suggestions.is_empty() {
        for topic in Topic::ALL {
            let titles: Vec<&str> = set
                .in_topic(topic)
                .map(|i| i.text(reply.lang).title.as_str())
                .collect();
            text.push_str(&format!(
                "  {}: {}\n",
                topic_label(topic, reply.lang),
                titles.join(", ")
            ));
        }
    }
    text.push('\n');
    text
}
