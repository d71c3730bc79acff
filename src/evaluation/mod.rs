//! Accuracy over labelled questions: how maintainers measure that a change
//! did not make matching worse. Pure: the caller reads the file.

mod answer_fit;
mod conversations;
mod cross_validation;
mod noise;

use std::collections::BTreeMap;
use std::fmt;

pub use answer_fit::{answer_weights_are_current, fit_answer, FIT_FOLDS};
pub use conversations::{
    evaluate_conversations, parse_conversations, ConversationReport, LabelledTurn, TurnKind,
};
pub use cross_validation::{cross_validate, cross_validate_noisy};
pub use noise::{add_typing_noise, evaluate_noisy};

use chrono::{DateTime, Utc};

use crate::conversation::{Conversation, Turn};
use crate::intents::{DeclineKind, IntentSet};
use crate::lang::Lang;
use crate::matcher::{Candidate, Decision, Match, Matcher};

/// The reply language when a question's words do not tell, as for a user
/// whose Telegram settings say nothing: every evaluation uses it.
pub const FALLBACK_LANG: Lang = Lang::EN;

/// How many bands of confidence the calibration table has.
pub const CONFIDENCE_BANDS: usize = 10;

/// The label of a question no intent should answer.
pub const OUT_OF_SCOPE: &str = "none";
const HEADER: [&str; 3] = ["lang", "expected", "question"];

/// What should happen to a labelled question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Any of these intents answers it (`a` or `a|b`).
    Topic(Vec<String>),
    /// No topic answers it (`none`), and why, where the file says
    /// (`none:medical`, `none:not_covered`, `none:off_topic`).
    Decline(Option<DeclineKind>),
}

impl Expected {
    /// Parses a label: an intent id, ids joined by `|`, `none` or
    /// `none:<kind>`, never a mix of ids and `none`.
    pub fn parse(label: &str) -> Result<Expected, String> {
        let is_decline =
            |part: &str| part == OUT_OF_SCOPE || part.starts_with(&format!("{OUT_OF_SCOPE}:"));
        let parts: Vec<&str> = label.split('|').map(str::trim).collect();
        match parts[..] {
            [single] if is_decline(single) => match single.split_once(':') {
                None => Ok(Expected::Decline(None)),
                Some((_, name)) => DeclineKind::parse(name)
                    .map(|kind| Expected::Decline(Some(kind)))
                    .ok_or_else(|| {
                        format!("`{name}` is not a decline kind: medical, not_covered or off_topic")
                    }),
            },
            _ if parts.iter().any(|p| p.is_empty() || is_decline(p)) => Err(format!(
                "`{label}`: join intent ids with `|`; `none` stands alone"
            )),
            _ => Ok(Expected::Topic(
                parts.iter().map(|p| p.to_string()).collect(),
            )),
        }
    }

    /// Whether `found` is right: the topic answered is one of the labelled
    /// ones; an out-of-scope question is not answered (declined, or
    /// clarified), and a personal medical one is declined as `medical`.
    pub fn accepts(&self, found: &Match) -> bool {
        match (self, &found.intent) {
            (Expected::Topic(ids), Some(got)) => ids.iter().any(|id| id == got),
            (Expected::Topic(_), None) => false,
            (Expected::Decline(Some(DeclineKind::Medical)), _) => {
                found.decision == Decision::Decline(DeclineKind::Medical)
            }
            (Expected::Decline(_), got) => got.is_none(),
        }
    }

    pub fn is_in_scope(&self) -> bool {
        matches!(self, Expected::Topic(_))
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Topic(ids) => f.write_str(&ids.join("|")),
            Expected::Decline(None) => f.write_str(OUT_OF_SCOPE),
            Expected::Decline(Some(kind)) => write!(f, "{OUT_OF_SCOPE}:{kind}"),
        }
    }
}

/// One labelled question of an evaluation file.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub lang: Lang,
    pub expected: Expected,
    pub question: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EvalFileError {
    pub line: usize,
    pub message: String,
}

impl EvalFileError {
    /// An error on the file's line `index` (counted from 0).
    fn at(index: usize, message: impl Into<String>) -> EvalFileError {
        EvalFileError {
            line: index + 1,
            message: message.into(),
        }
    }
}

/// The rows of a tab-separated eval file after its `header` line (blank
/// lines skipped), each with its line index and its `N` fields trimmed.
/// A wrong header, or a row without `N` fields, is an error naming its line.
fn tsv_rows<'a, const N: usize>(
    text: &'a str,
    header: &[&str],
) -> Result<Vec<(usize, [&'a str; N])>, EvalFileError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header_ok = lines.next().is_some_and(|(_, h)| {
        h.trim_start_matches('\u{feff}')
            .split('\t')
            .map(str::trim)
            .eq(header.iter().copied())
    });
    if !header_ok {
        let header = header.join("\\t");
        return Err(EvalFileError::at(
            0,
            format!("the first line must be the header `{header}`"),
        ));
    }
    lines
        .map(|(n, line)| {
            let fields: Vec<&str> = line.splitn(N, '\t').map(str::trim).collect();
            let fields = <[&str; N]>::try_from(fields)
                .map_err(|_| EvalFileError::at(n, format!("expected {N} tab-separated fields")))?;
            Ok((n, fields))
        })
        .collect()
}

/// Parses `lang<TAB>expected<TAB>question` rows after that header.
pub fn parse_tsv(text: &str) -> Result<Vec<Labelled>, EvalFileError> {
    tsv_rows(text, &HEADER)?
        .into_iter()
        .map(|(n, [lang, expected, question])| {
            let error = |message: String| EvalFileError::at(n, message);
            Ok(Labelled {
                lang: lang.parse().map_err(error)?,
                expected: Expected::parse(expected).map_err(error)?,
                question: question.to_owned(),
            })
        })
        .collect()
}

/// A question the matcher got wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    pub question: String,
    pub expected: Expected,
    /// The intent answered, or `None` when declined.
    pub got: Option<String>,
    /// The kind of decline, when declined.
    pub declined_as: Option<DeclineKind>,
    /// Taken as a reaction that asks nothing ("mantap"), neither answered
    /// nor declined.
    pub reaction: bool,
    pub confidence: f32,
}

/// Right out of how many.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RightCount {
    pub right: usize,
    pub total: usize,
}

impl RightCount {
    fn merge(&mut self, other: RightCount) {
        self.right += other.right;
        self.total += other.total;
    }

    pub fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }

    /// The share right; 1 for an empty tally, which has nothing wrong.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

/// The answers given with confidence in one band.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ConfidenceBand {
    pub answers: RightCount,
    confidence_sum: f64,
}

impl ConfidenceBand {
    fn merge(&mut self, other: ConfidenceBand) {
        self.answers.merge(other.answers);
        self.confidence_sum += other.confidence_sum;
    }

    pub fn add(&mut self, confidence: f32, right: bool) {
        self.answers.add(right);
        self.confidence_sum += f64::from(confidence);
    }

    /// The answers' mean confidence; 0 for an empty band.
    pub fn mean_confidence(&self) -> f64 {
        if self.answers.total == 0 {
            0.0
        } else {
            self.confidence_sum / self.answers.total as f64
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accuracy {
    pub overall: RightCount,
    pub in_scope: RightCount,
    pub per_lang: BTreeMap<Lang, RightCount>,
    /// In-scope accuracy per language: each language must hold up alone.
    pub in_scope_per_lang: BTreeMap<Lang, RightCount>,
    /// Of the questions declined, how many were really out of scope.
    pub out_of_scope_precision: RightCount,
    /// Of the out-of-scope questions, how many were declined.
    pub out_of_scope_recall: RightCount,
    /// Of the in-scope questions the bot asked about ("did you mean"), how
    /// many had the right topic among the choices.
    pub clarified: RightCount,
    /// The out-of-scope questions answered with a topic, in all and of
    /// those labelled `medical`.
    pub answered_out_of_scope: usize,
    pub answered_medical: usize,
    /// Of the questions answered, per tenth of confidence (0–0.1, …,
    /// 0.9–1), how many were answered right and how confident the answers
    /// were: whether the confidence means what it says.
    pub calibration: [ConfidenceBand; CONFIDENCE_BANDS],
    /// Rows labelled with intents the set does not have (topics still to
    /// be written): left out of every other figure, counted here with how
    /// many the bot answered anyway.
    pub unwritten_topics: RightCount,
    /// Of the in-scope questions, how many got a reply in their language.
    pub reply_language: RightCount,
    /// Of the out-of-scope questions of each labelled kind, how many were
    /// declined rather than answered with a topic.
    pub declined_by_kind: BTreeMap<DeclineKind, RightCount>,
    /// Of the out-of-scope questions of each labelled kind, how many were
    /// declined as that kind (a medical question must be declined as
    /// `medical`, so that it gets the "ask your doctor" reply).
    pub right_kind: BTreeMap<DeclineKind, RightCount>,
    /// The questions the bot took as reactions ("ok", "mantap", "👍"):
    /// it gives them a short friendly reply and the topics, neither an
    /// answer nor a decline.
    pub reactions: usize,
    pub misses: Vec<Miss>,
}

impl Accuracy {
    /// Adds another run's figures to these.
    pub fn merge(&mut self, other: Accuracy) {
        self.overall.merge(other.overall);
        self.in_scope.merge(other.in_scope);
        for (lang, tally) in other.per_lang {
            self.per_lang.entry(lang).or_default().merge(tally);
        }
        for (lang, tally) in other.in_scope_per_lang {
            self.in_scope_per_lang.entry(lang).or_default().merge(tally);
        }
        self.out_of_scope_precision
            .merge(other.out_of_scope_precision);
        self.out_of_scope_recall.merge(other.out_of_scope_recall);
        self.reply_language.merge(other.reply_language);
        self.clarified.merge(other.clarified);
        self.answered_out_of_scope += other.answered_out_of_scope;
        self.answered_medical += other.answered_medical;
        self.reactions += other.reactions;
        for (band, tally) in self.calibration.iter_mut().zip(other.calibration) {
            band.merge(tally);
        }
        self.unwritten_topics.merge(other.unwritten_topics);
        for (kind, tally) in other.declined_by_kind {
            self.declined_by_kind.entry(kind).or_default().merge(tally);
        }
        for (kind, tally) in other.right_kind {
            self.right_kind.entry(kind).or_default().merge(tally);
        }
        self.misses.extend(other.misses);
    }
}

/// Asks every question as the first message of a chat, falling back to
/// [`FALLBACK_LANG`]: what the bot does with it (a reaction before the
/// question set aside, "mantap" taken as a reaction), not the matcher's
/// reading alone. Rows whose topics the matcher does not know are counted
/// apart (see [`Accuracy::unwritten_topics`]).
pub fn evaluate(set: &IntentSet, matcher: &Matcher, rows: &[Labelled]) -> Accuracy {
    let conversation = Conversation::new(set, matcher);
    let now: DateTime<Utc> = DateTime::UNIX_EPOCH;
    let ask = |question: &str| match conversation.read(None, question, FALLBACK_LANG, now) {
        Turn::Question { found, .. } => Some(found),
        Turn::Reaction { .. } => None,
    };
    let unwritten = |row: &&Labelled| match &row.expected {
        Expected::Topic(ids) => !ids.iter().any(|id| matcher.knows(id)),
        Expected::Decline(_) => false,
    };
    let (apart, known): (Vec<&Labelled>, Vec<&Labelled>) = rows.iter().partition(unwritten);
    let known: Vec<Labelled> = known.into_iter().cloned().collect();
    let mut report = evaluate_with(&known, ask);
    for row in apart {
        let answered = ask(&row.question).is_some_and(|got| got.intent.is_some());
        report.unwritten_topics.add(answered);
    }
    report
}

/// Scores answers from any source (the bot, a noisy copy of the
/// questions, a matcher built without some patterns); `None` is a
/// question taken as a reaction.
pub fn evaluate_with(rows: &[Labelled], mut ask: impl FnMut(&str) -> Option<Match>) -> Accuracy {
    let mut report = Accuracy::default();
    for row in rows {
        let Some(got) = ask(&row.question) else {
            add_reaction(&mut report, row);
            continue;
        };
        let right = row.expected.accepts(&got);
        if got.decision == Decision::Answer {
            let band = (got.confidence * CONFIDENCE_BANDS as f32) as usize;
            report.calibration[band.min(CONFIDENCE_BANDS - 1)].add(got.confidence, right);
        }
        report.overall.add(right);
        report.per_lang.entry(row.lang).or_default().add(right);
        match &row.expected {
            Expected::Topic(ids) => {
                report.in_scope.add(right);
                report
                    .in_scope_per_lang
                    .entry(row.lang)
                    .or_default()
                    .add(right);
                report.reply_language.add(got.lang == row.lang);
                if got.decision == Decision::Clarify {
                    let offered = |c: &Candidate| ids.contains(&c.intent);
                    report.clarified.add(got.candidates.iter().any(offered));
                }
            }
            Expected::Decline(kind) => {
                let answered = got.intent.is_some();
                report.out_of_scope_recall.add(!answered);
                report.answered_out_of_scope += usize::from(answered);
                if let Some(kind) = kind {
                    report
                        .declined_by_kind
                        .entry(*kind)
                        .or_default()
                        .add(!answered);
                    let as_kind = got.decision.decline() == Some(*kind);
                    report.right_kind.entry(*kind).or_default().add(as_kind);
                    if *kind == DeclineKind::Medical {
                        report.answered_medical += usize::from(answered);
                    }
                }
            }
        }
        if got.decision.decline().is_some() {
            report
                .out_of_scope_precision
                .add(!row.expected.is_in_scope());
        }
        if !right {
            report.misses.push(Miss {
                question: row.question.clone(),
                expected: row.expected.clone(),
                got: got.intent,
                declined_as: got.decision.decline(),
                reaction: false,
                confidence: got.confidence,
            });
        }
    }
    report
}

/// Scores a question taken as a reaction, as the conversation figures do:
/// right for an out-of-scope question that is not medical (its friendly
/// reply and topics are what the off-topic decline gives), wrong for any
/// other; never an answer, and not counted as a decline of any kind but
/// off topic.
fn add_reaction(report: &mut Accuracy, row: &Labelled) {
    let medical = Expected::Decline(Some(DeclineKind::Medical));
    let right = !row.expected.is_in_scope() && row.expected != medical;
    report.reactions += 1;
    report.overall.add(right);
    report.per_lang.entry(row.lang).or_default().add(right);
    match &row.expected {
        Expected::Topic(_) => {
            report.in_scope.add(false);
            let in_lang = report.in_scope_per_lang.entry(row.lang).or_default();
            in_lang.add(false);
        }
        Expected::Decline(kind) => {
            report.out_of_scope_recall.add(true);
            if let Some(kind) = kind {
                report.declined_by_kind.entry(*kind).or_default().add(true);
                let as_kind = *kind == DeclineKind::OffTopic;
                report.right_kind.entry(*kind).or_default().add(as_kind);
            }
        }
    }
    if !right {
        report.misses.push(Miss {
            question: row.question.clone(),
            expected: row.expected.clone(),
            got: None,
            declined_as: None,
            reaction: true,
            confidence: 0.0,
        });
    }
}

impl Accuracy {
    /// The expected calibration error of the answers (Naeini et al. 2015,
    /// Guo et al. 2017): the gap between each band's mean confidence and
    /// its observed accuracy, weighted by its rows. Until the thirteenth
    /// round a band's mean confidence was taken as its middle, which
    /// counted a band of answers at 0.99, all right, as 0.05 off.
    pub fn calibration_error(&self) -> f64 {
        let answered: usize = self.calibration.iter().map(|b| b.answers.total).sum();
        if answered == 0 {
            return 0.0;
        }
        let gaps = self.calibration.iter().map(|band| {
            band.answers.total as f64 * (band.answers.rate() - band.mean_confidence()).abs()
        });
        gaps.sum::<f64>() / answered as f64
    }

    fn write_calibration(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "calibration (answered)   band       rows  mean   right")?;
        for (band, tally) in self.calibration.iter().enumerate() {
            if tally.answers.total > 0 {
                let low = band as f64 / CONFIDENCE_BANDS as f64;
                let high = low + 1.0 / CONFIDENCE_BANDS as f64;
                writeln!(
                    f,
                    "                         {low:.1}-{high:.1}  {:>5}  {:.3}  {:.3}",
                    tally.answers.total,
                    tally.mean_confidence(),
                    tally.answers.rate()
                )?;
            }
        }
        writeln!(
            f,
            "{:<24} {:.3}",
            "calibration error",
            self.calibration_error()
        )
    }
}

/// What a miss got, as a label: the intent, or `none:<kind>`.
struct Got<'a>(&'a Miss);

impl fmt::Display for Got<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.got, self.0.declined_as) {
            _ if self.0.reaction => f.write_str("reaction"),
            (Some(intent), _) => f.write_str(intent),
            (None, None) => f.write_str("clarify"),
            (None, kind) => write!(f, "{}", Expected::Decline(kind)),
        }
    }
}

impl fmt::Display for Accuracy {
    /// The misses first, then the figures, so the last line is always
    /// `accuracy <x.xxx>` for scripts to read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for miss in &self.misses {
            writeln!(
                f,
                "miss\t{}\texpected {}\tgot {} ({:.2})",
                miss.question,
                miss.expected,
                Got(miss),
                miss.confidence
            )?;
        }
        let line = |f: &mut fmt::Formatter<'_>, name: &str, t: &RightCount| {
            writeln!(f, "{name:<24} {:.3}  ({}/{})", t.rate(), t.right, t.total)
        };
        line(f, "in-scope accuracy", &self.in_scope)?;
        for (lang, tally) in &self.in_scope_per_lang {
            line(f, &format!("in-scope [{lang}]"), tally)?;
        }
        for (lang, tally) in &self.per_lang {
            line(f, &format!("accuracy [{lang}]"), tally)?;
        }
        line(f, "out-of-scope precision", &self.out_of_scope_precision)?;
        line(f, "out-of-scope recall", &self.out_of_scope_recall)?;
        for (kind, tally) in &self.declined_by_kind {
            line(f, &format!("declined [{kind}]"), tally)?;
        }
        for (kind, tally) in &self.right_kind {
            line(f, &format!("declined as [{kind}]"), tally)?;
        }
        writeln!(
            f,
            "{:<24} {}",
            "answered out of scope", self.answered_out_of_scope
        )?;
        writeln!(f, "{:<24} {}", "answered medical", self.answered_medical)?;
        writeln!(f, "{:<24} {}", "read as a reaction", self.reactions)?;
        line(f, "clarified, right offered", &self.clarified)?;
        if self.unwritten_topics.total > 0 {
            line(f, "unwritten topics, answered", &self.unwritten_topics)?;
        }
        line(f, "reply language right", &self.reply_language)?;
        line(f, "overall", &self.overall)?;
        self.write_calibration(f)?;
        write!(f, "accuracy {:.3}", self.overall.rate())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_the_out_of_scope_label() {
        let rows = parse_tsv(
            "lang\texpected\tquestion\nen\tgreeting\thi there\nid\tnone\tcuaca hari ini?\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].expected, Expected::Topic(vec!["greeting".into()]));
        assert_eq!(rows[1].lang, Lang::ID);
        assert_eq!(rows[1].expected, Expected::Decline(None));
    }

    fn found(decision: Decision, intent: Option<&str>) -> Match {
        Match::for_test(decision, intent)
    }

    fn answer(intent: &str) -> Match {
        found(Decision::Answer, Some(intent))
    }

    #[test]
    fn a_reaction_is_neither_an_answer_nor_a_decline() {
        let rows = parse_tsv(
            "lang\texpected\tquestion\nid\tnone:off_topic\tmantap\n\
             id\tthanks\tmakasih\nen\tnone:medical\tok\n",
        )
        .unwrap();
        let report = evaluate_with(&rows, |_| None);
        assert_eq!(report.reactions, 3);
        assert_eq!(report.answered_out_of_scope, 0);
        // Right only for an off-topic question: a thanks needs its answer,
        // a medical question the doctor's reply.
        assert_eq!((report.overall.right, report.overall.total), (1, 3));
        assert_eq!(report.in_scope.right, 0);
        let as_kind = |kind| report.right_kind.get(&kind).map(|t| t.right);
        assert_eq!(as_kind(DeclineKind::OffTopic), Some(1));
        assert_eq!(as_kind(DeclineKind::Medical), Some(0));
        assert!(report.to_string().contains("got reaction"));
    }

    #[test]
    fn labels_name_either_intent_or_a_kind_of_decline() {
        let either = Expected::parse("conditions_treated|cancer_care").unwrap();
        assert!(
            either.accepts(&answer("cancer_care")) && either.accepts(&answer("conditions_treated"))
        );
        let declined = |kind| found(Decision::Decline(kind), None);
        assert!(!either.accepts(&declined(DeclineKind::OffTopic)));
        assert!(!either.accepts(&answer("procedures")));
        let medical = Expected::parse("none:medical").unwrap();
        assert_eq!(medical, Expected::Decline(Some(DeclineKind::Medical)));
        assert!(medical.accepts(&declined(DeclineKind::Medical)));
        assert!(!medical.accepts(&answer("radiation_safety")));
        assert!(
            !medical.accepts(&found(Decision::Clarify, None)),
            "a medical question is declined as medical"
        );
        let off_topic = Expected::parse("none:off_topic").unwrap();
        assert!(off_topic.accepts(&declined(DeclineKind::NotCovered)));
        assert!(off_topic.accepts(&found(Decision::Clarify, None)));
        for label in ["none:medical", "none", "a|b", "what_is_ir"] {
            assert_eq!(Expected::parse(label).unwrap().to_string(), label);
        }
        for bad in [
            "none|what_is_ir",
            "what_is_ir|none:medical",
            "none:surgery",
            "a||b",
        ] {
            assert!(Expected::parse(bad).is_err(), "{bad} is not a label");
        }
    }

    #[test]
    fn names_the_line_of_a_bad_row() {
        let error =
            parse_tsv("lang\texpected\tquestion\nen\tgreeting\thi\nxx1\tnone\tq\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(parse_tsv("question\n").is_err());
        assert!(parse_tsv("lang\texpected\tquestion\nen only-two\n").is_err());
    }

    #[test]
    fn calibration_error_weighs_each_band_by_its_rows() {
        let mut report = Accuracy::default();
        // Band 0.9–1: 3 answers at 0.99, all right, a gap of 0.01;
        // band 0.5–0.6: 1 at 0.5, wrong, a gap of 0.5.
        for _ in 0..3 {
            report.calibration[9].add(0.99, true);
        }
        report.calibration[5].add(0.5, false);
        let expected = (3.0 * 0.01 + 0.5) / 4.0;
        assert!((report.calibration_error() - expected).abs() < 1e-6);
        assert_eq!(Accuracy::default().calibration_error(), 0.0);
    }

    #[test]
    fn tallies_rates() {
        let mut tally = RightCount::default();
        assert_eq!(tally.rate(), 1.0);
        tally.add(true);
        tally.add(false);
        assert_eq!(tally.rate(), 0.5);
    }
}
