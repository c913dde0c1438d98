//! Successive shortest paths on a [`Graph`]: the exact core.
//!
//! Think of the min-cost flow `source → offer` (capacity = places),
//! `offer → person` (capacity 1, cost −value), `person → sink` (capacity 1)
//! and `offer → sink` (unbounded, cost 0: a place left empty). With the last
//! arc every place can always be "filled", so a min-cost flow saturating all
//! `source → offer` arcs is exactly a maximum-value allocation.
//!
//! Places are added one at a time (offer by offer, like the row-by-row phase
//! of Jonker–Volgenant): one more unit of supply at offer `s` keeps the flow
//! of minimum cost if it is sent along a shortest `s → sink` path of the
//! residual graph. A person has only one way on in that graph — to the sink
//! if free, back to the offer holding it otherwise — so the search runs over
//! offers alone: from offer `o` a path may
//!
//! * leave the place empty: cost 0, ends;
//! * take a free person `p`: cost `−value(o, p)`, ends;
//! * take person `p` from offer `o'`, which then needs a person in turn:
//!   cost `value(o', p) − value(o, p)`, continues at `o'`.
//!
//! Dijkstra runs on reduced costs with offer prices `π(o)` (the sink's price
//! is 0). Writing `u_o = π(o)` and `v_p = value(o', p) − π(o')` for a person
//! held by `o'` (0 for a free one), the three reduced costs are `u_o`,
//! `u_o − value(o, p)` and `u_o + v_p − value(o, p)`: **they are all
//! non-negative exactly when `(u, v)` is a feasible LP dual.** The search
//! stops once the sink is the closest node (distance `D`); every offer it
//! settled gets `π(o) += d(o) − D`, which keeps the dual feasible, makes the
//! new path tight, and keeps `π(o) = 0` for offers with an empty place — so
//! the final prices prove the result optimal (see `certificate`).
//!
//! # The class layer
//!
//! Offers that send their trainees to a school class get their places from
//! the class instead of the source: `source → class` (capacity = the class's
//! seats), `class → offer` (capacity = places, cost 0), `class → sink`
//! (a seat left empty, cost 0); such an offer has no `offer → sink` arc of
//! its own. The search then runs over offers **and** classes: an offer that
//! gave up a person may hand its seat back to its class (`offer → class`,
//! while it holds someone, reduced cost `π(o) − π(k)`); a class may leave the
//! seat empty (`π(k)`) or give it to one of its offers with a free place
//! (`π(k) − π(o)`). Supply is added seat by seat at the classes. Initially
//! `π(k)` is the largest price of its offers, so every reduced cost is
//! non-negative. The duals of the certificate are `w_k = π(k)` and, for an
//! offer of a class, `u_o = max(0, π(o) − π(k))`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::cost::Cost;
use super::graph::{Graph, NONE};

/// An optimal allocation of a graph, with its dual prices.
#[derive(Debug)]
pub(crate) struct Solution {
    /// Offer of each compact person, or `NONE`.
    pub mate: Vec<u32>,
    /// Weight of the person's pair (meaningless without a mate).
    pub mate_weight: Vec<i64>,
    /// Price of each node: offers `0 .. offers`, then classes. For an
    /// offer without a class the LP dual `u_o ≥ 0`; see the module
    /// documentation for classes.
    pub offer_price: Vec<Cost>,
    /// Offers whose cut-short list the search would have had to read
    /// beyond its cut (`Graph::beyond`), in the order met (repeats
    /// possible). Where this is not empty, the allocation is optimal for
    /// the short lists only.
    pub short: Vec<u32>,
}

impl Solution {
    /// The LP dual `v_p ≥ 0` of compact person `p`.
    pub(crate) fn person_dual(&self, p: usize) -> Cost {
        match self.mate[p] {
            NONE => Cost::ZERO,
            o => Cost::pair(self.mate_weight[p]) - self.offer_price[o as usize],
        }
    }
}

/// Solves `graph` exactly.
///
/// Where some lists are cut short (`Graph::beyond`), the search reads each
/// list only as far as the complete list would have been read: the edges
/// above the cut are the complete list's first ones, in the same order,
/// and a scan that stops before the cut has seen all it would have seen.
/// So as long as no scan has to go past a cut, every step is the step of
/// the complete graph, and so is the result. A scan that would have to
/// (or an offer whose list is empty above its cut, which would price it
/// differently) puts that offer in [`Solution::short`]; the solve goes on
/// to its end, an exact solve of the short lists, so that one run names
/// (nearly) every list to grow, not only the first.
pub(crate) fn solve(graph: &Graph) -> Solution {
    let mut search = Search::new(graph);
    let offers = graph.offers();
    for o in 0..offers {
        if graph.class_of[o] != NONE {
            continue; // its places come from its class
        }
        for _ in 0..graph.capacities[o] {
            // Price 0 means leaving the place empty is a shortest path; so it
            // stays for every further place of this offer. This also bounds
            // the loop by the offer's degree + 1.
            if search.offer_price[o] == Cost::ZERO {
                break;
            }
            search.add_place(o as u32);
        }
    }
    for k in 0..graph.classes() {
        let node = offers + k;
        for _ in 0..graph.class_capacity[k] {
            if search.offer_price[node] == Cost::ZERO {
                break;
            }
            search.add_place(node as u32);
        }
    }
    Solution {
        mate: search.mate,
        mate_weight: search.mate_weight,
        offer_price: search.offer_price,
        short: search.short,
    }
}

/// How the shortest path reaches the sink.
#[derive(Debug, Clone, Copy)]
enum End {
    /// An offer without a class leaves one place empty (gives up its
    /// `pred_offer` person), or a class leaves a seat empty.
    Drop(u32),
    /// A person without a place takes one at `offer` (by edge `edge`).
    Free {
        person: u32,
        offer: u32,
        edge: usize,
    },
}

/// Marks "no edge" in edge-index slots.
const NO_EDGE: usize = usize::MAX;

/// Allocation, prices and reusable Dijkstra state.
struct Search<'g> {
    graph: &'g Graph,
    mate: Vec<u32>,
    /// Weight of the person's pair (read for every held person scanned).
    mate_weight: Vec<i64>,
    /// Edge of the person's pair, or `NO_EDGE`.
    mate_edge: Vec<usize>,
    offer_price: Vec<Cost>,
    /// People each offer holds.
    held: Vec<u32>,
    /// Per offer, a rank below which every candidate is held by the offer
    /// itself: scans start there. Without it an offer with `c` places would
    /// step over its own people again for every place, `O(c²)` in all.
    open_from: Vec<usize>,
    // Dijkstra state, valid where `offer_epoch == epoch`.
    epoch: u32,
    offer_epoch: Vec<u32>,
    offer_dist: Vec<Cost>,
    /// Person the offer was reached through (the person it gives up), or
    /// `NONE` if it was reached from its class (a free place).
    pred_offer: Vec<u32>,
    /// The class an offer was reached from, or the offer a class was
    /// reached from (which hands its seat back).
    pred_node: Vec<u32>,
    /// Offer that takes the person on the current path, and by which edge;
    /// read only for persons on the path.
    pred_person: Vec<u32>,
    pred_edge: Vec<usize>,
    settled: Vec<u32>,
    /// Offers by tentative distance, ties by lower index.
    heap: BinaryHeap<Reverse<(Cost, u32)>>,
    /// Offers whose lists proved too short (see [`solve`]).
    short: Vec<u32>,
}

impl<'g> Search<'g> {
    fn new(graph: &'g Graph) -> Self {
        let offers = graph.offers();
        let nodes = offers + graph.classes();
        let persons = graph.persons();
        // Initial duals: each offer priced at its best candidate, each class
        // at its most expensive offer, v = 0.
        let mut offer_price: Vec<Cost> = (0..offers)
            .map(|o| {
                if graph.degree(o) > 0 {
                    Cost::pair(graph.weight[graph.start[o]])
                } else {
                    Cost::ZERO
                }
            })
            .collect();
        for k in 0..graph.classes() {
            let price = graph
                .members(k)
                .iter()
                .map(|&o| offer_price[o as usize])
                .max()
                .unwrap_or(Cost::ZERO)
                .max(Cost::ZERO);
            offer_price.push(price);
        }
        // An offer with places whose list is empty above its cut would be
        // priced 0 here, but at its best candidate with the whole list.
        let short = (0..offers)
            .filter(|&o| graph.degree(o) == 0 && graph.beyond[o] > 0 && graph.capacities[o] > 0)
            .map(|o| o as u32)
            .collect();
        Search {
            graph,
            mate: vec![NONE; persons],
            mate_weight: vec![0; persons],
            mate_edge: vec![NO_EDGE; persons],
            offer_price,
            held: vec![0; offers],
            open_from: vec![0; offers],
            epoch: 0,
            offer_epoch: vec![0; nodes],
            offer_dist: vec![Cost::ZERO; nodes],
            pred_offer: vec![NONE; offers],
            pred_node: vec![NONE; nodes],
            pred_person: vec![NONE; persons],
            pred_edge: vec![NO_EDGE; persons],
            settled: Vec::new(),
            heap: BinaryHeap::new(),
            short,
        }
    }

    /// Adds one place at offer `s` and re-optimises along a shortest path.
    fn add_place(&mut self, s: u32) {
        self.next_epoch();
        self.settled.clear();
        self.heap.clear();

        self.offer_epoch[s as usize] = self.epoch;
        self.offer_dist[s as usize] = Cost::ZERO;
        self.heap.push(Reverse((Cost::ZERO, s)));
        // Leaving the new place empty costs π(s) in reduced terms.
        let mut best = self.offer_price[s as usize];
        let mut end = End::Drop(s);

        while let Some(Reverse((d, o))) = self.heap.pop() {
            // The sink wins ties: stop as soon as nothing is strictly closer.
            if d >= best {
                break;
            }
            if d > self.offer_dist[o as usize] {
                continue; // stale entry
            }
            self.settled.push(o);
            // Non-negative reduced costs settle each node at most once.
            debug_assert!(
                self.settled.len() <= self.offer_dist.len(),
                "negative reduced cost"
            );
            let found = if (o as usize) < self.graph.offers() {
                self.scan(o, d, best)
            } else {
                self.scan_class(o, d, best)
            };
            if let Some(found) = found {
                (best, end) = found;
            }
        }

        for &o in &self.settled {
            let o = o as usize;
            self.offer_price[o] = self.offer_price[o] + self.offer_dist[o] - best;
        }
        self.flip(s, end);
    }

    /// Relaxes the ways on from settled offer `o` at distance `d`; returns a
    /// shorter way to the sink than `best`, if it finds one.
    fn scan(&mut self, o: u32, d: Cost, mut best: Cost) -> Option<(Cost, End)> {
        let g = self.graph;
        let ou = o as usize;
        let base = d + self.offer_price[ou];
        let mut found = None;
        let class = g.class_of[ou];
        if class == NONE {
            if base < best {
                best = base;
                found = Some((best, End::Drop(o)));
            }
        } else if self.held[ou] > 0 {
            // Hand the seat back to the class.
            let node = g.offers() + class as usize;
            let via = base - self.offer_price[node];
            self.relax_node(node, via, best, o);
        }
        // Candidates before `open` are all held by `o`; `open` moves on
        // over the ones this scan finds held right behind them.
        let from = g.start[ou] + self.open_from[ou];
        let mut open = from;
        let mut read_all = true;
        for e in from..g.start[ou + 1] {
            let p = g.person[e];
            let pu = p as usize;
            let mate = self.mate[pu];
            if mate == o {
                if e == open {
                    open += 1;
                }
                continue; // already held by `o`
            }
            let weight = g.weight[e];
            // Every way on through `p` costs at least `base − value` (v_p ≥ 0);
            // candidates come heaviest first, so once that reaches `best`, no
            // later candidate can do better either.
            let reach = base - Cost::pair(weight);
            if reach >= best {
                read_all = false;
                break;
            }
            if mate == NONE {
                best = reach;
                found = Some((
                    best,
                    End::Free {
                        person: p,
                        offer: o,
                        edge: e,
                    },
                ));
                continue;
            }
            let mu = mate as usize;
            let via = reach + Cost::pair(self.mate_weight[pu]) - self.offer_price[mu];
            if via < best && (self.offer_epoch[mu] != self.epoch || via < self.offer_dist[mu]) {
                self.offer_epoch[mu] = self.epoch;
                self.offer_dist[mu] = via;
                self.pred_offer[mu] = p;
                self.pred_node[mu] = NONE;
                self.pred_person[pu] = o;
                self.pred_edge[pu] = e;
                self.heap.push(Reverse((via, mate)));
            }
        }
        self.open_from[ou] = open - g.start[ou];
        // Past a cut lie candidates of at most `beyond` (never held): the
        // complete list would have stopped right there only if even that
        // weight cannot beat `best`.
        let beyond = g.beyond[ou];
        if read_all && beyond > 0 && base - Cost::pair(beyond) < best {
            self.short.push(o);
        }
        found
    }

    /// Relaxes class or offer `node` to distance `via`, reached from `from`
    /// (the offer handing a seat back, or the class giving a free place).
    fn relax_node(&mut self, node: usize, via: Cost, best: Cost, from: u32) {
        if via < best && (self.offer_epoch[node] != self.epoch || via < self.offer_dist[node]) {
            self.offer_epoch[node] = self.epoch;
            self.offer_dist[node] = via;
            self.pred_node[node] = from;
            if node < self.graph.offers() {
                self.pred_offer[node] = NONE;
            }
            self.heap.push(Reverse((via, node as u32)));
        }
    }

    /// The ways on from settled class node `k` at distance `d`: leave the seat
    /// empty, or give it to an offer of the class with a free place.
    fn scan_class(&mut self, k: u32, d: Cost, mut best: Cost) -> Option<(Cost, End)> {
        let g = self.graph;
        let base = d + self.offer_price[k as usize];
        let mut found = None;
        if base < best {
            best = base;
            found = Some((best, End::Drop(k)));
        }
        let class = k as usize - g.offers();
        for &o in g.members(class) {
            let ou = o as usize;
            if self.held[ou] < g.capacities[ou] {
                let via = base - self.offer_price[ou];
                self.relax_node(ou, via, best, k);
            }
        }
        found
    }

    /// Gives person `p` to offer `o` by edge `edge`, taking it from its
    /// present offer.
    fn give(&mut self, p: u32, o: u32, edge: usize) {
        let pu = p as usize;
        let old = self.mate[pu];
        if old != NONE {
            // `p` leaves `old`: its rank there may be open again.
            let rank = self.mate_edge[pu] - self.graph.start[old as usize];
            let open_from = &mut self.open_from[old as usize];
            *open_from = (*open_from).min(rank);
            self.held[old as usize] -= 1;
        }
        self.mate[pu] = o;
        self.mate_edge[pu] = edge;
        self.mate_weight[pu] = self.graph.weight[edge];
        self.held[o as usize] += 1;
    }

    /// Applies the shortest path ending in `end`, walking it back to `s`:
    /// every offer on it takes the next person, the one it held moves on; an
    /// offer handing its seat back or taking a free seat changes only its
    /// class's count.
    fn flip(&mut self, s: u32, end: End) {
        let offers = self.graph.offers();
        let mut n = match end {
            End::Free {
                person,
                offer,
                edge,
            } => {
                self.give(person, offer, edge);
                offer
            }
            End::Drop(n) => n,
        };
        let mut steps = 0;
        while n != s {
            steps += 1;
            debug_assert!(steps <= 2 * self.offer_dist.len(), "the path is a cycle");
            let nu = n as usize;
            if nu < offers && self.pred_offer[nu] != NONE {
                // Offer `n` gives up the person it was reached through.
                let q = self.pred_offer[nu];
                let qu = q as usize;
                let (to, edge) = (self.pred_person[qu], self.pred_edge[qu]);
                self.give(q, to, edge);
                n = to;
            } else {
                n = self.pred_node[nu];
            }
        }
    }

    fn next_epoch(&mut self) {
        if self.epoch == u32::MAX {
            self.offer_epoch.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
    }
}
