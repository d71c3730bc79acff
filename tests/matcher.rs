//! Matching behaviour on the shipped intents: a question in, the right
//! intent and language out, whatever students type.

mod support;

use std::sync::OnceLock;

use ir_advisor::intents::DeclineKind;
use ir_advisor::intents::IntentSet;
use ir_advisor::lang::Lang;
use ir_advisor::matcher::{Decision, Match, Matcher};

fn shipped() -> &'static (IntentSet, Matcher) {
    static SHIPPED: OnceLock<(IntentSet, Matcher)> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let set = support::shipped_intents();
        let matcher = Matcher::new(&set);
        (set, matcher)
    })
}

fn ask(question: &str) -> Match {
    shipped().1.classify(question, Lang::EN)
}

fn assert_intent(question: &str, expected: &str) {
    let found = ask(question);
    assert_eq!(
        found.intent.as_deref(),
        Some(expected),
        "{question:?} -> {found:?}"
    );
}

fn assert_declined_as(question: &str, kind: DeclineKind) {
    let found = ask(question);
    assert_eq!(
        found.decision,
        Decision::Decline(kind),
        "{question:?} -> {found:?}"
    );
}

#[test]
fn answers_plain_questions_in_both_languages() {
    assert_intent("How long is the IR fellowship?", "ir_fellowship");
    assert_intent(
        "berapa lama fellowship radiologi intervensional?",
        "ir_fellowship",
    );
    assert_intent("what does an interventional radiologist do", "duties");
    assert_intent("apa itu radiologi intervensional", "what_is_ir");
}

#[test]
fn tolerates_typos_case_punctuation_and_word_order() {
    assert_intent("WHAT IS AN INTERVENTIONAL RADIOLGIST???", "what_is_ir");
    assert_intent("interventional radiology, what is it", "what_is_ir");
    assert_intent(
        "which procedurs do interventinal radiologists perform",
        "procedures",
    );
}

/// Short forms that drop vowels are read as the word, not "corrected"
/// into another one ("wats" was read as "want").
#[test]
fn reads_texting_short_forms() {
    assert_intent("wats IR exactly", "what_is_ir");
    assert_intent("any orgs i could join as a student?", "organizations");
    // In Indonesian "org" is "orang" (a person): no English reading of it.
    assert_intent(
        "dokter radiologi intervensi tuh org yg ngapain aja?",
        "duties",
    );
}

#[test]
fn reads_informal_indonesian_and_stretched_letters() {
    assert_intent(
        "gimana caranya jadi radiolog intervensi?",
        "training_pathway",
    );
    assert_intent(
        "brp thn sih sekolahnya buat jadi radiolog intervensi kak",
        "training_duration",
    );
    assert_intent("halooo kaaak", "greeting");
    assert_intent("makasih banyak ya", "thanks");
}

#[test]
fn replies_in_the_language_of_the_question() {
    assert_eq!(
        ask("how many years does it take to become an IR").lang,
        Lang::EN
    );
    assert_eq!(
        ask("berapa tahun untuk jadi radiolog intervensi").lang,
        Lang::ID
    );
    let matcher = &shipped().1;
    assert_eq!(
        matcher.classify("fellowship", Lang::ID).lang,
        Lang::ID,
        "one shared word: the default"
    );
    assert_eq!(matcher.classify("fellowship", Lang::EN).lang, Lang::EN);
}

#[test]
fn declines_what_no_intent_answers() {
    for question in [
        "what's the weather in Surabaya",
        "how much does an interventional radiologist earn",
        "berapa gaji radiolog intervensi",
        "can you read my CT scan and tell me if it's cancer",
        "how much does a stent cost",
        "asdfgh qwerty",
        "nilai UTBK minimal buat masuk FK berapa",
        "what MCAT score gets you into med school",
        "my hand went numb after the angio, is that normal",
        "how was your day?",
        // Requests to a general assistant.
        "can you check my physics homework?",
        "terjemahin kalimat ini ke bahasa jepang dong",
        "where are you from?",
        "kamu lagi ngapain?",
        "who invented angioplasty?",
        "how do i become an interventional radiologist in australia?",
        "jalur jadi radiolog intervensi di jerman gimana?",
        // Entrance tests, exam dates, hours by the week: none in the sources.
        "which subjects come up in the medical school entrance test?",
        "tes masuk kedokteran itu apa aja?",
        "what is the exam date for the USMLE this year?",
        "how many hours a week does an IR work?",
        "what are the entry requirements for medical school?",
        "can an international medical graduate get a radiology residency in the US?",
        "is it too late to become an interventional radiologist at 40?",
        "syarat masuk kedokteran itu apa saja?",
        // Brands of the devices, hospitals that offer a procedure, who
        // did it first: none in the sources.
        "which brands of catheter do IRs use?",
        "any hospital in town that does tumour ablation?",
        "di rs mana bisa embolisasi?",
        "who was the first to do an embolisation?",
        // Money by other words, and a doctor's licence to practise.
        "is IR a good choice financially?",
        "how much debt will I have after medical school?",
        "do most residents need loans to get through training?",
        "apa itu surat izin praktik dokter?",
        // Oncology's own training, as any other specialty's.
        "how long is oncology training?",
        // Interventional cardiology is cardiology: "interventional" alone
        // names no IR there.
        "how long is the training for interventional cardiology?",
        // Infrared, another "IR".
        "which IR receiver works with a raspberry pi?",
        "my IR thermometer shows 35 degrees, is it broken?",
        // Incident response, investor relations, international relations.
        "draft an incident response plan for our IT team",
        "our investor relations team needs a press release",
        "jurusan HI prospek kerjanya gimana",
        "partai mana yg paling banyak kursinya sekarang?",
        "",
        "🙂🙂",
    ] {
        let found = ask(question);
        assert_eq!(found.intent, None, "{question:?} -> {found:?}");
    }
}

#[test]
fn a_long_pattern_does_not_win_by_length() {
    // "fellowship" alone must go to the fellowship intent, not to a long
    // pattern elsewhere that merely contains the word.
    assert_intent("fellowship", "ir_fellowship");
    assert_intent("residency", "radiology_residency");
}

#[test]
fn reports_confidence_and_candidates_in_range() {
    for question in [
        "how long is IR training",
        "apa itu IR",
        "tell me about football",
    ] {
        let found = ask(question);
        assert!((0.0..=1.0).contains(&found.confidence), "{found:?}");
        assert!(found.candidates.len() <= 3);
        for candidate in &found.candidates {
            assert!((0.0..=1.0).contains(&candidate.confidence));
            assert_ne!(Some(&candidate.intent), found.intent.as_ref());
        }
    }
}

#[test]
fn never_panics_on_odd_input() {
    let lone_surrogates: Option<String> = serde_json::from_str(r#""\ud800 \udfff x""#).ok();
    let inputs = [
        String::new(),
        "a".repeat(100_000),
        "fellowship ".repeat(10_000),
        "🙂".repeat(5_000),
        "ما هو الأشعة التداخلية؟".to_owned(),
        "\u{202e}\u{0}\u{7}\u{1b}[31m\r\n\t".to_owned(),
        String::from_utf16_lossy(&[0xd800, 0x0041, 0xdc00]),
        r"\ud800\udc00 \ud800".to_owned(),
        lone_surrogates.unwrap_or_default(),
        "ǅ ß ﬁ İ ΐ".to_owned(),
    ];
    for input in inputs {
        let found = ask(&input);
        assert!((0.0..=1.0).contains(&found.confidence));
    }
}

#[test]
fn real_words_are_not_corrected_into_other_words() {
    // Each is one or two edits from a word the intents use ("metal",
    // "benda", "studi", "anggap", "punggung") and was once read as it.
    let matcher = &shipped().1;
    for word in ["mental", "bunda", "saudi", "anggaran", "panggung"] {
        let explained = matcher.explain(&format!("{word} kuliah"), Lang::ID);
        let read = explained.words.iter().find(|w| w.word == word);
        assert!(
            read.is_some_and(|w| w.similarity == 1.0),
            "{word}: {:?}",
            explained.words
        );
    }
    // Nor is a spoken form read through its root: "mantau" is "memantau"
    // (to monitor), not a typo of "mantap".
    let explained = matcher.explain("yg mantau pasien siapa", Lang::ID);
    assert!(
        explained.words.iter().all(|w| w.word != "mantap"),
        "{:?}",
        explained.words
    );
    // A word on no list is still corrected.
    let explained = matcher.explain("fellowshp", Lang::EN);
    assert!(explained.words[0].similarity < 1.0, "{:?}", explained.words);
}

#[test]
fn a_possessive_after_n_typed_with_one_n_is_the_word_it_ends() {
    // "harianya" is "hariannya" (its daily...), not "harganya" (its price).
    assert_intent("rutinitas harianya kyk gimana kak", "day_in_the_life");
    assert_intent("pekerjaanya ngapain aja", "duties");
    // A word that ends in "-nya" after a vowel is left as typed.
    assert_eq!(ask("biayanya berapa").intent, None);
}

#[test]
fn a_question_asked_again_is_the_same_question() {
    // "again" once sent "what is IR again?" to the one pattern that used
    // it (the patient seen again after a procedure).
    assert_intent("what is IR again?", "what_is_ir");
    assert_intent(
        "can you tell me again how long it takes",
        "training_duration",
    );
}

#[test]
fn answers_the_question_after_a_greeting_not_the_greeting() {
    assert_intent("hey! what is IR?", "what_is_ir");
    assert_intent("halo kak, IR itu apa?", "what_is_ir");
    // Typed with no comma after the greeting.
    assert_intent("hey so what is interventional radiology", "what_is_ir");
    assert_intent("hai kak radiolog intervensi itu apa", "what_is_ir");
    // Asking after the bot is part of the greeting.
    assert_intent("hi! how are you? what is IR?", "what_is_ir");
    assert_intent("halo kak, apa kabar? IR itu apa ya", "what_is_ir");
    assert_intent("apa kabar kak", "greeting");
    // So is leading in.
    assert_intent("just curious, do IRs do surgery", "is_ir_surgery");
    assert_intent("kepo dong kak, IR tuh apa", "what_is_ir");
    // A greeting with nothing asked after it stays a greeting.
    assert_intent("hello, anyone there", "greeting");
    assert_intent("hey how are you", "greeting");
    assert_intent("hi", "greeting");
}

#[test]
fn wanting_to_be_an_ir_is_wanting_to_become_one() {
    assert_intent("i wanna be an IR", "training_pathway");
    // A student in school: what to do now.
    assert_intent(
        "im 16 and want to be an interventional radiologist, what do i do",
        "start_early",
    );
    assert_eq!(ask("do you want to be my friend").intent, None);
    // Wanting to know what they do is no wanting to be one.
    assert_intent("i want to know what IRs do", "duties");
    assert_intent("pengen tau radiolog intervensi kerjanya apa", "duties");
}

#[test]
fn a_story_before_a_personal_health_question_keeps_it_medical() {
    let question = "my dad had an angiogram last week. is it normal that his leg is swollen?";
    assert_eq!(ask(question).intent, None);
    assert_declined_as(question, DeclineKind::Medical);
}

#[test]
fn a_relatives_illness_told_before_a_question_about_the_field_is_only_the_story() {
    let story = "my grandpa was treated for a stroke last year, that is how I first heard of IR.";
    assert_intent(
        &format!("{story} What tools do interventional radiologists use?"),
        "tools_and_devices",
    );
    let cerita = "Nenek aku pernah dirawat karena stroke.";
    assert_intent(
        &format!("{cerita} Radiolog intervensi kerjanya ngapain aja sehari-hari?"),
        "day_in_the_life",
    );
    // So is a question about medical school: "school" is a career word.
    assert_intent(
        "my parents want me to become a doctor, and a video about busting blood clots got \
         me hooked on IR. What is medical school like if I want to go that way?",
        "medical_school",
    );
    // Asking whether IR can cure it is asking about the illness.
    for question in [
        format!("{story} Can an interventional radiologist cure it?"),
        format!("{cerita} Radiolog intervensi bisa nyembuhin gak?"),
    ] {
        assert_declined_as(&question, DeclineKind::Medical);
    }
}

#[test]
fn a_story_that_only_brushes_the_medical_examples_is_answered_on_its_question() {
    // "rumah sakit" and "open house" come near the medical examples, but
    // nobody's health is told: the question sentence decides.
    assert_intent(
        "apa itu radiologi intervensional? tadi disebut pas open house rumah sakit",
        "what_is_ir",
    );
}

/// A story the whole of which is answered all but surely (a student in
/// year 10 is the early start) is still read by a question that names the
/// field itself: it says what it asks.
#[test]
fn a_question_naming_the_field_after_a_sure_story_is_answered() {
    assert_intent(
        "Halo kak, aku kelas 10 dan pengen banget jadi dokter radiologi intervensi nanti. Radiologi intervensi itu sebenarnya apa sih?",
        "what_is_ir",
    );
}

#[test]
fn a_first_question_the_rest_comments_on_is_answered() {
    // The remark names a cousin, which alone made it a medical decline.
    assert_intent(
        "what is interventional radiology exactly? my cousin said its like surgery but with xrays??",
        "what_is_ir",
    );
    // A remark naming someone's condition may be what the message asks.
    assert_declined_as(
        "what is interventional radiology exactly? my dad has kidney stones, can it fix them??",
        DeclineKind::Medical,
    );
}

#[test]
fn another_specialty_is_declined_unless_named_beside_ir() {
    for question in [
        "what does a cardiothoracic surgeon do all day?",
        "dokter spesialis mata kerjanya ngapain aja?",
        "how many hours a week do emergency physicians work?",
        "what's the pass rate of the board exam?",
        // Another job's training, however much of IR it names.
        "what training does a nurse need to work in the IR suite?",
        "how hard are IR fellowship interviews?",
        // How hard a place is to win is admission, not how hard the study is.
        "how hard is it to get into med school",
        "masuk FK nya susah gak?",
        "is dental school harder than med school?",
        // A degree the sources never name, asked in the medical examples'
        // frame ("harus biopsi gak?").
        "harus S2 gak?",
        "do i need a phd for IR",
    ] {
        assert_declined_as(question, DeclineKind::NotCovered);
    }
    assert_intent("is medical school hard", "medical_school");
    // Getting certified as a job is becoming it; qualified as what one
    // already is tells who asks.
    let found = ask("how can I get certified as a radiology nurse?");
    assert!(found.decision.decline().is_some(), "{found:?}");
    assert_intent(
        "I am qualified as a radiographer. how do I become an IR?",
        "training_pathway",
    );
    // A colleague, or a comparison, is about IR.
    assert_intent("do IRs work closely with cardiac surgeons?", "teamwork");
    assert_intent(
        "radiolog intervensi kerja bareng dokter bedah jantung gak?",
        "teamwork",
    );
    // Coordinating with colleagues is working with them.
    assert_intent(
        "radiolog intervensi biasanya koordinasi sama siapa aja?",
        "teamwork",
    );
    assert_intent("who do IRs coordinate with?", "teamwork");
}

#[test]
fn money_set_aside_and_a_career_story_are_answered() {
    assert_intent(
        "aside from the money, what makes IR attractive?",
        "why_choose_ir",
    );
    assert_intent("selain gaji, kenapa orang milih IR?", "why_choose_ir");
    assert_intent(
        "I'm not asking about pay, how long does IR training take?",
        "training_duration",
    );
    assert_intent(
        "forget the pay for a second, what makes IR a rewarding specialty?",
        "why_choose_ir",
    );
    assert_intent(
        "selain soal gaji, apa yang bikin IR menarik?",
        "why_choose_ir",
    );
    // Where the student lives is no question about that country's route.
    assert_intent(
        "aku tinggal di jerman, organisasi profesi IR itu apa aja?",
        "organizations",
    );
    // Typed with its apostrophe too.
    assert_intent("I'm in Malaysia, what does an IR do?", "duties");
    assert_intent(
        "my grandad had his aneurysm fixed through a tiny cut, and now I want that job. \
         How do I become an interventional radiologist?",
        "training_pathway",
    );
    // A friend's health is someone's health.
    assert_declined_as(
        "my boyfriend has a clot in his leg, can interventional radiology dissolve it?",
        DeclineKind::Medical,
    );
}

/// A few words ending in a colon introduce what follows: a request to
/// translate a sentence is not that sentence's question, and a "quick
/// question:" before one changes nothing.
#[test]
fn a_few_words_before_a_colon_are_read_with_what_follows() {
    let found = ask("translate to english: saya suka kerja di rumah sakit");
    assert!(found.decision.decline().is_some(), "{found:?}");
    assert_intent(
        "quick question: how long is the IR fellowship?",
        "ir_fellowship",
    );
    // A longer sentence before the colon is a story of its own.
    assert_intent(
        "my parents want me to be an engineer, so tell me: why would anyone choose IR?",
        "why_choose_ir",
    );
}

/// Small talk about the bot is declined as off topic; what it can do is
/// its help, and so is whether it is a person (`bot_help`'s patterns).
#[test]
fn small_talk_about_the_bot_is_not_its_help() {
    for question in [
        "who built you lol",
        "siapa yg bikin kamu?",
        "kamu diciptakan siapa?",
        "do you ever get tired?",
    ] {
        assert_declined_as(question, DeclineKind::OffTopic);
    }
    assert_intent("what can you do?", "bot_help");
    assert_intent("are you a real person or a bot", "bot_help");
}
