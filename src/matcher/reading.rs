//! Reading a question (or a pattern) the way the matcher compares them:
//! typos corrected, informal spellings and synonyms rewritten, stop words
//! dropped, each word mapped to the indexed term it stems to. Shared by
//! the engine and the model: both score what this reads.

use std::borrow::Cow;

use super::answer_odds::{Setting, Signals};
use super::engine::TermId;
use super::language;
use super::vocabulary::Correction;
use super::Matcher;
use crate::lang::Lang;
use crate::lexicon::Lexicon;
use crate::text::{after_leading_clauses, after_leading_words, sentences, stem, tokenize};
use crate::tuning::{MAX_INTRODUCING_WORDS, MIN_STEM_CAUTIOUS, QUESTION_MIN_TERMS};

/// The term every reading of the bot's subject is rewritten to
/// ("interventional radiology", "radiologi intervensi" and the like, in
/// the lexicons).
pub(super) const SUBJECT: &str = "ir";

/// One word of a question, as the matcher read it.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryWord {
    /// The word after typo correction and rewriting.
    pub word: String,
    /// The indexed term it matched, if any.
    pub term: Option<TermId>,
    /// 1 for a word typed as known, less for a corrected typo.
    pub similarity: f32,
    /// Whether the word is on the real-word lists.
    pub real: bool,
    /// Whether a topic's pattern uses its term (not only decline examples).
    pub topic_term: bool,
}

/// A question taken apart: what scoring reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub lang: Lang,
    pub words: Vec<QueryWord>,
    /// A word that marks the question as out of scope ("salary").
    pub out_of_scope_word: Option<String>,
    /// Whether a word makes the question about the asker or their family.
    pub personal: bool,
    /// Whether it asks about the asker's or a relative's health (see
    /// [`Lexicon::about_someones_health`]): a medical question.
    pub someones_health: bool,
    /// What sets the question in the field: a word, the conversation, or
    /// nothing.
    pub setting: Setting,
    /// Whether it is asked mid-conversation, the last topic at hand.
    pub in_conversation: bool,
}

impl Analysis {
    /// What the reading tells the decision.
    pub fn signals(&self) -> Signals {
        let words = self.words.len().max(1) as f32;
        let share = |count: usize| count as f32 / words;
        Signals {
            out_of_scope: self.out_of_scope_word.is_some(),
            personal: self.personal,
            unknown_share: share(self.words.iter().filter(|w| w.term.is_none()).count()),
            typo_share: share(self.words.iter().filter(|w| w.similarity < 1.0).count()),
            decline_only_share: share(
                (self.words.iter())
                    .filter(|w| w.term.is_some() && !w.topic_term)
                    .count(),
            ),
            real_unknown_share: share(
                (self.words.iter())
                    .filter(|w| w.term.is_none() && w.real)
                    .count(),
            ),
            setting: self.setting,
            in_conversation: self.in_conversation,
        }
    }

    /// Each word's term (`None` for a word no pattern uses) and similarity.
    pub fn terms(&self) -> impl Iterator<Item = (Option<TermId>, f32)> + '_ {
        self.words.iter().map(|w| (w.term, w.similarity))
    }
}

impl Matcher {
    /// Reads a question, with typos fixed by `correct`.
    pub(super) fn analyze_with<'v>(
        &'v self,
        question: &str,
        default_lang: Lang,
        correct: impl Fn(&str, Lang) -> Option<Correction<'v>>,
    ) -> Analysis {
        let typed = tokenize(question);
        let lang = language::detect(&typed, |w| self.languages_of(w), default_lang);
        let mut fixes: Vec<Correction> = Vec::new();
        let corrected: Vec<String> = typed
            .into_iter()
            .map(|word| {
                // A real word is what was meant, even when no intent
                // uses it: "correcting" it would answer another question.
                if self.vocabulary.contains(&word) || self.lexicon.is_real_word(&word) {
                    return word;
                }
                if let Some(spelled) = possessive_after_n(&self.lexicon, &word) {
                    return spelled;
                }
                match correct(&word, lang) {
                    // A real word one edit away is likelier what was meant
                    // than a word of the patterns two edits away
                    // ("bisaanya" is "biasanya", not "biayanya").
                    Some(fix) if fix.edits > 1 && self.real_word_one_edit_from(&word) => word,
                    // So is a word read through its root ("mantau", spoken
                    // for "memantau", to monitor, is no typo of "mantap"):
                    // looked for only when a correction is at hand, as
                    // the term lookup reads the root again anyway.
                    Some(_) if self.term_of_root(&word).is_some() => word,
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
        let rewritten = self.lexicon.rewrite(unhide(&self.lexicon, corrected));
        let personal = rewritten.iter().any(|w| self.lexicon.is_personal(w));
        let words: Vec<String> = (rewritten.iter())
            .filter(|w| is_content_word(&self.lexicon, w))
            .cloned()
            .collect();
        // An out-of-scope phrase with a typo in it ("in austrlia") is
        // found once the typo is mended; typed right, the caller finds it
        // in the words as typed.
        let out_of_scope_word = (words.iter())
            .find(|w| self.lexicon.is_out_of_scope(w))
            .cloned()
            .or_else(|| {
                let mended = !fixes.is_empty();
                mended.then(|| self.lexicon.out_of_scope_phrase_in(&rewritten))?
            });
        let words = words
            .into_iter()
            .map(|word| {
                let term = self.term_of(&word, lang);
                QueryWord {
                    term,
                    similarity: similarity(&word),
                    real: self.lexicon.is_real_word(&word),
                    topic_term: term.is_some_and(|t| self.is_topic_term(t)),
                    word,
                }
            })
            .collect();
        Analysis {
            lang,
            words,
            out_of_scope_word,
            personal,
            someones_health: false,
            setting: Setting::Unset,
            in_conversation: false,
        }
    }

    /// The part of a message that asks, when that is not the whole
    /// message: of a story that ends in a question, the asking sentences
    /// (from the first with a "?" to the last; without one, the last
    /// sentence), together with the sentences before them when they are
    /// too short to say what they are about ("... interventional
    /// radiology. What is it?").
    pub(super) fn question_part<'q>(
        &self,
        message: &'q str,
        default_lang: Lang,
    ) -> Option<Cow<'q, str>> {
        let found = sentences(message);
        if found.len() < 2 {
            return None;
        }
        let last = found
            .iter()
            .rposition(|s| s.asks)
            .or(found.len().checked_sub(1))?;
        // A few words ending in a colon introduce the next sentence
        // ("translate into English: …", "quick question: …"): they are
        // read together. A longer one is a story of its own ("dad wants me
        // to be a lawyer, so convince me: …").
        let introduces = |at: usize| {
            let said = message[found[at].span.clone()].trim_end();
            said.ends_with(':') && tokenize(said).len() <= MAX_INTRODUCING_WORDS
        };
        let mut first_asking = found.iter().position(|s| s.asks).unwrap_or(last);
        while first_asking > 0 && introduces(first_asking - 1) {
            first_asking -= 1;
        }
        let end = found[last].span.end;
        let start = (0..=first_asking)
            .rev()
            .map(|first| found[first].span.start)
            .find(|&start| {
                self.known_terms(&message[start..end], default_lang) >= QUESTION_MIN_TERMS
            })
            .unwrap_or(0);
        let part = message[start..end].trim();
        if part.len() < message.trim().len() {
            return Some(Cow::Borrowed(part));
        }
        // Only the whole story says enough, and the question only points
        // at what it named ("my aunt mentioned interventional radiology at
        // dinner. What is that?"): the question, about the subject.
        let asking = message[found[first_asking].span.start..end].trim();
        let story = &message[..found[first_asking].span.start];
        (first_asking > 0 && self.names_subject(story) && !self.names_subject(asking))
            .then(|| Cow::Owned(format!("{SUBJECT} {asking}")))
    }

    /// The first sentence of `message` when it asks and more follows it
    /// ("what is IR exactly? my cousin said it's like surgery??"): a
    /// question the rest only comments on.
    pub(super) fn first_question<'q>(&self, message: &'q str) -> Option<&'q str> {
        let found = sentences(message);
        let first = found.first().filter(|s| s.asks && found.len() > 1)?;
        Some(message[first.span.clone()].trim())
    }

    /// Whether a word of `text`, as the lexicon reads it, names the field
    /// ("IR", "radiolog intervensi"): the subject every topic is about.
    pub fn names_subject(&self, text: &str) -> bool {
        self.words_as_read(text).iter().any(|w| w == SUBJECT)
    }

    /// A text's words as the lexicon's word lists read them: after the
    /// rewrites ("rumah sakit" is a hospital, not "sakit"), before typo
    /// correction and stemming.
    pub(super) fn words_as_read(&self, text: &str) -> Vec<String> {
        self.lexicon.rewrite(tokenize(text))
    }

    /// A message without the clauses that only greet or address before it
    /// asks ("halo kak, IR itu apa?"), or without the words that do when
    /// a greeting opens it with no comma ("hey so what is IR"), so that
    /// the question is answered, not the greeting. Kept whole when what
    /// follows says too little to be a question ("hello, anyone there",
    /// "hey how are you"): that is a greeting.
    pub(super) fn without_greeting<'q>(&self, message: &'q str, default_lang: Lang) -> &'q str {
        let salutes = |text: &str| self.lexicon.only_greets(&tokenize(text));
        let rest = after_leading_clauses(message, salutes);
        let rest = after_leading_words(
            rest,
            |word| self.made_of(word, Lexicon::is_greeting),
            salutes,
        );
        if rest.len() < message.len() && self.known_terms(rest, default_lang) >= QUESTION_MIN_TERMS
        {
            rest
        } else {
            message
        }
    }

    /// Whether a text has words and every one is of the kind `is` tells
    /// (a salutation, a greeting).
    fn made_of(&self, text: &str, is: fn(&Lexicon, &str) -> bool) -> bool {
        let words = tokenize(text);
        !words.is_empty() && words.iter().all(|w| is(&self.lexicon, w))
    }

    /// How many different terms of the patterns a text uses.
    fn known_terms(&self, text: &str, default_lang: Lang) -> usize {
        let analysis = self.analyze_with(text, default_lang, |_, _| None);
        let mut terms: Vec<TermId> = analysis.words.iter().filter_map(|w| w.term).collect();
        terms.sort_unstable();
        terms.dedup();
        terms.len()
    }

    /// Whether a word of the real-word lists is one edit (a letter
    /// dropped, added, changed, or two swapped) from `typed`.
    fn real_word_one_edit_from(&self, typed: &str) -> bool {
        let chars: Vec<char> = typed.chars().collect();
        let real = |candidate: Vec<char>| {
            self.lexicon
                .is_real_word(&candidate.into_iter().collect::<String>())
        };
        let letters = 'a'..='z';
        (0..chars.len()).any(|at| {
            let mut dropped = chars.clone();
            dropped.remove(at);
            real(dropped)
        }) || (0..chars.len().saturating_sub(1)).any(|at| {
            let mut swapped = chars.clone();
            swapped.swap(at, at + 1);
            real(swapped)
        }) || (0..chars.len()).any(|at| {
            letters.clone().any(|letter| {
                let mut changed = chars.clone();
                changed[at] = letter;
                letter != chars[at] && real(changed)
            })
        }) || (0..=chars.len()).any(|at| {
            letters.clone().any(|letter| {
                let mut added = chars.clone();
                added.insert(at, letter);
                real(added)
            })
        })
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
            .find_map(|l| self.engine.term(&stem(l, word)))
            .or_else(|| self.engine.term(word))
            .or_else(|| self.term_of_root(word))
    }

    /// The term of an Indonesian word the patterns do not use as typed or
    /// stemmed, read through its root: a synonym of the word without its
    /// ending ("tahapannya" -> "tahapan", "steps"), an English word without
    /// it ("planningnya" -> "planning"), or a synonym of its stem, or the
    /// root a nasal prefix hid ("memilih" -> "pilih", "menangani" ->
    /// "tangani").
    fn term_of_root(&self, word: &str) -> Option<TermId> {
        if !word.is_ascii() || word.len() < 5 {
            return None;
        }
        let unended = ["nya", "lah", "kah", "ku", "mu"]
            .iter()
            .find_map(|end| word.strip_suffix(end).filter(|rest| rest.len() >= 4));
        let stemmed = stem(Lang::ID, word);
        let mut roots: Vec<String> = unended.into_iter().map(str::to_owned).collect();
        // An English word with an Indonesian ending ("planningnya"),
        // as the patterns' English stems it.
        roots.extend(unended.map(|rest| stem(Lang::EN, rest).into_owned()));
        roots.push(stemmed.clone().into_owned());
        // Formal nasal prefixes, then the informal ones of spoken
        // Indonesian ("nyembuhin" -> "sembuh", "ngambil" -> "ambil",
        // "nentuin" -> "tentu"), on the word and on its stem.
        let unsuffixed = stemmed.clone().into_owned();
        for base in [word, unsuffixed.as_str()] {
            for (prefix, first) in [
                ("meny", "s"),
                ("peny", "s"),
                ("mem", "p"),
                ("pem", "p"),
                ("men", "t"),
                ("pen", "t"),
                ("meng", "k"),
                ("peng", "k"),
                ("nge", ""),
                ("ng", ""),
                ("ng", "k"),
                ("ny", "s"),
                ("m", "p"),
                ("n", "t"),
            ] {
                if let Some(rest) = base.strip_prefix(prefix).filter(|rest| rest.len() >= 3) {
                    let root = format!("{first}{rest}");
                    roots.push(stem(Lang::ID, &root).into_owned());
                    roots.push(root);
                }
            }
        }
        roots
            .into_iter()
            .filter(|root| root != word)
            .find_map(|root| {
                let read = self.lexicon.rewrite(vec![root.clone()]);
                match read.as_slice() {
                    [one] if *one != root => self.engine.term(one).or_else(|| {
                        (self.languages.iter()).find_map(|&l| self.engine.term(&stem(l, one)))
                    }),
                    _ => self.engine.term(&root),
                }
            })
    }
}

/// Indonesian endings (a possessive or a particle) that hide a word the
/// lexicon rewrites or a stop word: "radiasinya" is "radiasi"
/// ("radiation"), "lamanya" is "lama" ("long"), "soalnya" is "soal".
const HIDING_ENDINGS: [&str; 5] = ["nya", "lah", "kah", "ku", "mu"];

/// The shortest word an ending is looked through for: "timnya" is "tim"
/// ("team"); below it, a word that only ends like one would be cut.
const SHORTEST_HIDDEN: usize = 3;

/// The words, each without an ending that hides a word the lexicon
/// rewrites or drops, where the word itself is not one it knows, so that
/// the synonym is read (or the stop word dropped): the lexicon lists words by their base form, and a
/// stem would only meet the same word with an ending, never its synonym.
fn unhide(lexicon: &Lexicon, words: Vec<String>) -> Vec<String> {
    words
        .into_iter()
        .map(|word| unhidden(lexicon, &word, SHORTEST_HIDDEN).unwrap_or(word))
        .collect()
}

/// `word` without an ending that hides a word the lexicon rewrites or
/// drops, that word at least `shortest` bytes long, where `word` itself is
/// not one it knows; `None` when no ending hides such a word.
pub fn unhidden(lexicon: &Lexicon, word: &str, shortest: usize) -> Option<String> {
    let rewritten = |word: &str| lexicon.rewrite(vec![word.to_owned()]) != [word];
    if !word.is_ascii() || lexicon.is_stopword(word) || rewritten(word) {
        return None;
    }
    HIDING_ENDINGS
        .iter()
        .filter_map(|end| word.strip_suffix(end))
        .find(|rest| rest.len() >= shortest && (rewritten(rest) || lexicon.is_stopword(rest)))
        .map(str::to_owned)
}

/// An Indonesian word ending in "n" with "-nya" after it, typed with one
/// "n" ("pekerjaanya", "harianya" for "pekerjaannya", "hariannya"), as it
/// is spelled: a slip so common in chat that it is no typo to correct
/// ("harianya" is one edit from "harganya", the price). Only when the
/// word as typed is no real word and the word before the ending is one.
fn possessive_after_n(lexicon: &Lexicon, word: &str) -> Option<String> {
    let base = word.strip_suffix("ya").filter(|base| base.ends_with('n'))?;
    (base.len() > MIN_STEM_CAUTIOUS && lexicon.is_real_word(base)).then(|| format!("{base}nya"))
}

/// Whether a word carries meaning for matching: not a stop word, and not a
/// lone letter left over from an apostrophe ("what's").
pub fn is_content_word(lexicon: &Lexicon, word: &str) -> bool {
    let lone_letter = word.chars().count() == 1 && !word.chars().all(|c| c.is_ascii_digit());
    !lone_letter && !lexicon.is_stopword(word)
}

/// A pattern as the matcher sees it: rewritten, without stop words, each
/// word stemmed by the pattern's own language unless a synonym made it
/// another language's term, stemmed already.
pub fn pattern_terms(lexicon: &Lexicon, lang: Lang, pattern: &str) -> Vec<String> {
    terms_of_tokens(lexicon, lang, tokenize(pattern))
}

/// [`pattern_terms`] of a pattern tokenized already.
pub(super) fn terms_of_tokens(lexicon: &Lexicon, lang: Lang, tokens: Vec<String>) -> Vec<String> {
    lexicon
        .rewrite(unhide(lexicon, tokens))
        .into_iter()
        .filter(|w| is_content_word(lexicon, w))
        .map(|w| {
            if lexicon.is_stemmed_term(&w) {
                w
            } else {
                stem_in_place(lang, w)
            }
        })
        .collect()
}

/// `word` stemmed by `lang`, in its own buffer when the stem is a slice of
/// it, as most are: every word of every pattern is stemmed when intents
/// load.
fn stem_in_place(lang: Lang, mut word: String) -> String {
    let stem = match stem(lang, &word) {
        Cow::Owned(changed) => return changed,
        Cow::Borrowed(stem) if stem.len() == word.len() => return word,
        Cow::Borrowed(stem) => stem,
    };
    let start = word.find(stem).unwrap_or_default();
    let end = start + stem.len();
    word.truncate(end);
    word.drain(..start);
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Decision;

    fn term(matcher: &Matcher, word: &str) -> Option<String> {
        let term = matcher.term_of(word, Lang::ID)?;
        Some(matcher.engine.term_name(term).to_owned())
    }

    #[test]
    fn reads_an_indonesian_word_through_its_root() {
        let matcher = crate::shipped::matcher();
        // "tahapan" is a synonym of "steps"; "-nya" hid it.
        assert_eq!(term(matcher, "tahapannya"), term(matcher, "tahapan"));
        assert!(term(matcher, "tahapannya").is_some());
        // An English word, as the English patterns stem it.
        assert_eq!(term(matcher, "planningnya"), Some("plan".to_owned()));
    }

    #[test]
    fn an_ending_is_looked_through_on_a_word_of_three_letters() {
        let matcher = crate::shipped::matcher();
        let read = |q: &str| matcher.analyze(q, Lang::ID).words;
        let team = read("tim");
        assert_eq!(
            read("timnya").first().map(|w| &w.term),
            team.first().map(|w| &w.term)
        );
        assert!(team.first().is_some_and(|w| w.term.is_some()));
    }

    #[test]
    fn real_words_of_another_subject_are_not_answered_with_a_topic() {
        let matcher = crate::shipped::matcher();
        // Each shares its frame with a topic's patterns ("what is the
        // difference between", "how many years does it take"), and was
        // answered with it before the decision weighed words that nothing
        // sets in the field.
        for question in [
            "what is the difference between a hawk and a falcon?",
            "how many years does it take to master the violin?",
        ] {
            let found = matcher.classify(question, Lang::EN);
            assert_eq!(found.intent, None, "{question}: {found:?}");
        }
        // Beside the field, a student's own words are no such sign.
        let question = "honestly the money doesn't matter to me, why do people choose IR?";
        let found = matcher.classify(question, Lang::EN);
        assert_eq!(found.intent.as_deref(), Some("why_choose_ir"), "{found:?}");
    }

    #[test]
    fn a_question_that_points_at_the_story_s_subject_is_about_ir() {
        let matcher = crate::shipped::matcher();
        let message = "my cousin mentioned interventional radiology at dinner \
                       and I had never heard of it. what is it?";
        let part = matcher.question_part(message, Lang::EN);
        assert_eq!(part.as_deref(), Some("ir what is it?"));
        let found = matcher.classify(message, Lang::EN);
        assert_eq!(found.decision, Decision::Answer, "{found:?}");
        assert_eq!(found.intent.as_deref(), Some("what_is_ir"));
    }

    #[test]
    fn a_career_question_after_a_health_story_is_answered() {
        let matcher = crate::shipped::matcher();
        let found = matcher.classify(
            "I had my kidney stone taken out through a tiny hole and now I want \
             to do that job. How long is the training to become an \
             interventional radiologist?",
            Lang::EN,
        );
        assert_eq!(found.decision, Decision::Answer, "{found:?}");
        assert_eq!(found.intent.as_deref(), Some("training_duration"));
        let recovery = matcher.words_as_read("How long will she need to recover?");
        assert!(!matcher.lexicon.asks_about_a_career(&recovery));
    }

    #[test]
    fn a_story_framed_health_question_stays_medical() {
        let found = crate::shipped::matcher().classify(
            "My mum is booked for a fibroid embolisation next month. She is \
             really anxious. How long will she need to recover?",
            Lang::EN,
        );
        assert_eq!(
            found.decision,
            Decision::Decline(crate::intents::DeclineKind::Medical)
        );
    }

    #[test]
    fn the_asker_s_symptoms_after_a_career_story_stay_medical() {
        let matcher = crate::shipped::matcher();
        for (message, lang) in [
            (
                "I'm a first-year med student and I'd love to become an IR \
                 one day. This week I keep feeling dizzy and can't focus in \
                 class. Why is this happening to me?",
                Lang::EN,
            ),
            (
                "Aku koas tahun ini dan pengen banget jadi dokter IR. Tapi \
                 udah seminggu aku demam dan mual terus, susah belajar. Aku \
                 kenapa sih?",
                Lang::ID,
            ),
        ] {
            let found = matcher.classify(message, lang);
            assert_eq!(
                found.decision,
                Decision::Decline(crate::intents::DeclineKind::Medical),
                "{message}: {found:?}"
            );
        }
    }
}
