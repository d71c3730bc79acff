//! The word model: naive Bayes over each intent's patterns, turned into
//! probabilities by a softmax over every intent.
//!
//! A question touches few intents, but the softmax divides by a sum over
//! all of them. An intent the question shares no word with scores the
//! question by its size alone, so the untouched intents are summed size by
//! size: the cost follows the number of distinct sizes, not of intents.
//! Likewise the intents that only one broad question term touches (see
//! [`super::broad`]) are summed by size and by how many of their patterns
//! use the term.

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
    /// Per term: if it is broad, its intents grouped by size class and by
    /// how many of their patterns use it, in that order.
    broad_groups: Vec<Vec<BroadGroup>>,
}

/// The intents of one size class whose patterns use a broad term the same
/// number of times: the term adds the same gain for each.
#[derive(Clone, Copy, Debug)]
struct BroadGroup {
    class: u32,
    count: u32,
    gain: f32,
    intents: u32,
}

/// Intents of one size class that a question reaches only through one
/// broad term, all with the same log-likelihood.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Singles {
    class: u32,
    pub log_likelihood: f32,
    intents: u32,
}

/// A softmax over every intent, reduced to what gives each intent's
/// probability from its log-likelihood.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Softmax {
    max: f32,
    total: f32,
}

impl Softmax {
    pub fn probability(&self, log_likelihood: f32) -> f32 {
        self.share((log_likelihood - self.max).exp())
    }

    /// The probability of an intent of softmax weight `weight` (see
    /// [`WordModel::softmax`]).
    pub fn share(&self, weight: f32) -> f32 {
        if self.total > 0.0 {
            weight / self.total
        } else {
            weight
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct SizeClass {
    /// How many (pattern, term) pairs its intents have: the size of their
    /// "document".
    size: u32,
    unseen_word: f32,
    intents: u32,
}

impl SizeClass {
    /// The log-likelihood of a question of `terms` terms for an intent of
    /// this size that uses none of them.
    fn prior(&self, terms: usize) -> f32 {
        terms as f32 * self.unseen_word
    }
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
            broad_groups: Vec::new(),
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
        model.broad_groups = (0..index.term_count() as TermId)
            .map(|term| match index.is_broad(term) {
                true => model.group_by_size_and_count(index.intents_with(term)),
                false => Vec::new(),
            })
            .collect();
        model
    }

    /// A broad term's intent postings grouped by size class and count.
    fn group_by_size_and_count(&self, postings: &[(u32, u32)]) -> Vec<BroadGroup> {
        let mut keys: Vec<(u32, u32)> = postings
            .iter()
            .map(|&(intent, count)| (self.class_of[intent as usize], count))
            .collect();
        keys.sort_unstable();
        let mut groups: Vec<BroadGroup> = Vec::new();
        for (class, count) in keys {
            match groups.last_mut() {
                Some(group) if (group.class, group.count) == (class, count) => group.intents += 1,
                _ => groups.push(BroadGroup {
                    class,
                    count,
                    gain: self.class_gain(&self.classes[class as usize], count, 1.0),
                    intents: 1,
                }),
            }
        }
        groups
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
        self.class(intent).prior(terms)
    }

    /// What a question term typed with `similarity` adds for an intent
    /// that uses it in `count` of its patterns.
    pub fn gain(&self, intent: usize, count: u32, similarity: f32) -> f32 {
        self.class_gain(self.class(intent), count, similarity)
    }

    fn class_gain(&self, class: &SizeClass, count: u32, similarity: f32) -> f32 {
        let used = score::word_log_likelihood(count, class.size, self.vocabulary);
        similarity * (used - class.unseen_word)
    }

    /// The group of the broad `term`'s intent `intent`, which uses it in
    /// `count` of its patterns: its size class and count.
    pub fn broad_group(&self, term: TermId, intent: u32, count: u32) -> u32 {
        let key = (self.class_of[intent as usize], count);
        let groups = &self.broad_groups[term as usize];
        let group = groups.binary_search_by_key(&key, |g| (g.class, g.count));
        group.unwrap_or_default() as u32
    }

    /// What the broad `term` adds at similarity 1 for an intent of `group`
    /// (as [`WordModel::posting_gains`] does for its posting).
    pub fn broad_gain(&self, term: TermId, group: u32) -> f32 {
        self.broad_groups[term as usize][group as usize].gain
    }

    /// The intents a question of `terms` terms reaches only through the
    /// broad `term`, typed with `similarity`: all the term's intents but
    /// those the question reaches otherwise too, one per entry of `scored`
    /// (their groups, from [`WordModel::broad_group`]).
    pub fn broad_singles(
        &self,
        term: TermId,
        similarity: f32,
        terms: usize,
        scored: &[u32],
    ) -> Vec<Singles> {
        let mut singles: Vec<Singles> = self.broad_groups[term as usize]
            .iter()
            .map(|group| Singles {
                class: group.class,
                log_likelihood: self.classes[group.class as usize].prior(terms)
                    + similarity * group.gain,
                intents: group.intents,
            })
            .collect();
        for &group in scored {
            singles[group as usize].intents -= 1;
        }
        singles.retain(|group| group.intents > 0);
        singles
    }

    /// The softmax over every intent for a question of `terms` terms:
    /// the `touched` ones (intent, log-likelihood) each, the `singles` in
    /// bulk, and the rest at their prior. Also returns each touched
    /// intent's weight, in their order, whose [`Softmax::share`] is its
    /// probability: a question touches hundreds of intents in a large set,
    /// and each would otherwise take its exponential twice.
    pub fn softmax(
        &self,
        terms: usize,
        touched: &[(usize, f32)],
        singles: &[Singles],
    ) -> (Softmax, Vec<f32>) {
        let mut untouched: Vec<u32> = self.classes.iter().map(|class| class.intents).collect();
        for &(intent, _) in touched {
            untouched[self.class_of[intent] as usize] -= 1;
        }
        for group in singles {
            untouched[group.class as usize] -= group.intents;
        }
        let priors = || {
            self.classes
                .iter()
                .zip(&untouched)
                .filter(|&(_, &intents)| intents > 0)
                .map(|(class, &intents)| (class.prior(terms), intents))
        };
        let in_bulk = || {
            let singles = singles.iter().map(|g| (g.log_likelihood, g.intents));
            singles.chain(priors())
        };
        let max = touched
            .iter()
            .map(|&(_, log_likelihood)| log_likelihood)
            .chain(in_bulk().map(|(log_likelihood, _)| log_likelihood))
            .fold(f32::NEG_INFINITY, f32::max);
        let weights: Vec<f32> = touched.iter().map(|&(_, l)| (l - max).exp()).collect();
        let touched_total: f32 = weights.iter().sum();
        let singles_total: f32 = singles
            .iter()
            .map(|g| g.intents as f32 * (g.log_likelihood - max).exp())
            .sum();
        let untouched_total: f32 = priors()
            .map(|(prior, intents)| intents as f32 * (prior - max).exp())
            .sum();
        let softmax = Softmax {
            max,
            total: touched_total + singles_total + untouched_total,
        };
        (softmax, weights)
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

    fn assert_close(softmax: Softmax, plain: &[f32], intent: usize, log_likelihood: f32) {
        let probability = softmax.probability(log_likelihood);
        assert!((probability - plain[intent]).abs() < 1e-6, "{intent}");
    }

    #[test]
    fn sums_untouched_intents_by_size_as_the_plain_softmax_does() {
        let model = WordModel::new(&[30, 12, 30, 7, 12, 30, 55], 200);
        let terms = 3;
        let touched = [
            (1, model.prior(1, terms) + model.gain(1, 2, 1.0)),
            (2, model.prior(2, terms) + model.gain(2, 1, 0.9)),
        ];
        let (softmax, weights) = model.softmax(terms, &touched, &[]);
        let plain = softmax_of_all(&model, terms, &touched);
        for (&(intent, log_likelihood), &weight) in touched.iter().zip(&weights) {
            assert_close(softmax, &plain, intent, log_likelihood);
            assert_eq!(softmax.share(weight), softmax.probability(log_likelihood));
        }
        assert!(softmax.probability(touched[0].1) > softmax.probability(touched[1].1));
    }

    #[test]
    fn sums_a_broad_terms_single_intents_by_size_and_count() {
        let mut model = WordModel::new(&[30, 12, 30, 7, 12, 30, 55], 200);
        // The broad term: intents 0, 1, 2, 4 and 5 use it, in 1 or 2
        // patterns; intent 2 is touched by another question term as well.
        let postings = [(0, 1), (1, 2), (2, 1), (4, 2), (5, 1)];
        model.broad_groups = vec![model.group_by_size_and_count(&postings)];
        let (terms, similarity) = (2, 0.8);
        let touched = [(
            2,
            model.prior(2, terms) + model.gain(2, 1, similarity) + 1.5,
        )];
        let group = model.broad_group(0, 2, 1);
        assert_eq!(model.broad_gain(0, group), model.gain(2, 1, 1.0));
        let singles = model.broad_singles(0, similarity, terms, &[group]);
        let in_singles: u32 = singles.iter().map(|group| group.intents).sum();
        assert_eq!(in_singles, 4);
        let mut all = touched.to_vec();
        for &(intent, count) in postings.iter().filter(|&&(intent, _)| intent != 2) {
            let intent = intent as usize;
            let log_likelihood = model.prior(intent, terms) + model.gain(intent, count, similarity);
            all.push((intent, log_likelihood));
        }
        let (softmax, _) = model.softmax(terms, &touched, &singles);
        let plain = softmax_of_all(&model, terms, &all);
        for &(intent, log_likelihood) in &all {
            assert_close(softmax, &plain, intent, log_likelihood);
        }
    }

    #[test]
    fn smaller_intents_lose_less_for_an_unseen_word() {
        let model = WordModel::new(&[10, 100], 50);
        assert!(model.prior(0, 2) > model.prior(1, 2));
        assert!(model.gain(0, 1, 1.0) > 0.0);
        assert!(model.gain(0, 1, 0.5) < model.gain(0, 1, 1.0));
    }
}
