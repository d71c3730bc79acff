//! `ir-advisor explain "question"`: why a question went where it went.

use std::io::Write;
use std::process::ExitCode;

use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::matcher::{Explanation, Matcher};

pub fn run(set: &IntentSet, default_lang: Lang, question: &str) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let explained = Matcher::new(set).explain(question, default_lang);
    write_reading(&mut out, &explained)?;
    if let Some(sentence) = &explained.question_sentence {
        writeln!(
            out,
            "\nanswered on its question sentence, read alone: \"{}\"",
            sentence.question
        )?;
        write_reading(&mut out, sentence)?;
    }
    let found = &explained.decision;
    match (&found.intent, found.decision.decline()) {
        (Some(intent), _) => {
            writeln!(out, "answer: {intent} (confidence {:.3})", found.confidence)?
        }
        (None, kind) => writeln!(
            out,
            "answer: declined as {} (confidence {:.3})",
            kind.map_or("unclear", |k| k.as_str()),
            found.confidence
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The language, words and best-scoring intents of one reading.
fn write_reading(out: &mut impl Write, explained: &Explanation) -> std::io::Result<()> {
    writeln!(out, "language: {}", explained.lang)?;
    let words: Vec<String> = explained
        .words
        .iter()
        .map(|w| match &w.term {
            Some((term, weight)) if w.similarity < 1.0 => {
                format!("{term}~{:.2}(w {weight:.2})", w.similarity)
            }
            Some((term, weight)) => format!("{term}(w {weight:.2})"),
            None => format!("{}(unknown)", w.word),
        })
        .collect();
    writeln!(out, "words: {}", words.join(" "))?;
    if let Some(word) = &explained.out_of_scope_word {
        writeln!(
            out,
            "out of scope: `{word}` asks for something no intent offers"
        )?;
    }
    for scored in &explained.best {
        writeln!(
            out,
            "{:<28} score {:.3}  fit {:.3}  covered {:.3}  word model {:.3}\n    best pattern [{}] \"{}\" shares: {}",
            scored.intent,
            scored.score,
            scored.best_pattern_fit,
            scored.vocabulary_covered,
            scored.word_model,
            scored.pattern_lang,
            scored.pattern,
            scored.shared_terms.join(" ")
        )?;
    }
    Ok(())
}
