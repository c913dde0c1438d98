//! A shortlist for one offer over 10,000 and 100,000 generated profiles,
//! with the index already open (as the web server holds it).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use lotse::rank;
use std::hint::black_box;

fn shortlist(c: &mut Criterion) {
    let mut group = c.benchmark_group("shortlist");
    group.sample_size(20);
    for profiles in [10_000, 100_000] {
        let data = common::data(profiles, 1_000);
        let (engine, index) = common::open(&data);
        // Offers of a common, a helper and a rare occupation.
        let offers: Vec<String> = engine
            .catalogue
            .offers
            .iter()
            .step_by(97)
            .take(3)
            .map(|o| o.id.clone())
            .collect();
        group.bench_with_input(BenchmarkId::new("top20", profiles), &offers, |b, offers| {
            b.iter(|| {
                for id in offers {
                    black_box(rank::shortlist(&engine, &index, id, 20).expect("shortlist"));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, shortlist);
criterion_main!(benches);
