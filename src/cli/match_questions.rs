//! `ir-advisor match`: questions in, intents out, one line each, streamed.

use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::lines::for_each_line;
use crate::intents::{DeclineKind, IntentSet};
use crate::lang::Lang;
use crate::matcher::{Candidate, Matcher};

#[derive(Serialize)]
struct JsonLine<'a> {
    question: &'a str,
    /// `answer`, `clarify` or `decline`.
    decision: &'static str,
    /// The decline kind when declined, else null.
    decline: Option<DeclineKind>,
    intent: Option<&'a str>,
    confidence: f32,
    lang: Lang,
    candidates: &'a [Candidate],
}

pub fn run(set: &IntentSet, default_lang: Lang, json: bool) -> anyhow::Result<ExitCode> {
    let matcher = Matcher::new(set);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for_each_line(io::stdin().lock(), |question| {
        let found = matcher.classify(question, default_lang);
        if json {
            let line = JsonLine {
                question,
                decision: found.decision.name(),
                decline: found.decision.decline(),
                intent: found.intent.as_deref(),
                confidence: found.confidence,
                lang: found.lang,
                candidates: &found.candidates,
            };
            serde_json::to_writer(&mut out, &line)?;
            writeln!(out)?;
        } else {
            let intent = found.intent.as_deref().unwrap_or("none");
            writeln!(
                out,
                "{intent}\t{:.3}\t{}\t{question}",
                found.confidence, found.lang
            )?;
        }
        // Stream: the answer to each line is out before the next is read.
        out.flush()
    })?;
    Ok(ExitCode::SUCCESS)
}
