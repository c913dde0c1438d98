//! The problem in canonical form: validated, de-duplicated, persons renumbered
//! densely, each offer's candidates sorted best first and cut after the best
//! `P` (`P` = total places).
//!
//! The cut is exact (exchange argument): while offer `o` holds `k` people,
//! the others hold at most `P − k`, so if `o` held someone outside its best
//! `P`, one of those would be free and at least as good — swapping loses
//! neither weight nor people placed.
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
/// (offer, person) and at most `P` per offer; compact person ids keep the
/// order of the original ids.
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
    /// Capacity of each class.
    pub class_capacity: Vec<u32>,
    /// Class of each offer, or `NONE`.
    pub class_of: Vec<u32>,
    /// Offers of class `k`: `members[member_start[k]..member_start[k + 1]]`,
    /// ascending.
    pub member_start: Vec<usize>,
    pub members: Vec<u32>,
    /// Per offer, the weight up to which its candidates are not all known
    /// (a list cut short, see [`super::allocate_within`]): its edges are
    /// those heavier than it; 0 where the list is complete.
    pub beyond: Vec<i64>,
}

impl Graph {
    /// Validates `problem` and brings it into canonical form.
    #[cfg(test)]
    pub(crate) fn build(problem: &Problem) -> Result<Graph> {
        Graph::build_within(problem, &[])
    }

    /// [`Graph::build`] where the lists of some offers are cut short:
    /// `beyond[o] > 0` says that offer `o`'s candidates are known only above
    /// that weight, so its edges up to it are dropped (`beyond` is empty or
    /// one entry per offer). A list that still fills the cut after the
    /// best `P` counts as complete.
    pub(crate) fn build_within(problem: &Problem, beyond: &[i64]) -> Result<Graph> {
        let offers = problem.capacities.len();
        if !beyond.is_empty() && beyond.len() != offers {
            return Err(AllocateError::LimitListLength {
                given: beyond.len(),
                offers,
            });
        }
        // Offer indices are u32 and u32::MAX is reserved for NONE.
        let max_offers = NONE as usize;
        if offers > max_offers {
            return Err(AllocateError::TooManyOffers {
                offers,
                max: max_offers,
            });
        }
        validate(problem)?;
        let renumber = Renumber::new(problem);

        // Bucket the edges by offer, each as one sort key: weight descending,
        // then compact person ascending (which is original person order).
        let mut start = vec![0usize; offers + 1];
        for e in &problem.edges {
            start[e.offer as usize + 1] += 1;
        }
        for o in 0..offers {
            start[o + 1] += start[o];
        }
        let mut fill = start.clone();
        let mut keys = vec![0u64; problem.edges.len()];
        for e in &problem.edges {
            let slot = &mut fill[e.offer as usize];
            keys[*slot] = sort_key(e.weight, renumber.id(e.person));
            *slot += 1;
        }

        // Best first per offer; a repeated (offer, person) then keeps its
        // heaviest copy, the first one met.
        let places: u64 = problem.capacities.iter().map(|&c| u64::from(c)).sum();
        let useful = usize::try_from(places).unwrap_or(usize::MAX);
        let mut person = Vec::with_capacity(keys.len());
        let mut weight = Vec::with_capacity(keys.len());
        // seen[p] == o + 1 once offer o has kept an edge to p.
        let mut seen = vec![0u32; renumber.person_ids.len()];
        let mut limits = vec![0i64; offers];
        for o in 0..offers {
            let bucket = &mut keys[start[o]..start[o + 1]];
            bucket.sort_unstable();
            start[o] = person.len();
            let limit = beyond.get(o).copied().unwrap_or(0);
            limits[o] = limit;
            for &key in bucket.iter() {
                if person.len() - start[o] == useful {
                    // The best `P` are all known: nothing beyond them counts.
                    limits[o] = 0;
                    break;
                }
                let (w, p) = unpack(key);
                if w <= limit {
                    break;
                }
                if seen[p as usize] != o as u32 + 1 {
                    seen[p as usize] = o as u32 + 1;
                    person.push(p);
                    weight.push(w);
                }
            }
        }
        start[offers] = person.len();
        let person_ids = renumber.person_ids;

        let class_of: Vec<u32> = if problem.class_of.is_empty() {
            vec![NONE; offers]
        } else {
            problem.class_of.iter().map(|c| c.unwrap_or(NONE)).collect()
        };
        let classes = problem.classes.len();
        let mut member_start = vec![0usize; classes + 1];
        for &k in &class_of {
            if k != NONE {
                member_start[k as usize + 1] += 1;
            }
        }
        for k in 0..classes {
            member_start[k + 1] += member_start[k];
        }
        let mut fill = member_start.clone();
        let mut members = vec![0u32; member_start[classes]];
        for (o, &k) in class_of.iter().enumerate() {
            if k != NONE {
                members[fill[k as usize]] = o as u32;
                fill[k as usize] += 1;
            }
        }

        Ok(Graph {
            capacities: problem.capacities.clone(),
            person_ids,
            start,
            person,
            weight,
            class_capacity: problem.classes.clone(),
            class_of,
            member_start,
            members,
            beyond: limits,
        })
    }

    /// Number of offers.
    pub(crate) fn offers(&self) -> usize {
        self.capacities.len()
    }

    /// Number of classes.
    pub(crate) fn classes(&self) -> usize {
        self.class_capacity.len()
    }

    /// Offers of class `k`.
    pub(crate) fn members(&self, k: usize) -> &[u32] {
        &self.members[self.member_start[k]..self.member_start[k + 1]]
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
    if !problem.class_of.is_empty() && problem.class_of.len() != offers {
        return Err(AllocateError::ClassListLength {
            given: problem.class_of.len(),
            offers,
        });
    }
    if problem.classes.len() >= NONE as usize {
        return Err(AllocateError::TooManyOffers {
            offers: problem.classes.len(),
            max: NONE as usize - 1,
        });
    }
    for (offer, class) in problem.class_of.iter().enumerate() {
        if let Some(class) = *class {
            if class as usize >= problem.classes.len() {
                return Err(AllocateError::UnknownClass {
                    offer,
                    class,
                    classes: problem.classes.len(),
                });
            }
        }
    }
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

/// Sort key of an edge: weight descending, then person ascending. Fits a
/// `u64` because weights are at most `MAX_WEIGHT = i32::MAX`.
fn sort_key(weight: i64, person: u32) -> u64 {
    ((MAX_WEIGHT - weight) as u64) << 32 | u64::from(person)
}

/// Inverse of [`sort_key`].
fn unpack(key: u64) -> (i64, u32) {
    (MAX_WEIGHT - (key >> 32) as i64, key as u32)
}

/// Dense ids for the persons that occur in some edge, in the order of their
/// original indices, so that memory follows the edges and not `people`.
struct Renumber {
    /// Original index of each compact id.
    person_ids: Vec<u32>,
    /// Compact id by original index, when `people` is small enough for a
    /// table (otherwise ids are found by binary search in `person_ids`).
    table: Option<Vec<u32>>,
}

impl Renumber {
    fn new(problem: &Problem) -> Renumber {
        let people = problem.people as usize;
        if people <= 4 * problem.edges.len() + 4096 {
            // First NONE = absent, 0 = present; then present ones get ids.
            let mut table = vec![NONE; people];
            for e in &problem.edges {
                table[e.person as usize] = 0;
            }
            let mut person_ids = Vec::new();
            for (original, id) in table.iter_mut().enumerate() {
                if *id != NONE {
                    *id = person_ids.len() as u32;
                    person_ids.push(original as u32);
                }
            }
            Renumber {
                person_ids,
                table: Some(table),
            }
        } else {
            let mut person_ids: Vec<u32> = problem.edges.iter().map(|e| e.person).collect();
            person_ids.sort_unstable();
            person_ids.dedup();
            Renumber {
                person_ids,
                table: None,
            }
        }
    }

    /// Compact id of a person that occurs in some edge.
    fn id(&self, original: u32) -> u32 {
        match &self.table {
            Some(table) => table[original as usize],
            None => match self.person_ids.binary_search(&original) {
                Ok(i) => i as u32,
                Err(_) => unreachable!("person_ids holds every person of an edge"),
            },
        }
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
            ..Default::default()
        };
        let g = Graph::build(&problem).unwrap();
        assert_eq!(g.person_ids, vec![10, 50, 70]);
        assert_eq!(g.start, vec![0, 1, 4, 4]);
        // offer 1: 50 (9), 70 (8, the best of three copies), 10 (5)
        assert_eq!(g.person, vec![1, 1, 2, 0]);
        assert_eq!(g.weight, vec![3, 9, 8, 5]);
        assert_eq!((g.degree(0), g.degree(1), g.degree(2)), (1, 3, 0));

        // Many more people than edges: ids come from binary search instead
        // of a table, and must be the same.
        let sparse = Graph::build(&Problem {
            people: 1 << 30,
            ..problem
        })
        .unwrap();
        assert_eq!(
            (
                sparse.person_ids,
                sparse.start,
                sparse.person,
                sparse.weight
            ),
            (g.person_ids, g.start, g.person, g.weight)
        );
    }

    #[test]
    fn offers_keep_no_more_candidates_than_there_are_places() {
        let problem = Problem {
            capacities: vec![1, 1, 0],
            people: 5,
            edges: (0..5).map(|p| edge(0, p, 10 + i64::from(p))).collect(),
            ..Default::default()
        };
        let g = Graph::build(&problem).unwrap();
        // Two places in all: offer 0 keeps its best two, persons 4 and 3.
        assert_eq!(g.start, vec![0, 2, 2, 2]);
        assert_eq!(
            (
                g.person_ids[g.person[0] as usize],
                g.person_ids[g.person[1] as usize]
            ),
            (4, 3)
        );
    }
}
