//! Why a question went where it went, for a maintainer: what
//! `ir-advisor explain` prints and what `report` groups questions by.

use std::borrow::Cow;

use super::{Asked, Match, Matcher};
use crate::lang::Lang;
use crate::tuning::MAX_CANDIDATES;

/// A question as the matcher read, scored and decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The text read: the message without a greeting before it.
    pub question: String,
    /// The language the question was read in (and is answered in).
    pub lang: Lang,
    /// Each meaningful word, after typo correction and rewriting.
    pub words: Vec<ExplainedWord>,
    /// A word that marks the question as out of scope ("salary").
    pub out_of_scope_word: Option<String>,
    /// The best-scoring intents, best first, as many as a match offers.
    pub best: Vec<ExplainedIntent>,
    /// The verdict, as [`Matcher::classify`] gives it.
    pub decision: Match,
    /// The question sentence of a longer message, explained on its own,
    /// when the verdict was read from it rather than from the whole
    /// message ("…heard it at an open day. What do IRs do?"): the scores
    /// above are the whole message's and do not show that verdict.
    pub question_sentence: Option<Box<Explanation>>,
}

/// One word of a question.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedWord {
    /// The word after typo correction and rewriting.
    pub word: String,
    /// The term it matched, with that term's weight; `None` for a word no
    /// pattern uses.
    pub term: Option<(String, f32)>,
    /// 1 for a word typed as known, less for a corrected typo.
    pub similarity: f32,
}

/// One intent's score, with the pattern that earned most.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplainedIntent {
    pub intent: String,
    pub score: f32,
    /// The best pattern's F-measure, the share of the question the
    /// intent's patterns cover, and the word model's probability: what
    /// the score is made of.
    pub best_pattern_fit: f32,
    pub vocabulary_covered: f32,
    pub word_model: f32,
    pub pattern_lang: Lang,
    pub pattern: String,
    /// The question's terms the pattern uses.
    pub shared_terms: Vec<String>,
}

impl Matcher {
    /// Reads, scores and decides a question, keeping every step for a
    /// maintainer to see.
    /// The words and scores shown are those of the message without its
    /// greeting; the decision is [`Matcher::classify`]'s, which may have
    /// read only the question sentence of a longer message (then
    /// explained too, in `question_sentence`).
    pub fn explain(&self, question: &str, default_lang: Lang) -> Explanation {
        let decision = self.classify(question, default_lang);
        let question = self.without_greeting(question, default_lang);
        let whole = self
            .classify_text(question, default_lang, Asked::Alone)
            .found;
        // The sentence the decision may have read alone: a story's
        // question, or a first question the rest comments on.
        let sentence = (self.question_part(question, default_lang))
            .or_else(|| self.first_question(question).map(Cow::Borrowed));
        let question_sentence = match sentence {
            Some(part) if decision.intent.is_some() && decision.intent != whole.intent => {
                Some(Box::new(self.explain(&part, whole.lang)))
            }
            _ => None,
        };
        let analysis = self.analyze(question, default_lang);
        let ranked = self.rank(&analysis);
        let engine = &self.engine;
        let best = ranked.iter().take(MAX_CANDIDATES).map(|scored| {
            let pattern = &engine.patterns()[scored.best_pattern];
            let shared = analysis.words.iter().filter_map(|w| w.term);
            let shared = shared.filter(|t| pattern.terms.contains(t));
            ExplainedIntent {
                intent: self.label(scored.intent),
                score: scored.score,
                best_pattern_fit: scored.parts.best_pattern,
                vocabulary_covered: scored.parts.vocabulary_covered,
                word_model: scored.parts.word_model,
                pattern_lang: pattern.lang,
                pattern: pattern.text.clone(),
                shared_terms: shared.map(|t| engine.term_name(t).to_owned()).collect(),
            }
        });
        let best = best.collect();
        let words = (analysis.words.into_iter())
            .map(|w| ExplainedWord {
                term: w
                    .term
                    .map(|t| (engine.term_name(t).to_owned(), engine.term_weight(t))),
                similarity: w.similarity,
                word: w.word,
            })
            .collect();
        Explanation {
            question: question.to_owned(),
            lang: analysis.lang,
            words,
            out_of_scope_word: analysis.out_of_scope_word,
            best,
            decision,
            question_sentence,
        }
    }
}
