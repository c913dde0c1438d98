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
    availability_similarity, commute_radius, distance_similarity, permit_short, source_factor,
    total, Quick, Scorer, Target, AVAILABILITY, DISTANCE, EXPERIENCE, GERMAN, INTERESTS, SKILLS,
};
use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::Coordinates;
use crate::resolved::{experience_factor, ResolvedProfile};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Up to this many distinct home places, a target computes the distance to
/// each once instead of once per pair.
const PLACE_TABLE_UP_TO: usize = 4096;

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

/// What the scorer reads of one profile; the lists are ranges into the
/// flat arrays of [`Bounds`].
#[derive(Debug, Clone, Copy)]
struct Row {
    skills: (u32, u32),
    experience: (u32, u32),
    interests: (u32, u32),
    /// Whether the person named interests at all (else the unknown default).
    interested: bool,
    /// Consent to matching refused: never ranked.
    refused: bool,
    /// No work permit at all.
    not_allowed: bool,
    german: Option<Cefr>,
    /// Index of the home into the distinct places of [`Bounds`].
    home: Option<u32>,
    radius: f64,
    available_from: Option<NaiveDate>,
    /// The driving licences held, a bit per class of [`DrivingLicence::ALL`].
    licences: u16,
    residence: ResidenceStatus,
    permit_valid_until: Option<NaiveDate>,
}

/// An occupation practised or wished for. The similarity is relatedness ×
/// `factor` up to rounding; exactly, as the scorer multiplies, relatedness
/// × `years` × `confidence` × `source` (experience) or relatedness ×
/// `confidence` × `source` (interests, `years` 1).
#[derive(Debug, Clone, Copy)]
struct Related {
    occupation: u32,
    factor: f64,
    years: f64,
    confidence: f64,
    source: f64,
}

impl Related {
    fn exact(&self, related: f64) -> f64 {
        related * self.years * self.confidence * self.source
    }

    fn interest(&self, related: f64) -> f64 {
        related * self.confidence * self.source
    }
}

fn licence_bit(l: DrivingLicence) -> u16 {
    let i = DrivingLicence::ALL
        .iter()
        .position(|&x| x == l)
        .unwrap_or_default();
    1 << i
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
    /// The distinct home places, and their sines and cosines.
    places: Vec<Coordinates>,
    trig: Vec<Place>,
    /// Each profile's rank in the order of ids (ties in a ranking go by id).
    id_rank: Vec<u32>,
    /// Who has each skill, with the strength.
    skilled: Postings<f32>,
    /// Who practised each occupation, and who wishes for it (named
    /// interests only).
    practised: Postings<()>,
    wished: Postings<()>,
}

/// Profiles by concept, each with a value: those of concept `c` are
/// `list[starts[c]..starts[c + 1]]`, as `(ordinal, value)` by ordinal.
#[derive(Debug, Default)]
struct Postings<T> {
    list: Vec<(u32, T)>,
    starts: Vec<u32>,
}

impl<T: Copy + Default> Postings<T> {
    /// From `(concept, ordinal, value)` in the order of ordinals; concepts
    /// from `concepts` on are left out.
    fn new(concepts: usize, entries: impl Iterator<Item = (u32, u32, T)> + Clone) -> Self {
        let mut starts = vec![0u32; concepts + 1];
        for (c, _, _) in entries.clone() {
            if let Some(n) = starts.get_mut(c as usize + 1) {
                *n += 1;
            }
        }
        for c in 0..concepts {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut list = vec![(0, T::default()); starts[concepts] as usize];
        for (c, o, value) in entries {
            if let Some(at) = next.get_mut(c as usize) {
                list[*at as usize] = (o, value);
                *at += 1;
            }
        }
        Postings { list, starts }
    }

    /// The entries of concept `c` with an ordinal in `start..end`.
    /// `cursor` is where the last call for this concept ended (`u32::MAX`
    /// at first): where blocks follow each other the entries are found by
    /// walking on from there rather than searched for.
    fn within(&self, c: u32, start: u32, end: u32, cursor: &mut u32) -> &[(u32, T)] {
        let (Some(&from), Some(&to)) =
            (self.starts.get(c as usize), self.starts.get(c as usize + 1))
        else {
            return &[];
        };
        let (from, to) = (from as usize, to as usize);
        let list = &self.list;
        let mut first = *cursor as usize;
        if first < from || first > to || (first > from && list[first - 1].0 >= start) {
            first = from + list[from..to].partition_point(|p| p.0 < start);
        }
        while first < to && list[first].0 < start {
            first += 1;
        }
        let mut last = first;
        while last < to && list[last].0 < end {
            last += 1;
        }
        *cursor = last as u32;
        &list[first..last]
    }
}

/// Where the postings a target reads were left at the last block, one
/// position per needed skill and two per related occupation (see
/// [`TargetBound::skills_of_block`]); one per list in the making.
#[derive(Debug, Clone, Default)]
pub struct Cursors(Vec<u32>);

impl Cursors {
    /// Back to the start, for `kernel`.
    pub fn reset(&mut self, kernel: &TargetBound) {
        self.0.clear();
        self.0.resize(
            kernel.exact.needs.len() + 2 * kernel.exact.related.len(),
            u32::MAX,
        );
    }
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
        let mut places: HashMap<(u64, u64), u32> = HashMap::new();
        for p in profiles {
            let home = p.location.map(|c| {
                *places
                    .entry((c.lat.to_bits(), c.lon.to_bits()))
                    .or_insert_with(|| {
                        b.places.push(c);
                        b.trig.push(Place::new(c));
                        (b.places.len() - 1) as u32
                    })
            });
            let row = b.row(scorer, p, home);
            b.refused += usize::from(row.refused);
            b.rows.push(row);
        }
        let mut by_id: Vec<u32> = (0..profiles.len() as u32).collect();
        by_id.sort_unstable_by(|&x, &y| profiles[x as usize].id.cmp(&profiles[y as usize].id));
        b.id_rank = vec![0; profiles.len()];
        for (rank, &o) in by_id.iter().enumerate() {
            b.id_rank[o as usize] = rank as u32;
        }
        let rows = &b.rows;
        let skilled = Postings::new(
            scorer.catalogue.skills.len(),
            rows.iter().enumerate().flat_map(|(o, r)| {
                b.skills[r.skills.0 as usize..r.skills.1 as usize]
                    .iter()
                    .map(move |&(skill, strength)| (skill, o as u32, strength))
            }),
        );
        let occupations = scorer.catalogue.occupations.len();
        let of = |list: &'_ [Related], range: fn(&Row) -> (u32, u32), named: bool| {
            Postings::new(
                occupations,
                rows.iter()
                    .enumerate()
                    .filter(move |(_, r)| !named || r.interested)
                    .flat_map(move |(o, r)| {
                        let (from, to) = range(r);
                        list[from as usize..to as usize]
                            .iter()
                            .map(move |e| (e.occupation, o as u32, ()))
                    }),
            )
        };
        let practised = of(&b.experience, |r| r.experience, false);
        let wished = of(&b.interests, |r| r.interests, true);
        b.skilled = skilled;
        b.practised = practised;
        b.wished = wished;
        b
    }

    /// Profile `ordinal`'s rank in the order of ids: ranking by it breaks
    /// ties as ranking by id does.
    pub fn id_rank(&self, ordinal: u32) -> u32 {
        self.id_rank[ordinal as usize]
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

    fn row(&mut self, scorer: &Scorer<'_>, p: &ResolvedProfile, home: Option<u32>) -> Row {
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
                .map(|(o, c)| {
                    let years = experience_factor(o.years.map(f64::from), config);
                    Related {
                        occupation: o.occupation,
                        factor: years * f64::from(o.confidence) * c,
                        years,
                        confidence: f64::from(o.confidence),
                        source: c,
                    }
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
                    years: 1.0,
                    confidence: f64::from(i.confidence),
                    source: b,
                }),
        );
        let interests = range(start, self.interests.len());
        Row {
            skills,
            experience,
            interests,
            interested: !(p.interests.is_empty() && p.weak_interests.is_empty()),
            refused: p.consent_matching == Some(false),
            not_allowed: p.work_permit == WorkPermit::NotAllowed,
            german: p.german,
            home,
            radius: commute_radius(&config.distance, p.commute_km),
            available_from: p.available_from,
            licences: p.licences.iter().fold(0, |m, &l| m | licence_bit(l)),
            residence: p.residence,
            permit_valid_until: p.permit_valid_until,
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

/// Whether a score whose weighted sum of similarities is at most `sum`
/// surely lies below `floor` once rounded (sums in another order than the
/// scorer's differ from its by rounding errors far below the margin).
fn below(sum: f64, floor: f64) -> bool {
    sum * 100.0 * (1.0 + 1e-9) + ROUNDING < floor
}

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
    exact: Exact,
}

/// What the exact score of a target needs beyond the bound's.
#[derive(Debug)]
struct Exact {
    weights: [f64; 6],
    /// Per need, in the target's order: (skill, need weight, required strength).
    needs: Vec<(u32, f64, f64)>,
    /// The sum of the need weights.
    max: f64,
    /// German similarity by level rank, and for an unknown level.
    german: [f64; 8],
    location: Option<Coordinates>,
    /// The distance to every home place of [`Bounds`], where they are few.
    km: Vec<f64>,
    /// Per licence required by an offer, the classes that cover it.
    licences: Vec<u16>,
    /// An offer that requires a work permit.
    permit: bool,
    /// A training place whose run requires residence for all of it: the
    /// training's last day.
    training: Option<Option<NaiveDate>>,
    /// The occupations related to the target's.
    related: Vec<u32>,
    /// The most the criteria after skills can add to the weighted sum
    /// (weights × their highest similarity), and what is left of it once
    /// experience is known: [`TargetBound::finish`] drops a profile as
    /// soon as even that cannot lift it to the floor.
    after_skills: f64,
    after_experience: f64,
}

impl<'a> TargetBound<'a> {
    /// The bound and the exact score of `t` over `bounds`.
    pub fn new(scorer: Scorer<'a>, t: &Target, bounds: &Bounds) -> Self {
        let unscaled = scorer.weights(t);
        let weights = unscaled.map(|w| w * 100.0);
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
        let related: Vec<f64> = (0..scorer.catalogue.occupations.len() as u32)
            .map(|o| scorer.related.get(o, t.occupation))
            .collect();
        let mut german = [0.0; 8];
        for level in Cefr::ALL {
            german[usize::from(level.rank())] =
                weights[GERMAN] * scorer.german_similarity(Some(level), t.min_german).0;
        }
        german[7] = weights[GERMAN] * scorer.german_similarity(None, t.min_german).0;
        let offer = t.is_offer();
        let mut exact = Exact {
            weights: unscaled,
            needs: t
                .needs
                .iter()
                .map(|n| {
                    let weight = scorer.importance_weight(n.importance);
                    (n.skill, weight, n.required_strength())
                })
                .collect(),
            max,
            german: [0.0; 8],
            location: t.location,
            km: Vec::new(),
            licences: t
                .licences
                .iter()
                .filter(|_| offer)
                .map(|&l| {
                    DrivingLicence::ALL
                        .iter()
                        .filter(|h| h.covers(l))
                        .fold(0, |m, &h| m | licence_bit(h))
                })
                .collect(),
            permit: offer && t.work_permit_required,
            training: (t.training_place
                && scorer.config.training_period.require_permit_for_training)
                .then(|| scorer.training_end(t)),
            related: (0..related.len() as u32)
                .filter(|&o| related[o as usize] > 0.0)
                .collect(),
            after_skills: 0.0,
            after_experience: 0.0,
        };
        for level in Cefr::ALL {
            exact.german[usize::from(level.rank())] =
                scorer.german_similarity(Some(level), t.min_german).0;
        }
        exact.german[7] = scorer.german_similarity(None, t.min_german).0;
        // The highest similarity of every criterion after skills (what the
        // scorer gives where a fact is unknown included).
        let config = scorer.config;
        let mut highest = [0.0f64; 6];
        highest[EXPERIENCE] = 1.0;
        highest[INTERESTS] = config.interests_unknown.max(1.0);
        highest[GERMAN] = exact.german.iter().fold(0.0, |m, &g| f64::max(m, g));
        highest[DISTANCE] = config.distance.unknown.max(1.0);
        highest[AVAILABILITY] = config.availability.unknown.max(1.0);
        let most = |i: usize| unscaled[i].max(0.0) * highest[i];
        exact.after_experience =
            most(GERMAN) + most(INTERESTS) + most(DISTANCE) + most(AVAILABILITY);
        exact.after_skills = most(EXPERIENCE) + exact.after_experience;
        if let (true, Some(place)) = (bounds.places.len() <= PLACE_TABLE_UP_TO, t.location) {
            exact.km = bounds.places.iter().map(|h| h.distance_km(place)).collect();
        }
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
            exact,
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
                (Some(home), Some(place)) => distance_similarity(
                    &config.distance,
                    b.trig[home as usize].km_at_least(&place),
                    r.radius,
                ),
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

    /// The exact numbers of profile `ordinal`, as [`Scorer::quick`] gives
    /// them for the profile: the same operations in the same order on the
    /// compact copy. `None` for a person who refused consent to matching,
    /// and with `relevant_only` for a pair that is not relevant.
    pub fn quick(&self, b: &Bounds, ordinal: u32, relevant_only: bool) -> Option<Quick> {
        let r = &b.rows[ordinal as usize];
        let skills = &b.skills[r.skills.0 as usize..r.skills.1 as usize];
        let has = &b.has[ordinal as usize * b.words..(ordinal as usize + 1) * b.words];
        let mut got = 0.0;
        for &(skill, weight, required) in &self.exact.needs {
            let (word, bit) = (skill as usize / 64, skill % 64);
            if has.get(word).is_none_or(|w| w >> bit & 1 == 0) {
                continue;
            }
            if let Ok(i) = skills.binary_search_by_key(&skill, |s| s.0) {
                got += Self::met(weight, skills[i].1, required);
            }
        }
        self.finish(b, ordinal, got, relevant_only, f64::NEG_INFINITY)
    }

    /// What evidence of `strength` adds to the skills met, for a need of
    /// `weight` that `required` meets in full.
    fn met(weight: f64, strength: f32, required: f64) -> f64 {
        weight * (f64::from(strength) / required).min(1.0)
    }

    /// The skills met by the profiles `start..start + got.len()`, added to
    /// `got` (zero where nothing is met), need by need in the target's
    /// order as the scorer adds them: through the postings of the needed
    /// skills, not the profiles' lists.
    /// Blocks are taken in ascending order with the same `cursors`
    /// ([`Cursors::reset`] for this target first).
    pub fn skills_of_block(&self, b: &Bounds, start: u32, got: &mut [f64], cursors: &mut Cursors) {
        let end = start + got.len() as u32;
        for (&(skill, weight, required), cursor) in self.exact.needs.iter().zip(&mut cursors.0) {
            for &(o, strength) in b.skilled.within(skill, start, end, cursor) {
                got[(o - start) as usize] += Self::met(weight, strength, required);
            }
        }
    }

    /// Marks the profiles `start..start + marks.len()` that may be relevant
    /// for reasons other than skills (see [`TargetBound::skills_of_block`]):
    /// they practised or wish for an occupation related to the target's.
    pub fn related_of_block(
        &self,
        b: &Bounds,
        start: u32,
        marks: &mut [bool],
        cursors: &mut Cursors,
    ) {
        let end = start + marks.len() as u32;
        let cursors = cursors.0[self.exact.needs.len()..].chunks_exact_mut(2);
        for (&occupation, cursor) in self.exact.related.iter().zip(cursors) {
            for (postings, cursor) in [&b.practised, &b.wished].into_iter().zip(cursor) {
                for &(o, ()) in postings.within(occupation, start, end, cursor) {
                    marks[(o - start) as usize] = true;
                }
            }
        }
    }

    /// [`TargetBound::quick`] of a profile whose met skills (see
    /// [`TargetBound::skills_of_block`]) are `got`, where the score is at
    /// least `floor`; `None` also where it surely lies below (the
    /// similarities, weighted and summed, bound the rounded score as
    /// [`TargetBound::bound`] does).
    pub fn finish(
        &self,
        b: &Bounds,
        ordinal: u32,
        got: f64,
        relevant_only: bool,
        floor: f64,
    ) -> Option<Quick> {
        let x = &self.exact;
        let mut sims = [0.0; 6];
        sims[SKILLS] = if x.max > 0.0 { got / x.max } else { 0.0 };
        // Most profiles of a long index end here, before their row is read.
        let skilled = x.weights[SKILLS] * sims[SKILLS];
        if below(skilled + x.after_skills, floor) {
            return None;
        }
        let r = &b.rows[ordinal as usize];
        if r.refused {
            return None;
        }
        let config = self.scorer.config;

        let mut best: f64 = 0.0;
        for e in &b.experience[r.experience.0 as usize..r.experience.1 as usize] {
            let related = self.related(e.occupation);
            if related > 0.0 {
                best = best.max(e.exact(related));
            }
        }
        sims[EXPERIENCE] = best.min(1.0);
        if below(
            skilled + x.weights[EXPERIENCE] * sims[EXPERIENCE] + x.after_experience,
            floor,
        ) {
            return None;
        }

        sims[INTERESTS] = if r.interested {
            let mut best: f64 = 0.0;
            for w in &b.interests[r.interests.0 as usize..r.interests.1 as usize] {
                best = best.max(w.interest(self.related(w.occupation)));
            }
            best.min(1.0)
        } else {
            config.interests_unknown
        };
        let relevant =
            sims[SKILLS] > 0.0 || sims[EXPERIENCE] > 0.0 || (r.interested && sims[INTERESTS] > 0.0);
        if relevant_only && !relevant {
            return None;
        }

        sims[GERMAN] = x.german[r.german.map_or(7, |l| usize::from(l.rank()))];
        let mut excluded = false;
        if self.offer {
            let (sim, beyond) = match (r.home, x.location) {
                (Some(home), Some(place)) => {
                    let km = match x.km.get(home as usize) {
                        Some(&km) => km,
                        None => b.places[home as usize].distance_km(place),
                    };
                    distance_similarity(&config.distance, km, r.radius)
                }
                _ => (config.distance.unknown, false),
            };
            let (available, late) =
                availability_similarity(r.available_from, self.start, config.availability.unknown);
            sims[DISTANCE] = sim;
            sims[AVAILABILITY] = available;
            excluded = beyond || late;
        }
        let w = &x.weights;
        let sum: f64 = (0..6).map(|i| w[i] * sims[i]).sum();
        if below(sum, floor) {
            return None;
        }
        excluded |= x.permit && r.not_allowed;
        excluded |= x.licences.iter().any(|&m| r.licences & m == 0);
        if let Some(end) = x.training {
            excluded |= permit_short(r.residence, r.permit_valid_until, end);
        }
        Some(Quick {
            score: total(&x.weights, &sims),
            excluded,
            relevant,
        })
    }
}
