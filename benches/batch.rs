//! A batch run of 10,000 profiles × 100 offers: rankings per offer and per
//! person, and with the optimal allocation.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
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
}

criterion_group!(benches, batch);
criterion_main!(benches);
