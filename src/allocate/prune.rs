//! Solve on each offer's best candidates only, then prove the result optimal
//! for all candidates with the LP dual — or widen and solve again.
//!
//! Two facts make this exact:
//!
//! * **Exchange argument.** An optimal allocation never needs a candidate of
//!   offer `o` beyond its best `P` (`P` = total places): the other offers hold
//!   at most `P − k` people while `o` holds `k`, so if `o` used someone outside
//!   its best `P`, one of those `P` would be free and at least as good. Edges
//!   past that rank are dropped for good.
//! * **LP duality.** The solver's prices give `u_o, v_p ≥ 0` with
//!   `value(o, p) ≤ u_o + v_p` on every kept edge, equality on chosen pairs,
//!   `u_o = 0` where a place is empty and `v_p = 0` for people without a
//!   place, so the dual objective equals the allocation's value. If every
//!   dropped edge also satisfies `value(o, p) ≤ u_o + v_p`, the same duals
//!   bound every allocation of the full graph: the solution is optimal there
//!   too. (Values are lexicographic `(weight, pairs)`; the argument holds in
//!   any ordered group, e.g. weights scaled by a large enough factor plus 1.)
//!
//! A dropped edge that breaks the bound may improve the solution; its offer
//! then keeps at least twice as many candidates and everything is solved
//! again. Each round widens some offer, so this ends, at the latest with
//! every edge kept.

use super::cost::Cost;
use super::graph::Graph;
use super::solver::{self, Solution};

/// Candidates each offer keeps in the first round: twice its places plus
/// this many. Small enough to make the graph sparse, large enough that one
/// round nearly always suffices (see the bench).
const EXTRA_CANDIDATES: usize = 4;

/// An optimal solution and how many rounds it took.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub solution: Solution,
    pub rounds: u32,
}

/// Solves `graph` exactly, starting from `initial` candidates per offer
/// (`None`: the default heuristic; tests pass small numbers to force rounds).
pub(crate) fn solve(graph: &Graph, initial: Option<usize>) -> Outcome {
    let places: u64 = graph.capacities.iter().map(|&c| u64::from(c)).sum();
    // Edges an offer could ever need (exchange argument).
    let useful: Vec<usize> = (0..graph.offers())
        .map(|o| {
            graph
                .degree(o)
                .min(usize::try_from(places).unwrap_or(usize::MAX))
        })
        .collect();
    let mut limit: Vec<usize> = (0..graph.offers())
        .map(|o| {
            let wanted = initial.unwrap_or_else(|| {
                (graph.capacities[o] as usize)
                    .saturating_mul(2)
                    .saturating_add(EXTRA_CANDIDATES)
            });
            wanted.min(useful[o])
        })
        .collect();

    let mut rounds = 0;
    loop {
        rounds += 1;
        let solution = solver::solve(graph, &limit);
        let person_dual: Vec<Cost> = (0..graph.persons())
            .map(|p| solution.person_dual(p))
            .collect();
        debug_assert!(certificate_holds(graph, &limit, &solution, &person_dual));

        let mut widened = false;
        for o in 0..graph.offers() {
            let u = solution.offer_price[o];
            let first = graph.start[o];
            let last_violation = (limit[o]..useful[o]).rev().find(|&rank| {
                let e = first + rank;
                Cost::pair(graph.weight[e]) > u + person_dual[graph.person[e] as usize]
            });
            if let Some(rank) = last_violation {
                limit[o] = (limit[o] * 2).max(rank + 1).min(useful[o]);
                widened = true;
            }
        }
        if !widened {
            return Outcome { solution, rounds };
        }
    }
}

/// Checks that the prices are optimal duals of the solution on the kept
/// graph: feasible on every kept edge, tight on chosen pairs, zero on empty
/// places. Only run in debug builds (tests), as a guard on the solver.
fn certificate_holds(
    graph: &Graph,
    limit: &[usize],
    solution: &Solution,
    person_dual: &[Cost],
) -> bool {
    let mut held = vec![0u64; graph.offers()];
    for (p, &o) in solution.mate.iter().enumerate() {
        if o != super::graph::NONE {
            held[o as usize] += 1;
            if person_dual[p] < Cost::ZERO {
                return false;
            }
        }
    }
    (0..graph.offers()).all(|o| {
        let u = solution.offer_price[o];
        let full = held[o] == u64::from(graph.capacities[o]);
        let first = graph.start[o];
        u >= Cost::ZERO
            && (full || u == Cost::ZERO)
            && held[o] <= u64::from(graph.capacities[o])
            && (first..first + limit[o]).all(|e| {
                let p = graph.person[e] as usize;
                let value = Cost::pair(graph.weight[e]);
                let bound = u + person_dual[p];
                value <= bound && (solution.mate[p] as usize != o || value == bound)
            })
    })
}
