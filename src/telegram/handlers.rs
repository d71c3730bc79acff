//! What the bot does with each update: commands, questions, button presses
//! and everything else a student might send.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;

use anyhow::Context as _;
use teloxide::adaptors::Throttle;
use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, Me, MessageId, ParseMode, ReplyParameters, User};
use teloxide::utils::command::BotCommands;
use teloxide::utils::html::escape;
use teloxide::{ApiError, RequestError};

use super::advisor::{Advisor, Knowledge};
use super::callback::Action;
use super::html::telegram_messages;
use super::keyboard;
use super::privacy;
use super::retry::{classify, Failure, Sender};
use crate::conversation::{Context, Conversation, Turn};
use crate::intents::Topic;
use crate::lang::Lang;
use crate::replies::{answer, answered_above, reply_to, topic_label, Reply, Ui};
use crate::stats::shortened;
use crate::storage::{ChatState, ChatStore, LangChoice};
use crate::unmatched::Unmatched;

/// The bot as the handlers use it: every request goes through teloxide's
/// throttle, which keeps bursts under Telegram's limits and waits out a
/// 429's `retry_after` before sending again.
pub type AdvisorBot = Throttle<Bot>;

type HandlerResult = anyhow::Result<()>;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// `/start`, or `/start <intent_id>` from a deep link.
    Start(String),
    Help,
    Topics,
    Lang,
    /// Admins only: load the intents folder again.
    Reload,
    /// Admins only: counts since start and helpfulness per intent.
    Stats,
    /// What the bot keeps about this chat.
    Privacy,
    /// Deletes it: at once, without a confirm button, because what goes
    /// (a language choice, the last topic, ratings) is small and easily
    /// made again, and typing the command is deliberate enough.
    Forget,
}

/// The handler tree. Building a dispatcher type-checks it, so a test that
/// only builds one catches wiring mistakes.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_edited_message().endpoint(on_edited_message))
        .branch(Update::filter_callback_query().endpoint(on_button))
        .branch(Update::filter_inline_query().endpoint(super::inline::on_inline_query))
}

/// What one update led to, for its log line.
struct Handled {
    kind: &'static str,
    intent: Option<String>,
    confidence: Option<f32>,
    lang: Lang,
}

impl Handled {
    fn plain(kind: &'static str, lang: Lang) -> Handled {
        Handled {
            kind,
            intent: None,
            confidence: None,
            lang,
        }
    }

    fn log(&self, started: Instant) {
        log::info!(
            "handled {} intent={} confidence={} lang={} in {:.2?}",
            self.kind,
            self.intent.as_deref().unwrap_or("-"),
            self.confidence
                .map_or("-".to_owned(), |c| format!("{c:.2}")),
            self.lang,
            started.elapsed()
        );
    }
}

/// What a message asks of the bot.
enum Incoming<'a> {
    Command(Command),
    Question(&'a str),
    /// A sticker, photo, voice note or other message without text.
    NotText,
    /// A group message meant for someone else, or an unknown command.
    UnknownCommand,
    Ignored,
}

/// Reads a message. In groups the bot answers only commands and messages
/// that mention it or reply to it, so it never talks over the members. A
/// photo or document with a caption is read as its caption.
fn read_message<'a>(msg: &'a Message, me: &Me) -> Incoming<'a> {
    let private = msg.chat.is_private();
    let replies_to_bot = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| u.id == me.id);
    let Some(text) = msg.text().or_else(|| msg.caption()) else {
        return if private || replies_to_bot {
            Incoming::NotText
        } else {
            Incoming::Ignored
        };
    };
    if text.starts_with('/') {
        return match Command::parse(text, me.username()) {
            Ok(command) => Incoming::Command(command),
            Err(_) if private => Incoming::UnknownCommand,
            Err(_) => Incoming::Ignored,
        };
    }
    let mention = me.mention();
    if private || replies_to_bot {
        Incoming::Question(text)
    } else if text.contains(&mention) {
        Incoming::Question(text.trim_start_matches(&mention).trim())
    } else {
        Incoming::Ignored
    }
}

/// The three kinds of update the bot answers: each is cleared from the
/// inbox once handled ([`Advisor::handle`]).
async fn on_message(
    bot: Sender,
    update: Update,
    msg: Message,
    me: Me,
    advisor: Arc<Advisor>,
) -> HandlerResult {
    let over_the_limit = advisor.flood.take_note(update.id);
    // In a group, an answer quotes the question, so members can tell
    // whose it answers.
    let bot = match msg.chat.is_private() {
        true => bot,
        false => bot.quoting(msg.chat.id, msg.id),
    };
    let (chat, lang) = (msg.chat.id, user_lang(&advisor, msg.from.as_ref()));
    let answering = answer_message(&bot, msg, me, &advisor, over_the_limit);
    answer_safely(&bot, &advisor, &update, chat, lang, answering).await
}

async fn on_edited_message(
    bot: Sender,
    update: Update,
    msg: Message,
    advisor: Arc<Advisor>,
) -> HandlerResult {
    let (chat, lang) = (msg.chat.id, user_lang(&advisor, msg.from.as_ref()));
    let answering = answer_edited_message(&bot, msg, &advisor);
    answer_safely(&bot, &advisor, &update, chat, lang, answering).await
}

async fn on_button(
    bot: Sender,
    update: Update,
    press: CallbackQuery,
    advisor: Arc<Advisor>,
) -> HandlerResult {
    let lang = user_lang(&advisor, Some(&press.from));
    let chat = press.message.as_ref().map(|m| m.chat().id);
    let answering = answer_button(&bot, press, &advisor);
    match chat {
        Some(chat) => answer_safely(&bot, &advisor, &update, chat, lang, answering).await,
        // A button under an inline message: no chat to apologise in.
        None => advisor.handle(&update, answering).await,
    }
}

/// Runs `answering`, clears `update` from the inbox, and keeps the rules
/// of a bot that never goes quiet: a double tap (Telegram's "message is
/// not modified") is no failure; a refusal from Telegram (blocked, chat
/// not found) is logged, with no apology that would be refused too; a
/// reply that could not reach Telegram even after the resends is logged;
/// and anything else, a panic included, gets a short apology in the
/// student's language. Database errors never get here: they are logged
/// where they happen, and the answer goes out anyway.
async fn answer_safely(
    bot: &Sender,
    advisor: &Advisor,
    update: &Update,
    chat: ChatId,
    lang: Lang,
    answering: impl Future<Output = HandlerResult>,
) -> HandlerResult {
    let guarded = AssertUnwindSafe(answering)
        .catch_unwind()
        .map(|caught| caught.unwrap_or_else(|panic| Err(panicked(panic.as_ref()))));
    let Err(error) = advisor.handle(update, guarded).await else {
        return Ok(());
    };
    match error.downcast_ref::<RequestError>() {
        Some(RequestError::Api(ApiError::MessageNotModified)) => {
            log::debug!("a double tap: the message already shows what was asked");
        }
        Some(refusal) if classify(refusal) == Failure::Final => {
            log::warn!("Telegram refused a reply to chat {chat} ({refusal}): not answered");
        }
        Some(failure) => {
            log::error!(
                "a reply to chat {chat} could not reach Telegram, resends included: {failure}"
            );
        }
        None => {
            log::error!(
                "an update from chat {chat} could not be answered ({error:#}): apologising"
            );
            if let Err(failure) = send_text(bot, chat, Ui::Apology.text(lang), None).await {
                log::error!("the apology to chat {chat} failed too: {failure}");
            }
        }
    }
    Ok(())
}

/// A handler's panic as an error, with its message when it has one.
fn panicked(payload: &(dyn std::any::Any + Send)) -> anyhow::Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    anyhow::anyhow!("the handler panicked: {message}")
}

/// The language of `user`'s Telegram when the intents speak it, else
/// English.
fn user_lang(advisor: &Advisor, user: Option<&User>) -> Lang {
    user.and_then(|u| u.language_code.as_deref())
        .and_then(Lang::from_locale)
        .filter(|l| advisor.knowledge().intents.languages().contains(l))
        .unwrap_or(Lang::EN)
}

/// Answers `msg`; the message that crossed the flood limit
/// (`over_the_limit`, counted on arrival by the inbox) gets the note only.
async fn answer_message(
    bot: &Sender,
    msg: Message,
    me: Me,
    advisor: &Arc<Advisor>,
    over_the_limit: bool,
) -> HandlerResult {
    let started = Instant::now();
    let chat = Chat::of(advisor, &msg.chat, msg.from.as_ref()).await;
    let incoming = read_message(&msg, &me);
    if over_the_limit {
        send_note(bot, &chat, Ui::SlowDown, "flood")
            .await?
            .log(started);
        return Ok(());
    }
    let is_admin = msg.from.as_ref().is_some_and(|u| advisor.is_admin(u.id.0));
    let may_change_settings = match incoming {
        Incoming::Command(Command::Lang | Command::Forget) => {
            may_change_settings(bot, &msg.chat, msg.from.as_ref(), msg.sender_chat.as_ref()).await
        }
        _ => true,
    };
    let handled = match incoming {
        Incoming::Command(Command::Lang | Command::Forget) if !may_change_settings => {
            send_note(bot, &chat, Ui::AdminsOnly, "not a group admin").await?
        }
        Incoming::Command(Command::Reload | Command::Stats) if !is_admin => {
            // Exactly the unknown-command reply: nothing reveals that admin
            // commands exist.
            match msg.chat.is_private() {
                true => send_note(bot, &chat, Ui::UnknownCommand, "unknown command").await?,
                false => return Ok(()),
            }
        }
        Incoming::Command(command) => on_command(bot, advisor, &chat, command).await?,
        Incoming::Question(question) => on_question(bot, advisor, &chat, question).await?,
        Incoming::NotText => send_note(bot, &chat, Ui::TextOnly, "non-text").await?,
        Incoming::UnknownCommand => {
            send_note(bot, &chat, Ui::UnknownCommand, "unknown command").await?
        }
        Incoming::Ignored => return Ok(()),
    };
    handled.log(started);
    Ok(())
}

async fn answer_edited_message(bot: &Sender, msg: Message, advisor: &Advisor) -> HandlerResult {
    if !msg.chat.is_private() {
        return Ok(());
    }
    let started = Instant::now();
    let chat = Chat::of(advisor, &msg.chat, msg.from.as_ref()).await;
    send_note(bot, &chat, Ui::EditedMessage, "edited message")
        .await?
        .log(started);
    Ok(())
}

async fn answer_button(bot: &Sender, press: CallbackQuery, advisor: &Advisor) -> HandlerResult {
    let started = Instant::now();
    let knowledge = advisor.knowledge();
    let decoded = press
        .data
        .as_deref()
        .and_then(|data| Action::decode_for(data, &knowledge.intents));
    // A group's language is the admins' to change: checked on the press
    // too, since anyone in the group can press the /lang buttons.
    let refused = match (&decoded, press.message.as_ref()) {
        (Some(Action::SetLang(_)), Some(message)) => {
            !may_change_settings(bot, message.chat(), Some(&press.from), None).await
        }
        _ => false,
    };
    let toast = match &decoded {
        _ if refused => Some(Ui::AdminsOnly.text(user_lang(advisor, Some(&press.from)))),
        Some(Action::Vote {
            helpful: true,
            lang,
            ..
        }) => Some(Ui::GladItHelped.text(*lang)),
        _ => None,
    };
    // Acknowledge first, so the button stops spinning; a failure here must
    // not lose the press itself.
    let acknowledgement = bot.answer_callback_query(press.id.clone());
    let acknowledged = match toast {
        Some(toast) => acknowledgement.text(toast).await,
        None => acknowledgement.await,
    };
    if let Err(error) = acknowledged {
        log::warn!("could not acknowledge a button press: {error}");
    }
    let (Some(action), Some(message), false) = (decoded, press.message.as_ref(), refused) else {
        log::debug!("ignored a press: {:?} (refused: {refused})", press.data);
        return Ok(());
    };
    let chat = Chat::of(advisor, message.chat(), Some(&press.from)).await;
    let pressed = press.regular_message().map(|m| m.id);
    let handled = match action {
        Action::Menu(lang) => {
            let text = Ui::PickTopic.text(lang);
            let menu = keyboard::topic_menu(&knowledge.intents, lang);
            show_menu(bot, &chat, pressed, text, menu).await?;
            Handled::plain("button menu", lang)
        }
        Action::Topic(topic, lang) => {
            show_topic(bot, &knowledge, &chat, pressed, topic, lang).await?;
            Handled::plain("button topic", lang)
        }
        Action::Answer(intent, lang) => {
            send_answer(bot, advisor, &chat, &intent, lang, "button answer").await?
        }
        Action::SetLang(choice) => set_language(bot, advisor, &chat, pressed, choice).await?,
        Action::Vote {
            intent,
            lang,
            helpful,
        } => match pressed {
            Some(message) => {
                record_vote(bot, advisor, &chat, message, &intent, lang, helpful).await?
            }
            None => return Ok(()),
        },
        Action::Thanked => return Ok(()),
    };
    handled.log(started);
    Ok(())
}

/// Whether the sender of a message or press may change the chat's
/// settings (/lang, /forget): anyone in a private chat; in a group, its
/// admins, an anonymous admin included (who writes as the group itself).
/// When Telegram cannot say, no.
async fn may_change_settings(
    bot: &Sender,
    chat: &teloxide::types::Chat,
    user: Option<&User>,
    sender_chat: Option<&teloxide::types::Chat>,
) -> bool {
    if chat.is_private() || sender_chat.is_some_and(|sender| sender.id == chat.id) {
        return true;
    }
    let Some(user) = user else {
        return false;
    };
    match bot.get_chat_member(chat.id, user.id).await {
        Ok(member) => member.is_privileged(),
        Err(error) => {
            log::warn!(
                "could not tell whether a member of chat {} is an admin: {error}",
                chat.id
            );
            false
        }
    }
}

/// The chat a reply goes to, with the language its notes and menus use.
struct Chat {
    id: ChatId,
    choice: LangChoice,
    /// What the chat was last answered about, and when.
    context: Option<Context>,
    /// The language the chat last asked a question in.
    last_lang: Option<Lang>,
    /// The chosen language, else the language the chat last asked in,
    /// else the user's Telegram language when the intents speak it, else
    /// English.
    ui_lang: Lang,
}

impl Chat {
    /// A chat whose state cannot be read follows each question's
    /// language: the student still gets an answer.
    async fn of(advisor: &Advisor, chat: &teloxide::types::Chat, user: Option<&User>) -> Chat {
        let id = chat.id.0;
        let state = match advisor.store.off_runtime(move |s| s.chat(id)).await {
            Ok(state) => state,
            Err(error) => {
                log::error!("could not read a chat's state ({error}); answering without it");
                ChatState::default()
            }
        };
        let ui_lang = match state.lang {
            LangChoice::Fixed(lang) => lang,
            LangChoice::Auto => state.last_lang.unwrap_or_else(|| user_lang(advisor, user)),
        };
        Chat {
            id: chat.id,
            choice: state.lang,
            context: state.context(),
            last_lang: state.last_lang,
            ui_lang,
        }
    }
}

async fn on_command(
    bot: &Sender,
    advisor: &Arc<Advisor>,
    chat: &Chat,
    command: Command,
) -> anyhow::Result<Handled> {
    let lang = chat.ui_lang;
    let knowledge = advisor.knowledge();
    match command {
        Command::Start(payload) if knowledge.intents.get(payload.trim()).is_some() => {
            send_answer(bot, advisor, chat, payload.trim(), lang, "deep link").await
        }
        Command::Start(_) => {
            let menu = keyboard::topic_menu(&knowledge.intents, lang);
            send_text(bot, chat.id, Ui::Greeting.text(lang), Some(menu)).await?;
            Ok(Handled::plain("/start", lang))
        }
        Command::Help => send_note(bot, chat, Ui::Help, "/help").await,
        Command::Topics => {
            let menu = keyboard::topic_menu(&knowledge.intents, lang);
            send_text(bot, chat.id, Ui::PickTopic.text(lang), Some(menu)).await?;
            Ok(Handled::plain("/topics", lang))
        }
        Command::Lang => {
            let menu = keyboard::language_menu(lang);
            send_text(bot, chat.id, Ui::ChooseLanguage.text(lang), Some(menu)).await?;
            Ok(Handled::plain("/lang", lang))
        }
        Command::Reload => {
            let outcome = reload_report(advisor).await;
            send_text(bot, chat.id, &outcome, None).await?;
            Ok(Handled::plain("/reload", lang))
        }
        Command::Stats => {
            send_text(bot, chat.id, &stats_report(advisor).await, None).await?;
            Ok(Handled::plain("/stats", lang))
        }
        Command::Privacy => {
            let report = privacy::report(advisor, &knowledge.intents, chat.id, lang).await?;
            send_text(bot, chat.id, &report, None).await?;
            Ok(Handled::plain("/privacy", lang))
        }
        Command::Forget => {
            let id = chat.id.0;
            let forgotten = advisor.store.off_runtime(move |s| s.forget_chat(id)).await;
            // Saying "done" when it was not would be worse than no answer.
            forgotten.context("could not forget a chat")?;
            send_note(bot, chat, Ui::Forgotten, "/forget").await
        }
    }
}

/// How many intents of each kind /stats lists.
const STATS_TOP: usize = 10;

/// Reloads off the async threads, and says what happened: admins read
/// English, like the logs.
async fn reload_report(advisor: &Arc<Advisor>) -> String {
    let advisor = advisor.clone();
    match tokio::task::spawn_blocking(move || advisor.reload()).await {
        Ok(Ok(count)) => format!("Reloaded: {count} intents."),
        Ok(Err(error)) => format!("Reload failed; still serving the previous intents.\n{error}"),
        Err(error) => format!("Reload failed: {error}"),
    }
}

/// How much of a declined question /stats shows: a long one would fill
/// the admin's screen, or several messages.
const STATS_QUESTION_CHARS: usize = 80;

/// The counts since start, and the votes when the database can be read:
/// the rest of the report is worth having without them.
async fn stats_report(advisor: &Advisor) -> String {
    let summary = advisor.stats.summary(STATS_TOP);
    let kinds: Vec<String> = summary
        .declined_by_kind
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    let mut text = format!(
        "Since start: {} answered, {} declined ({}), {} reactions.\n\nTop intents:\n",
        summary.answered,
        summary.declined,
        if kinds.is_empty() {
            "none".to_owned()
        } else {
            kinds.join(", ")
        },
        summary.reactions
    );
    for (intent, count) in &summary.top_intents {
        text.push_str(&format!("  {count} {intent}\n"));
    }
    text.push_str("\nTop declined questions:\n");
    for (question, count) in &summary.top_declined {
        let question = shortened(question, STATS_QUESTION_CHARS);
        text.push_str(&format!("  {count} {question}\n"));
    }
    text.push_str("\nHelpful / not helpful:\n");
    match advisor.store.off_runtime(ChatStore::helpfulness).await {
        Ok(helpfulness) => text.push_str(&crate::report::helpfulness_lines(&helpfulness)),
        Err(error) => {
            log::error!("could not read the votes for /stats: {error}");
            text.push_str("  (unavailable: the database could not be read)\n");
        }
    }
    text
}

/// Reads a question against the chat's context ([`Conversation`]):
/// a reaction gets a short word and the topics, a repeat a brief reply
/// with the full answer a tap away, anything else the answer or decline.
async fn on_question(
    bot: &Sender,
    advisor: &Advisor,
    chat: &Chat,
    question: &str,
) -> anyhow::Result<Handled> {
    log::debug!("question: {question}");
    let knowledge = advisor.knowledge();
    let now = chrono::Utc::now();
    let conversation = Conversation::new(&knowledge.intents, &knowledge.matcher);
    let turn = conversation.read(chat.context.as_ref(), question, chat.ui_lang, now);
    let reply_lang = |lang: Lang| match chat.choice {
        LangChoice::Fixed(fixed) => fixed,
        LangChoice::Auto => lang,
    };
    let handled = match &turn {
        Turn::Reaction { lang, puzzled } => {
            let lang = reply_lang(*lang);
            advisor.stats.record_reaction();
            let note = if *puzzled { Ui::Puzzled } else { Ui::Reaction };
            let menu = keyboard::topic_menu(&knowledge.intents, lang);
            send_text(bot, chat.id, note.text(lang), Some(menu)).await?;
            Handled::plain("reaction", lang)
        }
        Turn::Question {
            found,
            follow_up,
            repeat,
        } => {
            let mut found = found.clone();
            found.lang = reply_lang(found.lang);
            advisor.stats.record(question, &found);
            if let Some(entry) = Unmatched::of(question, &found, now) {
                if let Err(error) = advisor.unmatched.record(&entry) {
                    log::warn!("could not log an unmatched question: {error}");
                }
            }
            let brief = found
                .intent
                .as_deref()
                .filter(|_| *repeat)
                .and_then(|id| Some((id, answered_above(&knowledge.intents, id, found.lang)?)));
            match brief {
                Some((intent, reply)) => {
                    let markup = keyboard::answered_above(&reply.suggestions, intent, reply.lang);
                    send_text(bot, chat.id, &reply.message_text(), Some(markup)).await?;
                }
                None => {
                    let reply = reply_to(&knowledge.intents, &found);
                    send_reply(bot, &knowledge, chat.id, &reply, found.intent.as_deref()).await?;
                }
            }
            let kind = match (follow_up, repeat) {
                (_, true) => "repeat",
                (Some(_), false) => "follow-up",
                (None, false) => "question",
            };
            Handled {
                kind,
                confidence: Some(found.confidence),
                lang: found.lang,
                intent: found.intent,
            }
        }
    };
    let after = turn.context_after(&knowledge.intents, chat.context.clone(), now);
    if let Some(context) = after.filter(|c| Some(c) != chat.context.as_ref()) {
        remember(advisor, chat.id, context).await;
    }
    if let Turn::Question { found, .. } = &turn {
        if chat.last_lang != Some(found.lang) {
            remember_lang(advisor, chat.id, found.lang).await;
        }
    }
    Ok(handled)
}

/// Keeps the chat's conversation context; a failure is logged and the
/// answer stands.
async fn remember(advisor: &Advisor, chat: ChatId, context: Context) {
    advisor
        .write("the conversation context", move |s| {
            s.set_context(chat.0, &context)
        })
        .await;
}

/// Keeps the language the chat asked in; a failure is logged and the
/// answer stands.
async fn remember_lang(advisor: &Advisor, chat: ChatId, lang: Lang) {
    advisor
        .write("the chat's language", move |s| {
            s.set_last_lang(chat.0, lang)
        })
        .await;
}

async fn send_answer(
    bot: &Sender,
    advisor: &Advisor,
    chat: &Chat,
    intent: &str,
    lang: Lang,
    kind: &'static str,
) -> anyhow::Result<Handled> {
    let knowledge = advisor.knowledge();
    let Some(reply) = answer(&knowledge.intents, intent, lang) else {
        // A button from before a reload that removed the intent.
        return send_note(bot, chat, Ui::PickTopic, kind).await;
    };
    send_reply(bot, &knowledge, chat.id, &reply, Some(intent)).await?;
    let context = Context {
        intent: intent.to_owned(),
        at: chrono::Utc::now(),
    };
    remember(advisor, chat.id, context).await;
    Ok(Handled {
        kind,
        intent: Some(intent.to_owned()),
        confidence: None,
        lang,
    })
}

/// An answer (of `intent`) with its follow-ups and vote buttons; a decline
/// offers its guesses, or the topic groups when nothing is close.
async fn send_reply(
    bot: &Sender,
    knowledge: &Knowledge,
    chat: ChatId,
    reply: &Reply,
    intent: Option<&str>,
) -> anyhow::Result<()> {
    let text = reply.message_text();
    let markup = match intent {
        Some(intent) if !reply.declined => keyboard::answer(&reply.suggestions, intent, reply.lang),
        _ if reply.suggestions.is_empty() => keyboard::topic_menu(&knowledge.intents, reply.lang),
        _ => keyboard::suggestions(&reply.suggestions, reply.lang),
    };
    send_text(bot, chat, &text, Some(markup)).await
}

/// Stores a 👍 / 👎 for the answer in `message` and turns its vote row
/// into a thank-you.
async fn record_vote(
    bot: &Sender,
    advisor: &Advisor,
    chat: &Chat,
    message: MessageId,
    intent: &str,
    lang: Lang,
    helpful: bool,
) -> anyhow::Result<Handled> {
    let (id, owned) = (chat.id.0, intent.to_owned());
    advisor
        .write("a vote", move |s| {
            s.record_vote(id, message.0, &owned, helpful)
        })
        .await;
    let related = answer(&advisor.knowledge().intents, intent, lang)
        .map(|reply| reply.suggestions)
        .unwrap_or_default();
    bot.retrying(
        bot.edit_message_reply_markup(chat.id, message)
            .reply_markup(keyboard::answer_rated(&related, lang)),
    )
    .await?;
    if !helpful {
        // A 👎 should lead somewhere: the answer's related topics, and
        // the topics menu, in a message of their own.
        let offer = keyboard::not_helpful(&related, lang);
        send_text(
            bot,
            chat.id,
            Ui::WhatWereYouLookingFor.text(lang),
            Some(offer),
        )
        .await?;
    }
    Ok(Handled {
        kind: if helpful {
            "vote helpful"
        } else {
            "vote not helpful"
        },
        intent: Some(intent.to_owned()),
        confidence: None,
        lang,
    })
}

async fn send_note(
    bot: &Sender,
    chat: &Chat,
    note: Ui,
    kind: &'static str,
) -> anyhow::Result<Handled> {
    send_text(bot, chat.id, note.text(chat.ui_lang), None).await?;
    Ok(Handled::plain(kind, chat.ui_lang))
}

async fn show_topic(
    bot: &Sender,
    knowledge: &Knowledge,
    chat: &Chat,
    pressed: Option<MessageId>,
    topic: Topic,
    lang: Lang,
) -> anyhow::Result<()> {
    let heading = format!("{}:", topic_label(topic, lang));
    let menu = keyboard::topic_intents(&knowledge.intents, topic, lang);
    show_menu(bot, chat, pressed, &heading, menu).await
}

async fn set_language(
    bot: &Sender,
    advisor: &Advisor,
    chat: &Chat,
    pressed: Option<MessageId>,
    choice: LangChoice,
) -> anyhow::Result<Handled> {
    let id = chat.id.0;
    advisor
        .write("a language choice", move |s| s.set_lang(id, choice))
        .await;
    let (note, lang) = match choice {
        LangChoice::Fixed(lang) => (Ui::RepliesInThisLanguage, lang),
        LangChoice::Auto => (Ui::RepliesFollowQuestions, chat.ui_lang),
    };
    match pressed {
        Some(message) => {
            bot.retrying(
                bot.edit_message_text(chat.id, message, escape(note.text(lang)))
                    .parse_mode(ParseMode::Html),
            )
            .await?;
        }
        None => send_text(bot, chat.id, note.text(lang), None).await?,
    }
    Ok(Handled::plain("button lang", lang))
}

/// Turns the menu message that was pressed into `text` with `menu`, or
/// sends a new one when Telegram no longer lets the bot edit it.
async fn show_menu(
    bot: &Sender,
    chat: &Chat,
    pressed: Option<MessageId>,
    text: &str,
    menu: InlineKeyboardMarkup,
) -> anyhow::Result<()> {
    match pressed {
        Some(message) => {
            bot.retrying(
                bot.edit_message_text(chat.id, message, escape(text))
                    .parse_mode(ParseMode::Html)
                    .reply_markup(menu),
            )
            .await?;
            Ok(())
        }
        None => send_text(bot, chat.id, text, Some(menu)).await,
    }
}

/// Sends `text` as HTML, split into as many messages as Telegram needs;
/// the buttons go under the last one, and the first quotes the question
/// when `bot` quotes one (in groups). A message lost to a network or
/// server fault is sent again.
async fn send_text(
    bot: &Sender,
    chat: ChatId,
    text: &str,
    markup: Option<InlineKeyboardMarkup>,
) -> anyhow::Result<()> {
    let messages = telegram_messages(text);
    let last = messages.len() - 1;
    for (number, message) in messages.into_iter().enumerate() {
        bot.wait_turn(chat).await;
        let mut request = bot.send_message(chat, message).parse_mode(ParseMode::Html);
        if let Some(question) = bot.quote_in(chat).filter(|_| number == 0) {
            // A deleted question must not cost the answer.
            request = request
                .reply_parameters(ReplyParameters::new(question).allow_sending_without_reply());
        }
        match (&markup, number == last) {
            (Some(markup), true) => bot.retrying(request.reply_markup(markup.clone())).await?,
            _ => bot.retrying(request).await?,
        };
    }
    Ok(())
}
