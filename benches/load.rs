//! Time to load and index an intents folder: the shipped one, and a
//! synthetic one of 10 000 intent files.

mod support;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ir_advisor::matcher::Matcher;

const SYNTHETIC_FILES: usize = 10_000;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let shipped = support::shipped_folder();
    group.bench_function("shipped", |b| {
        b.iter(|| Matcher::new(&support::load(&shipped)))
    });
    let synthetic = support::synthetic_folder(SYNTHETIC_FILES);
    group.bench_function(format!("{SYNTHETIC_FILES}_files"), |b| {
        b.iter(|| Matcher::new(&support::load(synthetic.path())))
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
