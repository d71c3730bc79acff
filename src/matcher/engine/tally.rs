//! Working memory for scoring one question: the evidence each touched
//! pattern and intent has collected.
//!
//! Scoring adds a question's terms to every pattern and intent in their
//! postings. Dense arrays indexed by pattern and intent make each addition
//! one store, with no sorting or merging of postings; they are kept per
//! thread and reused, and only the entries the last question touched are
//! cleared, so a question costs what it touches, however many intents
//! there are.

use std::cell::RefCell;

/// What one intent has collected for the question.
#[derive(Clone, Copy, Debug, Default)]
pub struct IntentTally {
    /// The evidence of the question terms its patterns use.
    pub hit: f32,
    /// The word model's log-likelihood of the question.
    pub log_likelihood: f32,
    /// Its best pattern's F-measure, and which pattern that is.
    pub best_fit: f32,
    pub best_pattern: u32,
    touched: bool,
}

impl IntentTally {
    /// The tally of an intent the question has just touched, started at
    /// `log_likelihood` (its word-model prior), with no pattern yet.
    pub fn started(log_likelihood: f32) -> IntentTally {
        IntentTally {
            log_likelihood,
            best_fit: f32::NEG_INFINITY,
            touched: true,
            ..IntentTally::default()
        }
    }

    /// Keeps the best fit, and of equally good patterns the first,
    /// whatever order they are offered in.
    pub fn offer(&mut self, fit: f32, pattern: u32) {
        if fit > self.best_fit || (fit == self.best_fit && pattern < self.best_pattern) {
            self.best_fit = fit;
            self.best_pattern = pattern;
        }
    }
}

#[derive(Debug, Default)]
pub struct QuestionTally {
    /// Per pattern: the evidence of the question terms it uses.
    pattern_hits: Vec<f32>,
    touched_patterns: Vec<u32>,
    intents: Vec<IntentTally>,
    touched_intents: Vec<u32>,
}

thread_local! {
    static TALLY: RefCell<QuestionTally> = RefCell::default();
}

/// Runs `score` with this thread's tally, emptied and sized for `patterns`
/// patterns and `intents` intents.
pub fn with_tally<R>(
    patterns: usize,
    intents: usize,
    score: impl FnOnce(&mut QuestionTally) -> R,
) -> R {
    TALLY.with_borrow_mut(|tally| {
        tally.clear(patterns, intents);
        score(tally)
    })
}

impl QuestionTally {
    /// Clears what the last question touched (also when it was cut short by
    /// a panic) and grows the arrays to the matcher at hand.
    fn clear(&mut self, patterns: usize, intents: usize) {
        for pattern in self.touched_patterns.drain(..) {
            self.pattern_hits[pattern as usize] = 0.0;
        }
        for intent in self.touched_intents.drain(..) {
            self.intents[intent as usize] = IntentTally::default();
        }
        if self.pattern_hits.len() < patterns {
            self.pattern_hits.resize(patterns, 0.0);
        }
        if self.intents.len() < intents {
            self.intents.resize(intents, IntentTally::default());
        }
    }

    /// Adds `evidence` (positive) to each of `patterns`.
    pub fn add_to_patterns(&mut self, patterns: impl IntoIterator<Item = u32>, evidence: f32) {
        for pattern in patterns {
            let hit = &mut self.pattern_hits[pattern as usize];
            if *hit == 0.0 {
                self.touched_patterns.push(pattern);
            }
            *hit += evidence;
        }
    }

    /// The intent's tally, started at `log_likelihood` (its word-model
    /// prior) when the question first touches it.
    pub fn intent(
        &mut self,
        intent: u32,
        log_likelihood: impl FnOnce() -> f32,
    ) -> &mut IntentTally {
        let tally = &mut self.intents[intent as usize];
        if !tally.touched {
            *tally = IntentTally::started(log_likelihood());
            self.touched_intents.push(intent);
        }
        tally
    }

    /// Whether the question touched `intent`.
    pub fn has_intent(&self, intent: u32) -> bool {
        self.intents[intent as usize].touched
    }

    /// Offers every touched pattern to its intent: `fit(pattern, hit)`
    /// names the pattern's intent and how well it fits the question.
    pub fn fit_patterns(&mut self, mut fit: impl FnMut(u32, f32) -> (u32, f32)) {
        for &pattern in &self.touched_patterns {
            let (intent, fit) = fit(pattern, self.pattern_hits[pattern as usize]);
            self.intents[intent as usize].offer(fit, pattern);
        }
    }

    /// A touched intent's tally, with a test of whether
    /// [`QuestionTally::add_to_patterns`] reached a pattern, to offer it the
    /// patterns it did not.
    pub fn intent_and_touched(
        &mut self,
        intent: u32,
    ) -> (&mut IntentTally, impl Fn(u32) -> bool + '_) {
        let pattern_hits = &self.pattern_hits;
        let is_touched = |pattern: u32| pattern_hits[pattern as usize] != 0.0;
        (&mut self.intents[intent as usize], is_touched)
    }

    /// Every touched intent with its tally, in the order first touched.
    pub fn intents(&self) -> impl Iterator<Item = (u32, &IntentTally)> + '_ {
        self.touched_intents
            .iter()
            .map(|&intent| (intent, &self.intents[intent as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_evidence_and_clears_only_what_was_touched() {
        let hits = with_tally(10, 3, |tally| {
            tally.add_to_patterns([2, 5], 0.5);
            tally.add_to_patterns([5], 0.25);
            tally.intent(1, || -3.0).hit += 0.75;
            tally.intent(1, || unreachable!("started once")).hit += 0.25;
            let mut hits = Vec::new();
            tally.fit_patterns(|pattern, hit| {
                hits.push((pattern, hit));
                (1, hit)
            });
            hits.sort_by_key(|&(pattern, _)| pattern);
            let intents: Vec<(u32, f32, f32)> = tally
                .intents()
                .map(|(intent, t)| (intent, t.hit, t.log_likelihood))
                .collect();
            assert_eq!(intents, [(1, 1.0, -3.0)]);
            hits
        });
        assert_eq!(hits, [(2, 0.5), (5, 0.75)]);
        with_tally(10, 3, |tally| {
            assert_eq!(tally.intents().count(), 0);
            tally.intent(2, || 0.0);
            tally.add_to_patterns([5], 0.5);
            let mut hits = Vec::new();
            tally.fit_patterns(|pattern, hit| {
                hits.push((pattern, hit));
                (2, hit)
            });
            assert_eq!(hits, [(5, 0.5)], "only this question's evidence");
        });
    }

    #[test]
    fn keeps_the_first_of_equally_good_patterns() {
        with_tally(10, 2, |tally| {
            tally.intent(0, || 0.0);
            tally.add_to_patterns([7, 3, 1], 1.0);
            tally.fit_patterns(|pattern, _| (0, if pattern == 1 { 0.4 } else { 0.5 }));
            let (_, best) = tally.intents().next().unwrap();
            assert_eq!((best.best_fit, best.best_pattern), (0.5, 3));
        });
    }
}
