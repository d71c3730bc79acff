//! The matcher: a question in, the intent it asks about out. Pure: no I/O,
//! no async, no Telegram; it is built once from an [`IntentSet`] and then
//! only read, so it can be shared across threads.
//!
//! Data flows one way: text -> [`normalize`] (words, typos, informal
//! spellings) -> [`language`] -> [`index`] look-up of weighted terms ->
//! `scoring` per pattern and intent, best first, by the rules of [`score`]
//! -> a [`Match`] or a decline.

pub mod broad;
pub mod deletions;
pub mod dense;
pub mod index;
pub mod language;
pub mod normalize;
pub mod reference;
pub mod score;
mod scoring;
pub mod stem;
pub mod tally;
pub mod vocabulary;
pub mod word_model;

use rayon::prelude::*;
use serde::Serialize;

use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::lexicon::Lexicon;
use broad::BroadTerms;
use index::{PatternInput, TermId, TermIndex};
use normalize::{is_content_word, terms_of_tokens, tokenize};
use scoring::rank_order;
use stem::stem;
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

/// A question as scoring reads it.
#[derive(Default)]
struct WeighedQuestion {
    /// Each distinct term, with the best similarity it was typed with: the
    /// narrow terms first, then the broad ones, each sparse then dense, in
    /// the question's order. Every sum over them runs in this order, so
    /// scoring by the index and by brute force add the same numbers the
    /// same way.
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
    broad: BroadTerms,
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
        let broad = BroadTerms::new(&index);
        Matcher {
            intent_ids: intents.iter().map(|i| i.id.clone()).collect(),
            index,
            vocabulary,
            lexicon,
            languages: intents.languages(),
            unknown_word_weight,
            word_model,
            broad,
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
        self.with_ranking(&analysis, |ranking| self.decide(&analysis, ranking))
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
        self.with_ranking(analysis, |ranking| ranking.collect())
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
        terms.sort_by_key(|&(term, _)| {
            let broad = self.index.is_broad(term);
            (broad, self.index.dense_bit(term).is_some())
        });
        (weight > 0.0).then_some(WeighedQuestion { terms, weight })
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
