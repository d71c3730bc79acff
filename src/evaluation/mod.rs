//! Accuracy over labelled questions: how maintainers measure that a change
//! did not make matching worse. Pure: the caller reads the file.

mod cross_validation;
mod noise;

use std::collections::BTreeMap;
use std::fmt;

pub use cross_validation::cross_validate;
pub use noise::{add_typing_noise, evaluate_noisy};

use crate::lang::Lang;
use crate::matcher::Matcher;

/// The reply language when a question's words do not tell, as for a user
/// whose Telegram settings say nothing: every evaluation uses it.
pub const FALLBACK_LANG: Lang = Lang::EN;

/// The label of a question no intent should answer.
pub const OUT_OF_SCOPE: &str = "none";
const HEADER: [&str; 3] = ["lang", "expected", "question"];

/// One labelled question of an evaluation file.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub lang: Lang,
    /// The intent that should answer, `None` for out of scope.
    pub expected: Option<String>,
    pub question: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EvalFileError {
    pub line: usize,
    pub message: String,
}

/// Parses `lang<TAB>expected<TAB>question` rows after that header.
pub fn parse_tsv(text: &str) -> Result<Vec<Labelled>, EvalFileError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let error = |line: usize, message: String| EvalFileError {
        line: line + 1,
        message,
    };
    match lines.next() {
        Some((_, header))
            if header
                .trim_start_matches('\u{feff}')
                .split('\t')
                .map(str::trim)
                .eq(HEADER) => {}
        _ => {
            return Err(error(
                0,
                format!("the first line must be the header `{}`", HEADER.join("\\t")),
            ))
        }
    }
    lines
        .map(|(n, line)| {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            let [lang, expected, question] = fields[..] else {
                return Err(error(n, "expected three tab-separated fields".into()));
            };
            let lang = lang.trim().parse().map_err(|e| error(n, e))?;
            let expected = expected.trim();
            Ok(Labelled {
                lang,
                expected: (expected != OUT_OF_SCOPE).then(|| expected.to_owned()),
                question: question.trim().to_owned(),
            })
        })
        .collect()
}

/// A question the matcher got wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    pub question: String,
    pub expected: Option<String>,
    pub got: Option<String>,
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

    fn add(&mut self, right: bool) {
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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accuracy {
    pub overall: RightCount,
    pub in_scope: RightCount,
    pub per_lang: BTreeMap<Lang, RightCount>,
    /// Of the questions declined, how many were really out of scope.
    pub out_of_scope_precision: RightCount,
    /// Of the out-of-scope questions, how many were declined.
    pub out_of_scope_recall: RightCount,
    /// Of the in-scope questions, how many got a reply in their language.
    pub reply_language: RightCount,
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
        self.out_of_scope_precision
            .merge(other.out_of_scope_precision);
        self.out_of_scope_recall.merge(other.out_of_scope_recall);
        self.reply_language.merge(other.reply_language);
        self.misses.extend(other.misses);
    }
}

/// Asks `matcher` every question, falling back to [`FALLBACK_LANG`].
pub fn evaluate(matcher: &Matcher, rows: &[Labelled]) -> Accuracy {
    evaluate_with(rows, |question| matcher.classify(question, FALLBACK_LANG))
}

/// Scores answers from any source (a matcher, a noisy copy of the
/// questions, a matcher built without some patterns).
pub fn evaluate_with(
    rows: &[Labelled],
    mut ask: impl FnMut(&str) -> crate::matcher::Match,
) -> Accuracy {
    let mut report = Accuracy::default();
    for row in rows {
        let got = ask(&row.question);
        let right = got.intent == row.expected;
        report.overall.add(right);
        report.per_lang.entry(row.lang).or_default().add(right);
        if row.expected.is_some() {
            report.in_scope.add(right);
            report.reply_language.add(got.lang == row.lang);
        } else {
            report.out_of_scope_recall.add(right);
        }
        if got.intent.is_none() {
            report.out_of_scope_precision.add(row.expected.is_none());
        }
        if !right {
            report.misses.push(Miss {
                question: row.question.clone(),
                expected: row.expected.clone(),
                got: got.intent,
                confidence: got.confidence,
            });
        }
    }
    report
}

fn label(intent: &Option<String>) -> &str {
    intent.as_deref().unwrap_or(OUT_OF_SCOPE)
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
                label(&miss.expected),
                label(&miss.got),
                miss.confidence
            )?;
        }
        let line = |f: &mut fmt::Formatter<'_>, name: &str, t: &RightCount| {
            writeln!(f, "{name:<24} {:.3}  ({}/{})", t.rate(), t.right, t.total)
        };
        line(f, "in-scope accuracy", &self.in_scope)?;
        for (lang, tally) in &self.per_lang {
            line(f, &format!("accuracy [{lang}]"), tally)?;
        }
        line(f, "out-of-scope precision", &self.out_of_scope_precision)?;
        line(f, "out-of-scope recall", &self.out_of_scope_recall)?;
        line(f, "reply language right", &self.reply_language)?;
        line(f, "overall", &self.overall)?;
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
        assert_eq!(rows[0].expected.as_deref(), Some("greeting"));
        assert_eq!(rows[1].lang, Lang::ID);
        assert_eq!(rows[1].expected, None);
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
    fn tallies_rates() {
        let mut tally = RightCount::default();
        assert_eq!(tally.rate(), 1.0);
        tally.add(true);
        tally.add(false);
        assert_eq!(tally.rate(), 0.5);
    }
}
