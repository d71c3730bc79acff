//! The error of a data file a maintainer edits (an intent or a lexicon):
//! a leaf, so that the intents and the lexicons share it without depending
//! on each other.

use std::fmt;
use std::path::PathBuf;

/// One problem in one intent or lexicon file, precise enough for a
/// maintainer to fix it without searching: the file, the field, and what is
/// wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct FileError {
    pub file: PathBuf,
    /// A dotted path such as `id.patterns[3]`; `None` for file-level errors.
    pub field: Option<String>,
    pub message: String,
}

impl FileError {
    pub fn new(file: impl Into<PathBuf>, field: Option<&str>, message: impl Into<String>) -> Self {
        FileError {
            file: file.into(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}
