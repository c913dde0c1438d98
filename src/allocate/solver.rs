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
    /// Price of each offer: the LP dual `u_o ≥ 0`.
    pub offer_price: Vec<Cost>,
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
pub(crate) fn solve(graph: &Graph) -> Solution {
    let mut search = Search::new(graph);
    for o in 0..graph.offers() {
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
    Solution {
        mate: search.mate,
        mate_weight: search.mate_weight,
        offer_price: search.offer_price,
    }
}

/// How the shortest path reaches the sink.
#[derive(Debug, Clone, Copy)]
enum End {
    /// The offer leaves one place empty (gives up its `pred_offer` person).
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
    /// Per offer, a rank below which every candidate is held by the offer
    /// itself: scans start there. Without it an offer with `c` places would
    /// step over its own people again for every place, `O(c²)` in all.
    open_from: Vec<usize>,
    // Dijkstra state, valid where `offer_epoch == epoch`.
    epoch: u32,
    offer_epoch: Vec<u32>,
    offer_dist: Vec<Cost>,
    /// Person the offer was reached through (the person it gives up).
    pred_offer: Vec<u32>,
    /// Offer that takes the person on the current path, and by which edge;
    /// read only for persons on the path.
    pred_person: Vec<u32>,
    pred_edge: Vec<usize>,
    settled: Vec<u32>,
    /// Offers by tentative distance, ties by lower index.
    heap: BinaryHeap<Reverse<(Cost, u32)>>,
}

impl<'g> Search<'g> {
    fn new(graph: &'g Graph) -> Self {
        let offers = graph.offers();
        let persons = graph.persons();
        // Initial duals: each offer priced at its best candidate, v = 0.
        let offer_price = (0..offers)
            .map(|o| {
                if graph.degree(o) > 0 {
                    Cost::pair(graph.weight[graph.start[o]])
                } else {
                    Cost::ZERO
                }
            })
            .collect();
        Search {
            graph,
            mate: vec![NONE; persons],
            mate_weight: vec![0; persons],
            mate_edge: vec![NO_EDGE; persons],
            offer_price,
            open_from: vec![0; offers],
            epoch: 0,
            offer_epoch: vec![0; offers],
            offer_dist: vec![Cost::ZERO; offers],
            pred_offer: vec![NONE; offers],
            pred_person: vec![NONE; persons],
            pred_edge: vec![NO_EDGE; persons],
            settled: Vec::new(),
            heap: BinaryHeap::new(),
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
            // Non-negative reduced costs settle each offer at most once.
            debug_assert!(
                self.settled.len() <= self.graph.offers(),
                "negative reduced cost"
            );
            if let Some(found) = self.scan(o, d, best) {
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
        if base < best {
            best = base;
            found = Some((best, End::Drop(o)));
        }
        // Candidates before `open` are all held by `o`; `open` moves on
        // over the ones this scan finds held right behind them.
        let from = g.start[ou] + self.open_from[ou];
        let mut open = from;
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
                self.pred_person[pu] = o;
                self.pred_edge[pu] = e;
                self.heap.push(Reverse((via, mate)));
            }
        }
        self.open_from[ou] = open - g.start[ou];
        found
    }

    /// Applies the shortest path ending in `end`: every offer on it takes the
    /// next person, the one it held moves on.
    fn flip(&mut self, s: u32, end: End) {
        let (mut p, mut o, mut edge) = match end {
            End::Free {
                person,
                offer,
                edge,
            } => (person, offer, edge),
            // The new place simply stays empty.
            End::Drop(o) if o == s => return,
            // Offer `o` gives up the person it was reached through.
            End::Drop(o) => {
                let q = self.pred_offer[o as usize];
                let qu = q as usize;
                (q, self.pred_person[qu], self.pred_edge[qu])
            }
        };
        let mut steps = 0;
        loop {
            steps += 1;
            debug_assert!(steps <= self.graph.offers(), "the path is a cycle");
            let pu = p as usize;
            let old = self.mate[pu];
            if old != NONE {
                // `p` leaves `old`: its rank there may be open again.
                let rank = self.mate_edge[pu] - self.graph.start[old as usize];
                let open_from = &mut self.open_from[old as usize];
                *open_from = (*open_from).min(rank);
            }
            self.mate[pu] = o;
            self.mate_edge[pu] = edge;
            self.mate_weight[pu] = self.graph.weight[edge];
            if o == s {
                return;
            }
            let q = self.pred_offer[o as usize];
            let qu = q as usize;
            (p, o, edge) = (q, self.pred_person[qu], self.pred_edge[qu]);
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
