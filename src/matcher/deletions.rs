//! Typo look-up by deletions, in the style of SymSpell: two words within
//! `k` edits of each other (Damerau-Levenshtein) both become the same
//! string once at most `k` letters are deleted from each. Indexing every
//! known word under the strings its deletions leave lets a typo find its
//! candidates with a few hash look-ups instead of comparing it with every
//! known word, so the cost follows the typo's length, not the vocabulary's
//! size.

use std::collections::HashMap;

/// A string left by deleting letters, known by its hash: storing hashes
/// instead of strings keeps the index small, and a collision only adds a
/// candidate that the caller's distance check then rejects.
type DeletionKey = u64;

#[derive(Clone, Debug, Default)]
pub struct DeletionIndex {
    /// How many letters are deleted from each indexed word, at most.
    max_deletions: usize,
    words_by_deletion: HashMap<DeletionKey, Vec<u32>>,
}

impl DeletionIndex {
    /// An index that finds words up to `max_deletions` edits from a typo.
    pub fn new(max_deletions: usize) -> DeletionIndex {
        DeletionIndex {
            max_deletions,
            words_by_deletion: HashMap::new(),
        }
    }

    /// Indexes `word` under `id`; ids must be inserted in increasing order.
    pub fn insert(&mut self, word: &str, id: u32) {
        let chars: Vec<char> = word.chars().collect();
        for_each_deletion(&chars, self.max_deletions, &mut |key| {
            let ids = self.words_by_deletion.entry(key).or_default();
            // Deleting either of two equal letters leaves the same string.
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        });
    }

    /// The ids of every indexed word within `max_edits` of `typed`, in
    /// increasing order, with possibly a few farther ones: the caller
    /// measures the real distance. `max_edits` is capped at the depth the
    /// index was built with.
    pub fn candidates(&self, typed: &str, max_edits: usize) -> Vec<u32> {
        let chars: Vec<char> = typed.chars().collect();
        let mut found = Vec::new();
        for_each_deletion(&chars, max_edits.min(self.max_deletions), &mut |key| {
            if let Some(ids) = self.words_by_deletion.get(&key) {
                found.extend_from_slice(ids);
            }
        });
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Calls `visit` with the key of every string left by deleting at most
/// `max_deletions` letters of `chars`, `chars` itself included.
fn for_each_deletion(chars: &[char], max_deletions: usize, visit: &mut impl FnMut(DeletionKey)) {
    let mut deleted = Vec::with_capacity(max_deletions);
    visit_deletions(chars, max_deletions, 0, &mut deleted, visit);
}

/// Visits the current deletion, then each way to delete one more letter
/// at or after `from` (so each set of positions is visited once).
fn visit_deletions(
    chars: &[char],
    max_deletions: usize,
    from: usize,
    deleted: &mut Vec<usize>,
    visit: &mut impl FnMut(DeletionKey),
) {
    visit(key_without(chars, deleted));
    if deleted.len() == max_deletions {
        return;
    }
    for position in from..chars.len() {
        deleted.push(position);
        visit_deletions(chars, max_deletions, position + 1, deleted, visit);
        deleted.pop();
    }
}

/// FNV-1a over the letters not deleted: no string is built.
fn key_without(chars: &[char], deleted: &[usize]) -> DeletionKey {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    chars
        .iter()
        .enumerate()
        .filter(|(position, _)| !deleted.contains(position))
        .fold(OFFSET_BASIS, |hash, (_, &c)| {
            (hash ^ u64::from(u32::from(c))).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(words: &[&str]) -> DeletionIndex {
        let mut index = DeletionIndex::new(2);
        for (id, word) in words.iter().enumerate() {
            index.insert(word, id as u32);
        }
        index
    }

    #[test]
    fn finds_words_within_the_edits_asked_for() {
        let index = index(&["fellowship", "radiologist", "tahun", "years"]);
        assert_eq!(index.candidates("felowship", 1), [0]);
        assert_eq!(index.candidates("radiolgoist", 2), [1]);
        assert_eq!(index.candidates("tahhun", 1), [2]);
        assert_eq!(index.candidates("yaers", 1), [3], "a swapped pair");
        assert_eq!(index.candidates("weather", 2), Vec::<u32>::new());
    }

    #[test]
    fn lists_each_word_once_in_id_order() {
        let index = index(&["aaab", "aab", "ab"]);
        assert_eq!(index.candidates("aab", 2), [0, 1, 2]);
    }

    #[test]
    fn counts_letters_not_bytes() {
        let index = index(&["années", "résumé"]);
        assert_eq!(index.candidates("anées", 1), [0]);
        assert_eq!(index.candidates("résume", 1), [1]);
    }

    #[test]
    fn never_looks_deeper_than_it_was_built() {
        let mut index = DeletionIndex::new(1);
        index.insert("fellowship", 0);
        assert_eq!(index.candidates("felowshp", 2), Vec::<u32>::new());
    }
}
