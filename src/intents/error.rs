use std::fmt;
use std::path::PathBuf;

/// One problem in one intent (or lexicon) file, precise enough for a
/// maintainer to fix it without searching: the file, the field, and what is
/// wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct IntentError {
    pub file: PathBuf,
    /// A dotted path such as `id.patterns[3]`; `None` for file-level errors.
    pub field: Option<String>,
    pub message: String,
}

impl IntentError {
    pub fn new(file: impl Into<PathBuf>, field: Option<&str>, message: impl Into<String>) -> Self {
        IntentError {
            file: file.into(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for IntentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a folder of intents could not be loaded. Every problem found is
/// reported at once so a maintainer fixes them in one pass.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the intents folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", list_errors(.0))]
    Invalid(Vec<IntentError>),
}

fn list_errors(errors: &[IntentError]) -> String {
    let mut text = format!(
        "{} problem{} in the intent files:",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors {
        text.push_str("\n  ");
        text.push_str(&error.to_string());
    }
    text
}
