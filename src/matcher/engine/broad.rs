//! Broad terms: words that many intents use ("years", "patients" in a set
//! of thousands). Their postings grow with the number of intents, so a
//! question that walked them would cost in proportion to the intents.
//!
//! Scoring does not walk them. It scores in full only the intents a
//! question reaches through two terms or more, found by intersecting one
//! bitmap of intents per broad term, or through a narrow term. The many
//! intents that one broad term alone reaches all share that term's
//! evidence: the word model adds them to its softmax by size and count,
//! without visiting them, and they are ranked one by one only when a bound
//! on their score says one of them could be among the best the caller
//! asked for (see [`super::Ranking`]).

use super::index::{TermId, TermIndex};

/// A term that at least this many intents use is broad. Below it, walking
/// the postings costs less than the bitmaps and the bulk sums; the shipped
/// intents (a few dozen) have no broad term at all.
pub const BROAD_FROM_INTENTS: usize = 64;

/// What scoring keeps of a broad term: where its postings are for any
/// intent, found in constant time, so that a question costs what it
/// shares with the term, not the term's postings. Each intent's posting
/// is a few bytes, as in a large set each posting read is a trip to
/// memory: how many patterns use the term, which the word model needs, is
/// where the next posting's patterns start.
#[derive(Clone, Debug, PartialEq)]
pub struct BroadTerm {
    /// One bit per intent, set where the intent uses the term.
    intents: Vec<u64>,
    /// Per word of `intents`: how many intents before it use the term.
    used_before: Vec<u32>,
    /// Per intent posting: where its patterns start in `patterns`; they
    /// end where the next posting's start.
    first_patterns: Vec<u32>,
    /// The patterns that use the term, each with its weight, intent by
    /// intent.
    patterns: Vec<(u32, f32)>,
    /// Each intent posting with the weight of the intent's lightest pattern
    /// that uses the term, lightest first (then by posting). An intent that
    /// the term alone reaches draws its best fit from that pattern, so in
    /// this order their fits only fall.
    lightest_first: Vec<(f32, u32)>,
}

impl BroadTerm {
    /// The broad term with `postings` (intent, how many of its patterns use
    /// the term; ascending) among `intent_count` intents. `patterns` are
    /// the patterns that use it with their weights, in the order of its
    /// pattern postings.
    pub fn new(
        postings: &[(u32, u32)],
        intent_count: usize,
        patterns: Vec<(u32, f32)>,
    ) -> BroadTerm {
        let mut intents = vec![0u64; intent_count.div_ceil(64)];
        for &(intent, _) in postings {
            intents[intent as usize / 64] |= 1 << (intent % 64);
        }
        let used_before = intents
            .iter()
            .scan(0, |used, word| {
                let before = *used;
                *used += word.count_ones();
                Some(before)
            })
            .collect();
        let first_patterns = postings
            .iter()
            .scan(0, |first, &(_, count)| {
                let first_pattern = *first;
                *first += count;
                Some(first_pattern)
            })
            .collect();
        let mut term = BroadTerm {
            intents,
            used_before,
            first_patterns,
            patterns,
            lightest_first: Vec::new(),
        };
        term.lightest_first = (0..term.first_patterns.len())
            .map(|at| {
                let patterns = term.posting(at);
                let lightest = patterns.iter().map(|&(_, weight)| weight);
                (lightest.fold(f32::INFINITY, f32::min), at as u32)
            })
            .collect();
        term.lightest_first
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        term
    }

    /// Its intent postings, each with the weight of the intent's lightest
    /// pattern that uses the term, lightest first.
    pub fn lightest_first(&self) -> &[(f32, u32)] {
        &self.lightest_first
    }

    /// Where `intent` is in the term's intent postings, if it uses the
    /// term.
    pub fn posting_of(&self, intent: u32) -> Option<usize> {
        let word = intent as usize / 64;
        let below = (1u64 << (intent % 64)) - 1;
        let bits_below = (self.intents[word] & below).count_ones();
        self.has(intent)
            .then(|| (self.used_before[word] + bits_below) as usize)
    }

    /// Whether `intent` uses the term.
    pub fn has(&self, intent: u32) -> bool {
        self.intents[intent as usize / 64] & (1 << (intent % 64)) != 0
    }

    /// The patterns that use the term, with their weights, of the intent
    /// at `posting` of the term's intent postings.
    pub fn posting(&self, posting: usize) -> &[(u32, f32)] {
        let start = self.first_patterns[posting] as usize;
        let end = self.first_patterns.get(posting + 1);
        &self.patterns[start..end.map_or(self.patterns.len(), |&end| end as usize)]
    }
}

/// Every term's [`BroadTerm`], if it is broad.
#[derive(Clone, Debug, Default)]
pub struct BroadTerms(Vec<Option<Box<BroadTerm>>>);

impl BroadTerms {
    pub fn new(index: &TermIndex) -> BroadTerms {
        let intent_count = index.intent_sizes().len();
        let broad_term = |term: TermId| {
            let patterns = index.patterns_with(term);
            let patterns = patterns.iter().map(|&p| (p, index.shape(p).weight));
            BroadTerm::new(index.intents_with(term), intent_count, patterns.collect())
        };
        let terms = (0..index.term_count() as TermId)
            .map(|term| index.is_broad(term).then(|| Box::new(broad_term(term))))
            .collect();
        BroadTerms(terms)
    }

    /// What scoring keeps of `term` if it is broad.
    pub fn get(&self, term: TermId) -> Option<&BroadTerm> {
        self.0[term as usize].as_deref()
    }
}

/// The intents that at least two of `terms` use, ascending, but for those
/// set in `excluded` (one bit per intent). The cost follows the number of
/// intents over 64, not the postings.
pub fn shared_intents(terms: &[&BroadTerm], excluded: &[u64]) -> Vec<u32> {
    let words = terms.iter().map(|t| t.intents.len()).min().unwrap_or(0);
    // Term by term over whole bitmaps: loops the compiler turns into wide
    // vector instructions.
    let (mut seen, mut twice) = (vec![0u64; words], vec![0u64; words]);
    for term in terms {
        for ((seen, twice), &bits) in seen.iter_mut().zip(&mut twice).zip(&term.intents) {
            *twice |= *seen & bits;
            *seen |= bits;
        }
    }
    for (twice, &excluded) in twice.iter_mut().zip(excluded) {
        *twice &= !excluded;
    }
    let count = twice.iter().map(|bits| bits.count_ones() as usize).sum();
    let mut shared = Vec::with_capacity(count);
    for (word, mut bits) in (0..).zip(twice) {
        while bits != 0 {
            shared.push(word * 64 + bits.trailing_zeros());
            bits &= bits - 1;
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A broad term used once by each of `intents`.
    fn used_by(intents: &[u32], intent_count: usize) -> BroadTerm {
        let postings: Vec<(u32, u32)> = intents.iter().map(|&intent| (intent, 1)).collect();
        let patterns = (0..).zip(vec![1.0; intents.len()]).collect();
        BroadTerm::new(&postings, intent_count, patterns)
    }

    #[test]
    fn finds_each_intents_postings() {
        let weights = [2.0, 1.5, 3.0, 0.5, 4.0, 2.5, 2.0];
        let patterns: Vec<(u32, f32)> = (10..).zip(weights).collect();
        let postings = [(0, 2), (63, 1), (64, 3), (130, 1)];
        let term = BroadTerm::new(&postings, 131, patterns.clone());
        let found: Vec<(u32, usize)> = (0..131)
            .filter_map(|i| Some((i, term.posting_of(i)?)))
            .collect();
        assert_eq!(found, [(0, 0), (63, 1), (64, 2), (130, 3)]);
        assert_eq!(term.posting(0), &patterns[0..2]);
        assert_eq!(term.posting(2), &patterns[3..6]);
        assert_eq!(term.posting(3), &patterns[6..7]);
        assert_eq!(
            term.lightest_first(),
            [(0.5, 2), (1.5, 0), (2.0, 3), (3.0, 1)]
        );
    }

    #[test]
    fn finds_the_intents_two_terms_or_more_share() {
        let a = used_by(&[1, 5, 70, 200], 201);
        let b = used_by(&[5, 6, 200], 201);
        let c = used_by(&[1, 6, 199], 201);
        let none = [0; 4];
        assert_eq!(shared_intents(&[&a, &b, &c], &none), [1, 5, 6, 200]);
        assert_eq!(shared_intents(&[&a, &b], &none), [5, 200]);
        assert_eq!(
            shared_intents(&[&a, &b, &c], &[1 << 5, 0, 0, 1 << 8]),
            [1, 6]
        );
        assert_eq!(shared_intents(&[&a], &none), Vec::<u32>::new());
        assert_eq!(shared_intents(&[], &none), Vec::<u32>::new());
    }
}
