//! The LP dual as a certificate of optimality, checked independently of how
//! the solver found it.
//!
//! The b-matching LP `max Σ value·x` subject to `Σ_p x(o,p) ≤ capacity(o)`,
//! `Σ_{o in k, p} x(o,p) ≤ capacity(k)` for every class `k`,
//! `Σ_o x(o,p) ≤ 1`, `x ≥ 0` has the dual
//! `min Σ capacity(o)·u_o + Σ capacity(k)·w_k + Σ v_p` subject to
//! `u_o + w_k(o) + v_p ≥ value(o, p)` on every edge (`w = 0` for an offer
//! without a class) and `u, v, w ≥ 0`. An
//! allocation and duals that are feasible and complementary — every chosen
//! pair tight, `u_o = 0` where a place is empty, `w_k = 0` where a class has
//! a free seat, `v_p = 0` for people
//! without a place — have equal objectives, so the allocation is optimal.
//! Values are lexicographic `(weight, pairs)`; the argument holds in any
//! ordered group (think weights scaled by a large enough factor, plus 1).
//!
//! The solver's prices give such duals (see `solver`). Debug builds check
//! them after every solve; the tests check them on random instances.

use super::cost::Cost;
use super::graph::{Graph, NONE};
use super::solver::Solution;

/// Whether `solution` is a feasible allocation of `graph` and its prices are
/// feasible, complementary LP duals — which proves it optimal.
pub(crate) fn holds(graph: &Graph, solution: &Solution) -> bool {
    let offers = graph.offers();
    let person_dual: Vec<Cost> = (0..graph.persons())
        .map(|p| solution.person_dual(p))
        .collect();
    let mut held = vec![0u64; offers];
    for (p, &o) in solution.mate.iter().enumerate() {
        if o != NONE {
            held[o as usize] += 1;
            if person_dual[p] < Cost::ZERO {
                return false;
            }
        }
    }
    // Class duals w_k = π(k): non-negative, zero unless the class is full.
    let mut seated = vec![0u64; graph.classes()];
    for (o, &k) in graph.class_of.iter().enumerate() {
        if k != NONE {
            seated[k as usize] += held[o];
        }
    }
    let class_dual = |k: usize| solution.offer_price[offers + k];
    let classes_hold = (0..graph.classes()).all(|k| {
        let capacity = u64::from(graph.class_capacity[k]);
        let w = class_dual(k);
        seated[k] <= capacity && w >= Cost::ZERO && (seated[k] == capacity || w == Cost::ZERO)
    });
    let mut chosen_edges = 0u64;
    let offers_hold = (0..offers).all(|o| {
        // (u_o, w_k): the offer's own dual and its class's.
        let (u, w) = match graph.class_of[o] {
            NONE => (solution.offer_price[o], Cost::ZERO),
            k => {
                let w = class_dual(k as usize);
                ((solution.offer_price[o] - w).max(Cost::ZERO), w)
            }
        };
        let capacity = u64::from(graph.capacities[o]);
        let edges_hold = (graph.start[o]..graph.start[o + 1]).all(|e| {
            let p = graph.person[e] as usize;
            let value = Cost::pair(graph.weight[e]);
            let bound = u + w + person_dual[p];
            if solution.mate[p] as usize == o {
                chosen_edges += 1;
                // Tight, and the weight the solver recorded is the edge's.
                value == bound && solution.mate_weight[p] == graph.weight[e]
            } else {
                value <= bound
            }
        });
        edges_hold
            && held[o] <= capacity
            && u >= Cost::ZERO
            && (held[o] == capacity || u == Cost::ZERO)
    });
    // Every chosen pair is an edge of the graph.
    classes_hold && offers_hold && chosen_edges == held.iter().sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::super::{graph::Graph, solver, Edge, Problem};
    use super::holds;
    use crate::allocate::cost::Cost;

    #[test]
    fn a_wrong_price_or_a_worse_allocation_fails_the_check() {
        let edges = [(0, 0, 10), (0, 1, 9), (1, 0, 10), (1, 2, 3)]
            .map(|(offer, person, weight)| Edge {
                offer,
                person,
                weight,
            })
            .to_vec();
        let graph = Graph::build(&Problem {
            capacities: vec![1, 1],
            people: 3,
            edges,
            ..Default::default()
        })
        .unwrap();
        let solution = solver::solve(&graph);
        assert!(holds(&graph, &solution));

        let mut cheaper = solver::solve(&graph);
        cheaper.offer_price[0] = cheaper.offer_price[0] - Cost::pair(1);
        assert!(!holds(&graph, &cheaper), "dual infeasible");

        // Offer 1 takes person 2 (3) instead of person 0 (10): worse, and
        // no duals can make that tight.
        let mut worse = solver::solve(&graph);
        worse.mate[0] = 0;
        worse.mate_weight[0] = 10;
        worse.mate[1] = u32::MAX;
        worse.mate[2] = 1;
        worse.mate_weight[2] = 3;
        assert!(!holds(&graph, &worse), "not optimal");
    }
}
