//! The calibrated half of the decision: the probability that answering a
//! question with its best topic is right, by a logistic model over what
//! the ranking and the reading say of it. Its weights are
//! [`ANSWER_WEIGHTS`], fitted by `ir-advisor fit` (cross-validation over
//! the patterns and the decline examples, see [`fit`]) and committed, so a
//! question is decided the same way on every run.

use crate::tuning::{ANSWER_WEIGHTS, FIT_NEWTON_STEPS, FIT_RIDGE};

/// How many features the model reads, the constant term included.
pub const FEATURES: usize = 11;

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
    "share of real words no pattern uses",
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
}

/// One question's features, in the order of [`FEATURE_NAMES`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features(pub [f32; FEATURES]);

impl Features {
    /// The features of a question whose best topic scores `best_topic`,
    /// followed by `runner_up` (a topic or a decline kind), and whose
    /// nearest decline kind scores `best_decline` and `medical` kind
    /// `medical`.
    pub fn new(
        signals: Signals,
        best_topic: f32,
        runner_up: f32,
        best_decline: f32,
        medical: f32,
    ) -> Features {
        Features([
            1.0,
            best_topic,
            best_topic - runner_up,
            best_decline,
            signals.unknown_share,
            signals.typo_share,
            f32::from(u8::from(signals.out_of_scope)),
            medical,
            f32::from(u8::from(signals.personal)) * medical,
            signals.decline_only_share,
            signals.real_unknown_share,
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

    fn row(best: f32, right: bool) -> (Features, bool) {
        let signals = Signals::default();
        (Features::new(signals, best, best / 2.0, 0.1, 0.1), right)
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
