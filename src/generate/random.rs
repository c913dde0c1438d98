//! Randomness that is reproducible per record: every record draws from its
//! own ChaCha8 stream, chosen by the seed and the record's index, so the
//! files do not depend on which thread made which record, or in what order.

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The kinds of record, each with its own range of streams.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stream {
    Offer = 1,
    Profile = 2,
    School = 3,
}

/// The random number generator of record `index` of a kind, for a seed.
pub(super) fn record_rng(seed: u64, stream: Stream, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // 2^56 records per kind is far beyond any folder lotse can hold.
    rng.set_stream(((stream as u64) << 56) | index);
    rng
}

/// One of `items`, drawn with the given weights (all weights 0 picks the first).
pub(super) fn pick<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    items[pick_index(rng, items.iter().map(|(_, w)| *w))].0
}

/// An index drawn by the given weights (all weights 0 picks the first).
pub(super) fn pick_index(rng: &mut impl Rng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().sum();
    if total == 0 {
        return 0;
    }
    let mut roll = rng.random_range(0..total);
    for (i, w) in weights.enumerate() {
        if roll < w {
            return i;
        }
        roll -= w;
    }
    0
}

/// One entry of a table whose last field is the weight.
pub(super) fn one_weighted<'t, A, B>(
    rng: &mut impl Rng,
    table: &'t [(A, B, u32)],
) -> &'t (A, B, u32) {
    &table[pick_index(rng, table.iter().map(|t| t.2))]
}

/// One element of a non-empty slice, uniformly.
pub(super) fn one<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// True with the given percentage (0–100).
pub(super) fn chance(rng: &mut impl Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// A weighted choice among many items (e.g. the catalogue's occupations),
/// prepared once and shared by all threads.
#[derive(Debug, Clone)]
pub(super) struct Weighted {
    /// Running sums of the weights.
    cumulative: Vec<u64>,
}

impl Weighted {
    /// A table over the indexes of `weights`; `None` if no weight is positive.
    pub(super) fn new(weights: impl IntoIterator<Item = u32>) -> Option<Self> {
        let mut total = 0u64;
        let cumulative: Vec<u64> = weights
            .into_iter()
            .map(|w| {
                total += u64::from(w);
                total
            })
            .collect();
        (total > 0).then_some(Weighted { cumulative })
    }

    /// An index drawn by weight.
    pub(super) fn sample(&self, rng: &mut impl Rng) -> usize {
        let total = *self
            .cumulative
            .last()
            .expect("a weighted table is not empty");
        let roll = rng.random_range(0..total);
        self.cumulative.partition_point(|&c| c <= roll)
    }
}

/// A day drawn uniformly from `from..=to` (`from` if the range is empty).
pub(super) fn day_between(rng: &mut impl Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    from + Duration::days(rng.random_range(0..=span))
}

/// The first of January of a year.
pub(super) fn new_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date")
}

/// The date of a year, month and day (the day clamped to 28 for safety).
pub(super) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day.min(28)).expect("valid date")
}

/// `date` plus a number of days, no later than `cap`.
pub(super) fn days_after(date: NaiveDate, days: i64, cap: NaiveDate) -> NaiveDate {
    (date + Duration::days(days)).min(cap)
}

/// Years as people give them: in half years.
pub(super) fn half_years(rng: &mut impl Rng, min_halves: u32, max_halves: u32) -> f32 {
    // The smaller of two draws: short spells are more common than long ones.
    let a = rng.random_range(min_halves..=max_halves);
    let b = rng.random_range(min_halves..=max_halves);
    a.min(b) as f32 / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |seed, stream, index| {
            let mut rng = record_rng(seed, stream, index);
            (0..4).map(|_| rng.random::<u64>()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, Stream::Profile, 3), draw(7, Stream::Profile, 3));
        assert_ne!(draw(7, Stream::Profile, 3), draw(7, Stream::Profile, 4));
        assert_ne!(draw(7, Stream::Profile, 3), draw(7, Stream::Offer, 3));
        assert_ne!(draw(7, Stream::Profile, 3), draw(8, Stream::Profile, 3));
    }

    #[test]
    fn weighted_tables_follow_their_weights() {
        let table = Weighted::new([0, 3, 0, 1]).expect("positive weights");
        let mut rng = record_rng(1, Stream::Offer, 0);
        let mut counts = [0u32; 4];
        for _ in 0..4000 {
            counts[table.sample(&mut rng)] += 1;
        }
        assert_eq!((counts[0], counts[2]), (0, 0));
        assert!((2700..3300).contains(&counts[1]), "{counts:?}");
        assert!(Weighted::new([0, 0]).is_none());
        assert_eq!(pick(&mut rng, &[('a', 0), ('b', 5)]), 'b');
    }

    #[test]
    fn days_stay_in_range() {
        let mut rng = record_rng(1, Stream::Offer, 1);
        let (from, to) = (ymd(2020, 1, 1), ymd(2020, 1, 3));
        for _ in 0..100 {
            let d = day_between(&mut rng, from, to);
            assert!(from <= d && d <= to);
        }
        assert_eq!(day_between(&mut rng, to, from), to);
        assert_eq!(days_after(from, 10, to), to);
        for _ in 0..100 {
            let y = half_years(&mut rng, 1, 30);
            assert!((0.5..=15.0).contains(&y) && (y * 2.0).fract() == 0.0);
        }
    }
}
