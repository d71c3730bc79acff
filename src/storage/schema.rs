//! The database's schema, versioned: SQLite's `user_version` holds how
//! many of [`MIGRATIONS`] a file has had, and opening it runs the rest, in
//! one transaction, so an older file is brought up to date at start.

use rusqlite::Connection;

/// Each step from one schema version to the next; never edit one that has
/// shipped, add another.
const MIGRATIONS: [&str; 4] = [
    // 1: per-chat state and answer votes. `IF NOT EXISTS`, because files
    // made before versions were kept already have them.
    "CREATE TABLE IF NOT EXISTS chats (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT,
        last_intent TEXT
    );
    CREATE TABLE IF NOT EXISTS votes (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        intent TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );",
    // 2: the inbox. `body` holds the update (message text included) only
    // until it is answered; the row stays a day longer, without it, so
    // that a second delivery of the same update is recognised.
    "CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        body TEXT,
        received_at INTEGER NOT NULL,
        answered_at INTEGER
    );
    CREATE INDEX inbox_answered_at ON inbox (answered_at);",
    // 3: when the last intent was answered (Unix seconds), so that a
    // follow-up is read against it only within the context window. Older
    // rows get NULL: a topic of unknown age is no context.
    "ALTER TABLE chats ADD COLUMN last_intent_at INTEGER;",
    // 4: the language the chat last asked a question in, so that a
    // reaction ("ok", "haha") or a question with no telling word
    // ("fellowship?") is answered in it rather than in the client's.
    "ALTER TABLE chats ADD COLUMN last_lang TEXT;",
];

/// The schema version this build writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the schema in `connection` up to [`VERSION`].
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;
    let current: u32 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for migration in MIGRATIONS.iter().skip(current as usize) {
        transaction.execute_batch(migration)?;
    }
    if current < VERSION {
        transaction.pragma_update(None, "user_version", VERSION)?;
    }
    transaction.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(connection: &Connection) -> u32 {
        connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_file_from_before_versions_is_brought_up_to_date_and_kept() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(MIGRATIONS[0]).unwrap();
        connection
            .execute("INSERT INTO chats (chat_id, lang) VALUES (1, 'id')", [])
            .unwrap();
        migrate(&mut connection).unwrap();
        assert_eq!(version(&connection), VERSION);
        let lang: String = connection
            .query_row("SELECT lang FROM chats WHERE chat_id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(lang, "id");
        migrate(&mut connection).unwrap();
        assert_eq!(
            version(&connection),
            VERSION,
            "a second run changes nothing"
        );
    }
}
