//! Property tests for `lotse::allocate`: on many small random instances the
//! result equals a brute-force optimum, and every result keeps the rules.

use std::collections::{BTreeMap, BTreeSet};

use lotse::allocate::{
    allocate, allocate_within, AllocateError, Allocation, Edge, Problem, Within,
};
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

/// The lexicographic optimum (total weight, people placed), exhaustively:
/// group by group (a class with its offers, or an offer without a class),
/// offer by offer, every set of its candidates within its capacity and the
/// seats its class has left that avoids the people already placed (dynamic
/// programme over the set of placed people, so at most 16 people).
fn brute_force(problem: &Problem) -> (i64, usize) {
    assert!(problem.people <= 16, "brute force is exponential in people");
    let weights = best_weights(problem);
    let offers = problem.capacities.len();
    let class_of = |o: usize| problem.class_of.get(o).copied().flatten();
    // Groups: every class with its offers, then every offer without one.
    let mut groups: Vec<(Vec<usize>, u32)> = problem
        .classes
        .iter()
        .enumerate()
        .map(|(k, &seats)| {
            let members = (0..offers)
                .filter(|&o| class_of(o) == Some(k as u32))
                .collect();
            (members, seats)
        })
        .collect();
    groups.extend(
        (0..offers)
            .filter(|&o| class_of(o).is_none())
            .map(|o| (vec![o], problem.capacities[o])),
    );
    // best[placed]: optimum over the groups so far placing exactly `placed`.
    let mut best: Vec<Option<(i64, usize)>> = vec![None; 1 << problem.people];
    best[0] = Some((0, 0));
    for (members, seats) in groups {
        // state[used][placed]: within the group, `used` seats taken.
        let seats = seats as usize;
        let mut state = vec![vec![None; best.len()]; seats + 1];
        state[0] = best.clone();
        for o in members {
            let candidates: Vec<(usize, i64)> = (0..problem.people)
                .filter_map(|p| weights.get(&(o as u32, p)).map(|&w| (p as usize, w)))
                .collect();
            let mut next = state.clone();
            for (used, row) in state.iter().enumerate() {
                for (placed, value) in row.iter().enumerate() {
                    if let Some(value) = *value {
                        let open: Vec<(usize, i64)> = candidates
                            .iter()
                            .copied()
                            .filter(|&(p, _)| placed >> p & 1 == 0)
                            .collect();
                        let room = problem.capacities[o].min((seats - used) as u32);
                        choose(&open, room, placed, value, used, &mut next);
                    }
                }
            }
            state = next;
        }
        best = vec![None; best.len()];
        for row in state {
            for (placed, value) in row.into_iter().enumerate() {
                best[placed] = best[placed].max(value);
            }
        }
    }
    best.into_iter().flatten().max().unwrap_or((0, 0))
}

/// Records in `next[used + k]` every way to add `k ≤ capacity` people of `open`.
fn choose(
    open: &[(usize, i64)],
    capacity: u32,
    placed: usize,
    value: (i64, usize),
    used: usize,
    next: &mut [Vec<Option<(i64, usize)>>],
) {
    next[used][placed] = next[used][placed].max(Some(value));
    if capacity == 0 {
        return;
    }
    for (i, &(p, w)) in open.iter().enumerate() {
        let more = (value.0 + w, value.1 + 1);
        choose(
            &open[i + 1..],
            capacity - 1,
            placed | 1 << p,
            more,
            used + 1,
            next,
        );
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
    let mut seated = vec![0u32; problem.classes.len()];
    for (o, class) in problem.class_of.iter().enumerate() {
        if let Some(k) = class {
            seated[*k as usize] += held[o];
        }
    }
    for (k, (&s, &c)) in seated.iter().zip(&problem.classes).enumerate() {
        prop_assert!(s <= c, "class {k}: {s} trainees, {c} seats");
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
                ..Default::default()
            }
        })
}

/// The edges of `offers` × `people` pairs, offer by offer, where `cells`
/// (one per pair in that order) has a weight.
fn dense_edges(offers: u32, people: u32, cells: Vec<Option<i64>>) -> Vec<Edge> {
    (0..offers)
        .flat_map(|offer| (0..people).map(move |person| (offer, person)))
        .zip(cells)
        .filter_map(|((offer, person), weight)| {
            weight.map(|weight| Edge {
                offer,
                person,
                weight,
            })
        })
        .collect()
}

/// 2 to 8 offers with mostly one or two places, each wanted by most of up to
/// 12 people: the other offers compete for an offer's best candidates, so
/// it must fall back far down its list, and offers often have more
/// candidates than there are places (which `allocate` cuts off).
fn crowded_problem() -> impl Strategy<Value = Problem> {
    let weight = prop::sample::select(vec![100i64, 100, 200, 300]);
    let capacity = prop::sample::select(vec![0u32, 1, 1, 1, 2, 3]);
    (
        prop::collection::vec(capacity, 2..=8),
        8u32..=12,
        prop::collection::vec(prop::option::weighted(0.85, weight), 8 * 12),
    )
        .prop_map(|(capacities, people, cells)| {
            let offers = capacities.len() as u32;
            let edges = dense_edges(offers, people, cells);
            Problem {
                capacities,
                people,
                edges,
                ..Default::default()
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
        let problem = Problem { capacities, people, edges, ..Default::default() };
        match allocate(&problem) {
            Ok(allocation) => check_invariants(&problem, &allocation)?,
            Err(error) => {
                let edge = match error {
                    AllocateError::UnknownOffer { edge, .. }
                    | AllocateError::UnknownPerson { edge, .. }
                    | AllocateError::WeightNotPositive { edge, .. }
                    | AllocateError::WeightTooLarge { edge, .. } => edge,
                    AllocateError::TooManyOffers { .. }
                    | AllocateError::ClassListLength { .. }
                    | AllocateError::UnknownClass { .. }
                    | AllocateError::LimitListLength { .. } => usize::MAX,
                };
                prop_assert!(edge < problem.edges.len(), "{error}");
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }
}

/// 2 to 5 offers with up to 3 places, one or two school classes with up to
/// 3 seats that most offers send their trainees to, up to 8 people who want
/// most offers: the classes have fewer seats than their offers have
/// places, so both capacity layers bind.
fn schooled_problem() -> impl Strategy<Value = Problem> {
    let weight = prop::sample::select(vec![100i64, 100, 200, 300, 500]);
    (
        prop::collection::vec(0u32..=3, 2..=5),
        prop::collection::vec(0u32..=3, 1..=2),
        prop::collection::vec(prop::option::weighted(0.8, 0u32..2), 5),
        4u32..=8,
        prop::collection::vec(prop::option::weighted(0.7, weight), 5 * 8),
    )
        .prop_map(|(capacities, classes, class_list, people, cells)| {
            let offers = capacities.len() as u32;
            let class_of = class_list
                .into_iter()
                .take(capacities.len())
                .map(|c| c.map(|k| k % classes.len() as u32))
                .collect();
            let edges = dense_edges(offers, people, cells);
            Problem {
                capacities,
                people,
                edges,
                classes,
                class_of,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Both capacity layers: offers' places and school classes' seats.
    #[test]
    fn equals_the_brute_force_optimum_with_school_classes(problem in schooled_problem()) {
        let allocation = allocate(&problem).unwrap();
        check_invariants(&problem, &allocation)?;
        let (total, placed) = brute_force(&problem);
        prop_assert_eq!(allocation.total, total, "not maximum weight");
        prop_assert_eq!(allocation.pairs.len(), placed, "not the most people at maximum weight");
        let mut permuted = problem.clone();
        permuted.edges.reverse();
        prop_assert_eq!(&allocate(&permuted).unwrap(), &allocation);
    }

    /// The classes bind: without them the optimum is at least as good, and
    /// often better (checked over the cases by the counter below).
    #[test]
    fn classes_never_raise_the_optimum(problem in schooled_problem()) {
        let with = allocate(&problem).unwrap();
        let without = allocate(&Problem { classes: Vec::new(), class_of: Vec::new(), ..problem }).unwrap();
        prop_assert!(with.total <= without.total);
    }
}

/// The generated instances do make the classes bind (a test of the test).
#[test]
fn school_classes_bind_in_generated_instances() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = schooled_problem();
    let mut binding = 0;
    for _ in 0..200 {
        let problem = strategy.new_tree(&mut runner).unwrap().current();
        let with = allocate(&problem).unwrap();
        let without = allocate(&Problem {
            classes: Vec::new(),
            class_of: Vec::new(),
            ..problem
        })
        .unwrap();
        if with.total < without.total {
            binding += 1;
        }
    }
    assert!(
        binding >= 40,
        "only {binding} of 200 instances had a binding class"
    );
}

proptest! {
    // Fewer cases: each one costs up to a few million steps of brute force.
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn equals_the_brute_force_optimum_when_crowded(problem in crowded_problem()) {
        let allocation = allocate(&problem).unwrap();
        check_invariants(&problem, &allocation)?;
        let (total, placed) = brute_force(&problem);
        prop_assert_eq!(allocation.total, total, "not maximum weight");
        prop_assert_eq!(allocation.pairs.len(), placed, "not the most people at maximum weight");
    }
}

/// 3 to 12 offers with up to 4 places, some of them sending their trainees
/// to one of two school classes, up to 40 people who want about half of the
/// offers, few distinct weights (many ties): big enough that cutting the
/// candidate lists short matters.
fn wide_problem() -> impl Strategy<Value = Problem> {
    let weight = prop::sample::select(vec![100i64, 100, 200, 300, 400]);
    (
        prop::collection::vec(0u32..=4, 3..=12),
        prop::collection::vec(1u32..=6, 0..=2),
        prop::collection::vec(prop::option::weighted(0.3, 0u32..2), 12),
        10u32..=40,
        prop::collection::vec(prop::option::weighted(0.5, weight), 12 * 40),
    )
        .prop_map(|(capacities, classes, class_list, people, cells)| {
            let offers = capacities.len() as u32;
            let class_of = match classes.is_empty() {
                true => Vec::new(),
                false => class_list
                    .into_iter()
                    .take(capacities.len())
                    .map(|c| c.map(|k| k % classes.len() as u32))
                    .collect(),
            };
            let edges = dense_edges(offers, people, cells);
            Problem {
                capacities,
                people,
                edges,
                classes,
                class_of,
            }
        })
}

/// The first `keep[o]` candidates of every offer as a batch keeps them
/// (best first; among equal weights the *highest* person first, unlike the
/// solver's order), with the weight up to which each list leaves some out
/// (0 where it holds them all).
fn cut(problem: &Problem, keep: &[usize]) -> (Problem, Vec<i64>) {
    let mut lists: Vec<Vec<Edge>> = vec![Vec::new(); problem.capacities.len()];
    for e in &problem.edges {
        lists[e.offer as usize].push(*e);
    }
    let mut edges = Vec::new();
    let mut beyond = Vec::new();
    for (o, list) in lists.iter_mut().enumerate() {
        list.sort_by(|a, b| b.weight.cmp(&a.weight).then(b.person.cmp(&a.person)));
        let k = keep[o].min(list.len());
        beyond.push(if k < list.len() {
            list[k - 1].weight
        } else {
            0
        });
        edges.extend_from_slice(&list[..k]);
    }
    (
        Problem {
            edges,
            ..problem.clone()
        },
        beyond,
    )
}

/// Cut short and grown where the solver asks, the allocation is the one of
/// the complete lists, pair for pair — ties included — on many instances,
/// some solved at once over short lists, some after growing.
#[test]
fn short_lists_grown_where_needed_give_the_very_allocation_of_the_complete_ones() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (wide_problem(), prop::collection::vec(1usize..=12, 12));
    let (mut at_once, mut grown) = (0, 0);
    for case in 0..1500 {
        let (problem, first) = strategy.new_tree(&mut runner).unwrap().current();
        let complete = allocate(&problem).unwrap();
        let mut keep = first[..problem.capacities.len()].to_vec();
        let mut rounds = 0;
        loop {
            let (short, beyond) = cut(&problem, &keep);
            match allocate_within(&short, &beyond).unwrap() {
                Within::Exact(allocation) => {
                    assert_eq!(
                        allocation, complete,
                        "case {case}: {problem:?}, keep {keep:?}"
                    );
                    if beyond.iter().any(|&b| b > 0) {
                        match rounds {
                            0 => at_once += 1,
                            _ => grown += 1,
                        }
                    }
                    break;
                }
                Within::Short(offers) => {
                    assert!(!offers.is_empty());
                    for o in offers {
                        assert!(
                            beyond[o as usize] > 0,
                            "case {case}: offer {o} was complete"
                        );
                        keep[o as usize] *= 2;
                    }
                }
            }
            rounds += 1;
        }
    }
    // A test of the test: both ways were taken, often.
    assert!(
        at_once >= 100 && grown >= 500,
        "{at_once} at once, {grown} grown"
    );
}

#[test]
fn limits_for_the_wrong_number_of_offers_are_refused() {
    let problem = Problem {
        capacities: vec![1, 1],
        people: 1,
        edges: vec![Edge {
            offer: 0,
            person: 0,
            weight: 100,
        }],
        ..Default::default()
    };
    let e = allocate_within(&problem, &[0]).unwrap_err();
    assert!(
        matches!(
            e,
            AllocateError::LimitListLength {
                given: 1,
                offers: 2
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("Listengrenzen"), "{e}");
}
