//! Batch runs: every profile against every offer, in parallel, keeping the
//! best candidates per offer and the best offers per person without holding
//! all pairs; optionally the exact optimal allocation under the offers'
//! capacities and the seats of the school classes, limited to one
//! programme and a minimum score, with the coordinator's report
//! (`crate::report`).

use crate::allocate::{self, Edge, Problem, Within};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileIndex;
use crate::rank::{long_list, rank_many, rank_profiles_with, select, Scope};
use crate::resolved::ResolvedProfile;
use crate::score::{Quick, Target, TargetBound};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Candidates kept per offer and offers kept per person.
    pub top: usize,
    /// Also compute the optimal allocation.
    pub assign: bool,
    /// Also rank the offers of every person (a second pass over all
    /// people; outputs that show only the allocation skip it).
    pub per_person: bool,
    /// Only the offers of this programme (compared without regard to case).
    pub programme: Option<String>,
    /// Pairs scoring below this are not allocated.
    pub min_score: f64,
    /// Also build the coordinator's report (needs `assign`; keeps every
    /// relevant candidate of every offer, so meant for programme-sized runs).
    pub report: bool,
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

/// A school class of the run: the seats it has and the offers it serves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassUse {
    pub school: String,
    pub occupation: String,
    pub school_year: String,
    pub capacity: u32,
    pub taken: u32,
    pub offers: Vec<String>,
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
    /// The school classes the run's offers send trainees to.
    pub classes: Vec<ClassUse>,
    /// The programme the run was limited to, and its minimum score.
    pub programme: Option<String>,
    pub min_score: f64,
}

/// Everything a batch run computed.
#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub offers: Vec<OfferList>,
    pub people: Vec<PersonList>,
    pub assignment: Option<Assignment>,
    /// The coordinator's report (with `BatchOptions::report`).
    #[serde(skip)]
    pub report: Option<crate::report::Report>,
}

/// The programmes named by the offers of a catalogue, sorted.
pub fn programmes(engine: &Engine) -> Vec<String> {
    let mut names: Vec<String> = engine
        .catalogue
        .offers
        .iter()
        .filter_map(|o| o.programme.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The offers of a run: every offer with a known occupation, or only those
/// of `programme` (an error listing the known programmes if none has it).
pub fn selected_offers(engine: &Engine, programme: Option<&str>) -> Result<Vec<usize>> {
    let chosen: Vec<usize> = (0..engine.offers.len())
        .filter(|&i| engine.offers[i].is_some())
        .filter(|&i| match programme {
            None => true,
            Some(name) => engine.catalogue.offers[i]
                .programme
                .as_deref()
                .is_some_and(|p| p.trim().eq_ignore_ascii_case(name.trim())),
        })
        .collect();
    if let (Some(name), true) = (programme, chosen.is_empty()) {
        let known = programmes(engine);
        return Err(Error::Usage(if known.is_empty() {
            format!("Programm „{name}“ gibt es nicht: kein Angebot nennt ein Programm")
        } else {
            format!(
                "Programm „{name}“ gibt es nicht; bekannt: {}",
                known
                    .iter()
                    .map(|k| format!("„{k}“"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }));
    }
    Ok(chosen)
}

/// The school class of every selected offer: `(class of each offer,
/// classes as (school index, class index))`. Offers whose school or class
/// is not in the records have none (validation reports them).
pub fn school_classes(
    engine: &Engine,
    selected: &[usize],
) -> (Vec<Option<u32>>, Vec<(usize, usize)>) {
    let catalogue = &engine.catalogue;
    let mut classes: Vec<(usize, usize)> = Vec::new();
    let class_of = selected
        .iter()
        .map(|&i| {
            let offer = &catalogue.offers[i];
            let school = offer.vocational_school.as_deref()?;
            let s = catalogue.schools.iter().position(|x| x.id == school)?;
            let year = crate::catalogue::school_year(offer.start_date);
            let c = catalogue.schools[s].class_index(&offer.occupation, &year)?;
            let k = match classes.iter().position(|&x| x == (s, c)) {
                Some(k) => k,
                None => {
                    classes.push((s, c));
                    classes.len() - 1
                }
            };
            Some(k as u32)
        })
        .collect();
    (class_of, classes)
}

/// Runs the batch. `progress` is called with the number of offers and
/// people done so far (from worker threads).
pub fn run(
    engine: &Engine,
    index: &ProfileIndex,
    options: BatchOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch> {
    run_with(engine, index, options, progress, false)
}

/// Bytes an allocation needs per kept pair: its entry in the offer's list
/// (score, flags, profile) with the slack of a growing list, and its edge in
/// the allocation's graph. Measured: 100,000 × 1,000 with 4,925 pairs kept
/// per offer (the complete lists) peaked at 330 MiB above the same run
/// without the allocation.
const BYTES_PER_KEPT_PAIR: u64 = 72;

/// Refuses, with what to do instead, an allocation whose kept pairs would
/// not fit in `available` bytes (where that is known): better at once than
/// the process aborting minutes later when memory runs out.
fn check_memory(kept: u64, offers: usize, each: usize, available: Option<u64>) -> Result<()> {
    let need = kept.saturating_mul(BYTES_PER_KEPT_PAIR);
    match available {
        Some(available) if need > available => {
            let gib = |b: u64| crate::report::german_number(b as f64 / (1u64 << 30) as f64, 1);
            Err(Error::Usage(format!(
                "Die Zuteilung braucht etwa {} GiB Arbeitsspeicher, frei sind {} GiB: \
                 jedes der {offers} Angebote behält bis zu {each} Kandidaten, damit Zuteilung \
                 und Bericht vollständig sind. Den Lauf aufteilen, je Programm \
                 (`lotse batch --programme NAME`, im Browser die Wahl eines Programms) oder die \
                 Angebote auf mehrere Datenordner, oder auf einem Rechner mit mehr \
                 Arbeitsspeicher ausführen.",
                gib(need),
                gib(available)
            )))
        }
        _ => Ok(()),
    }
}

/// Memory the system can still give without swapping (`MemAvailable` of
/// `/proc/meminfo`); `None` where that is not known (not Linux).
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// [`run`] without retrieval: every profile scored against every offer, for
/// the lists of offers and of people alike; the full scan that
/// `tests/exactness.rs` compares [`run`] with.
#[doc(hidden)]
pub fn run_exhaustive(
    engine: &Engine,
    index: &ProfileIndex,
    options: BatchOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Batch> {
    run_with(engine, index, options, progress, true)
}

fn run_with(
    engine: &Engine,
    index: &ProfileIndex,
    options: BatchOptions,
    progress: &(dyn Fn(u64) + Sync),
    scan_all: bool,
) -> Result<Batch> {
    let selected = selected_offers(engine, options.programme.as_deref())?;
    let targets: Vec<&Target> = selected
        .iter()
        .filter_map(|&i| engine.offers[i].as_ref())
        .collect();
    let total_places: usize = targets.iter().map(|t| t.places as usize).sum();
    // For the allocation each offer's complete list holds its best
    // candidates up to the total number of places: a pair beyond that can
    // be exchanged for a free candidate of the same offer without loss, so
    // the optimum is kept. The report keeps every relevant candidate, to
    // say why each got no place.
    let full = if options.assign && options.report {
        index.len().max(1)
    } else if options.assign {
        options.top.max(total_places)
    } else {
        options.top
    }
    .max(1);
    // An allocation over a large index starts from short lists and grows
    // those the solver finds too short (see `solve`); the full scan and
    // the report keep the complete ones.
    let cut_short = options.assign && !options.report && !scan_all;
    let mut competing: HashMap<u32, usize> = HashMap::new();
    for t in &targets {
        *competing.entry(t.occupation).or_default() += t.places as usize;
    }
    let mut keeps: Vec<usize> = targets
        .iter()
        .map(|t| match cut_short {
            true => first_keep(t.places, competing[&t.occupation], options.top).min(full),
            false => full,
        })
        .collect();
    if options.assign {
        let kept = keeps.iter().map(|&k| k.min(index.len()) as u64).sum();
        let each = keeps.iter().max().map_or(0, |&k| k.min(index.len()));
        check_memory(kept, targets.len(), each, available_memory())?;
    }
    let profiles = index.profiles();
    let mut ranked = rank_lists(engine, index, &targets, &keeps, progress, scan_all)?;

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
        best_offers_per_person(engine, profiles, &targets, options.top, progress, scan_all)
    } else {
        Vec::new()
    };

    let (assignment, report) = if options.assign {
        let (class_of, classes) = school_classes(engine, &selected);
        let mut run = Run {
            engine,
            targets: &targets,
            profiles,
            ranked: &[],
            class_of: &class_of,
            classes: &classes,
            min_score: options.min_score,
        };
        let allocation = solve(&run, index, &mut ranked, &mut keeps, full)?;
        // Offers left with empty places say why from their complete lists.
        let mut filled = vec![0u32; targets.len()];
        for &(o, _) in &allocation.pairs {
            filled[o as usize] += 1;
        }
        let again: Vec<usize> = (0..targets.len())
            .filter(|&o| keeps[o] < full && filled[o] < targets[o].places)
            .collect();
        for (o, list) in again
            .iter()
            .zip(rerank(engine, index, &targets, &again, |_| full)?)
        {
            ranked[*o] = list;
        }
        run.ranked = &ranked;
        let has_option = with_option(&run, index, scan_all);
        // The programme as the offers spell it.
        let programme = options
            .programme
            .as_ref()
            .and_then(|_| selected.first())
            .and_then(|&i| engine.catalogue.offers[i].programme.clone());
        let assignment = summarise(&run, &allocation, &has_option, programme);
        let report = options
            .report
            .then(|| crate::report::build(&run, &assignment, &allocation));
        (Some(assignment), report)
    } else {
        (None, None)
    };
    Ok(Batch {
        offers,
        people,
        assignment,
        report,
    })
}

/// How many candidates an offer's list for the allocation holds at first,
/// given its places and those of all offers of its occupation (its own
/// included): the solver reads an offer's candidates best first, past
/// those that offers wanting the same people hold, and seldom much
/// further. Measured at 100,000 × 1,000 (some 70 places per occupation)
/// and 1,000,000 × 10,000 (some 700): four times the places and a quarter
/// of the occupation's leave a few per cent of the lists to grow; at
/// least the lists shown.
fn first_keep(places: u32, competing: usize, top: usize) -> usize {
    (4 * places as usize + 16 + competing / 4).max(top)
}

/// The best `keeps[i]` relevant candidates of each of `targets`: the lists
/// of many targets, and long ones, made together ([`rank_many`]), those of
/// a few targets one by one over all threads; every profile scored by the
/// scorer itself with `scan_all`.
fn rank_lists(
    engine: &Engine,
    index: &ProfileIndex,
    targets: &[&Target],
    keeps: &[usize],
    progress: &(dyn Fn(u64) + Sync),
    scan_all: bool,
) -> Result<Vec<Vec<(Quick, u32)>>> {
    // Many targets are best scored together; a few, each over all threads.
    let together = |i: usize| {
        !scan_all
            && (targets.len() >= 4 * rayon::current_num_threads()
                || long_list(keeps[i], index.len()))
    };
    let grouped: Vec<usize> = (0..targets.len()).filter(|&i| together(i)).collect();
    let mut lists: Vec<Vec<(Quick, u32)>> = vec![Vec::new(); targets.len()];
    if !grouped.is_empty() {
        let chosen: Vec<&Target> = grouped.iter().map(|&i| targets[i]).collect();
        let lengths: Vec<usize> = grouped.iter().map(|&i| keeps[i]).collect();
        for (i, list) in grouped
            .iter()
            .zip(rank_many(engine, index, &chosen, &lengths, progress))
        {
            lists[*i] = list;
        }
    }
    let alone: Vec<usize> = (0..targets.len()).filter(|&i| !together(i)).collect();
    let ranked: Vec<Vec<(Quick, u32)>> = alone
        .par_iter()
        .map(|&i| {
            let r = rank_profiles_with(
                engine,
                index,
                targets[i],
                keeps[i],
                Scope::Relevant,
                scan_all,
            );
            progress(1);
            r
        })
        .collect::<Result<_>>()?;
    for (i, list) in alone.iter().zip(ranked) {
        lists[*i] = list;
    }
    Ok(lists)
}

/// The lists of the offers `chosen` (indices into `targets`) again, the
/// best `keeps[o]` of each.
fn rerank(
    engine: &Engine,
    index: &ProfileIndex,
    targets: &[&Target],
    chosen: &[usize],
    keeps: impl Fn(usize) -> usize,
) -> Result<Vec<Vec<(Quick, u32)>>> {
    let sub: Vec<&Target> = chosen.iter().map(|&o| targets[o]).collect();
    let lengths: Vec<usize> = chosen.iter().map(|&o| keeps(o)).collect();
    rank_lists(engine, index, &sub, &lengths, &|_| {}, false)
}

/// The weight of a pair in the allocation: its score in hundredths.
fn weight(score: f64) -> i64 {
    (score * 100.0).round() as i64
}

/// The weight up to which a list of an offer's best `keep` may leave
/// admissible candidates out (all heavier ones are in it), for
/// [`allocate::allocate_within`]; 0 where it leaves none out: a list of the
/// full length `full`, one that holds fewer than `keep` eligible
/// candidates (all there are), or one whose last score is already below the
/// minimum.
fn cut_weight(list: &[(Quick, u32)], keep: usize, full: usize, min_score: f64) -> i64 {
    if keep >= full || list.iter().filter(|(q, _)| !q.excluded).count() < keep {
        return 0;
    }
    // Eligible candidates come first, best first.
    let last = list[keep - 1].0.score;
    if last < min_score {
        return 0;
    }
    weight(last).max(0)
}

/// The exact optimal allocation of `run` (whose own lists it does not
/// read), with the offers' candidate lists cut short at `keeps` (`ranked`):
/// solved over the short lists, and where the solver would have to read
/// beyond a cut, those lists grown fourfold (up to `full`) and solved
/// again — so the allocation is the one of the complete lists, pair for
/// pair (see [`allocate::allocate_within`]). `ranked` and `keeps` end as
/// the lists last solved over.
fn solve(
    run: &Run<'_>,
    index: &ProfileIndex,
    ranked: &mut [Vec<(Quick, u32)>],
    keeps: &mut [usize],
    full: usize,
) -> Result<allocate::Allocation> {
    let targets = run.targets;
    loop {
        let beyond: Vec<i64> = ranked
            .iter()
            .zip(keeps.iter())
            .map(|(list, &keep)| cut_weight(list, keep, full, run.min_score))
            .collect();
        let edges = ranked
            .iter()
            .enumerate()
            .flat_map(|(o, list)| {
                list.iter()
                    .filter(|(q, _)| run.admissible(q))
                    .map(move |(q, p)| Edge {
                        offer: o as u32,
                        person: *p,
                        weight: weight(q.score),
                    })
            })
            .collect();
        let problem = Problem {
            capacities: targets.iter().map(|t| t.places).collect(),
            people: run.profiles.len() as u32,
            edges,
            classes: (0..run.classes.len())
                .map(|k| run.class(k).1.capacity)
                .collect(),
            class_of: run.class_of.to_vec(),
        };
        let within = allocate::allocate_within(&problem, &beyond)
            .map_err(|e| Error::Internal(format!("Zuteilung: {e}")))?;
        let short: Vec<usize> = match within {
            Within::Exact(allocation) => return Ok(allocation),
            Within::Short(short) => short.into_iter().map(|o| o as usize).collect(),
        };
        for &o in &short {
            keeps[o] = (keeps[o] * 4).min(full);
        }
        let grown = rerank(run.engine, index, targets, &short, |o| keeps[o])?;
        for (&o, list) in short.iter().zip(grown) {
            ranked[o] = list;
        }
    }
}

/// Who has at least one admissible offer in the run (whether placed or
/// not): everyone with an admissible pair in the kept lists, and of the
/// others those with an admissible pair among the offers they share a
/// concept with (every offer with `scan_all`), looked up person by person
/// until the first is found.
fn with_option(run: &Run<'_>, index: &ProfileIndex, scan_all: bool) -> Vec<bool> {
    let mut has = vec![false; run.profiles.len()];
    for list in run.ranked {
        for (q, p) in list {
            if run.admissible(q) {
                has[*p as usize] = true;
            }
        }
    }
    let scorer = run.engine.scorer();
    let bounds = index.bounds(run.engine);
    let kernels: Vec<TargetBound> = run
        .targets
        .par_iter()
        .map(|t| TargetBound::new(scorer, t, &bounds))
        .collect();
    let related = Related::new(run.engine, run.targets);
    let found: Vec<u32> = (0..run.profiles.len() as u32)
        .into_par_iter()
        .filter(|&i| !has[i as usize])
        .map_init(
            || vec![u32::MAX; run.targets.len()],
            |seen, i| {
                let p = &run.profiles[i as usize];
                let any = if p.consent_matching == Some(false) {
                    false
                } else if scan_all {
                    run.targets.iter().any(|t| {
                        let q = scorer.quick(p, t);
                        q.relevant && run.admissible(&q)
                    })
                } else {
                    related.any(p, |o| {
                        // Each offer once per person.
                        let first = seen[o as usize] != i;
                        seen[o as usize] = i;
                        first
                            && kernels[o as usize]
                                .quick(&bounds, i, true)
                                .is_some_and(|q| run.admissible(&q))
                    })
                };
                any.then_some(i)
            },
        )
        .flatten()
        .collect();
    for i in found {
        has[i as usize] = true;
    }
    has
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
    scan_all: bool,
) -> Vec<PersonList> {
    let related = Related::new(engine, targets);
    let scorer = engine.scorer();
    let chunk = 1024;
    profiles
        .par_chunks(chunk)
        .flat_map_iter(|ps| {
            let lists: Vec<PersonList> = ps
                .iter()
                // Without consent to matching a person is not listed.
                .filter(|p| p.consent_matching != Some(false))
                .map(|p| {
                    let mut seen: HashSet<u32> = HashSet::new();
                    related.offers(p, &mut seen);
                    if scan_all {
                        seen.extend(0..targets.len() as u32);
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

/// Which offers of a run a person shares a concept with: a skill the
/// offer needs, an occupation or interest related to its occupation (every
/// pair that can be relevant).
struct Related {
    /// The offers needing each skill.
    by_skill: Vec<Vec<u32>>,
    /// The offers each occupation relates to.
    by_occupation: Vec<Vec<u32>>,
}

impl Related {
    fn new(engine: &Engine, targets: &[&Target]) -> Related {
        let mut by_skill: Vec<Vec<u32>> = vec![Vec::new(); engine.catalogue.skills.len()];
        let mut by_occupation: Vec<Vec<u32>> = vec![Vec::new(); engine.occupations.len()];
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
        Related {
            by_skill,
            by_occupation,
        }
    }

    /// Adds the offers `p` shares a concept with to `offers`.
    fn offers(&self, p: &ResolvedProfile, offers: &mut HashSet<u32>) {
        self.any(p, |o| {
            offers.insert(o);
            false
        });
    }

    /// Whether `test` holds for one of the offers `p` shares a concept
    /// with, tried in turn (an offer may come more than once) until it does.
    fn any(&self, p: &ResolvedProfile, mut test: impl FnMut(u32) -> bool) -> bool {
        // Every occupation the scorer relates the person by, weakly
        // recognised ones included.
        let occupations = p
            .occupations
            .iter()
            .chain(&p.weak_occupations)
            .map(|o| o.occupation)
            .chain(
                p.interests
                    .iter()
                    .chain(&p.weak_interests)
                    .map(|i| i.occupation),
            );
        let by_occupation = occupations.flat_map(|o| self.by_occupation.get(o as usize));
        let by_skill = p
            .skills
            .iter()
            .flat_map(|s| self.by_skill.get(s.skill as usize));
        by_occupation.chain(by_skill).flatten().any(|&o| test(o))
    }
}

/// Everything an allocation and its report are computed from.
pub struct Run<'a> {
    pub engine: &'a Engine,
    /// The offers of the run, in catalogue order.
    pub targets: &'a [&'a Target],
    pub profiles: &'a [ResolvedProfile],
    /// Per offer, the kept candidates `(numbers, profile ordinal)`.
    pub ranked: &'a [Vec<(Quick, u32)>],
    /// Class of each offer (index into `classes`).
    pub class_of: &'a [Option<u32>],
    /// `(school index, class index)` of each class of the run.
    pub classes: &'a [(usize, usize)],
    pub min_score: f64,
}

impl Run<'_> {
    /// Whether a candidate may be allocated: not excluded, a positive score
    /// (as weight), and at least the minimum score.
    pub fn admissible(&self, q: &Quick) -> bool {
        !q.excluded && weight(q.score) >= 1 && q.score >= self.min_score
    }

    /// The catalogue's school class `k` of the run.
    pub fn class(&self, k: usize) -> (&crate::catalogue::School, &crate::catalogue::SchoolClass) {
        let (s, c) = self.classes[k];
        let school = &self.engine.catalogue.schools[s];
        (school, &school.classes[c])
    }
}

/// The allocation as batch output shows it: the placements, the school
/// classes, the empty places and why, the people without a place.
/// `has_option` tells who has an admissible offer at all.
fn summarise(
    run: &Run<'_>,
    allocation: &allocate::Allocation,
    has_option: &[bool],
    programme: Option<String>,
) -> Assignment {
    let (targets, profiles, ranked) = (run.targets, run.profiles, run.ranked);
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

    let mut taken = vec![0u32; run.classes.len()];
    for (o, class) in run.class_of.iter().enumerate() {
        if let Some(k) = class {
            taken[*k as usize] += filled[o];
        }
    }
    let classes: Vec<ClassUse> = (0..run.classes.len())
        .map(|k| {
            let (school, class) = run.class(k);
            ClassUse {
                school: school.id.clone(),
                occupation: class.occupation.clone(),
                school_year: class.school_year.clone(),
                capacity: class.capacity,
                taken: taken[k],
                offers: (0..targets.len())
                    .filter(|&o| run.class_of[o] == Some(k as u32))
                    .map(|o| targets[o].id.clone())
                    .collect(),
            }
        })
        .collect();

    let mut empty = Vec::new();
    for (o, t) in targets.iter().enumerate() {
        let missing = t.places.saturating_sub(filled[o]);
        if missing == 0 {
            continue;
        }
        let list = &ranked[o];
        let eligible: Vec<u32> = list
            .iter()
            .filter(|(q, _)| run.admissible(q))
            .map(|(_, p)| *p)
            .collect();
        let excluded = list.iter().filter(|(q, _)| q.excluded).count();
        let below = list
            .iter()
            .filter(|(q, _)| !q.excluded && !run.admissible(q))
            .count();
        let elsewhere = eligible.iter().filter(|p| placed[**p as usize]).count();
        let class_full = run.class_of[o].and_then(|k| {
            let c = &classes[k as usize];
            (c.taken >= c.capacity).then_some(c)
        });
        let mut reason = if eligible.is_empty() {
            "keine geeignete Person".to_string()
        } else if elsewhere == eligible.len() {
            format!(
                "alle {} geeigneten Personen anderen Angeboten mit höherer Gesamtpunktzahl zugeteilt",
                eligible.len()
            )
        } else if let Some(c) = class_full {
            let name = run
                .engine
                .catalogue
                .school(&c.school)
                .map_or(c.school.as_str(), |s| s.name.as_str());
            format!(
                "Berufsschulklasse voll ({name}, {} {}: {} von {} Plätzen belegt); {} geeignete Personen ohne Platz",
                c.occupation,
                c.school_year,
                c.taken,
                c.capacity,
                eligible.len() - elsewhere
            )
        } else {
            format!("{} geeignete Personen", eligible.len())
        };
        let mut also = Vec::new();
        if excluded > 0 {
            also.push(format!("{excluded} ausgeschlossen (harte Bedingung)"));
        }
        if below > 0 {
            also.push(format!(
                "{below} unter der Mindestpunktzahl {}",
                crate::report::german_number(run.min_score, 1)
            ));
        }
        if !also.is_empty() {
            reason.push_str("; ");
            reason.push_str(&also.join(", "));
        }
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
    Assignment {
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
        classes,
        programme,
        min_score: run.min_score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn an_allocation_that_cannot_fit_is_refused_before_it_starts() {
        // A million people and 10,000 offers with 49,256 places, their
        // complete lists (as a report keeps them): every offer keeps 49,256
        // candidates, some 33 GiB.
        let kept = 10_000 * 49_256;
        let refused = check_memory(kept, 10_000, 49_256, Some(20 * GIB)).unwrap_err();
        let message = refused.to_string();
        assert!(matches!(refused, Error::Usage(_)), "{message}");
        assert!(message.contains("33,0 GiB"), "{message}");
        assert!(message.contains("frei sind 20,0 GiB"), "{message}");
        assert!(message.contains("--programme"), "{message}");
        // 100,000 × 1,000 (4,925 places) needs some 340 MiB.
        assert!(check_memory(1_000 * 4_925, 1_000, 4_925, Some(GIB)).is_ok());
        assert!(check_memory(1_000 * 4_925, 1_000, 4_925, Some(300 << 20)).is_err());
        // Where the free memory is not known, nothing is refused.
        assert!(check_memory(kept, 10_000, 49_256, None).is_ok());
    }

    #[test]
    fn free_memory_is_read_where_the_system_tells_it() {
        if std::path::Path::new("/proc/meminfo").exists() {
            let free = available_memory().expect("MemAvailable");
            assert!(free > 0);
        }
    }
}
