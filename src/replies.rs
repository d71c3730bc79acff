//! What the bot says, per language: every user-facing string goes through
//! [`Ui`], and [`reply_to`] turns a match into an answer with follow-ups.
//! Pure, so the terminal chat and the Telegram bot say the same thing.

use crate::intents::{IntentSet, Topic};
use crate::lang::Lang;
use crate::matcher::Match;

/// The bot's own sentences, as opposed to intent answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    CannotHelp,
    DidYouMean,
    Related,
    PickTopic,
    Greeting,
    Help,
    ChooseLanguage,
    AutoLanguage,
    RepliesInThisLanguage,
    RepliesFollowQuestions,
    TextOnly,
    EditedMessage,
    UnknownCommand,
    SlowDown,
    BackToTopics,
    StartCommand,
    HelpCommand,
    TopicsCommand,
    LangCommand,
    ThanksForVote,
}

impl Ui {
    /// The sentence in `lang`; languages the bot has no UI text for get
    /// English.
    pub fn text(self, lang: Lang) -> &'static str {
        let indonesian = lang == Lang::ID;
        match (self, indonesian) {
            (Ui::CannotHelp, false) => "Sorry, I can't help with that. I only know about careers in interventional radiology, and I can't give medical advice.",
            (Ui::CannotHelp, true) => "Maaf, aku belum bisa membantu soal itu. Aku hanya tahu tentang karier di radiologi intervensional, dan aku tidak bisa memberi saran medis.",
            (Ui::DidYouMean, false) => "Did you mean:",
            (Ui::DidYouMean, true) => "Mungkin maksudmu:",
            (Ui::Related, false) => "Related topics:",
            (Ui::Related, true) => "Topik terkait:",
            (Ui::PickTopic, false) => "Pick a topic:",
            (Ui::PickTopic, true) => "Pilih topik:",
            (Ui::Greeting, false) => "Hi! I answer questions about a career in interventional radiology (IR): what IR doctors do, how the training goes and how long it takes, the skills it needs, common myths and more.\n\nAsk in your own words, in English or Indonesian, or pick a topic below.",
            (Ui::Greeting, true) => "Halo! Aku menjawab pertanyaan seputar karier di radiologi intervensional (IR): apa yang dikerjakan dokter IR, bagaimana dan berapa lama pendidikannya, keterampilan yang dibutuhkan, mitos yang beredar, dan lainnya.\n\nTanya saja dengan kata-katamu sendiri, dalam bahasa Indonesia atau Inggris, atau pilih topik di bawah.",
            (Ui::Help, false) => "Type a question in your own words, for example \"how many years does it take to become an IR?\" or \"what is the difference between a radiologist and a radiographer?\"\n\n/topics - browse the topics\n/lang - choose the reply language\n/start - start over",
            (Ui::Help, true) => "Ketik pertanyaanmu dengan kata-katamu sendiri, misalnya \"berapa tahun sekolahnya untuk jadi dokter IR?\" atau \"apa bedanya radiolog dan radiografer?\"\n\n/topics - lihat daftar topik\n/lang - pilih bahasa balasan\n/start - mulai dari awal",
            (Ui::ChooseLanguage, false) => "Which language should I reply in?",
            (Ui::ChooseLanguage, true) => "Aku harus membalas dalam bahasa apa?",
            (Ui::AutoLanguage, false) => "Auto (the question's language)",
            (Ui::AutoLanguage, true) => "Otomatis (bahasa pertanyaan)",
            (Ui::RepliesInThisLanguage, false) => "OK, I will reply in English.",
            (Ui::RepliesInThisLanguage, true) => "Oke, aku akan membalas dalam Bahasa Indonesia.",
            (Ui::RepliesFollowQuestions, false) => "OK, I will reply in the language of each question.",
            (Ui::RepliesFollowQuestions, true) => "Oke, aku akan membalas sesuai bahasa pertanyaanmu.",
            (Ui::TextOnly, false) => "I can only read text questions. Please type your question.",
            (Ui::TextOnly, true) => "Aku hanya bisa membaca pertanyaan berupa teks. Silakan ketik pertanyaanmu.",
            (Ui::EditedMessage, false) => "I only read new messages. Please send your corrected question again.",
            (Ui::EditedMessage, true) => "Aku hanya membaca pesan baru. Kirim ulang pertanyaanmu yang sudah diperbaiki, ya.",
            (Ui::UnknownCommand, false) => "I don't know that command. Try /help.",
            (Ui::UnknownCommand, true) => "Aku tidak kenal perintah itu. Coba /help.",
            (Ui::SlowDown, false) => "That's a lot of messages at once! Please slow down: I'll read your questions again in a little while.",
            (Ui::SlowDown, true) => "Pesannya banyak sekali sekaligus! Pelan-pelan ya: aku akan membaca pertanyaanmu lagi sebentar lagi.",
            (Ui::BackToTopics, false) => "« Topics",
            (Ui::BackToTopics, true) => "« Topik",
            (Ui::StartCommand, false) => "Start over and see the topics",
            (Ui::StartCommand, true) => "Mulai dari awal dan lihat topik",
            (Ui::HelpCommand, false) => "How to ask me questions",
            (Ui::HelpCommand, true) => "Cara bertanya kepadaku",
            (Ui::TopicsCommand, false) => "Browse the topics",
            (Ui::TopicsCommand, true) => "Lihat daftar topik",
            (Ui::LangCommand, false) => "Choose the reply language",
            (Ui::LangCommand, true) => "Pilih bahasa balasan",
            (Ui::ThanksForVote, false) => "🙏 Thanks for your feedback!",
            (Ui::ThanksForVote, true) => "🙏 Terima kasih atas masukanmu!",
        }
    }
}

/// A language's name in that language, for the /lang buttons.
pub fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::ID => "Bahasa Indonesia",
        _ => "English",
    }
}

/// A menu group's label.
pub fn topic_label(topic: Topic, lang: Lang) -> &'static str {
    let indonesian = lang == Lang::ID;
    match (topic, indonesian) {
        (Topic::About, false) => "About IR",
        (Topic::About, true) => "Tentang IR",
        (Topic::Training, false) => "Training",
        (Topic::Training, true) => "Pendidikan",
        (Topic::Career, false) => "Career",
        (Topic::Career, true) => "Karier",
        (Topic::Myths, false) => "Myths & comparisons",
        (Topic::Myths, true) => "Mitos & perbandingan",
        (Topic::Bot, false) => "Using this bot",
        (Topic::Bot, true) => "Tentang bot ini",
    }
}

/// A follow-up the user can pick: an intent by id with its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub intent: String,
    pub title: String,
}

/// The reply to one question, before any rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub lang: Lang,
    pub text: String,
    /// Related topics after an answer; "did you mean" after a decline.
    pub suggestions: Vec<Suggestion>,
    /// Whether the suggestions are guesses at what was meant.
    pub declined: bool,
}

impl Reply {
    /// The heading above the suggestions, or the topic menu prompt when a
    /// decline has nothing close to offer.
    pub fn suggestions_heading(&self) -> &'static str {
        match (self.declined, self.suggestions.is_empty()) {
            (false, _) => Ui::Related.text(self.lang),
            (true, false) => Ui::DidYouMean.text(self.lang),
            (true, true) => Ui::PickTopic.text(self.lang),
        }
    }
}

fn suggestion(set: &IntentSet, id: &str, lang: Lang) -> Option<Suggestion> {
    set.get(id).map(|intent| Suggestion {
        intent: intent.id.clone(),
        title: intent.text(lang).title.clone(),
    })
}

/// An intent's answer with its related topics, in `lang`.
pub fn answer(set: &IntentSet, id: &str, lang: Lang) -> Option<Reply> {
    let intent = set.get(id)?;
    Some(Reply {
        lang,
        text: intent.text(lang).answer.clone(),
        suggestions: intent
            .related
            .iter()
            .filter_map(|r| suggestion(set, r, lang))
            .collect(),
        declined: false,
    })
}

/// The reply to a matched question: the answer, or an honest decline with
/// the nearest topics.
pub fn reply_to(set: &IntentSet, found: &Match) -> Reply {
    if let Some(reply) = found
        .intent
        .as_deref()
        .and_then(|id| answer(set, id, found.lang))
    {
        return reply;
    }
    Reply {
        lang: found.lang,
        text: Ui::CannotHelp.text(found.lang).to_owned(),
        suggestions: found
            .candidates
            .iter()
            .filter_map(|c| suggestion(set, &c.intent, found.lang))
            .collect(),
        declined: true,
    }
}
