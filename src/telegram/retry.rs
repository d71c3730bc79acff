//! Resending a reply that failed on the way to Telegram.
//!
//! teloxide retries a failed getUpdates itself (with growing backoff) and
//! the throttle adaptor waits out a 429, but a sendMessage that hits a
//! 5xx, a dropped connection or a timeout just fails: the student's
//! question would go unanswered. [`send_retrying`] sends such a request
//! again a few times, with growing waits, and gives up on every other
//! error at once so that a request Telegram refused is never repeated.

use std::time::Duration;

use teloxide::requests::{Output, Request};
use teloxide::{ApiError, RequestError};

/// The wait before the first resend: long enough for a dropped connection
/// to be re-established, short enough that the student barely notices.
pub const FIRST_RETRY_DELAY: Duration = Duration::from_millis(500);

/// The longest wait between two attempts, however many failed before.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(8);

/// How many times one request is sent at most. With the delays above the
/// waits add up to 7.5 s, so a reply is given up on within seconds of
/// Telegram's own backoff rather than holding the chat's queue for long.
pub const MAX_ATTEMPTS: u32 = 5;

/// The descriptions the Bot API gives its 5xx answers. teloxide drops the
/// HTTP status and keeps only the description, so this is all there is to
/// tell a server hiccup from a refusal.
const SERVER_ERROR_DESCRIPTIONS: [&str; 4] = [
    "internal server error",
    "bad gateway",
    "service unavailable",
    "gateway timeout",
];

/// Whether `error` may go away by itself, so that sending the same request
/// again is worth it: the network failed or timed out, a proxy answered
/// instead of the Bot API (not JSON), or the Bot API had a server error.
/// A 429 is not here: the throttle adaptor already waits it out.
pub fn is_transient(error: &RequestError) -> bool {
    match error {
        RequestError::Network(_) | RequestError::InvalidJson { .. } => true,
        RequestError::Api(ApiError::Unknown(description)) => {
            let description = description.to_ascii_lowercase();
            SERVER_ERROR_DESCRIPTIONS
                .iter()
                .any(|known| description.contains(known))
        }
        _ => false,
    }
}

/// The wait after `failed` attempts: doubling from [`FIRST_RETRY_DELAY`],
/// capped at [`MAX_RETRY_DELAY`].
pub fn retry_delay(failed: u32) -> Duration {
    let doublings = failed.saturating_sub(1).min(16);
    FIRST_RETRY_DELAY
        .saturating_mul(1 << doublings)
        .min(MAX_RETRY_DELAY)
}

/// Sends `request`, and again after a transient failure, at most
/// [`MAX_ATTEMPTS`] times.
///
/// A network error can in principle strike after Telegram delivered the
/// message (the answer was lost, not the request); a resend then shows it
/// twice. That is the rarer and milder failure than a question never
/// answered, so network errors are retried.
pub async fn send_retrying<R>(request: R) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut failed = 0;
    loop {
        match request.send_ref().await {
            Err(error) if is_transient(&error) && failed + 1 < MAX_ATTEMPTS => {
                failed += 1;
                let delay = retry_delay(failed);
                log::warn!(
                    "a request to Telegram failed ({error}); attempt {} in {delay:.1?}",
                    failed + 1
                );
                tokio::time::sleep(delay).await;
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let delays: Vec<Duration> = (1..=7).map(retry_delay).collect();
        let millis: Vec<u128> = delays.iter().map(Duration::as_millis).collect();
        assert_eq!(millis, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(retry_delay(u32::MAX), MAX_RETRY_DELAY);
    }

    #[test]
    fn server_errors_and_bad_json_are_transient() {
        let server_error = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        let bad_gateway = RequestError::Api(ApiError::Unknown("Bad Gateway".into()));
        let not_json = RequestError::InvalidJson {
            source: std::sync::Arc::new(serde_json::from_str::<u8>("<html>").unwrap_err()),
            raw: "<html>".into(),
        };
        assert!(is_transient(&server_error));
        assert!(is_transient(&bad_gateway));
        assert!(is_transient(&not_json));
    }

    #[test]
    fn refusals_are_not_retried() {
        for refusal in [
            RequestError::Api(ApiError::BotBlocked),
            RequestError::Api(ApiError::MessageTextIsEmpty),
            RequestError::Api(ApiError::Unknown("Bad Request: chat not found".into())),
            RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3)),
        ] {
            assert!(!is_transient(&refusal), "{refusal:?}");
        }
    }
}
