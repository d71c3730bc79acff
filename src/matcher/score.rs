//! How evidence becomes a score and a confidence. Every tuning constant of
//! the matcher lives here, named and explained.

/// What a question word that no pattern uses weighs, as a share of the
/// rarest known word. High, so that a question about something the intents
/// never mention ("salary", "weather") is mostly unexplained and declined;
/// below one, so that a few stray words in a long question do not sink it.
/// Measured: 0.6 to 1.0 trade out-of-scope recall against cross-validated
/// accuracy; 0.8 balances them.
pub const UNKNOWN_WORD_SHARE: f32 = 0.8;

/// How much the share of the pattern found in the question counts against
/// the share of the question found in the pattern (the β of an
/// F-measure). Balanced: favouring the pattern side let questions about
/// another profession ("how do I become a cardiologist") ride on a
/// pattern's generic words.
pub const PATTERN_RECALL_BETA: f32 = 1.0;

/// The best single pattern's share of an intent's score; the rest is how
/// much of the question the intent's whole vocabulary explains, which helps
/// long questions that combine words from several of its patterns.
/// Measured with ~30 patterns per intent and language: 0.6 to 0.7 raise
/// cross-validated accuracy (0.850 -> 0.853) and leave dev, noise and
/// holdout as they were; a word shared with a sibling pattern says more
/// than a word found anywhere in the intent.
pub const BEST_PATTERN_SHARE: f32 = 0.7;

/// The share of an intent's score that comes from the word model (naive
/// Bayes over the intent's patterns): it learns which words an intent uses
/// across all its patterns, so it generalises to phrasings that match no
/// single pattern well.
pub const WORD_MODEL_SHARE: f32 = 0.3;

/// Additive smoothing of the word model: how much a word an intent never
/// uses still counts for it.
pub const WORD_MODEL_SMOOTHING: f32 = 0.1;

/// How strongly a close runner-up lowers the confidence: at 0.5 a tie
/// halves it.
pub const MARGIN_PENALTY: f32 = 0.35;

/// Below this confidence the matcher declines rather than guess.
pub const DECLINE_BELOW: f32 = 0.22;

/// Candidates below this confidence are not worth offering as "did you
/// mean" suggestions.
pub const SUGGEST_FROM: f32 = 0.12;

// The constants are shares and thresholds: checked when the crate builds.
const _: () = {
    let shares = [
        UNKNOWN_WORD_SHARE,
        BEST_PATTERN_SHARE,
        WORD_MODEL_SHARE,
        MARGIN_PENALTY,
        DECLINE_BELOW,
        SUGGEST_FROM,
    ];
    let mut i = 0;
    while i < shares.len() {
        assert!(shares[i] >= 0.0 && shares[i] <= 1.0);
        i += 1;
    }
    assert!(SUGGEST_FROM < DECLINE_BELOW);
    assert!(PATTERN_RECALL_BETA > 0.0 && WORD_MODEL_SMOOTHING > 0.0);
};

/// The F-measure of the share of the question a pattern covers
/// (`hit / question_weight`) and the share of the pattern the question
/// covers (`hit / pattern_weight`), 0 when nothing is shared. Written as
/// one division: it runs for every pattern a question touches.
pub fn f_measure(hit: f32, question_weight: f32, pattern_weight: f32) -> f32 {
    let beta2 = PATTERN_RECALL_BETA * PATTERN_RECALL_BETA;
    let denominator = beta2 * pattern_weight + question_weight;
    if hit <= 0.0 || denominator <= 0.0 {
        0.0
    } else {
        (1.0 + beta2) * hit / denominator
    }
}

/// A best-pattern F-measure this close to one means the question says
/// exactly what one of the intent's examples says.
const EXACT_MATCH: f32 = 0.9999;

/// An intent's score from its best pattern, its whole vocabulary and the
/// word model's probability for it. A question that is one of the intent's
/// own examples, word for word once normalised, scores 1: the maintainer
/// said so.
pub fn intent_score(best_pattern: f32, vocabulary_covered: f32, word_model: f32) -> f32 {
    if best_pattern >= EXACT_MATCH {
        return 1.0;
    }
    let evidence =
        BEST_PATTERN_SHARE * best_pattern + (1.0 - BEST_PATTERN_SHARE) * vocabulary_covered;
    // The word model only ranks intents against each other (its
    // probabilities always sum to one); scaling it by how much of the
    // question the intent explains keeps it from vouching for a question
    // that is about something else.
    (1.0 - WORD_MODEL_SHARE) * evidence + WORD_MODEL_SHARE * word_model * vocabulary_covered
}

/// The word model's log-likelihood contribution of one question word for
/// an intent that uses it in `count` of its `size` (pattern, word) pairs,
/// among `vocabulary` distinct words.
pub fn word_log_likelihood(count: u32, size: u32, vocabulary: usize) -> f32 {
    let smoothing = WORD_MODEL_SMOOTHING;
    ((count as f32 + smoothing) / (size as f32 + smoothing * vocabulary as f32)).ln()
}

/// The best score, lowered when the runner-up is close behind: two intents
/// that explain a question equally well make either answer a guess.
pub fn confidence(best: f32, runner_up: f32) -> f32 {
    if best <= 0.0 {
        return 0.0;
    }
    let closeness = (runner_up / best).clamp(0.0, 1.0);
    (best * (1.0 - MARGIN_PENALTY * closeness)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_measure_is_one_only_for_a_full_match() {
        assert_eq!(f_measure(2.0, 2.0, 2.0), 1.0);
        assert_eq!(f_measure(0.0, 2.0, 1.0), 0.0);
        assert!(f_measure(1.0, 1.0, 2.0) < 1.0);
        assert!(f_measure(1.0, 2.0, 1.0) < 1.0);
        let (question_covered, pattern_covered) = (0.5_f32, 0.25_f32);
        let harmonic_mean =
            2.0 * question_covered * pattern_covered / (question_covered + pattern_covered);
        assert!((f_measure(1.0, 2.0, 4.0) - harmonic_mean).abs() < 1e-6);
    }

    #[test]
    fn a_close_runner_up_lowers_confidence() {
        assert!(confidence(0.8, 0.79) < confidence(0.8, 0.2));
        assert_eq!(confidence(0.8, 0.0), 0.8);
        assert_eq!(confidence(0.0, 0.0), 0.0);
        assert!((0.0..=1.0).contains(&confidence(1.0, 1.0)));
    }

    #[test]
    fn intent_score_blends_pattern_vocabulary_and_word_model() {
        assert!((0.99..1.0).contains(&intent_score(0.99, 1.0, 1.0)));
        assert!(intent_score(1.0, 0.0, 0.0) > intent_score(0.0, 1.0, 0.0));
        assert!(intent_score(0.5, 0.5, 1.0) > intent_score(0.5, 0.5, 0.0));
        assert_eq!(
            intent_score(0.0, 0.0, 1.0),
            0.0,
            "the word model alone vouches for nothing"
        );
        assert_eq!(intent_score(1.0, 0.2, 0.0), 1.0, "an exact example wins");
    }

    #[test]
    fn word_model_prefers_words_an_intent_uses() {
        assert!(word_log_likelihood(3, 30, 100) > word_log_likelihood(0, 30, 100));
    }
}
