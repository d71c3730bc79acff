//! Which language a question is written in, from the words it uses.

use crate::lang::Lang;

/// Picks the language with the most words that belong to it alone.
///
/// `languages_of` names the languages a word is known in (from the intents'
/// patterns and the lexicons). Words known in several languages ("IR",
/// "fellowship") or in none say nothing; a tie, including a question with
/// no telling word at all, falls back to `default`.
pub fn detect<'w, I>(
    words: &'w [String],
    languages_of: impl Fn(&'w str) -> I,
    default: Lang,
) -> Lang
where
    I: IntoIterator<Item = Lang>,
{
    // A question names a language or two: a list beats a map.
    let mut votes: Vec<(Lang, usize)> = Vec::new();
    for word in words {
        let mut langs = languages_of(word).into_iter();
        let Some(only) = langs
            .next()
            .filter(|&first| langs.all(|lang| lang == first))
        else {
            continue;
        };
        match votes.iter_mut().find(|(lang, _)| *lang == only) {
            Some((_, count)) => *count += 1,
            None => votes.push((only, 1)),
        }
    }
    let best = votes.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let mut leaders = votes.iter().filter(|&&(_, n)| n == best && n > 0);
    match (leaders.next(), leaders.next()) {
        (Some(&(lang, _)), None) => lang,
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn known(word: &str) -> Vec<Lang> {
        match word {
            "apa" | "itu" | "berapa" | "tahun" => vec![Lang::ID],
            "what" | "is" | "how" | "years" => vec![Lang::EN],
            "ir" | "fellowship" => vec![Lang::EN, Lang::ID],
            _ => vec![],
        }
    }

    fn detect_in(text: &str, default: Lang) -> Lang {
        detect(&tokenize(text), known, default)
    }

    #[test]
    fn counts_words_of_one_language_only() {
        assert_eq!(detect_in("apa itu IR", Lang::EN), Lang::ID);
        assert_eq!(detect_in("what is IR", Lang::ID), Lang::EN);
        assert_eq!(detect_in("berapa years tahun", Lang::EN), Lang::ID);
    }

    #[test]
    fn falls_back_when_nothing_tells() {
        assert_eq!(detect_in("fellowship", Lang::ID), Lang::ID);
        assert_eq!(detect_in("fellowship", Lang::EN), Lang::EN);
        assert_eq!(detect_in("apa how", Lang::EN), Lang::EN);
        assert_eq!(detect_in("", Lang::ID), Lang::ID);
    }
}
