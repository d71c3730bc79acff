//! Word lists that tune matching per language, kept as data in
//! `intents/lexicon/<lang>.toml` so that maintainers extend them like
//! intents: stop words, informal spellings and synonyms, and words that
//! mark a question as out of scope.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::intents::IntentError;
use crate::lang::Lang;
use crate::matcher::normalize::tokenize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    out_of_scope: Vec<String>,
    #[serde(default)]
    rewrite: std::collections::BTreeMap<String, String>,
}

/// A phrase replaced by its standard form before matching.
#[derive(Clone, Debug, PartialEq)]
struct Rewrite {
    from: Vec<String>,
    to: Vec<String>,
}

/// The merged lexicon of every language, as the matcher uses it.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Stop word -> the languages it belongs to (also evidence of language).
    stopwords: HashMap<String, Vec<Lang>>,
    /// First word of a phrase -> its rewrites, longest phrase first.
    rewrites: HashMap<String, Vec<Rewrite>>,
    /// Informal spelling or synonym -> the language whose lexicon lists it.
    rewrite_langs: HashMap<String, Lang>,
    out_of_scope: HashSet<String>,
}

impl Lexicon {
    /// Adds one language's lexicon file; `file` only labels the errors.
    pub fn add_language(
        &mut self,
        lang: Lang,
        file: &Path,
        text: &str,
    ) -> Result<(), Vec<IntentError>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawLexicon = toml::from_str(text).map_err(|e| {
            vec![IntentError::new(
                file,
                None,
                format!("invalid lexicon: {}", e.message().trim()),
            )]
        })?;
        let mut errors = Vec::new();
        for word in raw.stopwords {
            for token in tokenize(&word) {
                self.stopwords.entry(token).or_default().push(lang);
            }
        }
        self.out_of_scope
            .extend(raw.out_of_scope.iter().flat_map(|w| tokenize(w)));
        for (from, to) in raw.rewrite {
            let (from_tokens, to_tokens) = (tokenize(&from), tokenize(&to));
            if from_tokens.is_empty() {
                errors.push(IntentError::new(
                    file,
                    Some(&format!("rewrite.{from}")),
                    "has no words",
                ));
                continue;
            }
            if from_tokens == to_tokens {
                errors.push(IntentError::new(
                    file,
                    Some(&format!("rewrite.{from}")),
                    "rewrites a phrase to itself",
                ));
                continue;
            }
            if from_tokens.len() == 1 {
                self.rewrite_langs.insert(from_tokens[0].clone(), lang);
            }
            let list = self.rewrites.entry(from_tokens[0].clone()).or_default();
            list.push(Rewrite {
                from: from_tokens,
                to: to_tokens,
            });
            list.sort_by_key(|r| std::cmp::Reverse(r.from.len()));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains_key(word)
    }

    pub fn is_out_of_scope(&self, word: &str) -> bool {
        self.out_of_scope.contains(word)
    }

    /// The languages whose lexicon knows `word` as a stop word or an
    /// informal spelling: strong evidence of the language a question is in.
    pub fn languages_of(&self, word: &str) -> impl Iterator<Item = Lang> + '_ {
        let stop = self.stopwords.get(word).into_iter().flatten().copied();
        stop.chain(self.rewrite_langs.get(word).copied())
    }

    /// Every word the lexicon knows, so typos can be corrected towards them.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.stopwords
            .keys()
            .chain(self.rewrite_langs.keys())
            .chain(self.out_of_scope.iter())
            .map(String::as_str)
    }

    /// Replaces informal spellings and synonyms, longest phrase first, in
    /// one left-to-right pass (a replacement is not rewritten again).
    pub fn rewrite(&self, tokens: Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            let found = self.rewrites.get(&tokens[i]).and_then(|candidates| {
                candidates.iter().find(|r| tokens[i..].starts_with(&r.from))
            });
            match found {
                Some(rule) => {
                    out.extend(rule.to.iter().cloned());
                    i += rule.from.len();
                }
                None => {
                    out.push(tokens[i].clone());
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon
            .add_language(
                Lang::ID,
                Path::new("id.toml"),
                r#"
stopwords = ["yang", "sih"]
out_of_scope = ["gaji"]
[rewrite]
gak = "tidak"
"radiologi intervensi" = "ir"
"radiologi intervensi anak" = "ir anak"
"#,
            )
            .unwrap();
        lexicon
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn rewrites_the_longest_phrase_first() {
        let lexicon = lexicon();
        assert_eq!(
            lexicon.rewrite(words("gak suka radiologi intervensi")),
            ["tidak", "suka", "ir"]
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi intervensi anak")),
            ["ir", "anak"]
        );
        assert_eq!(
            lexicon.rewrite(words("radiologi saja")),
            ["radiologi", "saja"]
        );
    }

    #[test]
    fn knows_stopwords_languages_and_scope() {
        let lexicon = lexicon();
        assert!(lexicon.is_stopword("yang"));
        assert!(lexicon.is_out_of_scope("gaji"));
        assert_eq!(lexicon.languages_of("gak").collect::<Vec<_>>(), [Lang::ID]);
        assert_eq!(lexicon.languages_of("the").count(), 0);
    }

    #[test]
    fn reports_bad_files_by_name() {
        let mut lexicon = Lexicon::default();
        let errors = lexicon
            .add_language(Lang::EN, Path::new("lexicon/en.toml"), "stopword = [1]")
            .unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("lexicon/en.toml: invalid lexicon"),
            "{errors:?}"
        );
        let errors = lexicon
            .add_language(Lang::EN, Path::new("en.toml"), "[rewrite]\n\"?\" = \"x\"")
            .unwrap_err();
        assert!(errors[0].to_string().contains("has no words"));
    }
}
