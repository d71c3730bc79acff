//! The indexed matcher against the brute-force reference that scans every
//! known word and every pattern: the indexes may only make it faster.

mod support;

use ir_advisor::evaluation::{add_typing_noise, evaluate_with, parse_tsv, Labelled, FALLBACK_LANG};
use ir_advisor::matcher::reference::{
    analyze_exhaustively, classify_exhaustively, rank_exhaustively,
};
use ir_advisor::matcher::Matcher;

fn dev_rows() -> Vec<Labelled> {
    let text = std::fs::read_to_string(support::data_file("dev.tsv")).unwrap();
    parse_tsv(&text).unwrap()
}

/// The dev questions as typed, then each with seeded typos.
fn questions() -> Vec<String> {
    let rows = dev_rows();
    let mut rng = fastrand::Rng::with_seed(5);
    let noisy: Vec<String> = rows
        .iter()
        .map(|row| add_typing_noise(&row.question, &mut rng))
        .collect();
    rows.into_iter()
        .map(|row| row.question)
        .chain(noisy)
        .collect()
}

#[test]
fn reads_and_ranks_every_question_as_the_reference_does() {
    let matcher = Matcher::new(&support::shipped_intents());
    for question in questions() {
        let analysis = matcher.analyze(&question, FALLBACK_LANG);
        assert_eq!(
            analysis,
            analyze_exhaustively(&matcher, &question, FALLBACK_LANG),
            "{question:?}"
        );
        assert_eq!(
            matcher.rank(&analysis),
            rank_exhaustively(&matcher, &analysis),
            "{question:?}"
        );
    }
}

#[test]
fn answers_the_dev_set_at_least_as_well_as_the_reference() {
    let matcher = Matcher::new(&support::shipped_intents());
    let rows = dev_rows();
    let indexed = evaluate_with(&rows, |q| matcher.classify(q, FALLBACK_LANG));
    let reference = evaluate_with(&rows, |q| classify_exhaustively(&matcher, q, FALLBACK_LANG));
    assert!(
        indexed.overall.right >= reference.overall.right,
        "indexed {:?}, reference {:?}",
        indexed.overall,
        reference.overall
    );
    for row in &rows {
        assert_eq!(
            matcher.classify(&row.question, FALLBACK_LANG),
            classify_exhaustively(&matcher, &row.question, FALLBACK_LANG),
            "{:?}",
            row.question
        );
    }
}
