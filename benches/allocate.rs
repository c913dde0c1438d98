//! `lotse::allocate` on deterministic, tie-heavy instances: integer scores
//! 1–100 (× 100), so a few thousand pairs share each weight.
//!
//! Run with `cargo bench --bench allocate`. Each measured iteration is the
//! whole call, validation and canonical form included.
//!
//! Measured 2026-11 on a 2-core AMD EPYC VM shared with other jobs (load
//! 5–6 during the runs, so wall times are inflated; two runs, criterion's
//! estimate):
//!
//! | instance | edges | time |
//! | --- | --- | --- |
//! | 200 offers, 1k places, 20k people | 40k | 2.4–2.7 ms |
//! | 1k offers, 5k places, 100k people | 200k | 13–17 ms |
//! | same, 300 school classes with ~60 % of their offers' places (measured 2026-12-01, load ~12; 3,538 pairs) | 200k | 11–13 ms (without classes in the same run: 15–23 ms) |
//! | 1k offers, 5k places, 10k people | 200k | 10–12 ms |
//! | same, every offer ranks people alike | 200k | 186–201 ms |
//! | 1k offers, 5k places, 3k people, all weights equal | 200k | 20–21 ms |
//! | 1 offer, 20k places, 100k people | 40k | 6–7 ms |
//! | 2k × 2k complete, 1 place each | 4M | 300–400 ms |
//!
//! In the complete case three quarters of the time is validation and sorting
//! the 4M edges; the search itself takes a few per cent.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lotse::allocate::{allocate, Edge, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The size of a generated instance.
struct Shape {
    name: &'static str,
    offers: u32,
    places: u32,
    people: u32,
    /// Candidates drawn per offer (a few repeat; repeats are legal input).
    per_offer: u32,
    weights: Weights,
    /// School classes (the second capacity layer): 0 for none; otherwise
    /// four in five offers send their trainees to one of them, and each has
    /// about 60 % of the seats its offers have places, so the classes bind.
    classes: u32,
}

/// How edge weights are drawn.
#[derive(Clone, Copy, PartialEq)]
enum Weights {
    /// Integer score 1–100 per pair, × 100.
    Scores,
    /// Every pair the same: one big tie.
    Equal,
    /// Score 1–100 per person, the same for every offer: all offers want
    /// the same people.
    SameRanking,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "200 offers, 1k places, 20k people, 200 edges/offer",
        offers: 200,
        places: 1_000,
        people: 20_000,
        per_offer: 200,
        weights: Weights::Scores,
        classes: 0,
    },
    Shape {
        name: "1k offers, 5k places, 100k people, 200 edges/offer",
        offers: 1_000,
        places: 5_000,
        people: 100_000,
        per_offer: 200,
        weights: Weights::Scores,
        classes: 0,
    },
    // Same offers, a tenth of the people: everybody is wanted by ~20 offers.
    Shape {
        name: "1k offers, 5k places, 10k people, 200 edges/offer",
        offers: 1_000,
        places: 5_000,
        people: 10_000,
        per_offer: 200,
        weights: Weights::Scores,
        classes: 0,
    },
    // All offers rank people alike (score by person): everybody competes
    // for the same people; the slowest pattern we found.
    Shape {
        name: "1k offers, 5k places, 10k people, 200 edges/offer, same ranking",
        offers: 1_000,
        places: 5_000,
        people: 10_000,
        per_offer: 200,
        weights: Weights::SameRanking,
        classes: 0,
    },
    // Fewer people than places, every weight equal: one big tie.
    Shape {
        name: "1k offers, 5k places, 3k people, 200 edges/offer, all equal",
        offers: 1_000,
        places: 5_000,
        people: 3_000,
        per_offer: 200,
        weights: Weights::Equal,
        classes: 0,
    },
    // The target size with school classes that bind.
    Shape {
        name: "1k offers, 5k places, 100k people, 200 edges/offer, 300 school classes",
        offers: 1_000,
        places: 5_000,
        people: 100_000,
        per_offer: 200,
        weights: Weights::Scores,
        classes: 300,
    },
    // One offer with very many places (its own people must not be scanned
    // again for every place).
    Shape {
        name: "1 offer, 20k places, 100k people, 40k edges",
        offers: 1,
        places: 20_000,
        people: 100_000,
        per_offer: 40_000,
        weights: Weights::Scores,
        classes: 0,
    },
    // The dense tie-heavy case of PERFORMANCE-NOTES (2000 x 2000, 0-100).
    Shape {
        name: "2k offers x 2k people, 1 place each, complete",
        offers: 2_000,
        places: 2_000,
        people: 2_000,
        per_offer: 2_000,
        weights: Weights::Scores,
        classes: 0,
    },
];

/// A reproducible instance: every offer has at least one place, the rest
/// are spread at random; candidates and weights are uniform.
fn instance(shape: &Shape, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut capacities = vec![1u32; shape.offers as usize];
    for _ in shape.offers..shape.places {
        capacities[rng.random_range(0..shape.offers) as usize] += 1;
    }
    let complete = shape.per_offer == shape.people;
    let mut edges = Vec::with_capacity((shape.offers * shape.per_offer) as usize);
    for offer in 0..shape.offers {
        for i in 0..shape.per_offer {
            let person = if complete {
                i
            } else {
                rng.random_range(0..shape.people)
            };
            let score = match shape.weights {
                Weights::Scores => rng.random_range(1..=100),
                Weights::Equal => 100,
                Weights::SameRanking => i64::from(person % 100) + 1,
            };
            edges.push(Edge {
                offer,
                person,
                weight: score * 100,
            });
        }
    }
    let (classes, class_of) = if shape.classes == 0 {
        (Vec::new(), Vec::new())
    } else {
        let class_of: Vec<Option<u32>> = (0..shape.offers)
            .map(|_| {
                rng.random_bool(0.8)
                    .then(|| rng.random_range(0..shape.classes))
            })
            .collect();
        let mut seats = vec![0u32; shape.classes as usize];
        for (o, k) in class_of.iter().enumerate() {
            if let Some(k) = k {
                seats[*k as usize] += capacities[o];
            }
        }
        let classes = seats.iter().map(|&s| (s * 3).div_ceil(5)).collect();
        (classes, class_of)
    };
    Problem {
        capacities,
        people: shape.people,
        edges,
        classes,
        class_of,
    }
}

fn bench_allocate(c: &mut Criterion) {
    let mut group = c.benchmark_group("allocate");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for shape in SHAPES {
        // Built on first use, so that a filtered run builds only what it runs.
        let mut problem = None;
        group.bench_function(shape.name, |b| {
            let problem = problem.get_or_insert_with(|| {
                let problem = instance(shape, 2026);
                let allocation = allocate(&problem).expect("generated instances are valid");
                eprintln!(
                    "{}: {} edges, {} pairs, total {}",
                    shape.name,
                    problem.edges.len(),
                    allocation.pairs.len(),
                    allocation.total
                );
                problem
            });
            b.iter(|| allocate(black_box(&*problem)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_allocate);
criterion_main!(benches);
