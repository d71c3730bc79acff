//! `ir-advisor explain "question"`: why a question went where it went.

use std::io::Write;
use std::process::ExitCode;

use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::matcher::{Matcher, MAX_CANDIDATES};

pub fn run(set: &IntentSet, default_lang: Lang, question: &str) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let matcher = Matcher::new(set);
    let analysis = matcher.analyze(question, default_lang);
    writeln!(out, "language: {}", analysis.lang)?;
    let words: Vec<String> = analysis
        .words
        .iter()
        .map(|w| match w.term {
            Some(term) if w.similarity < 1.0 => format!(
                "{}~{:.2}(w {:.2})",
                matcher.index().name(term),
                w.similarity,
                matcher.index().weight(term)
            ),
            Some(term) => format!(
                "{}(w {:.2})",
                matcher.index().name(term),
                matcher.index().weight(term)
            ),
            None => format!("{}(unknown)", w.word),
        })
        .collect();
    writeln!(out, "words: {}", words.join(" "))?;
    if let Some(word) = &analysis.out_of_scope_word {
        writeln!(
            out,
            "out of scope: `{word}` asks for something no intent offers"
        )?;
    }
    let ranked = matcher.rank(&analysis);
    for scored in ranked.iter().take(MAX_CANDIDATES) {
        let pattern = &matcher.index().patterns[scored.best_pattern];
        let shared: Vec<&str> = analysis
            .words
            .iter()
            .filter_map(|w| w.term)
            .filter(|t| pattern.terms.contains(t))
            .map(|t| matcher.index().name(t))
            .collect();
        writeln!(
            out,
            "{:<28} score {:.3}  best pattern [{}] \"{}\" shares: {}",
            matcher.intent_id(scored.intent),
            scored.score,
            pattern.lang,
            pattern.text,
            shared.join(" ")
        )?;
    }
    let found = matcher.decide(&analysis, ranked.iter().copied());
    match &found.intent {
        Some(intent) => writeln!(out, "answer: {intent} (confidence {:.3})", found.confidence)?,
        None => writeln!(out, "answer: declined (confidence {:.3})", found.confidence)?,
    }
    Ok(ExitCode::SUCCESS)
}
