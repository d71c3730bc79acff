//! Questions the bot must not answer with a topic, as data: one file per
//! kind in `intents/declines/<kind>.toml`, each with example questions per
//! language (which teach the matcher what such questions look like) and the
//! reply the bot gives instead.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Table;

use super::REQUIRED_LANGS;
use crate::file_error::FileError;
use crate::lang::Lang;

/// The sub-folder of the intents folder holding `<kind>.toml` decline files.
pub const DECLINES_DIR: &str = "declines";

/// Why a question gets no topic answer.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DeclineKind {
    /// A personal health question: never a topic answer, always "ask your
    /// doctor". When unsure between this and a topic, the bot declines.
    Medical,
    /// A career question the source documents do not answer (salaries,
    /// Indonesian admission, rankings…): say so and point to who can.
    NotCovered,
    /// Anything else: what the bot does, and the topics.
    OffTopic,
}

impl DeclineKind {
    pub const ALL: [DeclineKind; 3] = [
        DeclineKind::Medical,
        DeclineKind::NotCovered,
        DeclineKind::OffTopic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclineKind::Medical => "medical",
            DeclineKind::NotCovered => "not_covered",
            DeclineKind::OffTopic => "off_topic",
        }
    }

    pub fn parse(name: &str) -> Option<DeclineKind> {
        DeclineKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for DeclineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One language's side of a decline file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclineText {
    pub reply: String,
    pub examples: Vec<String>,
}

/// The key of a decline file listing the bot's own intents its reply
/// also answers (see [`Decline::also_answers`]).
pub const ALSO_ANSWERS: &str = "also_answers";

/// A kind of decline with its texts per language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decline {
    pub kind: DeclineKind,
    pub texts: BTreeMap<Lang, DeclineText>,
    /// The bot's own intents whose answer this reply also gives (the
    /// off-topic reply says what the bot does and shows the topics, as
    /// the help does): declining a question only half about one of them
    /// costs the student nothing, so the bot answers them only when sure
    /// (see `tuning::ALSO_ANSWERED_FROM`).
    pub also_answers: Vec<String>,
    /// The file it was read from, for errors found across files.
    pub file: PathBuf,
}

impl Decline {
    /// The text in `lang`, else English, else any language it has.
    pub fn text(&self, lang: Lang) -> Option<&DeclineText> {
        self.texts
            .get(&lang)
            .or_else(|| self.texts.get(&Lang::EN))
            .or_else(|| self.texts.values().next())
    }
}

/// Parses one decline file; `file` names it in errors and its stem is the
/// kind.
pub fn parse_decline(file: &Path, text: &str) -> Result<Decline, Vec<FileError>> {
    let error = |field: Option<&str>, message: String| FileError::new(file, field, message);
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let Some(kind) = DeclineKind::parse(stem) else {
        let known: Vec<&str> = DeclineKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(vec![error(
            None,
            format!(
                "`{stem}` is not a decline kind: name the file {}.toml",
                known.join(".toml, ")
            ),
        )]);
    };
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        vec![error(None, format!("invalid TOML: {}", e.message().trim()))]
    })?;
    let mut errors = Vec::new();
    let mut texts = BTreeMap::new();
    let mut also_answers = Vec::new();
    for (key, value) in table {
        if key == ALSO_ANSWERS {
            match value.try_into::<Vec<String>>() {
                Ok(ids) => also_answers = ids,
                Err(e) => errors.push(error(Some(&key), e.message().trim().to_owned())),
            }
            continue;
        }
        let Some(lang) = Lang::parse(&key) else {
            errors.push(error(
                Some(&key),
                "unknown key: expected a two-letter language table".into(),
            ));
            continue;
        };
        match value.try_into::<DeclineText>() {
            Ok(text) => {
                if text.reply.trim().is_empty() {
                    errors.push(error(Some(&format!("{key}.reply")), "is empty".into()));
                }
                if text.examples.iter().all(|e| e.trim().is_empty()) {
                    errors.push(error(
                        Some(&format!("{key}.examples")),
                        "needs at least one example question".into(),
                    ));
                }
                texts.insert(lang, text);
            }
            Err(e) => errors.push(error(Some(&key), e.message().trim().to_owned())),
        }
    }
    for lang in REQUIRED_LANGS.iter().filter(|l| !texts.contains_key(l)) {
        errors.push(error(
            Some(&lang.to_string()),
            "missing: every decline answers in en and id".into(),
        ));
    }
    if errors.is_empty() {
        Ok(Decline {
            kind,
            texts,
            also_answers,
            file: file.to_owned(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEDICAL: &str = "[en]\nreply = \"Ask your doctor.\"\nexamples = [\"is my scan bad\"]\n\n[id]\nreply = \"Tanya dokter ya.\"\nexamples = [\"hasil CT ku gimana\"]\n";

    #[test]
    fn a_decline_file_is_named_by_its_kind() {
        let decline = parse_decline(Path::new("declines/medical.toml"), MEDICAL).unwrap();
        assert_eq!(decline.kind, DeclineKind::Medical);
        assert_eq!(decline.text(Lang::ID).unwrap().reply, "Tanya dokter ya.");
        let errors = parse_decline(Path::new("declines/health.toml"), MEDICAL).unwrap_err();
        assert!(
            errors[0].message.contains("not a decline kind"),
            "{errors:?}"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let broken = MEDICAL
            .replace("reply = \"Ask your doctor.\"", "reply = \" \"")
            .replace("[id]", "[xx_y]");
        let errors = parse_decline(Path::new("declines/medical.toml"), &broken).unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| e.field.clone().unwrap_or_default())
            .collect();
        assert_eq!(fields, ["en.reply", "xx_y", "id"], "{errors:?}");
    }

    #[test]
    fn a_decline_may_name_the_intents_its_reply_also_answers() {
        let file = format!("also_answers = [\"bot_help\"]\n{MEDICAL}");
        let decline = parse_decline(Path::new("declines/off_topic.toml"), &file).unwrap();
        assert_eq!(decline.also_answers, ["bot_help"]);
        let broken = format!("also_answers = \"bot_help\"\n{MEDICAL}");
        let errors = parse_decline(Path::new("declines/off_topic.toml"), &broken).unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some(ALSO_ANSWERS), "{errors:?}");
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in DeclineKind::ALL {
            assert_eq!(DeclineKind::parse(kind.as_str()), Some(kind));
        }
    }
}
