//! `lotse index` of 10,000 and 100,000 generated profiles: every profile
//! resolved against the catalogue and written to a new tantivy index.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lotse::engine::Engine;
use lotse::index::ProfileIndex;
use std::hint::black_box;

fn index(c: &mut Criterion) {
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    for profiles in [10_000, 100_000] {
        let data = common::data(profiles, profiles / 100);
        let engine = Engine::open(&data, None).expect("engine");
        let out = tempfile::tempdir().expect("temp dir");
        group.bench_with_input(BenchmarkId::from_parameter(profiles), &data, |b, _| {
            b.iter(|| {
                let index = ProfileIndex::rebuild(&engine, out.path(), None).expect("index");
                black_box(index.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, index);
criterion_main!(benches);
