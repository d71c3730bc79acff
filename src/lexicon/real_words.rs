//! The real words of the languages the bot reads, from the shipped word
//! lists (`intents/lexicon/words/*.txt`, see their README): a word on them
//! is never "corrected" into another, and one no intent uses is evidence
//! that a question is about something else.

use std::sync::Arc;

use rustc_hash::FxHashSet;

/// Every word of the word lists, shared: matchers built for
/// cross-validation and reloads clone the lexicon, not eighty thousand
/// words.
#[derive(Clone, Debug, Default)]
pub struct RealWords(Arc<FxHashSet<Box<str>>>);

impl RealWords {
    /// Adds the words of one list: one a line; blank lines and lines
    /// starting with `#` are skipped.
    pub fn add_list(&mut self, text: &str) {
        let words = Arc::make_mut(&mut self.0);
        let lines = text.lines().map(str::trim);
        words.extend(
            lines
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .map(|line| line.to_lowercase().into_boxed_str()),
        );
    }

    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_word_a_line() {
        let mut words = RealWords::default();
        words.add_list("# informal forms\nmager\n\n  Gabut \n");
        words.add_list("weather\n");
        assert!(words.contains("mager") && words.contains("gabut") && words.contains("weather"));
        assert!(!words.contains("# informal forms") && !words.contains(""));
        assert_eq!(words.len(), 3);
    }
}
