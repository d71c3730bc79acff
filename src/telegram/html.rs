//! Plain text -> Telegram HTML messages: escaped, and split so that no
//! message exceeds Telegram's length limit.

use teloxide::utils::html::escape;

use crate::intents::TELEGRAM_MESSAGE_LIMIT;

/// Telegram counts a message's length in UTF-16 code units.
fn telegram_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` escaped for HTML parse mode and cut into messages of at most
/// `limit` UTF-16 units, at paragraph breaks where possible, else at line
/// breaks, else at spaces, and only as a last resort inside a word.
pub fn html_messages(text: &str, limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    for piece in pieces(text, limit) {
        let separator = if current.is_empty() { "" } else { "\n\n" };
        if telegram_len(&current) + telegram_len(separator) + telegram_len(&piece) > limit {
            messages.push(std::mem::take(&mut current));
        } else {
            current.push_str(separator);
        }
        current.push_str(&piece);
    }
    if !current.is_empty() || messages.is_empty() {
        messages.push(current);
    }
    messages
}

/// The escaped paragraphs of `text`, each cut further until it fits.
fn pieces(text: &str, limit: usize) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .flat_map(|paragraph| fit(paragraph, limit, &["\n", " "]))
        .collect()
}

/// `text` escaped, cut at the first of `separators` that makes the parts
/// fit; a part with no separator left is cut by characters.
fn fit(text: &str, limit: usize, separators: &[&str]) -> Vec<String> {
    let escaped = escape(text);
    if telegram_len(&escaped) <= limit {
        return vec![escaped];
    }
    let Some((separator, finer)) = separators.split_first() else {
        return cut_characters(text, limit);
    };
    let mut parts: Vec<String> = Vec::new();
    for part in text.split(separator).flat_map(|p| fit(p, limit, finer)) {
        match parts.last_mut() {
            Some(last)
                if telegram_len(last) + telegram_len(separator) + telegram_len(&part) <= limit =>
            {
                last.push_str(separator);
                last.push_str(&part);
            }
            _ => parts.push(part),
        }
    }
    parts
}

/// Cuts text that has no break at all, escaping each character on its own
/// so an entity such as `&amp;` is never split.
fn cut_characters(text: &str, limit: usize) -> Vec<String> {
    let mut parts = vec![String::new()];
    for c in text.chars() {
        let escaped = escape(c.encode_utf8(&mut [0; 4]));
        let last = parts.last_mut().expect("parts starts non-empty");
        if telegram_len(last) + telegram_len(&escaped) > limit {
            parts.push(escaped);
        } else {
            last.push_str(&escaped);
        }
    }
    parts
}

/// The messages for `text` at Telegram's own limit.
pub fn telegram_messages(text: &str) -> Vec<String> {
    html_messages(text, TELEGRAM_MESSAGE_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            telegram_messages("a < b & \"c\" > 'd'"),
            ["a &lt; b &amp; \"c\" &gt; 'd'"]
        );
    }

    #[test]
    fn splits_on_paragraphs_first() {
        let text = format!(
            "{}\n\n{}\n\n{}",
            "a".repeat(6),
            "b".repeat(6),
            "c".repeat(3)
        );
        assert_eq!(html_messages(&text, 16), ["aaaaaa\n\nbbbbbb", "ccc"]);
    }

    #[test]
    fn falls_back_to_words_then_characters() {
        assert_eq!(html_messages("one two three", 8), ["one two", "three"]);
        assert_eq!(html_messages("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn never_splits_an_entity_and_counts_utf16() {
        for part in html_messages(&"&".repeat(10), 12) {
            assert!(part.len() <= 12 && part.ends_with("&amp;"), "{part}");
        }
        // An emoji is two UTF-16 units.
        assert_eq!(html_messages("😀😀😀", 4), ["😀😀", "😀"]);
    }

    #[test]
    fn every_part_fits_and_no_text_is_lost() {
        let text = (0..3000).map(|i| format!("word{i} ")).collect::<String>();
        let parts = telegram_messages(&text);
        assert!(parts.len() > 1);
        assert!(parts
            .iter()
            .all(|p| telegram_len(p) <= TELEGRAM_MESSAGE_LIMIT));
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(words(&parts.join(" ")), words(&text));
    }

    #[test]
    fn empty_text_is_one_empty_message() {
        assert_eq!(telegram_messages(""), [""]);
    }
}
