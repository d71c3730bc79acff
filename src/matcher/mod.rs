//! The matcher: a question in, the intent it asks about out. Pure: no I/O,
//! no async, no Telegram; it is built once from an [`IntentSet`] and then
//! only read, so it can be shared across threads.
//!
//! Data flows one way: text -> [`normalize`] (words, typos, informal
//! spellings) -> [`language`] -> [`index`] look-up of weighted terms ->
//! [`score`] per pattern and intent -> a [`Match`] or a decline.

pub mod deletions;
pub mod index;
pub mod language;
pub mod normalize;
pub mod reference;
pub mod score;
pub mod stem;
pub mod vocabulary;

use serde::Serialize;

use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::lexicon::Lexicon;
use index::{Occurrences, PatternInput, TermId, TermIndex};
use normalize::{is_content_word, terms_of_tokens, tokenize};
use stem::stem;
use vocabulary::{Correction, Vocabulary};

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
#[derive(Clone, Debug, PartialEq)]
pub struct IntentScore {
    pub intent: usize,
    pub score: f32,
    /// The index in [`TermIndex::patterns`] of the pattern that earned most.
    pub best_pattern: usize,
}

/// The evidence of the question terms at `positions`, summed in order.
fn sum_evidence(evidence: &[f32], positions: impl Iterator<Item = u32>) -> f32 {
    positions.map(|position| evidence[position as usize]).sum()
}

/// A question as scoring reads it.
struct WeighedQuestion {
    /// Each distinct term, with the best similarity it was typed with.
    terms: Vec<(TermId, f32)>,
    /// What explaining the whole question is worth, unknown words included.
    weight: f32,
}

impl WeighedQuestion {
    fn term_ids(&self) -> Vec<TermId> {
        self.terms.iter().map(|&(term, _)| term).collect()
    }
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
    /// Per intent: what one question word it never uses is worth to the
    /// word model. Fixed once the patterns are indexed.
    unseen_word_log_likelihood: Vec<f32>,
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
        let mut words = Vec::new();
        let mut inputs = Vec::new();
        for (number, intent) in intents.iter().enumerate() {
            for (&lang, text) in &intent.texts {
                for (position, pattern) in text.patterns.iter().enumerate() {
                    if !keep(&intent.id, lang, position) {
                        continue;
                    }
                    let tokens = tokenize(pattern);
                    words.extend(tokens.iter().map(|word| (word.clone(), Some(lang))));
                    inputs.push(PatternInput {
                        intent: number,
                        lang,
                        text: pattern.clone(),
                        terms: terms_of_tokens(&lexicon, lang, tokens),
                    });
                }
            }
        }
        let lexicon_words = lexicon.words().map(|word| (word.to_owned(), None));
        let vocabulary = Vocabulary::new(words.into_iter().chain(lexicon_words));
        let index = TermIndex::build(inputs, intents.len());
        let unknown_word_weight = score::UNKNOWN_WORD_SHARE * index.max_weight();
        let unseen_word_log_likelihood = index
            .intent_sizes()
            .iter()
            .map(|&size| score::word_log_likelihood(0, size, index.term_count()))
            .collect();
        Matcher {
            intent_ids: intents.iter().map(|i| i.id.clone()).collect(),
            index,
            vocabulary,
            lexicon,
            languages: intents.languages(),
            unknown_word_weight,
            unseen_word_log_likelihood,
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
        let ranked = self.rank(&analysis);
        self.decide(&analysis, &ranked)
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

    fn languages_of(&self, word: &str) -> Vec<Lang> {
        let mut langs = self.vocabulary.languages_of(word).to_vec();
        langs.extend(self.lexicon.languages_of(word));
        langs
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
        match self.weigh(analysis) {
            Some(question) => self.score(&question, &self.index.occurrences(&question.term_ids())),
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
        (weight > 0.0).then_some(WeighedQuestion { terms, weight })
    }

    /// Scores every intent where the question's terms occur, best first.
    fn score(&self, question: &WeighedQuestion, found: &Occurrences) -> Vec<IntentScore> {
        let evidence: Vec<f32> = question
            .terms
            .iter()
            .map(|&(term, similarity)| self.index.weight(term) * similarity)
            .collect();
        let best_patterns = self.best_patterns(question, &evidence, &found.in_patterns);
        let word_model = self.word_model(question, &found.in_intents);
        let mut ranked: Vec<IntentScore> = found
            .in_intents
            .chunk_by(|a, b| a.0 == b.0)
            .map(|occurrences| {
                let intent = occurrences[0].0;
                let positions = occurrences.iter().map(|&(_, position, _)| position);
                let hit = sum_evidence(&evidence, positions);
                let (pattern_score, pattern) = best_patterns
                    .binary_search_by_key(&intent, |&(i, _, _)| i)
                    .map_or((0.0, 0), |at| (best_patterns[at].1, best_patterns[at].2));
                IntentScore {
                    intent,
                    score: score::intent_score(
                        pattern_score,
                        hit / question.weight,
                        word_model[intent],
                    ),
                    best_pattern: pattern,
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent)));
        ranked
    }

    /// Each intent's best pattern as (intent, F-measure, pattern), by
    /// intent; of equally good patterns, the first. The index numbers an
    /// intent's patterns consecutively, so they arrive together.
    fn best_patterns(
        &self,
        question: &WeighedQuestion,
        evidence: &[f32],
        in_patterns: &[(u32, u32)],
    ) -> Vec<(usize, f32, usize)> {
        let mut best: Vec<(usize, f32, usize)> = Vec::new();
        for occurrences in in_patterns.chunk_by(|a, b| a.0 == b.0) {
            let pattern = occurrences[0].0 as usize;
            let positions = occurrences.iter().map(|&(_, position)| position);
            let hit = sum_evidence(evidence, positions);
            let indexed = &self.index.patterns[pattern];
            let f = score::f_measure(hit / question.weight, hit / indexed.weight);
            match best.last_mut() {
                Some(last) if last.0 == indexed.intent => {
                    if f > last.1 {
                        *last = (indexed.intent, f, pattern);
                    }
                }
                _ => best.push((indexed.intent, f, pattern)),
            }
        }
        best
    }

    /// The word model's probability of each intent given the question.
    fn word_model(&self, question: &WeighedQuestion, in_intents: &[(usize, u32, u32)]) -> Vec<f32> {
        let sizes = self.index.intent_sizes();
        let vocabulary = self.index.term_count();
        let unseen = &self.unseen_word_log_likelihood;
        // Every intent starts as if it used none of the question's words.
        let terms = question.terms.len() as f32;
        let mut model: Vec<f32> = unseen.iter().map(|u| terms * u).collect();
        for &(intent, position, count) in in_intents {
            let similarity = question.terms[position as usize].1;
            model[intent] += similarity
                * (score::word_log_likelihood(count, sizes[intent], vocabulary) - unseen[intent]);
        }
        score::softmax(&mut model);
        model
    }

    /// The verdict on an analysed and ranked question: answer with the best
    /// intent, or decline and offer the nearest ones.
    pub fn decide(&self, analysis: &Analysis, ranked: &[IntentScore]) -> Match {
        let score_at = |i: usize| ranked.get(i).map_or(0.0, |s| s.score);
        let candidate = |s: &IntentScore, runner_up: f32| Candidate {
            intent: self.intent_ids[s.intent].clone(),
            confidence: score::confidence(s.score, runner_up),
        };
        let confidence = score::confidence(score_at(0), score_at(1));
        let answer = confidence >= score::DECLINE_BELOW && analysis.out_of_scope_word.is_none();
        let skip = usize::from(answer);
        let candidates = ranked
            .iter()
            .enumerate()
            .skip(skip)
            .map(|(i, s)| candidate(s, score_at(i + 1)))
            .filter(|c| c.confidence >= score::SUGGEST_FROM)
            .take(MAX_CANDIDATES)
            .collect();
        Match {
            intent: answer.then(|| self.intent_ids[ranked[0].intent].clone()),
            confidence,
            lang: analysis.lang,
            candidates,
        }
    }
}
