//! The /topics menu's order, as data (`menu/topics.toml` in the intents
//! folder): the topic groups in the order a student reads them, each
//! group's intents likewise, and the small talk (greeting, thanks, help)
//! the bot answers but never lists. Validation needs the intents, so the
//! menu is read after them.
//!
//! An intent the file leaves out still loads, at the end of its group, so
//! that a new intent is served (and reloaded live) before anyone places
//! it; `ir-advisor check` rejects it ([`menu_problems`]), so shipped
//! content always has its place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{IntentSet, Topic};
use crate::file_error::FileError;

/// The sub-folder of the intents folder holding the menu file.
pub const MENU_DIR: &str = "menu";

/// The menu file in [`MENU_DIR`].
pub const MENU_FILE: &str = "topics.toml";

/// The groups in menu order, each with its intents' ids in menu order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Menu {
    groups: Vec<(Topic, Vec<String>)>,
    /// The menu file, and the intents it leaves out (shown at the end of
    /// their group).
    file: Option<PathBuf>,
    unplaced: Vec<String>,
}

impl Menu {
    /// Without a menu file: the groups in [`Topic::ALL`]'s order, their
    /// intents by id, none hidden.
    pub fn by_id(set: &IntentSet) -> Menu {
        let groups = Topic::ALL
            .into_iter()
            .map(|topic| (topic, set.in_topic(topic).map(|i| i.id.clone()).collect()))
            .filter(|(_, ids): &(Topic, Vec<String>)| !ids.is_empty())
            .collect();
        Menu {
            groups,
            ..Menu::default()
        }
    }

    /// The groups that have intents to show, in order.
    pub fn topics(&self) -> impl Iterator<Item = Topic> + '_ {
        self.groups
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(topic, _)| *topic)
    }

    /// The ids `topic` shows, in order.
    pub fn intents(&self, topic: Topic) -> &[String] {
        self.groups
            .iter()
            .find(|(t, _)| *t == topic)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MenuFile {
    #[serde(default)]
    hidden: Vec<String>,
    #[serde(default)]
    group: Vec<GroupEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupEntry {
    topic: String,
    intents: Vec<String>,
}

/// Reads the menu in `text` (from `path`) and checks it against `set`: an
/// intent listed at most once, under its own topic's group or as hidden;
/// each group at most once; no unknown topic or intent. The intents it
/// leaves out go at the end of their group.
pub fn parse_menu(path: &Path, text: &str, set: &IntentSet) -> Result<Menu, Vec<FileError>> {
    let file: MenuFile = toml::from_str(text).map_err(|e| {
        vec![FileError::new(
            path,
            None,
            format!("is not a valid menu: {e}"),
        )]
    })?;
    let mut errors = Vec::new();
    let mut error = |field: String, message: String| {
        errors.push(FileError::new(path, Some(&field), message));
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut listed = |id: &str, field: String, error: &mut dyn FnMut(String, String)| {
        if set.get(id).is_none() {
            error(field, format!("`{id}` is not an intent"));
        } else if let Some(first) = seen.get(id) {
            error(field, format!("`{id}` is listed already, at {first}"));
        } else {
            seen.insert(id.to_owned(), field);
        }
    };
    for (i, id) in file.hidden.iter().enumerate() {
        listed(id, format!("hidden[{i}]"), &mut error);
    }
    let mut groups: Vec<(Topic, Vec<String>)> = Vec::new();
    for (g, entry) in file.group.iter().enumerate() {
        let Some(topic) = Topic::parse(&entry.topic) else {
            let known: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
            error(
                format!("group[{g}].topic"),
                format!("`{}` is not a topic ({})", entry.topic, known.join(", ")),
            );
            continue;
        };
        if groups.iter().any(|(t, _)| *t == topic) {
            error(
                format!("group[{g}].topic"),
                format!("the `{}` group is listed twice", entry.topic),
            );
            continue;
        }
        for (i, id) in entry.intents.iter().enumerate() {
            let field = format!("group[{g}].intents[{i}]");
            if let Some(intent) = set.get(id).filter(|intent| intent.topic != topic) {
                error(
                    field.clone(),
                    format!(
                        "`{id}` has topic `{}`, not `{}`",
                        intent.topic.as_str(),
                        entry.topic
                    ),
                );
            }
            listed(id, field, &mut error);
        }
        groups.push((topic, entry.intents.clone()));
    }
    let mut unplaced = Vec::new();
    for intent in set.iter().filter(|i| !seen.contains_key(i.id.as_str())) {
        unplaced.push(intent.id.clone());
        match groups.iter_mut().find(|(topic, _)| *topic == intent.topic) {
            Some((_, ids)) => ids.push(intent.id.clone()),
            None => groups.push((intent.topic, vec![intent.id.clone()])),
        }
    }
    match errors.is_empty() {
        true => Ok(Menu {
            groups,
            file: Some(path.to_owned()),
            unplaced,
        }),
        false => Err(errors),
    }
}

/// The intents the menu file leaves out: every shipped intent has its
/// place in the menu, or is hidden.
pub fn menu_problems(set: &IntentSet) -> Vec<FileError> {
    let menu = set.menu();
    let Some(file) = &menu.file else {
        return Vec::new();
    };
    menu.unplaced
        .iter()
        .filter_map(|id| set.get(id))
        .map(|intent| {
            FileError::new(
                file,
                Some("group"),
                format!(
                    "intent `{}` is not in the menu: add it to the `{}` group's intents, or to hidden",
                    intent.id,
                    intent.topic.as_str()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intents::{parse_intent, Intent};
    use crate::lexicon::Lexicon;

    fn intent(id: &str, topic: &str) -> Intent {
        let text = format!(
            "topic = \"{topic}\"\nsources = []\n\n[en]\ntitle = \"T\"\npatterns = [\"{id} pattern\"]\nanswer = \"A.\"\n\n[id]\ntitle = \"T\"\npatterns = [\"{id} pola\"]\nanswer = \"J.\"\n"
        );
        parse_intent(id, Path::new(id), &text, crate::intents::today()).unwrap()
    }

    fn set() -> IntentSet {
        let intents = vec![
            intent("greeting", "bot"),
            intent("what_is_ir", "about"),
            intent("duties", "about"),
            intent("training_pathway", "training"),
        ];
        IntentSet::new(intents, Lexicon::default())
    }

    fn fields(text: &str) -> Vec<String> {
        parse_menu(Path::new("menu/topics.toml"), text, &set())
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    const GOOD: &str = "hidden = [\"greeting\"]\n\
        [[group]]\ntopic = \"training\"\nintents = [\"training_pathway\"]\n\
        [[group]]\ntopic = \"about\"\nintents = [\"what_is_ir\", \"duties\"]\n";

    #[test]
    fn the_menu_keeps_the_files_order_and_hides_small_talk() {
        let menu = parse_menu(Path::new("m"), GOOD, &set()).unwrap();
        let topics: Vec<Topic> = menu.topics().collect();
        assert_eq!(topics, [Topic::Training, Topic::About]);
        assert_eq!(menu.intents(Topic::About), ["what_is_ir", "duties"]);
        assert!(menu.intents(Topic::Bot).is_empty());
    }

    #[test]
    fn unknown_ids_are_rejected_with_their_file_and_field() {
        let text = GOOD.replace("\"duties\"", "\"duties\", \"no_such\"");
        let errors = fields(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("menu/topics.toml"), "{errors:?}");
        assert!(errors[0].contains("group[1].intents[2]"), "{errors:?}");
        assert!(errors[0].contains("no_such"), "{errors:?}");
    }

    #[test]
    fn an_intent_left_out_is_served_last_in_its_group_but_fails_check() {
        let text = GOOD.replace(", \"duties\"", "");
        let menu = parse_menu(Path::new("m"), &text, &set()).unwrap();
        assert_eq!(menu.intents(Topic::About), ["what_is_ir", "duties"]);
        let problems = menu_problems(&set().with_menu(menu));
        assert_eq!(problems.len(), 1);
        let problem = problems[0].to_string();
        assert!(problem.contains("`duties` is not in the menu"), "{problem}");
    }

    #[test]
    fn every_intent_appears_once_under_its_own_topic() {
        let twice = fields(&GOOD.replace("[\"greeting\"]", "[\"greeting\", \"duties\"]"));
        assert!(
            twice.iter().any(|e| e.contains("listed already")),
            "{twice:?}"
        );
        let elsewhere = fields(
            &GOOD
                .replace(
                    "[\"training_pathway\"]",
                    "[\"training_pathway\", \"greeting\"]",
                )
                .replace("hidden = [\"greeting\"]", ""),
        );
        assert!(
            elsewhere.iter().any(|e| e.contains("has topic `bot`")),
            "{elsewhere:?}"
        );
        let unknown_topic = fields(&GOOD.replace("topic = \"about\"", "topic = \"abut\""));
        assert!(
            unknown_topic.iter().any(|e| e.contains("group[1].topic")),
            "{unknown_topic:?}"
        );
    }
}
