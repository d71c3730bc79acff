//! What a button press asks for, as the callback data Telegram carries
//! back (at most 64 bytes). Buttons carry their language, so a topic
//! opened from an Indonesian answer is answered in Indonesian.

use crate::intents::{IntentSet, Topic};
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
    /// Rate an answer: 👍 (`helpful`) or 👎.
    Vote {
        intent: String,
        lang: Lang,
        helpful: bool,
    },
    /// The thank-you that replaces the vote buttons: nothing to do.
    Thanked,
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Menu(lang) => format!("m:{lang}"),
            Action::Topic(topic, lang) => format!("t:{lang}:{}", topic.as_str()),
            Action::Answer(intent, lang) => format!("a:{lang}:{intent}"),
            Action::SetLang(LangChoice::Auto) => "l:auto".to_owned(),
            Action::SetLang(LangChoice::Fixed(lang)) => format!("l:{lang}"),
            Action::Vote {
                intent,
                lang,
                helpful,
            } => format!("v:{}:{lang}:{intent}", if *helpful { '+' } else { '-' }),
            Action::Thanked => "v:ok".to_owned(),
        }
    }

    /// Reads callback data; anything this bot did not write is `None`.
    pub fn decode(data: &str) -> Option<Action> {
        if let Some(vote) = data.strip_prefix("v:") {
            return decode_vote(vote);
        }
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

impl Action {
    /// Reads callback data and keeps it only if everything it names is
    /// known to `set`: any client can send any callback data, so a forged
    /// intent, language or vote is ignored, never stored.
    pub fn decode_for(data: &str, set: &IntentSet) -> Option<Action> {
        let action = Action::decode(data)?;
        let langs = set.languages();
        let known_lang = |lang: &Lang| langs.contains(lang);
        let known = match &action {
            Action::Menu(lang) | Action::Topic(_, lang) => known_lang(lang),
            Action::Answer(intent, lang) | Action::Vote { intent, lang, .. } => {
                known_lang(lang) && set.get(intent).is_some()
            }
            Action::SetLang(LangChoice::Fixed(lang)) => known_lang(lang),
            Action::SetLang(LangChoice::Auto) | Action::Thanked => true,
        };
        known.then_some(action)
    }
}

fn decode_vote(vote: &str) -> Option<Action> {
    if vote == "ok" {
        return Some(Action::Thanked);
    }
    let mut parts = vote.splitn(3, ':');
    let helpful = match parts.next()? {
        "+" => true,
        "-" => false,
        _ => return None,
    };
    let lang = Lang::parse(parts.next()?)?;
    let intent = parts.next().filter(|i| !i.is_empty())?.to_owned();
    Some(Action::Vote {
        intent,
        lang,
        helpful,
    })
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
            Action::Vote {
                intent: "duties".into(),
                lang: Lang::ID,
                helpful: false,
            },
            Action::Thanked,
        ];
        for action in actions {
            assert_eq!(Action::decode(&action.encode()), Some(action));
        }
    }

    #[test]
    fn the_longest_intent_id_fits_in_callback_data() {
        let id = "x".repeat(MAX_ID_LEN);
        let vote = Action::Vote {
            intent: id.clone(),
            lang: Lang::EN,
            helpful: true,
        };
        for action in [Action::Answer(id, Lang::EN), vote] {
            assert!(action.encode().len() <= CALLBACK_DATA_LIMIT);
        }
    }

    #[test]
    fn forged_intents_and_languages_are_rejected() {
        let set = crate::shipped::intents();
        for forged in [
            "a:en:no_such_intent",
            "v:+:en:no_such_intent",
            "v:-:fr:what_is_ir",
            "a:de:what_is_ir",
            "l:fr",
            "m:xx",
            "t:fr:about",
        ] {
            assert_eq!(Action::decode_for(forged, set), None, "{forged}");
        }
        for genuine in [
            "a:id:what_is_ir",
            "v:+:en:what_is_ir",
            "l:id",
            "l:auto",
            "m:en",
        ] {
            assert!(Action::decode_for(genuine, set).is_some(), "{genuine}");
        }
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
