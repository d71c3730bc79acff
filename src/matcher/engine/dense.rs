//! Dense terms: the few words most patterns use ("ir" is in three patterns
//! of four). Their postings would make every question touch nearly every
//! pattern, so scoring does not walk them.
//!
//! A pattern's fit to a question rises with the evidence it shares and
//! falls with its own weight. Patterns that share only dense terms with a
//! question, and the same ones, share the same evidence, so of those the
//! lightest fits best. Each intent's patterns are therefore grouped by the
//! dense terms they use, lightest first, and scoring tries only the
//! lightest of each group that no other question term touched: the result
//! is exactly that of scoring every pattern.

use super::index::PatternShape;

/// A term used by at least one pattern in this many is dense.
const DENSE_FROM_ONE_IN: usize = 8;

/// A set of dense terms, one bit each.
pub type DenseMask = u32;

/// At most this many terms are dense: one bit each in a [`DenseMask`].
const MAX_DENSE_TERMS: usize = DenseMask::BITS as usize;

/// An intent's patterns that use the same dense terms.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseGroup {
    pub mask: DenseMask,
    /// By weight, then number: the order their fit to a question falls in.
    pub lightest_first: Vec<u32>,
}

/// Each term's bit if it is dense: the terms used by at least one pattern
/// in [`DENSE_FROM_ONE_IN`], the most used first, up to
/// [`MAX_DENSE_TERMS`]. `pattern_counts` is, per term, how many patterns
/// use it.
pub fn pick_dense_terms(pattern_counts: &[usize], patterns: usize) -> Vec<Option<u8>> {
    let mut dense: Vec<usize> = (0..pattern_counts.len())
        .filter(|&term| pattern_counts[term] * DENSE_FROM_ONE_IN >= patterns.max(1))
        .collect();
    dense.sort_by_key(|&term| (std::cmp::Reverse(pattern_counts[term]), term));
    let mut bits = vec![None; pattern_counts.len()];
    for (bit, &term) in (0..).zip(dense.iter().take(MAX_DENSE_TERMS)) {
        bits[term] = Some(bit);
    }
    bits
}

/// Per intent, its patterns that use dense terms, grouped by which.
pub fn group_patterns(shapes: &[PatternShape], intents: usize) -> Vec<Vec<DenseGroup>> {
    let mut groups: Vec<Vec<DenseGroup>> = vec![Vec::new(); intents];
    for (pattern, shape) in (0..).zip(shapes).filter(|(_, s)| s.dense != 0) {
        let own = &mut groups[shape.intent as usize];
        match own.iter_mut().find(|group| group.mask == shape.dense) {
            Some(group) => group.lightest_first.push(pattern),
            None => own.push(DenseGroup {
                mask: shape.dense,
                lightest_first: vec![pattern],
            }),
        }
    }
    for group in groups.iter_mut().flatten() {
        let weight = |pattern: &u32| shapes[*pattern as usize].weight;
        group
            .lightest_first
            .sort_by(|a, b| weight(a).total_cmp(&weight(b)).then(a.cmp(b)));
    }
    groups
}

/// `start` plus the evidence of the question's dense terms in `mask`, added
/// in the question's order. `question` lists each dense question term's
/// bit and evidence.
pub fn add_dense_evidence(start: f32, mask: DenseMask, question: &[(u8, f32)]) -> f32 {
    question
        .iter()
        .filter(|&&(bit, _)| mask & (1 << bit) != 0)
        .fold(start, |hit, &(_, evidence)| hit + evidence)
}

/// The best fit in `group` among the patterns `is_touched` says no other
/// question term reached, all sharing the same evidence: `fit(pattern)`
/// falls along the group's order, so the walk stops at the first drop, and
/// of equal fits the first pattern wins.
pub fn best_untouched(
    group: &DenseGroup,
    is_touched: impl Fn(u32) -> bool,
    fit: impl Fn(u32) -> f32,
) -> Option<(f32, u32)> {
    let mut untouched = group
        .lightest_first
        .iter()
        .copied()
        .filter(|&p| !is_touched(p));
    let first = untouched.next()?;
    let best_fit = fit(first);
    let ties = untouched.take_while(|&p| fit(p) == best_fit);
    Some((best_fit, ties.fold(first, u32::min)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(intent: u32, weight: f32, dense: DenseMask) -> PatternShape {
        PatternShape {
            intent,
            weight,
            dense,
        }
    }

    #[test]
    fn picks_the_terms_most_patterns_use() {
        assert_eq!(
            pick_dense_terms(&[1, 90, 2, 30, 13, 12], 100),
            [None, Some(0), None, Some(1), Some(2), None]
        );
        assert_eq!(pick_dense_terms(&[], 0), []);
        let many = pick_dense_terms(&[50; 40], 100);
        assert_eq!(many.iter().flatten().count(), MAX_DENSE_TERMS);
        assert_eq!(many[0], Some(0), "ties go to the first term");
    }

    #[test]
    fn groups_an_intents_patterns_by_dense_terms_lightest_first() {
        let shapes = [
            shape(0, 3.0, 0b01),
            shape(0, 2.0, 0b01),
            shape(0, 2.0, 0b11),
            shape(0, 1.0, 0),
            shape(1, 5.0, 0b01),
            shape(1, 4.0, 0b01),
        ];
        let groups = group_patterns(&shapes, 2);
        assert_eq!(groups[0].len(), 2);
        assert_eq!(groups[0][0].lightest_first, [1, 0]);
        assert_eq!(groups[0][1].lightest_first, [2]);
        assert_eq!(groups[1][0].lightest_first, [5, 4]);
    }

    #[test]
    fn adds_dense_evidence_in_the_questions_order() {
        let question = [(3, 0.5), (0, 0.25)];
        assert_eq!(add_dense_evidence(1.0, 0b1001, &question), 1.75);
        assert_eq!(add_dense_evidence(1.0, 0b0001, &question), 1.25);
        assert_eq!(add_dense_evidence(1.0, 0b0100, &question), 1.0);
    }

    #[test]
    fn tries_the_lightest_untouched_pattern_and_its_equals() {
        let group = DenseGroup {
            mask: 1,
            lightest_first: vec![7, 4, 2, 9],
        };
        let fits = |p: u32| match p {
            7 | 4 => 0.5,
            2 => 0.5,
            _ => 0.1,
        };
        assert_eq!(best_untouched(&group, |_| false, fits), Some((0.5, 2)));
        assert_eq!(best_untouched(&group, |p| p != 9, fits), Some((0.1, 9)));
        assert_eq!(best_untouched(&group, |_| true, fits), None);
    }
}
