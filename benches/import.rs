//! `lotse import profiles` of 10,000 and 100,000 rows of the Excel-style
//! CSV that `lotse generate --format csv` writes (the input of the
//! end-to-end table and of the peer), each time into a fresh data folder
//! with the bundled catalogue only.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use lotse::import::{import_profiles, ImportOptions};
use lotse::records::DataDir;
use std::hint::black_box;

fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_profiles");
    group.sample_size(10);
    for profiles in [10_000, 100_000] {
        let csv = common::csv(profiles, profiles / 100).join("profiles.csv");
        let options = ImportOptions {
            // Generated names repeat, as the end-to-end script says.
            allow_duplicates: true,
            ..ImportOptions::default()
        };
        group.bench_with_input(BenchmarkId::from_parameter(profiles), &csv, |b, csv| {
            b.iter_batched(
                common::empty_folder,
                |(tmp, data): (tempfile::TempDir, DataDir)| {
                    black_box(import_profiles(&data, csv, &options).expect("import"));
                    tmp
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
