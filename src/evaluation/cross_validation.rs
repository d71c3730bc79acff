//! K-fold cross-validation over the intents' own patterns: each pattern is
//! asked of a matcher built without it (nor the rest of its fold), which
//! measures how the matcher copes with phrasing it has never seen.

use super::{evaluate_with, Accuracy, Expected, Labelled, FALLBACK_LANG};
use crate::intents::IntentSet;
use crate::matcher::Matcher;

/// The fold a pattern belongs to: patterns are dealt round-robin within
/// each intent and language, so every fold holds a share of every intent.
fn fold_of(position: usize, folds: usize) -> usize {
    position % folds
}

/// Runs `folds`-fold cross-validation (at least 2) and reports the figures
/// over every held-out pattern.
pub fn cross_validate(set: &IntentSet, folds: usize) -> Accuracy {
    let folds = folds.max(2);
    let mut total = Accuracy::default();
    for fold in 0..folds {
        let matcher =
            Matcher::with_patterns(set, |_, _, position| fold_of(position, folds) != fold);
        let held_out: Vec<Labelled> = set
            .iter()
            .flat_map(|intent| {
                intent.texts.iter().flat_map(move |(&lang, text)| {
                    text.patterns
                        .iter()
                        .enumerate()
                        .filter(move |(position, _)| fold_of(*position, folds) == fold)
                        .map(move |(_, pattern)| Labelled {
                            lang,
                            expected: Expected::Topic(vec![intent.id.clone()]),
                            question: pattern.clone(),
                        })
                })
            })
            .collect();
        total.merge(evaluate_with(&held_out, |q| {
            matcher.classify(q, FALLBACK_LANG)
        }));
    }
    total
}
