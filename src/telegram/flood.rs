//! Keeping one flooding chat from crowding out everyone else. A chat that
//! sends more than [`MESSAGES_PER_WINDOW`] messages within [`WINDOW`] is
//! told once to slow down, then ignored for [`COOL_DOWN`].
//!
//! Messages are counted as they arrive ([`FloodGuard::arrived`], called by
//! the inbox), not when their turn comes: behind a chat's queue a burst
//! would be seen one message a second, and never look like one.
//! [`FloodLimiter`] itself is pure: the caller passes the time, so tests
//! need no clock.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use teloxide::types::{Update, UpdateId, UpdateKind};

/// How many messages a chat may send within `WINDOW`: a student typing
/// fast, or pressing a few buttons, stays far below it; a script does not.
pub const MESSAGES_PER_WINDOW: usize = 20;

/// The span the messages are counted over.
pub const WINDOW: Duration = Duration::from_secs(10);

/// How long a flooding chat is ignored after its note: long enough to stop
/// a script's burst, short enough that a real student is soon heard again.
pub const COOL_DOWN: Duration = Duration::from_secs(30);

/// What to do with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Answer,
    /// The message that crossed the limit: answer it with the note only.
    SlowDown,
    /// A message during the cool-down.
    Ignore,
}

#[derive(Default)]
struct ChatPace {
    /// When the answered messages within the last [`WINDOW`] came.
    recent: VecDeque<Instant>,
    quiet_until: Option<Instant>,
}

impl ChatPace {
    fn is_idle(&self, now: Instant) -> bool {
        self.quiet_until.is_none_or(|until| until <= now)
            && self
                .recent
                .back()
                .is_none_or(|&last| now.duration_since(last) >= WINDOW)
    }
}

/// The recent messages of every chat heard from within the last
/// [`WINDOW`] (or still cooling down); older chats are forgotten, so the
/// limiter stays small however many chats the bot has.
#[derive(Default)]
pub struct FloodLimiter {
    chats: HashMap<i64, ChatPace>,
    last_pruned: Option<Instant>,
}

impl FloodLimiter {
    /// Counts a message from `chat` arriving at `now`.
    pub fn check(&mut self, chat: i64, now: Instant) -> Verdict {
        self.prune(now);
        let pace = self.chats.entry(chat).or_default();
        if pace.quiet_until.is_some_and(|until| now < until) {
            return Verdict::Ignore;
        }
        while pace
            .recent
            .front()
            .is_some_and(|&first| now.duration_since(first) >= WINDOW)
        {
            pace.recent.pop_front();
        }
        if pace.recent.len() >= MESSAGES_PER_WINDOW {
            pace.recent.clear();
            pace.quiet_until = Some(now + COOL_DOWN);
            return Verdict::SlowDown;
        }
        pace.recent.push_back(now);
        Verdict::Answer
    }

    #[cfg(test)]
    fn tracked_chats(&self) -> usize {
        self.chats.len()
    }

    /// Forgets idle chats, at most once per [`WINDOW`] so that a busy bot
    /// does not scan the map on every message.
    fn prune(&mut self, now: Instant) {
        if self
            .last_pruned
            .is_some_and(|last| now.duration_since(last) < WINDOW)
        {
            return;
        }
        self.chats.retain(|_, pace| !pace.is_idle(now));
        self.last_pruned = Some(now);
    }
}

/// The limiter as the inbox and the handlers share it.
#[derive(Default)]
pub struct FloodGuard {
    limiter: Mutex<FloodLimiter>,
    /// The updates that crossed the limit: the handlers answer them with
    /// the note instead of an answer.
    noted: Mutex<HashSet<UpdateId>>,
}

impl FloodGuard {
    /// Counts `update` as it arrives, now. Only messages count: a button
    /// press is a student browsing, and its reply edits a message in place.
    pub fn arrived(&self, update: &Update) -> Verdict {
        let chat = match &update.kind {
            UpdateKind::Message(message) | UpdateKind::EditedMessage(message) => message.chat.id,
            _ => return Verdict::Answer,
        };
        // The state is valid after any panic mid-check: at worst one
        // message is counted or not.
        let verdict = self
            .limiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .check(chat.0, Instant::now());
        if verdict == Verdict::SlowDown {
            self.noted
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(update.id);
        }
        verdict
    }

    /// Whether `update` is the one to answer with the note (once).
    pub fn take_note(&self, update: UpdateId) -> bool {
        self.noted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&update)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(limiter: &mut FloodLimiter, chat: i64, start: Instant, count: u32) -> Vec<Verdict> {
        (0..count)
            .map(|i| limiter.check(chat, start + Duration::from_millis(100) * i))
            .collect()
    }

    #[test]
    fn the_message_over_the_limit_gets_the_note_and_the_rest_are_ignored() {
        let mut limiter = FloodLimiter::default();
        let found = verdicts(&mut limiter, 1, Instant::now(), 25);
        assert!(found[..MESSAGES_PER_WINDOW]
            .iter()
            .all(|v| *v == Verdict::Answer));
        assert_eq!(found[MESSAGES_PER_WINDOW], Verdict::SlowDown);
        assert!(found[MESSAGES_PER_WINDOW + 1..]
            .iter()
            .all(|v| *v == Verdict::Ignore));
    }

    #[test]
    fn a_steady_pace_under_the_limit_is_always_answered() {
        let mut limiter = FloodLimiter::default();
        let start = Instant::now();
        // One message every 0.6 s: 17 per window, for a minute.
        for i in 0..100 {
            let now = start + Duration::from_millis(600) * i;
            assert_eq!(limiter.check(1, now), Verdict::Answer, "message {i}");
        }
    }

    #[test]
    fn a_flooding_chat_is_heard_again_after_the_cool_down() {
        let mut limiter = FloodLimiter::default();
        let start = Instant::now();
        verdicts(&mut limiter, 1, start, 21);
        let later = start + Duration::from_secs(2) + COOL_DOWN;
        assert_eq!(limiter.check(1, later), Verdict::Answer);
    }

    #[test]
    fn one_chat_flooding_does_not_slow_another() {
        let mut limiter = FloodLimiter::default();
        let start = Instant::now();
        verdicts(&mut limiter, 1, start, 30);
        assert_eq!(
            limiter.check(2, start + Duration::from_secs(1)),
            Verdict::Answer
        );
    }

    #[test]
    fn idle_chats_are_forgotten() {
        let mut limiter = FloodLimiter::default();
        let start = Instant::now();
        for chat in 0..10_000 {
            limiter.check(chat, start);
        }
        verdicts(&mut limiter, -1, start, 21);
        assert_eq!(limiter.tracked_chats(), 10_001);
        let later = start + WINDOW + Duration::from_secs(1);
        limiter.check(7, later);
        assert_eq!(
            limiter.tracked_chats(),
            2,
            "the flooder cools down, 7 is new"
        );
        limiter.check(7, later + COOL_DOWN);
        assert_eq!(limiter.tracked_chats(), 1);
    }
}
