//! Optimal allocation of people to places with capacities.
//!
//! [`allocate`] chooses pairs (offer, person) among the admissible [`Edge`]s so
//! that the total weight is as large as possible, no offer gets more pairs
//! than its capacity, no class (a school class several offers send their
//! trainees to) gets more than its capacity, and nobody gets two places. Places may stay empty: this
//! is maximum weight, not maximum cardinality (a maximum-weight bipartite
//! b-matching). The answer is exact and deterministic.
//!
//! # Ties
//!
//! Among allocations of maximum total weight, the one placing the **most
//! people** is returned (same score, more people in work). Ties that remain
//! are broken by the algorithm's fixed order — offers are served in ascending
//! index, each offer's candidates are scanned by descending weight then
//! ascending person index, and equally distant offers of the shortest-path
//! search settle in ascending index. Since the input is first
//! brought into a canonical form (de-duplicated, sorted), the result depends
//! only on the set of edges, never on their order.
//!
//! # Algorithm
//!
//! Min-cost flow by successive shortest paths (see `solver`) on the network
//! class → offer → person → sink: places are added
//! one at a time, each along a shortest augmenting path found by Dijkstra on
//! reduced costs (prices / potentials), with early exit at the sink. An
//! offer's further places are skipped once leaving one empty is optimal, and
//! the scan of an offer's candidates (heaviest first) stops as soon as no
//! further one can lead to a shorter path. All arithmetic is on integers —
//! weights paired with a pair count, compared lexicographically (see `cost`)
//! — so the result is exact, not within an ε. Before solving, each offer
//! keeps only its best `P` candidates (`P` = total places; exact by the
//! exchange argument, see `graph`). In debug builds every result is checked
//! against its LP dual, a proof of optimality (see `certificate`).
//!
//! Why this method: it works on the sparse edge list (no offers × people
//! matrix), its work per place is bounded by the part of the graph closer
//! than the best augmenting path — so many equal weights do not multiply the
//! work the way they do for the textbook Hungarian method — and it needs no
//! ε-scaling or weight scaling. At most `Σ min(capacity, degree + 1)`
//! searches run. Measured figures are in the header of `benches/allocate.rs`
//! (the target size — 1k offers, 5k places, 100k people, 200k edges — takes
//! ~15 ms).
//!
//! # Lists cut short
//!
//! A batch over many people would have to score and keep `P` candidates of
//! every offer for the exchange argument — 49,256 each for a million people
//! and 10,000 offers, tens of GiB — though the solver reads few of them:
//! an offer's candidates are scanned best first, and the scan stops as soon
//! as no further one can shorten the path. [`allocate_within`] takes lists
//! cut after a few times each offer's places, with the weight below which
//! each is incomplete, and runs the solver on them; as long as no scan
//! reaches a cut with a candidate of that weight still able to help, every
//! step is the step of the complete lists, so the result is the same
//! allocation, pair for pair. Where a scan would go on past a cut, the
//! offer is named and its list grown (the batch quadruples it and solves
//! again). An earlier attempt cut lists to `2 × places + 4` and checked
//! the result with the LP dual: measured on the solver alone it gained
//! nothing — what short lists save is the scoring and the memory of the
//! batch — and a dual proves only the total optimal, not that the same one
//! of several optimal allocations is chosen; hence the argument above.
//!
//! # Invariants
//!
//! Pure: no IO, no global state, no threads. Never panics on bad input;
//! invalid edges are reported as [`AllocateError`].

mod certificate;
mod cost;
mod error;
mod graph;
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
    /// Capacities of the classes (a school class of one occupation and
    /// school year: how many new trainees it takes), the second capacity
    /// layer; class `k` is `classes[k]`.
    pub classes: Vec<u32>,
    /// The class each offer's trainees attend, one entry per offer (`None`:
    /// only the offer's places limit it), or empty when no offer has one.
    pub class_of: Vec<Option<u32>>,
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
/// weight is not in `1 ..= MAX_WEIGHT`, or an offer an unknown class.
pub fn allocate(problem: &Problem) -> Result<Allocation> {
    match allocate_within(problem, &[])? {
        Within::Exact(allocation) => Ok(allocation),
        Within::Short(_) => unreachable!("no list is cut short"),
    }
}

/// What [`allocate_within`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    /// The allocation [`allocate`] gives with the complete lists.
    Exact(Allocation),
    /// The solve needed candidates beyond the cut of these offers
    /// (ascending): grow their lists and solve again.
    Short(Vec<u32>),
}

/// [`allocate`] where the candidate lists of some offers are cut short, as
/// a batch over many people makes them: `beyond[o] > 0` says that of offer
/// `o` only the edges heavier than `beyond[o]` are known — all of them,
/// while other candidates of at most that weight may exist — and its edges
/// up to that weight are ignored; `beyond[o] = 0` (or an empty `beyond`)
/// says the list is complete.
///
/// The answer is [`Within::Exact`] with **the very allocation** `allocate`
/// gives on the complete lists (the same pairs, not only the same total)
/// whenever the solve never needs what lies beyond a cut, and
/// [`Within::Short`] naming the offers whose lists were too short
/// otherwise. Because each offer's candidates are read best first and the
/// scan stops as soon as no further one can help, short lists of a few
/// times an offer's places suffice for most offers: the search runs step
/// by step as on the complete lists (see `solver::solve`).
///
/// # Errors
///
/// As [`allocate`]; also if `beyond` is neither empty nor one per offer.
pub fn allocate_within(problem: &Problem, beyond: &[i64]) -> Result<Within> {
    let graph = graph::Graph::build_within(problem, beyond)?;
    let solution = solver::solve(&graph);
    if !solution.short.is_empty() {
        let mut short = solution.short;
        short.sort_unstable();
        short.dedup();
        return Ok(Within::Short(short));
    }
    debug_assert!(certificate::holds(&graph, &solution), "not optimal");
    Ok(Within::Exact(
        graph.allocation(&solution.mate, &solution.mate_weight),
    ))
}
