//! When the running bot reloads its intents: on any change in the intents
//! folder, and on SIGHUP. The admins' /reload is the third way, in the
//! handlers.

use std::sync::Arc;
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use super::Advisor;

/// How long the folder must be quiet before a reload: an editor's save is
/// often several writes, and a `git pull` touches many files.
pub const QUIET_BEFORE_RELOAD: Duration = Duration::from_millis(500);

/// Watches the intents folder (lexicons included) and reloads after each
/// burst of changes. The watch lasts as long as the returned value.
pub fn watch_intents(advisor: Arc<Advisor>) -> anyhow::Result<Debouncer<RecommendedWatcher>> {
    let folder = advisor.intents_dir().to_owned();
    let mut debouncer = new_debouncer(QUIET_BEFORE_RELOAD, move |events: DebounceEventResult| {
        match events {
            // The reload logs its own outcome.
            Ok(_) => drop(advisor.reload()),
            Err(error) => log::warn!("watching the intents folder failed: {error}"),
        }
    })?;
    debouncer
        .watcher()
        .watch(&folder, RecursiveMode::Recursive)?;
    log::info!("watching {} for changes", folder.display());
    Ok(debouncer)
}

/// Reloads on every SIGHUP, the usual "re-read your configuration" signal.
#[cfg(unix)]
pub async fn reload_on_hangup(advisor: Arc<Advisor>) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(hangups) => hangups,
        Err(error) => {
            log::warn!("cannot listen for SIGHUP ({error}); reload with /reload instead");
            return;
        }
    };
    while hangups.recv().await.is_some() {
        let advisor = advisor.clone();
        // Loading reads files and builds the index: not on the async
        // threads that answer students.
        let _ = tokio::task::spawn_blocking(move || advisor.reload()).await;
    }
}
