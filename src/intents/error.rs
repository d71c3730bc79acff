use std::path::PathBuf;

use crate::file_error::FileError;

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
    Invalid(Vec<FileError>),
}

fn list_errors(errors: &[FileError]) -> String {
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
