//! Property tests for `lotse::allocate`: on many small random instances the
//! result equals a brute-force optimum, and every result keeps the rules.

use std::collections::{BTreeMap, BTreeSet};

use lotse::allocate::{allocate, AllocateError, Allocation, Edge, Problem};
use proptest::prelude::*;

/// Highest weight of each admissible (offer, person) pair.
fn best_weights(problem: &Problem) -> BTreeMap<(u32, u32), i64> {
    let mut best = BTreeMap::new();
    for e in &problem.edges {
        let w = best.entry((e.offer, e.person)).or_insert(e.weight);
        *w = (*w).max(e.weight);
    }
    best
}

/// The lexicographic optimum (total weight, people placed), by trying every
/// choice for every person: none, or one offer that still has a place.
fn brute_force(problem: &Problem) -> (i64, usize) {
    let weights = best_weights(problem);
    let mut options: Vec<Vec<(usize, i64)>> = vec![Vec::new(); problem.people as usize];
    for (&(o, p), &w) in &weights {
        options[p as usize].push((o as usize, w));
    }
    let mut left = problem.capacities.clone();
    let mut best = (0, 0);
    search(&options, 0, &mut left, (0, 0), &mut best);
    best
}

fn search(
    options: &[Vec<(usize, i64)>],
    person: usize,
    left: &mut [u32],
    so_far: (i64, usize),
    best: &mut (i64, usize),
) {
    if person == options.len() {
        *best = (*best).max(so_far);
        return;
    }
    search(options, person + 1, left, so_far, best);
    for &(o, w) in &options[person] {
        if left[o] > 0 {
            left[o] -= 1;
            search(
                options,
                person + 1,
                left,
                (so_far.0 + w, so_far.1 + 1),
                best,
            );
            left[o] += 1;
        }
    }
}

/// The rules every allocation keeps, whatever the input.
fn check_invariants(problem: &Problem, allocation: &Allocation) -> Result<(), TestCaseError> {
    let weights = best_weights(problem);
    prop_assert!(
        allocation.pairs.windows(2).all(|w| w[0] < w[1]),
        "pairs sorted, no pair twice: {:?}",
        allocation.pairs
    );
    let mut held = vec![0u32; problem.capacities.len()];
    let mut placed = BTreeSet::new();
    let mut total = 0;
    for &(o, p) in &allocation.pairs {
        let w = weights.get(&(o, p));
        prop_assert!(w.is_some(), "({o}, {p}) is not an edge");
        total += w.copied().unwrap_or(0);
        held[o as usize] += 1;
        prop_assert!(placed.insert(p), "person {p} placed twice");
    }
    for (o, (&h, &c)) in held.iter().zip(&problem.capacities).enumerate() {
        prop_assert!(h <= c, "offer {o}: {h} pairs, capacity {c}");
    }
    prop_assert_eq!(allocation.total, total, "total is the sum of the pairs");
    Ok(())
}

/// Up to 4 offers with 0..=3 places, up to 7 people, up to 24 edges drawn
/// with repetition (so duplicates occur) and weights from a small set (so
/// ties are everywhere).
fn small_problem() -> impl Strategy<Value = Problem> {
    let weight = prop::sample::select(vec![100i64, 200, 300, 500]);
    (
        prop::collection::vec(0u32..=3, 1..=4),
        0u32..=7,
        prop::collection::vec((0u32..4, 0u32..7, weight), 0..=24),
    )
        .prop_map(|(capacities, people, list)| {
            let offers = capacities.len() as u32;
            let edges = list
                .into_iter()
                .filter(|&(o, p, _)| o < offers && p < people)
                .map(|(offer, person, weight)| Edge {
                    offer,
                    person,
                    weight,
                })
                .collect();
            Problem {
                capacities,
                people,
                edges,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn equals_the_brute_force_optimum(problem in small_problem()) {
        let allocation = allocate(&problem).unwrap();
        check_invariants(&problem, &allocation)?;
        let (total, placed) = brute_force(&problem);
        prop_assert_eq!(allocation.total, total, "not maximum weight");
        prop_assert_eq!(allocation.pairs.len(), placed, "not the most people at maximum weight");
    }

    #[test]
    fn edge_order_does_not_change_the_result(problem in small_problem(), rotate in 0usize..24) {
        let allocation = allocate(&problem).unwrap();
        let mut permuted = problem.clone();
        permuted.edges.reverse();
        prop_assert_eq!(&allocate(&permuted).unwrap(), &allocation);
        let n = permuted.edges.len();
        permuted.edges.rotate_left(rotate % n.max(1));
        prop_assert_eq!(&allocate(&permuted).unwrap(), &allocation);
    }

    /// Out-of-range indices and bad weights give an error, never a panic.
    #[test]
    fn bad_input_is_reported(
        capacities in prop::collection::vec(0u32..=3, 0..=3),
        people in 0u32..=4,
        list in prop::collection::vec((0u32..5, 0u32..6, -2i64..=3), 0..=8),
    ) {
        let edges = list
            .iter()
            .map(|&(offer, person, weight)| Edge { offer, person, weight })
            .collect();
        let problem = Problem { capacities, people, edges };
        match allocate(&problem) {
            Ok(allocation) => check_invariants(&problem, &allocation)?,
            Err(error) => {
                let edge = match error {
                    AllocateError::UnknownOffer { edge, .. }
                    | AllocateError::UnknownPerson { edge, .. }
                    | AllocateError::WeightNotPositive { edge, .. }
                    | AllocateError::WeightTooLarge { edge, .. } => edge,
                    AllocateError::TooManyOffers { .. } => usize::MAX,
                };
                prop_assert!(edge < problem.edges.len(), "{error}");
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}
