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

/// Words for random intent sets: few, so that many are dense (used by one
/// pattern in eight or more) and scoring takes its dense-group path.
const FEW_WORDS: [&str; 12] = [
    "radiologist",
    "residency",
    "fellowship",
    "catheter",
    "training",
    "years",
    "school",
    "radiation",
    "salary",
    "patients",
    "procedure",
    "hospital",
];

/// `count` random phrases of one to four of [`FEW_WORDS`], each with
/// `marker` when given.
fn random_phrases(rng: &mut fastrand::Rng, count: usize, marker: Option<&str>) -> Vec<String> {
    (0..count)
        .map(|_| {
            let mut words: Vec<&str> = (0..rng.usize(1..5))
                .map(|_| FEW_WORDS[rng.usize(..FEW_WORDS.len())])
                .collect();
            words.extend(marker);
            rng.shuffle(&mut words);
            words.join(" ")
        })
        .collect()
}

/// A matcher over intents `t0`, `t1`, ... with these patterns.
fn matcher_of(intents: &[Vec<String>]) -> Matcher {
    let files: Vec<(String, String)> = intents
        .iter()
        .enumerate()
        .map(|(intent, patterns)| {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let file = support::intent_toml(&patterns, &[]);
            (format!("t{intent}.toml"), file)
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_str()))
        .collect();
    let folder = support::intent_folder(&files);
    let set = ir_advisor::intents::load_folder(folder.path(), support::today()).unwrap();
    Matcher::new(&set)
}

#[test]
fn ranks_random_intent_sets_as_the_reference_does() {
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..20 {
        // Each intent's own marker word keeps patterns of two intents from
        // colliding, which the loader refuses.
        let intents: Vec<Vec<String>> = (0..rng.usize(2..9))
            .map(|intent| {
                let count = rng.usize(1..12);
                random_phrases(&mut rng, count, Some(&format!("topic{intent}")))
            })
            .collect();
        let matcher = matcher_of(&intents);
        for question in random_phrases(&mut rng, 30, None) {
            let question = add_typing_noise(&question, &mut rng);
            let analysis = matcher.analyze(&question, FALLBACK_LANG);
            assert_eq!(
                matcher.rank(&analysis),
                rank_exhaustively(&matcher, &analysis),
                "{question:?}"
            );
            assert_eq!(
                matcher.classify(&question, FALLBACK_LANG),
                classify_exhaustively(&matcher, &question, FALLBACK_LANG),
                "{question:?}"
            );
        }
    }
}

/// A word a quarter of the patterns use, in intent sets with broad terms.
const DENSE_WORD: &str = "vascular";

/// Words for intent sets with broad terms: [`FEW_WORDS`] and made-up ones,
/// enough that most are sparse, few enough that each is used by many
/// intents.
fn broad_words() -> Vec<String> {
    let made_up = ["ka", "lo", "mi", "ru", "te", "sa", "no", "vi"]
        .iter()
        .flat_map(|start| ["ran", "dol", "mek"].map(|end| format!("{start}{end}")));
    FEW_WORDS
        .iter()
        .map(|w| w.to_string())
        .chain(made_up)
        .collect()
}

/// `count` random phrases of one to four of `words`.
fn phrases_of(words: &[String], rng: &mut fastrand::Rng, count: usize) -> Vec<Vec<String>> {
    (0..count)
        .map(|_| {
            (0..rng.usize(1..5))
                .map(|_| words[rng.usize(..words.len())].clone())
                .collect()
        })
        .collect()
}

fn assert_close(indexed: f32, reference: f32, what: &str) {
    assert!(
        (indexed - reference).abs() <= 1e-5,
        "{what}: {indexed} against {reference}"
    );
}

#[test]
fn ranks_intent_sets_with_broad_terms_as_the_reference_does() {
    let words = broad_words();
    let mut rng = fastrand::Rng::with_seed(23);
    // Most patterns carry their intent's marker word; some are only broad
    // words, light enough that an intent one broad word alone reaches can
    // outscore intents that several reach. One pattern in four also has a
    // word that is dense as well as broad.
    let mut unmarked = std::collections::HashSet::new();
    let intents: Vec<Vec<String>> = (0..300)
        .map(|intent| {
            let count = rng.usize(2..7);
            phrases_of(&words, &mut rng, count)
                .into_iter()
                .map(|mut phrase| {
                    if rng.usize(..4) == 0 {
                        phrase.push(DENSE_WORD.to_owned());
                    }
                    phrase.sort();
                    phrase.dedup();
                    if rng.usize(..3) > 0 || !unmarked.insert(phrase.clone()) {
                        phrase.push(format!("topic{intent}"));
                    }
                    rng.shuffle(&mut phrase);
                    phrase.join(" ")
                })
                .collect()
        })
        .collect();
    let matcher = matcher_of(&intents);
    let index = matcher.index();
    let broad = (0..index.term_count() as u32).filter(|&t| index.is_broad(t));
    assert!(broad.count() > 20, "most words are broad");
    let dense = index.id(DENSE_WORD).and_then(|term| index.dense_bit(term));
    assert!(dense.is_some(), "{DENSE_WORD} is dense");
    for mut phrase in phrases_of(&words, &mut rng, 200) {
        if rng.usize(..3) == 0 {
            phrase.push(DENSE_WORD.to_owned());
        }
        // A narrow word among broad ones makes the intents only a broad
        // word reaches compete with those scored at once.
        if rng.bool() {
            phrase.push(format!("topic{}", rng.usize(..300)));
        }
        let question = add_typing_noise(&phrase.join(" "), &mut rng);
        let analysis = matcher.analyze(&question, FALLBACK_LANG);
        let mut indexed = matcher.rank(&analysis);
        let mut reference = rank_exhaustively(&matcher, &analysis);
        // Summed in another order, the softmax may differ in its last bits.
        indexed.sort_by_key(|scored| scored.intent);
        reference.sort_by_key(|scored| scored.intent);
        assert_eq!(indexed.len(), reference.len(), "{question:?}");
        for (indexed, reference) in indexed.iter().zip(&reference) {
            assert_eq!(indexed.intent, reference.intent, "{question:?}");
            assert_eq!(indexed.best_pattern, reference.best_pattern, "{question:?}");
            assert_close(indexed.score, reference.score, &question);
        }
        let indexed = matcher.classify(&question, FALLBACK_LANG);
        let reference = classify_exhaustively(&matcher, &question, FALLBACK_LANG);
        assert_eq!(indexed.intent, reference.intent, "{question:?}");
        assert_close(indexed.confidence, reference.confidence, &question);
        let ids = |found: &ir_advisor::matcher::Match| -> Vec<String> {
            found.candidates.iter().map(|c| c.intent.clone()).collect()
        };
        assert_eq!(ids(&indexed), ids(&reference), "{question:?}");
    }
}
