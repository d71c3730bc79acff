//! The questions the bot could not answer well, appended to a JSON-lines
//! file for maintainers (`ir-advisor report`). Each line holds the time,
//! the question, its language and the closest intent: never a user or chat
//! id. The file is capped: past its size limit it is rotated to `<file>.1`,
//! replacing the previous one, so it cannot fill the disk.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::intents::DeclineKind;
use crate::lang::Lang;
use crate::matcher::Match;
use crate::storage::create_private_file;

/// Below this confidence an answered question is logged too: it may have
/// been a lucky guess.
pub const LOW_CONFIDENCE: f32 = 0.4;

/// The default size at which the log is rotated.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// One question the bot declined or was unsure about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    pub time: DateTime<Utc>,
    pub text: String,
    pub lang: String,
    /// The closest intent, whether or not it was answered with.
    pub candidate: Option<String>,
    pub confidence: f32,
    /// The kind of decline, if declined; `None` for an unsure answer, a
    /// "did you mean", and the lines logged before kinds existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline: Option<DeclineKind>,
}

impl Unmatched {
    /// The entry for a match worth a maintainer's look, else `None`.
    pub fn of(question: &str, found: &Match, time: DateTime<Utc>) -> Option<Unmatched> {
        if found.intent.is_some() && found.confidence >= LOW_CONFIDENCE {
            return None;
        }
        let candidate = found
            .intent
            .clone()
            .or_else(|| found.candidates.first().map(|c| c.intent.clone()));
        Some(Unmatched {
            time,
            text: question.to_owned(),
            lang: found.lang.to_string(),
            candidate,
            confidence: found.confidence,
            decline: found.decision.decline(),
        })
    }
}

/// The log file, shared by the bot's handlers; or nowhere, for a bot
/// that must write nothing to disk.
pub struct UnmatchedLog {
    path: PathBuf,
    max_bytes: u64,
    /// `None`: entries are dropped.
    file: Option<Mutex<File>>,
}

impl UnmatchedLog {
    /// Opens (creating, owner-only) the log at `path`, rotated past
    /// `max_bytes`.
    pub fn open(path: &Path, max_bytes: u64) -> io::Result<UnmatchedLog> {
        Ok(UnmatchedLog {
            path: path.to_owned(),
            max_bytes,
            file: Some(Mutex::new(open_for_append(path)?)),
        })
    }

    /// A log that writes nothing: for a bot whose database is in memory.
    pub fn nowhere() -> UnmatchedLog {
        UnmatchedLog {
            path: PathBuf::new(),
            max_bytes: 0,
            file: None,
        }
    }

    pub fn record(&self, entry: &Unmatched) -> io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        // Lines are appended whole under the lock, so concurrent handlers
        // never interleave them; a panic elsewhere cannot corrupt a line.
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        if file.metadata()?.len() + line.len() as u64 > self.max_bytes {
            fs::rename(&self.path, rotated(&self.path))?;
            *file = open_for_append(&self.path)?;
        }
        file.write_all(line.as_bytes())
    }
}

fn open_for_append(path: &Path) -> io::Result<File> {
    create_private_file(path)?;
    fs::OpenOptions::new().append(true).open(path)
}

/// Where the log goes when it is rotated.
pub fn rotated(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    PathBuf::from(name)
}

/// What a log holds: the entries (oldest first) and how many lines could
/// not be read.
#[derive(Debug, Default)]
pub struct LogContents {
    pub entries: Vec<Unmatched>,
    pub unreadable_lines: usize,
}

/// Reads the rotated and the current log, keeping entries from `since` on.
/// Missing files are empty logs: the bot may not have declined anything.
pub fn read_log(path: &Path, since: Option<NaiveDate>) -> io::Result<LogContents> {
    let mut contents = LogContents::default();
    for file in [rotated(path), path.to_owned()] {
        let reader = match File::open(&file) {
            Ok(f) => BufReader::new(f),
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for line in reader.split(b'\n') {
            match serde_json::from_slice::<Unmatched>(&line?) {
                Ok(entry) if since.is_none_or(|day| entry.time.date_naive() >= day) => {
                    contents.entries.push(entry)
                }
                Ok(_) => {}
                Err(_) => contents.unreadable_lines += 1,
            }
        }
    }
    Ok(contents)
}

/// The language of an entry, for re-asking its question.
pub fn entry_lang(entry: &Unmatched) -> Lang {
    Lang::parse(&entry.lang).unwrap_or(Lang::EN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Candidate, Decision};

    fn entry(text: &str, day: u32) -> Unmatched {
        Unmatched {
            time: format!("2026-11-{day:02}T10:00:00Z").parse().unwrap(),
            text: text.into(),
            lang: "en".into(),
            candidate: Some("duties".into()),
            confidence: 0.1,
            decline: None,
        }
    }

    #[test]
    fn logs_declines_and_unsure_answers_only() {
        let now = Utc::now();
        let mut found = Match {
            decision: Decision::Decline(DeclineKind::NotCovered),
            intent: None,
            confidence: 0.15,
            lang: Lang::ID,
            candidates: vec![Candidate {
                intent: "duties".into(),
                confidence: 0.15,
            }],
        };
        let logged = Unmatched::of("gaji dokter?", &found, now).unwrap();
        assert_eq!(logged.candidate.as_deref(), Some("duties"));
        assert_eq!(logged.decline, Some(DeclineKind::NotCovered));
        assert_eq!(logged.lang, "id");
        found.decision = Decision::Answer;
        found.intent = Some("duties".into());
        assert!(
            Unmatched::of("q", &found, now).is_some(),
            "answered, unsure"
        );
        found.confidence = 0.9;
        assert!(Unmatched::of("q", &found, now).is_none(), "answered, sure");
    }

    #[test]
    fn entries_round_trip_and_filter_by_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/unmatched.jsonl");
        let log = UnmatchedLog::open(&path, DEFAULT_MAX_BYTES).unwrap();
        log.record(&entry("old question", 1)).unwrap();
        log.record(&entry("new question", 20)).unwrap();
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"not json\n")
            .unwrap();
        let since = NaiveDate::from_ymd_opt(2026, 11, 10);
        let contents = read_log(&path, since).unwrap();
        assert_eq!(contents.entries, [entry("new question", 20)]);
        assert_eq!(contents.unreadable_lines, 1);
    }

    #[test]
    fn the_log_is_capped_by_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unmatched.jsonl");
        let log = UnmatchedLog::open(&path, 1_000).unwrap();
        for n in 0..100 {
            log.record(&entry(&format!("question number {n}"), 5))
                .unwrap();
        }
        let size = |p: &Path| fs::metadata(p).unwrap().len();
        assert!(size(&path) <= 1_000 && size(&rotated(&path)) <= 1_000);
        let kept = read_log(&path, None).unwrap().entries;
        assert_eq!(kept.last().unwrap().text, "question number 99");
        assert!(kept.len() < 100, "the oldest entries were dropped");
    }

    #[test]
    fn a_missing_log_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let contents = read_log(&dir.path().join("none.jsonl"), None).unwrap();
        assert!(contents.entries.is_empty());
    }
}
