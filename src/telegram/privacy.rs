//! /privacy: what the bot keeps under a chat's id, in the chat's
//! language. The inbox and the unmatched log are described, not listed:
//! the first holds a message only until it is answered, the second holds
//! no chat ids (see [`Ui::PrivacyAlways`]).

use anyhow::Context;
use teloxide::types::ChatId;
use teloxide::utils::html::escape;

use super::advisor::Advisor;
use crate::intents::IntentSet;
use crate::lang::Lang;
use crate::replies::{language_name, Ui};
use crate::storage::{ChatState, LangChoice, Vote};

/// The /privacy message for `chat`, as HTML.
pub async fn report(
    advisor: &Advisor,
    intents: &IntentSet,
    chat: ChatId,
    lang: Lang,
) -> anyhow::Result<String> {
    let id = chat.0;
    let (state, votes) = advisor
        .store
        .off_runtime(move |s| Ok((s.chat(id)?, s.votes_of(id)?)))
        .await
        .context("could not read what is kept about a chat")?;
    Ok(describe(intents, &state, &votes, lang))
}

fn describe(intents: &IntentSet, state: &ChatState, votes: &[Vote], lang: Lang) -> String {
    let title = |intent: &str| {
        let title = intents
            .get(intent)
            .map_or(intent, |i| i.text(lang).title.as_str());
        escape(title)
    };
    let mut kept = Vec::new();
    if let LangChoice::Fixed(chosen) = state.lang {
        let label = Ui::PrivacyLanguage.text(lang);
        kept.push(format!("{label} {}", language_name(chosen)));
    }
    if let Some(last_lang) = state.last_lang {
        let label = Ui::PrivacyLastLanguage.text(lang);
        kept.push(format!("{label} {}", language_name(last_lang)));
    }
    if let Some(last) = &state.last_intent {
        let label = Ui::PrivacyLastTopic.text(lang);
        let when = state
            .last_intent_at
            .map(|at| format!(" ({} UTC)", at.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default();
        kept.push(format!("{label} {}{when}", title(last)));
    }
    if !votes.is_empty() {
        let rated: Vec<String> = votes
            .iter()
            .map(|v| {
                format!(
                    "{} {}",
                    if v.helpful { "👍" } else { "👎" },
                    title(&v.intent)
                )
            })
            .collect();
        kept.push(format!(
            "{} {}",
            Ui::PrivacyVotes.text(lang),
            rated.join(", ")
        ));
    }
    let kept = match kept.is_empty() {
        true => Ui::PrivacyNothing.text(lang).to_owned(),
        false => kept
            .iter()
            .map(|line| format!("• {line}"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    format!(
        "{}\n{kept}\n\n{}",
        Ui::PrivacyIntro.text(lang),
        Ui::PrivacyAlways.text(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_intent_is_named_by_its_id_and_every_title_is_escaped() {
        let state = ChatState {
            lang: LangChoice::Fixed(Lang::ID),
            last_intent: Some("gone_<b>".into()),
            last_intent_at: None,
            last_lang: Some(Lang::EN),
        };
        let votes = [Vote {
            intent: "gone_<b>".into(),
            helpful: false,
        }];
        let text = describe(&IntentSet::default(), &state, &votes, Lang::EN);
        assert!(text.contains("Bahasa Indonesia"), "{text}");
        assert!(text.contains("English"), "{text}");
        assert!(text.contains("👎 gone_&lt;b&gt;"), "{text}");
        assert!(!text.contains("<b>"), "{text}");
    }

    #[test]
    fn a_chat_with_nothing_kept_is_told_so() {
        let text = describe(&IntentSet::default(), &ChatState::default(), &[], Lang::ID);
        assert!(text.contains(Ui::PrivacyNothing.text(Lang::ID)), "{text}");
    }
}
