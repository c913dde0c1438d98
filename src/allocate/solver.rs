//! Successive shortest paths on a (pruned) [`Graph`]: the exact core.
//!
//! The network is `source → offer` (capacity = places), `offer → person`
//! (capacity 1, cost −value), `person → sink` (capacity 1, cost 0) and
//! `offer → sink` (unbounded, cost 0: a place left empty). With the last arc
//! every place can always be "filled", so a min-cost flow saturating all
//! `source → offer` arcs is exactly a maximum-value allocation.
//!
//! Places are added one at a time (offer by offer, like the row-by-row phase of
//! Jonker–Volgenant): adding one unit of supply at offer `s` keeps the flow of
//! minimum cost if it is sent along a shortest `s → sink` path of the residual
//! graph. Shortest paths come from Dijkstra on reduced costs
//! `c(u, v) + π(u) − π(v) ≥ 0`; the search stops as soon as the sink is
//! settled, and only the nodes it settled get new prices
//! `π(v) += d(v) − D` (`D` = distance of the sink), which keeps every reduced
//! cost non-negative and the sink's price at 0. Consequences used below:
//!
//! * `π(offer) ≥ 0` (its arc to the sink has reduced cost `π(offer)`), and it
//!   is 0 for any offer with an empty place;
//! * `π(person) ≤ 0`, and 0 for every person without a place;
//! * so `u_o = π(o)` and `v_p = value(o, p) − π(o)` (`o` = the person's offer,
//!   0 without one) are optimal LP duals — the certificate `prune` checks.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::cost::Cost;
use super::graph::{Graph, NONE};

/// An optimal allocation of a pruned graph, with its dual prices.
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

/// Solves the graph restricted to the first `limit[o]` candidates of each
/// offer `o` (its best ones, by the graph's order).
pub(crate) fn solve(graph: &Graph, limit: &[usize]) -> Solution {
    let mut search = Search::new(graph, limit);
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

/// A node of the residual graph; offers settle before persons at equal
/// distance, lower indices first (the derived order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Offer(u32),
    Person(u32),
}

/// How the shortest path reaches the sink.
#[derive(Debug, Clone, Copy)]
enum End {
    /// The offer leaves one place empty (gives up its `pred_offer` person).
    Drop(u32),
    /// A person without a place takes one at `offer`.
    Free {
        person: u32,
        offer: u32,
        weight: i64,
    },
}

/// Matching, prices and reusable Dijkstra state.
struct Search<'g> {
    graph: &'g Graph,
    limit: &'g [usize],
    mate: Vec<u32>,
    mate_weight: Vec<i64>,
    offer_price: Vec<Cost>,
    person_price: Vec<Cost>,
    // Dijkstra state, valid where `*_epoch == epoch`.
    epoch: u32,
    offer_epoch: Vec<u32>,
    person_epoch: Vec<u32>,
    offer_dist: Vec<Cost>,
    person_dist: Vec<Cost>,
    /// Person whose reverse arc reached the offer (the person it gives up).
    pred_offer: Vec<u32>,
    /// Offer whose arc reached the person, and that arc's weight.
    pred_person: Vec<u32>,
    pred_weight: Vec<i64>,
    settled_offers: Vec<u32>,
    settled_persons: Vec<u32>,
    heap: BinaryHeap<Reverse<(Cost, Node)>>,
}

impl<'g> Search<'g> {
    fn new(graph: &'g Graph, limit: &'g [usize]) -> Self {
        let offers = graph.offers();
        let persons = graph.persons();
        // Initial prices make every reduced cost non-negative: an offer is
        // priced at its best candidate's value, persons at 0.
        let offer_price = (0..offers)
            .map(|o| {
                if limit[o] > 0 {
                    Cost::pair(graph.weight[graph.start[o]])
                } else {
                    Cost::ZERO
                }
            })
            .collect();
        Search {
            graph,
            limit,
            mate: vec![NONE; persons],
            mate_weight: vec![0; persons],
            offer_price,
            person_price: vec![Cost::ZERO; persons],
            epoch: 0,
            offer_epoch: vec![0; offers],
            person_epoch: vec![0; persons],
            offer_dist: vec![Cost::ZERO; offers],
            person_dist: vec![Cost::ZERO; persons],
            pred_offer: vec![NONE; offers],
            pred_person: vec![NONE; persons],
            pred_weight: vec![0; persons],
            settled_offers: Vec::new(),
            settled_persons: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Adds one place at offer `s` and re-optimises along a shortest path.
    fn add_place(&mut self, s: u32) {
        self.next_epoch();
        self.settled_offers.clear();
        self.settled_persons.clear();
        self.heap.clear();

        self.offer_epoch[s as usize] = self.epoch;
        self.offer_dist[s as usize] = Cost::ZERO;
        self.heap.push(Reverse((Cost::ZERO, Node::Offer(s))));
        // Leaving the new place empty costs π(s) in reduced terms.
        let mut best = self.offer_price[s as usize];
        let mut end = End::Drop(s);

        while let Some(Reverse((d, node))) = self.heap.pop() {
            // The sink wins ties: stop as soon as nothing is strictly closer.
            if d >= best {
                break;
            }
            match node {
                Node::Offer(o) => {
                    if d > self.offer_dist[o as usize] {
                        continue;
                    }
                    self.settled_offers.push(o);
                    if let Some(found) = self.scan_offer(o, d, best) {
                        (best, end) = found;
                    }
                }
                Node::Person(p) => {
                    if d > self.person_dist[p as usize] {
                        continue;
                    }
                    self.settled_persons.push(p);
                    self.scan_person(p, d, best);
                }
            }
        }

        for &o in &self.settled_offers {
            let o = o as usize;
            self.offer_price[o] = self.offer_price[o] + self.offer_dist[o] - best;
        }
        for &p in &self.settled_persons {
            let p = p as usize;
            self.person_price[p] = self.person_price[p] + self.person_dist[p] - best;
        }
        self.flip(s, end);
    }

    /// Relaxes the arcs out of settled offer `o`; returns a shorter way to the
    /// sink than `best`, if it finds one.
    fn scan_offer(&mut self, o: u32, d: Cost, mut best: Cost) -> Option<(Cost, End)> {
        let g = self.graph;
        let base = d + self.offer_price[o as usize];
        let mut found = None;
        if base < best {
            best = base;
            found = Some((best, End::Drop(o)));
        }
        let first = g.start[o as usize];
        for e in first..first + self.limit[o as usize] {
            let p = g.person[e];
            let pu = p as usize;
            let mate = self.mate[pu];
            if mate == o {
                continue; // saturated arc
            }
            let weight = g.weight[e];
            let nd = base - self.person_price[pu] - Cost::pair(weight);
            if nd >= best {
                continue;
            }
            if mate == NONE {
                // A free person's arc to the sink has reduced cost 0.
                best = nd;
                found = Some((
                    best,
                    End::Free {
                        person: p,
                        offer: o,
                        weight,
                    },
                ));
            } else if self.person_epoch[pu] != self.epoch || nd < self.person_dist[pu] {
                self.person_epoch[pu] = self.epoch;
                self.person_dist[pu] = nd;
                self.pred_person[pu] = o;
                self.pred_weight[pu] = weight;
                self.heap.push(Reverse((nd, Node::Person(p))));
            }
        }
        found
    }

    /// Relaxes the reverse arc of settled person `p` to the offer holding it.
    fn scan_person(&mut self, p: u32, d: Cost, best: Cost) {
        let pu = p as usize;
        let o = self.mate[pu];
        let ou = o as usize;
        let nd =
            d + Cost::pair(self.mate_weight[pu]) + self.person_price[pu] - self.offer_price[ou];
        if nd < best && (self.offer_epoch[ou] != self.epoch || nd < self.offer_dist[ou]) {
            self.offer_epoch[ou] = self.epoch;
            self.offer_dist[ou] = nd;
            self.pred_offer[ou] = p;
            self.heap.push(Reverse((nd, Node::Offer(o))));
        }
    }

    /// Applies the shortest path ending in `end`: every offer on it takes the
    /// next person, the one it held moves on.
    fn flip(&mut self, s: u32, end: End) {
        let (mut p, mut o, mut weight) = match end {
            End::Free {
                person,
                offer,
                weight,
            } => (person, offer, weight),
            // The new place simply stays empty.
            End::Drop(o) if o == s => return,
            // Offer `o` gives up the person it was reached through.
            End::Drop(o) => {
                let q = self.pred_offer[o as usize];
                let qu = q as usize;
                (q, self.pred_person[qu], self.pred_weight[qu])
            }
        };
        loop {
            self.mate[p as usize] = o;
            self.mate_weight[p as usize] = weight;
            if o == s {
                return;
            }
            let q = self.pred_offer[o as usize];
            let qu = q as usize;
            (p, o, weight) = (q, self.pred_person[qu], self.pred_weight[qu]);
        }
    }

    fn next_epoch(&mut self) {
        if self.epoch == u32::MAX {
            self.offer_epoch.fill(0);
            self.person_epoch.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
    }
}
