//! What the benchmarks (and the `write_scaled_set` example) share: the
//! shipped intents, the dev questions, and synthetic intent folders of any
//! size, worded from the shipped patterns' vocabulary and generated
//! deterministically, with questions about them.
#![allow(dead_code)] // each bench uses its own share of these

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ir_advisor::check::load_folder;
use ir_advisor::evaluation::{add_typing_noise, parse_tsv};
use ir_advisor::intents::{IntentSet, LEXICON_DIR, REQUIRED_LANGS};
use ir_advisor::lang::Lang;
use ir_advisor::matcher::Matcher;
use ir_advisor::text::tokenize;

/// The allocator the `ir-advisor` binary uses, so the benchmarks measure
/// what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every synthetic intent has this many patterns per language (two
/// languages: 20 patterns an intent).
pub const PATTERNS_PER_LANG: usize = 10;
/// How many distinct questions of each kind `match_scaled` cycles through:
/// as many as `ir-advisor match` is timed with (see the
/// `write_scaled_set` example), so that, as there, each question finds
/// the postings and typo candidates it reads cold in the cache. With a
/// couple of hundred, they all stay cached and the bench is faster than
/// the product.
pub const SCALED_QUESTIONS: usize = 10_000;
/// A word is common when at least one intent in this many uses it (200
/// intents of 10 000): questions made only of common words are the
/// broad-term path's worst case.
pub const COMMON_FROM_ONE_IN: usize = 50;
/// Seeds, so every run measures the same intents and questions.
const INTENTS_SEED: u64 = 2024;
const QUESTIONS_SEED: u64 = 7;
/// Syllables that spell each synthetic intent's own topic word from its
/// number, so that no two intents share one.
const SYLLABLES: [&str; 20] = [
    "ba", "ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "di", "ki", "li", "mi", "ni", "pi", "ri",
    "si", "to", "ku", "lu",
];

pub fn shipped_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("intents")
}

pub fn load(folder: &Path) -> IntentSet {
    load_folder(folder, chrono::Local::now().date_naive()).expect("the intents load")
}

/// The questions of the labelled dev set.
pub fn dev_questions() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv");
    let rows = parse_tsv(&std::fs::read_to_string(path).unwrap()).unwrap();
    rows.into_iter().map(|row| row.question).collect()
}

/// A temporary intents folder of `intents` synthetic intent files, with
/// the shipped lexicons.
pub fn synthetic_folder(intents: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_synthetic_folder(dir.path(), intents);
    dir
}

/// Writes `intents` synthetic intent files and the shipped lexicons into
/// `dir`, an empty or missing folder.
pub fn write_synthetic_folder(dir: &Path, intents: usize) {
    let shipped = load(&shipped_folder());
    let words: Vec<Vec<String>> = REQUIRED_LANGS
        .iter()
        .map(|&lang| words_of(&shipped, lang))
        .collect();
    copy_folder(&shipped_folder().join(LEXICON_DIR), &dir.join(LEXICON_DIR));
    let mut rng = fastrand::Rng::with_seed(INTENTS_SEED);
    for number in 0..intents {
        let text = intent_file(number, &words, &mut rng);
        std::fs::write(dir.join(format!("topic_{number}.toml")), text).unwrap();
    }
}

/// Copies `from` into `to`, sub-folders (the lexicon's word lists) too.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            std::fs::copy(&path, target).unwrap();
        }
    }
}

/// The synthetic set sizes the scaled benchmarks compare: per-question time
/// should barely grow between them.
pub const SCALED_INTENTS: [usize; 2] = [1_000, 10_000];

/// A synthetic set's matcher and questions for it.
pub struct ScaledSet {
    pub matcher: Matcher,
    /// Patterns typed in a hurry.
    pub noisy: Vec<String>,
    /// Questions made only of common words.
    pub common: Vec<String>,
}

/// A matcher over a synthetic set of `intents` intents, with `questions`
/// questions of each kind about them.
pub fn scaled_set(intents: usize, questions: usize) -> ScaledSet {
    let folder = synthetic_folder(intents);
    let set = load(folder.path());
    ScaledSet {
        noisy: noisy_questions(&set, questions),
        common: common_word_questions(&set, questions),
        matcher: Matcher::new(&set),
    }
}

/// `count` questions, each a random pattern of a random intent typed in a
/// hurry.
pub fn noisy_questions(set: &IntentSet, count: usize) -> Vec<String> {
    let intents: Vec<_> = set.iter().collect();
    let mut rng = fastrand::Rng::with_seed(QUESTIONS_SEED);
    (0..count)
        .map(|_| {
            let intent = intents[rng.usize(..intents.len())];
            let text = intent.text(REQUIRED_LANGS[rng.usize(..REQUIRED_LANGS.len())]);
            let pattern = &text.patterns[rng.usize(..text.patterns.len())];
            add_typing_noise(pattern, &mut rng)
        })
        .collect()
}

/// `count` questions of two to five words, each used by at least one
/// intent in [`COMMON_FROM_ONE_IN`] and none a stop word: every word
/// reaches hundreds of intents in a large set, and no narrow word narrows
/// them down. Empty when the set has no common word.
pub fn common_word_questions(set: &IntentSet, count: usize) -> Vec<String> {
    let mut intents_using: BTreeMap<String, usize> = BTreeMap::new();
    for intent in set.iter() {
        let mut words: Vec<String> = intent
            .texts
            .values()
            .flat_map(|text| &text.patterns)
            .flat_map(|pattern| tokenize(pattern))
            .collect();
        words.sort();
        words.dedup();
        for word in words {
            *intents_using.entry(word).or_default() += 1;
        }
    }
    let common: Vec<&String> = intents_using
        .iter()
        .filter(|&(word, &intents)| {
            intents * COMMON_FROM_ONE_IN >= set.len() && !set.lexicon.is_stopword(word)
        })
        .map(|(word, _)| word)
        .collect();
    if common.is_empty() {
        return Vec::new();
    }
    let mut rng = fastrand::Rng::with_seed(QUESTIONS_SEED);
    (0..count)
        .map(|_| {
            let words: Vec<&str> = (0..rng.usize(2..=5))
                .map(|_| common[rng.usize(..common.len())].as_str())
                .collect();
            words.join(" ")
        })
        .collect()
}

/// The distinct words of the shipped patterns in `lang`, sorted.
fn words_of(set: &IntentSet, lang: Lang) -> Vec<String> {
    let mut words: Vec<String> = set
        .iter()
        .flat_map(|intent| &intent.text(lang).patterns)
        .flat_map(|pattern| tokenize(pattern))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// An intent about its own made-up topic word, with two favourite words
/// and random ones around them, in each language.
fn intent_file(number: usize, words: &[Vec<String>], rng: &mut fastrand::Rng) -> String {
    let mut file = String::from("topic = \"about\"\nsources = []\nrelated = []\n");
    for (lang, words) in REQUIRED_LANGS.iter().zip(words) {
        let pick = |rng: &mut fastrand::Rng| words[rng.usize(..words.len())].as_str();
        let prefix: String = pick(rng).chars().take(4).collect();
        let topic = format!("{prefix}{}", spelled(number));
        let favourites = [pick(rng), pick(rng)];
        let patterns: Vec<String> = (0..PATTERNS_PER_LANG)
            .map(|_| {
                let mut pattern = vec![topic.as_str(), favourites[rng.usize(..2)]];
                pattern.extend((0..rng.usize(2..=4)).map(|_| pick(rng)));
                rng.shuffle(&mut pattern);
                format!("{:?}", pattern.join(" "))
            })
            .collect();
        let _ = write!(
            file,
            "\n[{lang}]\ntitle = \"Topic {number}\"\npatterns = [{}]\nanswer = \"About {topic}.\"\n",
            patterns.join(", ")
        );
    }
    file
}

/// `number` spelled in syllables, at least two.
fn spelled(mut number: usize) -> String {
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[number % SYLLABLES.len()]);
        number /= SYLLABLES.len();
        if number == 0 && word.len() >= 4 {
            return word;
        }
    }
}
