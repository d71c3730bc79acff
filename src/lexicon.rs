//! Word lists that tune matching per language, kept as data in
//! `intents/lexicon/<lang>.toml` so that maintainers extend them like
//! intents: stop words, informal spellings and synonyms, synonyms in
//! another language, and words that mark a question as out of scope.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

mod real_words;

pub use real_words::RealWords;

use crate::file_error::FileError;
use crate::lang::Lang;
use crate::matcher::edits_allowed_for;
use crate::text::{stem, tokenize, ID_POSSESSIVES};

/// How many words after "become a" may hold the profession to become:
/// up to two words describing it come first ("a specialist radiology
/// nurse").
const PROFESSION_WITHIN: usize = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    out_of_scope: Vec<String>,
    #[serde(default)]
    personal: Vec<String>,
    #[serde(default)]
    professions: Vec<String>,
    #[serde(default)]
    field: Vec<String>,
    #[serde(default)]
    salutations: Vec<String>,
    #[serde(default)]
    greetings: Vec<String>,
    #[serde(default)]
    openers: Vec<String>,
    #[serde(default)]
    relatives: Vec<String>,
    #[serde(default)]
    possessives: Vec<String>,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    career: Vec<String>,
    #[serde(default)]
    career_questions: Vec<String>,
    #[serde(default)]
    care_questions: Vec<String>,
    #[serde(default)]
    specialties: Vec<String>,
    #[serde(default)]
    compared_careers: Vec<String>,
    #[serde(default)]
    training_words: Vec<String>,
    #[serde(default)]
    becoming: Vec<String>,
    #[serde(default)]
    out_of_scope_phrases: Vec<String>,
    #[serde(default)]
    aside_before: Vec<String>,
    #[serde(default)]
    aside_after: Vec<String>,
    #[serde(default)]
    rewrite: BTreeMap<String, String>,
    /// Another language's code -> (phrase of this language -> words of
    /// that one with the same meaning).
    #[serde(default)]
    synonyms: BTreeMap<String, BTreeMap<String, String>>,
}

/// A phrase replaced by its standard form before matching.
#[derive(Clone, Debug, PartialEq)]
struct Rewrite {
    from: Vec<String>,
    to: Vec<String>,
    /// The lexicon file's language that gave the rule, to name in errors.
    lang: Lang,
}

/// Phrase rewrites by their first word, longest phrase first. The lexicon's
/// maps use Fx hashing: every question word is looked up in several.
#[derive(Clone, Debug, Default)]
struct Rewrites(FxHashMap<String, Vec<Rewrite>>);

impl Rewrites {
    /// Adds a rule, unless another language's file already rewrites the
    /// same words otherwise: only the first rule would ever apply, as every
    /// language's rules apply to every question. Then the error says so.
    fn insert(&mut self, from: Vec<String>, to: Vec<String>, lang: Lang) -> Result<(), String> {
        let list = self.0.entry(from[0].clone()).or_default();
        if let Some(other) = list.iter().find(|r| r.from == from && r.to != to) {
            return Err(format!(
                "is already read as `{}` by the {} lexicon: every language's rules apply to every question, so this one would never apply",
                other.to.join(" "),
                other.lang
            ));
        }
        list.push(Rewrite { from, to, lang });
        list.sort_by_key(|r| std::cmp::Reverse(r.from.len()));
        Ok(())
    }

    /// The phrases of more than one word.
    fn phrases(&self) -> impl Iterator<Item = &[String]> {
        (self.0.values().flatten())
            .filter(|r| r.from.len() > 1)
            .map(|r| r.from.as_slice())
    }

    fn phrase_words(&self) -> impl Iterator<Item = &String> {
        self.0.values().flatten().flat_map(|r| &r.from)
    }

    /// The longest rule whose phrase starts `tokens`.
    fn rule_at(&self, tokens: &[String]) -> Option<&Rewrite> {
        let candidates = self.0.get(tokens.first()?)?;
        candidates.iter().find(|r| tokens.starts_with(&r.from))
    }

    /// One left-to-right pass, longest phrase first; a replacement is not
    /// rewritten again. Words no rule touches are moved, not copied: every
    /// pattern passes through here when intents load.
    fn apply(&self, mut tokens: Vec<String>) -> Vec<String> {
        let Some(first) = (0..tokens.len()).find(|&i| self.rule_at(&tokens[i..]).is_some()) else {
            return tokens;
        };
        let mut out: Vec<String> = tokens.drain(..first).collect();
        let mut i = 0;
        while i < tokens.len() {
            match self.rule_at(&tokens[i..]) {
                Some(rule) => {
                    out.extend(rule.to.iter().cloned());
                    i += rule.from.len();
                }
                None => {
                    out.push(std::mem::take(&mut tokens[i]));
                    i += 1;
                }
            }
        }
        out
    }
}

/// A phrase of several words, and the place of one word in it.
type PhrasePlace = (Arc<[String]>, usize);

/// The merged lexicon of every language, as the matcher uses it.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Stop word -> the languages it belongs to (also evidence of language).
    stopwords: FxHashMap<String, Vec<Lang>>,
    /// Informal spellings and synonyms within a language.
    rewrites: Rewrites,
    /// Words -> the stemmed terms of another language that mean the same,
    /// applied after `rewrites`.
    synonyms: Rewrites,
    /// Every term `synonyms` produces: already stemmed by its language.
    synonym_terms: FxHashSet<String>,
    /// Informal spelling or synonym -> the language whose lexicon lists it.
    rewrite_langs: FxHashMap<String, Lang>,
    out_of_scope: FxHashSet<String>,
    /// Words that make a question about the asker or their family ("my",
    /// "ibu"): near a `medical` example, they tip it to a medical decline.
    personal: FxHashSet<String>,
    /// Words naming another profession ("oncologist", "perawat"): a
    /// question that names one and nothing of the field is about that
    /// profession ("whats an oncologist's day like"), so out of scope.
    professions: FxHashSet<String>,
    /// Words naming the field ("ir", "radiology"): with one of them, a
    /// profession is named beside it ("do IRs work with nurses").
    field: FxHashSet<String>,
    /// Words that open a message without asking anything ("hi", "halo",
    /// "kak"): a clause of only these before a question is not read.
    salutations: FxHashSet<String>,
    /// Salutations that greet on their own ("hey", "halo"): one opening a
    /// message ends the greeting at the first word that is no salutation,
    /// comma or not ("hey so what is IR").
    greetings: FxHashSet<String>,
    /// Phrases that open a message and ask nothing, asking after the bot
    /// or leading in ("how are you", "apa kabar", "just curious"): with
    /// salutations around them, a leading clause of one is not read, as a
    /// clause of salutations is not ("hi! how are you? what is IR?" asks
    /// what IR is).
    openers: PhraseList,
    /// Words naming a relative or the asker ("dad", "ibu", "tante", "my",
    /// "saya"): with a word of `conditions` and none of `career`, the
    /// question is about that person's health ("my dad has kidney stones,
    /// can IR help?").
    relatives: FxHashSet<String>,
    /// Words that own the word after them ("my"): a profession just after
    /// one is the asker's own doctor ("my urologist suggested it"), not a
    /// job of theirs.
    possessives: FxHashSet<String>,
    /// Words naming a condition, symptom or ailing organ ("stones",
    /// "varises", "empedu").
    conditions: FxHashSet<String>,
    /// Words that make a question about the asker's career ("become",
    /// "kuliah"): a relative's illness is then only the story.
    career: FxHashSet<String>,
    /// Words that make a question one about becoming or training as an
    /// IR ("become", "residency", "kuliah"): a narrower list than
    /// `career`, without the words a relative's case may use too
    /// ("patients", "work", "want").
    career_questions: FxHashSet<String>,
    /// Words that ask whether an illness can be treated ("cure",
    /// "ditangani"): after a story of someone's illness, a question with
    /// one asks about that illness, even when it names only IR.
    care_questions: FxHashSet<String>,
    /// Phrases naming another specialty or its practitioners, as typed
    /// ("emergency medicine", "cardiac surgeon", "dokter anestesi",
    /// "kedokteran nuklir"): read like a word of `professions`.
    specialties: PhraseList,
    /// Phrases naming a job the topics compare IR with ("radiographer",
    /// "radiation oncologist"): asked how one trains for it
    /// (`training_words`) with no word naming IR itself, a question is
    /// about that job's own route, which the sources do not describe.
    compared_careers: PhraseList,
    /// Words that ask how one trains for a job ("degree", "kuliah").
    training_words: FxHashSet<String>,
    /// Phrases after which a job is the one the student wants ("become
    /// a", "cara jadi"): a profession there is what the question is about,
    /// even beside IR ("how do I become a nurse in IR?").
    becoming: PhraseList,
    /// Phrases, as typed or as rewritten, that ask for something no intent
    /// offers whatever else the question names, as `out_of_scope` words do
    /// ("pass rate", "jadi radiografer"): where one word alone would be too
    /// common ("rate", "radiografer").
    out_of_scope_phrases: PhraseList,
    /// Phrases that set an out-of-scope word aside when they come just
    /// before it ("apart from salary", "selain gaji") or just after it
    /// ("salaries aside", "money is not my main motivation"): the question
    /// asks about something else.
    aside_before: PhraseList,
    aside_after: PhraseList,
    /// The real words of every language, from the word lists.
    real_words: RealWords,
    /// Each word of a phrase of several words that `rewrites` or
    /// `synonyms` replace, or that names another specialty or job or is
    /// out of scope -> the phrases it is in, with its place: to mend a typo
    /// beside it ("interventinal radiology", "dokter anastesi").
    phrase_places: FxHashMap<String, Vec<PhrasePlace>>,
}

impl Lexicon {
    /// Adds one language's lexicon file; `file` only labels the errors.
    pub fn add_language(
        &mut self,
        lang: Lang,
        file: &Path,
        text: &str,
    ) -> Result<(), Vec<FileError>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawLexicon = toml::from_str(text).map_err(|e| {
            vec![FileError::new(
                file,
                None,
                format!("invalid lexicon: {}", e.message().trim()),
            )]
        })?;
        let mut errors = Vec::new();
        for word in raw.stopwords {
            for token in tokenize(&word) {
                self.stopwords.entry(token).or_default().push(lang);
            }
        }
        let word_lists = [
            (&mut self.out_of_scope, &raw.out_of_scope),
            (&mut self.personal, &raw.personal),
            (&mut self.professions, &raw.professions),
            (&mut self.field, &raw.field),
            (&mut self.salutations, &raw.salutations),
            (&mut self.greetings, &raw.greetings),
            (&mut self.relatives, &raw.relatives),
            (&mut self.possessives, &raw.possessives),
            (&mut self.conditions, &raw.conditions),
            (&mut self.career, &raw.career),
            (&mut self.career_questions, &raw.career_questions),
            (&mut self.care_questions, &raw.care_questions),
            (&mut self.training_words, &raw.training_words),
        ];
        for (known, listed) in word_lists {
            known.extend(listed.iter().flat_map(|w| tokenize(w)));
        }
        let phrase_lists = [
            (&mut self.specialties, &raw.specialties),
            (&mut self.compared_careers, &raw.compared_careers),
            (&mut self.becoming, &raw.becoming),
            (&mut self.out_of_scope_phrases, &raw.out_of_scope_phrases),
            (&mut self.openers, &raw.openers),
            (&mut self.aside_before, &raw.aside_before),
            (&mut self.aside_after, &raw.aside_after),
        ];
        for (known, listed) in phrase_lists {
            known.extend(listed.iter().map(|p| tokenize(p)).filter(|p| !p.is_empty()));
        }
        for (from, to) in raw.rewrite {
            let (from_tokens, to_tokens) = (tokenize(&from), tokenize(&to));
            let key = format!("rewrite.{from}");
            let added = check_phrase(&from_tokens, &to_tokens).and_then(|()| {
                let rule = (from_tokens, to_tokens);
                add_rule(&mut self.rewrites, &mut self.rewrite_langs, rule, lang)
            });
            if let Err(e) = added {
                errors.push(FileError::new(file, Some(&key), e));
            }
        }
        for (code, table) in raw.synonyms {
            let Some(target) = Lang::parse(&code) else {
                errors.push(FileError::new(
                    file,
                    Some(&format!("synonyms.{code}")),
                    "is not a two-letter language code",
                ));
                continue;
            };
            for (from, to) in table {
                let key = format!("synonyms.{code}.{from}");
                let from_tokens = tokenize(&from);
                let terms: Vec<String> = tokenize(&to)
                    .iter()
                    .map(|w| stem(target, w).into_owned())
                    .collect();
                let added = check_phrase(&from_tokens, &terms).and_then(|()| {
                    let rule = (from_tokens, terms.clone());
                    add_rule(&mut self.synonyms, &mut self.rewrite_langs, rule, lang)
                });
                match added {
                    Ok(()) => self.synonym_terms.extend(terms),
                    Err(e) => errors.push(FileError::new(file, Some(&key), e)),
                }
            }
        }
        self.phrase_places.clear();
        let phrases: Vec<Arc<[String]>> = (self.rewrites.phrases())
            .chain(self.synonyms.phrases())
            .chain(self.specialties.phrases())
            .chain(self.compared_careers.phrases())
            .chain(self.out_of_scope_phrases.phrases())
            .map(Arc::from)
            .collect();
        for phrase in phrases {
            for (at, word) in phrase.iter().enumerate() {
                let places = self.phrase_places.entry(word.clone()).or_default();
                places.push((Arc::clone(&phrase), at));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains_key(word)
    }

    /// Adds a word list (`lexicon/words/*.txt`): one real word a line.
    pub fn add_real_words(&mut self, list: &str) {
        self.real_words.add_list(list);
    }

    /// Whether `word` is a real word of a language the bot reads, so not a
    /// typo to correct, even when no intent uses it.
    pub fn is_real_word(&self, word: &str) -> bool {
        self.real_words.contains(word)
    }

    /// Whether `word` makes a question about the asker or their family.
    pub fn is_personal(&self, word: &str) -> bool {
        self.personal.contains(word)
    }

    /// Whether `word` only greets or addresses ("hey", "halo", "kak").
    pub fn is_salutation(&self, word: &str) -> bool {
        self.salutations.contains(word)
    }

    /// Whether `word` greets on its own ("hey", "halo").
    pub fn is_greeting(&self, word: &str) -> bool {
        self.greetings.contains(word)
    }

    /// Whether `words` only greet or lead in: salutations and openers
    /// ("halo kak apa kabar", "just curious"), at least one word.
    pub fn only_greets<W: AsRef<str>>(&self, words: &[W]) -> bool {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        let mut at = 0;
        while at < words.len() {
            at += match self.openers.at(&words, at) {
                Some(phrase) => phrase.len(),
                None if self.is_salutation(words[at]) => 1,
                None => return false,
            };
        }
        !words.is_empty()
    }

    pub fn is_out_of_scope(&self, word: &str) -> bool {
        self.out_of_scope.contains(word)
    }

    /// The profession a question's (rewritten) words are about, when they
    /// name another profession than IR and nothing of the field: "whats
    /// an oncologist's day like" is about oncologists, "do IRs work with
    /// oncologists" about IR.
    pub fn other_profession<'w, W: AsRef<str>>(&self, words: &'w [W]) -> Option<&'w str> {
        let words = words.iter().map(AsRef::as_ref);
        if words.clone().any(|w| self.field.contains(w)) {
            return None;
        }
        words.clone().find(|w| self.is_profession(w))
    }

    /// Whether `word` names another profession than IR: one of
    /// `professions`, its plural ("obstetricians"), or a specialist named
    /// by the "-ologist" ending ("nephrologists", "psikolog"), the
    /// radiologist and the technologist (the radiographer) excepted.
    pub fn is_profession(&self, word: &str) -> bool {
        if self.is_listed_profession(word) {
            return true;
        }
        let stem = word.strip_suffix('s').unwrap_or(word);
        let specialist = stem.ends_with("ologist") || stem.ends_with("olog");
        specialist
            && stem.len() > 6
            && !["radiolog", "technolog", "teknolog"]
                .iter()
                .any(|own| stem.starts_with(own))
    }

    /// Whether `word` is one of `professions`, or its plural.
    fn is_listed_profession(&self, word: &str) -> bool {
        self.professions.contains(word)
            || (word.strip_suffix('s')).is_some_and(|w| self.professions.contains(w))
    }

    /// The phrase of `specialties` found among `words`, in order, if any
    /// ("what does an emergency medicine doctor do" names "emergency
    /// medicine").
    pub fn specialty_in<W: AsRef<str>>(&self, words: &[W]) -> Option<String> {
        self.specialties.find_in(words)
    }

    /// The job of `compared_careers` that `words` ask how to train for
    /// ("how many years is radiographer school?"), if any: not when a
    /// word names IR itself ("I'm a radiographer, how do I become an IR?"),
    /// for `subject` is the field's own word as read.
    pub fn compared_career_trained_for<W: AsRef<str>>(
        &self,
        words: &[W],
        subject: &str,
    ) -> Option<String> {
        let named_ir = words.iter().any(|w| w.as_ref() == subject);
        let asks_training = self.any_listed(&self.training_words, words);
        (asks_training && !named_ir)
            .then(|| self.compared_careers.find_in(words))
            .flatten()
    }

    /// The profession `words` say the student wants to become: one of the
    /// [`PROFESSION_WITHIN`] words after a phrase of `becoming` ("how do I
    /// become a physician assistant in IR?" names "assistant", "become a
    /// specialist radiology nurse" names "nurse"), if any. That job's
    /// route is the question, however much of IR it names. Only the listed
    /// professions: the words are read as typed, and a typo of
    /// "radiologist" ("radiolgist") would pass for another "-ologist".
    pub fn profession_to_become<W: AsRef<str>>(&self, words: &[W]) -> Option<String> {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        (0..words.len()).find_map(|start| {
            let after = start + self.becoming.at(&words, start)?.len();
            let next = words.get(after..(after + PROFESSION_WITHIN).min(words.len()))?;
            next.iter()
                .find(|w| self.is_listed_profession(w))
                .map(|&w| w.to_owned())
        })
    }

    /// The phrase of `out_of_scope_phrases` found among `words`, in order,
    /// if any ("what's the pass rate of the board exam" names "pass rate"),
    /// unless a phrase of `aside_before` ends just before it: "I live in
    /// Malaysia" says where the student is, "IR in Malaysia" asks about it.
    pub fn out_of_scope_phrase_in<W: AsRef<str>>(&self, words: &[W]) -> Option<String> {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        // The aside phrases are looked for only where a phrase is found.
        (0..words.len())
            .find_map(|start| {
                let phrase = self.out_of_scope_phrases.at(&words, start)?;
                (!self.aside_before.ends_at(&words, start)).then_some(phrase)
            })
            .map(|phrase| phrase.join(" "))
    }

    /// Whether any of `words` names the field or sets a profession beside
    /// it as a colleague (see `field`).
    pub fn names_field<W: AsRef<str>>(&self, words: &[W]) -> bool {
        words.iter().any(|w| self.field.contains(w.as_ref()))
    }

    /// Whether every out-of-scope word of `words` is set aside by a phrase
    /// of `aside_before` just before it or of `aside_after` just after it,
    /// stop words between them looked through ("apart from the salary",
    /// "salaries aside", "selain gaji"): such a question asks about
    /// something else. False when `words` has no out-of-scope word.
    pub fn out_of_scope_set_aside<W: AsRef<str>>(&self, words: &[W]) -> bool {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        let at: Vec<usize> = (0..words.len())
            .filter(|&i| self.out_of_scope.contains(words[i]))
            .collect();
        // A phrase may end up to two stop words before the word ("apart
        // from the salary") or start up to two after it.
        let gap = |from: usize, to: usize| (from..to).all(|k| self.is_stopword(words[k]));
        let aside = |i: usize| {
            (0..=2).any(|skipped| {
                let before = i
                    .checked_sub(skipped)
                    .is_some_and(|end| gap(end, i) && self.aside_before.ends_at(&words, end));
                let start = i + 1 + skipped;
                let after = start <= words.len()
                    && gap(i + 1, start)
                    && self.aside_after.starts_at(&words, start);
                before || after
            })
        };
        !at.is_empty() && at.iter().all(|&i| aside(i))
    }

    /// Whether the words ask about someone's health: they name a relative
    /// or the asker and a condition, and nothing of a career ("my mum has
    /// varicose veins, should an IR treat them" but not "my dad had an
    /// embolisation, how long would it take me to train"), nor another
    /// profession (the relative's: "my aunt is an oncologist"). An Indonesian
    /// possessive ending is looked through ("ginjalnya", "tanteku").
    pub fn about_someones_health<W: AsRef<str>>(&self, words: &[W]) -> bool {
        self.names_someones_condition(words) && !self.any_listed(&self.career, words)
    }

    /// Whether the words name a relative or the asker and a condition,
    /// career words or not ("I want to be an IR, but this week I keep
    /// feeling dizzy"): a health story, which a question after it may
    /// still be about.
    pub fn names_someones_condition<W: AsRef<str>>(&self, words: &[W]) -> bool {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        // A profession named just after a relative is the relative's job
        // ("my aunt is an oncologist"), not one the question asks to see;
        // one owned by the asker is their doctor ("my urologist").
        let relative_at: Vec<usize> = (0..words.len())
            .filter(|&i| self.is_listed(&self.relatives, words[i]))
            .collect();
        let owned = |j: usize| j > 0 && self.possessives.contains(words[j - 1]);
        let relatives_job = (0..words.len()).any(|j| {
            self.is_profession(words[j])
                && !owned(j)
                && relative_at.iter().any(|&i| i < j && j - i <= 4)
        });
        !relative_at.is_empty() && self.names_condition(&words) && !relatives_job
    }

    /// Whether the words name a condition, symptom or ailing organ
    /// (`conditions`: "stroke", "ginjalnya").
    pub fn names_condition<W: AsRef<str>>(&self, words: &[W]) -> bool {
        self.any_listed(&self.conditions, words)
    }

    /// Whether the words name a relative or the asker ("me", "saya",
    /// "ibuku").
    pub fn names_someone<W: AsRef<str>>(&self, words: &[W]) -> bool {
        self.any_listed(&self.relatives, words)
    }

    /// Whether any of `words` is on `list` (see [`Lexicon::is_listed`]).
    fn any_listed<W: AsRef<str>>(&self, list: &FxHashSet<String>, words: &[W]) -> bool {
        (words.iter()).any(|w| self.is_listed(list, w.as_ref()))
    }

    /// Whether `word` is on `list`, an Indonesian possessive ending looked
    /// through ("ginjalnya", "tanteku").
    fn is_listed(&self, list: &FxHashSet<String>, word: &str) -> bool {
        list.contains(word)
            || ID_POSSESSIVES.iter().any(|ending| {
                (word.strip_suffix(ending)).is_some_and(|w| w.len() > 2 && list.contains(w))
            })
    }

    /// Whether a word of the words asks about becoming or training as an
    /// IR (the `career_questions` list), an Indonesian possessive ending
    /// looked through.
    pub fn asks_about_a_career<W: AsRef<str>>(&self, words: &[W]) -> bool {
        self.any_listed(&self.career_questions, words)
    }

    /// Whether the words ask whether an illness can be treated (see
    /// `care_questions`).
    pub fn asks_about_care<W: AsRef<str>>(&self, words: &[W]) -> bool {
        self.any_listed(&self.care_questions, words)
    }

    /// Whether `word` is a synonym's term, stemmed already by its own
    /// language: stemming it again by another language's rules would keep
    /// it from meeting the patterns it was taken from ("medical" is not
    /// Indonesian "me-" + "dical").
    pub fn is_stemmed_term(&self, word: &str) -> bool {
        self.synonym_terms.contains(word)
    }

    /// The languages whose lexicon knows `word` as a stop word or an
    /// informal spelling: strong evidence of the language a question is in.
    pub fn languages_of(&self, word: &str) -> impl Iterator<Item = Lang> + '_ {
        let stop = self.stopwords.get(word).into_iter().flatten().copied();
        stop.chain(self.rewrite_langs.get(word).copied())
    }

    /// Every word the lexicon knows, so typos can be corrected towards them.
    /// Every word of a rewritten phrase counts too: correcting the
    /// "cardiologist" of "become a cardiologist" to a pattern's
    /// "cardiologists" would keep the phrase from being recognised, and so
    /// does every word of a specialty or out-of-scope phrase: a typo in
    /// "cardiothoracic surgeon" would hide the specialty.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.stopwords
            .keys()
            .chain(self.rewrite_langs.keys())
            .chain(self.out_of_scope.iter())
            .chain(self.professions.iter())
            .chain(self.rewrites.phrase_words())
            .chain(self.synonyms.phrase_words())
            .chain(self.specialties.words())
            .chain(self.compared_careers.words())
            .chain(self.out_of_scope_phrases.words())
            .map(String::as_str)
    }

    /// Replaces informal spellings and synonyms, longest phrase first, then
    /// words that have a synonym in another language by that language's
    /// term, so that questions and patterns in either language meet.
    pub fn rewrite(&self, tokens: Vec<String>) -> Vec<String> {
        self.rewrite_mended(self.mend_phrases(tokens))
    }

    /// [`Lexicon::rewrite`] of words whose typos [`Lexicon::mend_phrases`]
    /// has mended already.
    pub fn rewrite_mended(&self, tokens: Vec<String>) -> Vec<String> {
        self.synonyms.apply(self.rewrites.apply(tokens))
    }

    /// The words, with a typo mended where it keeps a phrase of several
    /// words from being recognised: a word the phrase would have in its
    /// place, within the edits a typo of its length may have
    /// ([`edits_allowed_for`]), beside a word of that phrase typed right,
    /// the phrase then complete ("interventinal radiology" is
    /// "interventional radiology", read as "ir"). Typo correction alone
    /// cannot do it when a pattern uses the typo, as a pattern may, to
    /// catch it: the typo is then a known word. A real word, a stop word
    /// and a word of some phrase itself are what was meant, and kept.
    pub fn mend_phrases(&self, mut tokens: Vec<String>) -> Vec<String> {
        for i in 0..tokens.len() {
            let word = &tokens[i];
            if self.phrase_places.contains_key(word)
                || self.is_stopword(word)
                || self.is_real_word(word)
            {
                continue;
            }
            let Some(max_edits) = edits_allowed_for(word) else {
                continue;
            };
            let mended = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| self.phrase_places.get(tokens.get(j)?).map(|p| (j, p)))
                .flat_map(|(j, places)| places.iter().map(move |place| (j, place)))
                .find_map(|(j, (phrase, at))| {
                    // The phrase starts where the neighbour's place says,
                    // and holds the typo's place.
                    let start = j.checked_sub(*at)?;
                    let place = i.checked_sub(start)?;
                    let meant = phrase.get(place)?;
                    let end = start + phrase.len();
                    let complete = end <= tokens.len()
                        && (start..end).all(|k| k == i || tokens[k] == phrase[k - start]);
                    let edits = strsim::damerau_levenshtein(word, meant);
                    (complete && edits <= max_edits).then(|| meant.clone())
                });
            if let Some(meant) = mended {
                tokens[i] = meant;
            }
        }
        tokens
    }
}

/// Phrases of one or more words, kept by their first word: a question is
/// searched in one pass over its words, not once for each of the hundreds
/// of phrases (the specialties alone are some 150).
#[derive(Clone, Debug, Default)]
struct PhraseList {
    by_first_word: FxHashMap<String, Vec<Vec<String>>>,
}

impl PhraseList {
    /// Every word of every phrase.
    fn words(&self) -> impl Iterator<Item = &String> {
        self.by_first_word.values().flatten().flatten()
    }

    /// The phrases of more than one word.
    fn phrases(&self) -> impl Iterator<Item = &[String]> {
        (self.by_first_word.values().flatten())
            .filter(|p| p.len() > 1)
            .map(Vec::as_slice)
    }

    /// The phrases that start with `word`.
    fn starting_with(&self, word: &str) -> &[Vec<String>] {
        self.by_first_word.get(word).map_or(&[], Vec::as_slice)
    }

    /// The phrase of the list that starts at word `start` of `words`, if
    /// any.
    fn at<'p>(&'p self, words: &[&str], start: usize) -> Option<&'p [String]> {
        let rest = words.get(start..)?;
        let first = rest.first()?;
        let found = self.starting_with(first).iter().find(|p| begins(rest, p));
        found.map(Vec::as_slice)
    }

    /// Whether a phrase of the list starts at word `start` of `words`.
    fn starts_at(&self, words: &[&str], start: usize) -> bool {
        self.at(words, start).is_some()
    }

    /// Whether a phrase of the list ends just before word `end` of `words`.
    fn ends_at(&self, words: &[&str], end: usize) -> bool {
        (0..end).any(|start| {
            (self.starting_with(words[start]).iter())
                .any(|phrase| start + phrase.len() == end && begins(&words[start..], phrase))
        })
    }

    /// The first phrase of the list found among `words`, in order, if any.
    fn find_in<W: AsRef<str>>(&self, words: &[W]) -> Option<String> {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        (0..words.len()).find_map(|start| self.at(&words, start).map(|phrase| phrase.join(" ")))
    }
}

/// Whether `words` begin with `phrase`.
fn begins(words: &[&str], phrase: &[String]) -> bool {
    phrase.len() <= words.len() && phrase.iter().zip(words).all(|(p, w)| p == w)
}

impl Extend<Vec<String>> for PhraseList {
    fn extend<I: IntoIterator<Item = Vec<String>>>(&mut self, phrases: I) {
        for phrase in phrases {
            if let Some(first) = phrase.first() {
                let same_start = self.by_first_word.entry(first.clone()).or_default();
                same_start.push(phrase);
            }
        }
    }
}

/// Adds a rewrite or synonym rule (`from`, `to`) of `lang`'s file to
/// `rules`, and a one-word rule's language to `langs`: the word tells the
/// question's language.
fn add_rule(
    rules: &mut Rewrites,
    langs: &mut FxHashMap<String, Lang>,
    (from, to): (Vec<String>, Vec<String>),
    lang: Lang,
) -> Result<(), String> {
    let one_word = (from.len() == 1).then(|| from[0].clone());
    rules.insert(from, to, lang)?;
    if let Some(word) = one_word {
        langs.insert(word, lang);
    }
    Ok(())
}

fn check_phrase(from: &[String], to: &[String]) -> Result<(), String> {
    if from.is_empty() {
        Err("has no words".into())
    } else if from == to {
        Err("rewrites a phrase to itself".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon
            .add_language(
                Lang::ID,
                Path::new("id.toml"),
                r#"
stopwords = ["yang", "sih", "itu"]
out_of_scope = ["gaji", "biaya"]
professions = ["perawat"]
field = ["ir", "radiologi"]
relatives = ["ibu", "tante"]
conditions = ["ginjal", "empedu"]
career = ["kuliah", "jadi"]
specialties = ["dokter anestesi", "kedokteran nuklir", "puskesmas"]
out_of_scope_phrases = ["tingkat kelulusan"]
compared_careers = ["radiografer", "onkologi radiasi"]
training_words = ["kuliah", "pendidikan"]
becoming = ["menjadi", "mau jadi"]
aside_before = ["selain", "bukan soal"]
aside_after = ["bukan prioritas"]
[rewrite]
gak = "tidak"
"radiologi intervensi" = "ir"
"radiologi intervensi anak" = "ir anak"
thn = "tahun"
[synonyms.en]
tahun = "years"
"rumah sakit" = "hospitals"
"#,
            )
            .unwrap();
        lexicon
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn a_profession_after_becoming_is_the_job_asked_about() {
        let lexicon = lexicon();
        let goal = |text: &str| lexicon.profession_to_become(&words(text));
        assert_eq!(goal("mau jadi perawat di ir").as_deref(), Some("perawat"));
        assert_eq!(
            goal("cara menjadi seorang perawat ir").as_deref(),
            Some("perawat")
        );
        // Two words may describe the job first.
        assert_eq!(
            goal("mau jadi perawat spesialis ir").as_deref(),
            Some("perawat")
        );
        assert_eq!(goal("mau jadi dokter ir bukan perawat"), None);
        // Beside IR, or as what the asker is, a profession is no goal.
        assert_eq!(goal("ir kerja bareng perawat"), None);
        assert_eq!(goal("aku perawat, mau jadi ir"), None);
        // A typo of "radiolog" would pass for another "-olog": only the
        // listed professions count.
        assert_eq!(goal("menjadi rdiolog ir"), None);
    }

    #[test]
    fn rewrites_the_longest_phrase_first() {
        let lexicon = lexicon();
        assert_eq!(
            lexicon.rewrite(words("gak suka radiologi intervensi")),
            ["tidak", "suka", "ir"]
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi intervensi anak")),
            ["ir", "anak"]
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi saja")),
            ["radiologi", "saja"]
        );
    }

    #[test]
    fn mends_a_typo_that_keeps_a_phrase_from_being_read() {
        let mut lexicon = lexicon();
        lexicon.add_real_words("intervena\n");
        assert_eq!(lexicon.rewrite(words("radiologi intervnsi")), ["ir"]);
        assert_eq!(
            lexicon.rewrite(words("apa radiologo intervensi anak")),
            ["apa", "ir", "anak"]
        );
        assert_eq!(
            lexicon.rewrite(words("intervnsi saja")),
            ["intervnsi", "saja"],
            "no word of the phrase beside it"
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi intervena")),
            ["radiologi", "intervena"],
            "a real word is what was meant"
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi intrvns")),
            ["radiologi", "intrvns"],
            "more edits than a typo of its length may have"
        );
        // A specialty's phrase too, before the rewrites turn its words
        // into others.
        assert_eq!(
            lexicon.mend_phrases(words("jadi dokter anastesi")),
            ["jadi", "dokter", "anestesi"]
        );
    }

    #[test]
    fn synonyms_become_the_other_language_s_stemmed_terms() {
        let lexicon = lexicon();
        assert_eq!(
            lexicon.rewrite(words("berapa tahun di rumah sakit")),
            ["berapa", "year", "di", "hospital"]
        );
        assert_eq!(
            lexicon.rewrite(words("brp thn")),
            ["brp", "year"],
            "informal spellings are rewritten first"
        );
        assert_eq!(
            lexicon.languages_of("tahun").collect::<Vec<_>>(),
            [Lang::ID]
        );
    }

    #[test]
    fn rejects_synonyms_of_an_unknown_language() {
        let mut lexicon = Lexicon::default();
        let errors = lexicon
            .add_language(
                Lang::ID,
                Path::new("id.toml"),
                "[synonyms.english]\na = \"b\"\n[synonyms.en]\nstent = \"stents\"",
            )
            .unwrap_err();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(errors
            .iter()
            .any(|e| e.contains("synonyms.english: is not a two-letter")));
        assert!(errors
            .iter()
            .any(|e| e.contains("synonyms.en.stent: rewrites a phrase to itself")));
    }

    #[test]
    fn knows_stopwords_languages_and_scope() {
        let lexicon = lexicon();
        assert!(lexicon.is_stopword("yang"));
        assert!(lexicon.is_out_of_scope("gaji"));
        let about = |text: &str| lexicon.other_profession(&words(text)).map(str::to_owned);
        assert_eq!(about("kerja perawat gimana"), Some("perawat".to_owned()));
        assert_eq!(
            about("ir kerja sama perawat"),
            None,
            "named beside the field"
        );
        assert_eq!(about("kerja ir gimana"), None);
        let ill = |text: &str| lexicon.about_someones_health(&words(text));
        assert!(ill("tanteku sakit ginjalnya, bisa ke ir?"));
        assert!(
            !ill("ibu sakit ginjal, aku mau jadi ir"),
            "a career question"
        );
        assert!(!ill("sakit ginjal, bisa ke ir?"), "no relative");
        assert_eq!(lexicon.languages_of("gak").collect::<Vec<_>>(), [Lang::ID]);
        assert_eq!(lexicon.languages_of("the").count(), 0);
        let words: Vec<&str> = lexicon.words().collect();
        assert!(words.contains(&"intervensi") && words.contains(&"anak"));
    }

    #[test]
    fn reads_other_specialties_and_their_practitioners() {
        let lexicon = lexicon();
        assert!(lexicon.is_profession("perawat"));
        assert!(lexicon.is_profession("perawats"), "a plural");
        assert!(lexicon.is_profession("nephrologists"), "an -ologist");
        assert!(lexicon.is_profession("psikolog"));
        assert!(!lexicon.is_profession("radiologist"));
        assert!(!lexicon.is_profession("radiologists"));
        assert!(!lexicon.is_profession("technologist"), "the radiographer");
        let named = |text: &str| lexicon.specialty_in(&words(text));
        assert_eq!(
            named("dokter anestesi kerjanya apa"),
            Some("dokter anestesi".to_owned())
        );
        assert_eq!(named("anestesi dokter"), None, "in order");
        assert_eq!(named("kerja di puskesmas"), Some("puskesmas".to_owned()));
        assert_eq!(named("kerja di rumah sakit"), None);
        assert_eq!(
            lexicon.out_of_scope_phrase_in(&words("tingkat kelulusan ujian ir")),
            Some("tingkat kelulusan".to_owned())
        );
    }

    #[test]
    fn a_compared_job_asked_how_to_train_for_is_that_job_s_route() {
        let lexicon = lexicon();
        let trained = |text: &str| lexicon.compared_career_trained_for(&words(text), "ir");
        assert_eq!(
            trained("kuliah radiografer berapa tahun"),
            Some("radiografer".to_owned())
        );
        assert_eq!(
            trained("pendidikannya onkologi radiasi berapa lama"),
            Some("onkologi radiasi".to_owned()),
            "a possessive ending looked through"
        );
        assert_eq!(
            trained("bedanya radiografer sama ir apa"),
            None,
            "no training asked"
        );
        assert_eq!(
            trained("aku radiografer, kuliah lagi jadi ir gimana"),
            None,
            "IR is the subject"
        );
    }

    #[test]
    fn sets_aside_out_of_scope_words_only_where_a_phrase_says_so() {
        let lexicon = lexicon();
        let aside = |text: &str| lexicon.out_of_scope_set_aside(&words(text));
        assert!(aside("selain gaji, kenapa pilih ir"));
        assert!(
            aside("selain itu gaji, kenapa pilih ir"),
            "a stop word between"
        );
        assert!(aside("bukan soal gaji ya"));
        assert!(aside("gaji bukan prioritas, kenapa pilih ir"));
        assert!(!aside("gaji ir berapa"));
        assert!(!aside("selain gaji, biaya kuliah berapa"), "every word");
        assert!(!aside("kenapa pilih ir"), "no out-of-scope word");
    }

    #[test]
    fn a_relative_s_own_profession_is_only_the_story() {
        let lexicon = lexicon();
        let ill = |text: &str| lexicon.about_someones_health(&words(text));
        assert!(!ill("tante perawat, sakit ginjal"), "the aunt is a nurse");
        assert!(ill("tante sakit ginjal, ke ir atau ke perawat dulu ya"));
    }

    #[test]
    fn a_profession_the_asker_owns_is_their_own_doctor() {
        let lexicon = &crate::shipped::intents().lexicon;
        let ill = |text: &str| lexicon.about_someones_health(&words(text));
        assert!(ill(
            "does the procedure for varicocele hurt? my urologist suggested it"
        ));
        assert!(
            !ill("my aunt is an oncologist, she treats tumours"),
            "her job"
        );
    }

    #[test]
    fn a_word_two_languages_rewrite_otherwise_is_an_error() {
        let mut lexicon = Lexicon::default();
        let en = "[rewrite]\n\"orgs\" = \"organizations\"";
        (lexicon.add_language(Lang::EN, Path::new("lexicon/en.toml"), en)).unwrap();
        let id = "[rewrite]\n\"orgs\" = \"orang\"\n\"yg\" = \"yang\"";
        let errors =
            (lexicon.add_language(Lang::ID, Path::new("lexicon/id.toml"), id)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = errors[0].to_string();
        assert!(
            error.starts_with("lexicon/id.toml: rewrite.orgs:"),
            "{error}"
        );
        assert!(
            error.contains("`organizations` by the en lexicon"),
            "{error}"
        );
        // The same reading in both is no conflict.
        let same = "[rewrite]\n\"orgs\" = \"organizations\"";
        (lexicon.add_language(Lang::ID, Path::new("lexicon/id.toml"), same)).unwrap();
    }

    #[test]
    fn reports_bad_files_by_name() {
        let mut lexicon = Lexicon::default();
        let errors = lexicon
            .add_language(Lang::EN, Path::new("lexicon/en.toml"), "stopword = [1]")
            .unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("lexicon/en.toml: invalid lexicon"),
            "{errors:?}"
        );
        let errors = lexicon
            .add_language(Lang::EN, Path::new("en.toml"), "[rewrite]\n\"?\" = \"x\"")
            .unwrap_err();
        assert!(errors[0].to_string().contains("has no words"));
    }
}
