//! The word model: naive Bayes over each intent's patterns, turned into
//! probabilities by a softmax over every intent.
//!
//! A question touches few intents, but the softmax divides by a sum over
//! all of them. An intent the question shares no word with scores the
//! question by its size alone, so the untouched intents are summed size by
//! size: the cost follows the number of distinct sizes, not of intents.
//! Likewise the intents that only one broad question term touches (see
//! [`super::broad`]) are summed by size and by how many of their patterns
//! use the term, with one exponential per count, not per intent.

use super::index::{TermId, TermIndex};
use crate::matcher::model::{word_gain, word_log_likelihood};

#[derive(Clone, Debug, Default)]
pub struct WordModel {
    /// Per intent: the index of its size in `classes`.
    class_of: Vec<u32>,
    /// Per distinct size, smallest first: what one question word an intent
    /// of that size never uses is worth, and how many intents have it.
    classes: Vec<SizeClass>,
    /// [`word_gain`] per count, up to the largest any term has: worked out
    /// once, so that scoring takes no logarithm per posting.
    word_gains: Vec<f32>,
    /// Per term: if it is broad, its intents grouped by how many of their
    /// patterns use it and by size.
    broad_groups: Vec<BroadGroups>,
}

/// A broad term's intents by count, then by size class: all the intents of
/// one count gain the same from the term.
#[derive(Clone, Debug, Default, PartialEq)]
struct BroadGroups {
    /// Per count, ascending: the count and where its groups start.
    runs: Vec<(u32, u32)>,
    /// (size class, how many intents), the classes ascending in each run.
    groups: Vec<(u32, u32)>,
    intents: u32,
}

impl BroadGroups {
    /// `postings` (intent, count), grouped by count and by `class_of` the
    /// intent.
    fn of_postings(postings: &[(u32, u32)], class_of: &[u32]) -> BroadGroups {
        let mut keys: Vec<(u32, u32)> = postings
            .iter()
            .map(|&(intent, count)| (count, class_of[intent as usize]))
            .collect();
        keys.sort_unstable();
        let mut grouped = BroadGroups {
            intents: postings.len() as u32,
            ..BroadGroups::default()
        };
        for same in keys.chunk_by(|a, b| a == b) {
            let (count, class) = same[0];
            if grouped.runs.last().is_none_or(|&(last, _)| last != count) {
                grouped.runs.push((count, grouped.groups.len() as u32));
            }
            grouped.groups.push((class, same.len() as u32));
        }
        grouped
    }

    /// Each run's count and groups.
    fn runs(&self) -> impl Iterator<Item = (u32, &[(u32, u32)])> {
        let ends = self.runs.iter().skip(1).map(|&(_, start)| start as usize);
        let ends = ends.chain(std::iter::once(self.groups.len()));
        let runs = self.runs.iter().zip(ends);
        runs.map(|(&(count, start), end)| (count, &self.groups[start as usize..end]))
    }
}

/// A broad question term, as the softmax sees it.
pub struct BroadShare<'a> {
    pub term: TermId,
    pub similarity: f32,
    /// The intents among the term's that are scored one by one, each with
    /// how many of its patterns use the term. The others are the term's
    /// singles: the question reaches them only through it.
    pub scored: &'a [(u32, u32)],
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

/// What [`WordModel::softmax`] works out for a question.
pub struct Probabilities {
    pub softmax: Softmax,
    /// Per touched intent, in their order, the weight whose
    /// [`Softmax::share`] is its probability: a question touches hundreds
    /// of intents in a large set, and each would otherwise take its
    /// exponential twice.
    pub weights: Vec<f32>,
    /// Per broad term: a log-likelihood none of its singles exceeds, or
    /// `None` when it has none.
    pub likeliest_singles: Vec<Option<f32>>,
}

/// The intents of one size: how many (pattern, term) pairs they have, the
/// size of their "document".
#[derive(Clone, Copy, Debug)]
struct SizeClass {
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
                unseen_word: word_log_likelihood(0, size, vocabulary),
                intents: 0,
            })
            .collect();
        for &class in &class_of {
            classes[class as usize].intents += 1;
        }
        WordModel {
            class_of,
            classes,
            word_gains: Vec::new(),
            broad_groups: Vec::new(),
        }
    }

    /// The word model of the indexed patterns.
    pub fn of_index(index: &TermIndex) -> WordModel {
        let mut model = WordModel::new(index.intent_sizes(), index.term_count());
        let terms = 0..index.term_count() as TermId;
        let most = terms.clone().flat_map(|term| index.intents_with(term));
        let most = most.map(|&(_, count)| count).max().unwrap_or(0);
        model.word_gains = (0..=most).map(word_gain).collect();
        model.broad_groups = terms
            .map(|term| match index.is_broad(term) {
                true => BroadGroups::of_postings(index.intents_with(term), &model.class_of),
                false => BroadGroups::default(),
            })
            .collect();
        model
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
    pub fn gain(&self, count: u32, similarity: f32) -> f32 {
        let gain = self.word_gains.get(count as usize).copied();
        similarity * gain.unwrap_or_else(|| word_gain(count))
    }

    /// The softmax over every intent for a question of `terms` terms: the
    /// `touched` ones (intent, log-likelihood) each, the singles of each
    /// `broad` term in bulk, and the rest at their prior.
    pub fn softmax(
        &self,
        terms: usize,
        touched: &[(usize, f32)],
        broad: &[BroadShare],
    ) -> Probabilities {
        let mut untouched: Vec<u32> = self.classes.iter().map(|class| class.intents).collect();
        for &(intent, _) in touched {
            untouched[self.class_of[intent] as usize] -= 1;
        }
        let likeliest_singles: Vec<Option<f32>> = broad
            .iter()
            .map(|share| self.likeliest_single(terms, share))
            .collect();
        let priors = self.classes.iter().zip(&untouched);
        let priors = priors.filter(|&(_, &intents)| intents > 0);
        let max = touched
            .iter()
            .map(|&(_, log_likelihood)| log_likelihood)
            .chain(priors.map(|(class, _)| class.prior(terms)))
            .chain(likeliest_singles.iter().flatten().copied())
            .fold(f32::NEG_INFINITY, f32::max);
        // Each class's prior weight, and every intent at it but those
        // touched: the singles add what their term gains on top.
        let at_prior: Vec<f32> = self
            .classes
            .iter()
            .map(|class| (class.prior(terms) - max).exp())
            .collect();
        let weights: Vec<f32> = touched.iter().map(|&(_, l)| (l - max).exp()).collect();
        // Bulk sums run in f64: the singles' are differences of sums.
        let mut total: f64 = weights.iter().map(|&w| w as f64).sum();
        total += (untouched.iter().zip(&at_prior))
            .map(|(&intents, &weight)| intents as f64 * weight as f64)
            .sum::<f64>();
        // A term whose intents are all scored adds nothing: its bulk sum
        // and what is taken off it would only cancel.
        let with_singles = broad.iter().zip(&likeliest_singles);
        for (share, _) in with_singles.filter(|(_, likeliest)| likeliest.is_some()) {
            total += self.singles_gain(share, &at_prior).max(0.0);
        }
        let softmax = Softmax {
            max,
            total: total as f32,
        };
        Probabilities {
            softmax,
            weights,
            likeliest_singles,
        }
    }

    /// The highest log-likelihood any single of `share`'s term can have for
    /// a question of `terms` terms; `None` when it has no singles. Within a
    /// count, the smallest size class is likeliest.
    fn likeliest_single(&self, terms: usize, share: &BroadShare) -> Option<f32> {
        let grouped = &self.broad_groups[share.term as usize];
        if share.scored.len() >= grouped.intents as usize {
            return None;
        }
        let likeliest = grouped.runs().map(|(count, groups)| {
            let class = &self.classes[groups[0].0 as usize];
            class.prior(terms) + self.gain(count, share.similarity)
        });
        likeliest.reduce(f32::max)
    }

    /// What the singles of `share`'s term add to the softmax's total over
    /// their weight at the prior, given each class's weight there: all the
    /// term's intents in bulk, less those scored one by one.
    fn singles_gain(&self, share: &BroadShare, at_prior: &[f32]) -> f64 {
        let grouped = &self.broad_groups[share.term as usize];
        // Per count, what an intent gains over its prior weight, as a
        // factor less one.
        let mut extra = vec![
            0.0;
            grouped
                .runs
                .last()
                .map_or(0, |&(count, _)| count as usize + 1)
        ];
        let mut sum = 0.0;
        for (count, groups) in grouped.runs() {
            extra[count as usize] = self.gain(count, share.similarity).exp_m1() as f64;
            let at_prior = groups
                .iter()
                .map(|&(class, intents)| intents as f64 * at_prior[class as usize] as f64);
            sum += extra[count as usize] * at_prior.sum::<f64>();
        }
        for &(intent, count) in share.scored {
            let class = self.class_of[intent as usize] as usize;
            sum -= extra[count as usize] * at_prior[class] as f64;
        }
        sum
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
            (1, model.prior(1, terms) + model.gain(2, 1.0)),
            (2, model.prior(2, terms) + model.gain(1, 0.9)),
        ];
        let Probabilities {
            softmax, weights, ..
        } = model.softmax(terms, &touched, &[]);
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
        model.broad_groups = vec![BroadGroups::of_postings(&postings, &model.class_of)];
        let (terms, similarity) = (2, 0.8);
        let touched = [(2, model.prior(2, terms) + model.gain(1, similarity) + 1.5)];
        let share = BroadShare {
            term: 0,
            similarity,
            scored: &[(2, 1)],
        };
        let probabilities = model.softmax(terms, &touched, &[share]);
        let mut all = touched.to_vec();
        for &(intent, count) in postings.iter().filter(|&&(intent, _)| intent != 2) {
            let intent = intent as usize;
            let log_likelihood = model.prior(intent, terms) + model.gain(count, similarity);
            all.push((intent, log_likelihood));
        }
        let plain = softmax_of_all(&model, terms, &all);
        for &(intent, log_likelihood) in &all {
            assert_close(probabilities.softmax, &plain, intent, log_likelihood);
        }
        let singles = all[1..].iter().map(|&(_, l)| l).reduce(f32::max);
        assert_eq!(probabilities.likeliest_singles, [singles]);
    }

    #[test]
    fn a_broad_term_whose_intents_are_all_scored_has_no_singles() {
        let mut model = WordModel::new(&[30, 12], 200);
        let postings = [(0, 1), (1, 3)];
        model.broad_groups = vec![BroadGroups::of_postings(&postings, &model.class_of)];
        let touched = [(0, -1.0), (1, -2.0)];
        let share = BroadShare {
            term: 0,
            similarity: 1.0,
            scored: &postings,
        };
        let probabilities = model.softmax(2, &touched, &[share]);
        assert_eq!(probabilities.likeliest_singles, [None]);
        let plain = softmax_of_all(&model, 2, &touched);
        assert_close(probabilities.softmax, &plain, 0, -1.0);
        assert_close(probabilities.softmax, &plain, 1, -2.0);
    }

    #[test]
    fn groups_a_broad_terms_intents_by_count_then_size() {
        let class_of = [2, 0, 1, 0, 2];
        let postings = [(0, 2), (1, 1), (2, 2), (3, 1), (4, 1)];
        let grouped = BroadGroups::of_postings(&postings, &class_of);
        let runs: Vec<(u32, &[(u32, u32)])> = grouped.runs().collect();
        assert_eq!(
            runs,
            [(1, &[(0, 2), (2, 1)][..]), (2, &[(1, 1), (2, 1)][..])]
        );
        assert_eq!(grouped.intents, 5);
    }

    #[test]
    fn smaller_intents_lose_less_for_an_unseen_word() {
        let model = WordModel::new(&[10, 100], 50);
        assert!(model.prior(0, 2) > model.prior(1, 2));
        assert!(model.gain(1, 1.0) > 0.0);
        assert!(model.gain(1, 0.5) < model.gain(1, 1.0));
        assert!(model.gain(3, 1.0) > model.gain(1, 1.0));
    }
}
