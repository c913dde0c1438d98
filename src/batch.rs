//! Batch runs: every profile against every offer, in parallel, keeping the
//! best candidates per offer and the best offers per person without holding
//! all pairs; optionally the exact optimal allocation under the offers'
//! capacities.

use crate::allocate::{self, Edge, Problem};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileIndex;
use crate::rank::{rank_profiles, select, Scope};
use crate::resolved::ResolvedProfile;
use crate::score::{Quick, Target};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// What to compute.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Candidates kept per offer and offers kept per person.
    pub top: usize,
    /// Also compute the optimal allocation.
    pub assign: bool,
    /// Also rank the offers of every person (a second pass over all
    /// people; outputs that show only the allocation skip it).
    pub per_person: bool,
}

/// A scored pair as batch output shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub offer: String,
    pub profile: String,
    pub score: f64,
    pub excluded: bool,
}

/// The best candidates of one offer.
#[derive(Debug, Clone, Serialize)]
pub struct OfferList {
    pub offer: String,
    pub places: u32,
    pub candidates: Vec<Pair>,
}

/// The best offers of one person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonList {
    pub profile: String,
    pub offers: Vec<Pair>,
}

/// One allocated place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub offer: String,
    pub profile: String,
    pub score: f64,
}

/// Places an offer could not fill, and why.
#[derive(Debug, Clone, Serialize)]
pub struct EmptyPlaces {
    pub offer: String,
    pub empty: u32,
    pub reason: String,
}

/// The optimal allocation and its summary.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub placements: Vec<Placement>,
    pub places: u64,
    pub filled: u64,
    pub mean_score: f64,
    pub total_score: f64,
    pub empty: Vec<EmptyPlaces>,
    /// People with at least one admissible offer who got none.
    pub unplaced: Vec<String>,
    /// People without any admissible offer (excluded everywhere or no score).
    pub without_option: usize,
}

/// Everything a batch run computed.
#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub offers: Vec<OfferList>,
    pub people: Vec<PersonList>,
    pub assignment: Option<Assignment>,
}

/// Runs the batch. `progress` is called with the number of offers and
/// people done so far (from worker threads).
pub fn run(
    engine: &Engine,
    index: &ProfileIndex,
    options: BatchOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch> {
    let targets: Vec<&Target> = engine.offers.iter().flatten().collect();
    let total_places: usize = targets.iter().map(|t| t.places as usize).sum();
    // For the allocation each offer keeps its best candidates up to the total
    // number of places: a pair beyond that can be exchanged for a free
    // candidate of the same offer without loss, so the optimum is kept.
    let keep = if options.assign {
        options.top.max(total_places)
    } else {
        options.top
    };
    let profiles = index.profiles();

    let ranked: Vec<Vec<(Quick, u32)>> = targets
        .par_iter()
        .map(|t| {
            let r = rank_profiles(engine, index, t, keep.max(1), Scope::Relevant);
            progress(1);
            r
        })
        .collect::<Result<_>>()?;

    let offers: Vec<OfferList> = targets
        .iter()
        .zip(&ranked)
        .map(|(t, r)| OfferList {
            offer: t.id.clone(),
            places: t.places,
            candidates: select(r.iter().map(|(q, o)| (*q, *o)).collect(), options.top)
                .into_iter()
                .map(|(q, o)| pair(t, &profiles[o as usize], q))
                .collect(),
        })
        .collect();

    let people = if options.per_person {
        best_offers_per_person(engine, profiles, &targets, options.top, progress)
    } else {
        Vec::new()
    };

    let assignment = if options.assign {
        Some(assign(&targets, profiles, &ranked)?)
    } else {
        None
    };
    Ok(Batch {
        offers,
        people,
        assignment,
    })
}

fn pair(t: &Target, p: &ResolvedProfile, q: Quick) -> Pair {
    Pair {
        offer: t.id.clone(),
        profile: p.id.clone(),
        score: q.score,
        excluded: q.excluded,
    }
}

/// The best offers of every person among the offers sharing a concept with
/// them (a skill the offer needs, an occupation or interest related to it).
fn best_offers_per_person(
    engine: &Engine,
    profiles: &[ResolvedProfile],
    targets: &[&Target],
    top: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<PersonList> {
    let n_occ = engine.occupations.len();
    let n_skills = engine.catalogue.skills.len();
    // Inverted lists: which offers need a skill, which offers an occupation relates to.
    let mut by_skill: Vec<Vec<u32>> = vec![Vec::new(); n_skills];
    let mut by_occupation: Vec<Vec<u32>> = vec![Vec::new(); n_occ];
    for (i, t) in targets.iter().enumerate() {
        for need in &t.needs {
            by_skill[need.skill as usize].push(i as u32);
        }
        for (o, list) in by_occupation.iter_mut().enumerate() {
            if engine.related.get(o as u32, t.occupation) > 0.0 {
                list.push(i as u32);
            }
        }
    }
    let scorer = engine.scorer();
    let chunk = 1024;
    profiles
        .par_chunks(chunk)
        .flat_map_iter(|ps| {
            let lists: Vec<PersonList> = ps
                .iter()
                .map(|p| {
                    let mut seen: HashSet<u32> = HashSet::new();
                    let occupations = p
                        .occupations
                        .iter()
                        .map(|o| o.occupation)
                        .chain(p.interests.iter().map(|i| i.occupation));
                    for o in occupations {
                        seen.extend(by_occupation.get(o as usize).into_iter().flatten());
                    }
                    for s in &p.skills {
                        seen.extend(by_skill.get(s.skill as usize).into_iter().flatten());
                    }
                    let scored: Vec<(Quick, (&str, u32))> = seen
                        .iter()
                        .map(|&i| {
                            (
                                scorer.quick(p, targets[i as usize]),
                                (targets[i as usize].id.as_str(), i),
                            )
                        })
                        .filter(|(q, _)| q.relevant)
                        .collect();
                    let chosen = select(scored, top);
                    PersonList {
                        profile: p.id.clone(),
                        offers: chosen
                            .into_iter()
                            .map(|(q, (_, i))| pair(targets[i as usize], p, q))
                            .collect(),
                    }
                })
                .collect();
            progress(ps.len() as u64);
            lists
        })
        .collect()
}

/// The exact optimal allocation over the kept candidates.
fn assign(
    targets: &[&Target],
    profiles: &[ResolvedProfile],
    ranked: &[Vec<(Quick, u32)>],
) -> Result<Assignment> {
    let mut edges = Vec::new();
    for (o, list) in ranked.iter().enumerate() {
        for (q, p) in list {
            let weight = (q.score * 100.0).round() as i64;
            if !q.excluded && weight >= 1 {
                edges.push(Edge {
                    offer: o as u32,
                    person: *p,
                    weight,
                });
            }
        }
    }
    let problem = Problem {
        capacities: targets.iter().map(|t| t.places).collect(),
        people: profiles.len() as u32,
        edges,
        ..Default::default()
    };
    let allocation =
        allocate::allocate(&problem).map_err(|e| Error::Internal(format!("Zuteilung: {e}")))?;

    let mut placements: Vec<Placement> = Vec::with_capacity(allocation.pairs.len());
    let mut filled = vec![0u32; targets.len()];
    let mut placed = vec![false; profiles.len()];
    let weight_of = |o: u32, p: u32| -> f64 {
        ranked[o as usize]
            .iter()
            .find(|(_, x)| *x == p)
            .map_or(0.0, |(q, _)| q.score)
    };
    for &(o, p) in &allocation.pairs {
        filled[o as usize] += 1;
        placed[p as usize] = true;
        placements.push(Placement {
            offer: targets[o as usize].id.clone(),
            profile: profiles[p as usize].id.clone(),
            score: weight_of(o, p),
        });
    }
    placements.sort_by(|a, b| {
        a.offer
            .cmp(&b.offer)
            .then(b.score.total_cmp(&a.score))
            .then(a.profile.cmp(&b.profile))
    });

    let mut has_option = vec![false; profiles.len()];
    for e in &problem.edges {
        has_option[e.person as usize] = true;
    }
    let mut empty = Vec::new();
    for (o, t) in targets.iter().enumerate() {
        let missing = t.places.saturating_sub(filled[o]);
        if missing == 0 {
            continue;
        }
        let eligible: Vec<u32> = ranked[o]
            .iter()
            .filter(|(q, _)| !q.excluded && q.score > 0.0)
            .map(|(_, p)| *p)
            .collect();
        let excluded = ranked[o].iter().filter(|(q, _)| q.excluded).count();
        let elsewhere = eligible.iter().filter(|p| placed[**p as usize]).count();
        let reason = if eligible.is_empty() {
            format!("keine geeignete Person ({excluded} ausgeschlossen, z. B. Arbeitserlaubnis oder Führerschein)")
        } else {
            format!(
                "nur {} geeignete Personen, davon {elsewhere} anderen Angeboten mit höherer Gesamtpunktzahl zugeteilt; {excluded} ausgeschlossen",
                eligible.len()
            )
        };
        empty.push(EmptyPlaces {
            offer: t.id.clone(),
            empty: missing,
            reason,
        });
    }
    let unplaced: Vec<String> = profiles
        .iter()
        .enumerate()
        .filter(|(i, _)| has_option[*i] && !placed[*i])
        .map(|(_, p)| p.id.clone())
        .collect();
    let without_option = has_option.iter().filter(|x| !**x).count();
    let total: f64 = placements.iter().map(|p| p.score).sum();
    let places: u64 = targets.iter().map(|t| u64::from(t.places)).sum();
    Ok(Assignment {
        filled: placements.len() as u64,
        mean_score: if placements.is_empty() {
            0.0
        } else {
            crate::score::round2(total / placements.len() as f64)
        },
        total_score: crate::score::round2(total),
        placements,
        places,
        empty,
        unplaced,
        without_option,
    })
}
