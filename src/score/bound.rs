//! Upper bounds of scores, to rank many profiles against one target without
//! scoring every pair in full.
//!
//! [`Bounds`] holds what the scorer reads of every profile in flat arrays
//! by ordinal: compact and in order, where the resolved profiles are large
//! and scattered over the heap. [`TargetBound`] evaluates the scoring
//! function on them with the same operations in the same order as
//! [`Scorer::run`](super::Scorer), except for the distance: there it takes a
//! lower bound of the great-circle distance that needs no trigonometry per
//! pair. Every similarity is therefore at least the scorer's, and since the
//! score is a sum of rounded products of non-negative weights with them,
//! and rounding is monotone, the bound is at least the score: equal to it
//! wherever a place is unknown or the bound of the distance is exact.
//! Whether the pair is relevant (shares a skill, related experience or a
//! related interest) is computed exactly, and whether the pair is surely
//! excluded by distance or dates; other hard constraints are not looked at.

use super::{
    availability_similarity, commute_radius, distance_similarity, source_factor, Scorer, Target,
    AVAILABILITY, DISTANCE, EXPERIENCE, GERMAN, INTERESTS, SKILLS,
};
use crate::cefr::Cefr;
use crate::resolved::{experience_factor, ResolvedProfile};
use chrono::NaiveDate;

/// Earth radius in km, as [`crate::profile::Coordinates::distance_km`] takes it.
const EARTH_KM: f64 = 6371.0;

/// A place as the products the distance bound needs.
#[derive(Debug, Clone, Copy)]
struct Place {
    sin_lat: f64,
    cos_lat: f64,
    sin_lon: f64,
    cos_lon: f64,
}

impl Place {
    fn new(c: crate::profile::Coordinates) -> Self {
        let (lat, lon) = (c.lat.to_radians(), c.lon.to_radians());
        Place {
            sin_lat: lat.sin(),
            cos_lat: lat.cos(),
            sin_lon: lon.sin(),
            cos_lon: lon.cos(),
        }
    }

    /// A lower bound of the great-circle distance in km. The haversine
    /// `a = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)` is written with
    /// `sin²(x/2) = (1 − cos x)/2` and the cosines of differences as
    /// products, the distance `2R asin √a` bounded below by `2R √a`
    /// (`asin x ≥ x`); a little is taken off `a` for rounding.
    fn km_at_least(&self, other: &Place) -> f64 {
        let cos_dlat = self.cos_lat * other.cos_lat + self.sin_lat * other.sin_lat;
        let cos_dlon = self.cos_lon * other.cos_lon + self.sin_lon * other.sin_lon;
        let a = (1.0 - cos_dlat) / 2.0 + self.cos_lat * other.cos_lat * (1.0 - cos_dlon) / 2.0;
        let a = (a - 1e-12).max(0.0);
        2.0 * EARTH_KM * a.sqrt() * (1.0 - 1e-9)
    }
}

/// What the bound reads of one profile; the lists are ranges into the flat
/// arrays of [`Bounds`].
#[derive(Debug, Clone, Copy)]
struct Row {
    skills: (u32, u32),
    experience: (u32, u32),
    interests: (u32, u32),
    /// Whether the person named interests at all (else the unknown default).
    interested: bool,
    /// Consent to matching refused: never ranked.
    refused: bool,
    german: Option<Cefr>,
    home: Option<Place>,
    radius: f64,
    available_from: Option<NaiveDate>,
}

/// An occupation practised or wished for: similarity = relatedness × `factor`.
#[derive(Debug, Clone, Copy)]
struct Related {
    occupation: u32,
    factor: f64,
}

/// The facts of every profile that bound its score, by ordinal.
#[derive(Debug, Default)]
pub struct Bounds {
    /// The configuration values the factors were computed with.
    key: [u64; 4],
    rows: Vec<Row>,
    skills: Vec<(u32, f32)>,
    /// Which skills each profile has, a bit per skill, `words` words a profile.
    words: usize,
    has: Vec<u64>,
    experience: Vec<Related>,
    interests: Vec<Related>,
    refused: usize,
}

fn range(start: usize, end: usize) -> (u32, u32) {
    (start as u32, end as u32)
}

impl Bounds {
    /// The bounds of `profiles` under the scorer's configuration.
    pub fn new(scorer: &Scorer<'_>, profiles: &[ResolvedProfile]) -> Self {
        let words = scorer.catalogue.skills.len().div_ceil(64).max(1);
        let mut b = Bounds {
            key: Self::key_of(scorer),
            words,
            has: vec![0; words * profiles.len()],
            ..Bounds::default()
        };
        b.rows.reserve(profiles.len());
        for p in profiles {
            let row = b.row(scorer, p);
            b.refused += usize::from(row.refused);
            b.rows.push(row);
        }
        b
    }

    /// Whether these bounds were computed under the scorer's configuration.
    pub fn fits(&self, scorer: &Scorer<'_>) -> bool {
        self.key == Self::key_of(scorer)
    }

    fn key_of(scorer: &Scorer<'_>) -> [u64; 4] {
        let c = scorer.config;
        [
            c.experience.base.to_bits(),
            c.experience.full_years.to_bits(),
            c.uncurated.weak_factor.to_bits(),
            c.distance.default_radius_km.to_bits(),
        ]
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// How many people refused consent to matching (never ranked).
    pub fn refused(&self) -> usize {
        self.refused
    }

    fn row(&mut self, scorer: &Scorer<'_>, p: &ResolvedProfile) -> Row {
        let config = scorer.config;
        let start = self.skills.len();
        self.skills
            .extend(p.skills.iter().map(|s| (s.skill, s.strength)));
        let bits = self.rows.len() * self.words;
        for s in &p.skills {
            let (word, bit) = (s.skill as usize / 64, s.skill % 64);
            if word < self.words {
                self.has[bits + word] |= 1 << bit;
            }
        }
        let skills = range(start, self.skills.len());
        let start = self.experience.len();
        let weak = config.uncurated.weak_factor;
        self.experience.extend(
            p.occupations
                .iter()
                .map(|o| (o, source_factor(o.source)))
                .chain(p.weak_occupations.iter().map(|o| (o, weak)))
                .map(|(o, c)| Related {
                    occupation: o.occupation,
                    factor: experience_factor(o.years.map(f64::from), config)
                        * f64::from(o.confidence)
                        * c,
                }),
        );
        let experience = range(start, self.experience.len());
        let start = self.interests.len();
        self.interests.extend(
            p.interests
                .iter()
                .map(|i| (i, 1.0))
                .chain(p.weak_interests.iter().map(|i| (i, weak)))
                .map(|(i, b)| Related {
                    occupation: i.occupation,
                    factor: f64::from(i.confidence) * b,
                }),
        );
        let interests = range(start, self.interests.len());
        Row {
            skills,
            experience,
            interests,
            interested: !(p.interests.is_empty() && p.weak_interests.is_empty()),
            refused: p.consent_matching == Some(false),
            german: p.german,
            home: p.location.map(Place::new),
            radius: commute_radius(&config.distance, p.commute_km),
            available_from: p.available_from,
        }
    }
}

/// What the bound of a pair says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// At least the pair's score.
    pub score: f64,
    /// Exactly whether the pair is relevant ([`super::Quick::relevant`]).
    pub relevant: bool,
    /// The pair is surely excluded: beyond the commute radius or available
    /// too late (where not, it may still be excluded for other reasons).
    pub excluded: bool,
}

/// How much the score can exceed the unrounded sum of its contributions:
/// six contributions and the total are each rounded to 2 decimals.
const ROUNDING: f64 = 7.0 * 0.005 + 1e-6;

/// The bound of one target over [`Bounds`], with what it needs of the
/// target laid out once: per criterion its weight × 100, so that a bound is
/// the plain sum of weight × similarity (no rounding, no division per pair).
#[derive(Debug)]
pub struct TargetBound<'a> {
    scorer: Scorer<'a>,
    /// Per need, in the target's order: (skill, skills weight × 100 × need
    /// weight / sum of the need weights, 1 / required strength, whether the
    /// need weighs anything).
    needs: Vec<(u32, f64, f64, bool)>,
    experience: f64,
    interests: f64,
    /// Relatedness of every occupation to the target's.
    related: Vec<f64>,
    offer: bool,
    /// German contribution by level rank, and for an unknown level.
    german: [f64; 8],
    distance: f64,
    availability: f64,
    place: Option<Place>,
    start: Option<NaiveDate>,
}

impl<'a> TargetBound<'a> {
    pub fn new(scorer: Scorer<'a>, t: &Target) -> Self {
        let weights = scorer.weights(t).map(|w| w * 100.0);
        let max: f64 = t
            .needs
            .iter()
            .fold(0.0, |m, n| m + scorer.importance_weight(n.importance));
        let per_weight = if max > 0.0 {
            weights[SKILLS] / max
        } else {
            0.0
        };
        let needs = t
            .needs
            .iter()
            .map(|n| {
                let weight = scorer.importance_weight(n.importance);
                let required = n.required_strength();
                (n.skill, weight * per_weight, 1.0 / required, weight > 0.0)
            })
            .collect();
        let related = (0..scorer.catalogue.occupations.len() as u32)
            .map(|o| scorer.related.get(o, t.occupation))
            .collect();
        let mut german = [0.0; 8];
        for level in Cefr::ALL {
            german[usize::from(level.rank())] =
                weights[GERMAN] * scorer.german_similarity(Some(level), t.min_german).0;
        }
        german[7] = weights[GERMAN] * scorer.german_similarity(None, t.min_german).0;
        TargetBound {
            scorer,
            needs,
            experience: weights[EXPERIENCE],
            interests: weights[INTERESTS],
            related,
            offer: t.is_offer(),
            german,
            distance: weights[DISTANCE],
            availability: weights[AVAILABILITY],
            place: t.location.map(Place::new),
            start: t.start,
        }
    }

    fn related(&self, occupation: u32) -> f64 {
        self.related
            .get(occupation as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// The bound of profile `ordinal`'s score; `None` for a person who
    /// refused consent to matching.
    pub fn bound(&self, b: &Bounds, ordinal: u32) -> Option<Bound> {
        let r = &b.rows[ordinal as usize];
        if r.refused {
            return None;
        }
        let config = self.scorer.config;

        let skills = &b.skills[r.skills.0 as usize..r.skills.1 as usize];
        let has = &b.has[ordinal as usize * b.words..(ordinal as usize + 1) * b.words];
        let mut got = 0.0;
        let mut shared = false;
        for &(skill, weight, inverse, counts) in &self.needs {
            // Most needs are not among a person's skills: one bit says so.
            let (word, bit) = (skill as usize / 64, skill % 64);
            if has.get(word).is_none_or(|w| w >> bit & 1 == 0) {
                continue;
            }
            if let Ok(i) = skills.binary_search_by_key(&skill, |s| s.0) {
                let strength = skills[i].1;
                shared |= counts && strength > 0.0;
                got += weight * (f64::from(strength) * inverse).min(1.0);
            }
        }

        let mut best = 0.0;
        for e in &b.experience[r.experience.0 as usize..r.experience.1 as usize] {
            let related = self.related(e.occupation);
            if related > 0.0 {
                best = f64::max(best, related * e.factor);
            }
        }
        let experience = best.min(1.0);

        let interests = if r.interested {
            let mut best = 0.0;
            for w in &b.interests[r.interests.0 as usize..r.interests.1 as usize] {
                best = f64::max(best, self.related(w.occupation) * w.factor);
            }
            best.min(1.0)
        } else {
            config.interests_unknown
        };
        // As the scorer has it: whatever the weights of the criteria.
        let relevant = shared || experience > 0.0 || (r.interested && interests > 0.0);

        let mut sum = got
            + self.experience * experience
            + self.interests * interests
            + self.german[r.german.map_or(7, |l| usize::from(l.rank()))];
        let mut excluded = false;
        if self.offer {
            let (sim, beyond) = match (r.home, self.place) {
                (Some(home), Some(place)) => {
                    distance_similarity(&config.distance, home.km_at_least(&place), r.radius)
                }
                _ => (config.distance.unknown, false),
            };
            let (available, late) =
                availability_similarity(r.available_from, self.start, config.availability.unknown);
            sum += self.distance * sim + self.availability * available;
            excluded = beyond || late;
        }
        Some(Bound {
            // Products and sums in another order than the scorer's differ
            // from its by rounding errors far below this.
            score: sum * (1.0 + 1e-9) + ROUNDING,
            relevant,
            excluded,
        })
    }
}
