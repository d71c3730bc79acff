//! The word model: naive Bayes over each intent's patterns, turned into
//! probabilities by a softmax over every intent.
//!
//! A question touches few intents, but the softmax divides by a sum over
//! all of them. An intent the question shares no word with scores the
//! question by its size alone, so the untouched intents are summed size by
//! size: the cost follows the number of distinct sizes, not of intents.

use super::index::{TermId, TermIndex};
use super::score;

#[derive(Clone, Debug, Default)]
pub struct WordModel {
    /// Per intent: the index of its size in `classes`.
    class_of: Vec<u32>,
    /// Per distinct size, smallest first: what one question word an intent
    /// of that size never uses is worth, and how many intents have it.
    classes: Vec<SizeClass>,
    /// How many distinct terms the patterns use.
    vocabulary: usize,
    /// Per term, along its intent postings: what the term adds for that
    /// intent, before the similarity it was typed with. Worked out once, so
    /// that scoring takes no logarithm per posting.
    posting_gains: Vec<Vec<f32>>,
}

#[derive(Clone, Copy, Debug)]
struct SizeClass {
    /// How many (pattern, term) pairs its intents have: the size of their
    /// "document".
    size: u32,
    unseen_word: f32,
    intents: u32,
}

impl WordModel {
    pub fn new(sizes: &[u32], vocabulary: usize) -> WordModel {
        let mut distinct = sizes.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let class_of: Vec<u32> = sizes
            .iter()
            .map(|size| distinct.binary_search(size).unwrap_or_default() as u32)
            .collect();
        let mut classes: Vec<SizeClass> = distinct
            .iter()
            .map(|&size| SizeClass {
                size,
                unseen_word: score::word_log_likelihood(0, size, vocabulary),
                intents: 0,
            })
            .collect();
        for &class in &class_of {
            classes[class as usize].intents += 1;
        }
        WordModel {
            class_of,
            classes,
            vocabulary,
            posting_gains: Vec::new(),
        }
    }

    /// The word model of the indexed patterns, with every posting's gain.
    pub fn of_index(index: &TermIndex) -> WordModel {
        let mut model = WordModel::new(index.intent_sizes(), index.term_count());
        model.posting_gains = (0..index.term_count() as TermId)
            .map(|term| {
                let postings = index.intents_with(term).iter();
                postings
                    .map(|&(intent, count)| model.gain(intent as usize, count, 1.0))
                    .collect()
            })
            .collect();
        model
    }

    /// [`WordModel::gain`] at similarity 1 for each of the term's intent
    /// postings, in their order.
    pub fn posting_gains(&self, term: TermId) -> &[f32] {
        &self.posting_gains[term as usize]
    }

    fn class(&self, intent: usize) -> &SizeClass {
        &self.classes[self.class_of[intent] as usize]
    }

    /// The log-likelihood of a question of `terms` terms for an intent that
    /// uses none of them: where every intent starts.
    pub fn prior(&self, intent: usize, terms: usize) -> f32 {
        terms as f32 * self.class(intent).unseen_word
    }

    /// What a question term typed with `similarity` adds for an intent
    /// that uses it in `count` of its patterns.
    pub fn gain(&self, intent: usize, count: u32, similarity: f32) -> f32 {
        let class = self.class(intent);
        let used = score::word_log_likelihood(count, class.size, self.vocabulary);
        similarity * (used - class.unseen_word)
    }

    /// The probabilities of the intents a question of `terms` terms
    /// `touched`, given their log-likelihoods: a softmax over every intent,
    /// the untouched ones at their prior.
    pub fn probabilities(&self, terms: usize, touched: &[(usize, f32)]) -> Vec<f32> {
        let mut untouched: Vec<u32> = self.classes.iter().map(|class| class.intents).collect();
        for &(intent, _) in touched {
            untouched[self.class_of[intent] as usize] -= 1;
        }
        let priors = || {
            self.classes
                .iter()
                .zip(&untouched)
                .filter(|&(_, &intents)| intents > 0)
                .map(|(class, &intents)| (terms as f32 * class.unseen_word, intents))
        };
        let max = touched
            .iter()
            .map(|&(_, log_likelihood)| log_likelihood)
            .chain(priors().map(|(prior, _)| prior))
            .fold(f32::NEG_INFINITY, f32::max);
        let mut weights: Vec<f32> = touched.iter().map(|&(_, l)| (l - max).exp()).collect();
        let touched_total: f32 = weights.iter().sum();
        let untouched_total: f32 = priors()
            .map(|(prior, intents)| intents as f32 * (prior - max).exp())
            .sum();
        let total = touched_total + untouched_total;
        if total > 0.0 {
            weights.iter_mut().for_each(|weight| *weight /= total);
        }
        weights
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain softmax over every intent, each visited.
    fn softmax_of_all(model: &WordModel, terms: usize, touched: &[(usize, f32)]) -> Vec<f32> {
        let mut values: Vec<f32> = (0..model.class_of.len())
            .map(|intent| model.prior(intent, terms))
            .collect();
        for &(intent, log_likelihood) in touched {
            values[intent] = log_likelihood;
        }
        let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let total: f32 = values.iter().map(|v| (v - max).exp()).sum();
        values.iter().map(|v| (v - max).exp() / total).collect()
    }

    #[test]
    fn sums_untouched_intents_by_size_as_the_plain_softmax_does() {
        let model = WordModel::new(&[30, 12, 30, 7, 12, 30, 55], 200);
        let terms = 3;
        let touched = [
            (1, model.prior(1, terms) + model.gain(1, 2, 1.0)),
            (2, model.prior(2, terms) + model.gain(2, 1, 0.9)),
        ];
        let probabilities = model.probabilities(terms, &touched);
        let plain = softmax_of_all(&model, terms, &touched);
        for (&(intent, _), probability) in touched.iter().zip(&probabilities) {
            assert!((probability - plain[intent]).abs() < 1e-6, "{intent}");
        }
        assert!(probabilities[0] > probabilities[1]);
    }

    #[test]
    fn smaller_intents_lose_less_for_an_unseen_word() {
        let model = WordModel::new(&[10, 100], 50);
        assert!(model.prior(0, 2) > model.prior(1, 2));
        assert!(model.gain(0, 1, 1.0) > 0.0);
        assert!(model.gain(0, 1, 0.5) < model.gain(0, 1, 1.0));
    }
}
