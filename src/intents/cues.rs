//! The words of a conversation, as data (`intents/conversation/cues.toml`):
//! per language, the phrases that make a message a follow-up of a given
//! kind ("terus abis itu?"), the filler words around them that add no
//! question of their own ("kak", "so"), and the reactions ("ok", "sip")
//! that ask nothing; and, for all languages, the intent a follow-up kind
//! goes to when the topic just answered names none for it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::follow_up::{read_follow_ups, FollowUpKind, FollowUps};
use crate::file_error::FileError;
use crate::lang::Lang;
use crate::text::tokenize;

/// The sub-folder of the intents folder holding the conversation cues.
pub const CONVERSATION_DIR: &str = "conversation";

/// The cue file's name inside [`CONVERSATION_DIR`].
pub const CUES_FILE: &str = "cues.toml";

/// The table of follow-up kinds' fallback intents.
const DEFAULTS: &str = "default";
const FILLERS: &str = "fillers";
const REACTIONS: &str = "reactions";
const POINTERS: &str = "pointers";
const PERSONAL: &str = "personal";
const ADDITIONS: &str = "additions";
const SHORT_POINTERS: &str = "short_pointers";
const CONCLUSIONS: &str = "conclusions";
const POINTING_PHRASES: &str = "pointing_phrases";
const TOTALS: &str = "totals";
const BELIEFS: &str = "beliefs";

/// A phrase, read as words the way questions are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<String>,
    pub lang: Lang,
}

/// A phrase that makes a message a follow-up of `kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cue {
    pub kind: FollowUpKind,
    pub phrase: Phrase,
}

/// Every language's cues together: students mix languages in one message
/// ("kalo di UK?"), so a cue counts whatever language the message is in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cues {
    /// The file they came from, to name in errors; `None` without one.
    pub file: Option<PathBuf>,
    /// Where a follow-up kind goes when the topic names no intent for it.
    pub defaults: FollowUps,
    /// Longest phrase first, so that "how long does that take" is found
    /// before "how long".
    pub follow_ups: Vec<Cue>,
    pub fillers: BTreeSet<String>,
    /// Words about the asker ("me", "aku"): a message holding one may be
    /// about their own body, even when every other word is a cue or a
    /// filler ("is it safe for me?").
    pub personal: BTreeSet<String>,
    /// Words and phrases that add something to what was just said ("too",
    /// "and for", "juga"): a message of a word or two and one of them
    /// ("fibroids too?", "and for patients?") asks the last question again
    /// about that word.
    pub additions: Vec<Phrase>,
    /// Phrases that ask for the whole of what was said ("all of that put
    /// together", "totalnya"): beside a `how_long` cue they make it a
    /// `total` one, and they are no words of the message's own.
    pub totals: Vec<Phrase>,
    pub reactions: Vec<Phrase>,
    /// Words that point back at what was just said ("that", "there",
    /// "itu"): a short message holding one asks about the last topic.
    pub pointers: BTreeSet<String>,
    /// Words that point back only in a message of a word or two of its
    /// own ("is it growing at least?"): elsewhere they are often the empty
    /// subject of a question about something else ("what time is it in
    /// London?").
    pub short_pointers: BTreeSet<String>,
    /// Phrases that point back wherever they stand, though a word of them
    /// alone may not: "it" as the object of a word before it ("do you
    /// get to try IR during it?", "what do they do in it?") is the topic
    /// just answered, where "it" as a subject is often empty ("what time
    /// is it?").
    pub pointing_phrases: Vec<Phrase>,
    /// Endings that do the same ("-nya" in "gajinya": its salary).
    pub pointer_endings: BTreeSet<String>,
    /// Words that open a conclusion drawn from what was just said ("so
    /// no big cuts at all?", "berarti gak pake sayatan?"): such a message is
    /// about the last topic when its own reading weighs that topic too.
    pub conclusions: BTreeSet<String>,
    /// Phrases that open what the student believed until now ("i thought
    /// that was", "kirain itu"): a last sentence opening with one, after
    /// the question, asks nothing.
    pub beliefs: Vec<Phrase>,
}

impl Cues {
    /// Whether `word` points back at what was just said: a pointer, or a
    /// longer word with a pointer ending.
    pub fn points_back(&self, word: &str) -> bool {
        self.pointers.contains(word)
            || self
                .pointer_endings
                .iter()
                .any(|ending| word.len() > ending.len() + 2 && word.ends_with(ending.as_str()))
    }
}

/// Parses the cue file's text; `file` only labels the errors.
pub fn parse_cues(file: &Path, text: &str) -> Result<Cues, Vec<FileError>> {
    let error = |field: &str, message: String| FileError::new(file, Some(field), message);
    let table: Table = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .parse()
        .map_err(|e: toml::de::Error| {
            vec![FileError::new(
                file,
                None,
                format!("invalid TOML: {}", e.message().trim()),
            )]
        })?;
    let mut cues = Cues {
        file: Some(file.to_owned()),
        ..Cues::default()
    };
    let mut errors = Vec::new();
    for (key, value) in table {
        if key == DEFAULTS {
            let (defaults, problems) = read_follow_ups(DEFAULTS, value);
            cues.defaults = defaults;
            errors.extend(problems.into_iter().map(|(f, m)| error(&f, m)));
            continue;
        }
        let Some(lang) = Lang::parse(&key) else {
            errors.push(error(
                &key,
                format!("unknown key: expected `{DEFAULTS}` or a two-letter language table"),
            ));
            continue;
        };
        let Value::Table(section) = value else {
            errors.push(error(
                &key,
                "a language must be a table of phrase lists".into(),
            ));
            continue;
        };
        for (name, value) in section {
            let field = format!("{key}.{name}");
            if name == POINTERS {
                read_pointers(&field, value, &mut cues, &mut errors, file);
                continue;
            }
            let Some(phrases) = phrase_list(&field, value, lang, &mut errors, file) else {
                continue;
            };
            match (name.as_str(), FollowUpKind::parse(&name)) {
                (_, Some(kind)) => cues
                    .follow_ups
                    .extend(phrases.into_iter().map(|phrase| Cue { kind, phrase })),
                (FILLERS, None) => cues
                    .fillers
                    .extend(phrases.into_iter().flat_map(|p| p.words)),
                (PERSONAL, None) => cues
                    .personal
                    .extend(phrases.into_iter().flat_map(|p| p.words)),
                (ADDITIONS, None) => cues.additions.extend(phrases),
                (TOTALS, None) => cues.totals.extend(phrases),
                (SHORT_POINTERS, None) => cues
                    .short_pointers
                    .extend(phrases.into_iter().flat_map(|p| p.words)),
                (REACTIONS, None) => cues.reactions.extend(phrases),
                (POINTING_PHRASES, None) => cues.pointing_phrases.extend(phrases),
                (CONCLUSIONS, None) => cues
                    .conclusions
                    .extend(phrases.into_iter().flat_map(|p| p.words)),
                (BELIEFS, None) => cues.beliefs.extend(phrases),
                _ => errors.push(error(
                    &field,
                    format!(
                        "unknown key: expected a follow-up kind ({}), `{FILLERS}`, `{PERSONAL}`, `{ADDITIONS}`, `{TOTALS}`, `{REACTIONS}`, `{POINTERS}`, `{SHORT_POINTERS}`, `{POINTING_PHRASES}`, `{CONCLUSIONS}` or `{BELIEFS}`",
                        FollowUpKind::names()
                    ),
                )),
            }
        }
    }
    cues.follow_ups
        .sort_by_key(|cue| std::cmp::Reverse(cue.phrase.words.len()));
    if errors.is_empty() {
        Ok(cues)
    } else {
        Err(errors)
    }
}

/// The pointer words, one word each; one written "-nya" is an ending.
fn read_pointers(
    field: &str,
    value: Value,
    cues: &mut Cues,
    errors: &mut Vec<FileError>,
    file: &Path,
) {
    let Ok(list) = value.try_into::<Vec<String>>() else {
        errors.push(FileError::new(file, Some(field), "must be a list of words"));
        return;
    };
    for (i, text) in list.iter().enumerate() {
        let ending = text.trim().starts_with('-');
        match tokenize(text).as_slice() {
            [word] if ending => cues.pointer_endings.insert(word.clone()),
            [word] => cues.pointers.insert(word.clone()),
            _ => {
                errors.push(FileError::new(
                    file,
                    Some(&format!("{field}[{i}]")),
                    "must be one word, or an ending written \"-nya\"",
                ));
                continue;
            }
        };
    }
}

/// A list of phrases, each read into words; a phrase with no word (only
/// punctuation) could never be found, so it is an error.
fn phrase_list(
    field: &str,
    value: Value,
    lang: Lang,
    errors: &mut Vec<FileError>,
    file: &Path,
) -> Option<Vec<Phrase>> {
    let list: Vec<String> = match value.try_into() {
        Ok(list) => list,
        Err(_) => {
            errors.push(FileError::new(
                file,
                Some(field),
                "must be a list of phrases",
            ));
            return None;
        }
    };
    let mut phrases = Vec::new();
    for (i, text) in list.iter().enumerate() {
        let words = tokenize(text);
        if words.is_empty() {
            errors.push(FileError::new(
                file,
                Some(&format!("{field}[{i}]")),
                "has no words: emoji and punctuation alone are reactions already",
            ));
        } else {
            phrases.push(Phrase { words, lang });
        }
    }
    Some(phrases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUES: &str = r#"
[default]
how_long = "training_duration"

[en]
next = ["after that", "and after that?"]
fillers = ["so", "and"]
personal = ["me"]
reactions = ["ok", "got it"]
pointers = ["that", "there"]

[id]
next = ["abis itu"]
pointers = ["itu", "-nya"]
"#;

    #[test]
    fn reads_every_language_longest_phrase_first() {
        let cues = parse_cues(Path::new("c.toml"), CUES).unwrap();
        assert_eq!(cues.defaults[&FollowUpKind::HowLong], "training_duration");
        let first = &cues.follow_ups[0];
        assert_eq!(first.phrase.words, ["and", "after", "that"]);
        assert_eq!(cues.follow_ups.len(), 3);
        assert!(cues
            .follow_ups
            .iter()
            .any(|c| c.phrase.lang == Lang::ID && c.kind == FollowUpKind::Next));
        assert!(cues.fillers.contains("so"));
        assert!(cues.personal.contains("me"));
        assert_eq!(cues.reactions[1].words, ["got", "it"]);
        for (word, points_back) in [
            ("that", true),
            ("itu", true),
            ("gajinya", true),
            ("nya", false),
            ("the", false),
        ] {
            assert_eq!(cues.points_back(word), points_back, "{word}");
        }
    }

    #[test]
    fn names_the_field_of_each_problem() {
        let text = "[default]\nsoon = \"x\"\n[en]\nnext = [\"??\"]\nmaybe = [\"x\"]\npointers = [\"that one\"]\n[xyz]\n";
        let errors: Vec<String> = parse_cues(Path::new("c.toml"), text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        for expected in [
            "c.toml: default.soon: unknown follow-up kind",
            "c.toml: en.next[0]: has no words",
            "c.toml: en.maybe: unknown key",
            "c.toml: en.pointers[0]: must be one word",
            "c.toml: xyz: unknown key",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(expected)),
                "{expected} not in {errors:#?}"
            );
        }
    }
}
