//! K-fold cross-validation over the intents' own patterns: each pattern is
//! asked of a matcher built without it (nor the rest of its fold), which
//! measures how the matcher copes with phrasing it has never seen. The
//! decline kinds' examples are folded and asked the same way, as
//! out-of-scope rows: the in-scope figure counts patterns only.

use super::noise::add_typing_noise;
use super::{evaluate_with, Accuracy, Expected, Labelled, FALLBACK_LANG};
use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::matcher::Matcher;

/// Every pattern and decline example of `fold` among `folds`, as labelled
/// rows.
pub fn held_out(set: &IntentSet, folds: usize, fold: usize) -> Vec<Labelled> {
    let in_fold = move |position: usize| fold_of(position, folds) == fold;
    let patterns = set.iter().flat_map(move |intent| {
        intent.texts.iter().flat_map(move |(&lang, text)| {
            let expected = Expected::Topic(vec![intent.id.clone()]);
            rows_in_fold(&text.patterns, lang, expected, in_fold)
        })
    });
    let examples = set.declines().flat_map(move |decline| {
        decline.texts.iter().flat_map(move |(&lang, text)| {
            let expected = Expected::Decline(Some(decline.kind));
            rows_in_fold(&text.examples, lang, expected, in_fold)
        })
    });
    patterns.chain(examples).collect()
}

/// The questions of one list (an intent's patterns or a decline kind's
/// examples in one language) whose position is in the fold, as rows
/// labelled `expected`; blank ones are skipped.
fn rows_in_fold<'a>(
    questions: &'a [String],
    lang: Lang,
    expected: Expected,
    in_fold: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = Labelled> + 'a {
    let held = questions.iter().enumerate();
    let held = held.filter(move |(position, q)| in_fold(*position) && !q.trim().is_empty());
    held.map(move |(_, question)| Labelled {
        lang,
        expected: expected.clone(),
        question: question.clone(),
    })
}

/// The fold a pattern belongs to: patterns are dealt round-robin within
/// each intent and language, so every fold holds a share of every intent.
pub fn fold_of(position: usize, folds: usize) -> usize {
    position % folds
}

/// Runs `folds`-fold cross-validation (at least 2) and reports the figures
/// over every held-out pattern.
pub fn cross_validate(set: &IntentSet, folds: usize) -> Accuracy {
    cross_validate_noisy(set, folds, None)
}

/// [`cross_validate`], each held-out pattern asked with the typos that
/// `noise_seed` draws when there is one: the same seed, the same figures.
pub fn cross_validate_noisy(set: &IntentSet, folds: usize, noise_seed: Option<u64>) -> Accuracy {
    let folds = folds.max(2);
    let mut rng = noise_seed.map(fastrand::Rng::with_seed);
    let mut total = Accuracy::default();
    for fold in 0..folds {
        let matcher =
            Matcher::with_patterns(set, |_, _, position| fold_of(position, folds) != fold);
        let held_out = held_out(set, folds, fold);
        total.merge(evaluate_with(&held_out, |q| {
            Some(match &mut rng {
                Some(rng) => matcher.classify(&add_typing_noise(q, rng), FALLBACK_LANG),
                None => matcher.classify(q, FALLBACK_LANG),
            })
        }));
    }
    total
}
