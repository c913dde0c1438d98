//! Resolving a written term against the bundled catalogue (every KldB 2010
//! occupation with its official job titles, the curated skills: some 40,000
//! labels after gender forms): a fresh term (retrieval + re-ranking) and a
//! cached one.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lotse::engine::Engine;
use std::hint::black_box;

fn resolve(c: &mut Criterion) {
    let engine = Engine::open(&common::bundled(), None).expect("engine");
    let mut group = c.benchmark_group("resolve");
    for term in [
        "Kellnr",
        "Hilfe in der Küche",
        "Lagerarbiter (Zeitarbeit, Koblenz)",
        "cuisinier",
    ] {
        group.bench_with_input(BenchmarkId::new("fresh", term), term, |b, t| {
            b.iter(|| engine.resolver.resolve_uncached(black_box(t)))
        });
    }
    group.bench_function("cached/Kellnr", |b| {
        b.iter(|| engine.resolver.resolve(black_box("Kellnr")))
    });
    group.finish();
}

criterion_group!(benches, resolve);
criterion_main!(benches);
