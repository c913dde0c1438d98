//! Path lengths and prices ordered lexicographically: weight first, then the
//! number of pairs.
//!
//! The solver maximises `(total weight, number of pairs)` lexicographically, so
//! that among allocations of equal weight the one placing more people wins.
//! Carrying the two parts side by side (instead of scaling weights by a large
//! factor and adding 1) keeps the arithmetic exact without any headroom
//! argument: the pairs form an ordered abelian group, which is all that
//! Dijkstra with potentials needs.

use std::ops::{Add, Sub};

/// A value `(weight, pairs)` compared lexicographically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cost {
    /// Sum of edge weights; compared first, so the field order matters.
    weight: i64,
    /// Number of pairs; breaks ties in `weight`.
    pairs: i64,
}

impl Cost {
    pub(crate) const ZERO: Cost = Cost {
        weight: 0,
        pairs: 0,
    };

    /// The value of choosing one pair of the given weight.
    pub(crate) fn pair(weight: i64) -> Cost {
        Cost { weight, pairs: 1 }
    }
}

impl Add for Cost {
    type Output = Cost;
    fn add(self, rhs: Cost) -> Cost {
        Cost {
            weight: self.weight + rhs.weight,
            pairs: self.pairs + rhs.pairs,
        }
    }
}

impl Sub for Cost {
    type Output = Cost;
    fn sub(self, rhs: Cost) -> Cost {
        Cost {
            weight: self.weight - rhs.weight,
            pairs: self.pairs - rhs.pairs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cost;

    #[test]
    fn weight_decides_before_pairs() {
        let one_heavy = Cost::pair(10);
        let two_light = Cost::pair(5) + Cost::pair(5);
        let two_lighter = Cost::pair(4) + Cost::pair(5);
        assert!(two_light > one_heavy, "equal weight: more pairs win");
        assert!(
            two_lighter < one_heavy,
            "less weight loses despite more pairs"
        );
        assert_eq!(two_light - Cost::pair(5), Cost::pair(5));
    }
}
