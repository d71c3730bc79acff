//! Inline mode: a student types `@the_bot how long is IR training` in any
//! chat, even one the bot is not in, and picks an answer to post there.
//!
//! [`inline_answer`] decides what the list shows, from the same matcher
//! and replies as a private chat; it is pure, so it is tested without
//! Telegram. The handler only reads the query and sends the list.
//!
//! Inline queries arrive on every keystroke, so the handler does less than
//! for a message: no flood guard (a fast typist is not a flood, and the
//! guard counts messages), no /stats counts and no unmatched-question log
//! (a half-typed word is not a question). They come in through the inbox
//! like every update, which keeps a webhook's redelivery from answering
//! twice, and are cleared once answered. Telegram lets a bot answer an
//! inline query only for a few seconds, so the answer is sent once, never
//! resent after a failure (logged as a warning): the next keystroke asks
//! again anyway. One left in the inbox by a stop is answered at the next
//! start, and Telegram refuses that answer; it costs one request, and
//! keeps the inbox's one rule: every update is answered once.

use std::sync::Arc;
use std::time::Instant;

use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InlineQueryResultArticle,
    InputMessageContent, InputMessageContentText, Me, ParseMode,
};
use teloxide::utils::html::escape;

use super::advisor::{Advisor, Knowledge};
use super::html::telegram_messages;
use super::retry::Sender;
use crate::intents::{DeclineKind, Intent, IntentSet};
use crate::lang::Lang;
use crate::matcher::{decline_label, Decision, Match};
use crate::replies::{answer_text, reply_to, Ui};

/// How long Telegram may show the same list again for the same query, in
/// seconds: answers change only on a reload.
pub const CACHE_TIME: u32 = 300;

/// The most results a list shows: an answer and its nearest topics.
pub const MAX_RESULTS: usize = 5;

/// The most topics a list shows when the matcher is unsure between them.
const MAX_CLARIFY: usize = 3;

/// One result of the list, before it becomes Telegram's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineChoice {
    /// Unique within one list: an intent id, or `none:<what>`.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The message it posts: escaped HTML, one Telegram message.
    pub html: String,
    /// What the button opens: the private chat, on this topic when set.
    pub button: Option<ChatLink>,
}

/// A URL button that opens a private chat with the bot. Buttons on inline
/// messages are links only: a callback button's press would come without
/// a message the bot could edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatLink {
    pub label: &'static str,
    /// The `/start` payload: an intent id, answered in the private chat.
    pub start: Option<String>,
}

/// What the bot answers an inline query with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineAnswer {
    pub choices: Vec<InlineChoice>,
    pub lang: Lang,
    /// Whether Telegram must cache the list for this user alone: when its
    /// language may have come from the user's Telegram rather than the
    /// query, another user typing the same query may need another one.
    pub is_personal: bool,
    /// For the log line: what the query led to.
    pub kind: &'static str,
}

/// The list for `query` from a user whose Telegram speaks `user_lang`
/// (when the intents do), offering a chat with the bot `bot_username`.
///
/// The language is the query's own when its words tell, else the user's,
/// else English. The matcher cannot say which of the two it was when they
/// are the same, so the list is personal whenever its language is the one
/// the user's Telegram would give: never shared in the wrong language, at
/// worst cached once more.
pub fn inline_answer(
    knowledge: &Knowledge,
    query: &str,
    user_lang: Option<Lang>,
    bot_username: &str,
) -> InlineAnswer {
    let fallback = user_lang.unwrap_or(Lang::EN);
    let set = &knowledge.intents;
    let query = query.trim();
    if query.is_empty() {
        // The first topic of each menu group, in the menu's order.
        let firsts = first_of_each_group(set);
        return InlineAnswer {
            choices: firsts
                .map(|intent| topic_choice(intent, fallback))
                .collect(),
            lang: fallback,
            is_personal: true,
            kind: "inline topics",
        };
    }
    let found = knowledge.matcher.classify(query, fallback);
    let (choices, kind) = choices_for(set, &found, bot_username);
    InlineAnswer {
        choices,
        lang: found.lang,
        is_personal: found.lang == fallback,
        kind,
    }
}

/// The first intent of each group of the /topics menu, in its order.
fn first_of_each_group(set: &IntentSet) -> impl Iterator<Item = &Intent> {
    let menu = set.menu();
    menu.topics()
        .filter_map(move |topic| menu.intents(topic).first())
        .filter_map(|id| set.get(id))
}

/// The results for the matcher's verdict `found`, in its language, with
/// what they are for the log line.
fn choices_for(
    set: &IntentSet,
    found: &Match,
    bot_username: &str,
) -> (Vec<InlineChoice>, &'static str) {
    let lang = found.lang;
    let topics = |ids: Vec<&str>, limit: usize| -> Vec<InlineChoice> {
        ids.into_iter()
            .filter_map(|id| set.get(id))
            .take(limit)
            .map(|intent| topic_choice(intent, lang))
            .collect()
    };
    let candidates = found.candidates.iter().map(|c| c.intent.as_str());
    match found.decision {
        Decision::Answer => {
            let answered = found.intent.as_deref();
            let others = candidates.filter(|&id| Some(id) != answered);
            let ids = answered.into_iter().chain(others).collect();
            (topics(ids, MAX_RESULTS), "inline answer")
        }
        Decision::Clarify => (topics(candidates.collect(), MAX_CLARIFY), "inline clarify"),
        Decision::Decline(DeclineKind::Medical) => {
            let reply = reply_to(set, found);
            (vec![medical_choice(&reply.text, lang)], "inline medical")
        }
        Decision::Decline(_) => (
            vec![private_chat_choice(lang, bot_username)],
            "inline decline",
        ),
    }
}

/// The messages an intent's answer takes as HTML, in `lang`: an inline
/// result posts exactly one, so `check` rejects an answer that needs more.
pub fn inline_messages(intent: &Intent, lang: Lang) -> Vec<String> {
    telegram_messages(&answer_text(intent, lang))
}

fn first_message(messages: Vec<String>) -> String {
    messages.into_iter().next().unwrap_or_default()
}

/// The first line of `text` that has words.
fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// An intent's answer, with its care note and sources line, and a link to
/// ask the bot more about it.
fn topic_choice(intent: &Intent, lang: Lang) -> InlineChoice {
    let text = intent.text(lang);
    InlineChoice {
        id: intent.id.clone(),
        title: text.title.clone(),
        description: first_line(&text.answer),
        // `check` keeps every answer to one message; should one slip
        // through, its first message still makes sense alone.
        html: first_message(inline_messages(intent, lang)),
        button: Some(ChatLink {
            label: Ui::AskInPrivate.text(lang),
            start: Some(intent.id.clone()),
        }),
    }
}

/// A personal health question: the medical decline's reply alone, with no
/// topic that could read as advice.
fn medical_choice(reply: &str, lang: Lang) -> InlineChoice {
    InlineChoice {
        id: decline_label(DeclineKind::Medical),
        title: Ui::AskYourDoctor.text(lang).to_owned(),
        description: first_line(reply),
        html: first_message(telegram_messages(reply)),
        button: None,
    }
}

/// Any other decline: no answer to post, only a way to the bot, where
/// the question gets the full reply and the topics.
fn private_chat_choice(lang: Lang, bot_username: &str) -> InlineChoice {
    let invitation = format!("{} @{bot_username}", Ui::InviteToChat.text(lang));
    InlineChoice {
        id: "none:private".to_owned(),
        title: Ui::AskInPrivate.text(lang).to_owned(),
        description: Ui::NoInlineAnswer.text(lang).to_owned(),
        html: escape(&invitation),
        button: Some(ChatLink {
            label: Ui::AskInPrivate.text(lang),
            start: None,
        }),
    }
}

/// `choice` as Telegram's inline result.
fn article(choice: InlineChoice, bot_username: &str) -> InlineQueryResult {
    let content = InputMessageContentText::new(choice.html).parse_mode(ParseMode::Html);
    let mut article =
        InlineQueryResultArticle::new(choice.id, choice.title, InputMessageContent::Text(content))
            .description(choice.description);
    if let Some(button) = choice
        .button
        .and_then(|link| link_button(&link, bot_username))
    {
        article = article.reply_markup(InlineKeyboardMarkup::new([[button]]));
    }
    InlineQueryResult::Article(article)
}

/// The deep link `https://t.me/<bot>?start=<intent>`; `None` only if the
/// bot's username makes no URL, when the result goes without its button.
fn link_button(link: &ChatLink, bot_username: &str) -> Option<InlineKeyboardButton> {
    let mut url = url::Url::parse("https://t.me/")
        .ok()?
        .join(bot_username)
        .ok()?;
    if let Some(intent) = &link.start {
        url.query_pairs_mut().append_pair("start", intent);
    }
    Some(InlineKeyboardButton::url(link.label, url))
}

/// The handler: answers the query, then clears it from the inbox.
pub async fn on_inline_query(
    bot: Sender,
    update: Update,
    query: InlineQuery,
    me: Me,
    advisor: Arc<Advisor>,
) -> anyhow::Result<()> {
    let answering = answer_inline_query(&bot, query, &me, &advisor);
    advisor.handle(&update, answering).await
}

async fn answer_inline_query(
    bot: &Sender,
    query: InlineQuery,
    me: &Me,
    advisor: &Advisor,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let knowledge = advisor.knowledge();
    let user_lang = query
        .from
        .language_code
        .as_deref()
        .and_then(Lang::from_locale)
        .filter(|lang| knowledge.intents.languages().contains(lang));
    let username = me.username();
    let answer = inline_answer(&knowledge, &query.query, user_lang, username);
    let count = answer.choices.len();
    let results: Vec<InlineQueryResult> = answer
        .choices
        .into_iter()
        .map(|choice| article(choice, username))
        .collect();
    let sent = bot
        .answer_inline_query(query.id, results)
        .cache_time(CACHE_TIME)
        .is_personal(answer.is_personal)
        .await;
    if let Err(error) = sent {
        // Expected now and then: the query expired while the student
        // typed on, or was left over from before a restart.
        log::warn!("could not answer an inline query: {error}");
        return Ok(());
    }
    log::info!(
        "handled {} results={count} lang={} in {:.2?}",
        answer.kind,
        answer.lang,
        started.elapsed()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::matcher::Candidate;

    const BOT: &str = "ir_advisor_bot";

    fn shipped() -> &'static Knowledge {
        static SHIPPED: OnceLock<Knowledge> = OnceLock::new();
        SHIPPED.get_or_init(|| Knowledge::new(crate::shipped::intents().clone()))
    }

    fn ids(answer: &InlineAnswer) -> Vec<&str> {
        answer.choices.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn a_question_lists_its_answer_first_then_the_nearest_topics() {
        let question = "how many years does it take to become an interventional radiologist";
        let answer = inline_answer(shipped(), question, Some(Lang::ID), BOT);
        assert_eq!(answer.lang, Lang::EN, "the query's own language");
        assert!(!answer.is_personal, "the query chose the language");
        assert_eq!(ids(&answer)[0], "training_duration");
        assert!((2..=MAX_RESULTS).contains(&answer.choices.len()));
        let first = &answer.choices[0];
        let intent = shipped().intents.get("training_duration").unwrap();
        assert_eq!(first.title, intent.text(Lang::EN).title);
        assert_eq!(first.description, first_line(&intent.text(Lang::EN).answer));
        assert_eq!(first.html, escape(&answer_text(intent, Lang::EN)));
        assert!(first.html.contains("Sources: "), "{}", first.html);
        assert_eq!(
            first.button.as_ref().unwrap().start.as_deref(),
            Some("training_duration")
        );
    }

    #[test]
    fn an_indonesian_question_is_answered_in_indonesian() {
        let question = "berapa tahun sekolah untuk jadi radiolog intervensi";
        let answer = inline_answer(shipped(), question, None, BOT);
        assert_eq!(answer.lang, Lang::ID);
        assert!(!answer.is_personal);
        assert_eq!(ids(&answer)[0], "training_duration");
        assert!(answer.choices[0].html.contains("Sumber: "));
    }

    #[test]
    fn a_language_neutral_query_follows_the_user_and_is_personal() {
        let answer = inline_answer(shipped(), "fellowship", Some(Lang::ID), BOT);
        assert_eq!(answer.lang, Lang::ID);
        assert!(answer.is_personal);
        let answer = inline_answer(shipped(), "fellowship", None, BOT);
        assert_eq!(answer.lang, Lang::EN, "English without a language code");
        assert!(answer.is_personal, "never shared with an Indonesian user");
    }

    #[test]
    fn an_empty_query_lists_the_first_topic_of_each_menu_group() {
        let set = &shipped().intents;
        let answer = inline_answer(shipped(), "  ", Some(Lang::ID), BOT);
        let menu = set.menu();
        let firsts: Vec<&str> = menu
            .topics()
            .map(|topic| menu.intents(topic)[0].as_str())
            .collect();
        assert_eq!(ids(&answer), firsts);
        assert_eq!(firsts[0], "what_is_ir", "the menu file's first topic");
        assert!(!firsts.contains(&"greeting"), "small talk is not a topic");
        assert_eq!(answer.lang, Lang::ID);
        assert!(answer.is_personal);
    }

    #[test]
    fn a_declined_query_offers_only_a_private_chat() {
        for query in ["what is the best pizza in town", "salary"] {
            let answer = inline_answer(shipped(), query, None, BOT);
            assert_eq!(ids(&answer), ["none:private"], "{query}");
            let choice = &answer.choices[0];
            assert_eq!(choice.title, Ui::AskInPrivate.text(Lang::EN));
            assert!(choice.html.ends_with(&format!("@{BOT}")), "{}", choice.html);
            assert_eq!(choice.button.as_ref().unwrap().start, None);
        }
    }

    #[test]
    fn a_personal_medical_query_gets_only_the_ask_your_doctor_reply() {
        let query = "my ct scan report says 3cm mass in the liver, what does that mean";
        let answer = inline_answer(shipped(), query, None, BOT);
        assert_eq!(ids(&answer), ["none:medical"]);
        let medical = shipped().intents.decline(DeclineKind::Medical).unwrap();
        let reply = medical.text(Lang::EN).unwrap().reply.trim();
        assert_eq!(answer.choices[0].html, escape(reply));
        assert!(answer.choices[0].html.contains("doctor"));
        assert_eq!(answer.choices[0].button, None);
    }

    #[test]
    fn an_unsure_match_lists_its_candidates() {
        let candidate = |intent: &str| Candidate {
            intent: intent.into(),
            confidence: 0.3,
        };
        let found = Match {
            decision: Decision::Clarify,
            intent: None,
            confidence: 0.19,
            lang: Lang::ID,
            candidates: vec![candidate("ir_fellowship"), candidate("board_certification")],
        };
        let (choices, kind) = choices_for(&shipped().intents, &found, BOT);
        let ids: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["ir_fellowship", "board_certification"]);
        assert_eq!(kind, "inline clarify");
        let fellowship = shipped().intents.get("ir_fellowship").unwrap();
        assert_eq!(choices[0].title, fellowship.text(Lang::ID).title);
    }

    #[test]
    fn buttons_are_deep_links_to_the_bot() {
        let link = |start: Option<&str>| ChatLink {
            label: "Ask",
            start: start.map(str::to_owned),
        };
        let button = link_button(&link(Some("what_is_ir")), BOT).unwrap();
        let url = match button.kind {
            teloxide::types::InlineKeyboardButtonKind::Url(url) => url,
            other => panic!("not a link: {other:?}"),
        };
        assert_eq!(url.as_str(), "https://t.me/ir_advisor_bot?start=what_is_ir");
        let plain = link_button(&link(None), BOT).unwrap();
        assert!(
            matches!(plain.kind, teloxide::types::InlineKeyboardButtonKind::Url(u) if u.as_str() == "https://t.me/ir_advisor_bot")
        );
    }

    #[test]
    fn every_shipped_answer_posts_as_one_message() {
        for intent in shipped().intents.iter() {
            for &lang in intent.texts.keys() {
                assert_eq!(inline_messages(intent, lang).len(), 1, "{}", intent.id);
            }
        }
    }
}
