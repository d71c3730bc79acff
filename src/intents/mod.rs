//! The intent library: what the bot knows, as validated data.
//!
//! Parsing and validation are pure (`parse`, `validate`); only `load` touches
//! the file system, so tests and the matcher can build an [`IntentSet`] from
//! strings.

mod cues;
mod declines;
mod error;
mod follow_up;
mod load;
mod menu;
mod parse;
mod sources;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::lang::Lang;
use crate::lexicon::Lexicon;

pub use cues::{parse_cues, Cue, Cues, Phrase, CONVERSATION_DIR, CUES_FILE};
pub use declines::{parse_decline, Decline, DeclineKind, DeclineText, DECLINES_DIR};
pub use error::LoadError;
pub use follow_up::{FollowUpKind, FollowUps};
pub use load::{load_folder_with, today, LEXICON_DIR};
pub use menu::{menu_problems, parse_menu, Menu, MENU_DIR, MENU_FILE};
pub use parse::{is_valid_id, parse_intent};
pub use sources::{source_problems, Documents, DOCUMENTS_FILE};
pub use validate::{stale_reviews, unknown_follow_ups, unknown_related, validate_set, Warning};

/// The longest text Telegram sends in one message, in UTF-16 code units.
pub const TELEGRAM_MESSAGE_LIMIT: usize = 4096;

/// The longest intent id: a button's callback data (`a:en:<id>`) must stay
/// within Telegram's 64 bytes.
pub const MAX_ID_LEN: usize = 48;

/// The languages every shipped intent must answer in.
pub const REQUIRED_LANGS: [Lang; 2] = [Lang::EN, Lang::ID];

/// The menu groups intents are listed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    About,
    Training,
    Career,
    Myths,
    Bot,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::About,
        Topic::Training,
        Topic::Career,
        Topic::Myths,
        Topic::Bot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::About => "about",
            Topic::Training => "training",
            Topic::Career => "career",
            Topic::Myths => "myths",
            Topic::Bot => "bot",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// One language's text of an intent.
#[derive(Clone, Debug, PartialEq)]
pub struct Localized {
    pub title: String,
    pub patterns: Vec<String>,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    pub id: String,
    /// The file it came from, to name in errors and warnings.
    pub file: PathBuf,
    pub topic: Topic,
    pub sources: Vec<String>,
    pub related: Vec<String>,
    pub reviewed: Option<NaiveDate>,
    /// The answer speaks of patients' care (procedures, conditions,
    /// recovery), so a reader might take it as advice about their own:
    /// replies end it with "for your own care, ask your doctor".
    pub care_note: bool,
    /// The intents that answer a short follow-up said right after this
    /// one ("and after that?"), by kind.
    pub follow_ups: FollowUps,
    pub texts: BTreeMap<Lang, Localized>,
}

impl Intent {
    /// The text in `lang`, else English, else any language the intent has.
    pub fn text(&self, lang: Lang) -> &Localized {
        self.texts
            .get(&lang)
            .or_else(|| self.texts.get(&Lang::EN))
            .or_else(|| self.texts.values().next())
            .expect("a parsed intent has at least one language")
    }
}

/// A validated set of intents, sorted by id, with the lexicon that tunes
/// their matching.
#[derive(Clone, Debug, Default)]
pub struct IntentSet {
    intents: Vec<Intent>,
    by_id: HashMap<String, usize>,
    pub lexicon: Lexicon,
    /// The kinds of question answered with a decline, by kind.
    declines: Vec<Decline>,
    /// The /topics menu's order.
    menu: Menu,
    /// The words that make a message a follow-up or a reaction.
    pub cues: Cues,
}

impl IntentSet {
    /// Builds a set without validating it; see [`validate_set`].
    pub fn new(mut intents: Vec<Intent>, lexicon: Lexicon) -> IntentSet {
        intents.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id = intents
            .iter()
            .enumerate()
            .map(|(i, intent)| (intent.id.clone(), i))
            .collect();
        let mut set = IntentSet {
            intents,
            by_id,
            lexicon,
            declines: Vec::new(),
            menu: Menu::default(),
            cues: Cues::default(),
        };
        set.menu = Menu::by_id(&set);
        set
    }

    /// The same set with the menu order of its menu file.
    pub fn with_menu(mut self, menu: Menu) -> IntentSet {
        self.menu = menu;
        self
    }

    /// The /topics menu: by the menu file when there is one, else by id.
    pub fn menu(&self) -> &Menu {
        &self.menu
    }

    /// The same set with its decline kinds.
    pub fn with_declines(mut self, mut declines: Vec<Decline>) -> IntentSet {
        declines.sort_by_key(|d| d.kind);
        self.declines = declines;
        self
    }

    /// The same set with its conversation cues.
    pub fn with_cues(mut self, cues: Cues) -> IntentSet {
        self.cues = cues;
        self
    }

    /// The intent that answers a `kind` follow-up said right after
    /// `previous`: the one `previous` names, else the kind's default.
    pub fn follow_up(&self, previous: &str, kind: FollowUpKind) -> Option<&Intent> {
        let named = self.get(previous)?.follow_ups.get(&kind);
        named
            .or_else(|| self.cues.defaults.get(&kind))
            .and_then(|id| self.get(id))
    }

    pub fn decline(&self, kind: DeclineKind) -> Option<&Decline> {
        self.declines.iter().find(|d| d.kind == kind)
    }

    pub fn declines(&self) -> impl Iterator<Item = &Decline> {
        self.declines.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Intent> {
        self.by_id.get(id).map(|&i| &self.intents[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Intent> {
        self.intents.iter()
    }

    pub fn len(&self) -> usize {
        self.intents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.intents.is_empty()
    }

    /// The intents of one menu group, in id order.
    pub fn in_topic(&self, topic: Topic) -> impl Iterator<Item = &Intent> {
        self.intents.iter().filter(move |i| i.topic == topic)
    }

    /// Every language that at least one intent answers in.
    pub fn languages(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self
            .intents
            .iter()
            .flat_map(|i| i.texts.keys().copied())
            .collect();
        langs.sort();
        langs.dedup();
        langs
    }
}
