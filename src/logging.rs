//! Logging that cannot leak the bot token. teloxide's request errors carry
//! the request URL, and the URL carries the token, so any error logged by
//! us, by teloxide or by its HTTP client could print it. Rather than trust
//! every call site, the logger itself masks secrets in every line.

use std::sync::RwLock;

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

/// Every secret masked so far. Global, because secrets are read after the
/// logger is installed, and some only exist once the bot runs (a
/// generated webhook secret).
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Masks `secret` in every line logged or printed from now on.
pub fn add_secret(secret: &str) {
    let secret = secret.trim();
    if secret.is_empty() {
        return;
    }
    let mut secrets = SECRETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !secrets.iter().any(|known| known == secret) {
        secrets.push(secret.to_owned());
    }
}

/// `text` with every secret added so far masked.
pub fn redact_secrets(text: &str) -> String {
    let secrets = SECRETS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    redact(text, &secrets)
}

/// env_logger (honouring `RUST_LOG`, default `info`) behind a mask.
struct RedactingLogger {
    inner: env_logger::Logger,
}

impl Log for RedactingLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record) {
        if !self.inner.enabled(record.metadata()) {
            return;
        }
        let line = redact_secrets(&record.args().to_string());
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

/// Installs the process logger, masking in every line the secrets added
/// with [`add_secret`] (the configuration adds the bot's as it reads them).
pub fn init() {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    let max_level = inner.filter();
    if log::set_boxed_logger(Box::new(RedactingLogger { inner })).is_ok() {
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

    #[test]
    fn a_secret_added_at_run_time_is_masked_from_then_on() {
        let line = "set webhook with secret_token=GeneratedAtRunTime_42";
        assert_eq!(redact_secrets(line), line);
        add_secret(" GeneratedAtRunTime_42\n");
        assert_eq!(
            redact_secrets(line),
            "set webhook with secret_token=<redacted>"
        );
    }
}
