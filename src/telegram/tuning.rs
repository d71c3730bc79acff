//! The timeouts, retries and limits of the Telegram shell, in one struct:
//! [`Tuning::default`] is what production runs, and the fault tests scale
//! the waits down instead of sleeping through them.

use std::time::Duration;

use teloxide::adaptors::throttle::Limits;

/// Waits that double after each failure in a row, from `first` up to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait after `failed` failures in a row (the first wait is after
    /// one failure).
    pub fn delay(&self, failed: u32) -> Duration {
        let doublings = failed.saturating_sub(1).min(16);
        self.first.saturating_mul(1 << doublings).min(self.max)
    }
}

#[derive(Clone, Debug)]
pub struct Tuning {
    /// Replies are paced to stay under these (teloxide's throttle, which
    /// also waits out a 429). Its `messages_per_min_chat` applies to
    /// private chats and basic groups alike: production sets it out of
    /// reach, and basic groups are held to [`Tuning::group_messages_per_min`].
    pub limits: Limits,
    /// Messages a minute to one basic group.
    pub group_messages_per_min: u32,
    /// How long one request to the Bot API may take before the bot gives
    /// up waiting. Past Telegram's own stalls (up to a minute), so that a
    /// reply Telegram is slow to confirm is not sent a second time.
    pub request_timeout: Duration,
    /// The waits between resends of a reply that failed on the way.
    pub send_backoff: Backoff,
    /// How many times one reply is sent at most.
    pub send_attempts: u32,
    /// The waits between getUpdates calls that fail in a row, and between
    /// tries to reach the Bot API at start.
    pub poll_backoff: Backoff,
    /// After a stop, how long updates in hand may take before the bot
    /// exits anyway, leaving the rest in the inbox. With the HTTP server's
    /// and polling's own wind-downs (5 s each at most) it stays under
    /// systemd's 30 s stop timeout.
    pub stop_grace: Duration,
    /// The largest webhook body read.
    pub webhook_max_body: usize,
    /// Connections the webhook listener keeps open at once.
    pub webhook_max_connections: usize,
    /// How long a client may take to send a request's headers, and then
    /// its body.
    pub webhook_read_timeout: Duration,
}

/// How many times one reply may be sent at most (the first try and its
/// resends): with [`Tuning::default`]'s waits, a reply is given up on
/// 15.5 s after its first failure, a network blip outlived.
pub const MAX_ATTEMPTS: u32 = 6;

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            // Telegram's: a message a second to a chat, 30 a second in
            // all, 20 a minute to a group; no per-minute cap in private.
            limits: Limits {
                messages_per_sec_chat: 1,
                messages_per_min_chat: u32::MAX,
                messages_per_min_channel_or_supergroup: 20,
                messages_per_sec_overall: 30,
            },
            group_messages_per_min: 20,
            request_timeout: Duration::from_secs(75),
            // 0.5 s, 1 s, 2 s, 4 s, 8 s between the six tries.
            send_backoff: Backoff {
                first: Duration::from_millis(500),
                max: Duration::from_secs(8),
            },
            send_attempts: MAX_ATTEMPTS,
            // teloxide's own polling backoff: 1 s doubling to 64 s.
            poll_backoff: Backoff {
                first: Duration::from_secs(1),
                max: Duration::from_secs(64),
            },
            stop_grace: Duration::from_secs(15),
            webhook_max_body: 256 * 1024,
            webhook_max_connections: 256,
            webhook_read_timeout: Duration::from_secs(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let backoff = Tuning::default().send_backoff;
        let millis: Vec<u128> = (1..=6).map(|n| backoff.delay(n).as_millis()).collect();
        assert_eq!(millis, [500, 1000, 2000, 4000, 8000, 8000]);
        assert_eq!(backoff.delay(u32::MAX), backoff.max);
    }
}
