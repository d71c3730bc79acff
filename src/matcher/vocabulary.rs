//! The words the matcher knows as people type them, used to correct typos
//! and to tell languages apart.

use std::collections::HashMap;

use crate::lang::Lang;

/// Words shorter than this are never corrected: at three letters one edit
/// turns almost any word into another.
const MIN_CORRECTABLE: usize = 5;
/// Words at least this long may be two edits away from what was meant.
const TWO_EDITS_FROM: usize = 8;

/// How many edits a typo of a word this long may contain.
pub fn allowed_edits(len: usize) -> usize {
    match len {
        0..MIN_CORRECTABLE => 0,
        MIN_CORRECTABLE..TWO_EDITS_FROM => 1,
        _ => 2,
    }
}

/// A typo fixed: the known word and how much of the typed word it keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct Correction<'a> {
    pub word: &'a str,
    pub similarity: f32,
}

#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    languages: HashMap<String, Vec<Lang>>,
    /// Known words grouped by length in characters, for typo look-ups.
    by_length: Vec<Vec<String>>,
}

impl Vocabulary {
    /// Records `word` as used in `lang` (`None`: known, but of no language).
    pub fn insert(&mut self, word: &str, lang: Option<Lang>) {
        let entry = match self.languages.get_mut(word) {
            Some(entry) => entry,
            None => {
                let len = word.chars().count();
                if self.by_length.len() <= len {
                    self.by_length.resize(len + 1, Vec::new());
                }
                self.by_length[len].push(word.to_owned());
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

    /// The closest known word within the edits a word of this length may
    /// have (Damerau-Levenshtein, so a swapped pair is one edit). Ties go to
    /// the word that shares the longer start (Jaro-Winkler), as people
    /// rarely mistype the first letters.
    pub fn correct(&self, typed: &str) -> Option<Correction<'_>> {
        let len = typed.chars().count();
        let max_edits = allowed_edits(len);
        if max_edits == 0 || typed.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let lengths = len.saturating_sub(max_edits)
            ..=(len + max_edits).min(self.by_length.len().saturating_sub(1));
        let mut best: Option<(usize, f64, &str)> = None;
        for word in lengths.flat_map(|l| &self.by_length[l]) {
            let edits = strsim::damerau_levenshtein(typed, word);
            if edits == 0 || edits > max_edits {
                continue;
            }
            let closeness = strsim::jaro_winkler(typed, word);
            let better = match best {
                None => true,
                Some((e, c, _)) => edits < e || (edits == e && closeness > c),
            };
            if better {
                best = Some((edits, closeness, word));
            }
        }
        best.map(|(edits, _, word)| Correction {
            word,
            similarity: 1.0 - edits as f32 / (len as f32 + 1.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let mut v = Vocabulary::default();
        for word in [
            "radiologist",
            "procedures",
            "fellowship",
            "tahun",
            "gaji",
            "cost",
        ] {
            v.insert(word, Some(Lang::EN));
        }
        v.insert("the", None);
        v
    }

    #[test]
    fn corrects_typos_within_the_allowed_edits() {
        let v = vocabulary();
        assert_eq!(v.correct("radiolgist").unwrap().word, "radiologist");
        assert_eq!(v.correct("procedurs").unwrap().word, "procedures");
        assert_eq!(v.correct("felowship").unwrap().word, "fellowship");
        assert_eq!(v.correct("tahhun").unwrap().word, "tahun");
        assert!(v.correct("radiolgist").unwrap().similarity > 0.9);
    }

    #[test]
    fn leaves_short_far_and_numeric_words_alone() {
        let v = vocabulary();
        assert_eq!(v.correct("teh"), None);
        assert_eq!(v.correct("weather"), None);
        assert_eq!(v.correct("cos1"), None);
        assert_eq!(
            v.correct("fellowship"),
            None,
            "a known word needs no correction"
        );
    }

    #[test]
    fn allows_more_edits_for_longer_words() {
        assert_eq!(allowed_edits(3), 0);
        assert_eq!(allowed_edits(5), 1);
        assert_eq!(allowed_edits(12), 2);
    }
}
