//! The conversation sets' figures: the judge set
//! (`conversations_blind.tsv`, written without sight of the follow-up data
//! or the other sets) and the tuning sets (`conversations.tsv`,
//! `conversations_dev.tsv`). Only figures are asserted, never single rows
//! of a set.

mod support;

use ir_advisor::conversation::{Context, Conversation, Turn};
use ir_advisor::evaluation::{
    evaluate_conversations, parse_conversations, parse_tsv, ConversationReport,
};
use ir_advisor::intents::Topic;
use ir_advisor::lang::Lang;
use ir_advisor::matcher::Matcher;
use support::{data_file, shipped_intents};

/// A report's figure lines only: a judge set's messages never reach the
/// screen, even when an assertion fails.
fn figures(report: &ConversationReport) -> String {
    let text = report.to_string();
    let lines = text.lines().filter(|l| !l.starts_with("miss"));
    lines.collect::<Vec<_>>().join("\n")
}

fn report_of(file: &str) -> ConversationReport {
    let text = std::fs::read_to_string(data_file(file)).unwrap();
    let turns = parse_conversations(&text).unwrap();
    evaluate_conversations(&shipped_intents(), &turns)
}

#[test]
fn context_never_changes_a_new_question_nor_a_medical_decline() {
    for file in ["conversations_blind.tsv", "conversations.tsv"] {
        let report = report_of(file);
        assert!(report.controls.total >= 20 && report.follow_ups.total >= 40);
        assert_eq!(
            report.controls_untouched.rate(),
            1.0,
            "{file}: {}",
            figures(&report)
        );
        assert!(
            report.medical.right >= report.medical_alone.right,
            "{file}: context made a medical question less declined"
        );
    }
    assert_eq!(report_of("conversations.tsv").controls.rate(), 1.0);
}

#[test]
fn after_that_with_nothing_before_asks_for_the_whole_question() {
    let set = shipped_intents();
    let matcher = Matcher::new(&set);
    let conversation = Conversation::new(&set, &matcher);
    let now = chrono::Utc::now();
    for (message, lang) in [("and after that?", Lang::EN), ("terus abis itu?", Lang::ID)] {
        let turn = conversation.read(None, message, Lang::EN, now);
        assert_eq!(
            turn,
            Turn::Reaction {
                lang,
                puzzled: true
            },
            "{message}"
        );
        let after_residency = Context {
            intent: "radiology_residency".into(),
            at: now,
        };
        let turn = conversation.read(Some(&after_residency), message, Lang::EN, now);
        assert!(
            matches!(&turn, Turn::Question { found, .. } if found.intent.as_deref() == Some("ir_fellowship")),
            "{message}: {turn:?}"
        );
    }
}

#[test]
fn the_tuning_set_meets_every_target() {
    let report = report_of("conversations_dev.tsv");
    assert!(report.follow_ups.rate() >= 0.90, "{report}");
    assert_eq!(report.controls_untouched.rate(), 1.0, "{report}");
    assert_eq!(report.medical.rate(), 1.0, "{report}");
}

/// The tuning sets written after the rules: `conversations_tuning2.tsv`
/// and `conversations_tuning3.tsv` (by writers who never saw the cues or
/// follow-up tables), `conversations_follow4.tsv` (written from the
/// catalogue for the pointer and re-reading rules) and
/// `conversations_follow6.tsv` (for the start, worth and safe kinds),
/// `conversations_follow7.tsv` (more cue phrasings, "-nya" words that
/// point nowhere, own words weighing the follow-up),
/// `conversations_check4.tsv` (an independent writer's, 45 of 65 before
/// anyone tuned on it; 50 after follow10's cues and lead-ins; 51 after
/// follow11's pointer rule), and the eighth round's half-read check sets
/// `conversations_check9.tsv`, `_check10` and `_check11` (51, 53 and 58
/// of 66 on arrival; a point below today's figures, so that one weight
/// refit's noise does not fail the build), and the ninth round's
/// `conversations_check12.tsv` and `_check13` (56 and 57 of 66 on
/// arrival, 58 and 59 at the round's end; floors a point below), and the
/// tenth round's `conversations_check14.tsv` (57 of 66 on arrival, 58 at
/// the round's end). At the tenth round's end every floor was raised to a
/// point below that round's figure.
/// Their figures may only rise. (tuning2 fell from 32 to 30 when the
/// hard-phrasing matcher joined: "who's" now reads as "who is", and that
/// message is answered alone with confidence. Four of its misses ask "how
/// long?" after a training stage and expect the total; the stage's own
/// answer, which states its length, is what the tables give. tuning3 fell
/// from 59 to 58 when decline9 and match6 joined: "maksudnya merencanakan
/// gimana?" now leans on a what_is_ir pattern that starts "maksudnya";
/// reading "maksud" as a stop word mends it but costs cross-validation
/// 0.862 → 0.859.)
#[test]
fn the_later_tuning_sets_hold_their_figures() {
    for (file, follow_ups) in [
        ("conversations_tuning2.tsv", 38),
        ("conversations_tuning3.tsv", 65),
        ("conversations_tuning4.tsv", 69),
        ("conversations_follow4.tsv", 23),
        ("conversations_follow6.tsv", 58),
        ("conversations_follow7.tsv", 15),
        ("conversations.tsv", 72),
        ("conversations_check4.tsv", 56),
        ("conversations_check9.tsv", 59),
        ("conversations_check10.tsv", 57),
        ("conversations_check11.tsv", 59),
        ("conversations_check12.tsv", 60),
        ("conversations_check13.tsv", 59),
        ("conversations_check14.tsv", 57),
    ] {
        let report = report_of(file);
        assert!(report.follow_ups.right >= follow_ups, "{file}: {report}");
        assert_eq!(report.controls_untouched.rate(), 1.0, "{file}: {report}");
        // tuning3's one medical miss is the matcher's alone ("my uncle has
        // liver cancer, can IR help him?" is unclear on its own too);
        // context must never add one.
        assert!(
            report.medical.right >= report.medical_alone.right,
            "{file}: {report}"
        );
        if file != "conversations_tuning3.tsv" {
            assert_eq!(report.medical.rate(), 1.0, "{file}: {report}");
        }
    }
}

/// The topic answered when `message` follows `previous` within the
/// context window (`None` for anything but a topic answer).
fn answered_after(previous: &str, message: &str, lang: Lang) -> Option<String> {
    let set = shipped_intents();
    let matcher = Matcher::new(&set);
    let conversation = Conversation::new(&set, &matcher);
    let now = chrono::Utc::now();
    let context = Context {
        intent: previous.into(),
        at: now,
    };
    match conversation.read(Some(&context), message, lang, now) {
        Turn::Question { found, .. } => found.intent,
        _ => None,
    }
}

/// A "-nya" on a word only the lexicon's bare form knows is looked
/// through ("FKnya": the medical school's), and a follow-up whose own
/// words name another of the last topic's follow-ups keeps that reading.
#[test]
fn a_follow_up_naming_another_follow_up_keeps_it() {
    for message in ["terus FKnya berapa lama?", "terus FK berapa lama?"] {
        let answered = answered_after("start_early", message, Lang::ID);
        assert_eq!(answered.as_deref(), Some("medical_school"), "{message}");
    }
    // A bare "berapa lama?" still asks about the whole training.
    let answered = answered_after("start_early", "berapa lama?", Lang::ID);
    assert_eq!(answered.as_deref(), Some("training_duration"));
}

/// Short follow-ups as students type them: a cue phrased around the
/// student ("once I graduate"), a filler after a cue ("though"), and a
/// detail of the last answer whose own words name a topic near it, which
/// the last topic's title must not pull back to itself.
#[test]
fn short_follow_ups_name_what_they_ask_for() {
    for (previous, message, expected) in [
        (
            "medical_school",
            "ok and once I graduate, what comes next",
            "radiology_residency",
        ),
        (
            "training_pathway",
            "step one, what's that like?",
            "medical_school",
        ),
        ("why_choose_ir", "what's the catch though", "challenges"),
        (
            "day_in_the_life",
            "the collaboration bit, with whom exactly?",
            "teamwork",
        ),
    ] {
        let answered = answered_after(previous, message, Lang::EN);
        assert_eq!(
            answered.as_deref(),
            Some(expected),
            "{message} after {previous}"
        );
    }
}

/// A question asked right after any topic is answered as it would be
/// alone, unless it points back: every dev and holdout question (in scope
/// and out of scope) after each topic. Off-topic questions pulled to a
/// topic near the last one are the worst slip a context can make (before
/// the pointer rules, 1.3 % of these were; after them, under 0.3 %).
#[test]
fn questions_asked_after_any_topic_keep_their_own_reading() {
    let set = shipped_intents();
    let matcher = Matcher::new(&set);
    let conversation = Conversation::new(&set, &matcher);
    let now = chrono::Utc::now();
    let mut questions = Vec::new();
    for file in ["dev.tsv", "holdout.tsv"] {
        let text = std::fs::read_to_string(data_file(file)).unwrap();
        questions.extend(parse_tsv(&text).unwrap());
    }
    let (mut asked, mut pulled) = (0, 0);
    for topic in set.iter().filter(|i| i.topic != Topic::Bot) {
        let context = Context {
            intent: topic.id.clone(),
            at: now,
        };
        for row in &questions {
            let alone = matcher.classify(&row.question, Lang::EN);
            let turn = conversation.read(Some(&context), &row.question, Lang::EN, now);
            let kept = turn
                .found()
                .is_some_and(|f| f.decision == alone.decision && f.intent == alone.intent);
            asked += 1;
            pulled += usize::from(!kept);
        }
    }
    assert!(
        pulled * 1000 <= asked * 3,
        "{pulled} of {asked} questions changed by the last topic"
    );
}
