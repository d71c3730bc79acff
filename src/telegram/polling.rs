//! Long polling into the inbox. teloxide confirms an update to Telegram
//! with the next getUpdates, which it makes as soon as its stream is asked
//! for more; so each update is recorded before the stream is asked again,
//! and a crash at any moment loses nothing.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};
use teloxide::{ApiError, RequestError};

use super::inbox::Inbox;
use super::tuning::Backoff;
use super::AdvisorBot;

/// How long one getUpdates call waits for news: long enough to keep idle
/// polling cheap, well under the HTTP client's timeout.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(10);

/// Polls Telegram and puts every update into `inbox` until `stopped`
/// completes; then records what Telegram had already sent, without
/// handing it on, and lets teloxide confirm it.
pub async fn poll_into(
    bot: AdvisorBot,
    inbox: Inbox,
    backoff: Backoff,
    stopped: impl Future<Output = ()>,
) {
    let mut polling = Polling::builder(bot)
        .timeout(POLL_TIMEOUT)
        .backoff_strategy(move |errors_in_a_row| backoff.delay(errors_in_a_row + 1))
        .delete_webhook()
        .await
        .build();
    let stop = polling.stop_token();
    let updates = polling.as_stream();
    tokio::pin!(updates);
    tokio::pin!(stopped);
    let mut stopping = false;
    loop {
        tokio::select! {
            () = &mut stopped, if !stopping => {
                stopping = true;
                stop.stop();
            }
            next = updates.next() => match next {
                None => return,
                Some(Ok(update)) => {
                    let body = serde_json::to_string(&update).unwrap_or_default();
                    match stopping {
                        false => inbox.accept(update, body).await,
                        true => drop(inbox.record(&update, body).await),
                    }
                }
                Some(Err(error)) => log_polling_error(error, backoff),
            }
        }
    }
}

/// Logs a failed getUpdates; teloxide then waits, longer after each
/// failure in a row (`backoff`), before polling again.
fn log_polling_error(error: RequestError, backoff: Backoff) {
    let retrying = format!(
        "retrying with backoff ({:.1?} doubling to {:.0?})",
        backoff.first, backoff.max
    );
    match error {
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => log::error!(
            "another process is polling Telegram with this bot's token (409 Conflict); \
             stop the other instance: until then each gets only some of the updates. \
             {retrying}"
        ),
        error => log::error!("polling Telegram failed: {error}; {retrying}"),
    }
}
