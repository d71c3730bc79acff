//! The matcher: a question in, the intent it asks about out. Pure: no I/O,
//! no async, no Telegram; it is built once from an [`IntentSet`] and then
//! only read, so it can be shared across threads.
//!
//! A question is read (`reading`: words, typos, informal spellings,
//! language, terms), scored by the formula of `model` and decided there
//! (answer, or decline and suggest). `docs/matching.md` gives that formula
//! on one page. The scores themselves come from `engine`, which finds
//! exactly what the model would, fast enough for 10 000 intents; a
//! maintainer of the shipped intents can leave it unread.
//!
//! The rest of the crate sees [`Matcher`], its [`Match`], and an
//! [`Explanation`] of a question for `explain` and `report`.

mod answer_odds;
mod engine;
#[cfg(test)]
mod equivalence_tests;
mod explanation;
mod language;
mod model;
mod reading;
mod vocabulary;

use rayon::prelude::*;
use serde::Serialize;

use crate::intents::{DeclineKind, IntentSet, Topic};
use crate::lang::Lang;
use crate::lexicon::Lexicon;
use crate::text::tokenize;
use crate::tuning::{STORY_FOCUSED_FROM, STORY_MEDICAL_FROM, STORY_RETRY_BELOW};
use engine::{Engine, IntentScore, PatternInput};
use model::{Entry, Model, ModelQuestion, Verdict};
pub use reading::unhidden;
use reading::{terms_of_tokens, Analysis, SUBJECT};
use vocabulary::Vocabulary;

use answer_odds::Setting;
pub use answer_odds::{fit as fit_answer_weights, Features, FEATURES, FEATURE_NAMES};
pub use explanation::{ExplainedIntent, ExplainedWord, Explanation};
pub use reading::pattern_terms;
pub(crate) use vocabulary::edits_allowed_for;

/// One "did you mean" suggestion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub intent: String,
    pub confidence: f32,
}

/// What the bot does with a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Answer with the match's intent.
    Answer,
    /// Ask which of the match's candidates was meant: two or three topics
    /// are close and none is confident.
    Clarify,
    /// Decline with this kind's reply: the question is not one the topics
    /// answer, or it is too unclear to answer.
    Decline(DeclineKind),
}

impl Decision {
    /// The decision's name, as `match --json` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Answer => "answer",
            Decision::Clarify => "clarify",
            Decision::Decline(_) => "decline",
        }
    }

    /// The kind of decline, if declined.
    pub fn decline(self) -> Option<DeclineKind> {
        match self {
            Decision::Decline(kind) => Some(kind),
            Decision::Answer | Decision::Clarify => None,
        }
    }
}

/// The matcher's verdict on one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub decision: Decision,
    /// The intent to answer with: set only when the decision is to answer.
    pub intent: Option<String>,
    /// Confidence in the best candidate, in [0, 1], even when declined.
    pub confidence: f32,
    /// The language to reply in.
    pub lang: Lang,
    /// The next best intents (all the nearest ones when declined, none
    /// after a `medical` decline), best first, for "did you mean"
    /// suggestions; never a decline kind.
    pub candidates: Vec<Candidate>,
}

#[cfg(test)]
impl Match {
    /// A verdict in English at confidence 0.5 with no candidates, for
    /// tests of what is done with verdicts.
    pub(crate) fn for_test(decision: Decision, intent: Option<&str>) -> Match {
        Match {
            decision,
            intent: intent.map(str::to_owned),
            confidence: 0.5,
            lang: Lang::EN,
            candidates: Vec::new(),
        }
    }
}

/// Where a message is asked, which tells what its first sentence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asked {
    /// On its own: a first sentence that asks is the question ("what is
    /// IR exactly? my cousin said it's like surgery??").
    Alone,
    /// Mid-conversation: a first sentence that asks often only checks the
    /// last answer ("fluoroscopy is the live x-ray one right? so they're
    /// getting zapped all day?"), unless it names the field.
    InConversation,
}

/// One reading of a message (whole, or its asking sentences): the
/// verdict, and the `medical` kind's score, which says whether a medical
/// decline of a story is firm.
struct Reading {
    found: Match,
    medical: f32,
    medical_first: bool,
}

/// The label of a decline kind where intents have ids: `none:<kind>`, as
/// in the evaluation files.
pub fn decline_label(kind: DeclineKind) -> String {
    format!("none:{kind}")
}

/// Matches questions against one set of intents: built once, then only
/// read, from any number of threads.
#[derive(Clone, Debug)]
pub struct Matcher {
    intent_ids: Vec<String>,
    /// The decline kinds, indexed as pseudo-intents numbered after the
    /// intents: their examples are ranked on the same footing as patterns.
    declines: Vec<DeclineKind>,
    /// Per intent: whether it is one of the bot's own (greeting, thanks,
    /// help), about the conversation rather than the field.
    about_the_bot: Vec<bool>,
    /// Per intent: whether a decline's reply also gives its answer
    /// (`also_answers` in the decline files).
    declined_alike: Vec<bool>,
    engine: Engine,
    vocabulary: Vocabulary,
    lexicon: Lexicon,
    /// The languages the intents are written in, each with its stemmer.
    languages: Vec<Lang>,
}

impl Matcher {
    /// Builds a matcher from every pattern of every intent.
    pub fn new(intents: &IntentSet) -> Matcher {
        Matcher::with_patterns(intents, |_, _, _| true)
    }

    /// Builds a matcher from the patterns `keep(intent_id, lang, position)`
    /// accepts: cross-validation holds some out to ask them later. Each
    /// decline kind is one more intent, whose examples `keep` is asked
    /// about as `none:<kind>`, the label of such questions.
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
        let declines: Vec<DeclineKind> = intents.declines().map(|d| d.kind).collect();
        for (offset, decline) in intents.declines().enumerate() {
            let label = decline_label(decline.kind);
            for (&lang, text) in &decline.texts {
                for (position, example) in text.examples.iter().enumerate() {
                    if !example.trim().is_empty() && keep(&label, lang, position) {
                        kept.push((intents.len() + offset, lang, example));
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
        Matcher {
            intent_ids: intents.iter().map(|i| i.id.clone()).collect(),
            about_the_bot: intents.iter().map(|i| i.topic == Topic::Bot).collect(),
            declined_alike: (intents.iter())
                .map(|i| intents.declines().any(|d| d.also_answers.contains(&i.id)))
                .collect(),
            engine: Engine::build(inputs, intents.len() + declines.len(), intents.len()),
            declines,
            vocabulary,
            lexicon,
            languages: intents.languages(),
        }
    }

    /// Matches a question; `default_lang` is the reply language when the
    /// question's own words do not tell. A greeting before the question is
    /// skipped; when the whole message is not answered, its question
    /// sentence alone is tried (a story that ends in a question), unless
    /// the whole is a personal health question.
    pub fn classify(&self, question: &str, default_lang: Lang) -> Match {
        self.classify_with(question, default_lang, Asked::Alone, |text, lang| {
            self.classify_text(text, lang, Asked::Alone)
        })
    }

    /// [`Matcher::classify`] of a message sent in a conversation about one
    /// of the topics: the field is implied, so a profession the topics
    /// themselves compare IR with ("berarti mereka termasuk dokter
    /// bedah?": is IR surgery?) is named beside it, not asked about, as it
    /// is in the same words alone. Any other profession ("how do i become
    /// an architect?") still makes it a question about that profession.
    pub fn classify_in_conversation(&self, question: &str, default_lang: Lang) -> Match {
        self.classify_with(
            question,
            default_lang,
            Asked::InConversation,
            |text, lang| self.classify_text(text, lang, Asked::InConversation),
        )
    }

    /// [`Matcher::classify`] with `classify_text` deciding each reading of
    /// the message (the engine's, or the brute-force baseline's).
    fn classify_with(
        &self,
        question: &str,
        default_lang: Lang,
        asked: Asked,
        classify_text: impl Fn(&str, Lang) -> Reading,
    ) -> Match {
        let question = self.without_greeting(question, default_lang);
        let whole = classify_text(question, default_lang);
        let answered = whole.found.decision == Decision::Answer;
        // A story that is answered with some confidence is still read by
        // its question, which wins only when it is all but certain:
        // "I'm in year 12 and want to be a doctor. What are an IR's main
        // duties?" asks about duties, not the path its story names.
        let sure = answered && whole.found.confidence >= STORY_RETRY_BELOW;
        let part = self.question_part(question, default_lang);
        // Even an all-but-certain story is read by a question that names
        // the field itself ("…my daughter wants to be an IR. What is
        // interventional radiology exactly?"): it says what it asks.
        let names_the_field = || part.as_deref().is_some_and(|p| self.names_subject(p));
        if sure && whole.found.confidence >= STORY_FOCUSED_FROM && !names_the_field() {
            return whole.found;
        }
        let Some(part) = part else {
            return self.first_question_or(question, asked, whole.found, &classify_text);
        };
        // The story before a question can be what makes it personal
        // ("my dad's scan…"): a medical decline of the whole stands,
        // unless the `medical` kind only won for want of anything nearer,
        // or the question asks about a career ("I had my veins treated
        // and now I want that job. How do I become an IR?"), and is all
        // but certain on its own.
        // So does any decline of a story that names the asker's or a
        // relative's condition, career words or not, when the question
        // after it is about that person ("I'm in med school and want to be
        // an IR. This week I keep feeling dizzy. What's wrong with me?").
        // Such a decline is a medical one, whatever kind won.
        // Only a declined story is read for whose health it tells.
        let declined = matches!(whole.found.decision, Decision::Decline(_));
        let (story_words, part_words) = match declined {
            true => (self.words_as_read(question), self.words_as_read(&part)),
            false => (Vec::new(), Vec::new()),
        };
        let health_story = declined
            && self.lexicon.names_someones_condition(&story_words)
            && self.lexicon.names_someone(&part_words);
        let medical_story = health_story
            || (whole.found.decision == Decision::Decline(DeclineKind::Medical)
                && whole.medical >= STORY_MEDICAL_FROM);
        // A medical decline that only came near a topic, of a message
        // naming no one, is the story's words brushing the examples
        // ("what exactly is IR? heard it mentioned at a hospital open
        // day"): its question sentence may still be answered, when all but
        // certain.
        let brushed = !whole.medical_first && !self.lexicon.names_someone(&story_words);
        // A question about the field itself, naming no one, no condition
        // and no cure ("my dad was treated for a stroke, that's how I
        // heard of IR. What tools do IRs use?"), asks about the career
        // the story led to, as career words do; "can an IR cure it?" or
        // "can an IR fix a blocked artery?" after the same story asks
        // about the illness.
        let about_the_field = part_words.iter().any(|w| w == SUBJECT)
            && !self.lexicon.names_someone(&part_words)
            && !self.lexicon.names_condition(&part_words)
            && !self.lexicon.asks_about_care(&part_words);
        let asks_about_ir = about_the_field || self.lexicon.asks_about_a_career(&part_words);
        if medical_story && !brushed && !asks_about_ir {
            return Match {
                decision: Decision::Decline(DeclineKind::Medical),
                candidates: Vec::new(),
                ..whole.found
            };
        }
        let focused = classify_text(&part, whole.found.lang).found;
        let better = if medical_story {
            focused.confidence >= STORY_FOCUSED_FROM
        } else {
            !answered
                || (focused.confidence > whole.found.confidence
                    && (!sure || focused.confidence >= STORY_FOCUSED_FROM))
        };
        if focused.decision == Decision::Answer && better {
            Match {
                lang: whole.found.lang,
                ..focused
            }
        } else {
            whole.found
        }
    }

    /// A message whose first sentence is a question and whose rest only
    /// comments on it ("what is IR exactly? my cousin said it's like
    /// surgery but with xrays??"), unsure as a whole: the first question,
    /// read alone, when it is all but certain. Not when the message names
    /// someone's condition or anything out of scope: then the rest may be
    /// what it asks ("what is IR? can it fix my dad's stones?").
    fn first_question_or(
        &self,
        question: &str,
        asked: Asked,
        whole: Match,
        classify_text: impl Fn(&str, Lang) -> Reading,
    ) -> Match {
        // Mid-conversation, only a first question that names the field
        // stands on its own ("what is IR exactly? my cousin said…").
        let Some(first) = (self.first_question(question))
            .filter(|first| asked == Asked::Alone || self.names_subject(first))
        else {
            return whole;
        };
        let words = self.words_as_read(question);
        if self.lexicon.names_someones_condition(&words)
            || self.names_out_of_scope(question, whole.lang)
        {
            return whole;
        }
        let focused = classify_text(first, whole.lang).found;
        match focused.decision == Decision::Answer && focused.confidence >= STORY_FOCUSED_FROM {
            true => Match {
                lang: whole.lang,
                ..focused
            },
            false => whole,
        }
    }

    /// Whether `question` names something no topic offers: an
    /// out-of-scope word or phrase not set aside, another profession or
    /// specialty ("salary", "how do i become a nurse"). Such a question is
    /// about that, whatever a conversation was about before it.
    pub fn names_out_of_scope(&self, question: &str, default_lang: Lang) -> bool {
        let question = self.without_greeting(question, default_lang);
        (self.analyze(question, default_lang).out_of_scope_word).is_some()
    }

    /// Whether `question` names nobody and no condition: no word of the
    /// asker or a relative ("my", "ibu", "pregnant") and no illness
    /// ("stones", "tumor"). Such a question asks about patients in
    /// general ("do they have to stay overnight?").
    pub fn names_no_one_ill(&self, question: &str, default_lang: Lang) -> bool {
        let question = self.without_greeting(question, default_lang);
        let words = self.words_as_read(question);
        !self.analyze(question, default_lang).personal
            && !self.lexicon.names_someone(&words)
            && !self.lexicon.names_condition(&words)
    }

    /// Whether a word of `question` is one only the decline examples use
    /// ("indonesia", "passport") and none is of the lexicon's out-of-scope
    /// lists: it names something the examples of what the sources lack
    /// speak of, and no topic, where a listed word ("cardiologists", a
    /// profession) may only name what a topic is asked about.
    pub fn names_what_only_declines_name(&self, question: &str, default_lang: Lang) -> bool {
        let question = self.without_greeting(question, default_lang);
        let analysis = self.analyze(question, default_lang);
        let decline_only = (analysis.words.iter()).any(|w| w.term.is_some() && !w.topic_term);
        decline_only && analysis.out_of_scope_word.is_none()
    }

    /// [`Matcher::classify`] of a text read whole.
    fn classify_text(&self, question: &str, default_lang: Lang, asked: Asked) -> Reading {
        let analysis = self.analyze_in(question, default_lang, asked);
        self.engine.with_ranking(analysis.terms(), |ranking| {
            self.decide(&analysis, ranking.map(|s| (s.intent, s.score)))
        })
    }

    /// Reads a question: its language, and each meaningful word with the
    /// term it matched.
    fn analyze(&self, question: &str, default_lang: Lang) -> Analysis {
        self.analyze_in(question, default_lang, Asked::Alone)
    }

    fn analyze_in(&self, question: &str, default_lang: Lang, asked: Asked) -> Analysis {
        let analysis = self.analyze_with(question, default_lang, |typed, lang| {
            self.vocabulary.correct(typed, lang)
        });
        self.with_subject(question, analysis, asked)
    }

    /// An analysis whose words name another profession and nothing of
    /// the field ("whats an oncologist's day like") marked out of scope
    /// by that profession, as by an out-of-scope word: the question is
    /// about that profession, however well a topic's words fit it. So is
    /// one that names another specialty by a phrase ("emergency
    /// medicine", "dokter anestesi"). The field's words are looked for
    /// among the stop words too ("do they work with oncologists": a
    /// colleague, not the subject). An out-of-scope phrase ("pass rate")
    /// marks a question whatever else it names; out-of-scope words that
    /// are all set aside ("apart from salary") do not.
    ///
    /// It also marks a question about the asker's or a relative's health ("om aku batu
    /// ginjalnya gede, bisa ditangani IR?"), read from the words as
    /// rewritten ("rumah sakit" is a hospital, not "sakit"): when unsure
    /// between medical and a topic, decline.
    fn with_subject(&self, question: &str, mut analysis: Analysis, asked: Asked) -> Analysis {
        // Mid-conversation the field is implied: the chat is about it.
        let field_implied = asked == Asked::InConversation;
        // As typed, a typo in a phrase of the lexicon mended ("dokter
        // anastesi" names a specialty).
        let raw = self.lexicon.mend_phrases(tokenize(question));
        let typed = self.lexicon.rewrite_mended(raw.clone());
        analysis.someones_health = self.lexicon.about_someones_health(&typed);
        // The field's words are looked for among the stop words too ("do
        // they work with oncologists": a colleague, not the subject).
        let read = analysis.words.iter().map(|w| w.word.as_str());
        let every: Vec<&str> = read.chain(typed.iter().map(String::as_str)).collect();
        let names_field = self.lexicon.names_field(&every);
        analysis.in_conversation = field_implied;
        analysis.setting = match (names_field, field_implied) {
            (true, _) => Setting::Named,
            (false, true) => Setting::Implied,
            (false, false) => Setting::Unset,
        };
        if analysis.out_of_scope_word.is_none() {
            analysis.out_of_scope_word = (self.lexicon.out_of_scope_phrase_in(&raw))
                .or_else(|| self.lexicon.out_of_scope_phrase_in(&typed));
        }
        if analysis.out_of_scope_word.is_none() {
            // "how long is radiographer school?", "how do I become a nurse
            // in IR?": that job's own route. The job to become is looked
            // for as typed ("mau jadi perawat": the rewrites turn "jadi"
            // into "become") and as rewritten ("want to be a" is "want to
            // become a").
            analysis.out_of_scope_word = (self.lexicon)
                .compared_career_trained_for(&typed, SUBJECT)
                .or_else(|| self.lexicon.profession_to_become(&raw))
                .or_else(|| self.lexicon.profession_to_become(&typed));
        }
        if analysis.out_of_scope_word.is_some() {
            // "apart from salary, why pick IR": the money is set aside.
            if self.lexicon.out_of_scope_set_aside(&typed) {
                analysis.out_of_scope_word = None;
            }
            return analysis;
        }
        if names_field {
            return analysis;
        }
        let words: Vec<&str> = analysis.words.iter().map(|w| w.word.as_str()).collect();
        let named = (self.lexicon.other_profession(&words).map(str::to_owned))
            .or_else(|| self.lexicon.specialty_in(&raw))
            .or_else(|| self.lexicon.specialty_in(&typed))
            .or_else(|| self.lexicon.specialty_in(&words));
        // In a conversation about IR, a profession the topics themselves
        // compare IR with ("dokter bedah": is IR surgery?) is named beside
        // the field the chat is about.
        let compared = |phrase: &str| {
            let phrase_words = self.lexicon.rewrite(tokenize(phrase));
            (phrase_words.iter())
                .all(|p| (analysis.words.iter()).any(|w| &w.word == p && w.topic_term))
        };
        analysis.out_of_scope_word = named.filter(|n| !(field_implied && compared(n)));
        analysis
    }

    /// Every intent that shares a term with the question, best first.
    fn rank(&self, analysis: &Analysis) -> Vec<IntentScore> {
        self.engine
            .with_ranking(analysis.terms(), |ranking| ranking.collect())
    }

    /// The model's verdict on an analysed question, given its intents best
    /// first (intent, score), as a [`Match`], with how strongly the
    /// `medical` kind claimed the question.
    fn decide(
        &self,
        analysis: &Analysis,
        best_first: impl IntoIterator<Item = (usize, f32)>,
    ) -> Reading {
        let mut decision = model::decide(analysis.signals(), best_first, |n| self.entry(n));
        if analysis.someones_health {
            // A relative's health: declined as medical, and the story
            // stands (see `classify_with`).
            decision.verdict = Verdict::Decline(DeclineKind::Medical);
            decision.candidates.clear();
            decision.medical = decision.medical.max(STORY_MEDICAL_FROM);
        }
        let id = |intent: usize| self.intent_ids[intent].clone();
        let (decision_made, intent) = match decision.verdict {
            Verdict::Answer(intent) => (Decision::Answer, Some(id(intent))),
            Verdict::Clarify => (Decision::Clarify, None),
            Verdict::Decline(kind) => (Decision::Decline(kind), None),
        };
        let found = Match {
            decision: decision_made,
            intent,
            confidence: decision.confidence,
            lang: analysis.lang,
            candidates: (decision.candidates.into_iter())
                .map(|(intent, confidence)| Candidate {
                    intent: id(intent),
                    confidence,
                })
                .collect(),
        };
        Reading {
            found,
            medical: decision.medical,
            medical_first: decision.medical_first,
        }
    }

    /// The decision's features of a question, and the best topic it
    /// would answer with: the rows `ir-advisor fit` fits the weights to.
    pub fn answer_features(&self, question: &str, default_lang: Lang) -> (Features, Option<&str>) {
        let analysis = self.analyze(question, default_lang);
        let (features, best) = self.engine.with_ranking(analysis.terms(), |ranking| {
            let ranked = ranking.map(|s| (s.intent, s.score));
            model::question_features(analysis.signals(), ranked, |n| self.entry(n))
        });
        (
            features,
            best.map(|intent| self.intent_ids[intent].as_str()),
        )
    }

    /// Whether a topic's pattern uses `term`, not only decline examples.
    fn is_topic_term(&self, term: engine::TermId) -> bool {
        let topics = self.intent_ids.len();
        (self.engine.intents_with(term).iter()).any(|&(intent, _)| (intent as usize) < topics)
    }

    /// Whether the matcher answers with an intent of this id.
    pub fn knows(&self, intent: &str) -> bool {
        self.intent_ids.iter().any(|id| id == intent)
    }

    /// What `number` of a ranking stands for, as the decision reads it.
    fn entry(&self, number: usize) -> Entry {
        match self.decline_kind(number) {
            Some(kind) => Entry::Decline(kind),
            None if self.about_the_bot[number] => Entry::BotTopic {
                declined_alike: self.declined_alike[number],
            },
            None => Entry::Topic,
        }
    }

    /// The decline kind that pseudo-intent `number` stands for; `None` for
    /// a real intent.
    fn decline_kind(&self, number: usize) -> Option<DeclineKind> {
        let offset = number.checked_sub(self.intent_ids.len())?;
        self.declines.get(offset).copied()
    }

    /// What pseudo-intent or intent `number` is called, for a maintainer:
    /// its id, or `none:<kind>`.
    fn label(&self, number: usize) -> String {
        match self.decline_kind(number) {
            Some(kind) => decline_label(kind),
            None => self.intent_ids[number].clone(),
        }
    }

    /// The slow model of this matcher's patterns: the brute-force baseline
    /// that the equivalence tests and the benchmarks compare the engine
    /// with. It works out every weight and count itself, from the patterns'
    /// terms.
    fn model(&self) -> Model {
        let patterns = self.engine.patterns().iter().map(|pattern| {
            let terms = pattern.terms.iter().map(|&t| self.engine.term_name(t));
            (pattern.intent, terms.map(str::to_owned).collect())
        });
        let intents = self.intent_ids.len() + self.declines.len();
        Model::weighing(intents, self.intent_ids.len(), patterns)
    }

    /// A question read as the model reads it: typos corrected by scanning
    /// every known word.
    fn analyze_by_scanning(&self, question: &str, default_lang: Lang) -> Analysis {
        let analysis = self.analyze_with(question, default_lang, |typed, lang| {
            self.vocabulary.correct_by_scanning(typed, lang)
        });
        self.with_subject(question, analysis, Asked::Alone)
    }

    /// An analysed question's terms by name, for the model.
    fn model_question(&self, analysis: &Analysis) -> ModelQuestion {
        let mut question = ModelQuestion::default();
        for word in &analysis.words {
            let Some(term) = word.term else {
                question.unknown_words += 1;
                continue;
            };
            let name = self.engine.term_name(term);
            match question.terms.iter_mut().find(|(t, _)| t == name) {
                Some((_, similarity)) => *similarity = similarity.max(word.similarity),
                None => question.terms.push((name.to_owned(), word.similarity)),
            }
        }
        question
    }

    /// [`Matcher::classify`] by brute force: every known word scanned for
    /// typos, every pattern of every intent scored by the model. Only for
    /// the benchmarks' baseline; the model is built once, here.
    #[doc(hidden)]
    pub fn classify_by_brute_force(&self) -> impl Fn(&str, Lang) -> Match + '_ {
        let model = self.model();
        move |question, default_lang| {
            self.classify_with(question, default_lang, Asked::Alone, |text, lang| {
                let analysis = self.analyze_by_scanning(text, lang);
                let ranked = model.rank(&self.model_question(&analysis));
                self.decide(&analysis, ranked.iter().map(|s| (s.intent, s.score as f32)))
            })
        }
    }
}
