//! The intents' patterns as weighted terms, with postings from each term to
//! the patterns and intents that use it, so that scoring a question touches
//! only what shares a word with it.

use rustc_hash::FxHashMap;

use super::broad::BROAD_FROM_INTENTS;
use super::dense::{group_patterns, pick_dense_terms, DenseGroup, DenseMask};
use crate::lang::Lang;
use crate::matcher::model::inverse_intent_frequency;

pub type TermId = u32;

/// A pattern reduced to its distinct terms.
#[derive(Clone, Debug)]
pub struct IndexedPattern {
    pub intent: usize,
    pub lang: Lang,
    pub text: String,
    pub terms: Vec<TermId>,
}

/// What scoring reads of a pattern, kept apart from its text and terms so
/// that the thousands a common word touches sit packed in a few cache lines.
#[derive(Clone, Copy, Debug)]
pub struct PatternShape {
    pub intent: u32,
    /// The sum of its terms' weights: what a perfect match covers.
    pub weight: f32,
    /// The dense terms it uses.
    pub dense: DenseMask,
}

#[derive(Clone, Debug, Default)]
pub struct TermIndex {
    /// Term -> id. Looked up for every question word in every language:
    /// Fx hashing, as the keys are short and not attacker-chosen in bulk.
    ids: FxHashMap<String, TermId>,
    names: Vec<String>,
    weights: Vec<f32>,
    pattern_postings: Vec<Vec<u32>>,
    /// Term -> (intent, how many of its patterns use the term).
    intent_postings: Vec<Vec<(u32, u32)>>,
    /// Intent -> the number of (pattern, term) pairs it has, the size of
    /// its "document" for the word model.
    intent_sizes: Vec<u32>,
    pub patterns: Vec<IndexedPattern>,
    /// Per pattern, by the same number: what scoring needs of it.
    shapes: Vec<PatternShape>,
    /// Per term: its bit if it is dense (see [`super::dense`]).
    dense_bits: Vec<Option<u8>>,
    /// Per intent: its patterns that use dense terms, grouped by which.
    dense_groups: Vec<Vec<DenseGroup>>,
}

/// A pattern to index: its intent, language, text and normalised terms.
pub struct PatternInput {
    pub intent: usize,
    pub lang: Lang,
    pub text: String,
    pub terms: Vec<String>,
}

impl TermIndex {
    /// Indexes the patterns intent by intent (each intent's in the order
    /// given): an intent's patterns get consecutive numbers, so every
    /// posting list comes out sorted both by pattern and by intent.
    #[cfg(test)]
    pub fn build(inputs: Vec<PatternInput>, intents: usize) -> TermIndex {
        TermIndex::build_weighing(inputs, intents, intents)
    }

    /// [`TermIndex::build`], weighing terms by the first `topics` intents
    /// alone: the decline kinds numbered after them are ranked like
    /// intents, but their wide-ranging examples would make every common
    /// word look less telling among the topics.
    pub fn build_weighing(
        mut inputs: Vec<PatternInput>,
        intents: usize,
        topics: usize,
    ) -> TermIndex {
        inputs.sort_by_key(|input| input.intent);
        let mut index = TermIndex {
            intent_sizes: vec![0; intents],
            ..TermIndex::default()
        };
        for input in inputs {
            let pattern_id = index.patterns.len() as u32;
            let mut terms: Vec<TermId> = input.terms.iter().map(|t| index.intern(t)).collect();
            terms.sort_unstable();
            terms.dedup();
            for &term in &terms {
                index.pattern_postings[term as usize].push(pattern_id);
                count_owner(&mut index.intent_postings[term as usize], input.intent);
            }
            index.intent_sizes[input.intent] += terms.len() as u32;
            index.patterns.push(IndexedPattern {
                intent: input.intent,
                lang: input.lang,
                text: input.text,
                terms,
            });
        }
        index.weights = index
            .intent_postings
            .iter()
            .map(|owners| {
                let topic_owners = owners
                    .iter()
                    .filter(|&&(intent, _)| (intent as usize) < topics);
                inverse_intent_frequency(topics, topic_owners.count())
            })
            .collect();
        let pattern_counts: Vec<usize> = index.pattern_postings.iter().map(Vec::len).collect();
        index.dense_bits = pick_dense_terms(&pattern_counts, index.patterns.len());
        index.shapes = index
            .patterns
            .iter()
            .map(|pattern| index.shape_of(pattern))
            .collect();
        index.dense_groups = group_patterns(&index.shapes, intents);
        index
    }

    fn shape_of(&self, pattern: &IndexedPattern) -> PatternShape {
        let terms = pattern.terms.iter().map(|&t| t as usize);
        PatternShape {
            intent: pattern.intent as u32,
            weight: terms.clone().map(|t| self.weights[t]).sum(),
            dense: terms
                .filter_map(|t| self.dense_bits[t])
                .fold(0, |mask, bit| mask | 1 << bit),
        }
    }

    fn intern(&mut self, term: &str) -> TermId {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as TermId;
        self.ids.insert(term.to_owned(), id);
        self.names.push(term.to_owned());
        self.pattern_postings.push(Vec::new());
        self.intent_postings.push(Vec::new());
        id
    }

    pub fn id(&self, term: &str) -> Option<TermId> {
        self.ids.get(term).copied()
    }

    pub fn name(&self, term: TermId) -> &str {
        &self.names[term as usize]
    }

    pub fn weight(&self, term: TermId) -> f32 {
        self.weights[term as usize]
    }

    /// The heaviest weight any term has: what a word never seen weighs.
    pub fn max_weight(&self) -> f32 {
        self.weights.iter().copied().fold(0.0, f32::max)
    }

    /// The term's bit if it is dense.
    pub fn dense_bit(&self, term: TermId) -> Option<u8> {
        self.dense_bits[term as usize]
    }

    /// The intent's patterns that use dense terms, grouped by which.
    pub fn dense_groups(&self, intent: u32) -> &[DenseGroup] {
        &self.dense_groups[intent as usize]
    }

    /// Whether so many intents use `term` that scoring does not walk its
    /// postings (see [`super::broad`]).
    pub fn is_broad(&self, term: TermId) -> bool {
        self.intents_with(term).len() >= BROAD_FROM_INTENTS
    }

    pub fn shape(&self, pattern: u32) -> PatternShape {
        self.shapes[pattern as usize]
    }

    pub fn patterns_with(&self, term: TermId) -> &[u32] {
        &self.pattern_postings[term as usize]
    }

    /// The intents whose patterns use `term`, with how many patterns do.
    pub fn intents_with(&self, term: TermId) -> &[(u32, u32)] {
        &self.intent_postings[term as usize]
    }

    /// How many (pattern, term) pairs each intent has.
    pub fn intent_sizes(&self) -> &[u32] {
        &self.intent_sizes
    }

    pub fn term_count(&self) -> usize {
        self.names.len()
    }
}

/// Counts one more pattern of `intent` in a term's intent postings, whose
/// patterns arrive intent by intent.
fn count_owner(owners: &mut Vec<(u32, u32)>, intent: usize) {
    let intent = intent as u32;
    match owners.last_mut() {
        Some((owner, count)) if *owner == intent => *count += 1,
        _ => owners.push((intent, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(intent: usize, terms: &[&str]) -> PatternInput {
        PatternInput {
            intent,
            lang: Lang::EN,
            text: terms.join(" "),
            terms: terms.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn weighs_rare_words_over_common_ones() {
        let index = TermIndex::build(
            vec![
                input(0, &["what", "fellowship"]),
                input(1, &["what", "residency"]),
                input(1, &["what", "residency", "residency"]),
            ],
            2,
        );
        let what = index.id("what").unwrap();
        let fellowship = index.id("fellowship").unwrap();
        assert!(index.weight(fellowship) > index.weight(what));
        assert_eq!(index.patterns_with(what), [0, 1, 2]);
        assert_eq!(index.intents_with(what), [(0, 1), (1, 2)]);
        assert_eq!(index.intent_sizes(), [2, 4]);
        assert_eq!(
            index.patterns[2].terms.len(),
            2,
            "a repeated word counts once"
        );
        assert_eq!(index.max_weight(), index.weight(fellowship));
    }

    #[test]
    fn lists_postings_by_pattern_and_intent() {
        let index = TermIndex::build(
            vec![
                input(0, &["what", "fellowship"]),
                input(1, &["residency", "what"]),
                input(1, &["residency"]),
            ],
            2,
        );
        let [residency, what, fellowship] =
            ["residency", "what", "fellowship"].map(|t| index.id(t).unwrap());
        assert_eq!(index.patterns_with(residency), [1, 2]);
        assert_eq!(index.intents_with(residency), [(1, 2)]);
        assert_eq!(index.intents_with(what), [(0, 1), (1, 1)]);
        assert_eq!(index.patterns_with(fellowship), [0]);
        assert_eq!(index.shape(2).intent, 1);
        assert_eq!(index.shape(2).weight, index.weight(residency));
    }

    #[test]
    fn numbers_patterns_intent_by_intent() {
        let index = TermIndex::build(
            vec![input(1, &["b"]), input(0, &["a"]), input(1, &["c"])],
            2,
        );
        let texts: Vec<&str> = index.patterns.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c"]);
    }
}
