//! Text -> words: the one normalisation shared by patterns, questions and
//! lexicons, so that both sides of a comparison always look alike. A leaf:
//! it knows languages (to stem) and nothing of intents or matching.

mod sentences;
mod stem;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub use sentences::{after_leading_clauses, after_leading_words, sentences, Sentence};
pub use stem::{stem, ID_POSSESSIVES};

use crate::tuning::{MAX_TOKENS, MAX_TOKEN_CHARS, REPEAT_RUN};

/// Splits text into lowercase, accent-free words of letters and digits.
///
/// Anything that is not a letter or digit (punctuation, emoji, control
/// characters) separates words, and runs of three or more identical letters
/// collapse to one, as people stretch words when typing fast.
pub fn tokenize(text: &str) -> Vec<String> {
    // ASCII has no accents to strip: skip the decomposition, most of the
    // cost of reading the patterns when an intents folder loads.
    if text.is_ascii() {
        split_words(text.chars())
    } else {
        split_words(text.nfkd().filter(|c| !is_combining_mark(*c)))
    }
}

fn split_words(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for c in chars {
        if c.is_alphanumeric() {
            if current_chars < MAX_TOKEN_CHARS {
                current_chars += push_lowercase(&mut current, c);
            }
        } else if !current.is_empty() {
            tokens.push(read_once(&current));
            current.clear();
            current_chars = 0;
            if tokens.len() == MAX_TOKENS {
                return tokens;
            }
        }
    }
    if !current.is_empty() {
        tokens.push(read_once(&current));
    }
    tokens
}

/// `word` with stretched letters read once, and an informal Indonesian
/// reduplication ("alat2" for "alat-alat", "sehari2") read as its word,
/// with the ending after it kept ("alat2nya" is "alatnya").
fn read_once(word: &str) -> String {
    let word = collapse_repeats(word);
    let Some((base, ending)) = word.split_once('2') else {
        return word;
    };
    let reduplicated = base.len() >= 3
        && base.chars().all(char::is_alphabetic)
        && ["", "nya", "ku", "mu"].contains(&ending);
    match reduplicated {
        true => format!("{base}{ending}"),
        false => word,
    }
}

/// Appends `c` in lowercase, returning how many characters that took
/// (some capitals lowercase to two).
fn push_lowercase(word: &mut String, c: char) -> usize {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase());
        return 1;
    }
    let before = word.len();
    word.extend(c.to_lowercase());
    word[before..].chars().count()
}

/// Whether a letter repeats `REPEAT_RUN` times or more somewhere in `word`.
fn is_stretched(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(mut previous) = chars.next() else {
        return false;
    };
    let mut run = 1;
    for c in chars {
        run = if c == previous { run + 1 } else { 1 };
        if run >= REPEAT_RUN && c.is_alphabetic() {
            return true;
        }
        previous = c;
    }
    false
}

/// `word` with each run of a stretched letter read once; most words have
/// none and are copied as they are, in one exact allocation.
fn collapse_repeats(word: &str) -> String {
    if !is_stretched(word) {
        return word.to_owned();
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|&&c| c == chars[i]).count();
        let keep = if run >= REPEAT_RUN && chars[i].is_alphabetic() {
            1
        } else {
            run
        };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(tokenize("Qué ÉS IR?!"), ["que", "es", "ir"]);
        assert_eq!(tokenize("what's X-ray"), ["what", "s", "x", "ray"]);
    }

    #[test]
    fn collapses_stretched_letters_but_keeps_doubles() {
        assert_eq!(tokenize("bagaimanaaa"), ["bagaimana"]);
        assert_eq!(
            tokenize("fellowship sooo good"),
            ["fellowship", "so", "good"]
        );
        assert_eq!(tokenize("2000"), ["2000"]);
    }

    #[test]
    fn reads_a_reduplication_with_a_2_as_its_word() {
        assert_eq!(tokenize("alat2 sehari2"), ["alat", "sehari"]);
        assert_eq!(tokenize("alat2nya temen2ku"), ["alatnya", "temenku"]);
        assert_eq!(tokenize("covid19 mp3 2nd"), ["covid19", "mp3", "2nd"]);
        assert_eq!(
            tokenize("h2 b2 covid19 mp3 step22"),
            ["h2", "b2", "covid19", "mp3", "step22"]
        );
    }

    #[test]
    fn treats_emoji_and_control_characters_as_separators() {
        assert_eq!(tokenize("hi👋\u{0}\u{202e}bot"), ["hi", "bot"]);
        assert!(tokenize("🙂🙂🙂").is_empty());
        assert!(tokenize("").is_empty());
    }

    #[test]
    fn bounds_the_work_on_huge_input() {
        let huge = "word ".repeat(50_000);
        assert_eq!(tokenize(&huge).len(), MAX_TOKENS);
        let long_word = "ab".repeat(1000);
        assert_eq!(tokenize(&long_word)[0].chars().count(), MAX_TOKEN_CHARS);
    }

    #[test]
    fn reads_right_to_left_scripts() {
        assert_eq!(tokenize("ما هو الأشعة"), ["ما", "هو", "الاشعة"]);
    }
}
