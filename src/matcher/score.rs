//! How evidence becomes a score and a confidence. Every tuning constant of
//! the matcher lives here, named and explained.

/// What a question word that no pattern uses weighs, as a share of the
/// rarest known word. High, so that a question about something the intents
/// never mention ("salary", "weather") is mostly unexplained and declined;
/// below one, so that a few stray words in a long question do not sink it.
pub const UNKNOWN_WORD_SHARE: f32 = 0.6;

/// How much more the share of the pattern found in the question counts than
/// the share of the question found in the pattern (the β of an F-measure).
/// Above one: a short question that hits the heart of a pattern is a good
/// match even when the pattern says more.
pub const PATTERN_RECALL_BETA: f32 = 1.0;

/// The best single pattern's share of an intent's score; the rest is how
/// much of the question the intent's whole vocabulary explains, which helps
/// long questions that combine words from several of its patterns.
pub const BEST_PATTERN_SHARE: f32 = 0.6;

/// How strongly a close runner-up lowers the confidence: at 0.5 a tie
/// halves it.
pub const MARGIN_PENALTY: f32 = 0.35;

/// Below this confidence the matcher declines rather than guess.
pub const DECLINE_BELOW: f32 = 0.3;

/// Candidates below this confidence are not worth offering as "did you
/// mean" suggestions.
pub const SUGGEST_FROM: f32 = 0.12;

/// The F-measure of two coverages, 0 when either is 0.
pub fn f_measure(question_covered: f32, pattern_covered: f32) -> f32 {
    let beta2 = PATTERN_RECALL_BETA * PATTERN_RECALL_BETA;
    let denominator = beta2 * question_covered + pattern_covered;
    if denominator <= 0.0 {
        0.0
    } else {
        (1.0 + beta2) * question_covered * pattern_covered / denominator
    }
}

/// An intent's score from its best pattern and its whole vocabulary.
pub fn intent_score(best_pattern: f32, vocabulary_covered: f32) -> f32 {
    BEST_PATTERN_SHARE * best_pattern + (1.0 - BEST_PATTERN_SHARE) * vocabulary_covered
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
        assert_eq!(f_measure(1.0, 1.0), 1.0);
        assert_eq!(f_measure(0.0, 1.0), 0.0);
        assert!(f_measure(1.0, 0.5) < 1.0);
    }

    #[test]
    fn a_close_runner_up_lowers_confidence() {
        assert!(confidence(0.8, 0.79) < confidence(0.8, 0.2));
        assert_eq!(confidence(0.8, 0.0), 0.8);
        assert_eq!(confidence(0.0, 0.0), 0.0);
        assert!((0.0..=1.0).contains(&confidence(1.0, 1.0)));
    }

    #[test]
    fn intent_score_blends_pattern_and_vocabulary() {
        assert_eq!(intent_score(1.0, 1.0), 1.0);
        assert!(intent_score(1.0, 0.0) > intent_score(0.0, 1.0));
    }

    #[test]
    fn constants_stay_in_their_ranges() {
        for share in [UNKNOWN_WORD_SHARE, BEST_PATTERN_SHARE, MARGIN_PENALTY, DECLINE_BELOW, SUGGEST_FROM] {
            assert!((0.0..=1.0).contains(&share));
        }
        assert!(SUGGEST_FROM < DECLINE_BELOW);
    }
}
