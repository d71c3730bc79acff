//! The rows the decision's weights are fitted to: every pattern and decline
//! example, asked of a matcher built without its fold, with whether
//! answering with its best topic would be right. Fitted on these only,
//! never on an evaluation file, so those keep measuring.

use super::cross_validation::{fold_of, held_out};
use super::{Expected, FALLBACK_LANG};
use crate::intents::IntentSet;
use crate::matcher::{fit_answer_weights, Features, Matcher, FEATURES};

/// Each held-out question's features and whether its best topic is right
/// (never, for a decline example), over `folds` folds.
pub fn answer_rows(set: &IntentSet, folds: usize) -> Vec<(Features, bool)> {
    let folds = folds.max(2);
    let mut rows = Vec::new();
    for fold in 0..folds {
        let matcher =
            Matcher::with_patterns(set, |_, _, position| fold_of(position, folds) != fold);
        for row in held_out(set, folds, fold) {
            let (features, best) = matcher.answer_features(&row.question, FALLBACK_LANG);
            let right = match (&row.expected, best) {
                (Expected::Topic(ids), Some(best)) => ids.iter().any(|id| id == best),
                _ => false,
            };
            rows.push((features, right));
        }
    }
    rows
}

/// How many folds `ir-advisor fit` (and `check`, to see whether the
/// committed weights are current) fits over.
pub const FIT_FOLDS: u16 = 5;

/// How far a committed weight may be from a fresh fit and still be that
/// fit: `fit` prints four decimals.
const PRINTED_PRECISION: f32 = 1e-3;

/// Whether `committed` are the weights a fit of `set` gives now: after a
/// change to patterns, decline examples or a scoring constant they are
/// not, and the decision is no longer calibrated.
pub fn answer_weights_are_current(set: &IntentSet, committed: &[f32; FEATURES]) -> bool {
    let fresh = fit_answer(set, usize::from(FIT_FOLDS));
    fresh
        .iter()
        .zip(committed)
        .all(|(fresh, committed)| (fresh - committed).abs() <= PRINTED_PRECISION)
}

/// The decision's weights fitted by `folds`-fold cross-validation.
pub fn fit_answer(set: &IntentSet, folds: usize) -> [f32; FEATURES] {
    fit_answer_weights(&answer_rows(set, folds))
}
