//! `ir-advisor chat`: the advisor in a terminal, keeping the conversation
//! as the bot does ("and after that?" follows the last answer).

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use super::lines::for_each_line;
use crate::conversation::{Context, Conversation, Turn};
use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::matcher::Matcher;
use crate::replies::{answered_above, reply_to, topic_label, Reply, Ui};

pub fn run(set: &IntentSet, default_lang: Lang) -> anyhow::Result<ExitCode> {
    let matcher = Matcher::new(set);
    let conversation = Conversation::new(set, &matcher);
    let mut context: Option<Context> = None;
    // The language the user last asked in: a reaction or a question with
    // no telling word is answered in it, as in the bot.
    let mut chat_lang = default_lang;
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
            let now = chrono::Utc::now();
            let turn = conversation.read(context.as_ref(), question, chat_lang, now);
            write!(out, "{}", render_turn(set, &turn))?;
            if let Turn::Question { found, .. } = &turn {
                chat_lang = found.lang;
            }
            context = turn.context_after(set, context.take(), now);
        }
        if interactive {
            write!(out, "> ")?;
        }
        out.flush()
    })?;
    Ok(ExitCode::SUCCESS)
}

/// One turn as terminal text: a reaction is a line and the topics; a
/// repeat says where the answer is, with its id to type for the full one.
fn render_turn(set: &IntentSet, turn: &Turn) -> String {
    match turn {
        Turn::Reaction { lang, puzzled } => {
            let note = if *puzzled { Ui::Puzzled } else { Ui::Reaction };
            format!("{}\n{}\n", note.text(*lang), topic_lines(set, *lang))
        }
        Turn::Question { found, repeat, .. } => {
            let brief = found
                .intent
                .as_deref()
                .filter(|_| *repeat)
                .and_then(|id| answered_above(set, id, found.lang));
            let reply = brief.unwrap_or_else(|| reply_to(set, found));
            render(set, &reply)
        }
    }
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
        text.push_str(&topic_lines(set, reply.lang));
    }
    text.push('\n');
    text
}

/// Every menu group with its topics' titles, a line each, in the menu's
/// order (small talk such as hello and thanks is not listed).
fn topic_lines(set: &IntentSet, lang: Lang) -> String {
    let mut text = String::new();
    let menu = set.menu();
    for topic in menu.topics() {
        let titles: Vec<&str> = menu
            .intents(topic)
            .iter()
            .filter_map(|id| set.get(id))
            .map(|i| i.text(lang).title.as_str())
            .collect();
        text.push_str(&format!(
            "  {}: {}\n",
            topic_label(topic, lang),
            titles.join(", ")
        ));
    }
    text
}
