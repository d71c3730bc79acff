//! The conversation set: exchanges of two or three turns, each turn
//! labelled with what it should get and what kind of turn it is, read
//! through [`Conversation`] as a chat would read them.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use super::{tsv_rows, EvalFileError, Expected, RightCount, FALLBACK_LANG};
use crate::conversation::{read, Context, Conversation, Said, Turn};
use crate::intents::{DeclineKind, IntentSet};
use crate::lang::Lang;
use crate::matcher::{Decision, Matcher};

const HEADER: [&str; 6] = [
    "conversation",
    "turn",
    "lang",
    "expected",
    "kind",
    "message",
];

/// What a turn of the set tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnKind {
    /// The first question, on its own.
    Opening,
    /// A follow-up to be read against the turn before.
    FollowUp,
    /// A new, complete question: context must not change its reading.
    Control,
    /// A personal health question: declined as `medical` whatever came
    /// before.
    Medical,
}

impl TurnKind {
    fn parse(name: &str) -> Option<TurnKind> {
        match name {
            "opening" => Some(TurnKind::Opening),
            "followup" => Some(TurnKind::FollowUp),
            "control" => Some(TurnKind::Control),
            "medical" => Some(TurnKind::Medical),
            _ => None,
        }
    }
}

/// One labelled turn.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledTurn {
    pub conversation: String,
    pub lang: Lang,
    pub expected: Expected,
    pub kind: TurnKind,
    pub message: String,
}

/// Parses the set's rows after its header; the turns of a conversation
/// are kept in file order.
pub fn parse_conversations(text: &str) -> Result<Vec<LabelledTurn>, EvalFileError> {
    tsv_rows(text, &HEADER)?
        .into_iter()
        .map(
            |(n, [conversation, _turn, lang, expected, kind, message])| {
                let error = |message: String| EvalFileError::at(n, message);
                Ok(LabelledTurn {
                    conversation: conversation.to_owned(),
                    lang: lang.parse().map_err(error)?,
                    expected: Expected::parse(expected).map_err(error)?,
                    kind: TurnKind::parse(kind).ok_or_else(|| {
                        error(format!(
                            "`{kind}`: a turn is opening, followup, control or medical"
                        ))
                    })?,
                    message: message.to_owned(),
                })
            },
        )
        .collect()
}

/// A turn the conversation got wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct TurnMiss {
    pub conversation: String,
    pub message: String,
    pub expected: Expected,
    pub got: String,
}

/// The conversation set's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConversationReport {
    pub openings: RightCount,
    pub follow_ups: RightCount,
    /// Controls answered as the set says.
    pub controls: RightCount,
    /// Controls the context did not change: the same verdict as the
    /// message alone.
    pub controls_untouched: RightCount,
    pub medical: RightCount,
    /// The follow-ups by how they were read: as a follow-up of the last
    /// topic, with a cue but on their own words, with no cue, or as a
    /// reaction; to see which rule to work on.
    pub follow_ups_by_reading: BTreeMap<&'static str, RightCount>,
    /// The medical turns as the matcher reads them alone.
    pub medical_alone: RightCount,
    pub misses: Vec<TurnMiss>,
}

/// Runs every conversation from an empty context, its turns a moment
/// apart (well within the context window).
pub fn evaluate_conversations(set: &IntentSet, turns: &[LabelledTurn]) -> ConversationReport {
    let matcher = Matcher::new(set);
    let conversation = Conversation::new(set, &matcher);
    let now: DateTime<Utc> = DateTime::UNIX_EPOCH;
    let mut report = ConversationReport::default();
    let mut context: Option<Context> = None;
    let mut current = None;
    for row in turns {
        if current != Some(&row.conversation) {
            context = None;
            current = Some(&row.conversation);
        }
        let turn = conversation.read(context.as_ref(), &row.message, FALLBACK_LANG, now);
        let right = match (&turn, &row.expected) {
            (Turn::Question { found, .. }, expected) => expected.accepts(found),
            (Turn::Reaction { .. }, expected) => {
                !expected.is_in_scope()
                    && *expected != Expected::Decline(Some(DeclineKind::Medical))
            }
        };
        let tally = match row.kind {
            TurnKind::Opening => &mut report.openings,
            TurnKind::FollowUp => &mut report.follow_ups,
            TurnKind::Control => &mut report.controls,
            TurnKind::Medical => &mut report.medical,
        };
        tally.add(right);
        if row.kind == TurnKind::FollowUp {
            let reading = match (&turn, read(set, &row.message)) {
                (Turn::Reaction { .. }, _) => "reaction",
                (
                    Turn::Question {
                        follow_up: Some(kind),
                        found,
                        ..
                    },
                    _,
                ) => match found.decision {
                    Decision::Clarify => "as a follow-up, no target",
                    _ => kind.reading(),
                },
                (_, Said::Cue { .. }) => "cue, own words",
                _ => "no cue",
            };
            report
                .follow_ups_by_reading
                .entry(reading)
                .or_default()
                .add(right);
        }
        if row.kind == TurnKind::Medical {
            let alone = matcher.classify(&row.message, FALLBACK_LANG);
            report.medical_alone.add(row.expected.accepts(&alone));
        }
        if row.kind == TurnKind::Control {
            let alone = matcher.classify(&row.message, FALLBACK_LANG);
            let untouched = turn
                .found()
                .is_some_and(|f| f.decision == alone.decision && f.intent == alone.intent);
            report.controls_untouched.add(untouched);
        }
        if !right {
            report.misses.push(TurnMiss {
                conversation: row.conversation.clone(),
                message: row.message.clone(),
                expected: row.expected.clone(),
                got: got_label(&turn),
            });
        }
        context = turn.context_after(set, context, now);
    }
    report
}

fn got_label(turn: &Turn) -> String {
    match turn {
        Turn::Reaction { .. } => "reaction".to_owned(),
        Turn::Question { found, .. } => match (&found.intent, found.decision.decline()) {
            (Some(intent), _) => intent.clone(),
            (None, Some(kind)) => Expected::Decline(Some(kind)).to_string(),
            (None, None) => "clarify".to_owned(),
        },
    }
}

impl fmt::Display for ConversationReport {
    /// The misses first (lines starting `miss`), then the figures.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for miss in &self.misses {
            writeln!(
                f,
                "miss\t[{}] {}\texpected {}\tgot {}",
                miss.conversation, miss.message, miss.expected, miss.got
            )?;
        }
        let line = |f: &mut fmt::Formatter<'_>, name: &str, t: &RightCount| {
            writeln!(f, "{name:<24} {:.3}  ({}/{})", t.rate(), t.right, t.total)
        };
        line(f, "openings right", &self.openings)?;
        line(f, "follow-ups resolved", &self.follow_ups)?;
        for (reading, tally) in &self.follow_ups_by_reading {
            line(f, &format!("  read {reading}"), tally)?;
        }
        line(f, "controls right", &self.controls)?;
        line(f, "controls untouched", &self.controls_untouched)?;
        line(f, "medical declined", &self.medical)?;
        line(f, "  message alone", &self.medical_alone)
    }
}
