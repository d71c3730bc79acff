//! Realistic typing noise, to measure how matching holds up when students
//! type fast on phones: deterministic for a seed, so figures repeat.

use super::{evaluate_with, Accuracy, Labelled, FALLBACK_LANG};
use crate::matcher::Matcher;

/// Asks `matcher` every question as typed in a hurry, with the typos that
/// `seed` draws: the same seed always gives the same figures.
pub fn evaluate_noisy(matcher: &Matcher, rows: &[Labelled], seed: u64) -> Accuracy {
    let mut rng = fastrand::Rng::with_seed(seed);
    evaluate_with(rows, |q| {
        Some(matcher.classify(&add_typing_noise(q, &mut rng), FALLBACK_LANG))
    })
}

/// About one word in this many gets a typo.
const ONE_WORD_IN: u32 = 4;
/// Words shorter than this are left alone: a typo in "IR" is another word.
const MIN_NOISY_WORD: usize = 3;

/// Letters next to each other on a QWERTY keyboard, the commonest source of
/// a wrong letter on a phone.
const NEIGHBOURS: [(char, &str); 26] = [
    ('a', "qwsz"),
    ('b', "vghn"),
    ('c', "xdfv"),
    ('d', "serfcx"),
    ('e', "wsdr"),
    ('f', "drtgvc"),
    ('g', "ftyhbv"),
    ('h', "gyujnb"),
    ('i', "ujko"),
    ('j', "huikmn"),
    ('k', "jiolm"),
    ('l', "kop"),
    ('m', "njk"),
    ('n', "bhjm"),
    ('o', "iklp"),
    ('p', "ol"),
    ('q', "wa"),
    ('r', "edft"),
    ('s', "awedxz"),
    ('t', "rfgy"),
    ('u', "yhji"),
    ('v', "cfgb"),
    ('w', "qase"),
    ('x', "zsdc"),
    ('y', "tghu"),
    ('z', "asx"),
];

/// The question as typed in a hurry: lowercase, no punctuation, and about
/// one word in four with a dropped, doubled, swapped or neighbouring letter.
pub fn add_typing_noise(question: &str, rng: &mut fastrand::Rng) -> String {
    let words: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let word: Vec<char> = w.to_lowercase().chars().collect();
            if word.len() >= MIN_NOISY_WORD && rng.u32(0..ONE_WORD_IN) == 0 {
                misspell(word, rng)
            } else {
                word.into_iter().collect()
            }
        })
        .collect();
    words.join(" ")
}

fn misspell(mut word: Vec<char>, rng: &mut fastrand::Rng) -> String {
    let at = rng.usize(0..word.len());
    match rng.u8(0..4) {
        0 => {
            word.remove(at);
        }
        1 => word.insert(at, word[at]),
        2 => {
            let left = at.min(word.len() - 2);
            word.swap(left, left + 1);
        }
        _ => {
            if let Some((_, keys)) = NEIGHBOURS.iter().find(|(c, _)| *c == word[at]) {
                let keys: Vec<char> = keys.chars().collect();
                word[at] = keys[rng.usize(0..keys.len())];
            }
        }
    }
    word.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_for_a_seed() {
        let question = "How many years does interventional radiology training take?";
        let a = add_typing_noise(question, &mut fastrand::Rng::with_seed(7));
        let b = add_typing_noise(question, &mut fastrand::Rng::with_seed(7));
        assert_eq!(a, b);
        assert!(!a.contains('?') && a == a.to_lowercase());
    }

    #[test]
    fn changes_about_one_word_in_four() {
        let question = "interventional radiology fellowship residency training ".repeat(40);
        let noisy = add_typing_noise(&question, &mut fastrand::Rng::with_seed(1));
        let changed = question
            .split_whitespace()
            .zip(noisy.split_whitespace())
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            (25..=75).contains(&changed),
            "{changed} of 200 words changed"
        );
    }

    #[test]
    fn survives_short_and_odd_words() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..200 {
            add_typing_noise("ab abc ñandú 🙂 x", &mut rng);
        }
    }
}
