//! Text -> tokens: the one normalisation shared by patterns and questions,
//! so that both sides of a comparison always look alike.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::lang::Lang;
use crate::lexicon::Lexicon;
use crate::matcher::stem::stem;

/// Work on a question is bounded: a 100 KB paste is read only up to this
/// many words, which is far more than any real question has.
pub const MAX_TOKENS: usize = 256;
/// Longer "words" (URLs, keyboard mashing) are cut to this many characters.
pub const MAX_TOKEN_CHARS: usize = 32;
/// A letter repeated this many times or more is read once ("bagaimanaaa").
const REPEAT_RUN: usize = 3;

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
            tokens.push(collapse_repeats(&current));
            current.clear();
            current_chars = 0;
            if tokens.len() == MAX_TOKENS {
                return tokens;
            }
        }
    }
    if !current.is_empty() {
        tokens.push(collapse_repeats(&current));
    }
    tokens
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
pub fn terms_of_tokens(lexicon: &Lexicon, lang: Lang, tokens: Vec<String>) -> Vec<String> {
    lexicon
        .rewrite(tokens)
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
