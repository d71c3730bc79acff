//! The inbox: every update, recorded before Telegram is told it arrived
//! (the next getUpdates, or the webhook's 200) and cleared once it is
//! answered, so that a crash or a stop loses no question: the next start
//! answers what is left. It also recognises an update delivered twice.
//! With an in-memory database the inbox lasts only as long as the process.

use rusqlite::params;

use super::{ChatStore, StoreError};

/// How long an answered update's id is kept, to recognise a second
/// delivery: Telegram keeps an update for at most a day.
pub const REMEMBER_ANSWERED_SECS: i64 = 24 * 60 * 60;

/// An update received and not yet answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub update_id: i64,
    /// The update as Telegram sent it (JSON).
    pub body: String,
}

impl ChatStore {
    /// Records an update as received at `now` (Unix seconds). Returns
    /// `false` if it was received before: a second delivery, not to be
    /// answered again.
    pub fn receive(&self, update_id: i64, body: &str, now: i64) -> Result<bool, StoreError> {
        let added = self.with_connection(|c| {
            c.execute(
                "INSERT OR IGNORE INTO inbox (update_id, body, received_at) VALUES (?1, ?2, ?3)",
                params![update_id, body, now],
            )
        })?;
        Ok(added == 1)
    }

    /// Marks an update answered at `now`, dropping its body.
    pub fn answered(&self, update_id: i64, now: i64) -> Result<(), StoreError> {
        self.with_connection(|c| {
            c.execute(
                "UPDATE inbox SET body = NULL, answered_at = ?2 WHERE update_id = ?1",
                params![update_id, now],
            )
        })
        .map(drop)
    }

    /// The updates received and not answered, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, StoreError> {
        self.with_connection(|c| {
            let mut statement = c.prepare(
                "SELECT update_id, body FROM inbox WHERE answered_at IS NULL ORDER BY update_id",
            )?;
            let rows = statement.query_map([], |row| {
                Ok(Pending {
                    update_id: row.get(0)?,
                    body: row.get(1)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Forgets the updates answered more than a day before `now`.
    pub fn forget_answered(&self, now: i64) -> Result<usize, StoreError> {
        self.with_connection(|c| {
            c.execute(
                "DELETE FROM inbox WHERE answered_at < ?1",
                params![now - REMEMBER_ANSWERED_SECS],
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::storage::IN_MEMORY;

    #[test]
    fn an_update_is_pending_until_answered_and_received_once() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        assert!(store.receive(7, r#"{"update_id":7}"#, 100).unwrap());
        assert!(store.receive(8, r#"{"update_id":8}"#, 100).unwrap());
        assert!(!store.receive(7, r#"{"update_id":7}"#, 101).unwrap());
        let ids = |store: &ChatStore| -> Vec<i64> {
            store
                .pending()
                .unwrap()
                .iter()
                .map(|p| p.update_id)
                .collect()
        };
        assert_eq!(ids(&store), [7, 8]);
        store.answered(7, 102).unwrap();
        assert_eq!(ids(&store), [8]);
        assert!(!store.receive(7, r#"{"update_id":7}"#, 103).unwrap());
    }

    #[test]
    fn answered_updates_are_forgotten_after_a_day_and_keep_no_text() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        store.receive(1, r#"{"text":"my question"}"#, 0).unwrap();
        store.answered(1, 10).unwrap();
        let body: Option<String> = store
            .with_connection(|c| c.query_row("SELECT body FROM inbox", [], |r| r.get(0)))
            .unwrap();
        assert_eq!(body, None, "the text goes once answered");
        assert_eq!(
            store.forget_answered(10 + REMEMBER_ANSWERED_SECS).unwrap(),
            0
        );
        assert_eq!(
            store.forget_answered(11 + REMEMBER_ANSWERED_SECS).unwrap(),
            1
        );
        assert!(store.receive(1, "{}", 12).unwrap(), "a stranger now");
    }
}
