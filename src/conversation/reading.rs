//! What a message says before any topic is looked for: a reaction ("ok",
//! "👍", "wkwk"), a follow-up cue ("terus abis itu?") with or without words
//! of its own, or neither. Pure text work over the cue data.

use super::MAX_OWN_WORDS;
use crate::intents::{FollowUpKind, IntentSet, Phrase};
use crate::lang::Lang;
use crate::text::tokenize;

/// The most filler words a reaction may hold beside its reaction words
/// ("ok so then", "oh i see"): more make a question of fillers alone ("ok
/// and what do they actually do", every word of it a filler or a stop
/// word).
const MAX_FILLERS_IN_REACTION: usize = 2;

/// How a message reads against the cues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    /// Asks nothing: emoji, punctuation, laughter or reaction words.
    /// `lang` when a word tells; `puzzled` for "???".
    Reaction { lang: Option<Lang>, puzzled: bool },
    /// Holds a follow-up phrase of `kind` (the longest found), in `lang`,
    /// and `own_words` words that are neither cues nor fillers;
    /// `points_back` as for `Plain`, `pointer_word` when a pointer of its
    /// own ("itu", "that") says so, not only a word's ending ("kuliahnya");
    /// `personal` when a word of it is about the asker ("is it safe for
    /// me?"), filler or not; `asked` when the cue ends the message, as a
    /// question of its own ("four years, then what?"), not a phrase placing
    /// the words after it ("is there an exam after finishing training?").
    Cue {
        kind: FollowUpKind,
        lang: Lang,
        own_words: usize,
        points_back: bool,
        pointer_word: bool,
        personal: bool,
        asked: bool,
    },
    /// Anything else: a question to read on its own, with `own_words`
    /// words that are not fillers; `points_back` when a word of it points
    /// at what was just said ("what do they use for that?").
    Plain {
        own_words: usize,
        points_back: bool,
        pointer_word: bool,
    },
}

/// Reads `message` against the set's cues; the lexicon's stop words are
/// fillers too.
pub fn read(set: &IntentSet, message: &str) -> Said {
    let said = read_words(set, message);
    match message.split_once(',') {
        Some((named, _)) if names_what_follows(set, named) => said.pointing_within(),
        _ => said,
    }
}

/// Whether `clause`, put before a comma, names what the rest of the
/// message points at: words of its own and no pointer ("the fellowship
/// part, what's that like?": "that" is the fellowship, not the topic just
/// answered).
fn names_what_follows(set: &IntentSet, clause: &str) -> bool {
    matches!(
        read_words(set, clause),
        Said::Plain {
            own_words: 1..,
            points_back: false,
            ..
        }
    )
}

impl Said {
    /// The same reading with its pointers taken as pointing inside the
    /// message.
    fn pointing_within(self) -> Said {
        match self {
            Said::Cue {
                kind,
                lang,
                own_words,
                personal,
                asked,
                ..
            } => Said::Cue {
                kind,
                lang,
                own_words,
                points_back: false,
                pointer_word: false,
                personal,
                asked,
            },
            Said::Plain { own_words, .. } => Said::Plain {
                own_words,
                points_back: false,
                pointer_word: false,
            },
            reaction => reaction,
        }
    }
}

/// [`read`] of the message whole.
fn read_words(set: &IntentSet, message: &str) -> Said {
    let cues = &set.cues;
    let words = tokenize(message);
    if words.is_empty() {
        return match message.trim().is_empty() {
            true => Said::Plain {
                own_words: 0,
                points_back: false,
                pointer_word: false,
            },
            false => Said::Reaction {
                lang: None,
                puzzled: message.contains('?'),
            },
        };
    }
    let mut reaction_lang = None;
    let mut reacted = false;
    let mut cue: Option<(FollowUpKind, &Phrase)> = None;
    // The own words said before the cue: none after it means it ends the
    // message, fillers aside.
    let mut own_before_cue = 0;
    let mut own_words = 0;
    let mut filler_words = 0;
    let mut points_back = false;
    let mut pointer_word = false;
    let mut personal = false;
    let mut short_pointer = false;
    // "how many years is all of that put together?": a length asked of
    // the whole, whose words are no words of its own when the length is
    // what it asks.
    let in_totals = words_of_totals(set, &words);
    let (mut total_words, mut total_before_cue) = (0, 0);
    let mut at = 0;
    while at < words.len() {
        let rest = &words[at..];
        // The cues are sorted longest first.
        let cue_here = (cues.follow_ups.iter()).find(|c| starts_with_typed(set, rest, &c.phrase));
        let reaction_here = longest(&cues.reactions, rest);
        // A reaction longer than the cue it holds ("lama banget": so
        // long!) tells how the answer struck the student; it asks nothing.
        let reaction_wins = reaction_here
            .is_some_and(|r| cue_here.is_none_or(|c| r.words.len() > c.phrase.words.len()));
        if let Some(found) = cue_here.filter(|_| !reaction_wins) {
            // The longest cue names the kind, except that "apa aja" or
            // "which ones" only ask for the list of what another cue names
            // ("tantangannya apa aja?": the challenges).
            let rank = |kind: FollowUpKind, phrase: &Phrase| {
                (kind != FollowUpKind::Examples, phrase.words.len())
            };
            let better =
                cue.is_none_or(|(kind, p)| rank(found.kind, &found.phrase) > rank(kind, p));
            if better {
                cue = Some((found.kind, &found.phrase));
                own_before_cue = own_words;
                total_before_cue = total_words;
            }
            at += found.phrase.words.len();
        } else if let Some(phrase) = reaction_here {
            reacted = true;
            // A reaction both languages use ("ok") tells neither.
            let both = (cues.reactions.iter())
                .any(|other| other.words == phrase.words && other.lang != phrase.lang);
            if !both {
                reaction_lang = reaction_lang.or(Some(phrase.lang));
            }
            at += phrase.words.len();
        } else if let Some(lang) = laughter(&rest[0]) {
            reacted = true;
            reaction_lang = reaction_lang.or(lang);
            at += 1;
        } else {
            let filler = cues.fillers.contains(&rest[0]) || set.lexicon.is_stopword(&rest[0]);
            own_words += usize::from(!filler);
            total_words += usize::from(!filler && in_totals.contains(&at));
            filler_words += usize::from(filler);
            personal |= cues.personal.contains(&rest[0]);
            // A pointer inside a cue phrase ("after that") is the cue's; a
            // filler's ending is no pointer ("biasanya": usually).
            pointer_word |= cues.pointers.contains(&rest[0]);
            short_pointer |= cues.short_pointers.contains(&rest[0]);
            points_back |= pointer_word || (!filler && cues.points_back(&rest[0]));
            at += 1;
        }
    }
    let pointing_phrase = (0..words.len())
        .any(|at| (cues.pointing_phrases.iter()).any(|p| starts_with(&words[at..], p)));
    if pointing_phrase || (short_pointer && own_words <= MAX_OWN_WORDS) {
        pointer_word = true;
        points_back = true;
    }
    // The length of the whole: its words are the cue's.
    let whole = matches!(cue, Some((FollowUpKind::HowLong, _))) && total_words > 0;
    if whole {
        own_words -= total_words;
        own_before_cue -= total_before_cue;
    }
    match cue {
        Some((kind, phrase)) => Said::Cue {
            kind: if whole { FollowUpKind::Total } else { kind },
            lang: phrase.lang,
            own_words,
            points_back,
            pointer_word,
            personal,
            asked: own_words == own_before_cue,
        },
        None if reacted && own_words == 0 && filler_words <= MAX_FILLERS_IN_REACTION => {
            Said::Reaction {
                lang: reaction_lang,
                puzzled: false,
            }
        }
        None => Said::Plain {
            own_words,
            points_back,
            pointer_word,
        },
    }
}

/// The places of `words` that a phrase of the cue file's `totals` covers
/// ("all of that put together", "totalnya").
fn words_of_totals(set: &IntentSet, words: &[String]) -> Vec<usize> {
    (0..words.len())
        .filter_map(|at| longest(&set.cues.totals, &words[at..]).map(|t| at..at + t.words.len()))
        .flatten()
        .collect()
}

fn starts_with(words: &[String], phrase: &Phrase) -> bool {
    words.starts_with(&phrase.words)
}

/// The shortest cue word a typo of which still counts as the word: in a
/// shorter one, one letter changed makes another word too often.
const MIN_TYPO_CUE_WORD: usize = 5;

/// The shortest cue word whose two letters typed the wrong way round
/// still count as the word ("tehn"): a swap keeps every letter, so it
/// makes another word far less often than a letter changed.
const MIN_SWAPPED_CUE_WORD: usize = 4;

/// [`starts_with`], a cue word also found as typed fast ("is it
/// stresful?", "tehn what?"): one letter off (as the matcher's typo
/// reading counts it), or in a shorter word two letters swapped, the same
/// first letter, and no real word of its own ("though" is not "tough").
pub fn starts_with_typed(set: &IntentSet, words: &[String], phrase: &Phrase) -> bool {
    // Cheapest tests first: this runs for every cue word at every word.
    let typo_of = |typed: &String, cue: &String| {
        let letters = cue.chars().count();
        letters >= MIN_SWAPPED_CUE_WORD
            && typed.chars().next() == cue.chars().next()
            && typed.chars().count().abs_diff(letters) <= 1
            && strsim::damerau_levenshtein(typed, cue) <= 1
            // Shorter words only with two letters swapped: one Damerau
            // edit that plain Levenshtein counts as two.
            && (letters >= MIN_TYPO_CUE_WORD || strsim::levenshtein(typed, cue) == 2)
            && !set.lexicon.is_real_word(typed)
    };
    words.len() >= phrase.words.len()
        && (words.iter().zip(&phrase.words)).all(|(typed, cue)| typed == cue || typo_of(typed, cue))
}

fn longest<'a>(phrases: &'a [Phrase], words: &[String]) -> Option<&'a Phrase> {
    phrases
        .iter()
        .filter(|p| starts_with(words, p))
        .max_by_key(|p| p.words.len())
}

/// Laughter typed as a repeated syllable ("haha", "hehehe", "wkwkwk"),
/// which no list can hold in every length; "wkwk" is Indonesian.
fn laughter(word: &str) -> Option<Option<Lang>> {
    const SYLLABLES: [(&str, Option<Lang>); 5] = [
        ("ha", None),
        ("he", None),
        ("hi", None),
        ("wk", Some(Lang::ID)),
        ("xi", Some(Lang::ID)),
    ];
    let even = &word[..word.len() - word.len() % 2];
    if even.len() < 4 || !word.is_ascii() {
        return None;
    }
    let (syllable, lang) = SYLLABLES.iter().find(|(s, _)| even.starts_with(s))?;
    let repeated = even.as_bytes().chunks(2).all(|c| c == syllable.as_bytes());
    repeated.then_some(*lang)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::intents::parse_cues;
    use crate::lexicon::Lexicon;

    fn cues() -> IntentSet {
        let text = r#"
[en]
next = ["and after that", "after that"]
how_long = ["how long", "lama", "lama banget gak"]
examples = ["such as"]
fillers = ["so", "is", "it", "the", "me"]
personal = ["me"]
reactions = ["ok", "got it", "cool"]
pointers = ["it", "that"]
[id]
next = ["abis itu"]
reactions = ["sip", "lama banget", "cool"]
fillers = ["kak"]
"#;
        let cues = parse_cues(Path::new("c.toml"), text).unwrap();
        IntentSet::new(Vec::new(), Lexicon::default()).with_cues(cues)
    }

    #[test]
    fn reactions_ask_nothing() {
        let cues = cues();
        for (message, lang, puzzled) in [
            ("ok", Some(Lang::EN), false),
            // Listed in both languages, a reaction tells neither.
            ("cool", None, false),
            ("Got it!", Some(Lang::EN), false),
            ("sip kak", Some(Lang::ID), false),
            ("👍", None, false),
            ("???", None, true),
            ("hahaha", None, false),
            ("wkwkwk", Some(Lang::ID), false),
        ] {
            assert_eq!(
                read(&cues, message),
                Said::Reaction { lang, puzzled },
                "{message}"
            );
        }
        let plain = |own_words, points_back| Said::Plain {
            own_words,
            points_back,
            pointer_word: points_back,
        };
        assert_eq!(
            read(&cues, "lama banget 😭"),
            Said::Reaction {
                lang: Some(Lang::ID),
                puzzled: false
            },
            "a reaction longer than the cue inside it"
        );
        assert!(
            matches!(
                read(&cues, "lama banget gak?"),
                Said::Cue {
                    kind: FollowUpKind::HowLong,
                    ..
                }
            ),
            "a longer cue asks"
        );
        assert_eq!(read(&cues, "ok what is IR"), plain(2, false));
        assert_eq!(read(&cues, "hat"), plain(1, false));
        assert_eq!(read(&cues, "what do they use for that?"), plain(6, true));
    }

    #[test]
    fn cues_count_the_words_of_their_own() {
        let cues = cues();
        let cue = |kind, lang, own_words, asked| Said::Cue {
            kind,
            lang,
            own_words,
            points_back: false,
            pointer_word: false,
            personal: false,
            asked,
        };
        assert_eq!(
            read(&cues, "ok, and after that?"),
            cue(FollowUpKind::Next, Lang::EN, 0, true)
        );
        assert_eq!(
            read(&cues, "terus abis itu kak"),
            cue(FollowUpKind::Next, Lang::ID, 1, true),
            "`terus` and `itu` are no filler in this test's data"
        );
        assert_eq!(
            read(&cues, "how long is the fellowship"),
            cue(FollowUpKind::HowLong, Lang::EN, 1, false),
            "a cue before words of its own places them: no question of its own"
        );
        assert_eq!(
            read(&cues, "how long and after that"),
            cue(FollowUpKind::Next, Lang::EN, 0, true),
            "the longest cue names the kind"
        );
        assert_eq!(
            read(&cues, "how long such as"),
            cue(FollowUpKind::HowLong, Lang::EN, 0, true),
            "examples ask for the list of what another cue names"
        );
        assert_eq!(
            read(&cues, "how long is it then"),
            Said::Cue {
                kind: FollowUpKind::HowLong,
                lang: Lang::EN,
                own_words: 1,
                points_back: true,
                pointer_word: true,
                personal: false,
                asked: false,
            },
            "a pointer word may be a filler too"
        );
        assert_eq!(
            read(&cues, "how long is it me"),
            Said::Cue {
                kind: FollowUpKind::HowLong,
                lang: Lang::EN,
                own_words: 0,
                points_back: true,
                pointer_word: true,
                personal: true,
                asked: true,
            },
            "a word about the asker is personal, filler or not"
        );
    }

    #[test]
    fn a_short_pointer_points_back_only_in_a_short_message() {
        let set = crate::shipped::intents();
        let points_back = |message| match read(set, message) {
            Said::Plain { points_back, .. } | Said::Cue { points_back, .. } => points_back,
            Said::Reaction { .. } => false,
        };
        assert!(points_back("is it still growing?"));
        assert!(!points_back("what time is it in Tokyo right now?"));
    }

    #[test]
    fn a_phrase_before_a_comma_is_what_its_pointers_point_at() {
        let cues = cues();
        let how_long = |points_back| Said::Cue {
            kind: FollowUpKind::HowLong,
            lang: Lang::EN,
            own_words: 1,
            points_back,
            pointer_word: points_back,
            personal: false,
            asked: true,
        };
        assert_eq!(
            read(&cues, "the fellowship, how long is it?"),
            how_long(false),
            "`it` is the fellowship"
        );
        assert_eq!(
            read(&cues, "fellowship: how long is it?"),
            how_long(true),
            "no comma, no phrase of its own: `it` may be the last topic"
        );
        assert_eq!(
            read(&cues, "that fellowship, how long is it?"),
            Said::Cue {
                kind: FollowUpKind::HowLong,
                lang: Lang::EN,
                own_words: 2,
                points_back: true,
                pointer_word: true,
                personal: false,
                asked: true,
            },
            "a phrase that itself points back names nothing new"
        );
    }
}
