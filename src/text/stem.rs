//! Light, rule-based stemming for English and Indonesian.
//!
//! Deliberately conservative: it only has to make "years"/"year" and
//! "pengobatan"/"obat" meet, and it is applied identically to patterns and
//! questions, so an over-eager cut is harmless unless it merges two words
//! that mean different things.

use std::borrow::Cow;

use crate::lang::Lang;
use crate::tuning::{MIN_STEM, MIN_STEM_CAUTIOUS};

/// Stems a lowercase word by the rules of `lang`; languages without rules
/// are returned as they are. Most stems are a slice of the word, so they
/// are borrowed: questions stem every word once per language.
pub fn stem(lang: Lang, word: &str) -> Cow<'_, str> {
    if !word.is_ascii() {
        return Cow::Borrowed(word);
    }
    match lang {
        Lang::EN => stem_english(word),
        Lang::ID => Cow::Borrowed(stem_indonesian(word)),
        _ => Cow::Borrowed(word),
    }
}

fn strip<'a>(word: &'a str, suffix: &str, min_stem: usize) -> Option<&'a str> {
    word.strip_suffix(suffix)
        .filter(|stem| stem.len() >= min_stem)
}

fn stem_english(word: &str) -> Cow<'_, str> {
    let stem = if let Some(stem) = strip(word, "ies", MIN_STEM) {
        // "studies" -> "study": the only rule that adds a letter, and "y"
        // never meets the final "e" rule below.
        return Cow::Owned(format!("{stem}y"));
    } else if let Some(stem) = strip(word, "ing", MIN_STEM) {
        undouble(stem)
    } else if let Some(stem) = strip(word, "ed", MIN_STEM_CAUTIOUS) {
        undouble(stem)
    } else if word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
        strip(word, "s", MIN_STEM).unwrap_or(word)
    } else {
        word
    };
    // "image", "imaging" and "imaged" all meet at "imag".
    Cow::Borrowed(strip(stem, "e", MIN_STEM_CAUTIOUS).unwrap_or(stem))
}

/// A stem left with a doubled final consonant by "-ing" or "-ed"
/// ("planning", "cutting", "stopped") without the double, as the word is
/// written alone; "ll", "ss", "zz" and "ff" stay ("falling", "passed").
fn undouble(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    match bytes {
        [.., a, b] if a == b && b"bdgmnprt".contains(b) && bytes.len() > MIN_STEM => {
            &stem[..stem.len() - 1]
        }
        _ => stem,
    }
}

const ID_PARTICLES: [&str; 4] = ["lah", "kah", "pun", "tah"];
/// The possessive endings ("ginjalnya": its kidney, "tanteku": my aunt).
pub const ID_POSSESSIVES: [&str; 3] = ["nya", "ku", "mu"];
const ID_SUFFIXES: [&str; 3] = ["kan", "an", "in"];
/// Longest first, so "meng" is tried before "me".
const ID_PREFIXES: [&str; 16] = [
    "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "ber", "ter", "per", "me", "pe",
    "di", "ke", "se",
];

fn stem_indonesian(word: &str) -> &str {
    let mut stem = word;
    for suffixes in [&ID_PARTICLES[..], &ID_POSSESSIVES[..], &ID_SUFFIXES[..]] {
        if let Some(cut) = suffixes
            .iter()
            .find_map(|s| strip(stem, s, MIN_STEM_CAUTIOUS))
        {
            stem = cut;
        }
    }
    if let Some(cut) = ID_PREFIXES.iter().find_map(|p| {
        stem.strip_prefix(p)
            .filter(|rest| rest.len() >= MIN_STEM_CAUTIOUS)
    }) {
        stem = cut;
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_inflections_meet() {
        for (a, b) in [
            ("years", "year"),
            ("procedures", "procedure"),
            ("imaging", "image"),
            ("studies", "study"),
            ("trained", "training"),
        ] {
            assert_eq!(stem(Lang::EN, a), stem(Lang::EN, b), "{a} / {b}");
        }
        for (a, b) in [
            ("planning", "plan"),
            ("cutting", "cut"),
            ("stopped", "stop"),
        ] {
            assert_eq!(stem(Lang::EN, a), stem(Lang::EN, b), "{a} / {b}");
        }
        assert_eq!(stem(Lang::EN, "falling"), "fall");
        assert_eq!(stem(Lang::EN, "diagnosis"), "diagnosis");
        assert_eq!(stem(Lang::EN, "less"), "less");
        assert_eq!(stem(Lang::EN, "ir"), "ir");
    }

    #[test]
    fn indonesian_affixes_meet() {
        for (a, b) in [
            ("pengobatan", "obat"),
            ("kedokteran", "dokter"),
            ("menjadi", "jadi"),
            ("tugasnya", "tugas"),
            ("pekerjaan", "kerja"),
        ] {
            assert_eq!(stem(Lang::ID, a), stem(Lang::ID, b), "{a} / {b}");
        }
        assert_eq!(stem(Lang::ID, "apa"), "apa");
        assert_eq!(stem(Lang::ID, "perlu"), "perlu");
    }

    #[test]
    fn leaves_other_languages_and_scripts_alone() {
        assert_eq!(stem(Lang::parse("fr").unwrap(), "années"), "années");
        assert_eq!(stem(Lang::EN, "الأشعة"), "الأشعة");
    }
}
