//! Arbitrary input never crashes the matcher or the intent loader.

mod support;

use std::path::Path;

use ir_advisor::check::load_folder;
use ir_advisor::intents::{parse_intent, LoadError};
use ir_advisor::lang::Lang;
use ir_advisor::matcher::Matcher;
use proptest::prelude::*;
use support::{intent_folder, intent_toml, shipped_intents, today};

const CASES: u32 = 256;

fn matcher() -> &'static Matcher {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&shipped_intents()))
}

/// Loads a folder holding `bytes` as its one intent file, and checks that
/// any error names that file.
fn load_one_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = intent_folder(&[]);
    let file = dir.path().join("fuzzed.toml");
    std::fs::write(&file, bytes).unwrap();
    match load_folder(dir.path(), today()) {
        Ok(_) => Ok(()),
        Err(LoadError::Invalid(errors)) => {
            prop_assert!(!errors.is_empty());
            for error in errors {
                prop_assert_eq!(&error.file, &file, "{}", error);
                prop_assert!(error.to_string().contains("fuzzed.toml"));
            }
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!("unexpected {other:?}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn the_matcher_takes_any_text(question in any::<String>()) {
        for lang in [Lang::EN, Lang::ID] {
            let found = matcher().classify(&question, lang);
            prop_assert!((0.0..=1.0).contains(&found.confidence), "{}", found.confidence);
        }
    }

    #[test]
    fn parsing_any_text_fails_with_the_file_named(text in any::<String>()) {
        let file = Path::new("intents/any.toml");
        let errors = parse_intent("any", file, &text, today()).unwrap_err();
        prop_assert!(!errors.is_empty());
        prop_assert!(errors.iter().all(|e| e.file == file));
    }

    #[test]
    fn loading_any_bytes_fails_with_the_file_named(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let result = load_one_file(&bytes);
        result?;
    }

    /// Random damage to a valid file reaches deeper than random bytes.
    #[test]
    fn loading_a_damaged_file_never_panics(
        at in any::<prop::sample::Index>(),
        cut in 0usize..64,
        inserted in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = intent_toml(&["what is a damaged file"], &[]).into_bytes();
        let start = at.index(bytes.len());
        let end = (start + cut).min(bytes.len());
        bytes.splice(start..end, inserted);
        load_one_file(&bytes)?;
    }
}
