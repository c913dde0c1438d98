//! Scoring one pair: the quick score used for ranking, and the explained
//! score used for what is shown.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use lotse::engine::Engine;
use lotse::profile::Profile;
use lotse::records;
use std::hint::black_box;

fn score(c: &mut Criterion) {
    let data = common::bundled();
    let engine = Engine::open(&data, None).expect("engine");
    let profile: Profile = records::load_file(&data.profile_path("P-0001")).expect("P-0001");
    let resolved = engine.resolve_profile(&profile);
    let target = engine.offer_target("dehoga-eq-hotel-mosel").expect("offer");
    let scorer = engine.scorer();
    let mut group = c.benchmark_group("score");
    group.bench_function("quick", |b| {
        b.iter(|| scorer.quick(black_box(&resolved), black_box(target)))
    });
    group.bench_function("explain", |b| {
        b.iter(|| scorer.explain(black_box(&resolved), black_box(target)))
    });
    group.bench_function("resolve_profile", |b| {
        b.iter(|| engine.resolve_profile(black_box(&profile)))
    });
    group.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);
