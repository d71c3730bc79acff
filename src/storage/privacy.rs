//! What /privacy shows and /forget deletes: everything kept under a chat's
//! id. The inbox holds an update only until it is answered, and the
//! unmatched log holds no chat ids, so neither is listed here.

use rusqlite::params;

use super::{ChatStore, StoreError};

/// One 👍 / 👎 a chat gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vote {
    pub intent: String,
    pub helpful: bool,
}

impl ChatStore {
    /// The chat's votes, oldest answer first.
    pub fn votes_of(&self, chat_id: i64) -> Result<Vec<Vote>, StoreError> {
        self.with_connection(|c| {
            let mut statement = c.prepare(
                "SELECT intent, helpful FROM votes WHERE chat_id = ?1 ORDER BY message_id",
            )?;
            let rows = statement.query_map(params![chat_id], |row| {
                Ok(Vote {
                    intent: row.get(0)?,
                    helpful: row.get(1)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Deletes everything kept under `chat_id`, in one transaction.
    pub fn forget_chat(&self, chat_id: i64) -> Result<(), StoreError> {
        self.with_connection(|c| {
            c.execute_batch("BEGIN")?;
            let deleted = c
                .execute("DELETE FROM chats WHERE chat_id = ?1", params![chat_id])
                .and_then(|_| c.execute("DELETE FROM votes WHERE chat_id = ?1", params![chat_id]));
            match deleted {
                Ok(_) => c.execute_batch("COMMIT"),
                Err(error) => {
                    let _ = c.execute_batch("ROLLBACK");
                    Err(error)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::conversation::Context;
    use crate::lang::Lang;
    use crate::storage::{LangChoice, IN_MEMORY};

    #[test]
    fn forgetting_a_chat_deletes_its_state_and_votes_only() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        for chat in [1, 2] {
            store.set_lang(chat, LangChoice::Fixed(Lang::ID)).unwrap();
            store
                .set_context(
                    chat,
                    &Context {
                        intent: "duties".into(),
                        at: chrono::Utc::now(),
                    },
                )
                .unwrap();
            store.record_vote(chat, 10, "duties", false).unwrap();
        }
        assert_eq!(
            store.votes_of(1).unwrap(),
            [Vote {
                intent: "duties".into(),
                helpful: false
            }]
        );
        store.forget_chat(1).unwrap();
        assert_eq!(store.chat(1).unwrap(), Default::default());
        assert!(store.votes_of(1).unwrap().is_empty());
        assert_eq!(
            store.chat(2).unwrap().last_intent.as_deref(),
            Some("duties")
        );
        assert_eq!(store.votes_of(2).unwrap().len(), 1);
    }
}
