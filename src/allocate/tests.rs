//! Unit tests: edge cases as data, determinism, bad input, the LP dual.
//! The comparison with a brute-force optimum lives in `tests/allocate_props.rs`.

use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::graph::Graph;
use super::{allocate, certificate, solver, AllocateError, Allocation, Edge, Problem};

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
        ..Default::default()
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
            ..Default::default()
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
fn an_offer_falls_back_to_a_candidate_far_down_its_list() {
    // Offer 0's six best candidates (weight 100) are taken by offers 1..=6,
    // whose only candidate they are; offer 0 falls back to person 6 (50).
    let mut list: Vec<(u32, u32, i64)> = (0..6).map(|p| (0, p, 100)).collect();
    list.push((0, 6, 50));
    list.extend((1..=6).map(|o| (o, o - 1, 1000)));
    let mut pairs = vec![(0, 6)];
    pairs.extend((1..=6).map(|o| (o, o - 1)));
    check(&[1; 7], 7, &list, &pairs, 6050);
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
        ..Default::default()
    }
}

/// A random instance whose offers share school classes with few seats.
fn random_schooled(rng: &mut ChaCha8Rng, offers: u32, people: u32, per_offer: u32) -> Problem {
    let mut problem = random_problem(rng, offers, people, per_offer);
    let classes = offers / 3 + 1;
    problem.classes = (0..classes).map(|_| rng.random_range(0..5)).collect();
    problem.class_of = (0..offers)
        .map(|_| rng.random_bool(0.7).then(|| rng.random_range(0..classes)))
        .collect();
    problem
}

#[test]
fn a_school_class_limits_the_offers_it_serves() {
    // Two offers of two places each share a class of three seats; offer 2
    // has no class. Persons 0–4 want offers 0 and 1, person 4 also offer 2.
    let mut list: Vec<(u32, u32, i64)> = Vec::new();
    for p in 0..5 {
        list.push((0, p, 900 - 10 * i64::from(p)));
        list.push((1, p, 800 - 10 * i64::from(p)));
    }
    list.push((2, 4, 100));
    let problem = Problem {
        capacities: vec![2, 2, 1],
        people: 5,
        edges: edges(&list),
        classes: vec![3],
        class_of: vec![Some(0), Some(0), None],
    };
    let a = allocate(&problem).unwrap();
    assert_eq!(a.pairs, vec![(0, 0), (0, 1), (1, 2), (2, 4)]);
    assert_eq!(a.total, 900 + 890 + 780 + 100);
    // A class without seats closes its offers; one with plenty changes nothing.
    let closed = allocate(&Problem {
        classes: vec![0],
        ..problem.clone()
    })
    .unwrap();
    assert_eq!(closed.pairs, vec![(2, 4)]);
    let roomy = allocate(&Problem {
        classes: vec![10],
        ..problem.clone()
    })
    .unwrap();
    let plain = allocate(&Problem {
        classes: Vec::new(),
        class_of: Vec::new(),
        ..problem
    })
    .unwrap();
    assert_eq!(roomy, plain);
}

#[test]
fn bad_class_references_are_errors() {
    let base = Problem {
        capacities: vec![1, 1],
        people: 1,
        edges: edges(&[(0, 0, 5)]),
        ..Default::default()
    };
    let short = Problem {
        classes: vec![1],
        class_of: vec![Some(0)],
        ..base.clone()
    };
    assert!(matches!(
        allocate(&short),
        Err(AllocateError::ClassListLength {
            given: 1,
            offers: 2
        })
    ));
    let unknown = Problem {
        classes: vec![1],
        class_of: vec![None, Some(3)],
        ..base
    };
    let e = allocate(&unknown).unwrap_err();
    assert!(matches!(
        e,
        AllocateError::UnknownClass {
            offer: 1,
            class: 3,
            ..
        }
    ));
    assert!(e.to_string().contains("Klasse 3"));
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

    /// On instances too large for brute force, the LP dual proves the
    /// solver's result optimal (checked here in every build, not only in
    /// debug builds).
    #[test]
    fn the_dual_proves_optimality(seed in any::<u64>(), per_offer in 1u32..20) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let problem = random_problem(&mut rng, 40, 120, per_offer);
        let graph = Graph::build(&problem).unwrap();
        let solution = solver::solve(&graph);
        prop_assert!(certificate::holds(&graph, &solution));
        let allocation = allocate(&problem).unwrap();
        prop_assert_eq!(allocation, graph.allocation(&solution.mate, &solution.mate_weight));
    }

    /// The same with school classes: the dual with class prices proves it.
    #[test]
    fn the_dual_proves_optimality_with_classes(seed in any::<u64>(), per_offer in 1u32..20) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let problem = random_schooled(&mut rng, 40, 120, per_offer);
        let graph = Graph::build(&problem).unwrap();
        let solution = solver::solve(&graph);
        prop_assert!(certificate::holds(&graph, &solution));
        let allocation = allocate(&problem).unwrap();
        prop_assert_eq!(allocation, graph.allocation(&solution.mate, &solution.mate_weight));
    }
}
