//! The scoring model, written once in plain code: how a read question
//! becomes a score per intent, and the scores a decision. `docs/matching.md`
//! gives the same formula on one page.
//!
//! Two halves:
//! - the formula functions (inverse intent frequency, typo similarity,
//!   F-measure, word model, intent score, confidence, the decision), which
//!   the fast engine calls, so the two cannot drift apart;
//! - [`Model`], which ranks a question by scanning every pattern of every
//!   intent, summing in `f64` and taking a plain softmax over all intents.
//!   It is slow and obviously right, and it reads nothing of the engine's
//!   postings, bitmaps or summation order: the equivalence tests hold the
//!   engine to its rankings, and the benchmarks time it as the brute-force
//!   baseline.

use std::collections::HashMap;

use super::answer_odds::{Features, Scores, Signals};
use crate::intents::DeclineKind;
use crate::tuning::{
    ALSO_ANSWERED_FROM, ANSWER_FROM, ANSWER_IN_CONVERSATION_FROM, BEST_PATTERN_SHARE, CLARIFY_FROM,
    CLARIFY_NEAR, EXACT_MATCH, MARGIN_PENALTY, MAX_CANDIDATES, MEDICAL_KIND_NEAR, MEDICAL_NEAR,
    PATTERN_RECALL_BETA, SUGGEST_FROM, UNKNOWN_WORD_SHARE, WORD_MODEL_SHARE, WORD_MODEL_SMOOTHING,
};

// --- The formula ------------------------------------------------------------

/// What a term weighs: its inverse frequency over intents, not patterns. A
/// word found in the patterns of many intents ("what", "ir") tells them
/// apart poorly, however often one intent repeats it. Smoothed (the
/// `1 +`) so that no word weighs zero.
pub fn inverse_intent_frequency(intents: usize, intents_with_term: usize) -> f32 {
    (1.0 + intents as f32 / intents_with_term.max(1) as f32).ln()
}

/// What a question word that no pattern uses weighs, given the heaviest
/// known term (see [`UNKNOWN_WORD_SHARE`]).
pub fn unknown_word_weight(heaviest_term: f32) -> f32 {
    UNKNOWN_WORD_SHARE * heaviest_term
}

/// How much of a typed word a correction `edits` edits away keeps: one for
/// a word typed right, less the more edits a short word needed.
pub fn typo_similarity(edits: usize, typed_chars: usize) -> f32 {
    1.0 - edits as f32 / (typed_chars as f32 + 1.0)
}

/// The F-measure of the share of the question a pattern covers
/// (`hit / question_weight`) and the share of the pattern the question
/// covers (`hit / pattern_weight`), 0 when nothing is shared. Written as
/// one division: the engine runs it for every pattern a question touches.
pub fn f_measure(hit: f32, question_weight: f32, pattern_weight: f32) -> f32 {
    let beta2 = PATTERN_RECALL_BETA * PATTERN_RECALL_BETA;
    let denominator = beta2 * pattern_weight + question_weight;
    if hit <= 0.0 || denominator <= 0.0 {
        0.0
    } else {
        (1.0 + beta2) * hit / denominator
    }
}

/// An intent's score from its best pattern's F-measure, the share of the
/// question its whole vocabulary covers, and the word model's probability
/// for it. A question that is one of the intent's own examples, word for
/// word once normalised, scores 1: the maintainer said so.
pub fn intent_score(best_pattern: f32, vocabulary_covered: f32, word_model: f32) -> f32 {
    if best_pattern >= EXACT_MATCH {
        return 1.0;
    }
    let evidence =
        BEST_PATTERN_SHARE * best_pattern + (1.0 - BEST_PATTERN_SHARE) * vocabulary_covered;
    // The word model only ranks intents against each other (its
    // probabilities always sum to one); scaling it by how much of the
    // question the intent explains keeps it from vouching for a question
    // that is about something else.
    (1.0 - WORD_MODEL_SHARE) * evidence + WORD_MODEL_SHARE * word_model * vocabulary_covered
}

/// What an intent's score is made of, each in [0, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ScoreParts {
    /// The F-measure of the intent's best-fitting pattern.
    pub best_pattern: f32,
    /// The share of the question's weight the intent's patterns use.
    pub vocabulary_covered: f32,
    /// The word model's probability for the intent.
    pub word_model: f32,
}

impl ScoreParts {
    /// The [`intent_score`] of these parts.
    pub fn score(&self) -> f32 {
        intent_score(self.best_pattern, self.vocabulary_covered, self.word_model)
    }
}

/// The word model's log-likelihood of one question word for an intent that
/// uses it in `count` of its `size` (pattern, term) pairs, among
/// `vocabulary` distinct terms: naive Bayes with additive smoothing.
pub fn word_log_likelihood(count: u32, size: u32, vocabulary: usize) -> f32 {
    let smoothing = WORD_MODEL_SMOOTHING;
    ((count as f32 + smoothing) / (size as f32 + smoothing * vocabulary as f32)).ln()
}

/// What a word used in `count` of an intent's patterns adds to its
/// log-likelihood over a word it never uses: the two share their
/// denominator, so the intent's size drops out. A word typed with a typo
/// gains this times its similarity.
pub fn word_gain(count: u32) -> f32 {
    (count as f32 / WORD_MODEL_SMOOTHING).ln_1p()
}

/// The best score, lowered when the runner-up is close behind: two intents
/// that explain a question equally well make either answer a guess.
pub fn confidence(best: f32, runner_up: f32) -> f32 {
    if best <= 0.0 {
        return 0.0;
    }
    let closeness = (runner_up / best).clamp(0.0, 1.0);
    (best * (1.0 - MARGIN_PENALTY * closeness)).clamp(0.0, 1.0)
}

/// What to do with a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Answer with this intent.
    Answer(usize),
    /// Ask which of the candidates was meant.
    Clarify,
    /// Decline, for this reason.
    Decline(DeclineKind),
}

/// The verdict on a question, intents by number.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The confidence in the best topic, even when declined.
    pub confidence: f32,
    /// "Did you mean" topics, best first, with their confidence: never a
    /// decline kind, and none after a `medical` decline.
    pub candidates: Vec<(usize, f32)>,
    /// The `medical` kind's score, 0 when it ranks too low to be read.
    pub medical: f32,
    /// Whether the `medical` kind ranks first: a medical decline that only
    /// came within [`MEDICAL_NEAR`] of a topic is the weaker one.
    pub medical_first: bool,
}

/// What a number of a ranking stands for, as the decision reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A topic of the field.
    Topic,
    /// One of the bot's own intents (greeting, thanks, help): about the
    /// conversation, so its questions never name the field. Answered only
    /// from [`ALSO_ANSWERED_FROM`] when a decline's reply gives its answer
    /// too (`declined_alike`).
    BotTopic { declined_alike: bool },
    /// A decline kind, its examples ranked like patterns.
    Decline(DeclineKind),
}

impl Entry {
    fn decline(self) -> Option<DeclineKind> {
        match self {
            Entry::Decline(kind) => Some(kind),
            Entry::Topic | Entry::BotTopic { .. } => None,
        }
    }
}

/// The head of a ranking that a decision reads: intents and decline kinds
/// alike, best first, up to the point where nothing further can change it.
struct Nearest {
    ranked: Vec<(usize, f32, Entry)>,
}

impl Nearest {
    /// Reads `best_first` until the candidates are known and no medical
    /// score further down could come near the best topic.
    fn read(
        best_first: impl IntoIterator<Item = (usize, f32)>,
        entry_of: impl Fn(usize) -> Entry,
    ) -> Nearest {
        let mut nearest = Nearest { ranked: Vec::new() };
        for (number, score) in best_first {
            let settled = nearest.settled_before(score);
            nearest.ranked.push((number, score, entry_of(number)));
            // One more than needed: the last candidate's runner-up.
            if settled {
                break;
            }
        }
        nearest
    }

    /// Whether an entry scoring `score` or less can no longer be a
    /// candidate, nor a `medical` score near the best topic.
    fn settled_before(&self, score: f32) -> bool {
        let topics = self.topics().count();
        let candidates_known = topics > MAX_CANDIDATES || score < SUGGEST_FROM;
        let medical_known = self.medical().is_some()
            || (self.ranked.first()).is_some_and(|&(_, best, _)| score < MEDICAL_NEAR * best);
        candidates_known && medical_known
    }

    /// The topics, each with its position in the ranking and score.
    fn topics(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        let positions = self.ranked.iter().enumerate();
        let topic = |(at, &(_, score, entry)): (usize, &(usize, f32, Entry))| {
            entry.decline().is_none().then_some((at, score))
        };
        positions.filter_map(topic)
    }

    fn medical(&self) -> Option<f32> {
        let mut ranked = self.ranked.iter();
        let medical = ranked.find(|&&(_, _, entry)| entry == Entry::Decline(DeclineKind::Medical));
        medical.map(|&(_, score, _)| score)
    }

    /// The topics whose score is within [`CLARIFY_NEAR`] of the best
    /// topic's, up to [`MAX_CANDIDATES`], with their confidence.
    fn close_topics(&self) -> Vec<(usize, f32)> {
        let mut topics = self.topics().peekable();
        let Some(&(_, best)) = topics.peek() else {
            return Vec::new();
        };
        let close = topics.take_while(|&(_, score)| score >= CLARIFY_NEAR * best);
        let close = close.map(|(at, _)| (self.ranked[at].0, self.confidence_at(at)));
        close.take(MAX_CANDIDATES).collect()
    }

    /// The confidence of the entry at `at`, given the one after it.
    fn confidence_at(&self, at: usize) -> f32 {
        let runner_up = self.ranked.get(at + 1).map_or(0.0, |&(_, score, _)| score);
        confidence(self.ranked[at].1, runner_up)
    }
}

/// The features of a question given its signals and the head of its
/// ranking, with its best topic.
fn features_of(signals: Signals, nearest: &Nearest) -> (Features, Option<usize>) {
    let best_topic = nearest.topics().next();
    let score_at = |at: usize| nearest.ranked.get(at).map_or(0.0, |&(_, score, _)| score);
    let (topic, runner_up) = best_topic.map_or((0.0, 0.0), |(at, score)| (score, score_at(at + 1)));
    let declines = nearest
        .ranked
        .iter()
        .filter(|(_, _, entry)| entry.decline().is_some());
    let best_decline = declines.map(|&(_, score, _)| score).fold(0.0, f32::max);
    let medical = nearest.medical().unwrap_or(0.0);
    let about_the_bot =
        best_topic.is_some_and(|(at, _)| matches!(nearest.ranked[at].2, Entry::BotTopic { .. }));
    let scores = Scores {
        best_topic: topic,
        runner_up,
        best_decline,
        medical,
    };
    let features = Features::new(signals, scores, about_the_bot);
    (features, best_topic.map(|(at, _)| nearest.ranked[at].0))
}

/// The decision's features of a question and its best topic, from its
/// intents and decline kinds best first (number, score), for fitting
/// [`ANSWER_WEIGHTS`](crate::tuning::ANSWER_WEIGHTS).
pub fn question_features(
    signals: Signals,
    best_first: impl IntoIterator<Item = (usize, f32)>,
    entry_of: impl Fn(usize) -> Entry,
) -> (Features, Option<usize>) {
    features_of(signals, &Nearest::read(best_first, entry_of))
}

/// Decides on a question from its intents and decline kinds best first
/// (number, score); `entry_of` tells what each number stands for.
/// - `medical` wins when it is best or within [`MEDICAL_NEAR`] of the best
///   (topic or kind): when unsure between a health question and a topic,
///   decline;
/// - another decline kind that ranks first declines with that kind;
///   `medical` only when the question is personal or the kind scores at
///   least [`MEDICAL_KIND_NEAR`] of the best, else the next kind;
/// - the best topic is answered when the calibrated probability that it is
///   right reaches [`ANSWER_FROM`] ([`ANSWER_IN_CONVERSATION_FROM`]
///   mid-conversation, [`ALSO_ANSWERED_FROM`] for one of the bot's own
///   intents a decline's reply also answers) and the question has no
///   out-of-scope word;
/// - else, when the best topic scores at least [`CLARIFY_FROM`] and
///   another topic or two are within [`CLARIFY_NEAR`] of it, the bot asks
///   which was meant, offering them;
/// - else the question is declined as the nearest kind (`not_covered` for
///   an out-of-scope word, `off_topic` when no kind is near).
///
/// The confidence is that probability. Offers up to [`MAX_CANDIDATES`]
/// topics (the next ones, or all the nearest when declined) whose
/// confidence reaches [`SUGGEST_FROM`].
pub fn decide(
    signals: Signals,
    best_first: impl IntoIterator<Item = (usize, f32)>,
    entry_of: impl Fn(usize) -> Entry,
) -> Decision {
    let nearest = Nearest::read(best_first, entry_of);
    let (features, _) = features_of(signals, &nearest);
    let confidence = features.answer_probability();
    let best_topic = nearest.topics().next();
    let best = nearest.ranked.first().map_or(0.0, |&(_, score, _)| score);
    let medical_near = (nearest.medical()).is_some_and(|medical| medical >= MEDICAL_NEAR * best);
    // A health question says so: by a word about the asker or a relative,
    // or by the medical examples coming close to the best. Far behind, a
    // medical example only shares a word ("what do nuclear medicine
    // physicians do?"), and the medical reply would answer a career
    // question with "ask your doctor".
    // Not when a word out of scope says what is asked and none makes it
    // about someone ("harus S2 gak?", a degree): the medical examples only
    // share its frame ("harus biopsi gak?").
    let what_else_asked = signals.out_of_scope && !signals.personal;
    let medical_fits = signals.personal
        || (!what_else_asked
            && (nearest.medical()).is_some_and(|medical| medical >= MEDICAL_KIND_NEAR * best));
    let nearest_kind = (nearest
        .ranked
        .iter()
        .filter_map(|&(_, _, entry)| entry.decline()))
    .find(|&kind| kind != DeclineKind::Medical || medical_fits);
    let close = nearest.close_topics();
    let in_scope = !signals.out_of_scope;
    let unsure = best >= CLARIFY_FROM && close.len() > 1;
    // A question only half about an intent whose answer a decline's reply
    // gives too is declined: the student loses nothing.
    let declined_alike = (nearest.ranked.first()).is_some_and(|&(_, _, entry)| {
        matches!(
            entry,
            Entry::BotTopic {
                declined_alike: true
            }
        )
    });
    let answer_from = if declined_alike {
        ALSO_ANSWERED_FROM
    } else if signals.in_conversation {
        ANSWER_IN_CONVERSATION_FROM
    } else {
        ANSWER_FROM
    };
    let verdict = match (best_topic, nearest_kind) {
        _ if medical_near => Verdict::Decline(DeclineKind::Medical),
        (Some((0, _)), _) if confidence >= answer_from && in_scope => {
            Verdict::Answer(nearest.ranked[0].0)
        }
        (Some((0, _)), _) if unsure && in_scope => Verdict::Clarify,
        (_, Some(kind)) => Verdict::Decline(kind),
        _ if signals.out_of_scope => Verdict::Decline(DeclineKind::NotCovered),
        _ => Verdict::Decline(DeclineKind::OffTopic),
    };
    let candidates = match verdict {
        Verdict::Decline(DeclineKind::Medical) => Vec::new(),
        Verdict::Clarify => close,
        _ => {
            let answered = |at: usize| matches!(verdict, Verdict::Answer(_)) && at == 0;
            // A candidate's confidence is at most its score, and the
            // scores only fall: below the bar, none after can be offered.
            (nearest.topics())
                .filter(|&(at, _)| !answered(at))
                .take_while(|&(_, score)| score >= SUGGEST_FROM)
                .map(|(at, _)| (nearest.ranked[at].0, nearest.confidence_at(at)))
                .filter(|&(_, confidence)| confidence >= SUGGEST_FROM)
                .take(MAX_CANDIDATES)
                .collect()
        }
    };
    Decision {
        verdict,
        confidence,
        candidates,
        medical: nearest.medical().unwrap_or(0.0),
        medical_first: (nearest.ranked.first())
            .is_some_and(|&(_, _, entry)| entry == Entry::Decline(DeclineKind::Medical)),
    }
}

// --- The model, by brute force ------------------------------------------------

/// Every pattern of every intent as distinct terms, with what the formula
/// needs to know of them, counted by scanning.
pub struct Model {
    intents: usize,
    /// (intent, distinct terms), in the matcher's pattern order.
    patterns: Vec<(usize, Vec<String>)>,
    /// Per intent: the numbers of its patterns.
    patterns_of: Vec<Vec<usize>>,
    /// Term -> how many intents use it.
    intents_with: HashMap<String, usize>,
    /// The first intents, whose use of a term weighs it (see
    /// [`Model::weighing`]).
    topics: usize,
    /// Term -> how many of those use it.
    topics_with: HashMap<String, usize>,
    /// Per intent: how many (pattern, term) pairs it has.
    sizes: Vec<u32>,
    /// What a word no pattern uses weighs.
    unknown_word_weight: f64,
}

/// A question as the model reads it: its distinct known terms, each with
/// the best similarity it was typed with, and how many words no pattern
/// uses.
#[derive(Clone, Debug, Default)]
pub struct ModelQuestion {
    pub terms: Vec<(String, f32)>,
    pub unknown_words: usize,
}

/// One intent's score by the model, with its best pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelScore {
    pub intent: usize,
    pub score: f64,
    /// The matcher's number of the pattern that fits best (the first of
    /// equals), and its F-measure.
    pub best_pattern: usize,
    pub best_fit: f64,
}

impl Model {
    /// The model of `intents` intents with these patterns (intent, terms).
    #[cfg(test)]
    pub fn new(intents: usize, patterns: impl IntoIterator<Item = (usize, Vec<String>)>) -> Model {
        Model::weighing(intents, intents, patterns)
    }

    /// [`Model::new`], weighing terms by the first `topics` intents alone,
    /// as the engine does when decline kinds follow the topics.
    pub fn weighing(
        intents: usize,
        topics: usize,
        patterns: impl IntoIterator<Item = (usize, Vec<String>)>,
    ) -> Model {
        let mut patterns: Vec<(usize, Vec<String>)> = patterns.into_iter().collect();
        let mut sizes = vec![0; intents];
        let mut patterns_of = vec![Vec::new(); intents];
        let mut users: HashMap<String, Vec<usize>> = HashMap::new();
        for (number, (intent, terms)) in patterns.iter_mut().enumerate() {
            patterns_of[*intent].push(number);
            terms.sort();
            terms.dedup();
            sizes[*intent] += terms.len() as u32;
            for term in terms.iter() {
                let intents = users.entry(term.clone()).or_default();
                if !intents.contains(intent) {
                    intents.push(*intent);
                }
            }
        }
        let topics_with: HashMap<String, usize> = (users.iter())
            .map(|(t, i)| (t.clone(), i.iter().filter(|&&i| i < topics).count()))
            .collect();
        let intents_with: HashMap<String, usize> =
            users.into_iter().map(|(t, i)| (t, i.len())).collect();
        let heaviest = (topics_with.values())
            .map(|&users| inverse_intent_frequency(topics, users))
            .fold(0.0, f32::max);
        Model {
            intents,
            topics,
            topics_with,
            patterns,
            patterns_of,
            intents_with,
            sizes,
            unknown_word_weight: unknown_word_weight(heaviest) as f64,
        }
    }

    /// A term's weight; 0 for a term no pattern uses.
    pub fn weight(&self, term: &str) -> f64 {
        self.topics_with.get(term).map_or(0.0, |&users| {
            inverse_intent_frequency(self.topics, users) as f64
        })
    }

    /// What explaining the whole question is worth, unknown words included.
    pub fn question_weight(&self, question: &ModelQuestion) -> f64 {
        let known: f64 = question.terms.iter().map(|(t, _)| self.weight(t)).sum();
        known + question.unknown_words as f64 * self.unknown_word_weight
    }

    /// How well pattern number `pattern` fits the question: the F-measure
    /// of the evidence (weight × similarity) it shares with it.
    #[cfg(test)]
    pub fn fit(&self, question: &ModelQuestion, pattern: usize) -> f64 {
        self.fit_weighing(question, self.question_weight(question), pattern)
    }

    /// How well pattern number `pattern` fits the question, given its
    /// weight (see `Model::fit`, which the tests use).
    fn fit_weighing(&self, question: &ModelQuestion, question_weight: f64, pattern: usize) -> f64 {
        let terms = &self.patterns[pattern].1;
        let hit: f64 = (question.terms.iter())
            .filter(|(term, _)| terms.contains(term))
            .map(|(term, similarity)| self.weight(term) * *similarity as f64)
            .sum();
        let pattern_weight: f64 = terms.iter().map(|t| self.weight(t)).sum();
        f_measure(hit as f32, question_weight as f32, pattern_weight as f32) as f64
    }

    /// Every intent that shares a term with the question, best first (then
    /// by number).
    pub fn rank(&self, question: &ModelQuestion) -> Vec<ModelScore> {
        let question_weight = self.question_weight(question);
        if question_weight <= 0.0 {
            return Vec::new();
        }
        let probabilities = self.word_model_probabilities(question);
        let mut scores: Vec<ModelScore> = (0..self.intents)
            .filter_map(|intent| {
                let covered = self.evidence_in_vocabulary(question, intent)? / question_weight;
                let (best_pattern, best_fit) =
                    self.best_pattern(question, question_weight, intent)?;
                let parts = ScoreParts {
                    best_pattern: best_fit as f32,
                    vocabulary_covered: covered as f32,
                    word_model: probabilities[intent] as f32,
                };
                Some(ModelScore {
                    intent,
                    score: parts.score() as f64,
                    best_pattern,
                    best_fit,
                })
            })
            .collect();
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent)));
        scores
    }

    /// The intent's patterns, with their numbers.
    fn patterns_of(&self, intent: usize) -> impl Iterator<Item = (usize, &Vec<String>)> {
        let numbers = self.patterns_of[intent].iter();
        numbers.map(|&number| (number, &self.patterns[number].1))
    }

    /// The evidence of the question terms any of the intent's patterns
    /// uses; `None` when it uses none.
    fn evidence_in_vocabulary(&self, question: &ModelQuestion, intent: usize) -> Option<f64> {
        let used = |term: &String| {
            self.patterns_of(intent)
                .any(|(_, terms)| terms.contains(term))
        };
        let shared: Vec<&(String, f32)> = question.terms.iter().filter(|(t, _)| used(t)).collect();
        let evidence = shared.iter().map(|(t, s)| self.weight(t) * *s as f64);
        (!shared.is_empty()).then(|| evidence.sum())
    }

    /// The intent's best-fitting pattern (the first of equals) and its fit;
    /// `None` when none shares a term with the question.
    fn best_pattern(
        &self,
        question: &ModelQuestion,
        question_weight: f64,
        intent: usize,
    ) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (number, terms) in self.patterns_of(intent) {
            if !question.terms.iter().any(|(t, _)| terms.contains(t)) {
                continue;
            }
            let fit = self.fit_weighing(question, question_weight, number);
            if best.is_none_or(|(_, best_fit)| fit > best_fit) {
                best = Some((number, fit));
            }
        }
        best
    }

    /// The word model's probability of every intent: naive Bayes over its
    /// patterns, each question term's gain over an unseen word scaled by
    /// its similarity, then a softmax over all intents.
    fn word_model_probabilities(&self, question: &ModelQuestion) -> Vec<f64> {
        let vocabulary = self.intents_with.len();
        let log_likelihoods: Vec<f64> = (0..self.intents)
            .map(|intent| {
                let unseen = word_log_likelihood(0, self.sizes[intent], vocabulary) as f64;
                (question.terms.iter())
                    .map(|(term, similarity)| {
                        let count = self.patterns_of(intent);
                        let count = count.filter(|(_, terms)| terms.contains(term)).count();
                        unseen + *similarity as f64 * word_gain(count as u32) as f64
                    })
                    .sum()
            })
            .collect();
        let max = log_likelihoods
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = log_likelihoods.iter().map(|l| (l - max).exp()).collect();
        let total: f64 = exps.iter().sum();
        exps.iter().map(|e| e / total).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn weighs_terms_by_how_few_intents_use_them() {
        // ln(1 + 10/1), ln(1 + 10/10)
        assert!(close(inverse_intent_frequency(10, 1), 11f32.ln()));
        assert!(close(inverse_intent_frequency(10, 10), 2f32.ln()));
        assert!(close(inverse_intent_frequency(10, 0), 11f32.ln()));
        assert!(close(unknown_word_weight(2.5), 2.0));
    }

    #[test]
    fn typo_similarity_falls_with_edits_over_length() {
        assert_eq!(typo_similarity(0, 7), 1.0);
        // 1 - 1/(9+1) and 1 - 2/(9+1)
        assert!(close(typo_similarity(1, 9), 0.9));
        assert!(close(typo_similarity(2, 9), 0.8));
    }

    #[test]
    fn f_measure_is_the_harmonic_mean_of_both_coverages() {
        assert_eq!(f_measure(2.0, 2.0, 2.0), 1.0);
        assert_eq!(f_measure(0.0, 2.0, 1.0), 0.0);
        // Half the question (1 of 2), a quarter of the pattern (1 of 4):
        // 2 · 0.5 · 0.25 / 0.75 = 1/3 = 2 · 1 / (2 + 4).
        assert!(close(f_measure(1.0, 2.0, 4.0), 1.0 / 3.0));
    }

    #[test]
    fn intent_score_blends_pattern_vocabulary_and_word_model() {
        // 0.7 · (0.7 · 0.5 + 0.3 · 0.8) + 0.3 · 0.5 · 0.8 = 0.413 + 0.12
        assert!(close(intent_score(0.5, 0.8, 0.5), 0.533));
        assert_eq!(
            intent_score(0.0, 0.0, 1.0),
            0.0,
            "the word model alone vouches for nothing"
        );
        assert_eq!(intent_score(1.0, 0.2, 0.0), 1.0, "an exact example wins");
    }

    #[test]
    fn word_model_counts_smoothed_uses() {
        // ln((2 + α) / (20 + α · 50)) and ln(α / (20 + α · 50))
        let alpha = WORD_MODEL_SMOOTHING;
        let size = 20.0 + alpha * 50.0;
        assert!(close(
            word_log_likelihood(2, 20, 50),
            ((2.0 + alpha) / size).ln()
        ));
        assert!(close(word_log_likelihood(0, 20, 50), (alpha / size).ln()));
        // The gain is their difference: ln((2 + α) / α) = ln(1 + 2 / α).
        assert!(close(word_gain(2), (1.0 + 2.0 / alpha).ln()));
        assert_eq!(word_gain(0), 0.0);
    }

    #[test]
    fn a_close_runner_up_lowers_confidence() {
        // 0.8 · (1 − 0.35 · 0.5) and 0.8 · (1 − 0.35)
        assert!(close(confidence(0.8, 0.4), 0.66));
        assert!(close(confidence(0.8, 0.8), 0.52));
        assert_eq!(confidence(0.8, 0.0), 0.8);
        assert_eq!(confidence(0.0, 0.0), 0.0);
    }

    /// Numbers 100 and up are decline kinds in the decision tests, the
    /// others topics of the field.
    fn entry_of(number: usize) -> Entry {
        match number {
            100 => Entry::Decline(DeclineKind::Medical),
            101 => Entry::Decline(DeclineKind::NotCovered),
            102 => Entry::Decline(DeclineKind::OffTopic),
            _ => Entry::Topic,
        }
    }

    fn plain() -> Signals {
        Signals::default()
    }

    #[test]
    fn answers_by_the_calibrated_probability_and_offers_the_next_ones() {
        // The confidence is the fitted probability of these features; the
        // runner-up 0.3 is offered at 0.3 · (1 − 0.35 · 0.2/0.3) = 0.23;
        // 0.2 next at 0.2 − 0.35 · 0.05 = 0.1825; 0.05 is under the bar.
        let decision = decide(plain(), [(4, 0.6), (7, 0.3), (1, 0.2), (2, 0.05)], entry_of);
        assert_eq!(decision.verdict, Verdict::Answer(4));
        let scores = Scores {
            best_topic: 0.6,
            runner_up: 0.3,
            ..Scores::default()
        };
        let features = Features::new(plain(), scores, false);
        assert!(close(decision.confidence, features.answer_probability()));
        let offered: Vec<usize> = decision.candidates.iter().map(|&(i, _)| i).collect();
        assert_eq!(offered, [7, 1]);
        assert!(close(decision.candidates[0].1, 0.23));
        // A faint tie is declined; an out-of-scope word declines.
        let faint = decide(plain(), [(4, 0.02), (7, 0.02)], entry_of);
        assert_eq!(faint.verdict, Verdict::Decline(DeclineKind::OffTopic));
        let signals = Signals {
            out_of_scope: true,
            ..plain()
        };
        let out_of_scope = decide(signals, [(4, 0.9)], entry_of);
        assert_eq!(
            out_of_scope.verdict,
            Verdict::Decline(DeclineKind::NotCovered)
        );
        assert!(decide(plain(), [], entry_of).confidence < ANSWER_FROM);
    }

    #[test]
    fn the_help_a_decline_reply_also_gives_is_answered_only_when_sure() {
        // Numbers 50 and 51: the bot's own intents, the first one whose
        // answer the off-topic reply gives too. A score answered for the
        // second short of the higher bar declines the first.
        let bot = |declined_alike| {
            move |number: usize| match number {
                50 | 51 => Entry::BotTopic { declined_alike },
                _ => entry_of(number),
            }
        };
        let unsure = (1..100).map(|s| s as f32 / 100.0).find(|&score| {
            let confidence = decide(plain(), [(51, score), (102, 0.1)], bot(false)).confidence;
            (ANSWER_FROM..ALSO_ANSWERED_FROM).contains(&confidence)
        });
        let score = unsure.expect("a score between the two bars");
        let plain_bot = decide(plain(), [(51, score), (102, 0.1)], bot(false));
        assert_eq!(plain_bot.verdict, Verdict::Answer(51));
        let help = decide(plain(), [(50, score), (102, 0.1)], bot(true));
        assert_eq!(help.verdict, Verdict::Decline(DeclineKind::OffTopic));
        let sure = decide(plain(), [(50, 0.95), (102, 0.1)], bot(true));
        assert_eq!(sure.verdict, Verdict::Answer(50));
    }

    #[test]
    fn a_decline_kind_ranked_first_declines_and_is_never_offered() {
        let decision = decide(
            plain(),
            [(101, 0.7), (4, 0.4), (102, 0.3), (7, 0.3)],
            entry_of,
        );
        assert_eq!(decision.verdict, Verdict::Decline(DeclineKind::NotCovered));
        let offered: Vec<usize> = decision.candidates.iter().map(|&(i, _)| i).collect();
        assert_eq!(offered, [4, 7]);
    }

    #[test]
    fn close_topics_none_likely_are_offered_as_a_question() {
        // Words no pattern uses, by the signals: not likely enough to
        // answer, and 0.28 and 0.27 are within 0.9 of 0.3: which of the
        // three was meant?
        let unsure = Signals {
            unknown_share: 1.0,
            ..plain()
        };
        let ranking = [(4, 0.3), (7, 0.28), (1, 0.27), (2, 0.1)];
        let decision = decide(unsure, ranking, entry_of);
        assert!(decision.confidence < ANSWER_FROM);
        assert_eq!(decision.verdict, Verdict::Clarify);
        let offered: Vec<usize> = decision.candidates.iter().map(|&(i, _)| i).collect();
        assert_eq!(offered, [4, 7, 1]);
        // One close topic alone is not a choice: declined.
        let alone = decide(unsure, [(4, 0.3), (101, 0.29), (2, 0.1)], entry_of);
        assert_eq!(alone.verdict, Verdict::Decline(DeclineKind::NotCovered));
    }

    #[test]
    fn medical_near_the_best_topic_declines_without_suggestions() {
        // 0.5 ≥ 0.9 · 0.55: too close to tell apart, so declined.
        let near = decide(plain(), [(4, 0.55), (7, 0.52), (100, 0.5)], entry_of);
        assert_eq!(near.verdict, Verdict::Decline(DeclineKind::Medical));
        assert!(near.candidates.is_empty());
        assert!(!near.medical_first, "only near the best topic");
        let first = decide(plain(), [(100, 0.6), (4, 0.55)], entry_of);
        assert!(first.medical_first);
        let far = decide(plain(), [(4, 0.9), (7, 0.3), (100, 0.3)], entry_of);
        assert_eq!(far.verdict, Verdict::Answer(4));
        // Far from another kind that ranks first: that kind.
        let other = decide(plain(), [(102, 1.0), (100, 0.25), (101, 0.2)], entry_of);
        assert_eq!(other.verdict, Verdict::Decline(DeclineKind::OffTopic));
    }

    #[test]
    fn a_far_medical_kind_names_the_decline_only_of_a_personal_question() {
        // Declined for an out-of-scope word; medical, the only kind near,
        // scores under 0.75 of the best topic.
        let signals = Signals {
            out_of_scope: true,
            ..plain()
        };
        let ranking = [(4, 0.5), (100, 0.3)];
        let career = decide(signals, ranking, entry_of);
        assert_eq!(career.verdict, Verdict::Decline(DeclineKind::NotCovered));
        let personal = Signals {
            personal: true,
            ..signals
        };
        let health = decide(personal, ranking, entry_of);
        assert_eq!(health.verdict, Verdict::Decline(DeclineKind::Medical));
    }

    fn terms(words: &str) -> Vec<String> {
        words.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn ranks_by_the_whole_formula() {
        // Two intents: 0 {a b}, {a c}; 1 {b d}. Weights: a, c, d are in
        // one intent of two, ln 3; b in both, ln 2.
        let model = Model::new(2, [(0, terms("a b")), (0, terms("a c")), (1, terms("b d"))]);
        let (ln2, ln3) = (2f64.ln(), 3f64.ln());
        assert!((model.weight("a") - ln3).abs() < 1e-6);
        assert!((model.weight("b") - ln2).abs() < 1e-6);
        let question = ModelQuestion {
            terms: vec![("a".into(), 1.0), ("b".into(), 1.0)],
            unknown_words: 0,
        };
        // Pattern 0 is the question word for word.
        assert!((model.fit(&question, 0) - 1.0).abs() < 1e-6);
        // Pattern 2 shares b: 2 · ln2 / ((ln2 + ln3) + (ln2 + ln3)).
        let fit = 2.0 * ln2 / (2.0 * (ln2 + ln3));
        assert!((model.fit(&question, 2) - fit).abs() < 1e-6);
        let ranked = model.rank(&question);
        assert_eq!(ranked[0].intent, 0);
        assert_eq!(ranked[0].score, 1.0, "an exact example");
        assert_eq!(ranked[0].best_pattern, 0);
        // Intent 1: covered ln2 / (ln2 + ln3); word model (smoothing α):
        // sizes 4 and 2, vocabulary 4, so unseen words are ln(α / (4 +
        // 4α)) and ln(α / (2 + 4α)); intent 0 uses a twice (gain
        // ln(1 + 2/α)) and b once (ln(1 + 1/α)), intent 1 b once.
        let covered = ln2 / (ln2 + ln3);
        let alpha = f64::from(WORD_MODEL_SMOOTHING);
        let unseen = |size: f64| (alpha / (size + 4.0 * alpha)).ln();
        let (once, twice) = ((1.0 + 1.0 / alpha).ln(), (1.0 + 2.0 / alpha).ln());
        let l0 = 2.0 * unseen(4.0) + twice + once;
        let l1 = 2.0 * unseen(2.0) + once;
        let p1 = l1.exp() / (l0.exp() + l1.exp());
        let score = 0.7 * (0.7 * fit + 0.3 * covered) + 0.3 * p1 * covered;
        assert_eq!(ranked[1].intent, 1);
        assert!((ranked[1].score - score).abs() < 1e-6);
    }

    #[test]
    fn unknown_words_weigh_against_every_intent() {
        let model = Model::new(2, [(0, terms("a")), (1, terms("b"))]);
        let known = ModelQuestion {
            terms: vec![("a".into(), 1.0)],
            unknown_words: 0,
        };
        let with_unknown = ModelQuestion {
            unknown_words: 1,
            ..known.clone()
        };
        // Each term is in one intent of two, ln(1 + 2/1) = ln 3; the
        // unknown word weighs 0.8 · ln 3.
        let expected = 3f64.ln() * 1.8;
        assert!((model.question_weight(&with_unknown) - expected).abs() < 1e-6);
        assert!(model.rank(&with_unknown)[0].score < model.rank(&known)[0].score);
        assert!(model.rank(&ModelQuestion::default()).is_empty());
    }
}
