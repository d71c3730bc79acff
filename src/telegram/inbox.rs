//! Where updates enter the bot, whichever way they come (long polling,
//! the webhook, or the inbox replayed at start): each is recorded in the
//! database's inbox before Telegram learns it arrived, and is handed to
//! the dispatcher only the first time it is seen. The handlers clear it
//! once it is answered ([`super::Advisor::answered`]). Messages are
//! counted here, as they arrive, against the flood limit: one the flood
//! guard ignores is cleared at once, never queued.

use std::sync::Arc;

use futures_util::stream::{self, BoxStream, StreamExt};
use teloxide::stop::{mk_stop_token, StopFlag, StopToken};
use teloxide::types::{Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::mpsc;

use super::flood::{FloodGuard, Verdict};
use crate::storage::ChatStore;

/// Updates recorded and waiting for the dispatcher: when the handlers fall
/// this far behind, polling waits (and the webhook answers later), so
/// Telegram holds the rest.
pub const QUEUE: usize = 1024;

/// The door every update comes in by.
#[derive(Clone)]
pub struct Inbox {
    store: Arc<ChatStore>,
    flood: Arc<FloodGuard>,
    queue: mpsc::Sender<Update>,
}

impl Inbox {
    /// An inbox over `store`, counting messages with `flood`, and the
    /// listener the dispatcher reads its updates from.
    pub fn new(store: Arc<ChatStore>, flood: Arc<FloodGuard>) -> (Inbox, InboxListener) {
        let (queue, updates) = mpsc::channel(QUEUE);
        let (stop, stopped) = mk_stop_token();
        let listener = InboxListener {
            updates,
            stop,
            stopped,
        };
        let inbox = Inbox {
            store,
            flood,
            queue,
        };
        (inbox, listener)
    }

    /// Records `update` (whose JSON is `body`) and, the first time it is
    /// seen, queues it for the handlers, unless the flood guard ignores it
    /// (then it is cleared). Returns once it is recorded and queued.
    ///
    /// When the database fails, the update is answered anyway, and logged:
    /// an answer matters more than surviving a crash.
    pub async fn accept(&self, update: Update, body: String) {
        if !self.record(&update, body).await {
            return;
        }
        if let UpdateKind::Error(_) = update.kind {
            // teloxide drops an update it cannot read before any handler
            // sees it: clear it here, or every start would replay it.
            let id = i64::from(update.id.0);
            log::warn!("update {id} is of a kind this teloxide cannot read: skipped");
            self.clear(id).await;
        } else if self.flood.arrived(&update) == Verdict::Ignore {
            let id = i64::from(update.id.0);
            log::debug!("update {id} comes from a chat told to slow down: ignored");
            self.clear(id).await;
        } else {
            // Fails only once the dispatcher is gone (stopping); the update
            // stays in the inbox for the next start.
            let _ = self.queue.send(update).await;
        }
    }

    /// Records `update` without queueing it: for updates that arrive
    /// while the bot stops. Returns whether it was new.
    pub async fn record(&self, update: &Update, body: String) -> bool {
        let id = i64::from(update.id.0);
        let now = chrono::Utc::now().timestamp();
        match self
            .store
            .off_runtime(move |store| store.receive(id, &body, now))
            .await
        {
            Ok(true) => true,
            Ok(false) => {
                log::info!("update {id} was delivered before: not answered again");
                false
            }
            Err(error) => {
                log::error!("could not record update {id} in the inbox ({error}); answering it");
                true
            }
        }
    }

    /// Clears an update that will never be handled from the inbox.
    async fn clear(&self, id: i64) {
        let now = chrono::Utc::now().timestamp();
        if let Err(error) = self.store.off_runtime(move |s| s.answered(id, now)).await {
            log::error!("could not clear update {id} from the inbox: {error}");
        }
    }

    /// The updates a previous run received and did not answer, oldest
    /// first (an unreadable one is cleared); the ids of updates answered
    /// long ago are forgotten. Read before updates start to arrive, so that
    /// one arriving meanwhile is not taken for one left over and queued
    /// twice.
    pub async fn left_over(&self) -> Vec<Update> {
        let now = chrono::Utc::now().timestamp();
        let pending = self
            .store
            .off_runtime(move |store| {
                store.forget_answered(now)?;
                store.pending()
            })
            .await;
        let pending = match pending {
            Ok(pending) => pending,
            Err(error) => {
                log::error!("could not read the inbox: {error}");
                return Vec::new();
            }
        };
        if !pending.is_empty() {
            log::warn!(
                "answering {} updates received before the last stop; one whose reply went out \
                 just before a crash is answered twice (possible duplicate)",
                pending.len()
            );
        }
        let mut updates = Vec::with_capacity(pending.len());
        for row in pending {
            match serde_json::from_str::<Update>(&row.body) {
                Ok(update) => updates.push(update),
                Err(error) => {
                    log::warn!(
                        "update {} in the inbox is unreadable ({error}); dropping it",
                        row.update_id
                    );
                    self.clear(row.update_id).await;
                }
            }
        }
        updates
    }

    /// Queues `updates` (from [`Inbox::left_over`]) for the handlers.
    pub async fn replay(&self, updates: Vec<Update>) {
        for update in updates {
            // Fails only once the dispatcher is gone: they stay in the inbox.
            let _ = self.queue.send(update).await;
        }
    }
}

/// The dispatcher's side of the inbox.
pub struct InboxListener {
    updates: mpsc::Receiver<Update>,
    stop: StopToken,
    stopped: StopFlag,
}

impl UpdateListener for InboxListener {
    type Err = std::convert::Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.stop.clone()
    }
}

impl<'a> AsUpdateStream<'a> for InboxListener {
    type StreamErr = std::convert::Infallible;
    type Stream = BoxStream<'a, Result<Update, std::convert::Infallible>>;

    /// The queued updates until the listener is stopped; what is queued
    /// then stays in the inbox for the next start.
    fn as_stream(&'a mut self) -> Self::Stream {
        let stopped = self.stopped.clone();
        stream::unfold(&mut self.updates, |updates| async move {
            updates.recv().await.map(|update| (Ok(update), updates))
        })
        .take_until(stopped)
        .boxed()
    }
}
