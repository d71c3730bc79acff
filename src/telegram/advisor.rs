//! What the handlers share: the intents with their matcher (swapped whole
//! on reload), the chat store, the unmatched-question log, the counts for
//! /stats, the pace of each chat, who the admins are, and whether the bot
//! is stopping.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use teloxide::types::Update;

use super::flood::FloodGuard;

use crate::check::load_folder;
use crate::intents::{today, IntentSet, LoadError};
use crate::matcher::Matcher;
use crate::stats::Stats;
use crate::storage::{ChatStore, StoreError};
use crate::unmatched::UnmatchedLog;

/// The intents and the matcher built from them: always replaced together,
/// so a question never meets a matcher from another set of intents.
pub struct Knowledge {
    pub intents: IntentSet,
    pub matcher: Matcher,
}

impl Knowledge {
    pub fn new(intents: IntentSet) -> Knowledge {
        Knowledge {
            matcher: Matcher::new(&intents),
            intents,
        }
    }
}

pub struct Advisor {
    intents_dir: PathBuf,
    knowledge: RwLock<Arc<Knowledge>>,
    pub store: Arc<ChatStore>,
    pub unmatched: UnmatchedLog,
    pub stats: Stats,
    /// Counts each chat's messages as they arrive (see `flood::FloodGuard`).
    pub flood: Arc<FloodGuard>,
    admins: Vec<u64>,
    /// Set once a stop begins: the updates not yet started are left in
    /// the inbox for the next start, so that stopping is quick.
    stopping: AtomicBool,
}

impl Advisor {
    /// Loads the intents in `intents_dir`; [`Advisor::reload`] reads the
    /// same folder again.
    pub fn load(
        intents_dir: &Path,
        store: ChatStore,
        unmatched: UnmatchedLog,
    ) -> Result<Advisor, LoadError> {
        let intents = load_folder(intents_dir, today())?;
        Ok(Advisor {
            intents_dir: intents_dir.to_owned(),
            knowledge: RwLock::new(Arc::new(Knowledge::new(intents))),
            store: Arc::new(store),
            unmatched,
            stats: Stats::default(),
            flood: Arc::default(),
            admins: Vec::new(),
            stopping: AtomicBool::new(false),
        })
    }

    /// The Telegram user ids allowed /reload and /stats.
    pub fn with_admins(mut self, admins: Vec<u64>) -> Advisor {
        self.admins = admins;
        self
    }

    pub fn is_admin(&self, user_id: u64) -> bool {
        self.admins.contains(&user_id)
    }

    /// From now on, updates not yet started are left for the next start.
    pub fn stop_answering(&self) {
        self.stopping.store(true, Ordering::Release);
    }

    /// Handles `update` by `answering` it, then clears it from the inbox,
    /// whether the answer went out or failed for good (a failure is
    /// logged; replaying it would fail again). Once the bot is stopping,
    /// an update not yet started is left in the inbox instead.
    pub async fn handle(
        &self,
        update: &Update,
        answering: impl Future<Output = anyhow::Result<()>>,
    ) -> anyhow::Result<()> {
        if self.stopping.load(Ordering::Acquire) {
            return Ok(());
        }
        let result = answering.await;
        self.answered(update).await;
        result
    }

    /// Clears `update` from the inbox.
    pub async fn answered(&self, update: &Update) {
        let (id, now) = (i64::from(update.id.0), chrono::Utc::now().timestamp());
        self.write("an answered update", move |store| store.answered(id, now))
            .await;
    }

    /// Runs a state write off the async workers. A failure is logged and
    /// goes no further: no answer is ever held back by the database.
    pub async fn write<F>(&self, what: &'static str, write: F)
    where
        F: FnOnce(&ChatStore) -> Result<(), StoreError> + Send + 'static,
    {
        if let Err(error) = self.store.off_runtime(write).await {
            log::error!("could not save {what}: {error}");
        }
    }

    pub fn intents_dir(&self) -> &Path {
        &self.intents_dir
    }

    /// The current intents with their matcher: a question is matched and
    /// answered from one snapshot, even if a reload swaps in new ones
    /// meanwhile.
    pub fn knowledge(&self) -> Arc<Knowledge> {
        self.knowledge
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Loads and validates the whole folder again and swaps it in; on any
    /// error the current intents stay, and every problem is logged with its
    /// file and field. Returns the number of intents now served.
    pub fn reload(&self) -> Result<usize, LoadError> {
        match load_folder(&self.intents_dir, today()) {
            Ok(intents) => {
                let count = intents.len();
                // Build the matcher before taking the lock: questions keep
                // flowing on the old set meanwhile.
                let knowledge = Arc::new(Knowledge::new(intents));
                *self.knowledge.write().unwrap_or_else(|e| e.into_inner()) = knowledge;
                log::info!(
                    "reloaded {count} intents from {}",
                    self.intents_dir.display()
                );
                Ok(count)
            }
            Err(error) => {
                log::error!("reload failed; still serving the previous intents. {error}");
                Err(error)
            }
        }
    }
}
