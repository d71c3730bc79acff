//! The documents answers rest on, and the `check` rules that tie each topic
//! intent to them: every `sources` entry is a listed title, and every topic
//! intent names its sources and when a person last checked it against them.

use std::fs;
use std::path::Path;

use serde::Deserialize;

use super::{IntentSet, Topic};
use crate::file_error::FileError;

/// Where the list of documents lives, inside the intents folder.
pub const DOCUMENTS_FILE: &str = "sources/documents.toml";

/// The documents an intent's `sources` may name, by title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Documents {
    titles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocuments {
    document: Vec<RawDocument>,
}

/// One `[[document]]` table: its title, and the seed file it was read from
/// (for maintainers only).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: String,
    file: String,
}

impl Documents {
    /// Reads `sources/documents.toml` of an intents folder.
    pub fn load(intents_dir: &Path) -> Result<Documents, FileError> {
        let path = intents_dir.join(DOCUMENTS_FILE);
        let text = fs::read_to_string(&path)
            .map_err(|e| FileError::new(&path, None, format!("cannot read: {e}")))?;
        Documents::parse(&text).map_err(|message| FileError::new(&path, None, message))
    }

    pub fn parse(text: &str) -> Result<Documents, String> {
        let raw: RawDocuments = toml::from_str(text).map_err(|e| e.message().trim().to_owned())?;
        for (i, document) in raw.document.iter().enumerate() {
            for (field, value) in [("title", &document.title), ("file", &document.file)] {
                if value.trim().is_empty() {
                    return Err(format!("document[{i}].{field} is empty"));
                }
            }
        }
        let titles = raw.document.into_iter().map(|d| d.title).collect();
        Ok(Documents { titles })
    }

    pub fn contains(&self, title: &str) -> bool {
        self.titles.iter().any(|t| t == title)
    }
}

/// Topic intents (every menu group but the bot's own) must name at least
/// one listed document and carry a `reviewed` date; greeting, thanks and
/// help rest on no document.
pub fn source_problems(set: &IntentSet, documents: &Documents) -> Vec<FileError> {
    let mut problems = Vec::new();
    for intent in set.iter() {
        for (i, title) in intent.sources.iter().enumerate() {
            if !documents.contains(title) {
                problems.push(FileError::new(
                    &intent.file,
                    Some(&format!("sources[{i}]")),
                    format!("`{title}` is not a document title in intents/{DOCUMENTS_FILE}"),
                ));
            }
        }
        if intent.topic == Topic::Bot {
            continue;
        }
        if intent.sources.is_empty() {
            problems.push(FileError::new(
                &intent.file,
                Some("sources"),
                "a topic's answer must name the documents it rests on",
            ));
        }
        if intent.reviewed.is_none() {
            problems.push(FileError::new(
                &intent.file,
                Some("reviewed"),
                "missing: say when a person last checked the answer against its sources",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "[[document]]\ntitle = \"Guide\"\nfile = \"a.txt\"\n\n[[document]]\ntitle = \"Profile\"\nfile = \"b.txt\"\n";

    #[test]
    fn titles_are_read_in_order() {
        let documents = Documents::parse(TWO).unwrap();
        assert!(documents.contains("Guide") && documents.contains("Profile"));
        assert!(!documents.contains("guide"));
    }

    #[test]
    fn a_misspelt_key_or_an_empty_title_is_an_error() {
        assert!(Documents::parse("[[document]]\ntitel = \"Guide\"\nfile = \"a\"\n").is_err());
        let empty = Documents::parse("[[document]]\ntitle = \" \"\nfile = \"a\"\n").unwrap_err();
        assert!(empty.contains("document[0].title"), "{empty}");
        let no_file =
            Documents::parse("[[document]]\ntitle = \"Guide\"\nfile = \"\"\n").unwrap_err();
        assert!(no_file.contains("document[0].file"), "{no_file}");
    }
}
