//! Time per question, the indexed matcher against the brute-force
//! reference (every known word and every pattern scanned), on the shipped
//! intents and on synthetic sets of thousands of intents.

mod support;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ir_advisor::evaluation::FALLBACK_LANG;
use ir_advisor::matcher::{Match, Matcher};

/// Times `classify`, one question per iteration, cycling through
/// `questions`.
fn per_question(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    questions: &[String],
    classify: impl Fn(&str) -> Match,
) {
    group.bench_function(id, |b| {
        let mut next = questions.iter().cycle();
        b.iter(|| classify(next.next().unwrap()))
    });
}

fn match_shipped(c: &mut Criterion) {
    let set = support::load(&support::shipped_folder());
    let matcher = Matcher::new(&set);
    let questions = support::dev_questions();
    let mut group = c.benchmark_group("match_shipped");
    per_question(
        &mut group,
        BenchmarkId::from_parameter("indexed"),
        &questions,
        |q| matcher.classify(q, FALLBACK_LANG),
    );
    let brute_force = matcher.classify_by_brute_force();
    per_question(
        &mut group,
        BenchmarkId::from_parameter("reference"),
        &questions,
        |q| brute_force(q, FALLBACK_LANG),
    );
    group.finish();
}

fn match_scaled(c: &mut Criterion) {
    // Every set is built before any is timed, so that the indexed matcher
    // is timed on each size back to back, under the same load: on a shared
    // machine, the time between them otherwise drifts more than the growth
    // being measured.
    let sets: Vec<(usize, support::ScaledSet)> = support::SCALED_INTENTS
        .iter()
        .map(|&intents| {
            (
                intents,
                support::scaled_set(intents, support::SCALED_QUESTIONS),
            )
        })
        .collect();
    let mut group = c.benchmark_group("match_scaled");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for (intents, set) in &sets {
        per_question(
            &mut group,
            BenchmarkId::new("indexed", intents),
            &set.noisy,
            |q| set.matcher.classify(q, FALLBACK_LANG),
        );
    }
    // Questions made only of words hundreds of intents use: the worst case
    // of the broad-term path.
    for (intents, set) in &sets {
        per_question(
            &mut group,
            BenchmarkId::new("indexed_common_words", intents),
            &set.common,
            |q| set.matcher.classify(q, FALLBACK_LANG),
        );
    }
    for (intents, set) in &sets {
        let brute_force = set.matcher.classify_by_brute_force();
        per_question(
            &mut group,
            BenchmarkId::new("reference", intents),
            &set.noisy,
            |q| brute_force(q, FALLBACK_LANG),
        );
    }
    group.finish();
}

criterion_group!(benches, match_shipped, match_scaled);
criterion_main!(benches);
