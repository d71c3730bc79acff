//! The fast engine: ranks a question's intents exactly as
//! [the model](super::model) would, at a cost that follows what the question
//! shares with the intents rather than how many there are (tens of
//! microseconds a question at 10 000 intents, where brute force takes tens
//! of milliseconds). A maintainer of the shipped intents can ignore it: the
//! equivalence tests hold it to the model, and every formula it applies is
//! the model's.
//!
//! - [`index`]: terms, their weights, postings to patterns and intents;
//! - [`dense`]: the few terms most patterns use, fitted by group;
//! - [`broad`]: terms many intents use, found from bitmaps, not walked;
//! - [`tally`]: the per-thread working memory of one question;
//! - [`word_model`]: the softmax's sum over every intent, in bulk;
//! - [`deletions`]: typo look-ups without scanning the vocabulary;
//! - this file: the ranking itself.
//!
//! Narrow terms' postings are walked: each adds its evidence to the
//! patterns and intents that use it. Broad terms are not walked: they add
//! theirs only to the intents the narrow terms reached and to those two
//! broad terms or more share, found from bitmaps. All these are scored at
//! once. The intents that one broad term alone reaches wait, in bulk, with
//! a bound on their scores, and are scored one by one only when the
//! ranking reaches that bound. The word model's softmax counts every intent
//! exactly from the start, so waiting changes no score.

mod broad;
pub mod deletions;
mod dense;
mod index;
mod tally;
mod word_model;

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use broad::{shared_intents, BroadTerm, BroadTerms};
use dense::{add_dense_evidence, best_untouched, DenseMask};
use index::TermIndex;
pub use index::{IndexedPattern, PatternInput, TermId};
use tally::{with_tally, IntentTally, QuestionTally};
use word_model::{BroadShare, Probabilities, Softmax, WordModel};

use super::model::{self, ScoreParts};

/// The index of a matcher's patterns and what scoring reads besides.
#[derive(Clone, Debug)]
pub struct Engine {
    index: TermIndex,
    intents: usize,
    unknown_word_weight: f32,
    word_model: WordModel,
    broad: BroadTerms,
}

/// One intent's score for a question, with the pattern that earned most.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntentScore {
    pub intent: usize,
    pub score: f32,
    /// What the score is made of.
    pub parts: ScoreParts,
    /// The number of the pattern that earned most (see [`Engine::patterns`]).
    pub best_pattern: usize,
}

/// A question as scoring reads it.
#[derive(Default)]
struct WeighedQuestion {
    /// Each distinct term, with the best similarity it was typed with: the
    /// narrow terms first, then the broad ones, each sparse then dense, in
    /// the question's order, the order every tally adds them in.
    terms: Vec<(TermId, f32)>,
    /// What explaining the whole question is worth, unknown words included.
    weight: f32,
}

impl Engine {
    /// Indexes `inputs`, the patterns of `intents` intents, weighing terms
    /// by the first `topics` of them (see [`TermIndex::build_weighing`]).
    pub fn build(inputs: Vec<PatternInput>, intents: usize, topics: usize) -> Engine {
        let index = TermIndex::build_weighing(inputs, intents, topics);
        Engine {
            unknown_word_weight: model::unknown_word_weight(index.max_weight()),
            word_model: WordModel::of_index(&index),
            broad: BroadTerms::new(&index),
            intents,
            index,
        }
    }

    /// The term of this name, if a pattern uses it.
    pub fn term(&self, name: &str) -> Option<TermId> {
        self.index.id(name)
    }

    pub fn term_name(&self, term: TermId) -> &str {
        self.index.name(term)
    }

    /// The intents whose patterns use `term`, with how many patterns do.
    pub fn intents_with(&self, term: TermId) -> &[(u32, u32)] {
        self.index.intents_with(term)
    }

    pub fn term_weight(&self, term: TermId) -> f32 {
        self.index.weight(term)
    }

    /// Every pattern, intent by intent: a pattern's number is its position.
    pub fn patterns(&self) -> &[IndexedPattern] {
        &self.index.patterns
    }

    /// How many terms are broad and how many dense: whether a test's
    /// intent set takes the engine's shortcuts.
    #[cfg(test)]
    pub fn shortcut_terms(&self) -> (usize, usize) {
        let terms = 0..self.index.term_count() as TermId;
        let broad = terms.clone().filter(|&t| self.index.is_broad(t)).count();
        let dense = terms.filter(|&t| self.index.dense_bit(t).is_some()).count();
        (broad, dense)
    }

    /// The question's distinct terms and its weight, from its words' terms
    /// and similarities (`None` for a word no pattern uses); `None` when
    /// it has nothing to weigh.
    fn weigh(&self, words: impl Iterator<Item = (Option<TermId>, f32)>) -> Option<WeighedQuestion> {
        let mut terms: Vec<(TermId, f32)> = Vec::new();
        let mut weight = 0.0;
        for (term, similarity) in words {
            match term {
                Some(term) => match terms.iter_mut().find(|(t, _)| *t == term) {
                    Some((_, sim)) => *sim = sim.max(similarity),
                    None => terms.push((term, similarity)),
                },
                None => weight += self.unknown_word_weight,
            }
        }
        weight += terms
            .iter()
            .map(|&(t, _)| self.index.weight(t))
            .sum::<f32>();
        terms.sort_by_key(|&(term, _)| {
            let broad = self.index.is_broad(term);
            (broad, self.index.dense_bit(term).is_some())
        });
        (weight > 0.0).then_some(WeighedQuestion { terms, weight })
    }
}

/// What a bound on a waiting score is raised by, so that rounding cannot
/// put it a hair under the score it bounds.
const BOUND_SLACK: f32 = 1e-5;

/// The order of a ranking: best score first, then the intent listed first.
fn rank_order(a: &IntentScore, b: &IntentScore) -> Ordering {
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
    /// Whether its patterns are fitted one by one (not by dense group).
    sparse: bool,
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

/// The intents that one broad term alone reaches, met in the order of
/// their fits, best first (see [`BroadTerm::lightest_first`]).
struct WaitingSingles<'a> {
    broad: &'a BroadQuestionTerm<'a>,
    /// How far along the term's postings, lightest pattern first, it is.
    next: usize,
    /// The highest word-model probability any of them has.
    likeliest: f32,
    /// A score none of those not met yet can beat.
    bound: f32,
}

/// Intents best first, scored as they are asked for. Deciding reads only
/// the first few of what may be thousands: the intents scored in full wait
/// in a heap (built in linear time, not sorted), and the others are scored
/// one by one only when the next best could be among them.
pub struct Ranking<'a> {
    engine: &'a Engine,
    question: &'a WeighedQuestion,
    tally: &'a QuestionTally,
    broad_terms: &'a [BroadQuestionTerm<'a>],
    softmax: Softmax,
    heap: BinaryHeap<Ranked>,
    /// By bound, the highest last.
    waiting: Vec<WaitingSingles<'a>>,
}

impl Iterator for Ranking<'_> {
    type Item = IntentScore;

    fn next(&mut self) -> Option<IntentScore> {
        while let Some(mut singles) = self.waiting.pop() {
            if self
                .heap
                .peek()
                .is_some_and(|best| best.0.score > singles.bound)
            {
                self.waiting.push(singles);
                break;
            }
            if let Some(scored) = self.next_single(&mut singles) {
                self.heap.push(Ranked(scored));
            }
            if let Some(bound) = self.engine.singles_bound(self.question, &singles) {
                singles.bound = bound;
                let at = self.waiting.partition_point(|other| other.bound < bound);
                self.waiting.insert(at, singles);
            }
        }
        self.heap.pop().map(|ranked| ranked.0)
    }
}

impl Ranking<'_> {
    /// Scores the next of `singles`, skipping intents the question reaches
    /// otherwise; `None` when none is left.
    fn next_single(&self, singles: &mut WaitingSingles) -> Option<IntentScore> {
        let broad = singles.broad;
        let intents = self.engine.index.intents_with(broad.term);
        while let Some(&(_, posting)) = broad.broad.lightest_first().get(singles.next) {
            singles.next += 1;
            let (intent, _) = intents[posting as usize];
            if !self.reached_otherwise(broad, intent) {
                let engine = self.engine;
                return Some(engine.score_single(self.question, broad, posting, self.softmax));
            }
        }
        None
    }

    /// Whether a term other than `broad` reaches `intent`.
    fn reached_otherwise(&self, broad: &BroadQuestionTerm, intent: u32) -> bool {
        let mut others = self.broad_terms.iter().filter(|o| o.term != broad.term);
        self.tally.has_intent(intent) || others.any(|other| other.broad.has(intent))
    }
}

impl Engine {
    /// Runs `read` on the intents that share a term with the question,
    /// best first (see [`Ranking`]), given its words' terms and
    /// similarities (`None` for a word no pattern uses).
    pub fn with_ranking<R>(
        &self,
        words: impl Iterator<Item = (Option<TermId>, f32)>,
        read: impl FnOnce(&mut Ranking) -> R,
    ) -> R {
        // A question with nothing to weigh reaches no intent.
        let question = &self.weigh(words).unwrap_or_default();
        with_tally(self.index.patterns.len(), self.intents, |tally| {
            let terms = self.tally_narrow_terms(question, tally);
            let reached: Vec<u32> = tally.intents().map(|(intent, _)| intent).collect();
            let mut scored_shares = self.tally_broad_terms(question, tally, &terms.broad, &reached);
            self.fit_patterns(question, &terms, tally, &reached);
            let shared = self.score_shared_intents(question, &terms, tally, &mut scored_shares);
            let scored = || {
                let shared = shared.iter().map(|(intent, tallied)| (*intent, tallied));
                tally.intents().chain(shared)
            };
            let Probabilities {
                softmax,
                weights,
                likeliest_singles,
            } = self.word_model_softmax(question, &terms.broad, scored(), &scored_shares);
            let heap = scored()
                .zip(weights)
                .map(|((intent, tallied), weight)| {
                    let probability = softmax.share(weight);
                    Ranked(self.score_of(question, intent, tallied, probability))
                })
                .collect();
            let mut waiting: Vec<WaitingSingles> = terms
                .broad
                .iter()
                .zip(likeliest_singles)
                .filter_map(|(broad, likeliest)| {
                    let mut waiting = WaitingSingles {
                        broad,
                        next: 0,
                        likeliest: softmax.probability(likeliest?),
                        bound: 0.0,
                    };
                    waiting.bound = self.singles_bound(question, &waiting)?;
                    Some(waiting)
                })
                .collect();
            waiting.sort_by(|a, b| a.bound.total_cmp(&b.bound));
            read(&mut Ranking {
                engine: self,
                question,
                tally,
                broad_terms: &terms.broad,
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
        tally: &mut QuestionTally,
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
            if let Some(broad) = self.broad.get(term) {
                terms.broad.push(BroadQuestionTerm {
                    term,
                    similarity,
                    evidence,
                    sparse: dense_bit.is_none(),
                    broad,
                });
                continue;
            }
            if dense_bit.is_none() {
                tally.add_to_patterns(self.index.patterns_with(term).iter().copied(), evidence);
            }
            for &(intent, count) in self.index.intents_with(term) {
                let intent = self.intent_tally(question, tally, intent);
                intent.hit += evidence;
                intent.log_likelihood += self.word_model.gain(count, similarity);
            }
        }
        terms
    }

    /// Adds the broad terms' evidence to the `reached` intents and to their
    /// patterns. Returns, per broad term, those of the intents it has, each
    /// with how many of its patterns use the term (see [`BroadShare`]).
    fn tally_broad_terms(
        &self,
        question: &WeighedQuestion,
        tally: &mut QuestionTally,
        broad_terms: &[BroadQuestionTerm],
        reached: &[u32],
    ) -> Vec<Vec<(u32, u32)>> {
        // Term by term, in the order of the question's terms: every intent
        // and pattern still adds them in that order.
        broad_terms
            .iter()
            .map(|broad| {
                let mut scored = Vec::new();
                for &intent in reached {
                    let Some(at) = broad.broad.posting_of(intent) else {
                        continue;
                    };
                    let tallied = self.intent_tally(question, tally, intent);
                    let (count, patterns) = self.add_broad_evidence(broad, at, tallied);
                    let patterns = patterns.iter().map(|&(pattern, _)| pattern);
                    tally.add_to_patterns(patterns, broad.evidence);
                    scored.push((intent, count));
                }
                scored
            })
            .collect()
    }

    /// Scores each intent that two broad terms or more reach and no narrow
    /// term does. In a large set there are hundreds, and no other term
    /// touches their patterns, so each is tallied on its own, from its
    /// postings alone, rather than in `tally`. Adds them to `scored_shares`,
    /// per broad term, as [`Engine::tally_broad_terms`] does.
    fn score_shared_intents(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        tally: &QuestionTally,
        scored_shares: &mut [Vec<(u32, u32)>],
    ) -> Vec<(u32, IntentTally)> {
        let bitmaps: Vec<&BroadTerm> = terms.broad.iter().map(|b| b.broad).collect();
        let mut narrow = vec![0u64; self.intents.div_ceil(64)];
        for (intent, _) in tally.intents() {
            narrow[intent as usize / 64] |= 1 << (intent % 64);
        }
        let shared = shared_intents(&bitmaps, &narrow);
        // Hundreds of pushes: room for them up front, not by doubling.
        let mut scored = Vec::with_capacity(shared.len());
        for share in scored_shares.iter_mut() {
            share.reserve(shared.len());
        }
        // The intent's patterns the question touched: (pattern, weight, hit).
        let mut touched: Vec<(u32, f32, f32)> = Vec::new();
        for intent in shared {
            let prior = self.word_model.prior(intent as usize, question.terms.len());
            let mut tallied = IntentTally::started(prior);
            touched.clear();
            for (broad, share) in terms.broad.iter().zip(scored_shares.iter_mut()) {
                let Some(at) = broad.broad.posting_of(intent) else {
                    continue;
                };
                let (count, patterns) = self.add_broad_evidence(broad, at, &mut tallied);
                add_to_touched(&mut touched, patterns, broad.evidence);
                share.push((intent, count));
            }
            for &(pattern, weight, hit) in &touched {
                tallied.offer(
                    self.fit_weighing(question, terms, pattern, weight, hit),
                    pattern,
                );
            }
            let is_touched = |p: u32| touched.iter().any(|&(pattern, ..)| pattern == p);
            self.fit_dense_groups(question, terms, intent, &mut tallied, is_touched);
            scored.push((intent, tallied));
        }
        scored
    }

    /// Adds a broad term's evidence to `tallied`, the intent at `posting`
    /// in the term's postings. Returns how many of the intent's patterns use
    /// the term, and those the evidence goes to, with their weights: the
    /// same if the term is sparse; none if it is dense, as dense terms are
    /// fitted by group.
    fn add_broad_evidence<'b>(
        &self,
        broad: &BroadQuestionTerm<'b>,
        posting: usize,
        tallied: &mut IntentTally,
    ) -> (u32, &'b [(u32, f32)]) {
        let patterns = broad.broad.posting(posting);
        let count = patterns.len() as u32;
        tallied.hit += broad.evidence;
        tallied.log_likelihood += self.word_model.gain(count, broad.similarity);
        (count, if broad.sparse { patterns } else { &[] })
    }

    /// The tally of `intent`, started at its word-model prior when the
    /// question first touches it.
    fn intent_tally<'t>(
        &self,
        question: &WeighedQuestion,
        tally: &'t mut QuestionTally,
        intent: u32,
    ) -> &'t mut IntentTally {
        let terms = question.terms.len();
        tally.intent(intent, || self.word_model.prior(intent as usize, terms))
    }

    /// Finds the `reached` intents' best patterns: among the patterns
    /// sparse terms reached, and the lightest of each dense group.
    fn fit_patterns(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        tally: &mut QuestionTally,
        reached: &[u32],
    ) {
        tally.fit_patterns(|pattern, sparse_hit| {
            let intent = self.index.shape(pattern).intent;
            (intent, self.fit(question, terms, pattern, sparse_hit))
        });
        for &intent in reached {
            let (tallied, is_touched) = tally.intent_and_touched(intent);
            self.fit_dense_groups(question, terms, intent, tallied, is_touched);
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
        let weight = self.index.shape(pattern).weight;
        self.fit_weighing(question, terms, pattern, weight, sparse)
    }

    /// [`Engine::fit`] of a pattern whose `weight` is at hand: its shape
    /// is read only for the dense terms, if the question has any.
    fn fit_weighing(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        pattern: u32,
        weight: f32,
        sparse: f32,
    ) -> f32 {
        let hit = match terms.dense_mask {
            0 => sparse,
            mask => {
                add_dense_evidence(sparse, self.index.shape(pattern).dense & mask, &terms.dense)
            }
        };
        model::f_measure(hit, question.weight, weight)
    }

    /// Offers `tallied`, the tally of `intent`, the lightest pattern of
    /// each of its dense groups the question uses that `is_touched` (by a
    /// sparse term) does not say was fitted already.
    fn fit_dense_groups(
        &self,
        question: &WeighedQuestion,
        terms: &QuestionTerms,
        intent: u32,
        tallied: &mut IntentTally,
        is_touched: impl Fn(u32) -> bool,
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
                model::f_measure(hit, question.weight, self.index.shape(pattern).weight)
            };
            if let Some((fit, pattern)) = best_untouched(group, &is_touched, fit) {
                tallied.offer(fit, pattern);
            }
        }
    }

    /// The word model's probabilities (see [`Probabilities`]) given the
    /// `scored` intents, and per broad term those of its intents that are
    /// among them, each with its count.
    fn word_model_softmax<'t>(
        &self,
        question: &WeighedQuestion,
        broad_terms: &[BroadQuestionTerm],
        scored: impl Iterator<Item = (u32, &'t IntentTally)>,
        scored_shares: &[Vec<(u32, u32)>],
    ) -> Probabilities {
        let shares: Vec<BroadShare> = broad_terms
            .iter()
            .zip(scored_shares)
            .map(|(broad, scored)| BroadShare {
                term: broad.term,
                similarity: broad.similarity,
                scored,
            })
            .collect();
        let touched: Vec<(usize, f32)> = scored
            .map(|(intent, t)| (intent as usize, t.log_likelihood))
            .collect();
        self.word_model
            .softmax(question.terms.len(), &touched, &shares)
    }

    /// An intent's score from its tally and its word-model probability.
    fn score_of(
        &self,
        question: &WeighedQuestion,
        intent: u32,
        tally: &IntentTally,
        probability: f32,
    ) -> IntentScore {
        let parts = ScoreParts {
            best_pattern: tally.best_fit,
            vocabulary_covered: tally.hit / question.weight,
            word_model: probability,
        };
        IntentScore {
            intent: intent as usize,
            score: parts.score(),
            parts,
            best_pattern: tally.best_pattern as usize,
        }
    }

    /// A score none of the `singles` not met yet can beat: the fit of the
    /// next one's lightest pattern, with the likeliest word-model
    /// probability; `None` when all have been met.
    fn singles_bound(&self, question: &WeighedQuestion, singles: &WaitingSingles) -> Option<f32> {
        let broad = singles.broad;
        let &(lightest, _) = broad.broad.lightest_first().get(singles.next)?;
        let fit = model::f_measure(broad.evidence, question.weight, lightest);
        let covered = broad.evidence / question.weight;
        Some(model::intent_score(fit, covered, singles.likeliest) + BOUND_SLACK)
    }

    /// The score of the intent at `posting` of `broad`'s postings, which
    /// only that term reaches: its best pattern is the lightest of its own
    /// that use the term.
    fn score_single(
        &self,
        question: &WeighedQuestion,
        broad: &BroadQuestionTerm,
        posting: u32,
        softmax: Softmax,
    ) -> IntentScore {
        let posting = posting as usize;
        let (intent, count) = self.index.intents_with(broad.term)[posting];
        let own = broad.broad.posting(posting);
        let fit = |&(pattern, weight): &(u32, f32)| {
            (
                model::f_measure(broad.evidence, question.weight, weight),
                pattern,
            )
        };
        let (best_fit, best_pattern) = own
            .iter()
            .map(fit)
            .reduce(|best, next| if next.0 > best.0 { next } else { best })
            .unwrap_or((0.0, 0));
        let gain = self.word_model.gain(count, broad.similarity);
        let prior = self.word_model.prior(intent as usize, question.terms.len());
        let probability = softmax.probability(prior + gain);
        let parts = ScoreParts {
            best_pattern: best_fit,
            vocabulary_covered: broad.evidence / question.weight,
            word_model: probability,
        };
        IntentScore {
            intent: intent as usize,
            score: parts.score(),
            parts,
            best_pattern: best_pattern as usize,
        }
    }
}

/// Adds `evidence` to each of `patterns` (with their weights) in
/// `touched`, the few patterns of one intent that the question has touched
/// so far, each with its weight and evidence.
fn add_to_touched(touched: &mut Vec<(u32, f32, f32)>, patterns: &[(u32, f32)], evidence: f32) {
    for &(pattern, weight) in patterns {
        match touched.iter_mut().find(|(touched, ..)| *touched == pattern) {
            Some((_, _, hit)) => *hit += evidence,
            None => touched.push((pattern, weight, evidence)),
        }
    }
}
