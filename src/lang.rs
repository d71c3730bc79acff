//! Language codes. Kept as a tiny `Copy` value so the matcher can pass it
//! around on the hot path without allocating.

use std::fmt;
use std::str::FromStr;

/// An ISO 639-1 language code such as `en` or `id`.
///
/// Any two-letter code is accepted so that a maintainer can add a language by
/// adding a table to the intent files; `en` and `id` are the shipped ones.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang([u8; 2]);

impl Lang {
    pub const EN: Lang = Lang(*b"en");
    pub const ID: Lang = Lang(*b"id");

    /// Parses a two-letter lowercase ASCII code; anything else is `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_lowercase() && b.is_ascii_lowercase() => Some(Lang([*a, *b])),
            _ => None,
        }
    }

    /// Reads a Telegram-style `language_code` ("id", "en-US", "pt-br") as a
    /// two-letter code, ignoring the region.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let primary = locale.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::parse(&primary)
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII lowercase by construction.
        std::str::from_utf8(&self.0).unwrap_or("en")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| format!("`{s}` is not a two-letter language code"))
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_two_lowercase_letters() {
        assert_eq!(Lang::parse("id"), Some(Lang::ID));
        assert_eq!(Lang::parse("EN"), None);
        assert_eq!(Lang::parse("eng"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn reads_telegram_locales() {
        assert_eq!(Lang::from_locale("en-US"), Some(Lang::EN));
        assert_eq!(Lang::from_locale("ID"), Some(Lang::ID));
        assert_eq!(Lang::from_locale("zh-hans"), Lang::parse("zh"));
        assert_eq!(Lang::from_locale(""), None);
    }
}
