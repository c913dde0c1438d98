//! The problem in canonical form: validated, de-duplicated, persons renumbered
//! densely, and each offer's candidates sorted best first.
//!
//! Everything after this point depends only on the *set* of edges, never on
//! the order they came in — that is what makes the result independent of the
//! input order.

use super::error::{AllocateError, Result};
use super::{Allocation, Problem, MAX_WEIGHT};

/// Marks "no offer" / "no person" in `u32` slots.
pub(crate) const NONE: u32 = u32::MAX;

/// Offers with their candidate lists in compressed sparse row form.
///
/// Invariants: the edges of offer `o` are `start[o]..start[o + 1]`, sorted by
/// weight descending, then person ascending, with at most one edge per
/// (offer, person); compact person ids keep the order of the original ids.
#[derive(Debug)]
pub(crate) struct Graph {
    /// Places per offer.
    pub capacities: Vec<u32>,
    /// Original index of each compact person id.
    pub person_ids: Vec<u32>,
    /// Row offsets, `capacities.len() + 1` entries.
    pub start: Vec<usize>,
    /// Compact person id of each edge.
    pub person: Vec<u32>,
    /// Weight of each edge.
    pub weight: Vec<i64>,
}

impl Graph {
    /// Validates `problem` and brings it into canonical form.
    pub(crate) fn build(problem: &Problem) -> Result<Graph> {
        let offers = problem.capacities.len();
        // Offer indices are u32 and u32::MAX is reserved for NONE.
        let max_offers = NONE as usize;
        if offers > max_offers {
            return Err(AllocateError::TooManyOffers {
                offers,
                max: max_offers,
            });
        }
        validate(problem)?;

        let mut person_ids: Vec<u32> = problem.edges.iter().map(|e| e.person).collect();
        person_ids.sort_unstable();
        person_ids.dedup();

        // One sort puts every offer's candidates best first; for a repeated
        // (offer, person) the heaviest copy comes first and the rest are
        // dropped below.
        let mut edges: Vec<(u32, i64, u32)> = problem
            .edges
            .iter()
            .map(|e| (e.offer, e.weight, e.person))
            .collect();
        edges.sort_unstable_by(|a, b| (a.0, b.1, a.2).cmp(&(b.0, a.1, b.2)));

        let mut start = vec![0usize; offers + 1];
        let mut person = Vec::with_capacity(edges.len());
        let mut weight = Vec::with_capacity(edges.len());
        // seen[p] == o + 1 once offer o has kept an edge to p.
        let mut seen = vec![0u32; person_ids.len()];
        for &(offer, w, original) in &edges {
            let p = compact(&person_ids, original);
            if seen[p as usize] == offer + 1 {
                continue;
            }
            seen[p as usize] = offer + 1;
            start[offer as usize + 1] += 1;
            person.push(p);
            weight.push(w);
        }
        for o in 0..offers {
            start[o + 1] += start[o];
        }

        Ok(Graph {
            capacities: problem.capacities.clone(),
            person_ids,
            start,
            person,
            weight,
        })
    }

    /// Number of offers.
    pub(crate) fn offers(&self) -> usize {
        self.capacities.len()
    }

    /// Number of distinct persons that appear in some edge.
    pub(crate) fn persons(&self) -> usize {
        self.person_ids.len()
    }

    /// Number of candidates of offer `o`.
    pub(crate) fn degree(&self, o: usize) -> usize {
        self.start[o + 1] - self.start[o]
    }

    /// The allocation given by `mate` (offer of each compact person, or NONE).
    pub(crate) fn allocation(&self, mate: &[u32], mate_weight: &[i64]) -> Allocation {
        let mut pairs = Vec::new();
        let mut total = 0i64;
        for (p, &o) in mate.iter().enumerate() {
            if o != NONE {
                pairs.push((o, self.person_ids[p]));
                // Cannot overflow: at most u32::MAX pairs of at most
                // MAX_WEIGHT = i32::MAX each.
                total += mate_weight[p];
            }
        }
        pairs.sort_unstable();
        Allocation { pairs, total }
    }
}

/// Rejects the first edge (in input order) that breaks the contract.
fn validate(problem: &Problem) -> Result<()> {
    let offers = problem.capacities.len();
    for (edge, e) in problem.edges.iter().enumerate() {
        if e.offer as usize >= offers {
            return Err(AllocateError::UnknownOffer {
                edge,
                offer: e.offer,
                offers,
            });
        }
        if e.person >= problem.people {
            return Err(AllocateError::UnknownPerson {
                edge,
                person: e.person,
                people: problem.people,
            });
        }
        if e.weight <= 0 {
            return Err(AllocateError::WeightNotPositive {
                edge,
                weight: e.weight,
            });
        }
        if e.weight > MAX_WEIGHT {
            return Err(AllocateError::WeightTooLarge {
                edge,
                weight: e.weight,
                max: MAX_WEIGHT,
            });
        }
    }
    Ok(())
}

/// Compact id of an original person index that is known to occur.
fn compact(person_ids: &[u32], original: u32) -> u32 {
    match person_ids.binary_search(&original) {
        Ok(i) => i as u32,
        Err(_) => unreachable!("person_ids holds every person of an edge"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Edge, Problem};
    use super::Graph;

    fn edge(offer: u32, person: u32, weight: i64) -> Edge {
        Edge {
            offer,
            person,
            weight,
        }
    }

    #[test]
    fn canonical_form_sorts_dedups_and_compacts() {
        let problem = Problem {
            capacities: vec![1, 2, 0],
            people: 100,
            edges: vec![
                edge(1, 70, 5),
                edge(0, 50, 3),
                edge(1, 50, 9),
                edge(1, 70, 8),
                edge(1, 10, 5),
                edge(1, 70, 2),
            ],
        };
        let g = Graph::build(&problem).unwrap();
        assert_eq!(g.person_ids, vec![10, 50, 70]);
        assert_eq!(g.start, vec![0, 1, 4, 4]);
        // offer 1: 50 (9), 70 (8, the best of three copies), 10 (5)
        assert_eq!(g.person, vec![1, 1, 2, 0]);
        assert_eq!(g.weight, vec![3, 9, 8, 5]);
        assert_eq!((g.degree(0), g.degree(1), g.degree(2)), (1, 3, 0));
    }
}
