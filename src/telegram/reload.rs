//! When the running bot reloads its intents: on any change in the intents
//! folder, and on SIGHUP. The admins' /reload is the third way, in the
//! handlers.

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use notify::event::EventKind;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::Advisor;

/// How long the folder must be quiet before a reload: an editor's save is
/// often several writes, and a `git pull` touches many files.
pub const QUIET_BEFORE_RELOAD: Duration = Duration::from_millis(500);

/// Whether an event in the folder can change what it holds. Opening or
/// reading a file cannot, and must not count: the reload itself reads
/// every file, and would otherwise set off the next reload, forever.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_))
}

/// Watches the intents folder (lexicons included) and reloads after each
/// burst of changes, on a thread of its own. The watch lasts as long as
/// the returned watcher.
pub fn watch_intents(advisor: Arc<Advisor>) -> anyhow::Result<RecommendedWatcher> {
    let (changed, changes) = channel();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if changes_content(&event.kind) => drop(changed.send(())),
            Ok(_) => {}
            Err(error) => log::warn!("watching the intents folder failed: {error}"),
        })?;
    watcher.watch(advisor.intents_dir(), RecursiveMode::Recursive)?;
    log::info!("watching {} for changes", advisor.intents_dir().display());
    std::thread::spawn(move || reload_after_quiet(&advisor, &changes));
    Ok(watcher)
}

/// Waits for a change, then for the folder to be quiet, then reloads; ends
/// when the watcher is dropped.
fn reload_after_quiet(advisor: &Advisor, changes: &Receiver<()>) {
    while changes.recv().is_ok() {
        loop {
            match changes.recv_timeout(QUIET_BEFORE_RELOAD) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // The reload logs its own outcome.
        drop(advisor.reload());
    }
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
