//! The engine against the model, on the shipped intents and on random
//! intent sets built to take the engine's shortcuts (dense and broad
//! terms): the engine may only be faster.
//!
//! The engine sums in `f32`, in an order chosen for speed; the model sums
//! in `f64`, term by term. So they agree up to [`TOLERANCE`]: every
//! intent's score within it, the same intents ranked, in the same order
//! but where two of the model's scores lie within it of each other, the
//! same best pattern but where two fit within it, and the same decision.

use std::collections::HashMap;
use std::path::Path;

use super::model::{Model, ModelScore};
use super::{Asked, Match, Matcher};
use crate::evaluation::{add_typing_noise, parse_tsv, FALLBACK_LANG};
use crate::intents::{parse_intent, IntentSet};
use crate::lexicon::Lexicon;

/// How far apart the engine's and the model's scores may be.
const TOLERANCE: f64 = 1e-5;

/// The dev questions as typed, then each with seeded typos.
fn dev_questions() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv");
    let rows = parse_tsv(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut rng = fastrand::Rng::with_seed(5);
    let noisy: Vec<String> = rows
        .iter()
        .map(|row| add_typing_noise(&row.question, &mut rng))
        .collect();
    let typed = rows.into_iter().map(|row| row.question);
    typed.chain(noisy).collect()
}

/// Checks that the engine reads, ranks and decides `question` as the
/// model does.
fn assert_engine_agrees(matcher: &Matcher, model: &Model, question: &str) {
    let analysis = matcher.analyze(question, FALLBACK_LANG);
    assert_eq!(
        analysis,
        matcher.analyze_by_scanning(question, FALLBACK_LANG),
        "{question:?}: typos corrected by the deletion index as by scanning"
    );
    let engine = matcher.rank(&analysis);
    let asked = matcher.model_question(&analysis);
    let by_model = model.rank(&asked);
    assert_eq!(engine.len(), by_model.len(), "{question:?}: intents ranked");
    let of_model: HashMap<usize, &ModelScore> = by_model.iter().map(|s| (s.intent, s)).collect();
    for scored in &engine {
        let expected = of_model[&scored.intent];
        let what = format!("{question:?}: intent {}", scored.intent);
        assert_close(scored.score as f64, expected.score, &what);
        if scored.best_pattern != expected.best_pattern {
            let fit = model.fit(&asked, scored.best_pattern);
            assert_close(fit, expected.best_fit, &format!("{what}'s best pattern"));
        }
    }
    for pair in engine.windows(2) {
        let (first, second) = (of_model[&pair[0].intent], of_model[&pair[1].intent]);
        assert!(
            first.score >= second.score - TOLERANCE,
            "{question:?}: the engine ranks {} over {}, the model {} < {}",
            first.intent,
            second.intent,
            first.score,
            second.score
        );
    }
    let decided = matcher
        .classify_text(question, FALLBACK_LANG, Asked::Alone)
        .found;
    let ranked = by_model.iter().map(|s| (s.intent, s.score as f32));
    let expected: Match = matcher.decide(&analysis, ranked).found;
    assert_eq!(decided.decision, expected.decision, "{question:?}");
    assert_eq!(decided.intent, expected.intent, "{question:?}");
    assert_close(
        decided.confidence as f64,
        expected.confidence as f64,
        question,
    );
    let ids = |found: &Match| -> Vec<String> {
        found.candidates.iter().map(|c| c.intent.clone()).collect()
    };
    assert_eq!(ids(&decided), ids(&expected), "{question:?}");
}

fn assert_close(engine: f64, model: f64, what: &str) {
    assert!(
        (engine - model).abs() <= TOLERANCE,
        "{what}: the engine says {engine}, the model {model}"
    );
}

#[test]
fn ranks_the_dev_questions_on_the_shipped_intents_as_the_model_does() {
    let matcher = crate::shipped::matcher();
    let model = matcher.model();
    for question in dev_questions() {
        assert_engine_agrees(matcher, &model, &question);
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

/// A matcher over intents `t0`, `t1`, ... with these patterns in both
/// languages, and no lexicon.
fn matcher_of(intents: &[Vec<String>]) -> Matcher {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let parsed = intents.iter().enumerate().map(|(number, patterns)| {
        let patterns: Vec<String> = patterns.iter().map(|p| format!("{p:?}")).collect();
        let patterns = patterns.join(", ");
        let table = |lang: &str| {
            format!("\n[{lang}]\ntitle = \"T\"\npatterns = [{patterns}]\nanswer = \"A.\"\n")
        };
        let file = format!(
            "topic = \"about\"\nsources = []\nrelated = []\n{}{}",
            table("en"),
            table("id")
        );
        let id = format!("t{number}");
        parse_intent(&id, Path::new(&id), &file, today).unwrap()
    });
    Matcher::new(&IntentSet::new(parsed.collect(), Lexicon::default()))
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

#[test]
fn ranks_random_intent_sets_as_the_model_does() {
    let words: Vec<String> = FEW_WORDS.iter().map(|w| w.to_string()).collect();
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..20 {
        // Each intent's own marker word keeps patterns of two intents from
        // colliding, which the loader refuses.
        let intents: Vec<Vec<String>> = (0..rng.usize(2..9))
            .map(|intent| {
                let count = rng.usize(1..12);
                let phrases = phrases_of(&words, &mut rng, count).into_iter();
                let marked = phrases.map(|mut phrase| {
                    phrase.push(format!("topic{intent}"));
                    rng.shuffle(&mut phrase);
                    phrase.join(" ")
                });
                marked.collect()
            })
            .collect();
        let matcher = matcher_of(&intents);
        let model = matcher.model();
        for phrase in phrases_of(&words, &mut rng, 30) {
            let question = add_typing_noise(&phrase.join(" "), &mut rng);
            assert_engine_agrees(&matcher, &model, &question);
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

#[test]
fn ranks_intent_sets_with_broad_terms_as_the_model_does() {
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
    let (broad, dense) = matcher.engine.shortcut_terms();
    assert!(broad > 20, "most words are broad");
    assert!(dense > 0, "{DENSE_WORD} is dense");
    let model = matcher.model();
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
        assert_engine_agrees(&matcher, &model, &question);
    }
}
