//! How much the time per question grows from 1 000 to 10 000 intents,
//! measured in interleaved rounds.
//!
//! `match_scaled` times each size for several seconds, one after the
//! other. On a shared machine the load of other tenants changes within
//! seconds, so the ratio of those two medians swings with whatever ran
//! beside each. Here every round asks all the questions of each set, the
//! sets alternately, so that both see the same load; the growth is the
//! median over rounds of the ratio within a round.
//!
//! Run with `cargo bench --bench growth`; it prints the median time per
//! question for each size and the median growth, with its quartiles.

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ir_advisor::evaluation::FALLBACK_LANG;
use ir_advisor::matcher::Matcher;

/// Rounds timed, after as many again to warm up (a few seconds in all).
const ROUNDS: usize = 201;
/// The questions asked of each set in a round: few, so that the rounds are
/// many and short. They stay in the cache, so the times are lower than
/// `match_scaled`'s; the growth, a ratio, is what this bench is for.
const QUESTIONS_PER_ROUND: usize = 200;

/// The mean time per question of asking the matcher all `questions` once.
fn per_question(matcher: &Matcher, questions: &[String]) -> Duration {
    let start = Instant::now();
    for question in questions {
        black_box(matcher.classify(black_box(question), FALLBACK_LANG));
    }
    start.elapsed() / questions.len() as u32
}

/// The value at `fraction` of the way through `values`, sorted.
fn quantile(values: &mut [f64], fraction: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * fraction).round() as usize]
}

fn main() {
    // `cargo bench -- <filter>` runs every bench target with the filter:
    // this one runs only when the filter is empty or names it.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    if filter.is_some_and(|filter| !"growth".contains(filter.as_str())) {
        return;
    }
    let [small, large] =
        support::SCALED_INTENTS.map(|intents| support::scaled_set(intents, QUESTIONS_PER_ROUND));
    let mut times: [Vec<f64>; 2] = Default::default();
    let mut growth = Vec::with_capacity(ROUNDS);
    for round in 0..2 * ROUNDS {
        let round_times =
            [&small, &large].map(|set| per_question(&set.matcher, &set.noisy).as_secs_f64() * 1e6);
        if round >= ROUNDS {
            growth.push(round_times[1] / round_times[0]);
            for (times, time) in times.iter_mut().zip(round_times) {
                times.push(time);
            }
        }
    }
    for (intents, times) in support::SCALED_INTENTS.iter().zip(&mut times) {
        let median = quantile(times, 0.5);
        println!("growth/{intents}: median {median:.1} µs per question");
    }
    let [low, median, high] = [0.25, 0.5, 0.75].map(|q| quantile(&mut growth, q));
    println!(
        "growth from {} to {} intents: median {median:.2}x (quartiles {low:.2}x to {high:.2}x) over {ROUNDS} rounds",
        support::SCALED_INTENTS[0],
        support::SCALED_INTENTS[1]
    );
}
