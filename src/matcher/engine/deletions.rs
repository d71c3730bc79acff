//! Typo look-up by deletions, in the style of SymSpell: two words within
//! `k` edits of each other (Damerau-Levenshtein) both become the same
//! string once at most `k` letters are deleted from each. Indexing every
//! known word under the strings its deletions leave lets a typo find its
//! candidates with a few hash look-ups instead of comparing it with every
//! known word, so the cost follows the typo's length, not the vocabulary's
//! size.

/// A string left by deleting letters, known by its hash: storing hashes
/// instead of strings keeps the index small, and a collision only adds a
/// candidate that the caller's distance check then rejects.
type DeletionKey = u64;

#[derive(Clone, Debug, Default)]
pub struct DeletionIndex {
    /// How many letters are deleted from each indexed word, at most.
    max_deletions: usize,
    /// (deletion, word id) for every deletion of every word, sorted: one
    /// flat array is built with a single sort, where a map of small lists
    /// would cost an allocation a key.
    entries: Vec<(DeletionKey, u32)>,
    /// Where the entries whose keys start with each `prefix_bits`-bit
    /// prefix begin, plus the end: the keys are hashes, spread evenly, so a
    /// look-up lands within a step or two of its key, one cache miss where
    /// a binary search over a large array costs a dozen.
    directory: Vec<u32>,
    prefix_bits: u32,
}

impl DeletionIndex {
    /// Indexes `words`, each under its position, to find words up to
    /// `max_deletions` edits from a typo.
    pub fn build<'a>(
        words: impl IntoIterator<Item = &'a str>,
        max_deletions: usize,
    ) -> DeletionIndex {
        let mut entries = Vec::new();
        let mut chars = Vec::new();
        for (id, word) in (0..).zip(words) {
            chars.clear();
            chars.extend(word.chars());
            for_each_deletion(&chars, max_deletions, &mut |key| entries.push((key, id)));
        }
        // About one entry per prefix.
        let prefix_bits = entries.len().max(1).ilog2().clamp(1, 30);
        let mut entries = sort_by_key_prefix(entries, prefix_bits);
        // Deleting either of two equal letters leaves the same string.
        entries.dedup();
        let directory = directory_of(&entries, prefix_bits);
        DeletionIndex {
            max_deletions,
            entries,
            directory,
            prefix_bits,
        }
    }

    /// The ids of the words indexed under `key`.
    fn words_under(&self, key: DeletionKey) -> impl Iterator<Item = u32> + '_ {
        let prefix = prefix_of(key, self.prefix_bits) as usize;
        let (start, end) = (self.directory[prefix], self.directory[prefix + 1]);
        self.entries[start as usize..end as usize]
            .iter()
            .skip_while(move |&&(k, _)| k < key)
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, id)| id)
    }

    /// The ids of every indexed word within `max_edits` of `typed`, in
    /// increasing order, with possibly a few farther ones: the caller
    /// measures the real distance. `max_edits` is capped at the depth the
    /// index was built with.
    pub fn candidates(&self, typed: &str, max_edits: usize) -> Vec<u32> {
        let chars: Vec<char> = typed.chars().collect();
        let mut found = Vec::new();
        for_each_deletion(&chars, max_edits.min(self.max_deletions), &mut |key| {
            found.extend(self.words_under(key));
        });
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// `entries` sorted, bucketed first by their keys' top `bits` bits in one
/// counting pass, as the keys are hashes spread evenly over the buckets,
/// then each small bucket sorted: linear where a full sort of a million
/// entries is not.
fn sort_by_key_prefix(entries: Vec<(DeletionKey, u32)>, bits: u32) -> Vec<(DeletionKey, u32)> {
    let mut starts = vec![0_usize; (1 << bits) + 1];
    for &(key, _) in &entries {
        starts[prefix_of(key, bits) as usize + 1] += 1;
    }
    for bucket in 1..starts.len() {
        starts[bucket] += starts[bucket - 1];
    }
    let mut sorted = vec![(0, 0); entries.len()];
    let mut next = starts.clone();
    for entry in entries {
        let slot = &mut next[prefix_of(entry.0, bits) as usize];
        sorted[*slot] = entry;
        *slot += 1;
    }
    for bucket in starts.windows(2) {
        sorted[bucket[0]..bucket[1]].sort_unstable();
    }
    sorted
}

/// Where the `entries` (sorted) of each `bits`-bit key prefix begin, and
/// where the last ends.
fn directory_of(entries: &[(DeletionKey, u32)], bits: u32) -> Vec<u32> {
    let mut directory = Vec::with_capacity((1 << bits) + 1);
    let mut at = 0;
    for prefix in 0..=1_u64 << bits {
        while at < entries.len() && prefix_of(entries[at].0, bits) < prefix {
            at += 1;
        }
        directory.push(at as u32);
    }
    directory
}

/// The top `bits` bits of a key.
fn prefix_of(key: DeletionKey, bits: u32) -> u64 {
    key >> (DeletionKey::BITS - bits)
}

/// Calls `visit` with the key of every string left by deleting at most
/// `max_deletions` letters of `chars`, `chars` itself included.
fn for_each_deletion(chars: &[char], max_deletions: usize, visit: &mut impl FnMut(DeletionKey)) {
    visit_deletions(chars, FNV_OFFSET_BASIS, 0, max_deletions, visit);
}

/// Visits the keys of the strings that keep every letter from `from` on
/// and delete up to `deletions` of them; `hash` has hashed the letters kept
/// before `from`. Each deletion position is tried in increasing order, so
/// every set of positions is visited once, and the hash of the letters
/// kept before it is carried along instead of being computed again.
fn visit_deletions(
    chars: &[char],
    hash: u64,
    from: usize,
    deletions: usize,
    visit: &mut impl FnMut(DeletionKey),
) {
    visit(chars[from..].iter().fold(hash, fnv_step));
    if deletions == 0 {
        return;
    }
    let mut kept = hash;
    for position in from..chars.len() {
        visit_deletions(chars, kept, position + 1, deletions - 1, visit);
        kept = fnv_step(kept, &chars[position]);
    }
}

/// FNV-1a, over letters: keys are hashed as they are read, no string is
/// built.
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(hash: u64, c: &char) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    (hash ^ u64::from(u32::from(*c))).wrapping_mul(PRIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(words: &[&str]) -> DeletionIndex {
        DeletionIndex::build(words.iter().copied(), 2)
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
        let index = DeletionIndex::build(["fellowship"], 1);
        assert_eq!(index.candidates("felowshp", 2), Vec::<u32>::new());
    }
}
