//! Unit tests: edge cases as data, pruning rounds, determinism, bad input.
//! The comparison with a brute-force optimum lives in `tests/allocate_props.rs`.

use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{allocate, allocate_with, AllocateError, Allocation, Edge, Problem};

fn edges(list: &[(u32, u32, i64)]) -> Vec<Edge> {
    list.iter()
        .map(|&(offer, person, weight)| Edge {
            offer,
            person,
            weight,
        })
        .collect()
}

/// One case: capacities, people, edges `(offer, person, weight)`, expected
/// pairs and total.
fn check(
    capacities: &[u32],
    people: u32,
    list: &[(u32, u32, i64)],
    pairs: &[(u32, u32)],
    total: i64,
) {
    let problem = Problem {
        capacities: capacities.to_vec(),
        people,
        edges: edges(list),
    };
    let expected = Allocation {
        pairs: pairs.to_vec(),
        total,
    };
    assert_eq!(allocate(&problem).unwrap(), expected, "{problem:?}");
}

#[test]
fn no_offers_no_edges() {
    check(&[], 0, &[], &[], 0);
    check(&[3, 1], 5, &[], &[], 0);
}

#[test]
fn zero_capacity_takes_nobody() {
    check(&[0], 2, &[(0, 0, 500), (0, 1, 700)], &[], 0);
    check(&[0, 1], 2, &[(0, 0, 900), (1, 0, 100)], &[(1, 0)], 100);
}

#[test]
fn everybody_wants_the_same_offer() {
    let list = [
        (0, 0, 300),
        (0, 1, 900),
        (0, 2, 500),
        (0, 3, 900),
        (0, 4, 100),
    ];
    check(&[2], 5, &list, &[(0, 1), (0, 3)], 1800);
    check(
        &[9],
        5,
        &list,
        &[(0, 0), (0, 1), (0, 2), (0, 3), (0, 4)],
        2700,
    );
}

#[test]
fn duplicate_edges_count_with_their_highest_weight() {
    check(
        &[1],
        1,
        &[(0, 0, 100), (0, 0, 800), (0, 0, 300)],
        &[(0, 0)],
        800,
    );
    // The duplicate decides who gets the single place.
    check(
        &[1],
        2,
        &[(0, 0, 500), (0, 1, 400), (0, 1, 600)],
        &[(0, 1)],
        600,
    );
}

#[test]
fn a_person_moves_to_make_room() {
    // Offer 0 would take person 0 first; the optimum moves it to person 1.
    check(
        &[1, 1],
        2,
        &[(0, 0, 10), (0, 1, 9), (1, 0, 10)],
        &[(0, 1), (1, 0)],
        19,
    );
    // A longer chain: 0 → p0, 1 → p1, 2 → p2 beats the greedy choices.
    let list = [(0, 0, 5), (0, 1, 6), (1, 1, 6), (1, 2, 7), (2, 2, 8)];
    check(&[1, 1, 1], 3, &list, &[(0, 0), (1, 1), (2, 2)], 19);
}

#[test]
fn places_stay_empty_when_nobody_fits() {
    check(&[5, 5], 10, &[(1, 7, 200)], &[(1, 7)], 200);
}

#[test]
fn maximum_weight_is_not_maximum_cardinality() {
    // Two people placed would give 2 + 2 = 4 < 10.
    check(
        &[1, 1],
        2,
        &[(0, 0, 10), (0, 1, 2), (1, 0, 2)],
        &[(0, 0)],
        10,
    );
}

#[test]
fn equal_weight_prefers_more_people() {
    // {0 → p0} and {0 → p1, 1 → p0} both weigh 100; the second places two.
    check(
        &[1, 1],
        2,
        &[(0, 0, 100), (0, 1, 50), (1, 0, 50)],
        &[(0, 1), (1, 0)],
        100,
    );
}

#[test]
fn equal_alternatives_are_broken_by_index() {
    // Interchangeable people: lower index first.
    check(
        &[1],
        3,
        &[(0, 2, 70), (0, 1, 70), (0, 0, 70)],
        &[(0, 0)],
        70,
    );
    // Interchangeable offers: the one served first keeps the person.
    check(&[1, 1], 1, &[(1, 0, 70), (0, 0, 70)], &[(0, 0)], 70);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let with = |capacities: Vec<u32>, people, list: &[(u32, u32, i64)]| {
        allocate(&Problem {
            capacities,
            people,
            edges: edges(list),
        })
    };
    assert_eq!(
        with(vec![1], 2, &[(0, 0, 5), (1, 0, 5)]),
        Err(AllocateError::UnknownOffer {
            edge: 1,
            offer: 1,
            offers: 1
        })
    );
    assert_eq!(
        with(vec![1], 2, &[(0, 2, 5)]),
        Err(AllocateError::UnknownPerson {
            edge: 0,
            person: 2,
            people: 2
        })
    );
    assert_eq!(
        with(vec![1], 2, &[(0, 1, 0)]),
        Err(AllocateError::WeightNotPositive { edge: 0, weight: 0 })
    );
    assert!(matches!(
        with(vec![1], 2, &[(0, 1, -3)]),
        Err(AllocateError::WeightNotPositive { .. })
    ));
    let too_large = with(vec![1], 2, &[(0, 1, super::MAX_WEIGHT + 1)]).unwrap_err();
    assert!(matches!(too_large, AllocateError::WeightTooLarge { .. }));
    assert_eq!(
        AllocateError::UnknownPerson {
            edge: 3,
            person: 9,
            people: 4
        }
        .to_string(),
        "Kante 3: Person 9 gibt es nicht (es gibt 4 Personen). \
         Bitte die Personennummern prüfen."
    );
}

#[test]
fn huge_person_indices_need_no_memory() {
    check(
        &[1],
        u32::MAX,
        &[(0, u32::MAX - 1, 5)],
        &[(0, u32::MAX - 1)],
        5,
    );
}

#[test]
fn pruned_candidates_are_brought_back_when_the_dual_says_so() {
    // Offer 0 (one place) keeps 2 × 1 + 4 = 6 candidates at first: persons
    // 0..=5 (weight 100). All are taken by offers 1..=6, whose only
    // candidate they are; offer 0 must fall back to person 6 (weight 50).
    let mut list: Vec<(u32, u32, i64)> = (0..6).map(|p| (0, p, 100)).collect();
    list.push((0, 6, 50));
    list.extend((1..=6).map(|o| (o, o - 1, 1000)));
    let problem = Problem {
        capacities: vec![1; 7],
        people: 7,
        edges: edges(&list),
    };
    let (allocation, rounds) = allocate_with(&problem, None).unwrap();
    let expected: Vec<(u32, u32)> = std::iter::once((0, 6))
        .chain((1..=6).map(|o| (o, o - 1)))
        .collect();
    assert_eq!(allocation.pairs, expected);
    assert_eq!(allocation.total, 6050);
    assert_eq!(rounds, 2, "the first round must miss person 6");
}

/// A random instance with few distinct weights (many ties) and some
/// duplicate edges.
fn random_problem(rng: &mut ChaCha8Rng, offers: u32, people: u32, per_offer: u32) -> Problem {
    let capacities = (0..offers).map(|_| rng.random_range(0..4)).collect();
    let mut edges = Vec::new();
    for offer in 0..offers {
        for _ in 0..per_offer {
            edges.push(Edge {
                offer,
                person: rng.random_range(0..people),
                weight: rng.random_range(1..=5) * 100,
            });
        }
    }
    Problem {
        capacities,
        people,
        edges,
    }
}

#[test]
fn edge_order_does_not_matter() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..20 {
        let mut problem = random_problem(&mut rng, 30, 60, 8);
        let expected = allocate(&problem).unwrap();
        for _ in 0..5 {
            problem.edges.shuffle(&mut rng);
            assert_eq!(allocate(&problem).unwrap(), expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However hard the first round prunes, the optimum is the same as with
    /// every edge kept (debug builds also check the dual certificate).
    #[test]
    fn pruning_keeps_the_optimum(seed in any::<u64>(), initial in 0usize..4) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let problem = random_problem(&mut rng, 25, 50, 10);
        let (full, full_rounds) = allocate_with(&problem, Some(usize::MAX)).unwrap();
        let (pruned, _) = allocate_with(&problem, Some(initial)).unwrap();
        let (default, _) = allocate_with(&problem, None).unwrap();
        prop_assert_eq!(full_rounds, 1);
        prop_assert_eq!(pruned.total, full.total);
        prop_assert_eq!(pruned.pairs.len(), full.pairs.len());
        prop_assert_eq!(default.total, full.total);
        prop_assert_eq!(default.pairs.len(), full.pairs.len());
    }
}
