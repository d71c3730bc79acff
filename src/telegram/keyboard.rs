//! The inline keyboards the bot attaches to its messages.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::Action;
use crate::intents::{IntentSet, Topic, REQUIRED_LANGS};
use crate::lang::Lang;
use crate::replies::{language_name, topic_label, Suggestion, Ui};
use crate::storage::LangChoice;

fn button(label: &str, action: &Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

/// One button a row: titles are long and students read on phones.
fn column(buttons: impl IntoIterator<Item = InlineKeyboardButton>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.into_iter().map(|b| vec![b]))
}

/// The topic groups that have intents to show, in the menu's order.
pub fn topic_menu(set: &IntentSet, lang: Lang) -> InlineKeyboardMarkup {
    column(
        set.menu()
            .topics()
            .map(|topic| button(topic_label(topic, lang), &Action::Topic(topic, lang))),
    )
}

/// One group's intents by title in the menu's order, then a way back to
/// the groups.
pub fn topic_intents(set: &IntentSet, topic: Topic, lang: Lang) -> InlineKeyboardMarkup {
    let listed = set.menu().intents(topic).iter();
    let intents = listed.filter_map(|id| set.get(id)).map(|intent| {
        button(
            &intent.text(lang).title,
            &Action::Answer(intent.id.clone(), lang),
        )
    });
    column(intents.chain([back_to_topics(lang)]))
}

/// Follow-up topics under an answer, or guesses under a decline. No way
/// back to the menu here: a menu button edits its message in place, and
/// that would erase the answer.
pub fn suggestions(suggestions: &[Suggestion], lang: Lang) -> InlineKeyboardMarkup {
    column(
        suggestions
            .iter()
            .map(|s| button(&s.title, &Action::Answer(s.intent.clone(), lang))),
    )
}

/// An answer's follow-ups, then a 👍 / 👎 row to rate it.
pub fn answer(suggested: &[Suggestion], intent: &str, lang: Lang) -> InlineKeyboardMarkup {
    let vote = |helpful, label| {
        let action = Action::Vote {
            intent: intent.to_owned(),
            lang,
            helpful,
        };
        button(label, &action)
    };
    suggestions(suggested, lang).append_row([vote(true, "👍"), vote(false, "👎")])
}

/// Under a brief reply to a question asked again: the full answer, then
/// the related topics.
pub fn answered_above(suggested: &[Suggestion], intent: &str, lang: Lang) -> InlineKeyboardMarkup {
    let full = button(
        Ui::FullAnswer.text(lang),
        &Action::Answer(intent.to_owned(), lang),
    );
    column(
        [full].into_iter().chain(
            suggested
                .iter()
                .map(|s| button(&s.title, &Action::Answer(s.intent.clone(), lang))),
        ),
    )
}

/// An answer's follow-ups after a vote: the vote row becomes a thank-you.
pub fn answer_rated(suggested: &[Suggestion], lang: Lang) -> InlineKeyboardMarkup {
    suggestions(suggested, lang)
        .append_row([button(Ui::ThanksForVote.text(lang), &Action::Thanked)])
}

/// After a 👎: the answer's related topics, then the way to the topic
/// groups (this message is the bot's own, so the menu may replace it).
pub fn not_helpful(related: &[Suggestion], lang: Lang) -> InlineKeyboardMarkup {
    suggestions(related, lang).append_row([back_to_topics(lang)])
}

fn back_to_topics(lang: Lang) -> InlineKeyboardButton {
    button(Ui::BackToTopics.text(lang), &Action::Menu(lang))
}

/// The /lang choices: each language by its own name, then auto.
pub fn language_menu(lang: Lang) -> InlineKeyboardMarkup {
    let fixed = REQUIRED_LANGS
        .into_iter()
        .map(|l| button(language_name(l), &Action::SetLang(LangChoice::Fixed(l))));
    column(fixed.chain([button(
        Ui::AutoLanguage.text(lang),
        &Action::SetLang(LangChoice::Auto),
    )]))
}
