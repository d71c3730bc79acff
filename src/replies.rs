//! What the bot says, per language: every user-facing string goes through
//! [`Ui`], and [`reply_to`] turns a match into an answer with follow-ups.
//! Pure, so the terminal chat and the Telegram bot say the same thing.

use crate::file_error::FileError;
use crate::intents::{DeclineKind, Intent, IntentSet, Topic, TELEGRAM_MESSAGE_LIMIT};
use crate::lang::Lang;
use crate::matcher::{Decision, Match};

/// The bot's own sentences, as opposed to intent answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    CannotHelp,
    SeveralTopics,
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
    CareNote,
    Sources,
    Reviewed,
    AskInPrivate,
    NoInlineAnswer,
    InviteToChat,
    AskYourDoctor,
    /// When no reply could be built at all.
    Apology,
    /// The toast a 👍 gets.
    GladItHelped,
    /// After a 👎, above the other candidates and the topics.
    WhatWereYouLookingFor,
    /// A group member who is not an admin tried to change a setting.
    AdminsOnly,
    PrivacyCommand,
    ForgetCommand,
    /// /privacy's heading.
    PrivacyIntro,
    PrivacyLanguage,
    PrivacyLastTopic,
    PrivacyLastLanguage,
    PrivacyVotes,
    PrivacyNothing,
    /// What /privacy says of the inbox and the unmatched log.
    PrivacyAlways,
    /// /forget's confirmation.
    Forgotten,
    Reaction,
    Puzzled,
    AnsweredAbove,
    FullAnswer,
}

impl Ui {
    /// The sentence in `lang`; languages the bot has no UI text for get
    /// English.
    pub fn text(self, lang: Lang) -> &'static str {
        let indonesian = lang == Lang::ID;
        match (self, indonesian) {
            (Ui::CannotHelp, false) => "Sorry, I can't help with that. I only know about careers in interventional radiology, and I can't give medical advice.",
            (Ui::CannotHelp, true) => "Maaf, aku belum bisa membantu soal itu. Aku hanya tahu tentang karier di radiologi intervensional, dan aku tidak bisa memberi saran medis.",
            (Ui::SeveralTopics, false) => "Your question could be about more than one topic.",
            (Ui::SeveralTopics, true) => "Pertanyaanmu bisa tentang lebih dari satu topik.",
            (Ui::DidYouMean, false) => "Did you mean:",
            (Ui::DidYouMean, true) => "Mungkin maksudmu:",
            (Ui::Related, false) => "Related topics:",
            (Ui::Related, true) => "Topik terkait:",
            (Ui::PickTopic, false) => "Pick a topic:",
            (Ui::PickTopic, true) => "Pilih topik:",
            (Ui::Greeting, false) => "Hi! I answer questions about a career in interventional radiology (IR): what IR doctors do, how the training goes and how long it takes, the skills it needs, common myths and more.\n\nAsk in your own words, in English or Indonesian, or pick a topic below.",
            (Ui::Greeting, true) => "Halo! Aku menjawab pertanyaan seputar karier di radiologi intervensional (IR): apa yang dikerjakan dokter IR, bagaimana dan berapa lama pendidikannya, keterampilan yang dibutuhkan, mitos yang beredar, dan lainnya.\n\nTanya saja dengan kata-katamu sendiri, dalam bahasa Indonesia atau Inggris, atau pilih topik di bawah.",
            (Ui::Help, false) => "Type a question in your own words, for example \"how many years does it take to become an IR?\" or \"what is the difference between a radiologist and a radiographer?\"\n\n/topics - browse the topics\n/lang - choose the reply language\n/privacy - what I keep about this chat\n/forget - delete that\n/start - start over",
            (Ui::Help, true) => "Ketik pertanyaanmu dengan kata-katamu sendiri, misalnya \"berapa tahun sekolahnya untuk jadi dokter IR?\" atau \"apa bedanya radiolog dan radiografer?\"\n\n/topics - lihat daftar topik\n/lang - pilih bahasa balasan\n/privacy - apa yang kusimpan tentang chat ini\n/forget - hapus yang kusimpan itu\n/start - mulai dari awal",
            (Ui::ChooseLanguage, false) => "Which language should I reply in?",
            (Ui::ChooseLanguage, true) => "Mau aku balas dalam bahasa apa?",
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
            (Ui::SlowDown, true) => "Wah, pesannya banyak sekali dalam waktu singkat! Pelan-pelan, ya: sebentar lagi aku baca pertanyaanmu.",
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
            (Ui::CareNote, false) => "For your own care, or a relative's, ask your doctor or care team.",
            (Ui::CareNote, true) => "Untuk perawatanmu sendiri atau keluargamu, tanyakan langsung ke dokter atau tim yang merawat.",
            (Ui::Sources, false) => "Sources",
            (Ui::Sources, true) => "Sumber",
            (Ui::Reviewed, false) => "reviewed",
            (Ui::Reviewed, true) => "ditinjau",
            (Ui::AskInPrivate, false) => "💬 Ask me in a private chat",
            (Ui::AskInPrivate, true) => "💬 Tanya aku di chat pribadi",
            (Ui::NoInlineAnswer, false) => "I can't answer that here. In a private chat I can show you the topics I know.",
            (Ui::NoInlineAnswer, true) => "Pertanyaan itu belum bisa kujawab di sini. Di chat pribadi, aku bisa tunjukkan topik apa saja yang bisa kujawab.",
            (Ui::InviteToChat, false) => "I answer questions about a career in interventional radiology (IR). Ask me in a private chat:",
            (Ui::InviteToChat, true) => "Aku menjawab pertanyaan seputar karier di radiologi intervensional (IR). Tanya aku di chat pribadi:",
            (Ui::AskYourDoctor, false) => "Ask your doctor or care team",
            (Ui::AskYourDoctor, true) => "Tanyakan ke dokter atau tim yang merawat",
            (Ui::Apology, false) => "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment.",
            (Ui::Apology, true) => "Maaf, ada gangguan di sistemku, jadi pertanyaanmu belum bisa kujawab. Tunggu sebentar, lalu coba lagi, ya.",
            (Ui::GladItHelped, false) => "Glad it helped!",
            (Ui::GladItHelped, true) => "Senang bisa membantu!",
            (Ui::WhatWereYouLookingFor, false) => "Sorry, what were you looking for? Maybe one of these, or pick a topic:",
            (Ui::WhatWereYouLookingFor, true) => "Maaf ya, tadi kamu cari info apa? Mungkin salah satu ini, atau pilih topik:",
            (Ui::AdminsOnly, false) => "Only the group's admins can change this.",
            (Ui::AdminsOnly, true) => "Hanya admin grup yang bisa mengubah ini.",
            (Ui::PrivacyCommand, false) => "What I keep about this chat",
            (Ui::PrivacyCommand, true) => "Apa yang kusimpan tentang chat ini",
            (Ui::ForgetCommand, false) => "Delete what I keep about this chat",
            (Ui::ForgetCommand, true) => "Hapus yang kusimpan tentang chat ini",
            (Ui::PrivacyIntro, false) => "What I keep about this chat:",
            (Ui::PrivacyIntro, true) => "Yang kusimpan tentang chat ini:",
            (Ui::PrivacyLanguage, false) => "Reply language you chose:",
            (Ui::PrivacyLanguage, true) => "Bahasa balasan yang kamu pilih:",
            (Ui::PrivacyLastTopic, false) => "Last topic I answered:",
            (Ui::PrivacyLastTopic, true) => "Topik terakhir yang kujawab:",
            (Ui::PrivacyLastLanguage, false) => "Language of your last question:",
            (Ui::PrivacyLastLanguage, true) => "Bahasa pertanyaan terakhirmu:",
            (Ui::PrivacyVotes, false) => "Your 👍/👎 ratings:",
            (Ui::PrivacyVotes, true) => "Penilaian 👍/👎 darimu:",
            (Ui::PrivacyNothing, false) => "Nothing: no language choice, no last topic, no ratings.",
            (Ui::PrivacyNothing, true) => "Tidak ada: tidak ada pilihan bahasa, topik terakhir, atau penilaian.",
            (Ui::PrivacyAlways, false) => "Each message is kept only until it is answered (then only its number, for a day, so it is never answered twice). Questions I could not answer, or was unsure about, are logged without any chat or user id, so they are not linked to you. The words themselves are kept, though, so leave out names and health details. /forget deletes the rest now.",
            (Ui::PrivacyAlways, true) => "Setiap pesan hanya disimpan sampai dijawab (setelah itu hanya nomornya, selama sehari, agar tidak dijawab dua kali). Pertanyaan yang tidak bisa kujawab, atau yang jawabannya belum kuyakini, dicatat tanpa ID chat atau ID pengguna, sehingga tidak dikaitkan denganmu. Tapi isi pertanyaannya tetap tersimpan, jadi jangan tulis nama atau data kesehatan. /forget menghapus sisanya sekarang.",
            (Ui::Forgotten, false) => "Done: I deleted this chat's language choice, last topic and ratings.",
            (Ui::Forgotten, true) => "Selesai: pilihan bahasa, topik terakhir, dan penilaian di chat ini sudah kuhapus.",
            (Ui::Reaction, false) => "👍 Ask me anything else about a career in IR whenever you like, or pick a topic:",
            (Ui::Reaction, true) => "👍 Kalau ada lagi yang mau ditanyakan soal karier di IR, tanya saja, atau pilih topik:",
            (Ui::Puzzled, false) => "Something unclear? Ask me in your own words, for example \"how long is the training?\", or pick a topic:",
            (Ui::Puzzled, true) => "Ada yang kurang jelas? Tanya saja dengan kata-katamu sendiri, misalnya \"berapa lama pendidikannya?\", atau pilih topik:",
            (Ui::AnsweredAbove, false) => "I answered this just above:",
            (Ui::AnsweredAbove, true) => "Ini sudah kujawab tepat di atas:",
            (Ui::FullAnswer, false) => "Show the full answer again",
            (Ui::FullAnswer, true) => "Tampilkan jawaban lengkap lagi",
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
    /// Whether the bot asks which of the suggestions was meant: the
    /// terminal numbers them.
    pub clarifying: bool,
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

    /// The message the bot sends: the text, then the heading above the
    /// buttons (or, in the terminal, the list) of suggestions.
    pub fn message_text(&self) -> String {
        format!("{}\n\n{}", self.text, self.suggestions_heading())
    }
}

fn suggestion(set: &IntentSet, id: &str, lang: Lang) -> Option<Suggestion> {
    set.get(id).map(|intent| Suggestion {
        intent: intent.id.clone(),
        title: intent.text(lang).title.clone(),
    })
}

/// An intent's answer as a student reads it: the answer, the care note
/// where the answer speaks of patients' care, and a line naming its sources
/// (with the date it was last checked against them), so a student can
/// judge it and a maintainer knows which document to re-read.
pub fn answer_text(intent: &Intent, lang: Lang) -> String {
    let mut text = intent.text(lang).answer.trim_end().to_owned();
    if intent.care_note {
        text.push_str("\n\n");
        text.push_str(Ui::CareNote.text(lang));
    }
    if !intent.sources.is_empty() {
        text.push_str(&format!(
            "\n\n{}: {}",
            Ui::Sources.text(lang),
            intent.sources.join("; ")
        ));
        if let Some(reviewed) = intent.reviewed {
            text.push_str(&format!(" ({} {reviewed})", Ui::Reviewed.text(lang)));
        }
    }
    text
}

/// Intents whose answer, as [`answer_text`] renders it with its heading
/// for related topics, would not fit one Telegram message.
pub fn oversized_answers(set: &IntentSet) -> Vec<FileError> {
    let mut problems = Vec::new();
    for intent in set.iter() {
        for &lang in intent.texts.keys() {
            let Some(reply) = answer(set, &intent.id, lang) else {
                continue;
            };
            let length = reply.message_text().encode_utf16().count();
            if length > TELEGRAM_MESSAGE_LIMIT {
                problems.push(FileError::new(
                    &intent.file,
                    Some(&format!("{lang}.answer")),
                    format!(
                        "with its care note and sources line the reply is {length} characters; one Telegram message holds {TELEGRAM_MESSAGE_LIMIT}"
                    ),
                ));
            }
        }
    }
    problems
}

/// An intent's answer with its related topics, in `lang`.
pub fn answer(set: &IntentSet, id: &str, lang: Lang) -> Option<Reply> {
    let intent = set.get(id)?;
    Some(Reply {
        lang,
        text: answer_text(intent, lang),
        suggestions: intent
            .related
            .iter()
            .filter_map(|r| suggestion(set, r, lang))
            .collect(),
        declined: false,
        clarifying: false,
    })
}

/// The brief reply to a question asked again: where the answer is, and
/// its related topics (the caller offers the full answer too).
pub fn answered_above(set: &IntentSet, id: &str, lang: Lang) -> Option<Reply> {
    let full = answer(set, id, lang)?;
    let title = &set.get(id)?.text(lang).title;
    Some(Reply {
        text: format!("{} {title}", Ui::AnsweredAbove.text(lang)),
        ..full
    })
}

/// The reply to a matched question: the answer; "did you mean" with the
/// close topics when the matcher is unsure between them; or the reply its
/// decline kind's file gives, in the reply language. What a decline offers depends
/// on its kind: `not_covered` the closest topics, `off_topic` and
/// `medical` none, so the topic menu comes instead (a health question gets
/// no topic suggestion that could read as advice).
pub fn reply_to(set: &IntentSet, found: &Match) -> Reply {
    if let Some(reply) = found
        .intent
        .as_deref()
        .and_then(|id| answer(set, id, found.lang))
    {
        return reply;
    }
    let suggestions = |offered: bool| -> Vec<Suggestion> {
        let candidates = found.candidates.iter().filter(|_| offered);
        candidates
            .filter_map(|c| suggestion(set, &c.intent, found.lang))
            .collect()
    };
    // Of a decline, only topics: "did you mean: Hello?" helps no one.
    let topics = |offered: bool| -> Vec<Suggestion> {
        let is_topic = |s: &Suggestion| set.get(&s.intent).is_some_and(|i| i.topic != Topic::Bot);
        suggestions(offered).into_iter().filter(is_topic).collect()
    };
    let kind = found.decision.decline();
    if found.decision == Decision::Clarify {
        return Reply {
            lang: found.lang,
            text: Ui::SeveralTopics.text(found.lang).to_owned(),
            suggestions: suggestions(true),
            declined: true,
            clarifying: true,
        };
    }
    let text = kind
        .and_then(|kind| set.decline(kind))
        .and_then(|decline| decline.text(found.lang))
        .map_or(Ui::CannotHelp.text(found.lang), |text| text.reply.trim());
    let offers_topics = !matches!(kind, Some(DeclineKind::Medical | DeclineKind::OffTopic));
    Reply {
        lang: found.lang,
        text: text.to_owned(),
        suggestions: topics(offers_topics),
        declined: true,
        clarifying: false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;

    use super::*;
    use crate::intents::parse_intent;
    use crate::lexicon::Lexicon;

    fn set_of(file: &str) -> IntentSet {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let intent = parse_intent("x", Path::new("x.toml"), file, today).unwrap();
        IntentSet::new(vec![intent], Lexicon::default())
    }

    const PROCEDURE: &str = "topic = \"about\"\nsources = [\"Guide\", \"Profile\"]\nreviewed = 2026-12-01\ncare_note = true\n\n[en]\ntitle = \"T\"\npatterns = [\"p\"]\nanswer = \"\"\"\nAn answer.\n\"\"\"\n\n[id]\ntitle = \"T\"\npatterns = [\"p\"]\nanswer = \"Jawaban.\"\n";

    #[test]
    fn an_answer_ends_with_its_care_note_and_sources_in_the_reply_language() {
        let set = set_of(PROCEDURE);
        let intent = set.get("x").unwrap();
        assert_eq!(
            answer_text(intent, Lang::EN),
            format!(
                "An answer.\n\n{}\n\nSources: Guide; Profile (reviewed 2026-12-01)",
                Ui::CareNote.text(Lang::EN)
            )
        );
        assert!(
            answer_text(intent, Lang::ID).ends_with("Sumber: Guide; Profile (ditinjau 2026-12-01)")
        );
    }

    #[test]
    fn an_answer_without_sources_or_care_note_is_the_answer_alone() {
        let plain = PROCEDURE
            .replace("sources = [\"Guide\", \"Profile\"]", "sources = []")
            .replace("care_note = true\n", "");
        let set = set_of(&plain);
        assert_eq!(answer_text(set.get("x").unwrap(), Lang::EN), "An answer.");
    }

    fn declining(kind: DeclineKind) -> Match {
        Match {
            decision: Decision::Decline(kind),
            intent: None,
            confidence: 0.3,
            lang: Lang::ID,
            candidates: vec![crate::matcher::Candidate {
                intent: "x".into(),
                confidence: 0.3,
            }],
        }
    }

    #[test]
    fn a_decline_offers_topics_not_the_bots_small_talk() {
        let candidate = |intent: &str| crate::matcher::Candidate {
            intent: intent.into(),
            confidence: 0.3,
        };
        let found = Match {
            candidates: vec![candidate("greeting"), candidate("what_is_ir")],
            ..declining(DeclineKind::NotCovered)
        };
        let reply = reply_to(crate::shipped::intents(), &found);
        let offered: Vec<&str> = reply
            .suggestions
            .iter()
            .map(|s| s.intent.as_str())
            .collect();
        assert_eq!(offered, ["what_is_ir"]);
    }

    #[test]
    fn a_decline_replies_as_its_kind_says_in_the_reply_language() {
        let declines = DeclineKind::ALL.map(|kind| {
            let file = format!(
                "[en]\nreply = \"{kind} en\"\nexamples = [\"q\"]\n[id]\nreply = \"{kind} id\"\nexamples = [\"q\"]\n"
            );
            let path = format!("declines/{kind}.toml");
            crate::intents::parse_decline(Path::new(&path), &file).unwrap()
        });
        let set = set_of(PROCEDURE).with_declines(declines.to_vec());
        let not_covered = reply_to(&set, &declining(DeclineKind::NotCovered));
        assert_eq!(not_covered.text, "not_covered id");
        assert_eq!(not_covered.suggestions[0].intent, "x", "the closest topics");
        assert_eq!(
            not_covered.suggestions_heading(),
            Ui::DidYouMean.text(Lang::ID)
        );
        for kind in [DeclineKind::Medical, DeclineKind::OffTopic] {
            let reply = reply_to(&set, &declining(kind));
            assert_eq!(reply.text, format!("{kind} id"));
            assert!(reply.suggestions.is_empty(), "{kind}: the topic menu");
            assert_eq!(reply.suggestions_heading(), Ui::PickTopic.text(Lang::ID));
        }
    }

    #[test]
    fn an_unsure_match_asks_which_topic_was_meant() {
        let found = Match {
            decision: Decision::Clarify,
            ..declining(DeclineKind::OffTopic)
        };
        let reply = reply_to(&set_of(PROCEDURE), &found);
        assert!(reply.clarifying && reply.declined);
        assert_eq!(reply.text, Ui::SeveralTopics.text(Lang::ID));
        assert_eq!(reply.suggestions[0].intent, "x");
        assert_eq!(reply.suggestions_heading(), Ui::DidYouMean.text(Lang::ID));
    }

    #[test]
    fn a_reply_that_outgrows_one_message_is_named_with_its_field() {
        let long = "word ".repeat(815); // 4 075 characters, under the limit alone
        let set = set_of(&PROCEDURE.replace("An answer.", &long));
        let problems = oversized_answers(&set);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field.as_deref(), Some("en.answer"));
        assert!(oversized_answers(&set_of(PROCEDURE)).is_empty());
    }
}
