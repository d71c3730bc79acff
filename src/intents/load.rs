//! The only part of the intent library that reads files.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::cues::{parse_cues, Cues, CONVERSATION_DIR, CUES_FILE};
use super::declines::{parse_decline, Decline, DECLINES_DIR};
use super::follow_up::{follow_ups_in, FollowUps};
use super::{
    parse_intent, parse_menu, unknown_follow_ups, unknown_related, validate_set, IntentSet,
    LoadError, Menu, MENU_DIR, MENU_FILE,
};
use crate::file_error::FileError;
use crate::lang::Lang;
use crate::lexicon::Lexicon;

/// The sub-folder of the intents folder holding `<lang>.toml` lexicons.
pub const LEXICON_DIR: &str = "lexicon";

/// The sub-folder of the lexicon folder holding word lists (`*.txt`, one
/// real word a line).
pub const WORDS_DIR: &str = "words";

/// The local date, against which `reviewed` dates are checked when the
/// program (rather than a test) loads intents.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Loads and validates every `*.toml` intent in `dir` and the lexicons in
/// `dir/lexicon/`, with the rules of this module and `cross_check`'s, the
/// rules that need more than the intents know ([`crate::check::load_folder`]
/// passes the matcher's). Any broken file fails the whole load, with every
/// problem listed: a half-loaded bot would answer some topics and silently
/// not others.
pub fn load_folder_with(
    dir: &Path,
    today: NaiveDate,
    cross_check: impl FnOnce(&IntentSet) -> Vec<FileError>,
) -> Result<IntentSet, LoadError> {
    let folder_error = |source| LoadError::Folder {
        path: dir.to_owned(),
        source,
    };
    let mut errors = Vec::new();
    let mut intents = Vec::new();
    // Files that failed, with what they refer to, so that every problem of
    // a file is reported, its references included.
    let mut broken: Vec<(PathBuf, String, References)> = Vec::new();
    // Files are read and parsed on every core, and taken in name order.
    let files = toml_files(dir).map_err(folder_error)?;
    let parsed: Vec<Result<_, _>> = files
        .par_iter()
        .map(|path| {
            let text = read(path).map_err(|found| (found, References::default()))?;
            parse_intent(&stem_of(path), path, &text, today)
                .map_err(|found| (found, references_in(&text)))
        })
        .collect();
    for (path, result) in files.iter().zip(parsed) {
        match result {
            Ok(intent) => intents.push(intent),
            Err((mut found, related)) => {
                errors.append(&mut found);
                broken.push((path.clone(), stem_of(path), related));
            }
        }
    }
    if intents.is_empty() && errors.is_empty() {
        errors.push(FileError::new(dir, None, "holds no intent files (*.toml)"));
    }
    let lexicon = load_lexicons(&dir.join(LEXICON_DIR)).unwrap_or_else(|mut found| {
        errors.append(&mut found);
        Lexicon::default()
    });
    let declines = load_declines(&dir.join(DECLINES_DIR)).unwrap_or_else(|mut found| {
        errors.append(&mut found);
        Vec::new()
    });
    let cues =
        load_cues(&dir.join(CONVERSATION_DIR).join(CUES_FILE)).unwrap_or_else(|mut found| {
            errors.append(&mut found);
            Cues::default()
        });
    let mut set = IntentSet::new(intents, lexicon)
        .with_declines(declines)
        .with_cues(cues);
    // The menu names every intent: checked only when they all loaded, or
    // each broken one would be reported again as unknown.
    if broken.is_empty() {
        match load_menu(dir, &set) {
            Ok(Some(menu)) => set = set.with_menu(menu),
            Ok(None) => {}
            Err(mut found) => errors.append(&mut found),
        }
    }
    let broken_ids: Vec<String> = broken.iter().map(|(_, id, _)| id.clone()).collect();
    errors.extend(validate_set(&set, &broken_ids));
    for (path, _, references) in &broken {
        let known = |id: &str| set.get(id).is_some() || broken_ids.iter().any(|b| b == id);
        errors.extend(unknown_related(path, &references.related, known));
        errors.extend(unknown_follow_ups(
            path,
            "follow_up",
            &references.follow_ups,
            known,
        ));
    }
    errors.extend(cross_check(&set));
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(LoadError::Invalid(errors))
    }
}

/// The ids a file refers to.
#[derive(Default)]
struct References {
    related: Vec<String>,
    follow_ups: FollowUps,
}

/// The ids a file that did not load refers to, as far as they can be read:
/// none when the file is not TOML or a list is not strings.
fn references_in(text: &str) -> References {
    let Ok(mut table) = text.parse::<toml::Table>() else {
        return References::default();
    };
    References {
        related: table
            .remove("related")
            .and_then(|related| related.try_into().ok())
            .unwrap_or_default(),
        follow_ups: follow_ups_in(&mut table),
    }
}

/// The conversation cues, if the folder has a cue file.
fn load_cues(path: &Path) -> Result<Cues, Vec<FileError>> {
    if !path.is_file() {
        return Ok(Cues::default());
    }
    parse_cues(path, &read(path)?)
}

fn load_lexicons(dir: &Path) -> Result<Lexicon, Vec<FileError>> {
    let mut lexicon = Lexicon::default();
    if !dir.is_dir() {
        return Ok(lexicon);
    }
    let files = toml_files(dir).map_err(|e| vec![FileError::new(dir, None, e.to_string())])?;
    let mut errors = Vec::new();
    for path in files {
        let result = match Lang::parse(&stem_of(&path)) {
            Some(lang) => read(&path).and_then(|text| lexicon.add_language(lang, &path, &text)),
            None => Err(vec![FileError::new(
                &path,
                None,
                "a lexicon file is named by its two-letter language code, such as en.toml",
            )]),
        };
        if let Err(mut found) = result {
            errors.append(&mut found);
        }
    }
    if let Err(mut found) = add_word_lists(&mut lexicon, &dir.join(WORDS_DIR)) {
        errors.append(&mut found);
    }
    if errors.is_empty() {
        Ok(lexicon)
    } else {
        Err(errors)
    }
}

/// Adds every `*.txt` word list of `dir`, if it exists, to `lexicon`.
fn add_word_lists(lexicon: &mut Lexicon, dir: &Path) -> Result<(), Vec<FileError>> {
    if !dir.is_dir() {
        return Ok(());
    }
    let listed = fs::read_dir(dir).map_err(|e| vec![FileError::new(dir, None, e.to_string())])?;
    let mut lists: Vec<PathBuf> = listed
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    lists.sort();
    for path in lists {
        lexicon.add_real_words(&read(&path)?);
    }
    Ok(())
}

/// The menu order in `dir`'s menu file; `None` when there is none (the
/// menu then lists intents by id).
fn load_menu(dir: &Path, set: &IntentSet) -> Result<Option<Menu>, Vec<FileError>> {
    let path = dir.join(MENU_DIR).join(MENU_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    parse_menu(&path, &read(&path)?, set).map(Some)
}

/// The decline files in `dir`, by kind; none when the folder is absent (a
/// set without declines declines every question in one way).
fn load_declines(dir: &Path) -> Result<Vec<Decline>, Vec<FileError>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let files = toml_files(dir).map_err(|e| vec![FileError::new(dir, None, e.to_string())])?;
    let mut declines = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match read(&path).and_then(|text| parse_decline(&path, &text)) {
            Ok(decline) => declines.push(decline),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() {
        Ok(declines)
    } else {
        Err(errors)
    }
}

/// The `*.toml` files directly in `dir`, in name order for stable output.
fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<String, Vec<FileError>> {
    let bytes = fs::read(path)
        .map_err(|e| vec![FileError::new(path, None, format!("cannot read: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        vec![FileError::new(
            path,
            None,
            format!("is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )]
    })
}
