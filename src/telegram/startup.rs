//! Reaching the Bot API at start: a refused token stops the bot with a
//! clear message (and exit code 2), while a network or server failure is
//! retried with backoff, since Telegram or the network coming back is
//! what a supervisor would wait for anyway.

use teloxide::prelude::*;
use teloxide::types::Me;
use teloxide::{ApiError, RequestError};
use thiserror::Error;

use super::tuning::Backoff;
use super::AdvisorBot;

#[derive(Debug, Error)]
pub enum StartError {
    #[error("Telegram refused the bot token (401 Unauthorized from getMe)")]
    Unauthorized,
}

/// Asks getMe until it answers, waiting `backoff` between failures; fails
/// only when Telegram refuses the token.
pub async fn reach_bot_api(bot: &AdvisorBot, backoff: Backoff) -> Result<Me, StartError> {
    let mut failed = 0;
    loop {
        match bot.get_me().await {
            Ok(me) => {
                if failed > 0 {
                    log::info!("reached the Telegram Bot API after {failed} failed tries");
                }
                return Ok(me);
            }
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(StartError::Unauthorized),
            Err(error) => {
                failed += 1;
                let delay = backoff.delay(failed);
                log::warn!(
                    "cannot reach the Telegram Bot API ({error}); trying again in {delay:.1?}"
                );
                tokio::time::sleep(delay).await;
            }
        }
    }
}
