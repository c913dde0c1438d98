//! Ranking: the shortlist of candidates for an offer, and the matching
//! occupations and offers for a person. Ranking scores without
//! explanations; only the results shown are explained.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileIndex;
use crate::resolved::ResolvedProfile;
use crate::score::{Bounds, Cursors, Quick, Scored, Target, TargetBound};
use rayon::prelude::*;
use serde::Serialize;

/// Below this many profiles every profile is scored; above it, only those
/// whose score bound can reach the list (exactly: see [`rank_profiles`]).
const SCAN_ALL_BELOW: usize = 5_000;

/// Profiles per block of a ranking over a large index: what the scorer
/// reads of them (a few hundred bytes each) fits a core's L2 cache.
const BLOCK: u32 = 2048;

/// Ranked candidates for one offer (the JSON of `lotse shortlist`).
#[derive(Debug, Clone, Serialize)]
pub struct Shortlist {
    pub offer: String,
    pub candidates: Vec<Candidate>,
    /// How many people were left out because they did not consent to
    /// matching (the table and the pages say it; the JSON of SPEC stays
    /// as it is).
    #[serde(skip)]
    pub without_consent: usize,
}

impl Shortlist {
    /// The shortlist as CSV, as `lotse shortlist --format csv` prints it and
    /// the web interface exports it: one row per candidate with the
    /// contribution of every criterion, the flags and the gaps.
    pub fn to_csv(&self) -> std::result::Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["offer", "rank", "profile", "score", "excluded"];
        header.extend(crate::score::CRITERIA);
        header.extend(["flags", "gaps"]);
        w.write_record(&header)?;
        for (i, c) in self.candidates.iter().enumerate() {
            let mut row = vec![
                self.offer.clone(),
                (i + 1).to_string(),
                c.profile.clone(),
                format!("{:.2}", c.score),
                c.excluded.to_string(),
            ];
            row.extend(crate::score::CRITERIA.iter().map(|n| {
                c.criteria
                    .iter()
                    .find(|x| x.name == *n)
                    .map(|x| format!("{:.2}", x.contribution))
                    .unwrap_or_default()
            }));
            row.push(crate::csv_safe::owned(c.flags.join(" | ")));
            row.push(crate::csv_safe::owned(c.gaps.join(" | ")));
            w.write_record(&row)?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}

/// One candidate of a shortlist.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub profile: String,
    #[serde(skip)]
    pub name: String,
    pub score: f64,
    pub excluded: bool,
    pub flags: Vec<String>,
    pub criteria: Vec<crate::score::Criterion>,
    pub gaps: Vec<String>,
    #[serde(skip)]
    pub training: Vec<String>,
}

impl Candidate {
    fn new(p: &ResolvedProfile, s: Scored) -> Self {
        Candidate {
            profile: p.id.clone(),
            name: p.name.clone(),
            score: s.score,
            excluded: s.excluded,
            flags: s.flags,
            criteria: s.criteria,
            gaps: s.gaps,
            training: s.training,
        }
    }
}

/// Ranked occupations and offers for one person (the JSON of `lotse match`).
#[derive(Debug, Clone, Serialize)]
pub struct Matches {
    pub profile: String,
    pub results: Vec<MatchResult>,
    /// Why the list is empty, or where language or literacy stands in the
    /// way, with the next step; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// The reason behind a list and the next step, in German.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// What is (not) known or what stands in the way.
    pub reason: String,
    /// What to do next, in order.
    pub next_steps: Vec<String>,
    /// Training offer ids of the next steps, in the order to take them.
    pub training: Vec<String>,
}

/// One occupation or offer for a person.
#[derive(Debug, Clone, Serialize)]
pub struct MatchResult {
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub kldb: String,
    pub score: f64,
    pub excluded: bool,
    pub flags: Vec<String>,
    pub criteria: Vec<crate::score::Criterion>,
    pub gaps: Vec<String>,
    pub training: Vec<String>,
}

/// Orders ranked items: eligible ones by score (highest first, ties by
/// key), then excluded ones. Keeps the best `top` eligible items and the
/// excluded items that would have ranked among them, so that nobody is
/// dropped silently for a hard constraint.
pub fn select<K: Ord>(mut items: Vec<(Quick, K)>, top: usize) -> Vec<(Quick, K)> {
    select_in(&mut items, top);
    items
}

/// [`select`] in place: what it keeps, in its order, at the front of
/// `items`, the rest dropped (the allocation stays for reuse).
fn select_in<K: Ord>(items: &mut Vec<(Quick, K)>, top: usize) {
    let order =
        |a: &(Quick, K), b: &(Quick, K)| b.0.score.total_cmp(&a.0.score).then(a.1.cmp(&b.1));
    let eligible = partition(items, |x| !x.0.excluded);
    let kept = best_first(&mut items[..eligible], top, order);
    let floor = match kept {
        k if k > 0 && k == top => items[k - 1].0.score,
        _ => f64::NEG_INFINITY,
    };
    let rest = &mut items[eligible..];
    let above = partition(rest, |x| x.0.score >= floor);
    let excluded = best_first(&mut rest[..above], top.max(1), order);
    // The excluded ones kept move up behind the eligible ones kept.
    for i in 0..excluded {
        items.swap(kept + i, eligible + i);
    }
    items.truncate(kept + excluded);
}

/// Moves the items that satisfy `keep` to the front (in no particular
/// order) and returns how many they are.
fn partition<T>(items: &mut [T], keep: impl Fn(&T) -> bool) -> usize {
    let mut front = 0;
    for i in 0..items.len() {
        if keep(&items[i]) {
            items.swap(front, i);
            front += 1;
        }
    }
    front
}

/// Sorts the `n` first items in `order` to the front and returns how many
/// they are; linear selection first, so that ranking 100,000 candidates
/// does not sort them all.
fn best_first<T>(items: &mut [T], n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) -> usize {
    if n == 0 {
        return 0;
    }
    if items.len() > n {
        items.select_nth_unstable_by(n - 1, &order);
    }
    let kept = items.len().min(n);
    items[..kept].sort_by(&order);
    kept
}

/// The shortlist for an offer.
///
/// Over large indexes only the profiles whose score bound can reach the
/// list are scored (see [`rank_profiles`]); the list is the full scan's.
pub fn shortlist(
    engine: &Engine,
    index: &ProfileIndex,
    offer: &str,
    top: usize,
) -> Result<Shortlist> {
    let target = engine.offer_target(offer)?;
    let ranked = rank_profiles(engine, index, target, top, Scope::All)?;
    let scorer = engine.scorer();
    let candidates = ranked
        .into_iter()
        .map(|(_, ordinal)| {
            let p = &index.profiles()[ordinal as usize];
            Candidate::new(p, scorer.explain(p, target))
        })
        .collect();
    let without_consent = index.bounds(engine).refused();
    Ok(Shortlist {
        offer: offer.to_string(),
        candidates,
        without_consent,
    })
}

/// Which profiles may appear in a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everybody: the list is filled with the best of the rest where too
    /// few profiles share a concept with the target (shortlists).
    All,
    /// Only pairs that share a skill, related experience or interest
    /// (batch runs and allocations: every placement must have a reason).
    Relevant,
}

/// The best profiles for a target, as (score, ordinal), ordered as [`select`] does.
///
/// Scores are computed on the compact copy of the profiles
/// ([`crate::score::Bounds`], exactly as the scorer computes them). Over
/// large indexes a short list scores only the profiles whose score bound
/// can reach it ([`bounded`]); a long list of relevant pairs (as a batch
/// keeps for its allocation), like any list over a small index, scores
/// every profile in the order they lie in memory.
pub fn rank_profiles(
    engine: &Engine,
    index: &ProfileIndex,
    target: &Target,
    top: usize,
    scope: Scope,
) -> Result<Vec<(Quick, u32)>> {
    rank_profiles_with(engine, index, target, top, scope, false)
}

/// [`rank_profiles`]; with `scan_all` every profile is scored by the
/// scorer itself ([`crate::score::Scorer::quick`]) whatever the size of
/// the index: the full scan that `tests/exactness.rs` compares with.
#[doc(hidden)]
pub fn rank_profiles_with(
    engine: &Engine,
    index: &ProfileIndex,
    target: &Target,
    top: usize,
    scope: Scope,
    scan_all: bool,
) -> Result<Vec<(Quick, u32)>> {
    let profiles = index.profiles();
    let scorer = engine.scorer();
    if scan_all {
        let scored: Vec<(Quick, (&str, u32))> = profiles
            .par_iter()
            .enumerate()
            // Without consent to matching a person is not scored or listed.
            .filter(|(_, p)| p.consent_matching != Some(false))
            .map(|(o, p)| (scorer.quick(p, target), (p.id.as_str(), o as u32)))
            .filter(|(q, _)| q.relevant || scope == Scope::All)
            .collect();
        return Ok(select(scored, top)
            .into_iter()
            .map(|(q, (_, o))| (q, o))
            .collect());
    }
    if profiles.len() >= SCAN_ALL_BELOW
        && !(scope == Scope::Relevant && long_list(top, profiles.len()))
    {
        return Ok(bounded(engine, index, target, top, scope));
    }
    let bounds = index.bounds(engine);
    let of_target = TargetBound::new(scorer, target, &bounds);
    let relevant_only = scope == Scope::Relevant;
    let scored: Vec<(Quick, (u32, u32))> = (0..bounds.len() as u32)
        .into_par_iter()
        .with_min_len(1024)
        .filter_map(|o| {
            let q = of_target.quick(&bounds, o, relevant_only)?;
            Some((q, (bounds.id_rank(o), o)))
        })
        .collect();
    Ok(select(scored, top)
        .into_iter()
        .map(|(q, (_, o))| (q, o))
        .collect())
}

/// The lists of relevant candidates of many targets at once, the best
/// `keeps[i]` of `targets[i]`, each as [`rank_profiles`] makes it with
/// [`Scope::Relevant`] (a batch's lists for its allocation). Every profile
/// is scored against every target, in
/// blocks of profiles small enough to stay in the processor's cache while
/// a group of targets is scored against them: the compact copy of the
/// profiles is read once per group, not once per target. `progress` is
/// called with the number of targets done.
pub fn rank_many(
    engine: &Engine,
    index: &ProfileIndex,
    targets: &[&Target],
    keeps: &[usize],
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<(Quick, u32)>> {
    assert_eq!(targets.len(), keeps.len(), "one length per target");
    let bounds = index.bounds(engine);
    let scorer = engine.scorer();
    let n = bounds.len() as u32;
    // Groups small enough that every thread has several.
    let group = (targets.len() / (4 * rayon::current_num_threads()).max(1)).clamp(1, 16);
    // Per thread, the lists and scratch space of a group, reused from one
    // group to the next: a list grows to some hundred kilobytes, and fresh
    // memory for each would cost its page faults again.
    let scratch = || {
        (
            Vec::<Growing>::new(),
            vec![0.0; BLOCK as usize],
            vec![false; BLOCK as usize],
        )
    };
    let lists: Vec<Vec<Vec<(Quick, u32)>>> = targets
        .par_chunks(group)
        .zip(keeps.par_chunks(group))
        .map_init(scratch, |(lists, got, marks), (chunk, keeps)| {
            let kernels: Vec<TargetBound> = chunk
                .iter()
                .map(|t| TargetBound::new(scorer, t, &bounds))
                .collect();
            lists.truncate(chunk.len());
            for (i, (kernel, &keep)) in kernels.iter().zip(keeps).enumerate() {
                match lists.get_mut(i) {
                    Some(list) => list.reset(keep, kernel),
                    None => lists.push(Growing::new(keep, kernel)),
                }
            }
            for start in (0..n).step_by(BLOCK as usize) {
                let end = n.min(start + BLOCK);
                let got = &mut got[..(end - start) as usize];
                let marks = &mut marks[..(end - start) as usize];
                for (kernel, list) in kernels.iter().zip(lists.iter_mut()) {
                    list.block(kernel, &bounds, start, got, marks, Scope::Relevant);
                }
            }
            progress(chunk.len() as u64);
            lists
                .iter_mut()
                .zip(keeps)
                .map(|(list, &keep)| list.best(keep))
                .collect()
        })
        .collect();
    lists.into_iter().flatten().collect()
}

/// Candidates of a target with their keys: (numbers, (rank by id, ordinal)).
type Ranked = Vec<(Quick, (u32, u32))>;

/// The list of a target's best `keep` in the making, over blocks of
/// profiles: its candidates so far, the scores below which none can enter
/// it any more, and the length at which it is cut next.
#[derive(Debug, Clone)]
struct Growing {
    list: Ranked,
    floors: Floors,
    keep: usize,
    next_cut: usize,
    scratch: Vec<f64>,
    /// Where the target's postings were left at the last block.
    cursors: Cursors,
}

impl Growing {
    /// A new list of `kernel`'s best `keep`.
    fn new(keep: usize, kernel: &TargetBound) -> Self {
        let mut list = Growing {
            list: Vec::new(),
            floors: Floors::NONE,
            keep,
            next_cut: 0,
            scratch: Vec::new(),
            cursors: Cursors::default(),
        };
        list.reset(keep, kernel);
        list
    }

    /// How far the list may grow beyond `keep` before it is cut: often
    /// enough that the floors rise early (a cut costs a pass over the list,
    /// rejecting by the floors saves the rest of a score).
    fn slack(keep: usize) -> usize {
        (keep / 2).max(64)
    }

    /// Adds the profiles `start..start + got.len()` that can still enter
    /// the list. With [`Scope::Relevant`] only a profile that meets a skill
    /// or has a related occupation can be relevant: the others are not
    /// looked at. `got` and `marks` are scratch space of the block's length.
    fn block(
        &mut self,
        kernel: &TargetBound,
        bounds: &Bounds,
        start: u32,
        got: &mut [f64],
        marks: &mut [bool],
        scope: Scope,
    ) {
        let end = start + got.len() as u32;
        got.fill(0.0);
        kernel.skills_of_block(bounds, start, got, &mut self.cursors);
        let relevant_only = scope == Scope::Relevant;
        if relevant_only {
            marks.fill(false);
            kernel.related_of_block(bounds, start, marks, &mut self.cursors);
        }
        let floors = self.floors;
        let block = (start..end).zip(got.iter().zip(marks.iter()));
        self.list.extend(block.filter_map(|(o, (&got, &marked))| {
            if relevant_only && got <= 0.0 && !marked {
                return None;
            }
            let q = kernel.finish(bounds, o, got, relevant_only, floors.eligible)?;
            floors.admits(&q).then(|| (q, (bounds.id_rank(o), o)))
        }));
        if self.list.len() >= self.next_cut {
            self.floors = cut_below(&mut self.list, self.keep, &mut self.scratch);
            self.next_cut = self.list.len().max(self.keep) + Self::slack(self.keep);
        }
    }

    /// The list of the best `top`, as [`select`] orders it; the list is
    /// empty afterwards, ready for another target with [`Growing::reset`].
    fn best(&mut self, top: usize) -> Vec<(Quick, u32)> {
        select_in(&mut self.list, top);
        let best = self.list.iter().map(|&(q, (_, o))| (q, o)).collect();
        self.list.clear();
        best
    }

    /// Starts a new list of `kernel`'s best `keep`, keeping the memory of
    /// the last. Blocks are then added in ascending order.
    fn reset(&mut self, keep: usize, kernel: &TargetBound) {
        self.list.clear();
        self.floors = Floors::NONE;
        self.keep = keep;
        self.next_cut = keep + Self::slack(keep);
        self.cursors.reset(kernel);
    }
}

/// The scores below which nothing can enter the list of the best `keep`
/// that [`select`] makes of a list and what is added to it: eligible items
/// below `eligible` and excluded ones below `excluded`.
#[derive(Debug, Clone, Copy)]
struct Floors {
    eligible: f64,
    excluded: f64,
}

impl Floors {
    const NONE: Floors = Floors {
        eligible: f64::NEG_INFINITY,
        excluded: f64::NEG_INFINITY,
    };

    fn admits(&self, q: &Quick) -> bool {
        q.score
            >= if q.excluded {
                self.excluded
            } else {
                self.eligible
            }
    }
}

/// Drops from `list` what cannot enter the list of its best `keep` that
/// [`select`] makes (of it and of anything added later), and returns the
/// floors below which nothing can: the `keep`-th best eligible score, and
/// for excluded items also the `keep`-th best excluded one (`select` keeps
/// at most `keep` of them). Ties with a floor are kept.
fn cut_below<K>(list: &mut Vec<(Quick, K)>, keep: usize, scratch: &mut Vec<f64>) -> Floors {
    let kth = |scratch: &mut Vec<f64>| {
        if keep == 0 || scratch.len() < keep {
            return f64::NEG_INFINITY;
        }
        *scratch
            .select_nth_unstable_by(keep - 1, |a, b| b.total_cmp(a))
            .1
    };
    scratch.clear();
    scratch.extend(list.iter().filter(|x| !x.0.excluded).map(|x| x.0.score));
    let eligible = kth(scratch);
    scratch.clear();
    scratch.extend(
        list.iter()
            .filter(|x| x.0.excluded && x.0.score >= eligible)
            .map(|x| x.0.score),
    );
    let floors = Floors {
        eligible,
        excluded: kth(scratch).max(eligible),
    };
    list.retain(|x| floors.admits(&x.0));
    floors
}

/// Whether a list of `top` over `profiles` is long: as a batch keeps for
/// its allocation (up to the number of places of all offers). Bounds pay
/// where few of the candidates have to be scored; scoring all of them in
/// the order they lie in memory costs several times less per pair than
/// scoring them here and there, so a long list is better made that way.
pub fn long_list(top: usize, profiles: usize) -> bool {
    32 * top.max(128) > profiles
}

/// [`rank_profiles`] over a large index, exactly, without scoring everyone:
/// the profiles are taken in blocks (a share of them per thread), the
/// skills they meet summed through the postings of the needed skills, and
/// a profile is dropped as soon as its score surely lies below the list
/// its thread has made so far (see [`TargetBound::finish`]): most are
/// dropped from the skills met alone, before their row is read. The lists
/// of the threads, each holding what can enter the best `top` of its
/// profiles, are merged by [`select`]: what is left is the full scan's list.
fn bounded(
    engine: &Engine,
    index: &ProfileIndex,
    target: &Target,
    top: usize,
    scope: Scope,
) -> Vec<(Quick, u32)> {
    let bounds = index.bounds(engine);
    let kernel = TargetBound::new(engine.scorer(), target, &bounds);
    let n = bounds.len() as u32;
    let blocks: Vec<u32> = (0..n).step_by(BLOCK as usize).collect();
    // A few shares per thread, so that an uneven share does not hold up the list.
    let share = blocks
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let lists: Vec<Growing> = blocks
        .par_chunks(share)
        .map(|starts| {
            let mut list = Growing::new(top, &kernel);
            let mut got = vec![0.0; BLOCK as usize];
            let mut marks = vec![false; BLOCK as usize];
            for &start in starts {
                let len = (n.min(start + BLOCK) - start) as usize;
                list.block(
                    &kernel,
                    &bounds,
                    start,
                    &mut got[..len],
                    &mut marks[..len],
                    scope,
                );
            }
            list
        })
        .collect();
    let all: Ranked = lists.into_iter().flat_map(|l| l.list).collect();
    select(all, top)
        .into_iter()
        .map(|(q, (_, o))| (q, o))
        .collect()
}

/// The highest score a pair sharing no concept (no skill, no related
/// occupation or interest) can reach: German, distance and availability in
/// full, interests at most their unknown default.
pub fn unrelated_bound(engine: &Engine, offer: bool) -> f64 {
    let w = engine.config.weights;
    let place = if offer {
        w.distance + w.availability
    } else {
        0.0
    };
    let open = w.german + w.interests * engine.config.interests_unknown.max(0.0) + place;
    let total = w.skills + w.experience + w.german + w.interests + place;
    100.0 * open / total.max(f64::MIN_POSITIVE)
}

/// Occupations and offers for one person: those that share a skill,
/// related experience (the person's own occupations, their KldB neighbours,
/// weakly recognised ones) or a related interest with them, best first;
/// with a [`Note`] where the list is empty or language stands in the way.
pub fn match_profile(engine: &Engine, p: &ResolvedProfile, top: usize) -> Matches {
    let scorer = engine.scorer();
    let targets: Vec<&Target> = engine
        .occupations
        .iter()
        .chain(engine.offers.iter().flatten())
        .collect();
    let ranked: Vec<(Quick, (u8, String, usize))> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (scorer.quick(p, t), (t.kind as u8, t.id.clone(), i)))
        .filter(|(q, _)| q.relevant)
        .collect();
    let results: Vec<MatchResult> = select(ranked, top)
        .into_iter()
        .map(|(_, (_, _, i))| {
            let t = targets[i];
            let s = scorer.explain(p, t);
            MatchResult {
                kind: t.kind.as_str(),
                id: t.id.clone(),
                title: t.title.clone(),
                kldb: t.kldb.clone(),
                score: s.score,
                excluded: s.excluded,
                flags: s.flags,
                criteria: s.criteria,
                gaps: s.gaps,
                training: s.training,
            }
        })
        .collect();
    let note = note(engine, p, &results);
    Matches {
        profile: p.id.clone(),
        results,
        note,
    }
}

/// Why a list is empty and what to do, and the language or literacy step.
fn note(engine: &Engine, p: &ResolvedProfile, results: &[MatchResult]) -> Option<Note> {
    let needed = results
        .iter()
        .filter_map(|r| match r.kind {
            "offer" => engine.catalogue.offer(&r.id).and_then(|o| {
                o.min_german
                    .or_else(|| occupation_german(engine, &o.occupation))
            }),
            _ => occupation_german(engine, &r.id),
        })
        .min();
    let step = crate::score::language_step(&engine.catalogue, &engine.config, p, needed);
    let mut next_steps = Vec::new();
    let mut training = Vec::new();
    let reason = if results.is_empty() {
        if p.written.is_empty() {
            next_steps.push(
                "Im Profilingbogen erfassen: Tätigkeiten (mit Jahren und Land), Ausbildung, \
                 Studium, Berufswünsche und Fähigkeiten"
                    .to_string(),
            );
            "Keine Berufe oder Angebote: im Profil sind weder Berufserfahrung noch Ausbildung, \
             Studium, Berufswünsche oder Fähigkeiten erfasst."
                .to_string()
        } else {
            let written: Vec<String> = p.written.iter().take(5).map(|w| format!("„{w}“")).collect();
            next_steps.push(
                "Tätigkeiten genauer beschreiben (Berufsbezeichnung auf Deutsch oder in der \
                 Herkunftssprache, was genau getan wurde), nötigenfalls mit Sprachmittlung"
                    .to_string(),
            );
            format!(
                "Keine Berufe oder Angebote: die Angaben {} ließen sich keinem Beruf des \
                 Katalogs zuordnen.",
                written.join(", ")
            )
        }
    } else if step.is_some() {
        "Sprache oder Schrift stehen vor dem Einstieg in diese Berufe.".to_string()
    } else {
        return None;
    };
    if let Some((text, ids)) = step {
        next_steps.insert(0, text);
        training = ids;
    }
    Some(Note {
        reason,
        next_steps,
        training,
    })
}

fn occupation_german(engine: &Engine, id: &str) -> Option<crate::cefr::Cefr> {
    engine.catalogue.occupation(id).map(|o| o.min_german)
}

/// Finds a profile in the index or says it does not exist.
pub fn indexed_profile<'i>(index: &'i ProfileIndex, id: &str) -> Result<&'i ResolvedProfile> {
    index
        .profile(id)
        .ok_or_else(|| Error::NotFound(format!("Profil „{id}“ gibt es nicht")))
}
