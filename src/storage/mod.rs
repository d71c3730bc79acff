//! What the bot remembers, in one SQLite file: per chat, the language it
//! chose with /lang and the last intent it was answered with, and when
//! (the conversation's context); per answer
//! message, whether the student found it helpful; and the [`inbox`] of
//! updates not yet answered. Nothing else about users is stored.
//!
//! The calls are synchronous, for the command line; the bot makes them
//! through [`ChatStore::off_runtime`], on tokio's blocking threads, so that
//! a database another process holds locked (`ir-advisor report`, a backup)
//! stalls only the updates waiting for it, never the async workers.

pub mod inbox;
mod privacy;
mod schema;

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use thiserror::Error;

use crate::conversation::Context;
use crate::lang::Lang;

pub use privacy::Vote;

/// The database path that keeps everything in memory, for a bot that must
/// not write to disk (and for tests).
pub const IN_MEMORY: &str = ":memory:";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("chat database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("chat database: the call was cut short ({0})")]
    Interrupted(String),
}

/// How long a statement waits for a lock another connection holds before
/// it fails: long enough for `ir-advisor report` or a backup, short enough
/// that a stuck lock shows in the log instead of hiding.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The reply language a chat asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LangChoice {
    /// Follow each question's own language.
    #[default]
    Auto,
    Fixed(Lang),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChatState {
    pub lang: LangChoice,
    pub last_intent: Option<String>,
    /// When `last_intent` was answered; `None` in rows from before it was
    /// kept.
    pub last_intent_at: Option<DateTime<Utc>>,
    /// The language the chat last asked a question in; `None` until it
    /// has asked one.
    pub last_lang: Option<Lang>,
}

impl ChatState {
    /// The conversation's context: the last intent, if its time is known.
    pub fn context(&self) -> Option<Context> {
        Some(Context {
            intent: self.last_intent.clone()?,
            at: self.last_intent_at?,
        })
    }
}

/// The per-chat columns a handler sets one at a time.
#[derive(Clone, Copy)]
enum ChatField {
    Lang,
    LastLang,
}

impl ChatField {
    /// The column name: from this fixed list only, never from input, so it
    /// is safe to put in SQL text.
    fn column(self) -> &'static str {
        match self {
            ChatField::Lang => "lang",
            ChatField::LastLang => "last_lang",
        }
    }
}

/// Per-chat state in SQLite; shared by the bot's handlers.
pub struct ChatStore {
    path: PathBuf,
    connection: Mutex<Connection>,
}

/// How students rated one intent's answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Helpfulness {
    pub intent: String,
    pub helpful: u64,
    pub not_helpful: u64,
}

impl ChatStore {
    /// Opens the database at `path`, creating it and its folder on first
    /// run, readable by the owner only; [`IN_MEMORY`] keeps it in memory.
    pub fn open(path: &Path) -> Result<ChatStore, StoreError> {
        if path != Path::new(IN_MEMORY) {
            create_private_file(path).map_err(|source| StoreError::Create {
                path: path.to_owned(),
                source,
            })?;
        }
        let mut connection =
            prepare(Connection::open(path), path).map_err(|e| sqlite_error(path, e))?;
        schema::migrate(&mut connection).map_err(|e| sqlite_error(path, e))?;
        Ok(ChatStore {
            path: path.to_owned(),
            connection: Mutex::new(connection),
        })
    }

    /// Runs `call` on one of tokio's blocking threads, so that waiting for
    /// SQLite never holds up an async worker.
    pub async fn off_runtime<T, F>(self: &Arc<Self>, call: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&ChatStore) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || call(&store))
            .await
            .map_err(|error| StoreError::Interrupted(error.to_string()))?
    }

    pub fn chat(&self, chat_id: i64) -> Result<ChatState, StoreError> {
        let row = self.with_connection(|c| {
            c.query_row(
                "SELECT lang, last_intent, last_intent_at, last_lang FROM chats WHERE chat_id = ?1",
                params![chat_id],
                |row| {
                    Ok((
                        row.get::<_, Option<String>>(0)?,
                        row.get(1)?,
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()
        })?;
        Ok(row
            .map(|(lang, last_intent, at, last_lang)| ChatState {
                lang: lang
                    .as_deref()
                    .and_then(Lang::parse)
                    .map_or(LangChoice::Auto, LangChoice::Fixed),
                last_intent,
                last_intent_at: at.and_then(|at| DateTime::from_timestamp(at, 0)),
                last_lang: last_lang.as_deref().and_then(Lang::parse),
            })
            .unwrap_or_default())
    }

    pub fn set_lang(&self, chat_id: i64, choice: LangChoice) -> Result<(), StoreError> {
        let lang = match choice {
            LangChoice::Auto => None,
            LangChoice::Fixed(lang) => Some(lang.to_string()),
        };
        self.set_chat_field(chat_id, ChatField::Lang, lang.as_deref())
    }

    /// Keeps the language the chat last asked a question in.
    pub fn set_last_lang(&self, chat_id: i64, lang: Lang) -> Result<(), StoreError> {
        self.set_chat_field(chat_id, ChatField::LastLang, Some(&lang.to_string()))
    }

    /// Keeps the conversation's context: the intent last answered, and
    /// when.
    pub fn set_context(&self, chat_id: i64, context: &Context) -> Result<(), StoreError> {
        self.with_connection(|c| {
            c.execute(
                "INSERT INTO chats (chat_id, last_intent, last_intent_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(chat_id) DO UPDATE SET
                   last_intent = excluded.last_intent, last_intent_at = excluded.last_intent_at",
                params![chat_id, context.intent, context.at.timestamp()],
            )
        })
        .map(drop)
    }

    /// Sets one field of a chat's row, creating the row if needed.
    fn set_chat_field(
        &self,
        chat_id: i64,
        field: ChatField,
        value: Option<&str>,
    ) -> Result<(), StoreError> {
        let column = field.column();
        let sql = format!(
            "INSERT INTO chats (chat_id, {column}) VALUES (?1, ?2)
             ON CONFLICT(chat_id) DO UPDATE SET {column} = excluded.{column}"
        );
        self.with_connection(|c| c.execute(&sql, params![chat_id, value]))
            .map(drop)
    }

    /// Records a vote on one answer message; voting again on the same
    /// message changes the vote rather than adding one.
    pub fn record_vote(
        &self,
        chat_id: i64,
        message_id: i32,
        intent: &str,
        helpful: bool,
    ) -> Result<(), StoreError> {
        self.with_connection(|c| {
            c.execute(
                "INSERT INTO votes (chat_id, message_id, intent, helpful) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(chat_id, message_id) DO UPDATE SET helpful = excluded.helpful",
                params![chat_id, message_id, intent, helpful],
            )
        })
        .map(drop)
    }

    /// Votes per intent, most voted first.
    pub fn helpfulness(&self) -> Result<Vec<Helpfulness>, StoreError> {
        self.with_connection(|c| {
            let mut statement = c.prepare(
                "SELECT intent, SUM(helpful), SUM(1 - helpful) FROM votes
                 GROUP BY intent ORDER BY COUNT(*) DESC, intent",
            )?;
            let rows = statement.query_map([], |row| {
                Ok(Helpfulness {
                    intent: row.get(0)?,
                    helpful: row.get::<_, i64>(1)?.unsigned_abs(),
                    not_helpful: row.get::<_, i64>(2)?.unsigned_abs(),
                })
            })?;
            rows.collect()
        })
    }

    fn with_connection<T>(
        &self,
        query: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        // A handler that panicked mid-statement cannot leave SQLite half
        // written, so a poisoned lock is still safe to use.
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        query(&connection).map_err(|e| sqlite_error(&self.path, e))
    }
}

/// A lock held elsewhere is waited for, not failed on at once; a file
/// gets write-ahead logging, so that readers and the writer do not block
/// each other.
fn prepare(connection: rusqlite::Result<Connection>, path: &Path) -> rusqlite::Result<Connection> {
    let connection = connection?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    if path != Path::new(IN_MEMORY) {
        connection.pragma_update(None, "journal_mode", "WAL")?;
    }
    Ok(connection)
}

fn sqlite_error(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// Creates `path` (and its missing folders) so that only the owner can read
/// it, before SQLite opens it with the process's default permissions.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_dir_builder().create(folder)?;
    }
    private_file_options().open(path).map(drop)
}

#[cfg(unix)]
fn private_dir_builder() -> fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true).mode(0o700);
    builder
}

#[cfg(unix)]
fn private_file_options() -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = OpenOptions::new();
    options.create(true).append(true).mode(0o600);
    options
}

#[cfg(not(unix))]
fn private_dir_builder() -> fs::DirBuilder {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    builder
}

#[cfg(not(unix))]
fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_chat_follows_the_question_language() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        assert_eq!(store.chat(1).unwrap(), ChatState::default());
    }

    #[test]
    fn language_and_last_intent_are_kept_apart() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        let context = Context {
            intent: "duties".into(),
            at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        };
        store.set_context(7, &context).unwrap();
        store.set_lang(7, LangChoice::Fixed(Lang::ID)).unwrap();
        store.set_last_lang(7, Lang::EN).unwrap();
        let state = store.chat(7).unwrap();
        assert_eq!(state.lang, LangChoice::Fixed(Lang::ID));
        assert_eq!(state.last_lang, Some(Lang::EN));
        assert_eq!(state.context(), Some(context));
        store.set_lang(7, LangChoice::Auto).unwrap();
        assert_eq!(store.chat(7).unwrap().lang, LangChoice::Auto);
        assert_eq!(store.chat(7).unwrap().last_lang, Some(Lang::EN));
        assert_eq!(store.chat(8).unwrap(), ChatState::default());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("state/chats.sqlite");
        let store = ChatStore::open(&path).unwrap();
        store.set_lang(1, LangChoice::Fixed(Lang::EN)).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn a_second_vote_on_a_message_changes_it() {
        let store = ChatStore::open(Path::new(IN_MEMORY)).unwrap();
        store.record_vote(1, 10, "duties", true).unwrap();
        store.record_vote(1, 10, "duties", false).unwrap();
        store.record_vote(2, 10, "duties", true).unwrap();
        store.record_vote(1, 11, "procedures", true).unwrap();
        assert_eq!(
            store.helpfulness().unwrap(),
            [
                Helpfulness {
                    intent: "duties".into(),
                    helpful: 1,
                    not_helpful: 1
                },
                Helpfulness {
                    intent: "procedures".into(),
                    helpful: 1,
                    not_helpful: 0
                },
            ]
        );
    }

    #[test]
    fn choices_survive_reopening_the_file() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("chats.sqlite");
        ChatStore::open(&path)
            .unwrap()
            .set_lang(3, LangChoice::Fixed(Lang::ID))
            .unwrap();
        assert_eq!(
            ChatStore::open(&path).unwrap().chat(3).unwrap().lang,
            LangChoice::Fixed(Lang::ID)
        );
    }
}
