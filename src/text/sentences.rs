//! A message cut into sentences, so that the matcher can read the question
//! a student asks after telling their story, and skip a greeting before it.

use std::ops::Range;

/// One sentence of a message: where it is, and whether it asks ("?").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the message, its closing punctuation included.
    pub span: Range<usize>,
    /// Whether a question mark closes it.
    pub asks: bool,
}

/// The sentences of `text` that have a letter or digit, in order. A
/// sentence ends at "?", "!", "…", a line break, or a full stop or colon
/// followed by a space or the end ("3.5", "e.g" and "10:30" stay whole;
/// "my parents worry about the cost, but first: what is the path?" asks
/// after its colon); a run of closing marks ("?!", "...") belongs to the
/// sentence it closes.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if !ends_sentence(c, next) {
            continue;
        }
        let mut end = at + c.len_utf8();
        let mut asks = c == '?';
        while let Some(&(more_at, more)) = chars.peek() {
            if !matches!(more, '?' | '!' | '.' | '…' | '\n') {
                break;
            }
            asks |= more == '?';
            end = more_at + more.len_utf8();
            chars.next();
        }
        push_sentence(&mut found, text, start..end, asks);
        start = end;
    }
    push_sentence(&mut found, text, start..text.len(), false);
    found
}

fn ends_sentence(c: char, next: Option<char>) -> bool {
    match c {
        '?' | '!' | '…' | '\n' => true,
        '.' | ':' => next.is_none_or(char::is_whitespace),
        _ => false,
    }
}

fn push_sentence(found: &mut Vec<Sentence>, text: &str, span: Range<usize>, asks: bool) {
    if text[span.clone()].chars().any(char::is_alphanumeric) {
        found.push(Sentence { span, asks });
    }
}

/// `text` after its leading clauses (up to a ",", ":", ";", " - " or a
/// sentence end) for which `skip` holds, such as "halo kak," before a
/// question. The whole text when every clause would be skipped: a message
/// that only greets is a greeting.
pub fn after_leading_clauses(text: &str, skip: impl Fn(&str) -> bool) -> &str {
    let mut rest = text;
    while let Some(end) = rest.find([',', ':', ';', '!', '?', '.', '\n', '-']) {
        let clause = &rest[..end];
        let after = rest[end + 1..].trim_start_matches([',', ':', ';', '!', '?', '.', '-']);
        if !skip(clause) || !after.chars().any(char::is_alphanumeric) {
            break;
        }
        rest = after.trim_start();
    }
    rest
}

/// `text` after its leading words when the first is one for which `opens`
/// holds and each after it one for which `goes_on` holds, such as "hey so"
/// before "what is IR?", typed with no comma to end a clause. The whole
/// text when no word opens it or every word would be skipped.
pub fn after_leading_words(
    text: &str,
    opens: impl Fn(&str) -> bool,
    goes_on: impl Fn(&str) -> bool,
) -> &str {
    let mut rest = text.trim_start();
    let mut skipped = false;
    while let Some(word) = rest.split_whitespace().next() {
        let skip = if skipped { goes_on(word) } else { opens(word) };
        if !skip {
            break;
        }
        rest = rest[word.len()..].trim_start();
        skipped = true;
    }
    if skipped && !rest.is_empty() {
        rest
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, bool)> {
        let found = sentences(text);
        found.into_iter().map(|s| (&text[s.span], s.asks)).collect()
    }

    #[test]
    fn cuts_at_sentence_ends_and_keeps_the_question_mark() {
        assert_eq!(
            texts("I'm 17. I love science!! What is IR?! thanks"),
            [
                ("I'm 17.", false),
                (" I love science!!", false),
                (" What is IR?!", true),
                (" thanks", false)
            ]
        );
    }

    #[test]
    fn keeps_decimals_and_drops_empty_pieces() {
        assert_eq!(texts("a 3.5 cm mass?"), [("a 3.5 cm mass?", true)]);
        assert_eq!(texts("at 10:30?"), [("at 10:30?", true)]);
        assert_eq!(
            texts("one thing: what is IR?"),
            [("one thing:", false), (" what is IR?", true)]
        );
        assert_eq!(texts("?? ... !"), []);
        assert_eq!(
            texts("line one\nline two"),
            [("line one\n", false), ("line two", false)]
        );
    }

    #[test]
    fn skips_leading_clauses_but_never_everything() {
        let greeting = |clause: &str| clause.trim().starts_with("halo");
        assert_eq!(
            after_leading_clauses("halo kak, IR itu apa?", greeting),
            "IR itu apa?"
        );
        assert_eq!(after_leading_clauses("halo kak!", greeting), "halo kak!");
        assert_eq!(
            after_leading_clauses("IR itu apa, halo", greeting),
            "IR itu apa, halo"
        );
    }

    #[test]
    fn skips_leading_words_from_one_that_opens() {
        let opens = |word: &str| word.trim_end_matches('!') == "hey";
        let goes_on = |word: &str| ["so", "kak"].contains(&word);
        let skip = |text| after_leading_words(text, opens, goes_on);
        assert_eq!(skip("hey so what is IR?"), "what is IR?");
        assert_eq!(skip("  hey!  kak IR itu apa"), "IR itu apa");
        assert_eq!(skip("so hey what is IR?"), "so hey what is IR?");
        assert_eq!(skip("hey so"), "hey so");
    }
}
