//! What a button press asks for, as the callback data Telegram carries
//! back (at most 64 bytes). Buttons carry their language, so a topic
//! opened from an Indonesian answer is answered in Indonesian.

use crate::intents::Topic;
use crate::lang::Lang;
use crate::storage::LangChoice;

/// Telegram's limit on a button's callback data, in bytes.
pub const CALLBACK_DATA_LIMIT: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Show the topic groups.
    Menu(Lang),
    /// Show one group's intents.
    Topic(Topic, Lang),
    /// Show an intent's answer.
    Answer(String, Lang),
    /// Set the chat's reply language.
    SetLang(LangChoice),
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Menu(lang) => format!("m:{lang}"),
            Action::Topic(topic, lang) => format!("t:{lang}:{}", topic.as_str()),
            Action::Answer(intent, lang) => format!("a:{lang}:{intent}"),
            Action::SetLang(LangChoice::Auto) => "l:auto".to_owned(),
            Action::SetLang(LangChoice::Fixed(lang)) => format!("l:{lang}"),
        }
    }

    /// Reads callback data; anything this bot did not write is `None`.
    pub fn decode(data: &str) -> Option<Action> {
        let mut parts = data.splitn(3, ':');
        let kind = parts.next()?;
        let first = parts.next()?;
        let rest = parts.next();
        match (kind, rest) {
            ("m", None) => Lang::parse(first).map(Action::Menu),
            ("t", Some(topic)) => Some(Action::Topic(Topic::parse(topic)?, Lang::parse(first)?)),
            ("a", Some(intent)) => Some(Action::Answer(intent.to_owned(), Lang::parse(first)?)),
            ("l", None) if first == "auto" => Some(Action::SetLang(LangChoice::Auto)),
            ("l", None) => Lang::parse(first).map(|l| Action::SetLang(LangChoice::Fixed(l))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intents::MAX_ID_LEN;

    #[test]
    fn every_action_survives_a_round_trip() {
        let actions = [
            Action::Menu(Lang::ID),
            Action::Topic(Topic::Myths, Lang::EN),
            Action::Answer("training_duration".into(), Lang::ID),
            Action::SetLang(LangChoice::Auto),
            Action::SetLang(LangChoice::Fixed(Lang::EN)),
        ];
        for action in actions {
            assert_eq!(Action::decode(&action.encode()), Some(action));
        }
    }

    #[test]
    fn the_longest_intent_id_fits_in_callback_data() {
        let action = Action::Answer("x".repeat(MAX_ID_LEN), Lang::EN);
        assert!(action.encode().len() <= CALLBACK_DATA_LIMIT);
    }

    #[test]
    fn foreign_data_is_ignored() {
        for data in [
            "",
            "x",
            "m",
            "m:english",
            "t:en:nothing",
            "a:en",
            "l:",
            "vote:1",
        ] {
            assert_eq!(Action::decode(data), None, "{data}");
        }
    }
}
