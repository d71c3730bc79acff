//! Scoring a weighed question against the index, best intents first.
//!
//! Narrow terms' postings are walked: each adds its evidence to the
//! patterns and intents that use it. Broad terms (see [`super::broad`])
//! are not walked: they add theirs only to the intents the narrow terms
//! reached and to those two broad terms or more share, found from bitmaps.
//! All these are scored at once. The intents that one broad term alone
//! reaches wait, in bulk, with a bound on their scores, and are scored one
//! by one only when the ranking reaches that bound. The word model's
//! softmax counts every intent exactly from the start, so waiting changes
//! no score.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::broad::{shared_intents, BroadTerm};
use super::dense::{add_dense_evidence, best_untouched, DenseMask};
use super::index::TermId;
use super::tally::{with_tally, IntentTally, Tally};
use super::word_model::{Singles, Softmax};
use super::{score, Analysis, IntentScore, Matcher, WeighedQuestion};

/// What a bound on a waiting score is raised by, so that rounding cannot
/// put it a hair under the score it bounds.
const BOUND_SLACK: f32 = 1e-5;

/// The order of a ranking: best score first, then the intent listed first.
pub(super) fn rank_order(a: &IntentScore, b: &IntentScore) -> Ordering {
    b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent))
}

/// An [`IntentScore`] that a max-heap yields in [`rank_order`].
struct Ranked(IntentScore);

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        rank_order(&other.0, &self.0)
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// A broad term of a question.
struct BroadQuestionTerm<'m> {
    term: TermId,
    similarity: f32,
    evidence: f32,
    broad: &'m BroadTerm,
}

/// A question's terms as scoring splits them.
struct QuestionTerms<'m> {
    /// The dense terms' bits and evidence, in the question's order.
    dense: Vec<(u8, f32)>,
    /// The dense terms the question uses, one bit each.
    dense_mask: DenseMask,
    broad: Vec<BroadQuestionTerm<'m>>,
}

/// Intents best first, scored as they are asked for. Deciding reads only
/// the first few of what may be thousands: the intents scored in full wait
/// in a heap (built in linear time, not sorted), and the others are scored
/// only when the next best could be among them.
pub(super) struct Ranking<'a> {
    matcher: &'a Matcher,
    question: &'a WeighedQuestion,
    tally: &'a Tally,
    softmax: Softmax,
    heap: BinaryHeap<Ranked>,
    /// Broad terms whose single intents wait, each with a score none of
    /// them can beat, the highest last.
    waiting: Vec<(f32, &'a BroadQuestionTerm<'a>)>,
}

impl Iterator for Ranking<'_> {
    type Item = IntentScore;

    fn next(&mut self) -> Option<IntentScore> {
        while let Some((bound, broad)) = self.waiting.pop() {
            if self.heap.peek().is_some_and(|best| best.0.score > bound) {
                self.waiting.push((bound, broad));
                break;
            }
            let heap = &mut self.heap;
            self.matcher
                .score_singles(self.question, self.tally, broad, self.softmax, |scored| {
                    heap.push(Ranked(scored))
                });
        }
        self.heap.pop().map(|ranked| ranked.0)
    }
}

impl Matcher {
    /// Runs `read` on the intents that share a term with the question,
    /// best first (see [`Ranking`]).
    pub(super) fn with_ranking<R>(
        &self,
        analysis: &Analysis,
        read: impl FnOnce(&mut Ranking) -> R,
    ) -> R {
        // A question with nothing to weigh reaches no intent.
        let question = &self.weigh(analysis).unwrap_or_default();
        with_tally(self.index.patterns.len(), self.intent_ids.len(), |tally| {
            let terms = self.tally_narrow_terms(question, tally);
            self.start_shared_intents(question, tally, &terms.broad);
            let mut reached: Vec<u32> = tally.intents().map(|(intent, _)| intent).collect();
            reached.sort_unstable();
            let postings = self.tally_broad_terms(question, tally, &terms.broad, &reached);
            self.fit_patterns(question, &terms, tally, &reached);
            let (softmax, singles) =
                self.word_model_softmax(question, &terms.broad, tally, &postings);
            let heap = reached
                .iter()
                .map(|&intent| Ranked(self.score_of(question, intent, tally.get(intent), softmax)))
                .collect();
            let mut waiting: Vec<(f32, &BroadQuestionTerm)> = terms
                .broad
                .iter()
                .zip(&singles)
                .filter_map(|(broad, singles)| {
                    let bound = self.singles_bound(question, broad, singles, softmax)?;
                    Some((bound, broad))
                })
                .collect();
            waiting.sort_by(|a, b| a.0.total_cmp(&b.0));
            read(&mut Ranking {
                matcher: self,
                question,
                tally,
                softmax,
                heap,
                waiting,
            })
        })
    }

    /// Adds each narrow term's evidence to the intents that use it and,
    /// for a sparse one, to the patterns; sorts out the dense and broad
    /// terms.
    fn tally_narrow_terms<'m>(
        &'m self,
        question: &WeighedQuestion,
        tally: &mut Tally,
    ) -> QuestionTerms<'m> {
        let mut terms = QuestionTerms {
            dense: Vec::new(),
            dense_mask: 0,
            broad: Vec::new(),
        };
        for &(term, similarity) in &question.terms {
            let evidence = self.index.weight(term) * similarity;
            let dense_bit = self.index.dense_bit(term);
            if let Some(bit) = dense_bit {
                terms.dense.push((bit, evidence));
                terms.dense_mask |= 1 << bit;
            }
            if let Some(broad) = self.index.broad(term) {
                terms.broad.push(BroadQuestionTerm {
                    term,
                    similarity,
                    evidence,
                    broad,
                });
                continue;
            }
            if dense_bit.is_none() {
                tally.add_to_patterns(self.index.patterns_with(term), evidence);
            }
            let gains = self.word_model.posting_gains(term);
            for (&(intent, _), &gain) in self.index.intents_with(term).iter().zip(gains) {
                let intent = self.intent_tally(question, tally, intent);
                intent.hit += evidence;
                intent.log_likelihood += similarity * gain;
            }
        }
        terms
    }

    /// Adds the broad terms' evidence to the `reached` intents (ascending)
    /// and to their patterns. Returns, per broad term, where in its intent
    /// postings those intents are.
    fn tally_broad_terms(
        &self,
        question: &WeighedQuestion,
        tally: &mut Tally,
        broad_terms: &[BroadQuestionTerm],
        reached: &[u32],
    ) -> Vec<Vec<usize>> {
        // Term by term, in the order of the question's terms: every intent
        // still adds them in that order.
        broad_terms
            .iter()
            .map(|broad| {
                let gains = self.word_model.posting_gains(broad.term);
                let sparse = self.index.dense_bit(broad.term).is_none();
                let mut postings = Vec::new();
                for &intent in reached {
                    let Some(at) = broad.broad.posting_of(intent) else {
                        continue;
                    };
                    let tallied = self.intent_tally(question, tally, intent);
                    tallied.hit += broad.evidence;
                    tallied.log_likelihood += broad.similarity * gains[at];
                    if sparse {
                        tally.add_to_patterns(self.patterns_at(broad, at), broad.evidence);
                    }
                    postings.push(at);
                }
                postings
            })
            .collect()
    }

    /// Starts a tally for each intent that two broad terms or more reach
    /// and no narrow term does.
    fn start_shared_intents(
        &self,
        question: &WeighedQuestion,
        tally: &mut Tally,
        broad_terms: &[BroadQuestionTerm],
    ) {
        let bitmaps: Vec<&BroadTerm> = broad_terms.iter().map(|b| b.broad).collect();
        for intent in shared_intents(&bitmaps) {
            self.intent_tally(question, tally, intent);
        }
    }

    /// The tally of `intent`, started at its word-model prior when the
    /// question first touches it.
    fn intent_tally<'t>(
        &self,
        question: &WeighedQuestion,
        tally: &'t mut Tally,
        intent: u32,
    ) -> &'t mut IntentTally {
        let terms = question.terms.len();
        tally.intent(intent, || self.word_model.prior(intent as usize, terms))
    }

    /// The patterns of the intent at `posting` of a broad term's postings
    /// that use the term.
    fn patterns_at(&self, broad: &BroadQuestionTerm, posting: usize) -> &[u32] {
        let count = self.index.intents_with(broad.term)[posting].1;
        &self.index.patterns_with(broad.term)[broad.broad.patterns_at(posting, count)]
    }

    /// Finds the `reached` intents' best patterns: among the patterns
    /// sparse terms reached, and the lightest of each dense group.
    fn fit_patterns(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        tally: &mut Tally,
        reached: &[u32],
    ) {
        tally.fit_patterns(|pattern, sparse_hit| {
            let intent = self.index.shape(pattern).intent;
            (intent, self.fit(question, terms, pattern, sparse_hit))
        });
        for &intent in reached {
            self.fit_dense_groups(question, terms, tally, intent);
        }
    }

    /// How well `pattern` fits the question, given the evidence of the
    /// sparse terms it shares with it.
    fn fit(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        pattern: u32,
        sparse: f32,
    ) -> f32 {
        let shape = self.index.shape(pattern);
        let hit = add_dense_evidence(sparse, shape.dense & terms.dense_mask, &terms.dense);
        score::f_measure(hit, question.weight, shape.weight)
    }

    /// Offers the intent the lightest untouched pattern of each of its
    /// dense groups the question uses.
    fn fit_dense_groups(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        tally: &mut Tally,
        intent: u32,
    ) {
        if terms.dense_mask == 0 {
            return;
        }
        for group in self.index.dense_groups(intent) {
            let shared = group.mask & terms.dense_mask;
            if shared == 0 {
                continue;
            }
            let hit = add_dense_evidence(0.0, shared, &terms.dense);
            let fit = |pattern: u32| {
                score::f_measure(hit, question.weight, self.index.shape(pattern).weight)
            };
            if let Some((fit, pattern)) = best_untouched(group, |p| tally.is_touched(p), fit) {
                tally.offer(intent, fit, pattern);
            }
        }
    }

    /// The word model's softmax over every intent, and per broad term the
    /// intents only it reaches, given where in its postings the intents the
    /// question reaches otherwise are.
    fn word_model_softmax(
        &self,
        question: &WeighedQuestion,
        broad_terms: &[BroadQuestionTerm],
        tally: &Tally,
        postings: &[Vec<usize>],
    ) -> (Softmax, Vec<Vec<Singles>>) {
        let count = question.terms.len();
        let singles: Vec<Vec<Singles>> = broad_terms
            .iter()
            .zip(postings)
            .map(|(broad, postings)| {
                let model = &self.word_model;
                model.broad_singles(broad.term, broad.similarity, count, postings)
            })
            .collect();
        let touched: Vec<(usize, f32)> = tally
            .intents()
            .map(|(intent, t)| (intent as usize, t.log_likelihood))
            .collect();
        let softmax = self.word_model.softmax(count, &touched, &singles.concat());
        (softmax, singles)
    }

    /// An intent's score from its tally.
    fn score_of(
        &self,
        question: &WeighedQuestion,
        intent: u32,
        tally: &IntentTally,
        softmax: Softmax,
    ) -> IntentScore {
        IntentScore {
            intent: intent as usize,
            score: score::intent_score(
                tally.best_fit,
                tally.hit / question.weight,
                softmax.probability(tally.log_likelihood),
            ),
            best_pattern: tally.best_pattern as usize,
        }
    }

    /// A score no intent that only `broad` reaches can beat: the fit of the
    /// lightest pattern that uses it, with the likeliest of its `singles`;
    /// `None` when it has none.
    fn singles_bound(
        &self,
        question: &WeighedQuestion,
        broad: &BroadQuestionTerm,
        singles: &[Singles],
        softmax: Softmax,
    ) -> Option<f32> {
        let likeliest = singles.iter().map(|s| s.log_likelihood).reduce(f32::max)?;
        let lightest = broad.broad.lightest_pattern;
        let fit = score::f_measure(broad.evidence, question.weight, lightest);
        let covered = broad.evidence / question.weight;
        let probability = softmax.probability(likeliest);
        Some(score::intent_score(fit, covered, probability) + BOUND_SLACK)
    }

    /// Scores each intent that only `broad` reaches, for `keep`: its best
    /// pattern is the lightest of its own that use the term.
    fn score_singles(
        &self,
        question: &WeighedQuestion,
        tally: &Tally,
        broad: &BroadQuestionTerm,
        softmax: Softmax,
        mut keep: impl FnMut(IntentScore),
    ) {
        let gains = self.word_model.posting_gains(broad.term);
        let mut patterns = self.index.patterns_with(broad.term);
        let covered = broad.evidence / question.weight;
        for (&(intent, count), &gain) in self.index.intents_with(broad.term).iter().zip(gains) {
            let (own, rest) = patterns.split_at(count as usize);
            patterns = rest;
            if tally.has_intent(intent) {
                continue;
            }
            let fit = |&pattern: &u32| {
                let weight = self.index.shape(pattern).weight;
                (
                    score::f_measure(broad.evidence, question.weight, weight),
                    pattern,
                )
            };
            let (best_fit, best_pattern) = own
                .iter()
                .map(fit)
                .reduce(|best, next| if next.0 > best.0 { next } else { best })
                .unwrap_or((0.0, 0));
            let prior = self.word_model.prior(intent as usize, question.terms.len());
            let probability = softmax.probability(prior + broad.similarity * gain);
            keep(IntentScore {
                intent: intent as usize,
                score: score::intent_score(best_fit, covered, probability),
                best_pattern: best_pattern as usize,
            });
        }
    }
}
