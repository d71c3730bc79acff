//! The words the matcher knows as people type them, used to correct typos
//! and to tell languages apart.

use rustc_hash::FxHashMap;

use super::engine::deletions::DeletionIndex;
use super::model::typo_similarity;
use crate::lang::Lang;
use crate::tuning::{MAX_EDITS, MIN_CORRECTABLE, TWO_EDITS_FROM};

/// How many edits a typo of a word this long may contain.
pub fn allowed_edits(len: usize) -> usize {
    match len {
        0..MIN_CORRECTABLE => 0,
        MIN_CORRECTABLE..TWO_EDITS_FROM => 1,
        _ => MAX_EDITS,
    }
}

/// How many edits a typed word may have, `None` when it is not corrected
/// at all: too short, or holding digits (a year, a count).
pub fn edits_allowed_for(typed: &str) -> Option<usize> {
    let max_edits = allowed_edits(typed.chars().count());
    (max_edits > 0 && !typed.chars().any(|c| c.is_ascii_digit())).then_some(max_edits)
}

/// A typo fixed: the known word and how much of the typed word it keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct Correction<'a> {
    pub word: &'a str,
    pub edits: usize,
    pub similarity: f32,
}

#[derive(Clone, Debug)]
pub struct Vocabulary {
    /// Known word -> its languages; Fx hashing, as every question word is
    /// looked up here.
    languages: FxHashMap<String, Vec<Lang>>,
    /// Known words in the order first seen: a word's id is its position.
    words: Vec<String>,
    /// The words by the strings their deletions leave, for typo look-ups.
    deletions: DeletionIndex,
}

impl Vocabulary {
    /// The vocabulary of `words`, each used in its language (`None`: known,
    /// but of no language), indexed for typo look-ups once all are known.
    pub fn new<W: AsRef<str>>(words: impl IntoIterator<Item = (W, Option<Lang>)>) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            languages: FxHashMap::default(),
            words: Vec::new(),
            deletions: DeletionIndex::default(),
        };
        for (word, lang) in words {
            vocabulary.insert(word.as_ref(), lang);
        }
        vocabulary.deletions =
            DeletionIndex::build(vocabulary.words.iter().map(String::as_str), MAX_EDITS);
        vocabulary
    }

    /// Records `word` as used in `lang`.
    fn insert(&mut self, word: &str, lang: Option<Lang>) {
        let entry = match self.languages.get_mut(word) {
            Some(entry) => entry,
            None => {
                self.words.push(word.to_owned());
                self.languages.entry(word.to_owned()).or_default()
            }
        };
        if let Some(lang) = lang {
            if !entry.contains(&lang) {
                entry.push(lang);
            }
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.languages.contains_key(word)
    }

    pub fn languages_of(&self, word: &str) -> &[Lang] {
        self.languages.get(word).map_or(&[], Vec::as_slice)
    }

    /// Every known word with its id, in the order first seen.
    pub fn words(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..).zip(self.words.iter().map(String::as_str))
    }

    /// The closest known word within the edits a word of this length may
    /// have; see [`closest`] for how it is chosen.
    pub fn correct(&self, typed: &str, lang: Lang) -> Option<Correction<'_>> {
        let max_edits = edits_allowed_for(typed)?;
        let candidates = self.deletions.candidates(typed, max_edits);
        closest(
            typed,
            max_edits,
            candidates
                .into_iter()
                .map(|id| (id, self.words[id as usize].as_str())),
            |word| self.is_of(word, lang),
        )
    }

    /// Whether `word` is used in `lang`, or in no language in particular.
    fn is_of(&self, word: &str, lang: Lang) -> bool {
        let languages = self.languages_of(word);
        languages.is_empty() || languages.contains(&lang)
    }
}

impl Vocabulary {
    /// [`Vocabulary::correct`] by comparing the typo with every known word,
    /// as the model reads questions: the deletion index may only be faster.
    pub fn correct_by_scanning(&self, typed: &str, lang: Lang) -> Option<Correction<'_>> {
        closest(typed, edits_allowed_for(typed)?, self.words(), |word| {
            self.is_of(word, lang)
        })
    }
}

/// Of the `candidates` (id, word), the one a typo most likely meant: the
/// fewest edits (Damerau-Levenshtein, so a swapped pair is one edit), then
/// a word of the question's language (`in_language`: "strps to be an IR?"
/// meant "steps", not the Indonesian "stres"), then the longest shared
/// start (Jaro-Winkler), as people rarely mistype the first letters.
/// Remaining ties go to the shorter word, then the one known first, so
/// the choice never depends on the candidates' order.
pub fn closest<'a>(
    typed: &str,
    max_edits: usize,
    candidates: impl IntoIterator<Item = (u32, &'a str)>,
    in_language: impl Fn(&str) -> bool,
) -> Option<Correction<'a>> {
    let len = typed.chars().count();
    let mut best: Option<(Nearness, &str)> = None;
    for (id, word) in candidates {
        let word_len = word.chars().count();
        // The length difference alone costs that many edits.
        if word_len.abs_diff(len) > max_edits {
            continue;
        }
        let edits = strsim::damerau_levenshtein(typed, word);
        if edits == 0 || edits > max_edits {
            continue;
        }
        let nearness = Nearness {
            edits,
            other_language: !in_language(word),
            closeness: strsim::jaro_winkler(typed, word),
            order: (word_len, id),
        };
        if best
            .as_ref()
            .is_none_or(|(b, _)| nearness.is_nearer_than(b))
        {
            best = Some((nearness, word));
        }
    }
    best.map(|(nearness, word)| Correction {
        word,
        edits: nearness.edits,
        similarity: typo_similarity(nearness.edits, len),
    })
}

/// How near a known word is to a typo, in the order [`closest`] weighs.
struct Nearness {
    edits: usize,
    other_language: bool,
    closeness: f64,
    /// Length, then the word's id: the last tie-breaks.
    order: (usize, u32),
}

impl Nearness {
    fn is_nearer_than(&self, other: &Nearness) -> bool {
        let first = (self.edits, self.other_language);
        let second = (other.edits, other.other_language);
        first < second
            || (first == second
                && (self.closeness > other.closeness
                    || (self.closeness == other.closeness && self.order < other.order)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let words = [
            "radiologist",
            "procedures",
            "fellowship",
            "tahun",
            "gaji",
            "cost",
        ];
        let known = words.into_iter().map(|word| (word, Some(Lang::EN)));
        Vocabulary::new(known.chain([("the", None)]))
    }

    #[test]
    fn corrects_typos_within_the_allowed_edits() {
        let v = vocabulary();
        assert_eq!(
            v.correct("radiolgist", Lang::EN).unwrap().word,
            "radiologist"
        );
        assert_eq!(v.correct("procedurs", Lang::EN).unwrap().word, "procedures");
        assert_eq!(v.correct("felowship", Lang::EN).unwrap().word, "fellowship");
        assert_eq!(v.correct("tahhun", Lang::EN).unwrap().word, "tahun");
        assert!(v.correct("radiolgist", Lang::EN).unwrap().similarity > 0.9);
    }

    #[test]
    fn a_tie_of_edits_goes_to_the_questions_language() {
        let v = Vocabulary::new([("steps", Some(Lang::EN)), ("stres", Some(Lang::ID))]);
        assert_eq!(v.correct("strps", Lang::EN).unwrap().word, "steps");
        assert_eq!(v.correct("strps", Lang::ID).unwrap().word, "stres");
    }

    #[test]
    fn leaves_short_far_and_numeric_words_alone() {
        let v = vocabulary();
        assert_eq!(v.correct("teh", Lang::EN), None);
        assert_eq!(v.correct("weather", Lang::EN), None);
        assert_eq!(v.correct("cos1", Lang::EN), None);
        assert_eq!(
            v.correct("fellowship", Lang::EN),
            None,
            "a known word needs no correction"
        );
    }

    /// `word` with `edits` random deletions, insertions, substitutions or
    /// swaps of neighbours.
    fn typo(rng: &mut fastrand::Rng, word: &str, edits: usize) -> String {
        let mut chars: Vec<char> = word.chars().collect();
        for _ in 0..edits {
            let at = rng.usize(..chars.len());
            match rng.u8(..4) {
                0 if chars.len() > 1 => drop(chars.remove(at)),
                1 => chars.insert(at, rng.lowercase()),
                2 => chars[at] = rng.lowercase(),
                _ if at + 1 < chars.len() => chars.swap(at, at + 1),
                _ => {}
            }
        }
        chars.into_iter().collect()
    }

    #[test]
    fn the_index_picks_what_scanning_every_word_picks() {
        let words = [
            "radiologist",
            "radiologists",
            "radiology",
            "radiologi",
            "radiolog",
            "procedure",
            "procedures",
            "prosedur",
            "fellowship",
            "fellowships",
            "intervensi",
            "intervention",
            "interventional",
            "tahun",
            "tahu",
            "bahan",
            "years",
            "yours",
            "training",
            "trainee",
        ];
        let lang_of = |word: &str| match word {
            "tahun" | "tahu" | "bahan" => Some(Lang::ID),
            _ => Some(Lang::EN),
        };
        let v = Vocabulary::new(words.map(|word| (word, lang_of(word))));
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..5_000 {
            let typed = typo(&mut rng, words[round % words.len()], 1 + round % 3);
            let lang = [Lang::EN, Lang::ID][round % 2];
            let scanned = v.correct_by_scanning(&typed, lang);
            assert_eq!(v.correct(&typed, lang), scanned, "{typed:?}");
        }
    }

    #[test]
    fn allows_more_edits_for_longer_words() {
        assert_eq!(allowed_edits(3), 0);
        assert_eq!(allowed_edits(5), 1);
        assert_eq!(allowed_edits(12), 2);
    }
}
