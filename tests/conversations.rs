//! The conversation sets' figures: the judge set (`conversations.tsv`,
//! written without sight of the follow-up data) and the tuning set
//! (`conversations_dev.tsv`). Only figures are asserted, never single rows.

mod support;

use ir_advisor::evaluation::{evaluate_conversations, parse_conversations, ConversationReport};
use support::{data_file, shipped_intents};

fn report_of(file: &str) -> ConversationReport {
    let text = std::fs::read_to_string(data_file(file)).unwrap();
    let turns = parse_conversations(&text).unwrap();
    evaluate_conversations(&shipped_intents(), &turns)
}

#[test]
fn context_never_changes_a_new_question_nor_a_medical_decline() {
    let report = report_of("conversations.tsv");
    assert!(report.controls.total >= 20 && report.follow_ups.total >= 40);
    assert_eq!(report.controls_untouched.rate(), 1.0);
    assert_eq!(report.controls.rate(), 1.0);
    assert!(
        report.medical.right >= report.medical_alone.right,
        "context made a medical question less declined"
    );
}

#[test]
fn the_tuning_set_meets_every_target() {
    let report = report_of("conversations_dev.tsv");
    assert!(report.follow_ups.rate() >= 0.90, "{report}");
    assert_eq!(report.controls_untouched.rate(), 1.0, "{report}");
    assert_eq!(report.medical.rate(), 1.0, "{report}");
}
