//! Batch runs: 10,000 profiles × 100 offers with rankings per offer and per
//! person, with and without the optimal allocation; and `lotse batch
//! --assign` as the end-to-end table runs it (the allocation and the lists
//! of the offers, no lists per person) at 10,000 × 100, 20,000 × 200 and
//! 100,000 × 1,000.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lotse::batch::{self, BatchOptions};
use std::hint::black_box;

fn batch(c: &mut Criterion) {
    let data = common::data(10_000, 100);
    let (engine, index) = common::open(&data);
    let mut group = c.benchmark_group("batch_10000x100");
    group.sample_size(10);
    for assign in [false, true] {
        let name = if assign { "assign" } else { "rank" };
        group.bench_function(name, |b| {
            b.iter(|| {
                let options = BatchOptions {
                    top: 10,
                    assign,
                    per_person: true,
                    ..BatchOptions::default()
                };
                black_box(batch::run(&engine, &index, options, &|_| {}).expect("batch"))
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("batch_assign");
    group.sample_size(10);
    for (profiles, offers) in [(10_000, 100), (20_000, 200), (100_000, 1_000)] {
        let data = common::data(profiles, offers);
        let (engine, index) = common::open(&data);
        let size = format!("{profiles}x{offers}");
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| {
                let options = BatchOptions {
                    top: 10,
                    assign: true,
                    per_person: false,
                    ..BatchOptions::default()
                };
                black_box(batch::run(&engine, &index, options, &|_| {}).expect("batch"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
