//! Optimal allocation of people to places with capacities.
//!
//! [`allocate`] chooses pairs (offer, person) among the admissible [`Edge`]s so
//! that the total weight is as large as possible, no offer gets more pairs
//! than its capacity and nobody gets two places. Places may stay empty: this
//! is maximum weight, not maximum cardinality (a maximum-weight bipartite
//! b-matching). The answer is exact and deterministic.
//!
//! # Ties
//!
//! Among allocations of maximum total weight, the one placing the **most
//! people** is returned (same score, more people in work). Ties that remain
//! are broken by the algorithm's fixed order — offers are served in ascending
//! index, each offer's candidates are scanned by descending weight then
//! ascending person index, and equally distant nodes of the shortest-path
//! search settle offers first, then lower indices. Since the input is first
//! brought into a canonical form (de-duplicated, sorted), the result depends
//! only on the set of edges, never on their order.
//!
//! # Algorithm
//!
//! Min-cost flow by successive shortest paths (see `solver`): places are added
//! one at a time, each along a shortest augmenting path found by Dijkstra on
//! reduced costs (prices / potentials), with early exit at the sink. An
//! offer's further places are skipped once leaving one empty is optimal. All
//! arithmetic is on integers — weights paired with a pair count, compared
//! lexicographically (see `cost`) — so the result is exact, not within an ε.
//!
//! The graph is pruned first (see `prune`): each offer keeps only its best
//! `2 × places + 4` candidates; the LP dual read off the prices then either
//! proves the pruned optimum optimal for all edges, or names the offers that
//! must keep more candidates, and the problem is solved again.
//!
//! Why this method: it works on the sparse edge list (no offers × people
//! matrix), its work per place is bounded by the part of the graph closer
//! than the best augmenting path — so many equal weights do not multiply the
//! work the way they do for the textbook Hungarian method — and it needs no
//! ε-scaling or weight scaling. The dual certificate makes the pruning exact.
//! At most `Σ min(capacity, degree + 1)` searches run. Measured figures are in
//! `benches/allocate.rs`.
//!
//! # Invariants
//!
//! Pure: no IO, no global state, no threads. Never panics on bad input;
//! invalid edges are reported as [`AllocateError`].

mod cost;
mod error;
mod graph;
mod prune;
mod solver;
#[cfg(test)]
mod tests;

pub use error::{AllocateError, Result};

/// Largest accepted edge weight (`i32::MAX`). Scores × 100 stay far below it,
/// and with it no sum the solver forms can overflow an `i64`.
pub const MAX_WEIGHT: i64 = i32::MAX as i64;

/// One admissible pair: `weight` is a scaled integer score (score × 100, so
/// 87.53 → 8753), `1 ..= MAX_WEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Offer index, into [`Problem::capacities`].
    pub offer: u32,
    /// Person index, below [`Problem::people`].
    pub person: u32,
    /// Value of the pair; must be positive.
    pub weight: i64,
}

/// An allocation problem. Pairs that are not edges cannot be chosen; a
/// repeated (offer, person) edge counts with its highest weight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    /// Places per offer; offer `o` is `capacities[o]`.
    pub capacities: Vec<u32>,
    /// Number of people; persons are `0 .. people`.
    pub people: u32,
    /// The admissible pairs, in any order.
    pub edges: Vec<Edge>,
}

/// The chosen pairs and their total weight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// `(offer, person)`, sorted ascending.
    pub pairs: Vec<(u32, u32)>,
    /// Sum of the weights of `pairs`.
    pub total: i64,
}

/// Computes a maximum-weight allocation of `problem` (ties: see the module
/// documentation).
///
/// # Errors
///
/// [`AllocateError`] if an edge names an unknown offer or person, or its
/// weight is not in `1 ..= MAX_WEIGHT`.
pub fn allocate(problem: &Problem) -> Result<Allocation> {
    allocate_with(problem, None).map(|(allocation, _)| allocation)
}

/// [`allocate`], starting the pruning with `initial` candidates per offer;
/// also returns the number of solve rounds.
fn allocate_with(problem: &Problem, initial: Option<usize>) -> Result<(Allocation, u32)> {
    let graph = graph::Graph::build(problem)?;
    let outcome = prune::solve(&graph, initial);
    let solution = &outcome.solution;
    Ok((
        graph.allocation(&solution.mate, &solution.mate_weight),
        outcome.rounds,
    ))
}
