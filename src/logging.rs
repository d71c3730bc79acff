//! Logging that cannot leak the bot token. teloxide's request errors carry
//! the request URL, and the URL carries the token, so any error logged by
//! us, by teloxide or by its HTTP client could print it. Rather than trust
//! every call site, the logger itself masks secrets in every line.

use log::{Log, Metadata, Record};

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// `text` with every occurrence of each secret replaced by [`REDACTED`].
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret, REDACTED)
        })
}

/// The environment variables that hold secrets.
pub const SECRET_VARIABLES: [&str; 1] = [crate::telegram::TOKEN_VARIABLE];

/// The secrets set in the environment, to mask wherever text is printed.
pub fn secrets_from_env() -> Vec<String> {
    SECRET_VARIABLES
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .collect()
}

/// env_logger (honouring `RUST_LOG`, default `info`) behind a mask.
struct RedactingLogger {
    inner: env_logger::Logger,
    secrets: Vec<String>,
}

impl Log for RedactingLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record) {
        if !self.inner.enabled(record.metadata()) {
            return;
        }
        let line = redact(&record.args().to_string(), &self.secrets);
        self.inner.log(
            &Record::builder()
                .metadata(record.metadata().clone())
                .args(format_args!("{line}"))
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build(),
        );
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

/// Installs the process logger, masking `secrets` in every line.
pub fn init(secrets: Vec<String>) {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let max_level = inner.filter();
    if log::set_boxed_logger(Box::new(RedactingLogger { inner, secrets })).is_ok() {
        log::set_max_level(max_level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_occurrence_of_every_secret() {
        let secrets = vec!["123:ABC".to_owned(), String::new()];
        assert_eq!(
            redact(
                "error sending request for url (http://x/bot123:ABC/GetMe): 123:ABC",
                &secrets
            ),
            "error sending request for url (http://x/bot<redacted>/GetMe): <redacted>"
        );
    }
}
