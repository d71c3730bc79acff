//! The calibrated half of the decision: the probability that answering a
//! question with its best topic is right, by a logistic model over what
//! the ranking and the reading say of it. Its weights are
//! [`ANSWER_WEIGHTS`], fitted by `ir-advisor fit` (cross-validation over
//! the patterns and the decline examples, see [`fit`]) and committed, so a
//! question is decided the same way on every run.

use crate::tuning::{ANSWER_WEIGHTS, FIT_NEWTON_STEPS, FIT_RIDGE};

/// How many features the model reads, the constant term included.
pub const FEATURES: usize = 12;

/// What each feature is, in order, for `fit` to print.
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "constant",
    "best topic score",
    "margin to the runner-up",
    "best decline kind score",
    "share of words no pattern uses",
    "share of words corrected as typos",
    "out-of-scope word",
    "medical score",
    "personal word × medical score",
    "share of words only decline examples use",
    "share of real words no pattern uses, read alone",
    "share of real words no pattern uses, nothing setting it in the field",
];

/// What the reading of a question tells the decision.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Signals {
    /// A lexicon word marks the question as out of scope ("salary").
    pub out_of_scope: bool,
    /// A word makes it about the asker or their family ("my", "ibu").
    pub personal: bool,
    /// The share of its content words that no pattern or example uses.
    pub unknown_share: f32,
    /// The share of its content words read as typos of known ones.
    pub typo_share: f32,
    /// The share of its content words that only decline examples use
    /// ("architect", "pilot"): no topic speaks of them.
    pub decline_only_share: f32,
    /// The share of its content words that are real words of a language
    /// (`intents/lexicon/words/`) and that no pattern or example uses
    /// ("politics", "developer"): evidence that the question is about
    /// something else, where a non-word is only noise.
    pub real_unknown_share: f32,
    /// What sets the question in the field.
    pub setting: Setting,
    /// Whether it is asked mid-conversation, which sets the bar for
    /// answering (see [`crate::tuning::ANSWER_IN_CONVERSATION_FROM`]), not
    /// the probability.
    pub in_conversation: bool,
}

/// What sets a question in the field, which tells what its real words
/// that no pattern uses say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Setting {
    /// Nothing ("how many years does it take to get a black belt in
    /// karate?").
    #[default]
    Unset,
    /// A word names the field, or a colleague beside it (`field` in the
    /// lexicons: "IR", "radiology", "work with").
    Named,
    /// No word, but the conversation is about the field.
    Implied,
}

/// What the ranking says of a question: the scores of its best topic, of
/// the entry after that topic (a topic or a decline kind), of its nearest
/// decline kind and of the `medical` kind.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub best_topic: f32,
    pub runner_up: f32,
    pub best_decline: f32,
    pub medical: f32,
}

/// One question's features, in the order of [`FEATURE_NAMES`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features(pub [f32; FEATURES]);

impl Features {
    /// The features of a question read as `signals` and ranked as
    /// `scores`; `about_the_bot` when its best topic is one of the bot's
    /// own (greeting, thanks, help).
    ///
    /// Real words no pattern uses count as unknown words and in two more
    /// features: as such, and again when nothing sets the question in the field
    /// ("black belt in karate": those words name what it is about, and no
    /// word names IR). Beside a field word they are more often a student's
    /// own words for an in-scope question ("money isn't my priority, why
    /// would someone pick IR?"), and the bot's own intents never name the
    /// field, so there the second does not apply. `fit` reads questions
    /// alone; a message in a conversation about the field, naming it by
    /// no word, is read with neither, its real words counting as any
    /// unknown word.
    pub fn new(signals: Signals, scores: Scores, about_the_bot: bool) -> Features {
        let real_unknown = signals.real_unknown_share;
        let (read_alone, unset) = match signals.setting {
            Setting::Implied => (0.0, 0.0),
            Setting::Unset if !about_the_bot => (real_unknown, real_unknown),
            Setting::Unset | Setting::Named => (real_unknown, 0.0),
        };
        Features([
            1.0,
            scores.best_topic,
            scores.best_topic - scores.runner_up,
            scores.best_decline,
            signals.unknown_share,
            signals.typo_share,
            f32::from(u8::from(signals.out_of_scope)),
            scores.medical,
            f32::from(u8::from(signals.personal)) * scores.medical,
            signals.decline_only_share,
            read_alone,
            unset,
        ])
    }

    /// The probability that the best topic is the right answer, by the
    /// committed weights.
    pub fn answer_probability(&self) -> f32 {
        probability(&ANSWER_WEIGHTS, &self.0)
    }
}

fn probability(weights: &[f32; FEATURES], features: &[f32; FEATURES]) -> f32 {
    let z: f32 = weights.iter().zip(features).map(|(w, x)| w * x).sum();
    1.0 / (1.0 + (-z).exp())
}

/// Fits the weights to `rows` (features, whether answering with the best
/// topic was right) by Newton's method on the L2-penalised log-loss:
/// deterministic, the same rows give the same weights.
pub fn fit(rows: &[(Features, bool)]) -> [f32; FEATURES] {
    let mut weights = [0f64; FEATURES];
    for _ in 0..FIT_NEWTON_STEPS {
        let mut gradient = [0f64; FEATURES];
        let mut hessian = [[0f64; FEATURES]; FEATURES];
        for (features, right) in rows {
            let x = features.0.map(f64::from);
            let z: f64 = weights.iter().zip(&x).map(|(w, x)| w * x).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let error = p - f64::from(u8::from(*right));
            for i in 0..FEATURES {
                gradient[i] += error * x[i];
                for j in 0..FEATURES {
                    hessian[i][j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        for i in 0..FEATURES {
            gradient[i] += FIT_RIDGE * weights[i];
            hessian[i][i] += FIT_RIDGE;
        }
        let step = solve(hessian, gradient);
        for (w, s) in weights.iter_mut().zip(step) {
            *w -= s;
        }
    }
    weights.map(|w| w as f32)
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting; `a`
/// is positive definite here (the ridge sees to it).
fn solve(mut a: [[f64; FEATURES]; FEATURES], mut b: [f64; FEATURES]) -> [f64; FEATURES] {
    for column in 0..FEATURES {
        let pivot = (column..FEATURES)
            .max_by(|&i, &j| a[i][column].abs().total_cmp(&a[j][column].abs()))
            .unwrap_or(column);
        a.swap(column, pivot);
        b.swap(column, pivot);
        let (done, below) = a.split_at_mut(column + 1);
        let pivot_row = &done[column];
        for (offset, row) in below.iter_mut().enumerate() {
            let factor = row[column] / pivot_row[column];
            for (cell, pivot_cell) in row.iter_mut().zip(pivot_row).skip(column) {
                *cell -= factor * pivot_cell;
            }
            b[column + 1 + offset] -= factor * b[column];
        }
    }
    let mut x = [0f64; FEATURES];
    for row in (0..FEATURES).rev() {
        let known: f64 = (row + 1..FEATURES).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - known) / a[row][row];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_words_no_pattern_uses_count_twice_when_nothing_sets_the_question_in_the_field() {
        let read = |setting, about_the_bot| {
            let signals = Signals {
                real_unknown_share: 0.5,
                setting,
                ..Signals::default()
            };
            let features = Features::new(signals, Scores::default(), about_the_bot).0;
            (features[FEATURES - 2], features[FEATURES - 1])
        };
        assert_eq!(read(Setting::Unset, false), (0.5, 0.5));
        assert_eq!(read(Setting::Named, false), (0.5, 0.0));
        // The bot's own topics never name the field.
        assert_eq!(read(Setting::Unset, true), (0.5, 0.0));
        // `fit` saw no message of a conversation: plain unknown words.
        assert_eq!(read(Setting::Implied, false), (0.0, 0.0));
    }

    fn row(best: f32, right: bool) -> (Features, bool) {
        let signals = Signals::default();
        let scores = Scores {
            best_topic: best,
            runner_up: best / 2.0,
            best_decline: 0.1,
            medical: 0.1,
        };
        (Features::new(signals, scores, false), right)
    }

    #[test]
    fn fits_a_probability_that_rises_with_the_best_score() {
        let rows: Vec<(Features, bool)> = (0..100)
            .map(|i| {
                let best = i as f32 / 100.0;
                // Right above 0.5, with some noise on either side.
                row(best, (best > 0.5) != (i % 10 == 0))
            })
            .collect();
        let weights = fit(&rows);
        assert!(weights[1] > 0.0, "{weights:?}");
        let p = |best: f32| probability(&weights, &row(best, true).0 .0);
        assert!(p(0.9) > 0.8 && p(0.1) < 0.2, "{} {}", p(0.9), p(0.1));
        assert_eq!(fit(&rows), weights, "deterministic");
    }
}
