//! Resending a reply that failed on the way to Telegram.
//!
//! teloxide retries a failed getUpdates itself (with growing backoff) and
//! the throttle adaptor waits out a 429, but a sendMessage that hits a
//! 5xx, a dropped connection or a timeout just fails: the student's
//! question would go unanswered. [`Sender::retrying`] sends such a request
//! again a few times, with growing waits, and gives up on every other
//! error at once so that a request Telegram refused is never repeated.
//!
//! Telegram has no idempotent send, so a request that timed out may have
//! been delivered: the client waits long ([`Tuning::request_timeout`],
//! past Telegram's usual stalls) and resends after a timeout only once,
//! logging that the student may see the reply twice.

use std::ops::Deref;
use std::sync::Arc;

use teloxide::requests::{Output, Request};
use teloxide::{ApiError, RequestError};

use teloxide::types::{ChatId, MessageId};

use super::group_pace::GroupPace;
use super::handlers::AdvisorBot;
use super::tuning::{Backoff, Tuning};

/// The descriptions the Bot API gives its 5xx answers. teloxide drops the
/// HTTP status and keeps only the description, so this is all there is to
/// tell a server hiccup from a refusal.
const SERVER_ERROR_DESCRIPTIONS: [&str; 4] = [
    "internal server error",
    "bad gateway",
    "service unavailable",
    "gateway timeout",
];

/// What to do after a failed request.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// It may go away by itself: the network failed, a proxy answered
    /// instead of the Bot API (not JSON), or the Bot API had a server
    /// error. Sending again is worth it.
    Transient,
    /// No answer in time: Telegram may have delivered it, so a resend
    /// may show it twice.
    TimedOut,
    /// Telegram refused it: sending it again would be refused again.
    Final,
}

/// How `error` should be handled. A 429 is final here: the throttle
/// adaptor already waits it out.
pub fn classify(error: &RequestError) -> Failure {
    match error {
        RequestError::Network(source) if source.is_timeout() => Failure::TimedOut,
        RequestError::Network(_) | RequestError::InvalidJson { .. } => Failure::Transient,
        RequestError::Api(ApiError::Unknown(description)) => {
            let description = description.to_ascii_lowercase();
            match SERVER_ERROR_DESCRIPTIONS
                .iter()
                .any(|known| description.contains(known))
            {
                true => Failure::Transient,
                false => Failure::Final,
            }
        }
        _ => Failure::Final,
    }
}

/// The bot as the handlers send with it: its requests, and the resend
/// policy of [`Tuning`].
#[derive(Clone)]
pub struct Sender {
    bot: AdvisorBot,
    backoff: Backoff,
    attempts: u32,
    groups: Arc<GroupPace>,
    /// The message the replies being sent answer, and its chat: they
    /// quote it (see [`Sender::quoting`]).
    quote: Option<(ChatId, MessageId)>,
}

impl Sender {
    pub fn new(bot: AdvisorBot, tuning: &Tuning) -> Sender {
        Sender {
            bot,
            backoff: tuning.send_backoff,
            attempts: tuning.send_attempts.max(1),
            groups: Arc::new(GroupPace::new(tuning.group_messages_per_min)),
            quote: None,
        }
    }

    /// This sender, whose replies to `chat` quote `message`: in a group,
    /// the members see which question an answer is for.
    pub fn quoting(mut self, chat: ChatId, message: MessageId) -> Sender {
        self.quote = Some((chat, message));
        self
    }

    /// The message a reply to `chat` quotes, if any.
    pub fn quote_in(&self, chat: ChatId) -> Option<MessageId> {
        self.quote
            .filter(|&(quoted, _)| quoted == chat)
            .map(|(_, message)| message)
    }

    /// Waits until a new message may go to `chat`: basic groups have a
    /// per-minute limit the throttle does not keep (see [`GroupPace`]).
    pub async fn wait_turn(&self, chat: ChatId) {
        self.groups.wait_turn(chat).await;
    }

    /// The bot itself, for the dispatcher.
    pub fn bot(&self) -> AdvisorBot {
        self.bot.clone()
    }

    /// Sends `request`, and again after a transient failure, at most
    /// `send_attempts` times in all and at most once after a timeout.
    ///
    /// A dropped connection can in principle strike after Telegram
    /// delivered the message (the answer was lost, not the request); a
    /// resend then shows it twice. That is the rarer and milder failure
    /// than a question never answered, so those are retried too.
    pub async fn retrying<R>(&self, request: R) -> Result<Output<R>, RequestError>
    where
        R: Request<Err = RequestError>,
    {
        let mut failed = 0;
        let mut timed_out = false;
        loop {
            let error = match request.send_ref().await {
                Ok(output) => return Ok(output),
                Err(error) => error,
            };
            let resend = match classify(&error) {
                Failure::Final => false,
                Failure::Transient => true,
                Failure::TimedOut => !std::mem::replace(&mut timed_out, true),
            };
            failed += 1;
            if !resend || failed >= self.attempts {
                return Err(error);
            }
            let delay = self.backoff.delay(failed);
            match timed_out && classify(&error) == Failure::TimedOut {
                true => log::warn!(
                    "Telegram did not answer in time ({error}); sending once more in \
                     {delay:.1?}: the student may see this reply twice (possible duplicate)"
                ),
                false => log::warn!(
                    "a request to Telegram failed ({error}); attempt {} in {delay:.1?}",
                    failed + 1
                ),
            }
            tokio::time::sleep(delay).await;
        }
    }
}

impl Deref for Sender {
    type Target = AdvisorBot;

    fn deref(&self) -> &AdvisorBot {
        &self.bot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_and_bad_json_are_transient() {
        let server_error = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        let bad_gateway = RequestError::Api(ApiError::Unknown("Bad Gateway".into()));
        let not_json = RequestError::InvalidJson {
            source: std::sync::Arc::new(serde_json::from_str::<u8>("<html>").unwrap_err()),
            raw: "<html>".into(),
        };
        for error in [server_error, bad_gateway, not_json] {
            assert_eq!(classify(&error), Failure::Transient, "{error:?}");
        }
    }

    #[test]
    fn refusals_are_not_retried() {
        for refusal in [
            RequestError::Api(ApiError::BotBlocked),
            RequestError::Api(ApiError::MessageTextIsEmpty),
            RequestError::Api(ApiError::Unknown("Bad Request: chat not found".into())),
            RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3)),
        ] {
            assert_eq!(classify(&refusal), Failure::Final, "{refusal:?}");
        }
    }
}
