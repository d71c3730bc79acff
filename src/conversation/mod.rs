//! A chat as a conversation: a message is read against what was just said.
//!
//! Pure (no Telegram, no storage, no clock): the caller passes the chat's
//! [`Context`] (the topic last answered, and when) and the time, and keeps
//! the context [`Turn::context_after`] returns. The rules, in order:
//!
//! 1. A **reaction** ("ok", "👍", "???", "wkwk") asks nothing: it gets a
//!    short friendly reply, never a decline, and leaves the context as it
//!    was ("ok" mid-chat is not a goodbye). It is read before the matcher.
//!    A reaction that opens a message, before a comma or a full stop
//!    ("oh i see, is it surgery then?"), is not read at all, nor is a
//!    thanks or a hello before a question ("thank you, that helps. is it
//!    hard?"); nor is a
//!    one-word "next" cue that only joins a question of its own to the
//!    chat ("trs cara ngelindunginnya gimana?"); nor, mid-chat, a clause
//!    before a comma that only echoes the last answer when the rest, on
//!    its own, surely asks about another topic ("oh ada laporan ke dokter
//!    perujuk ya, biasanya mereka kerja bareng dokter apa aja?" after the
//!    duties: the teamwork). Nor is a reaction that closes a message
//!    after a comma or a sentence end ("wait whats TIPS, never heard of
//!    it"), nor a last sentence, after the question,
//!    that opens with a phrase of the cue file's `beliefs` and is about
//!    neither the asker nor someone's health ("fibroids as well? i
//!    thought that was a gynaecologist thing").
//! 2. An **addition** to the last question ("fibroids too?", "radiografer
//!    juga?", "and for patients?": one sentence, a phrase of the cue
//!    file's `additions` and at most
//!    [`MAX_OWN_WORDS`] words of its own) asks it again about those words:
//!    the last topic, briefly, as a repeat. Not when a word is about the
//!    asker or a relative ("my mum too?"), nor when the matcher is sure of
//!    another topic. Its own reading may have declined it for the word
//!    alone: a condition ("medical"), another profession; not one that
//!    only the examples of what the sources lack use ("di Indonesia
//!    juga?" stays not covered).
//! 3. A **medical** decline stands whatever came before: context never
//!    turns a personal health question into a topic answer.
//! 4. A **follow-up** — a message holding a cue of one kind ("and after
//!    that?", "berapa lama?") — said within [`CONTEXT_WINDOW`] of the last
//!    answer is answered with the intent the last topic names for that
//!    kind: its `[follow_up]` table, else the kind's default in the cue
//!    file. "why?" and a bare "like what?" with none are answered by the
//!    topic itself, whose answer holds its reasons and examples; a bare
//!    cue of another kind with none offers the topic's related topics
//!    rather than a guess. The message's own words still count:
//!    - With at most [`MAX_OWN_WORDS`] words of its own, it follows up
//!      unless its own reading settles it: an answer at
//!      [`CONFIDENT_ALONE`], something out of scope, or off topic with
//!      neither cue nor pointer word pointing back ("is being a pilot
//!      worth it?"; a "-nya" ending is no pointer here). A settled reading
//!      still yields when a word points back and the reading, short of
//!      [`SURE_ALONE`], names nothing near the last topic ("what kind of
//!      stuff do they do with it?"), or when the reading, short of
//!      [`SURE_ALONE`], weighed the follow-up's intent (other than the
//!      last topic) among its next best, unless it names another of the
//!      last topic's follow-ups at [`CONFIDENT_ALONE`]. A "-nya" on a word
//!      the lexicon knows only bare is looked through first ("terus FKnya
//!      berapa lama?").
//!    - A phrase before a comma with no pointer in it is what the
//!      pointers after it stand for ("the fellowship part, what's that
//!      like?"): they point inside the message, not back.
//!    - A pointer of its own ("that", "itu") carries a cue over up to
//!      [`MAX_SHORT_WORDS`] words that answer nothing near the last topic
//!      ("once that's done am I officially an IR or is there more?").
//!    - A cue in a short message whose own words name the topic just
//!      answered ("is the fellowship hard?" after the fellowship) follows
//!      up on it: the words only name what is being talked about. Not a
//!      word of position in a reading at [`SURE_ALONE`] ("is there a board
//!      exam after training?" asks about the exam) unless it ends the
//!      message ("four years, then what?"), nor examples asked for with
//!      words of their own ("tugasnya apa aja?": the duties), nor, at
//!      [`SURE_ALONE`], a cue the topic's table names nothing for: the
//!      kind's default is only a guess ("is joining one worth it for a
//!      student?" after the societies).
//!    - A message opening with a "next" cue that points back ("abis itu",
//!      "once it's done") whose own words read as the topic just answered
//!      ("abis itu langsung bisa praktik?" after the fellowship) asks what
//!      follows that topic, however sure the reading: the words only name
//!      the stage.
//! 5. A **short message** (at most [`MAX_SHORT_WORDS`] words of its own)
//!    with no cue, or with a cue the last topic has no intent for, is read
//!    in the light of the last topic when the matcher alone is unsure, or
//!    when a **pointer** word of the cue file ("that", "there", "itu",
//!    "-nya") lands a reading short of [`SURE_ALONE`] on nothing near the
//!    last topic. *Near* is the topic itself, its related topics and its
//!    follow-ups.
//!    - First the message is read again with the last topic's title after
//!      it (the words the student left out); if that answers something
//!      near, it is the answer. To override a confident reading, or an
//!      unclear one with no pointer ("any job openings for radiographers
//!      in bali?"), it must be one the message's own reading weighed among
//!      its best; and the title may not pull back to the last topic itself
//!      a message with no pointer whose own answer names another topic
//!      near it ("the collaboration bit, with whom exactly?" after a
//!      typical day: the teamwork).
//!    - Else an unsure message, or one whose pointer landed on nothing
//!      near, gets the best of its own guesses near the last topic ("what
//!      do they use for that?" after the procedures: the tools).
//!    - A message the matcher finds out of scope stays so ("have you
//!      eaten?") unless a word of it points back ("yg di rumah sakitnya?").
//!      One declined as not covered that points back is read with the
//!      title too ("who runs that exam?" after the board exam), for a
//!      topic its own words weighed: a word out of scope ("gajinya berapa
//!      itu?") still declines it, and the title alone does not answer
//!      "daftarnya dimana?" (where to apply) with the path.
//! 6. A **conclusion** drawn from the last answer — a message without a
//!    cue, of at most [`MAX_CONCLUSION_WORDS`] words, opening with a word of the cue file's
//!    `conclusions` ("so no big cuts at all?", "berarti gak pake sayatan?")
//!    — is answered by the last topic when its own reading, short of
//!    [`SURE_ALONE`], names another topic but weighs the last one among
//!    its next best, or names it short of [`CONFIDENT_ALONE`] ("so
//!    basically a doctor who treats with imaging?" after what IR is):
//!    the student is checking what they just read.
//! 7. A message still declined as **off topic**, of any length, is read
//!    again with the last topic's title after it ("why bother with
//!    research tho?" after career growth): answered when that lands near
//!    the last topic on a topic its own words weighed, and none of its
//!    words is out of scope ("is being a chef worth it?" stays declined).
//! 8. A message without a cue that **names no subject** (no "IR", no
//!    "radiolog intervensi"), whose reading short of [`SURE_ALONE`] names
//!    a topic not near the last one while weighing the last one among its
//!    next best ("do they get emergencies there as well or only planned
//!    cases?" after the work setting) is about the last topic: the
//!    student left out what they were asking about.
//! 9. A **repeat** — the topic just answered, asked again within the window,
//!    or a follow-up that topic answers itself ("how long is it?" after
//!    the fellowship, whose answer says how long) — is answered briefly
//!    (the caller offers the full answer), except the bot's own intents
//!    (hello, thanks, help), which are short anyway.
//! 10. Otherwise the matcher's own decision.
//!
//! Within the context window every reading is the matcher's reading in a
//! conversation ([`Matcher::classify_in_conversation`]): the chat is about
//! IR, so a profession the topics compare IR with ("berarti mereka
//! termasuk dokter bedah?") does not make a message a question about it.

mod reading;

use chrono::{DateTime, TimeDelta, Utc};

use reading::starts_with_typed;
pub use reading::{read, Said};

use crate::intents::{DeclineKind, FollowUpKind, Intent, IntentSet, Topic};
use crate::lang::Lang;
use crate::matcher::{unhidden, Candidate, Decision, Match, Matcher};
use crate::text::{sentences, tokenize};

/// How long after the last answer a message may still follow up on it:
/// past this much silence, a new message starts afresh.
pub const CONTEXT_WINDOW: TimeDelta = TimeDelta::minutes(30);

/// The most words of its own (neither cue nor filler) a message may have
/// and still follow up on the last topic when the matcher alone is unsure:
/// "how long is that part?" follows up, a new question does not.
pub const MAX_OWN_WORDS: usize = 2;

/// The confidence at which the matcher's own reading of a message with
/// words of its own wins over the last topic.
pub const CONFIDENT_ALONE: f32 = 0.5;

/// The confidence at which the matcher's own reading of a message stands
/// even though a word of it points back ("that", "itu") and the reading
/// names nothing near the last topic: "itu buat penyakit apa aja?" asks
/// about diseases whatever came before.
pub const SURE_ALONE: f32 = 0.9;

/// The most words (not fillers) a message without a cue (or with one the
/// last topic has no intent for) may have and still be read in the light
/// of the last topic: "and the skills?" is, a new question of its own is
/// not.
pub const MAX_SHORT_WORDS: usize = 4;

/// The most words a conclusion drawn from the last answer ("so no big
/// cuts at all?") may have: a longer message asks a question of its own.
pub const MAX_CONCLUSION_WORDS: usize = 8;

/// How many of a reading's next best topics are looked at for the topic
/// just answered, when a message that names no subject may be about it.
pub const CANDIDATES_WEIGHED: usize = 3;

/// How much a reading must weigh the topic just answered, among its next
/// best, for a message that names no subject to be about it. Measured on
/// the conversation tuning sets: with no floor, "and only after those
/// years do you get proper hands-on procedure training?" (the fellowship,
/// weighing the training's length at 0.16) went back to the length; at
/// 0.2 no follow-up or control of them was lost.
pub const WEIGHED_FROM: f32 = 0.2;

/// What a chat was last answered about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub intent: String,
    pub at: DateTime<Utc>,
}

/// How the bot takes one message.
#[derive(Clone, Debug, PartialEq)]
pub enum Turn {
    /// Asks nothing: a short friendly word in `lang` and the topics.
    /// `puzzled` for "???", which gets a hint on how to ask instead.
    Reaction { lang: Lang, puzzled: bool },
    /// A question, with the verdict to reply with.
    Question {
        found: Match,
        /// The follow-up kind it was read as, if it was one.
        follow_up: Option<FollowUpKind>,
        /// The topic just answered, asked again: reply briefly.
        repeat: bool,
    },
}

impl Turn {
    /// The verdict to reply with, `None` for a reaction.
    pub fn found(&self) -> Option<&Match> {
        match self {
            Turn::Reaction { .. } => None,
            Turn::Question { found, .. } => Some(found),
        }
    }

    /// The context to keep after this turn: an answered topic becomes the
    /// context (the bot's own intents do not: "thanks" is no topic to
    /// follow up on); anything else leaves it as it was.
    pub fn context_after(
        &self,
        set: &IntentSet,
        before: Option<Context>,
        now: DateTime<Utc>,
    ) -> Option<Context> {
        let answered = self
            .found()
            .and_then(|found| found.intent.as_deref())
            .filter(|id| set.get(id).is_some_and(|i| i.topic != Topic::Bot));
        match answered {
            Some(intent) => Some(Context {
                intent: intent.to_owned(),
                at: now,
            }),
            None => before,
        }
    }
}

/// Reads messages against a chat's context, with one set of intents.
pub struct Conversation<'a> {
    set: &'a IntentSet,
    matcher: &'a Matcher,
}

impl<'a> Conversation<'a> {
    pub fn new(set: &'a IntentSet, matcher: &'a Matcher) -> Conversation<'a> {
        Conversation { set, matcher }
    }

    /// How to take `message`, sent at `now` in a chat whose last answer
    /// was `context`. `default_lang` is the chat's language (the one it
    /// last asked in, else the client's): a question with no telling word
    /// is read in it, as in [`Matcher::classify`].
    pub fn read(
        &self,
        context: Option<&Context>,
        message: &str,
        default_lang: Lang,
        now: DateTime<Utc>,
    ) -> Turn {
        let message = self.after_connector(self.after_reaction(message, default_lang));
        let message = self.without_belief(self.without_closing_reaction(message));
        let live =
            context.filter(|c| now - c.at <= CONTEXT_WINDOW && self.set.get(&c.intent).is_some());
        let message = match live {
            Some(c) => self.after_echo(&c.intent, message, default_lang),
            None => message,
        };
        let said = read(self.set, message);
        if let Said::Reaction { lang, puzzled } = said {
            // Mid-conversation, "ok" is said in the chat's language (the
            // caller's default), whichever list the word is in.
            let lang = match live {
                Some(_) => default_lang,
                None => lang.unwrap_or(default_lang),
            };
            return Turn::Reaction { lang, puzzled };
        }
        // A follow-up's own words are read with a "-nya" looked through
        // where only the bare word is the lexicon's ("terus FKnya berapa
        // lama?": the medical school's length, not the training's).
        let found = match (&said, live) {
            (Said::Cue { own_words: 1.., .. }, Some(_)) => {
                self.classify(&self.without_hiding_endings(message), default_lang)
            }
            (_, Some(_)) => self.classify(message, default_lang),
            (_, None) => self.matcher.classify(message, default_lang),
        };
        if let Some(context) = live.filter(|_| self.adds_to_last(&said, message, &found)) {
            return Turn::Question {
                found: Match {
                    decision: Decision::Answer,
                    intent: Some(context.intent.clone()),
                    candidates: Vec::new(),
                    ..found
                },
                follow_up: None,
                repeat: true,
            };
        }
        // A bare cue ("ok and after that??") has no words of its own that
        // could be about the student's body, so a medical decline of it is
        // the matcher's slip; any other medical decline stands, and so does
        // one of a cue about the asker ("is it safe for me?").
        let bare_cue = matches!(
            said,
            Said::Cue {
                own_words: 0,
                personal: false,
                ..
            }
        );
        if found.decision == Decision::Decline(DeclineKind::Medical) && !bare_cue {
            let found = match live {
                Some(context) => self.about_patients(&context.intent, message, found),
                None => found,
            };
            return Turn::Question {
                found,
                follow_up: None,
                repeat: false,
            };
        }
        // A cue says what it asks ("so what's next?"): only a message
        // without one can be a conclusion.
        let plain = matches!(said, Said::Plain { .. });
        if let Some(context) = live.filter(|c| plain && self.concludes(message, &c.intent, &found))
        {
            return Turn::Question {
                found: Match {
                    intent: Some(context.intent.clone()),
                    candidates: Vec::new(),
                    ..found
                },
                follow_up: None,
                repeat: true,
            };
        }
        // "and after that?" with nothing before it points nowhere: asked
        // alone, the matcher would read it as the patient's "after the
        // procedure". Ask for the whole question instead.
        if let (
            Said::Cue {
                kind,
                lang,
                own_words: 0,
                ..
            },
            None,
        ) = (&said, live)
        {
            if kind.points_back() {
                return Turn::Reaction {
                    lang: *lang,
                    puzzled: true,
                };
            }
        }
        let (found, follow_up) = match (said, live) {
            (
                Said::Cue {
                    kind,
                    lang,
                    own_words,
                    points_back,
                    pointer_word,
                    ..
                },
                Some(context),
            ) if self.follows_up(
                &context.intent,
                message,
                kind,
                &found,
                own_words,
                (points_back, pointer_word),
            ) || self.next_after_itself(&context.intent, message, kind, &found) =>
            {
                let lang = if own_words == 0 { lang } else { found.lang };
                match self.resolve(&context.intent, kind, lang, &found, own_words) {
                    Some(resolved) => (resolved, Some(kind)),
                    None => (found, None),
                }
            }
            (
                Said::Cue {
                    kind,
                    own_words,
                    asked,
                    ..
                },
                _,
            ) if (is_confident(&found) || (asked && found.decision == Decision::Answer))
                && own_words <= MAX_SHORT_WORDS =>
            {
                match self.about_named(live, kind, (own_words, asked), &found) {
                    Some(resolved) => (resolved, Some(kind)),
                    None => (found, None),
                }
            }
            (
                Said::Plain {
                    own_words,
                    points_back,
                    ..
                },
                Some(context),
            ) if own_words <= MAX_SHORT_WORDS => (
                self.in_light_of(&context.intent, message, found, points_back),
                None,
            ),
            (
                Said::Plain {
                    pointer_word: true, ..
                },
                Some(context),
            ) => (self.pointed_at(&context.intent, message, found), None),
            _ => (found, None),
        };
        let found = match live {
            Some(context) if found.decision == Decision::Decline(DeclineKind::OffTopic) => {
                self.off_topic_in_chat(&context.intent, message, found)
            }
            Some(context) if plain && self.leaves_out_subject(&context.intent, message, &found) => {
                Match {
                    intent: Some(context.intent.clone()),
                    candidates: Vec::new(),
                    ..found
                }
            }
            _ => found,
        };
        // The topic just answered, asked again, or a follow-up it answers
        // itself ("lama banget gak sih?" after the training's length,
        // "why?"): the same long answer twice in a row helps no one.
        let repeat = live.is_some_and(|c| found.intent.as_ref() == Some(&c.intent))
            && found
                .intent
                .as_deref()
                .and_then(|id| self.set.get(id))
                .is_some_and(|i| i.topic != Topic::Bot);
        Turn::Question {
            found,
            follow_up,
            repeat,
        }
    }

    /// `message` without a clause that only echoes the last answer, before
    /// a comma, when the rest is a question of its own ("oh ada laporan
    /// ke dokter perujuk ya, biasanya mereka kerja bareng dokter apa aja?"
    /// after the duties asks about the teamwork): the clause, read alone,
    /// is answered by `previous` itself, and the rest, read alone, by
    /// another topic at [`SURE_ALONE`]. The echo's words would otherwise
    /// pull the reading back to the topic just answered.
    fn after_echo<'m>(&self, previous: &str, message: &'m str, lang: Lang) -> &'m str {
        let Some((echo, rest)) = message.split_once(", ") else {
            return message;
        };
        let rest = rest.trim();
        let answers = |text: &str, wanted: &dyn Fn(&Match) -> bool| {
            let found = self.classify(text, lang);
            found.decision == Decision::Answer && wanted(&found)
        };
        let echoes = answers(echo, &|f| f.intent.as_deref() == Some(previous));
        // A reaction after the comma ("whats chemoembolization, sounds
        // intense") asks nothing, however its words read alone.
        let asks_another = || {
            tokenize(rest).len() >= 2
                && !matches!(read(self.set, rest), Said::Reaction { .. })
                && answers(rest, &|f| {
                    let named = f.intent.as_deref();
                    f.confidence >= SURE_ALONE
                        && named != Some(previous)
                        && !self.is_the_bots(named)
                })
        };
        match echoes && asks_another() {
            true => rest,
            false => message,
        }
    }

    /// Whether `message`, naming no subject (no word the lexicon reads as
    /// the field: "IR", "radiolog intervensi"), is about the topic just
    /// answered though its own reading, short of [`SURE_ALONE`], names a
    /// topic not near `previous`: that reading weighed `previous` among
    /// its next [`CANDIDATES_WEIGHED`] at [`WEIGHED_FROM`] or more. "do
    /// they get emergencies there as well or only planned cases?" after
    /// the work setting asks about the places just named, not about
    /// expectations of the job. A message that names the field asks a
    /// question of its own; one with a cue was weighed by the cue's rules.
    fn leaves_out_subject(&self, previous: &str, message: &str, found: &Match) -> bool {
        let weighs_previous = (found.candidates.iter().take(CANDIDATES_WEIGHED))
            .any(|c| c.intent == previous && c.confidence >= WEIGHED_FROM);
        !self.matcher.names_subject(message)
            && found.decision == Decision::Answer
            && found.confidence < SURE_ALONE
            && found
                .intent
                .as_deref()
                .is_some_and(|id| !self.near(previous, id))
            && weighs_previous
    }

    /// `message` read again with `intent`'s title after it, in `lang`: the
    /// words a student leaves out when the topic was just answered.
    fn with_title(&self, intent: &Intent, message: &str, lang: Lang) -> Match {
        let title = &intent.text(lang).title;
        self.classify(&format!("{message} {title}"), lang)
    }

    /// The matcher's reading of a message sent within the context window:
    /// the chat is about the field, named or not
    /// ([`Matcher::classify_in_conversation`]).
    fn classify(&self, message: &str, lang: Lang) -> Match {
        self.matcher.classify_in_conversation(message, lang)
    }

    /// Whether `message` draws a conclusion from the last answer: it
    /// opens with a word of the cue file's `conclusions` ("so no big cuts
    /// at all?", "berarti gak pake sayatan sama sekali?"), has at most
    /// [`MAX_CONCLUSION_WORDS`] words, and its own reading, short of
    /// [`SURE_ALONE`], names another topic while weighing `previous` among
    /// its next best, or names it unsure (short of [`CONFIDENT_ALONE`]):
    /// the student checks what they just read, so the last topic answers
    /// it.
    fn concludes(&self, message: &str, previous: &str, found: &Match) -> bool {
        let words = tokenize(message);
        let opens = (words.first()).is_some_and(|w| self.set.cues.conclusions.contains(w));
        opens
            && words.len() <= MAX_CONCLUSION_WORDS
            && found.decision == Decision::Answer
            && found.confidence < SURE_ALONE
            && found.intent.as_deref() != Some(previous)
            && (found.candidates.iter().any(|c| c.intent == previous)
                || found.confidence < CONFIDENT_ALONE)
    }

    /// `message` without the reaction that opens it ("oh cool, so is it
    /// like surgery?", "oh gitu. terus abis itu?"): a clause of reaction
    /// words alone, before a comma or a full stop, asks nothing, and its
    /// words would only blur the reading of the question after it. So
    /// does a clause the bot's own topics surely answer alone, a thanks or
    /// a hello, before a question ("thank you, that helps. is it hard?");
    /// "makasih kak, jelas bgt" only thanks, and "good morning bot, anyone
    /// home?" only greets.
    fn after_reaction<'m>(&self, message: &'m str, lang: Lang) -> &'m str {
        let mut rest = message;
        while let Some((head, tail)) = rest.split_once([',', '.', '!']) {
            let reacts = matches!(read(self.set, head), Said::Reaction { .. })
                || self.courtesy_before_question(head, tail, lang);
            if !reacts || tokenize(tail).is_empty() || head.trim().is_empty() {
                break;
            }
            rest = tail.trim_start();
        }
        // Typed fast, the reaction often has no comma ("ok and after med
        // school?", "hmm trus cara ngelindunginnya gmn?"): a word that is
        // a reaction on its own opens the message, and a question follows.
        if matches!(read(self.set, rest), Said::Reaction { .. }) {
            return rest;
        }
        while let Some((head, tail)) = rest.trim_start().split_once(char::is_whitespace) {
            let reacts = matches!(read(self.set, head), Said::Reaction { .. });
            if !reacts || matches!(read(self.set, tail), Said::Reaction { .. }) {
                break;
            }
            rest = tail.trim_start();
        }
        rest
    }

    /// Whether `clause`, read alone, is surely one of the bot's own topics
    /// (thanks, a hello) and `rest` asks something else: a "?" or a
    /// follow-up cue that ends it ("and after that"), not itself for the
    /// bot; "thank u so much!! really clears things up" only thanks.
    fn courtesy_before_question(&self, clause: &str, rest: &str, lang: Lang) -> bool {
        let asks =
            rest.contains('?') || matches!(read(self.set, rest), Said::Cue { asked: true, .. });
        let courtesy = || {
            let found = self.matcher.classify(clause, lang);
            found.decision == Decision::Answer
                && found.confidence >= SURE_ALONE
                && self.is_the_bots(found.intent.as_deref())
        };
        let rest_for_the_bot =
            || self.is_the_bots(self.matcher.classify(rest, lang).intent.as_deref());
        asks && courtesy() && !rest_for_the_bot()
    }

    /// `message` without the one-word "next" cue that opens it, a filler
    /// too ("trs cara
    /// ngelindunginnya gimana?", "then how is it done?") when a question of
    /// at least two words of its own, or a cue of another kind ("terus
    /// tantangannya apa aja?"), follows, not opening with a word of
    /// a longer "next" cue ("abis", "after"): there the word only joins
    /// the question to the chat, and as a word of the patterns ("terus
    /// berkembang": keep growing) it would pull the reading elsewhere.
    fn after_connector<'m>(&self, message: &'m str) -> &'m str {
        let trimmed = message.trim_start();
        let Some((head, tail)) = trimmed.split_once(char::is_whitespace) else {
            return message;
        };
        let next_cues =
            || (self.set.cues.follow_ups.iter()).filter(|c| c.kind == FollowUpKind::Next);
        // Only a word that is also a filler joins: "after med school what
        // do i do?" and "next step after the fellowship?" ask about what
        // follows the words after it.
        let connects = match tokenize(head).as_slice() {
            [word] => {
                self.set.cues.fillers.contains(word)
                    && next_cues().any(|cue| cue.phrase.words.as_slice() == [word.clone()])
            }
            _ => false,
        };
        // "terus abis fellowship ngapain?": a word that opens a longer
        // "next" cue ("abis itu") keeps the question one of what comes next.
        let next_follows = tokenize(tail).first().is_some_and(|first| {
            next_cues()
                .any(|cue| cue.phrase.words.len() > 1 && cue.phrase.words.first() == Some(first))
        });
        // A cue of its own after it ("terus tantangannya apa aja?") says
        // what is asked; the joining word would only outweigh it.
        let (own_words, cue_follows) = match read(self.set, tail) {
            Said::Plain { own_words, .. } => (own_words, false),
            Said::Cue { own_words, .. } => (own_words, true),
            Said::Reaction { .. } => (0, false),
        };
        match connects && !next_follows && (own_words >= 2 || cue_follows) {
            true => tail.trim_start(),
            false => message,
        }
    }

    /// `message` without a reaction that closes it after a comma or a
    /// sentence end ("wait whats TIPS, never heard of it", "whats
    /// chemoembolization, sounds intense"): it asks nothing, and its words
    /// ("heard", "intense") would blur the question before it.
    fn without_closing_reaction<'m>(&self, message: &'m str) -> &'m str {
        let Some(end) = message.trim_end().rfind([',', '.', '!', '?']) else {
            return message;
        };
        let (question, closing) = (&message[..end], &message[end + 1..]);
        let reacts =
            matches!(read(self.set, closing), Said::Reaction { .. }) && !closing.trim().is_empty();
        match reacts && !tokenize(question).is_empty() {
            true => question,
            false => message,
        }
    }

    /// `message` without its last sentence when that sentence only says
    /// what the student believed until now ("fibroids as well? i thought
    /// that was a gynaecologist thing", "batu ginjal jg bisa? kirain itu
    /// urusan dokter urologi"): it opens with a phrase of the cue file's
    /// `beliefs`, and after the phrase names neither the asker nor
    /// someone's health. The question is before it; the other job it
    /// names would make the question look like one about that job.
    fn without_belief<'m>(&self, message: &'m str) -> &'m str {
        let found = sentences(message);
        let [.., question, last] = found.as_slice() else {
            return message;
        };
        let words = tokenize(&message[last.span.clone()]);
        let cues = &self.set.cues;
        let believed = (cues.beliefs.iter())
            .filter(|b| starts_with_typed(self.set, &words, b))
            .max_by_key(|b| b.words.len());
        let Some(rest) = believed.map(|b| &words[b.words.len()..]) else {
            return message;
        };
        let lexicon = &self.set.lexicon;
        let about_someone = rest.iter().any(|w| cues.personal.contains(w))
            || lexicon.about_someones_health(&lexicon.rewrite(rest.to_vec()));
        match about_someone {
            true => message,
            false => &message[..question.span.end],
        }
    }

    /// Whether `message` asks the last question again about a word or two
    /// of its own ("fibroids too?", "radiografer juga?", "and for
    /// patients?"): an addition of the cue file, at most
    /// [`MAX_OWN_WORDS`] words of its own, none about the asker or a
    /// relative ("my mum too?" stays the matcher's), no sure reading of
    /// another topic, and one sentence: "and for the patient? is that
    /// better?" asks more than the last question again. Its own reading
    /// may have declined it for the word alone (a condition, a profession).
    fn adds_to_last(&self, said: &Said, message: &str, found: &Match) -> bool {
        let Said::Plain { own_words, .. } = *said else {
            return false;
        };
        let cues = &self.set.cues;
        let words = tokenize(message);
        let adds = (0..words.len())
            .any(|at| (cues.additions.iter()).any(|phrase| words[at..].starts_with(&phrase.words)));
        let personal = words.iter().any(|w| cues.personal.contains(w))
            || self
                .set
                .lexicon
                .names_someone(&self.set.lexicon.rewrite(words.clone()));
        let sure = found.decision == Decision::Answer && found.confidence >= SURE_ALONE;
        let one_sentence = sentences(message).len() <= 1;
        // "di Indonesia juga?" asks the last question again about a place
        // only the examples of what the sources lack speak of: it is not
        // covered, where a word of the lexicon's lists ("cardiologists
        // too?", another profession) only named what to ask about.
        let uncovered = || {
            found.decision == Decision::Decline(DeclineKind::NotCovered)
                && (self.matcher).names_what_only_declines_name(message, found.lang)
        };
        adds && one_sentence
            && (1..=MAX_OWN_WORDS).contains(&own_words)
            && !personal
            && !sure
            && !uncovered()
    }

    /// `message` with an ending ("-nya", "-ku", "-lah"…) dropped from each
    /// word that only hides a word the lexicon knows ("FKnya" → "fk": the
    /// matcher's own look-through, [`unhidden`], down to two letters); each
    /// other word, and the punctuation, as written.
    fn without_hiding_endings(&self, message: &str) -> String {
        let bare = |chunk: &str| -> Option<String> {
            let end = chunk.trim_end_matches(|c: char| !c.is_alphanumeric());
            let word = match tokenize(end).as_slice() {
                [word] => word.clone(),
                _ => return None,
            };
            let rest = unhidden(&self.set.lexicon, &word, 2)?;
            let stem = end.get(..end.len().checked_sub(word.len() - rest.len())?)?;
            Some(format!("{stem}{}", &chunk[end.len()..]))
        };
        message
            .split(' ')
            .map(|chunk| bare(chunk).unwrap_or_else(|| chunk.to_owned()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A short message read in the light of `previous`: read again with
    /// its title ([`Conversation::reread`]), else leaning on the topics
    /// near it ([`Conversation::lean_on`]).
    fn in_light_of(&self, previous: &str, message: &str, found: Match, points_back: bool) -> Match {
        match self.reread(previous, message, &found, points_back) {
            Some(reread) => reread,
            None => self.lean_on(previous, found, points_back),
        }
    }

    /// A short message the matcher alone is unsure about (or whose
    /// pointer word landed on nothing near: [`Conversation::points_away`]),
    /// read in the light of the last topic: of the topics the matcher weighs, the best
    /// ranked one near `previous` (itself, its related topics, its
    /// follow-ups) is answered. A confident verdict, a decline for a word
    /// out of scope, or nothing near, keeps the matcher's own; so does an
    /// off-topic decline, unless a word of the message points back
    /// (`points_back`: "yg di rumah sakitnya siapa?"): "have you eaten?"
    /// is no question about the last topic.
    fn lean_on(&self, previous: &str, found: Match, points_back: bool) -> Match {
        let unsure = self.open_to_context(previous, &found, points_back)
            || (found.decision == Decision::Decline(DeclineKind::OffTopic) && points_back);
        if !unsure || self.set.get(previous).is_none() {
            return found;
        }
        let near = |id: &str| self.near(previous, id);
        let weighed = found
            .intent
            .iter()
            .chain(found.candidates.iter().map(|c| &c.intent));
        match weighed.into_iter().find(|id| near(id)).cloned() {
            Some(id) => Match {
                decision: Decision::Answer,
                intent: Some(id),
                candidates: Vec::new(),
                ..found
            },
            None => found,
        }
    }

    /// Whether `message`, with a cue and `own_words` words of its own, may be
    /// read against `previous`, given the matcher's verdict on it alone. A
    /// verdict settles it unless the message points back (`points_back`)
    /// while the verdict names nothing near `previous`: "what kind of
    /// stuff do they do with it?" asks about the topic just answered.
    fn follows_up(
        &self,
        previous: &str,
        message: &str,
        kind: FollowUpKind,
        found: &Match,
        own_words: usize,
        (points_back, pointer_word): (bool, bool),
    ) -> bool {
        // Off topic on its own, a message with words of its own follows up
        // only when its cue (or a pointer word of it) points back ("and
        // after that, the exam?"): "is being a pilot worth it?" or "berapa
        // lama sekolah pilot?" ask about something else entirely, and so
        // does "jadi arsitek kuliahnya berapa tahun?", whose "-nya" is the
        // architect's study, no pointer at the last topic.
        let settled = match found.decision {
            Decision::Decline(DeclineKind::OffTopic) => !(kind.points_back() || pointer_word),
            _ => {
                !self.open_to_context(previous, found, points_back)
                    && !self.weighs_follow_up(previous, kind, found)
            }
        };
        // A pointer of its own ("when it wraps up, what comes next?")
        // says the cue is about the topic just answered, when the words
        // around it answer nothing near that topic. A decline stands: "di
        // indonesia itu PPDS ya? brp lama?" asks what the sources lack.
        let pointed = pointer_word
            && own_words <= MAX_SHORT_WORDS
            && !matches!(found.decision, Decision::Decline(_))
            && self.points_away(previous, found, true);
        // A cue whose other words are all stop words may still name
        // something out of scope with them ("is it hard to get in tho?"
        // asks about admission): that decline stands.
        let bare = own_words == 0
            && !(matches!(found.decision, Decision::Decline(_))
                && self.matcher.names_out_of_scope(message, found.lang));
        bare || (own_words <= MAX_OWN_WORDS && !settled) || pointed
    }

    /// Whether a message opening with a "next" cue that points back
    /// ("abis itu", "once it's done") reads, by its own words, as the
    /// topic just answered ("abis itu langsung bisa praktik?" after the
    /// fellowship): the student asks what follows that stage, which the
    /// topic's [follow_up] table names. Not "then what do you learn in
    /// the fellowship?", which asks about the stage itself.
    fn next_after_itself(
        &self,
        previous: &str,
        message: &str,
        kind: FollowUpKind,
        found: &Match,
    ) -> bool {
        let cues = &self.set.cues;
        let opens_pointing_next = || {
            let words = tokenize(message);
            (cues.follow_ups.iter()).any(|c| {
                c.kind == FollowUpKind::Next
                    && words.starts_with(&c.phrase.words)
                    && (c.phrase.words.iter())
                        .any(|w| cues.pointers.contains(w) || cues.short_pointers.contains(w))
            })
        };
        kind == FollowUpKind::Next
            && found.decision == Decision::Answer
            && found.intent.as_deref() == Some(previous)
            && (self.set.follow_up(previous, kind)).is_some_and(|next| next.id != previous)
            && opens_pointing_next()
    }

    /// Whether a reading short of [`SURE_ALONE`] weighed, among its next
    /// best, the intent `previous` names for `kind`: the message's own
    /// words lean towards that follow-up ("abis SMA masuk FK dulu ya?"
    /// after starting early: medical school, though the path reads first).
    /// Not when that intent is `previous` itself: "how long is the whole
    /// training?" after the fellowship asks about more than the
    /// fellowship.
    /// Nor when that reading, at [`CONFIDENT_ALONE`], names another of
    /// `previous`'s follow-ups: "terus FKnya berapa lama?" after starting
    /// early asks how long medical school takes, not the whole training.
    fn weighs_follow_up(&self, previous: &str, kind: FollowUpKind, found: &Match) -> bool {
        let names_another = found.confidence >= CONFIDENT_ALONE
            && found.intent.as_deref().is_some_and(|id| {
                self.set
                    .get(previous)
                    .is_some_and(|i| i.follow_ups.values().any(|f| f == id))
            });
        found.decision == Decision::Answer
            && found.confidence < SURE_ALONE
            && !names_another
            && self.set.follow_up(previous, kind).is_some_and(|target| {
                target.id != previous && found.candidates.iter().any(|c| c.intent == target.id)
            })
    }

    /// Whether the matcher's own verdict on a message leaves room for the
    /// last topic `previous`: an answer short of [`CONFIDENT_ALONE`], or
    /// whose pointer word landed on nothing near ([`Conversation::points_away`]),
    /// or a clarify. A decline leaves none (each caller says when an
    /// off-topic one does).
    fn open_to_context(&self, previous: &str, found: &Match, points_back: bool) -> bool {
        match found.decision {
            Decision::Answer => {
                found.confidence < CONFIDENT_ALONE || self.points_away(previous, found, points_back)
            }
            Decision::Clarify => true,
            Decision::Decline(_) => false,
        }
    }

    /// Whether a message that points back (`points_back`) got a verdict
    /// short of [`SURE_ALONE`] naming nothing near `previous`: the verdict
    /// may have missed what the pointer stands for.
    fn points_away(&self, previous: &str, found: &Match, points_back: bool) -> bool {
        let named = found.intent.as_deref();
        points_back
            && found.confidence < SURE_ALONE
            && !named.is_some_and(|id| self.near(previous, id))
    }

    /// Whether `id` is one of the bot's own topics (greeting, thanks,
    /// help): about the bot, never about what was just said.
    fn is_the_bots(&self, id: Option<&str>) -> bool {
        (id.and_then(|id| self.set.get(id))).is_some_and(|i| i.topic == Topic::Bot)
    }

    /// Whether `id` is near `previous`: the topic itself, one of its
    /// related topics, or one its follow-ups name.
    fn near(&self, previous: &str, id: &str) -> bool {
        id == previous
            || self.set.get(previous).is_some_and(|intent| {
                intent.related.iter().any(|r| r == id)
                    || intent.follow_ups.values().any(|f| f == id)
            })
    }

    /// A short message the matcher alone is unsure about, read again with
    /// the title of the topic just answered after it: the words the
    /// student left out. `None` when the matcher was sure, the message was
    /// declined, or the second reading answers nothing near `previous`.
    fn reread(
        &self,
        previous: &str,
        message: &str,
        found: &Match,
        points_back: bool,
    ) -> Option<Match> {
        let intent = self.set.get(previous)?;
        let near = |id: &str| self.near(previous, id);
        // A not-covered decline of a message that points back may be the
        // message's words alone missing what it points at: "jadi mereka
        // itu dokter bedah?" names another specialty, but "mereka" are
        // the IRs just talked about. Read with the title, a word out of
        // scope ("gajinya berapa?") still declines it.
        let pointed_decline =
            points_back && found.decision == Decision::Decline(DeclineKind::NotCovered);
        if !self.open_to_context(previous, found, points_back) && !pointed_decline {
            return None;
        }
        let again = self.with_title(intent, message, found.lang);
        let id = again
            .intent
            .as_deref()
            .filter(|_| again.decision == Decision::Answer)?;
        // Overriding a confident reading takes more than the title: the
        // message's own words must weigh the topic found among their best.
        let supported = || found.candidates.iter().any(|c| c.intent == id);
        // An unclear message that does not point back ("any job openings
        // for radiographers in bali?") is only read as the last topic's
        // when its own words already weighed the topic found: the title
        // alone would pull anything to it.
        let better = match found.decision {
            Decision::Clarify => points_back || supported(),
            // Only a topic the message's own words weighed: the title
            // alone would pull "daftarnya dimana?" (where to apply) to
            // the path.
            Decision::Decline(_) => pointed_decline && supported(),
            _ => {
                found.confidence < CONFIDENT_ALONE
                    || (again.confidence > found.confidence && (supported() || points_back))
            }
        };
        // An answer of the message's own naming another topic near the
        // last one stands against a second reading that only lands back
        // on the last topic, unless a word points back at it: the title
        // pulled it there ("the collaboration bit, with whom exactly?"
        // after a typical day: the teamwork).
        let own_neighbour = found.decision == Decision::Answer
            && found
                .intent
                .as_deref()
                .is_some_and(|own| own != previous && near(own));
        if id == previous && own_neighbour && !points_back {
            return None;
        }
        (near(id) && better).then(|| Match {
            lang: found.lang,
            candidates: Vec::new(),
            ..again
        })
    }

    /// A longer message whose pointer word ("do u get to actually do
    /// procedures in it or just watch?" after the fellowship) says it is
    /// about the topic just answered, while its own reading, short of
    /// [`SURE_ALONE`], names nothing near it: read again with that topic's
    /// title, the second reading stands when it lands near `previous` and
    /// is surer than the first.
    fn pointed_at(&self, previous: &str, message: &str, found: Match) -> Match {
        if found.decision != Decision::Answer || !self.points_away(previous, &found, true) {
            return found;
        }
        self.read_again_near(previous, message, found, |found, again| {
            again.confidence > found.confidence
        })
    }

    /// A message declined as off topic mid-conversation, read again with
    /// the last topic's title after it: a question of any length may leave
    /// out what it is about ("research, is that compulsory for them?"
    /// after career growth). It is answered only when that second reading
    /// lands near `previous` on a topic its own words already weighed, and
    /// when none of its words is out of scope: "is being a chef worth it?"
    /// asks about something else, and the title alone would pull anything
    /// back.
    fn off_topic_in_chat(&self, previous: &str, message: &str, found: Match) -> Match {
        if self.matcher.names_out_of_scope(message, found.lang) {
            return found;
        }
        self.read_again_near(previous, message, found, |found, again| {
            (found.candidates.iter()).any(|c| Some(&c.intent) == again.intent.as_ref())
        })
    }

    /// A medical decline of a message that names nobody and no illness
    /// ("do they usually have to stay overnight?" after the benefits for
    /// patients): the question is about patients in general, which the
    /// topic just answered speaks of. Read again with its title, it is
    /// answered when that reading lands on `previous` itself; a message
    /// about the asker or a relative ("is it safe for me?"), or naming
    /// something out of scope ("what does a nurse do in the operating
    /// room?"), stays declined.
    fn about_patients(&self, previous: &str, message: &str, found: Match) -> Match {
        if !self.matcher.names_no_one_ill(message, found.lang)
            || self.matcher.names_out_of_scope(message, found.lang)
        {
            return found;
        }
        self.read_again_near(previous, message, found, |_, again| {
            again.intent.as_deref() == Some(previous)
        })
    }

    /// `message` read again with the title of `previous` after it: that
    /// second reading, in the message's own language, when it answers
    /// with a topic near `previous` and `better` holds of it against the
    /// first reading `found`; else `found`.
    fn read_again_near(
        &self,
        previous: &str,
        message: &str,
        found: Match,
        better: impl Fn(&Match, &Match) -> bool,
    ) -> Match {
        let Some(intent) = self.set.get(previous) else {
            return found;
        };
        let again = self.with_title(intent, message, found.lang);
        let lands = again.decision == Decision::Answer
            && (again.intent.as_deref()).is_some_and(|id| self.near(previous, id))
            && better(&found, &again);
        match lands {
            true => Match {
                lang: found.lang,
                candidates: Vec::new(),
                ..again
            },
            false => found,
        }
    }

    /// A cue in a message whose own words name the topic just answered,
    /// as the matcher is confident or the cue ends the message ("is the
    /// fellowship hard?" after the fellowship): the words only name what
    /// is being talked about, so the cue is a follow-up of it. `None`
    /// keeps the matcher's verdict.
    fn about_named(
        &self,
        live: Option<&Context>,
        kind: FollowUpKind,
        (own_words, asked): (usize, bool),
        found: &Match,
    ) -> Option<Match> {
        let named = found.intent.as_deref()?;
        if live?.intent != named {
            return None;
        }
        // "is there a board exam after training?" asks about the exam: a
        // word of position in a sure reading places the topic, it does not
        // ask for the next step. A cue asked as a question of its own
        // does ("four years, then what?" after medical school).
        let positional = matches!(kind, FollowUpKind::Next | FollowUpKind::Before);
        if positional && !asked && found.confidence >= SURE_ALONE {
            return None;
        }
        // Examples asked for with words of their own name what they want
        // ("tugasnya apa aja?" after the duties asks for the duties), as
        // in `resolve`.
        if kind == FollowUpKind::Examples && own_words > 0 {
            return None;
        }
        // A kind's default is a guess for any topic; a sure reading that
        // names the topic with words of its own says better what is asked
        // ("are they worth joining as a student?" after the societies).
        let own_table = (self.set.get(named)).is_some_and(|i| i.follow_ups.contains_key(&kind));
        if !own_table && own_words > 0 && found.confidence >= SURE_ALONE {
            return None;
        }
        let target = self.set.follow_up(named, kind)?;
        Some(Match {
            intent: Some(target.id.clone()),
            candidates: Vec::new(),
            ..found.clone()
        })
    }

    /// The verdict for a `kind` follow-up of `previous`: its intent, or
    /// for a bare cue with none, "did you mean" with `previous`'s related
    /// topics; `None` to keep the matcher's own verdict.
    fn resolve(
        &self,
        previous: &str,
        kind: FollowUpKind,
        lang: Lang,
        found: &Match,
        own_words: usize,
    ) -> Option<Match> {
        let named = self.set.follow_up(previous, kind);
        // "why?" asks for the reasons of the answer just given, "like
        // what?" for its examples: that answer holds them unless the topic
        // names another. Examples asked for with words of their own
        // ("organisasinya apa aja?") name what they want: those words are
        // read in the light of the topic instead.
        let bare = own_words == 0 || kind == FollowUpKind::Why;
        let itself = (kind.answered_by_itself() && bare)
            .then(|| self.set.get(previous))
            .flatten();
        if let Some(intent) = named.or(itself) {
            return Some(Match {
                decision: Decision::Answer,
                intent: Some(intent.id.clone()),
                confidence: found.confidence,
                lang,
                candidates: Vec::new(),
            });
        }
        let related = &self.set.get(previous)?.related;
        (own_words == 0 && !related.is_empty()).then(|| Match {
            decision: Decision::Clarify,
            intent: None,
            confidence: found.confidence,
            lang,
            candidates: related
                .iter()
                .map(|id| Candidate {
                    intent: id.clone(),
                    confidence: 0.0,
                })
                .collect(),
        })
    }
}

/// Whether the matcher answers a message on its own with confidence.
fn is_confident(found: &Match) -> bool {
    found.decision == Decision::Answer && found.confidence >= CONFIDENT_ALONE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipped;

    /// The intent `message` is answered with after `previous` (or with
    /// nothing before), and whether it was read as a follow-up.
    /// Asserts that `message` is answered with `expected` after `previous`
    /// and, asked alone, with something else: the context decided it.
    fn answered_only_after(set: &IntentSet, previous: &str, message: &str, expected: &str) {
        let alone = answer(set, None, message).0;
        assert_ne!(alone.as_deref(), Some(expected), "{message} alone");
        let after = answer(set, Some(previous), message).0;
        assert_eq!(
            after.as_deref(),
            Some(expected),
            "{message} after {previous}"
        );
    }

    /// Asserts that each of `messages`, after `previous`, is answered
    /// with `expected`.
    fn answered_after(set: &IntentSet, previous: &str, messages: &[&str], expected: &str) {
        for message in messages {
            let after = answer(set, Some(previous), message).0;
            assert_eq!(
                after.as_deref(),
                Some(expected),
                "{message} after {previous}"
            );
        }
    }

    fn answer(set: &IntentSet, previous: Option<&str>, message: &str) -> (Option<String>, bool) {
        let matcher = shipped::matcher();
        let now = DateTime::UNIX_EPOCH;
        let context = previous.map(|intent| Context {
            intent: intent.to_owned(),
            at: now,
        });
        match Conversation::new(set, matcher).read(context.as_ref(), message, Lang::EN, now) {
            Turn::Question {
                found, follow_up, ..
            } => (found.intent, follow_up.is_some()),
            Turn::Reaction { .. } => (None, false),
        }
    }

    #[test]
    fn a_cue_naming_something_out_of_scope_with_stop_words_stays_declined() {
        let set = shipped::intents();
        // "hard to get in" is admission, though every word but the cue's
        // is a stop word; "is it hard tho" asks about the topic's hard part.
        let admission = answer(set, Some("medical_school"), "is it hard to get in tho").0;
        assert_eq!(admission, None);
        let hard = answer(set, Some("medical_school"), "is it hard tho").0;
        assert!(hard.is_some());
    }

    #[test]
    fn a_health_question_about_patients_in_general_gets_the_topic() {
        let set = shipped::intents();
        let general = "do they usualy have to stay overnight";
        answered_only_after(set, "patient_benefits", general, "patient_benefits");
        for personal in [
            "will i have to stay overnight?",
            "my mum has fibroids, does she have to stay overnight?",
        ] {
            let after = answer(set, Some("patient_benefits"), personal).0;
            assert_eq!(after, None, "{personal}");
        }
    }

    #[test]
    fn a_first_question_naming_the_field_stands_mid_conversation() {
        let set = shipped::intents();
        let message =
            "what is interventional radiology exactly? my cousin said its like surgery but with xrays??";
        assert_eq!(
            answer(set, Some("duties"), message).0.as_deref(),
            Some("what_is_ir")
        );
    }

    #[test]
    fn a_short_unsure_message_is_read_again_with_the_last_topic() {
        let set = shipped::intents();
        let message = "pagi2 udah langsung tindakan?";
        let alone = answer(set, None, message).0;
        assert_ne!(alone.as_deref(), Some("day_in_the_life"), "{message}");
        let after = answer(set, Some("day_in_the_life"), message);
        assert_eq!(after, (Some("day_in_the_life".into()), false), "{message}");
    }

    #[test]
    fn an_addition_asks_the_last_question_again_unless_it_is_about_someone() {
        let set = shipped::intents();
        let after = answer(set, Some("radiation_safety"), "what about for the nurses?");
        assert_eq!(after.0.as_deref(), Some("radiation_safety"));
        for message in ["kidney stones too?", "varises juga?"] {
            let after = answer(set, Some("conditions_treated"), message);
            assert_eq!(after.0.as_deref(), Some("conditions_treated"), "{message}");
        }
        for message in ["my mum too?", "ibuku juga?"] {
            let after = answer(set, Some("conditions_treated"), message);
            assert_eq!(after.0, None, "{message}: the matcher's decline stands");
        }
        // Asked again about Indonesia, which the sources do not describe:
        // not covered.
        for message in ["kalau di indonesia juga?", "in indonesia too?"] {
            let after = answer(set, Some("training_pathway"), message);
            assert_eq!(after.0, None, "{message}: not covered");
        }
    }

    #[test]
    fn a_follow_up_the_last_topic_answers_itself_is_a_repeat() {
        let set = shipped::intents();
        let matcher = shipped::matcher();
        let now = DateTime::UNIX_EPOCH;
        let context = Context {
            intent: "training_duration".into(),
            at: now,
        };
        let message = "lama banget gak sih?";
        let turn = Conversation::new(set, matcher).read(Some(&context), message, Lang::ID, now);
        let Turn::Question { found, repeat, .. } = turn else {
            panic!("{message}: a question");
        };
        assert_eq!(found.intent.as_deref(), Some("training_duration"));
        assert!(repeat, "{message}: the same answer, briefly");
    }

    #[test]
    fn a_next_cue_naming_the_stage_just_answered_asks_what_follows_it() {
        let set = shipped::intents();
        let next = "abis itu langsung bisa praktik?";
        assert_eq!(
            answer(set, Some("ir_fellowship"), next).0.as_deref(),
            Some("board_certification")
        );
        // "Then" only joins a question about the stage itself.
        let itself = "then what do you learn in the fellowship?";
        assert_eq!(
            answer(set, Some("ir_fellowship"), itself).0.as_deref(),
            Some("ir_fellowship")
        );
    }

    #[test]
    fn thanks_before_a_question_is_no_part_of_it() {
        let set = shipped::intents();
        let asked = [
            "thank you, that helps. is it hard?",
            "ok thx. is it stressful tho?",
        ];
        answered_after(set, "what_is_ir", &asked, "challenges");
        let only_thanks = [
            "makasih kak, jelas bgt",
            // "really" is no "really?" here: nothing is asked.
            "thank u so much!! really clears things up",
        ];
        answered_after(set, "what_is_ir", &only_thanks, "thanks");
    }

    #[test]
    fn a_word_of_position_that_opens_a_question_is_part_of_it() {
        let set = shipped::intents();
        // "after" places the question; only a filler such as "then" or
        // "terus" merely joins it to the chat.
        let message = "after med school what do i do?";
        for context in [None, Some("what_is_ir")] {
            let found = answer(set, context, message).0;
            assert_eq!(found.as_deref(), Some("radiology_residency"), "{context:?}");
        }
    }

    #[test]
    fn a_difference_asked_with_nothing_named_is_the_one_just_drawn() {
        let set = shipped::intents();
        let message = "so whats the difference then";
        let found = answer(set, Some("is_ir_surgery"), message).0;
        assert_eq!(found.as_deref(), Some("is_ir_surgery"));
        let found = answer(set, Some("vs_radiation_oncologist"), "trus bedanya apa?").0;
        assert_eq!(found.as_deref(), Some("vs_radiation_oncologist"));
    }

    #[test]
    fn disbelief_asks_for_the_last_answer_again() {
        let set = shipped::intents();
        for message in ["wait srsly?", "really?", "serius kak?", "masa sih?"] {
            answered_only_after(
                set,
                "expectation_vs_reality",
                message,
                "expectation_vs_reality",
            );
        }
        // Unless the topic's table names another topic for `why`: after
        // "do IRs only remove foreign objects?", what they really do.
        let found = answer(set, Some("misconception_foreign_objects"), "really?").0;
        assert_eq!(found.as_deref(), Some("duties"));
    }

    #[test]
    fn a_reaction_word_opening_a_question_without_a_comma_is_no_part_of_it() {
        let set = shipped::intents();
        for message in ["ok and after med school?", "hmm terus abis FK ngapain?"] {
            let after = answer(set, Some("medical_school"), message);
            assert_eq!(after.0.as_deref(), Some("radiology_residency"), "{message}");
        }
    }

    #[test]
    fn a_joining_word_before_a_cue_of_another_kind_leaves_the_cue_to_ask() {
        let set = shipped::intents();
        let after = answer(set, Some("what_is_ir"), "terus tantangannya apa aja?");
        assert_eq!(after.0.as_deref(), Some("challenges"));
    }

    #[test]
    fn asking_leave_to_ask_or_sighing_is_a_reaction_and_no_part_of_the_question() {
        let set = shipped::intents();
        let matcher = shipped::matcher();
        let now = DateTime::UNIX_EPOCH;
        let conversation = Conversation::new(set, matcher);
        for message in [
            "P",
            "kak mau nanya",
            "boleh nanya?",
            "ugh thats so long",
            "lama bgt 😭",
        ] {
            let turn = conversation.read(None, message, Lang::ID, now);
            assert!(matches!(turn, Turn::Reaction { .. }), "{message}");
        }
        let message = "boleh nanya IR itu apa";
        let after = answer(set, None, message);
        assert_eq!(after.0.as_deref(), Some("what_is_ir"), "{message}");
        let message = "omg what is TIPS";
        let after = answer(set, Some("training_duration"), message);
        assert_eq!(after.0.as_deref(), Some("procedures"), "{message}");
    }

    #[test]
    fn a_reaction_before_the_question_is_not_read() {
        let set = shipped::intents();
        let message = "oh i see, is it surgery then?";
        let after = answer(set, Some("what_is_ir"), message);
        assert_eq!(after.0.as_deref(), Some("is_ir_surgery"), "{message}");
    }

    #[test]
    fn a_joining_word_before_a_question_of_its_own_is_not_read() {
        let set = shipped::intents();
        let message = "trs cara ngelindungin dirinya gimana?";
        let after = answer(set, Some("radiation_safety"), message);
        assert_eq!(after.0.as_deref(), Some("radiation_safety"), "{message}");
        let message = "terus abis fellowship ngapain?";
        let after = answer(set, Some("ir_fellowship"), message);
        assert_eq!(after.0.as_deref(), Some("board_certification"), "{message}");
    }

    #[test]
    fn a_sure_reading_of_the_last_topic_beats_a_cue_default() {
        let set = shipped::intents();
        assert!(!set
            .get("organizations")
            .unwrap()
            .follow_ups
            .contains_key(&FollowUpKind::Worth));
        let message = "is joining one worth it for a student?";
        let after = answer(set, Some("organizations"), message);
        assert_eq!(after, (Some("organizations".into()), false), "{message}");
    }

    #[test]
    fn a_pointer_word_reads_a_message_against_the_last_topic() {
        let set = shipped::intents();
        let message = "siapa yang di sana sama pasiennya?";
        answered_only_after(set, "remote_imaging", message, "remote_imaging");
        // With a cue: "it" is IR, whose examples are its procedures.
        let message = "what kind of stuff do they do with it?";
        let after = answer(set, Some("what_is_ir"), message);
        assert_eq!(after, (Some("procedures".into()), true), "{message}");
    }

    #[test]
    fn like_what_asks_for_the_examples_the_answer_names() {
        let set = shipped::intents();
        assert!(set.get("imaging_modalities").unwrap().follow_ups.is_empty());
        for message in ["like what?", "contohnya?"] {
            let after = answer(set, Some("imaging_modalities"), message);
            assert_eq!(
                after,
                (Some("imaging_modalities".into()), true),
                "{message}"
            );
            let after = answer(set, Some("duties"), message);
            assert_eq!(after, (Some("procedures".into()), true), "{message}: named");
        }
    }

    #[test]
    fn an_off_topic_message_stays_off_topic_unless_it_points_back() {
        let set = shipped::intents();
        for previous in [
            "what_is_ir",
            "day_in_the_life",
            "personal_fit",
            "work_setting",
        ] {
            for message in [
                "kamu udah makan belum?",
                "what time is it in London right now?",
                "rekomendasi tempat wisata di jogja apa aja?",
                // A cue with words of its own about something else.
                "is being a pilot worth it?",
                "berapa lama sekolah pilot?",
                "how do i start a youtube channel?",
                // An ending ("-nya") is no pointer at the last topic.
                "jadi arsitek kuliahnya berapa tahun?",
            ] {
                let after = answer(set, Some(previous), message).0;
                assert_eq!(after, None, "{message} after {previous}");
            }
        }
        let message = "jd yg di rumah sakitnya siapa dong?";
        assert_eq!(answer(set, None, message).0, None, "{message}");
        let after = answer(set, Some("remote_imaging"), message).0;
        assert_eq!(after.as_deref(), Some("remote_imaging"), "{message}");
    }

    #[test]
    fn a_clause_that_echoes_the_last_answer_gives_way_to_the_question_after_it() {
        let set = shipped::intents();
        let message =
            "oh ada laporan ke dokter perujuk ya, biasanya mereka kerja bareng dokter apa aja?";
        let after = answer(set, Some("duties"), message).0;
        assert_eq!(after.as_deref(), Some("teamwork"), "{message}");
    }

    #[test]
    fn a_message_that_names_no_subject_is_about_the_topic_it_weighed() {
        let set = shipped::intents();
        let message = "do they get emergencies there as well or only planned cases?";
        answered_only_after(set, "work_setting", message, "work_setting");
        // Naming the field, it asks a question of its own.
        let message = "what does a typical day look like for an IR?";
        let after = answer(set, Some("remote_imaging"), message).0;
        assert_eq!(after.as_deref(), Some("day_in_the_life"), "{message}");
    }

    #[test]
    fn a_profession_the_topics_compare_ir_with_is_named_beside_the_chats_field() {
        let set = shipped::intents();
        let message = "berarti mereka termasuk dokter bedah?";
        assert_eq!(answer(set, None, message).0, None, "{message}");
        let after = answer(set, Some("what_is_ir"), message).0;
        assert_eq!(after.as_deref(), Some("is_ir_surgery"), "{message}");
        // Any other profession is what the question is about.
        let after = answer(set, Some("what_is_ir"), "how do i become an architect?").0;
        assert_eq!(after, None, "architect");
    }

    #[test]
    fn an_off_topic_reading_mid_chat_is_read_with_the_topic_it_weighed() {
        let set = shipped::intents();
        let message = "research, is that compulsory for them?";
        assert_eq!(answer(set, None, message).0, None, "{message}");
        let after = answer(set, Some("career_development"), message).0;
        assert_eq!(after.as_deref(), Some("career_development"), "{message}");
        // Words out of scope, or a topic only the title brings, keep it
        // declined.
        for (previous, message) in [
            ("career_development", "is being a chef worth it?"),
            ("day_in_the_life", "how hard is it to learn guitar?"),
        ] {
            let after = answer(set, Some(previous), message).0;
            assert_eq!(after, None, "{message} after {previous}");
        }
    }

    #[test]
    fn a_not_covered_reading_of_a_message_that_points_back_is_read_with_the_topic() {
        let set = shipped::intents();
        for message in ["who runs that exam?", "ujiannya dari mana kak?"] {
            let after = answer(set, Some("board_certification"), message).0;
            assert_eq!(after.as_deref(), Some("board_certification"), "{message}");
        }
        // A word out of scope still declines it, and so does the title
        // alone: "daftarnya dimana?" asks where to apply.
        let after = answer(set, Some("training_pathway"), "daftarnya dimana?").0;
        assert_eq!(after, None, "daftarnya dimana?");
        for message in ["gajinya berapa itu?", "how much do they earn there?"] {
            let after = answer(set, Some("work_setting"), message).0;
            assert_eq!(after, None, "{message}");
        }
    }

    #[test]
    fn what_the_student_believed_after_the_question_is_not_read() {
        let set = shipped::intents();
        let believed = [
            "fibroids as well? i thougt that was a gynaecologist thing",
            "batu ginjal jg bisa? kirain itu urusan dokter urologi",
        ];
        answered_after(set, "conditions_treated", &believed, "conditions_treated");
        // About the asker, it is part of the question.
        let message = "can IR treat fibroids? i thought my gynaecologist said i need surgery";
        let after = answer(set, Some("conditions_treated"), message).0;
        assert_eq!(after, None, "{message}");
    }

    #[test]
    fn a_conclusion_drawn_from_the_last_answer_is_answered_by_it() {
        let set = shipped::intents();
        let concluded = [
            "so no big cuts at all?",
            "berarti gak pake sayatan sama sekali?",
        ];
        answered_after(set, "is_ir_surgery", &concluded, "is_ir_surgery");
        // Unsure of what it names, it checks what was just read.
        let message = "so basically a doctor who treats with imaging?";
        answered_only_after(set, "what_is_ir", message, "what_is_ir");
        // A question of its own, sure of its topic, is not pulled back,
        // and a cue asks what it asks.
        for (previous, message, expected) in [
            (
                "is_ir_surgery",
                "so what does an IR do on a typical day?",
                "day_in_the_life",
            ),
            ("medical_school", "so what's next?", "radiology_residency"),
            (
                "ir_fellowship",
                "berarti abis itu apa?",
                "board_certification",
            ),
        ] {
            let after = answer(set, Some(previous), message).0;
            assert_eq!(
                after.as_deref(),
                Some(expected),
                "{message} after {previous}"
            );
        }
    }

    #[test]
    fn words_naming_the_topic_just_answered_keep_their_own_question() {
        let set = shipped::intents();
        // A word of position places the topic; it asks for no next step.
        for message in [
            "is there a board exam after training",
            "ada ujian sertifikasi gak setelah selesai training",
        ] {
            let after = answer(set, Some("board_certification"), message).0;
            assert_eq!(after.as_deref(), Some("board_certification"), "{message}");
        }
        for (previous, message, next) in [
            // A cue that ends the message asks for the next step itself.
            (
                "medical_school",
                "four years of med school, then what?",
                "radiology_residency",
            ),
            (
                "medical_school",
                "oke 4 tahun FK, terus apa?",
                "radiology_residency",
            ),
            // A pointer of its own carries the cue over words that read
            // as another topic (the patient's "after the procedure").
            (
                "ir_fellowship",
                "once that's done am I officially an IR or is there more?",
                "board_certification",
            ),
        ] {
            let after = answer(set, Some(previous), message);
            assert_eq!(after, (Some(next.into()), true), "{message}");
        }
        // Examples asked for with words of their own name what they want.
        let message = "tugas utama radiolog intervensional apa aja?";
        let after = answer(set, Some("duties"), message).0;
        assert_eq!(after.as_deref(), Some("duties"), "{message}");
        // A cue on the topic just named still follows up on it.
        let message = "is the fellowship hard?";
        let alone = answer(set, None, message).0;
        let after = answer(set, Some("ir_fellowship"), message);
        assert!(after.1 || after.0 == alone, "{message}: {after:?}");
    }

    #[test]
    fn how_do_i_start_asks_for_the_way_in_seen_from_the_last_topic() {
        let set = shipped::intents();
        // After the path itself, its first step.
        for message in ["what's the first step?", "langkah pertamanya apa kak?"] {
            let after = answer(set, Some("training_pathway"), message);
            assert_eq!(after, (Some("medical_school".into()), true), "{message}");
        }
        // After anything else, the path (the kind's default).
        for (previous, message) in [
            ("why_choose_ir", "ok so how do i start?"),
            ("what_is_ir", "cara jadinya gimana kak?"),
            ("personal_fit", "mulainya dari mana?"),
        ] {
            let after = answer(set, Some(previous), message);
            let expected = (Some("training_pathway".into()), true);
            assert_eq!(after, expected, "{message} after {previous}");
        }
    }

    #[test]
    fn own_words_weighing_the_follow_up_lean_to_it() {
        let set = shipped::intents();
        let message = "abis SMA masuk FK dulu ya?";
        let after = answer(set, Some("start_early"), message);
        assert_eq!(after, (Some("medical_school".into()), true), "{message}");
        // Not when the follow-up is the last topic itself.
        let message = "how long is the hole training";
        let after = answer(set, Some("ir_fellowship"), message).0;
        assert_eq!(after.as_deref(), Some("training_duration"), "{message}");
    }

    #[test]
    fn is_it_safe_asks_about_the_risks_of_what_was_described() {
        let set = shipped::intents();
        for message in ["is it safe?", "aman gak?"] {
            let after = answer(set, Some("procedures"), message);
            assert_eq!(after, (Some("patient_benefits".into()), true), "{message}");
            let after = answer(set, Some("imaging_modalities"), message);
            assert_eq!(after, (Some("radiation_safety".into()), true), "{message}");
        }
        // About the asker, a medical decline stands.
        for message in ["is it safe for me?", "aman gak buat aku?"] {
            let after = answer(set, Some("procedures"), message);
            assert_eq!(after, (None, false), "{message}");
        }
    }

    #[test]
    fn a_pointer_that_lands_on_nothing_near_takes_the_best_guess_near() {
        let set = shipped::intents();
        let message = "what do they use for that?";
        answered_only_after(set, "procedures", message, "tools_and_devices");
    }

    #[test]
    fn so_that_means_is_not_read_as_meaning() {
        let set = shipped::intents();
        // "berarti" ("so that means") read as "arti" sent it to "interpret
        // my x-ray"; it is a stop word, so the question is about the work.
        let message = "berarti mereka operasi juga?";
        let after = answer(set, Some("what_is_ir"), message).0;
        assert_eq!(after.as_deref(), Some("is_ir_surgery"), "{message}");
        // About the asker's own body, the medical decline stands.
        for message in [
            "berarti aku harus operasi ya?",
            "berarti kakiku harus dioperasi?",
        ] {
            let after = answer(set, Some("procedures"), message);
            assert_eq!(after, (None, false), "{message}");
        }
    }

    #[test]
    fn an_unclear_new_question_is_not_pulled_to_the_last_topic() {
        let set = shipped::intents();
        let message = "any job openings for radiographers in bali?";
        assert_eq!(answer(set, None, message).0, None, "{message}");
        for previous in ["day_in_the_life", "board_certification", "cancer_care"] {
            let after = answer(set, Some(previous), message).0;
            assert_eq!(after, None, "{message} after {previous}");
        }
    }

    #[test]
    fn a_sure_reading_stands_whatever_points_back() {
        let set = shipped::intents();
        for (previous, message, expected) in [
            (
                "misconception_foreign_objects",
                "kerjanya di mana?",
                "work_setting",
            ),
            ("duties", "itu buat penyakit apa aja?", "conditions_treated"),
            (
                "procedures",
                "how is an IR different from a radiographer?",
                "vs_radiologist_radiographer",
            ),
        ] {
            let alone = answer(set, None, message).0;
            assert_eq!(alone.as_deref(), Some(expected), "{message} alone");
            let after = answer(set, Some(previous), message).0;
            assert_eq!(
                after.as_deref(),
                Some(expected),
                "{message} after {previous}"
            );
        }
    }

    #[test]
    fn it_as_the_object_of_a_word_points_back() {
        let set = shipped::intents();
        answered_only_after(
            set,
            "radiology_residency",
            "do u get to try IR during it?",
            "radiology_residency",
        );
    }

    #[test]
    fn a_question_of_fillers_after_a_reaction_word_is_still_a_question() {
        let set = shipped::intents();
        let message = "ok and what do they actually do";
        assert!(!matches!(read(set, message), Said::Reaction { .. }));
        let after = answer(set, Some("what_is_ir"), message).0;
        assert!(after.is_some(), "{message} is answered");
        for reaction in ["ok", "ok so", "oh i see", "oke deh kak", "wkwk iya deh"] {
            assert!(
                matches!(read(set, reaction), Said::Reaction { .. }),
                "{reaction}"
            );
        }
    }

    #[test]
    fn a_cue_word_typed_one_letter_off_is_the_cue() {
        let set = shipped::intents();
        for message in ["is it stresful?", "is it dificult?"] {
            assert!(
                matches!(
                    read(set, message),
                    Said::Cue {
                        kind: FollowUpKind::Hard,
                        ..
                    }
                ),
                "{message}"
            );
        }
        // In a shorter cue word, two letters typed the wrong way round.
        assert!(matches!(
            read(set, "tehn what?"),
            Said::Cue {
                kind: FollowUpKind::Next,
                ..
            }
        ));
        // A real word one letter from a cue word is what it says.
        assert!(!matches!(
            read(set, "whole thing start to finish though?"),
            Said::Cue {
                kind: FollowUpKind::Hard,
                ..
            }
        ));
    }

    #[test]
    fn a_long_message_pointing_back_is_read_with_the_topic_it_points_at() {
        let set = shipped::intents();
        let message = "do u get to actually do procedures in it or just watch";
        // Alone, "watch" and "procedures" read as the patient watched
        // after a procedure.
        let alone = answer(set, None, message).0;
        assert_eq!(alone.as_deref(), Some("after_procedure"));
        let conversation = Conversation::new(set, shipped::matcher());
        let after = answer(set, Some("ir_fellowship"), message).0.unwrap();
        assert!(conversation.near("ir_fellowship", &after), "{after}");
    }

    #[test]
    fn an_echo_is_not_set_aside_for_a_question_to_the_bot() {
        let set = shipped::intents();
        // "itu siapa sih?" alone asks who the bot is; after its echo of
        // the duties, "itu" is the referring doctor just named.
        let message = "td katanya ngasih laporan ke dokter perujuk, itu siapa sih?";
        let after = answer(set, Some("duties"), message).0;
        assert_ne!(after.as_deref(), Some("bot_help"));
    }

    #[test]
    fn a_reaction_after_an_echo_leaves_the_question_whole() {
        let set = shipped::intents();
        // "sounds intense" alone reads as the challenges; here it only
        // reacts to the word just asked about.
        let message = "whats chemoembolization, sounds intense";
        answered_after(set, "cancer_care", &[message], "cancer_care");
        // A reaction closing the message is not read at all.
        let message = "wait whats TIPS, never heard of it";
        answered_after(set, "procedures", &[message], "procedures");
    }

    #[test]
    fn a_length_asked_of_the_whole_is_the_whole_path_s() {
        let set = shipped::intents();
        let stage = "radiology_residency";
        let own = answer(set, Some(stage), "how long does it take?").0;
        assert_eq!(own.as_deref(), Some(stage));
        for whole in [
            "so how many years is that altogether?",
            "how many years is it all put together?",
            "kalo ditotal semuanya berapa tahun?",
        ] {
            let (found, follow_up) = answer(set, Some(stage), whole);
            assert_eq!(found.as_deref(), Some("training_duration"), "{whole}");
            assert!(follow_up, "{whole}");
        }
    }
}
