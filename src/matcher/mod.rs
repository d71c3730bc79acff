//! The matcher: a question in, the intent it asks about out. Pure: no I/O,
//! no async, no Telegram; it is built once from an [`IntentSet`] and then
//! only read, so it can be shared across threads.
//!
//! Data flows one way: text -> [`normalize`] (words, typos, informal
//! spellings) -> [`language`] -> [`index`] look-up of weighted terms ->
//! [`score`] per pattern and intent -> a [`Match`] or a decline.

pub mod deletions;
pub mod dense;
pub mod index;
pub mod language;
pub mod normalize;
pub mod reference;
pub mod score;
pub mod stem;
pub mod tally;
pub mod vocabulary;
pub mod word_model;

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use serde::Serialize;

use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::lexicon::Lexicon;
use dense::{add_dense_evidence, best_untouched};
use index::{PatternInput, TermId, TermIndex};
use normalize::{is_content_word, terms_of_tokens, tokenize};
use stem::stem;
use tally::{with_tally, Tally};
use vocabulary::{Correction, Vocabulary};
use word_model::WordModel;

/// How many alternatives a match reports.
pub const MAX_CANDIDATES: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub intent: String,
    pub confidence: f32,
}

/// The matcher's verdict on one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// The intent to answer with, or `None` when the question is out of
    /// scope or too unclear to answer.
    pub intent: Option<String>,
    /// Confidence in the best candidate, in [0, 1], even when declined.
    pub confidence: f32,
    /// The language to reply in.
    pub lang: Lang,
    /// The next best intents (all the nearest ones when declined), best
    /// first, for "did you mean" suggestions.
    pub candidates: Vec<Candidate>,
}

/// One word of a question, as the matcher read it.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryWord {
    /// The word after typo correction and rewriting.
    pub word: String,
    /// The indexed term it matched, if any.
    pub term: Option<TermId>,
    /// 1 for a word typed as known, less for a corrected typo.
    pub similarity: f32,
}

/// A question taken apart: what [`Matcher::classify`] scores, and what a
/// maintainer sees when asking why a question went where it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub lang: Lang,
    pub words: Vec<QueryWord>,
    /// A word that marks the question as out of scope ("salary").
    pub out_of_scope_word: Option<String>,
}

/// One intent's score for a question, with the pattern that earned most.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntentScore {
    pub intent: usize,
    pub score: f32,
    /// The index in [`TermIndex::patterns`] of the pattern that earned most.
    pub best_pattern: usize,
}

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

/// `scores` best first, ordered lazily: deciding reads only the first few
/// of what may be thousands, so a heap (built in linear time) beats a sort.
fn best_first(scores: Vec<IntentScore>) -> impl Iterator<Item = IntentScore> {
    let mut heap: BinaryHeap<Ranked> = scores.into_iter().map(Ranked).collect();
    std::iter::from_fn(move || heap.pop().map(|ranked| ranked.0))
}

/// A question as scoring reads it.
struct WeighedQuestion {
    /// Each distinct term, with the best similarity it was typed with: the
    /// sparse terms first, then the dense ones, each in the question's
    /// order. Every sum over them runs in this order, so scoring by the
    /// index and by brute force add the same numbers the same way.
    terms: Vec<(TermId, f32)>,
    /// What explaining the whole question is worth, unknown words included.
    weight: f32,
}

#[derive(Clone, Debug)]
pub struct Matcher {
    intent_ids: Vec<String>,
    index: TermIndex,
    vocabulary: Vocabulary,
    lexicon: Lexicon,
    /// The languages the intents are written in, each with its stemmer.
    languages: Vec<Lang>,
    unknown_word_weight: f32,
    word_model: WordModel,
}

impl Matcher {
    /// Builds a matcher from every pattern of every intent.
    pub fn new(intents: &IntentSet) -> Matcher {
        Matcher::with_patterns(intents, |_, _, _| true)
    }

    /// Builds a matcher from the patterns `keep(intent_id, lang, position)`
    /// accepts: cross-validation holds some out to ask them later.
    pub fn with_patterns(intents: &IntentSet, keep: impl Fn(&str, Lang, usize) -> bool) -> Matcher {
        let lexicon = intents.lexicon.clone();
        let mut kept = Vec::new();
        for (number, intent) in intents.iter().enumerate() {
            for (&lang, text) in &intent.texts {
                for (position, pattern) in text.patterns.iter().enumerate() {
                    if keep(&intent.id, lang, position) {
                        kept.push((number, lang, pattern));
                    }
                }
            }
        }
        // Reading the patterns is most of building a matcher: spread it
        // over the cores, keeping the patterns' order.
        let read: Vec<(Vec<String>, PatternInput)> = kept
            .into_par_iter()
            .map(|(number, lang, pattern)| {
                let tokens = tokenize(pattern);
                let input = PatternInput {
                    intent: number,
                    lang,
                    text: pattern.clone(),
                    terms: terms_of_tokens(&lexicon, lang, tokens.clone()),
                };
                (tokens, input)
            })
            .collect();
        let mut words = Vec::new();
        let mut inputs = Vec::with_capacity(read.len());
        for (tokens, input) in read {
            words.extend(tokens.into_iter().map(|word| (word, Some(input.lang))));
            inputs.push(input);
        }
        let lexicon_words = lexicon.words().map(|word| (word.to_owned(), None));
        let vocabulary = Vocabulary::new(words.into_iter().chain(lexicon_words));
        let index = TermIndex::build(inputs, intents.len());
        let unknown_word_weight = score::UNKNOWN_WORD_SHARE * index.max_weight();
        let word_model = WordModel::of_index(&index);
        Matcher {
            intent_ids: intents.iter().map(|i| i.id.clone()).collect(),
            index,
            vocabulary,
            lexicon,
            languages: intents.languages(),
            unknown_word_weight,
            word_model,
        }
    }

    pub fn intent_id(&self, intent: usize) -> &str {
        &self.intent_ids[intent]
    }

    pub fn index(&self) -> &TermIndex {
        &self.index
    }

    /// Matches a question; `default_lang` is the reply language when the
    /// question's own words do not tell.
    pub fn classify(&self, question: &str, default_lang: Lang) -> Match {
        let analysis = self.analyze(question, default_lang);
        self.decide(&analysis, best_first(self.scores(&analysis)))
    }

    /// Reads a question: its language, and each meaningful word with the
    /// term it matched.
    pub fn analyze(&self, question: &str, default_lang: Lang) -> Analysis {
        self.analyze_with(question, default_lang, |typed| {
            self.vocabulary.correct(typed)
        })
    }

    /// [`Matcher::analyze`] with typos fixed by `correct`.
    fn analyze_with<'v>(
        &'v self,
        question: &str,
        default_lang: Lang,
        correct: impl Fn(&str) -> Option<Correction<'v>>,
    ) -> Analysis {
        let typed = tokenize(question);
        let lang = language::detect(&typed, |w| self.languages_of(w), default_lang);
        let mut fixes: Vec<Correction> = Vec::new();
        let corrected: Vec<String> = typed
            .into_iter()
            .map(|word| {
                if self.vocabulary.contains(&word) {
                    return word;
                }
                match correct(&word) {
                    Some(fix) => {
                        let fixed = fix.word.to_owned();
                        fixes.push(fix);
                        fixed
                    }
                    None => word,
                }
            })
            .collect();
        // The last fix to a word sets its similarity, even where the word
        // was also typed right.
        let similarity = |word: &str| {
            fixes
                .iter()
                .rev()
                .find(|fix| fix.word == word)
                .map_or(1.0, |fix| fix.similarity)
        };
        let words: Vec<String> = self
            .lexicon
            .rewrite(corrected)
            .into_iter()
            .filter(|w| is_content_word(&self.lexicon, w))
            .collect();
        let out_of_scope_word = words
            .iter()
            .find(|w| self.lexicon.is_out_of_scope(w))
            .cloned();
        let words = words
            .into_iter()
            .map(|word| QueryWord {
                term: self.term_of(&word, lang),
                similarity: similarity(&word),
                word,
            })
            .collect();
        Analysis {
            lang,
            words,
            out_of_scope_word,
        }
    }

    fn languages_of<'a>(&'a self, word: &'a str) -> impl Iterator<Item = Lang> + 'a {
        let known = self.vocabulary.languages_of(word).iter().copied();
        known.chain(self.lexicon.languages_of(word))
    }

    /// The indexed term for a word, stemming it by the question's language
    /// first and then by the others, as a question may mix languages.
    fn term_of(&self, word: &str, lang: Lang) -> Option<TermId> {
        let others = self.languages.iter().copied().filter(|&l| l != lang);
        std::iter::once(lang)
            .chain(others)
            .find_map(|l| self.index.id(&stem(l, word)))
            .or_else(|| self.index.id(word))
    }

    /// Every intent that shares a term with the question, best first.
    pub fn rank(&self, analysis: &Analysis) -> Vec<IntentScore> {
        let mut scores = self.scores(analysis);
        scores.sort_by(rank_order);
        scores
    }

    /// Every intent that shares a term with the question, in no order.
    fn scores(&self, analysis: &Analysis) -> Vec<IntentScore> {
        match self.weigh(analysis) {
            Some(question) => self.score(&question),
            None => Vec::new(),
        }
    }

    /// The question's distinct terms and its weight; `None` when it has
    /// nothing to weigh.
    fn weigh(&self, analysis: &Analysis) -> Option<WeighedQuestion> {
        let mut terms: Vec<(TermId, f32)> = Vec::new();
        let mut weight = 0.0;
        for word in &analysis.words {
            match word.term {
                Some(term) => match terms.iter_mut().find(|(t, _)| *t == term) {
                    Some((_, sim)) => *sim = sim.max(word.similarity),
                    None => terms.push((term, word.similarity)),
                },
                None => weight += self.unknown_word_weight,
            }
        }
        weight += terms
            .iter()
            .map(|&(t, _)| self.index.weight(t))
            .sum::<f32>();
        terms.sort_by_key(|&(term, _)| self.index.dense_bit(term).is_some());
        (weight > 0.0).then_some(WeighedQuestion { terms, weight })
    }

    /// Scores every intent where the question's terms occur, in no order:
    /// sparse terms add their evidence to each pattern they occur in; dense
    /// ones are added to those patterns afterwards, and the other patterns
    /// that use them are tried group by group (see [`dense`]).
    fn score(&self, question: &WeighedQuestion) -> Vec<IntentScore> {
        with_tally(self.index.patterns.len(), self.intent_ids.len(), |tally| {
            let dense_terms = self.tally_terms(question, tally);
            self.fit_patterns(question, tally, &dense_terms);
            self.intent_scores(question, tally)
        })
    }

    /// Adds each term's evidence to the intents that use it and, for a
    /// sparse term, to the patterns; returns the dense terms' bits and
    /// evidence, in the question's order.
    fn tally_terms(&self, question: &WeighedQuestion, tally: &mut Tally) -> Vec<(u8, f32)> {
        let terms = question.terms.len();
        let mut dense_terms = Vec::new();
        for &(term, similarity) in &question.terms {
            let evidence = self.index.weight(term) * similarity;
            match self.index.dense_bit(term) {
                Some(bit) => dense_terms.push((bit, evidence)),
                None => tally.add_to_patterns(self.index.patterns_with(term), evidence),
            }
            let gains = self.word_model.posting_gains(term);
            for (&(intent, _), &gain) in self.index.intents_with(term).iter().zip(gains) {
                let at = intent as usize;
                let intent = tally.intent(intent, || self.word_model.prior(at, terms));
                intent.hit += evidence;
                intent.log_likelihood += similarity * gain;
            }
        }
        dense_terms
    }

    /// Finds each touched intent's best pattern: among the patterns sparse
    /// terms reached, and the lightest of each dense group.
    fn fit_patterns(
        &self,
        question: &WeighedQuestion,
        tally: &mut Tally,
        dense_terms: &[(u8, f32)],
    ) {
        let question_mask = dense_terms
            .iter()
            .fold(0, |mask, &(bit, _)| mask | 1 << bit);
        let fit = |hit: f32, pattern: u32| {
            score::f_measure(hit, question.weight, self.index.shape(pattern).weight)
        };
        tally.fit_patterns(|pattern, sparse_hit| {
            let shape = self.index.shape(pattern);
            let hit = add_dense_evidence(sparse_hit, shape.dense & question_mask, dense_terms);
            (shape.intent, fit(hit, pattern))
        });
        if question_mask == 0 {
            return;
        }
        let intents: Vec<u32> = tally.intents().map(|(intent, _)| intent).collect();
        for intent in intents {
            for group in self.index.dense_groups(intent) {
                let shared = group.mask & question_mask;
                if shared == 0 {
                    continue;
                }
                let hit = add_dense_evidence(0.0, shared, dense_terms);
                if let Some((fit, pattern)) =
                    best_untouched(group, |p| tally.is_touched(p), |p| fit(hit, p))
                {
                    tally.offer(intent, fit, pattern);
                }
            }
        }
    }

    /// Each touched intent's score from its tally.
    fn intent_scores(&self, question: &WeighedQuestion, tally: &Tally) -> Vec<IntentScore> {
        let log_likelihoods: Vec<(usize, f32)> = tally
            .intents()
            .map(|(intent, t)| (intent as usize, t.log_likelihood))
            .collect();
        let probabilities = self
            .word_model
            .probabilities(question.terms.len(), &log_likelihoods);
        tally
            .intents()
            .zip(probabilities)
            .map(|((intent, t), probability)| IntentScore {
                intent: intent as usize,
                score: score::intent_score(t.best_fit, t.hit / question.weight, probability),
                best_pattern: t.best_pattern as usize,
            })
            .collect()
    }

    /// The verdict on an analysed question, given its intents best first:
    /// answer with the best, or decline and offer the nearest ones.
    pub fn decide(
        &self,
        analysis: &Analysis,
        best_first: impl IntoIterator<Item = IntentScore>,
    ) -> Match {
        let mut ranked = best_first.into_iter().peekable();
        let best = ranked.next();
        let score_of = |scored: Option<&IntentScore>| scored.map_or(0.0, |s| s.score);
        let confidence = score::confidence(score_of(best.as_ref()), score_of(ranked.peek()));
        let answer = confidence >= score::DECLINE_BELOW && analysis.out_of_scope_word.is_none();
        let mut candidates = Vec::new();
        let mut next = if answer { ranked.next() } else { best };
        // A candidate's confidence is at most its score, and the scores
        // only fall: below the bar, none after can be offered.
        while let Some(scored) = next.filter(|s| s.score >= score::SUGGEST_FROM) {
            if candidates.len() == MAX_CANDIDATES {
                break;
            }
            let confidence = score::confidence(scored.score, score_of(ranked.peek()));
            if confidence >= score::SUGGEST_FROM {
                candidates.push(Candidate {
                    intent: self.intent_ids[scored.intent].clone(),
                    confidence,
                });
            }
            next = ranked.next();
        }
        Match {
            intent: answer
                .then(|| best.map(|s| self.intent_ids[s.intent].clone()))
                .flatten(),
            confidence,
            lang: analysis.lang,
            candidates,
        }
    }
}
