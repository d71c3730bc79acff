//! Telegram's per-minute limit for basic groups. teloxide's throttle has
//! one per-minute limit for private chats and basic groups alike, but
//! Telegram caps only groups (20 messages a minute) and lets a private
//! chat have a message a second with no per-minute cap: so the throttle
//! is told there is no per-minute cap for those chats
//! ([`super::Tuning::default`]), and basic groups are paced here.
//! Supergroups keep the throttle's own per-minute limit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use teloxide::types::ChatId;
use tokio::time::Instant;

const MINUTE: Duration = Duration::from_secs(60);

/// When each basic group was last sent to, within the last minute.
pub struct GroupPace {
    per_minute: usize,
    sent: Mutex<HashMap<ChatId, VecDeque<Instant>>>,
}

impl GroupPace {
    pub fn new(per_minute: u32) -> GroupPace {
        GroupPace {
            per_minute: per_minute.max(1) as usize,
            sent: Mutex::default(),
        }
    }

    /// Waits until `chat` may be sent another message, and counts it; at
    /// once for every chat that is not a basic group.
    pub async fn wait_turn(&self, chat: ChatId) {
        if !is_basic_group(chat) {
            return;
        }
        while let Some(wait) = self.try_send(chat, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Counts a message to `chat` at `now`, or says how long to wait
    /// before trying again.
    fn try_send(&self, chat: ChatId, now: Instant) -> Option<Duration> {
        let mut sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        // Groups silent for a minute are forgotten: the map stays small.
        sent.retain(|_, times| {
            times
                .back()
                .is_some_and(|&last| now.duration_since(last) < MINUTE)
        });
        let times = sent.entry(chat).or_default();
        while times
            .front()
            .is_some_and(|&first| now.duration_since(first) >= MINUTE)
        {
            times.pop_front();
        }
        match times.front() {
            Some(&first) if times.len() >= self.per_minute => Some(first + MINUTE - now),
            _ => {
                times.push_back(now);
                None
            }
        }
    }
}

/// Whether `chat` is a basic group: Telegram marks their ids from -1 down
/// to -999 999 999 999 (supergroups and channels come below). Checked
/// here rather than with teloxide's `ChatId::is_group`, which panics on
/// an id outside every range.
fn is_basic_group(chat: ChatId) -> bool {
    (-999_999_999_999..=-1).contains(&chat.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: ChatId = ChatId(-4_000_123);

    #[test]
    fn a_group_gets_20_a_minute_then_waits_for_the_oldest_to_age() {
        let pace = GroupPace::new(20);
        let start = Instant::now();
        for i in 0..20 {
            assert_eq!(pace.try_send(GROUP, start + Duration::from_secs(i)), None);
        }
        let wait = pace.try_send(GROUP, start + Duration::from_secs(20));
        assert_eq!(wait, Some(Duration::from_secs(40)));
        assert_eq!(pace.try_send(GROUP, start + MINUTE), None);
    }

    #[tokio::test]
    async fn private_chats_and_supergroups_are_not_paced_here() {
        let pace = GroupPace::new(1);
        for chat in [ChatId(42), ChatId(-1_001_234_567_890), ChatId(0)] {
            for _ in 0..100 {
                pace.wait_turn(chat).await;
            }
        }
        assert!(pace.sent.lock().unwrap().is_empty());
    }
}
