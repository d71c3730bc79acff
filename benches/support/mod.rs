//! What the benchmarks share: the shipped intents, the dev questions, and
//! synthetic intent folders of any size, worded from the shipped patterns'
//! vocabulary and generated deterministically.
#![allow(dead_code)] // each bench uses its own share of these

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
/// How many typo-ridden questions the scaled benchmarks ask.
pub const SCALED_QUESTIONS: usize = 200;
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
    let shipped = load(&shipped_folder());
    let words: Vec<Vec<String>> = REQUIRED_LANGS
        .iter()
        .map(|&lang| words_of(&shipped, lang))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let lexicons = dir.path().join(LEXICON_DIR);
    std::fs::create_dir(&lexicons).unwrap();
    for entry in std::fs::read_dir(shipped_folder().join(LEXICON_DIR)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, lexicons.join(path.file_name().unwrap())).unwrap();
    }
    let mut rng = fastrand::Rng::with_seed(INTENTS_SEED);
    for number in 0..intents {
        let text = intent_file(number, &words, &mut rng);
        std::fs::write(dir.path().join(format!("topic_{number}.toml")), text).unwrap();
    }
    dir
}

/// The synthetic set sizes the scaled benchmarks compare: per-question time
/// should barely grow between them.
pub const SCALED_INTENTS: [usize; 2] = [1_000, 10_000];

/// A matcher over a synthetic set of `intents` intents, with
/// [`SCALED_QUESTIONS`] typo-ridden questions about them.
pub fn scaled_set(intents: usize) -> (Matcher, Vec<String>) {
    let folder = synthetic_folder(intents);
    let set = load(folder.path());
    let questions = noisy_questions(&set, SCALED_QUESTIONS);
    (Matcher::new(&set), questions)
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
