//! The report a coordinator hands on after an allocation run: per offer and
//! per school class who was allocated, with score and reasons; the empty
//! places and why they stayed empty; every person with a relevant offer who
//! got none, and why; and for each allocated person the checklist before
//! the start. Pure: built from a finished run, no IO; deterministic (every
//! list in a fixed order). `xlsx` writes it as a workbook.

mod xlsx;

pub use xlsx::{to_xlsx, write_xlsx};

use crate::batch::{Assignment, Run};
use crate::permit::WorkPermit;
use crate::resolved::ResolvedProfile;
use crate::score::{Quick, Scored, Target};
use chrono::NaiveDate;
use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The programme the run was limited to.
    pub programme: Option<String>,
    pub min_score: f64,
    /// Whether residence for the whole training was a hard constraint.
    pub require_permit: bool,
    pub places: u64,
    pub filled: u64,
    pub offers: Vec<OfferSection>,
    pub classes: Vec<ClassSection>,
    pub unplaced: Vec<Unplaced>,
    pub checklists: Vec<Checklist>,
}

/// One offer: who got its places, and why places stayed empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferSection {
    pub offer: String,
    pub title: String,
    pub employer: String,
    pub municipality: String,
    pub kind: String,
    pub start: NaiveDate,
    /// The school's name, if the offer has a school class.
    pub school: Option<String>,
    pub places: u32,
    pub allocated: Vec<Allocated>,
    pub empty: u32,
    /// Why places stayed empty (set exactly when `empty > 0`).
    pub empty_reason: Option<String>,
}

/// An allocated person with the reasons for the pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocated {
    pub profile: String,
    pub name: String,
    pub score: f64,
    /// Every criterion with its contribution.
    pub reasons: String,
    pub flags: Vec<String>,
}

/// One school class: its seats and who takes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSection {
    pub school: String,
    pub municipality: String,
    pub occupation: String,
    pub school_year: String,
    pub capacity: u32,
    /// `(offer, profile, name)` of every trainee in the class.
    pub trainees: Vec<(String, String, String)>,
    /// Seats left, and why (set exactly when seats are left).
    pub free_reason: Option<String>,
}

/// A person with a relevant offer of the run who got no place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unplaced {
    pub profile: String,
    pub name: String,
    /// Their best relevant offer and the score there.
    pub best_offer: String,
    pub best_score: f64,
    /// Why not there (the constraint, or who took the place by how much).
    pub reason: String,
    /// How many relevant offers of the run they had.
    pub relevant_offers: usize,
}

/// What must happen before an allocated person starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    pub profile: String,
    pub name: String,
    pub offer: String,
    pub start: NaiveDate,
    pub items: Vec<String>,
}

/// "71,3": a number with a decimal comma and `decimals` places.
pub fn german_number(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

/// Builds the report of a finished allocation run.
pub fn build(run: &Run<'_>, a: &Assignment, allocation: &crate::allocate::Allocation) -> Report {
    let scorer = run.engine.scorer();
    let catalogue = &run.engine.catalogue;
    let offers_n = run.targets.len();
    // mate[person] = offer index of the run
    let mut mate: Vec<Option<u32>> = vec![None; run.profiles.len()];
    for &(o, p) in &allocation.pairs {
        mate[p as usize] = Some(o);
    }
    let score_of = |o: usize, p: u32| -> Option<Quick> {
        run.ranked[o].iter().find(|(_, x)| *x == p).map(|(q, _)| *q)
    };
    // Per offer, its allocated people by score (highest first).
    let mut holders: Vec<Vec<(f64, u32)>> = vec![Vec::new(); offers_n];
    for &(o, p) in &allocation.pairs {
        let s = score_of(o as usize, p).map_or(0.0, |q| q.score);
        holders[o as usize].push((s, p));
    }
    for h in &mut holders {
        h.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let empty_reason = |id: &str| {
        a.empty
            .iter()
            .find(|e| e.offer == id)
            .map(|e| (e.empty, e.reason.clone()))
    };

    let mut offers = Vec::with_capacity(offers_n);
    let mut checklists = Vec::new();
    for (o, t) in run.targets.iter().enumerate() {
        let offer = catalogue.offer(&t.id);
        let school = run.class_of[o].map(|k| run.class(k as usize).0.name.clone());
        let mut allocated = Vec::new();
        for &(score, p) in &holders[o] {
            let person = &run.profiles[p as usize];
            let scored = scorer.explain(person, t);
            allocated.push(Allocated {
                profile: person.id.clone(),
                name: person.name.clone(),
                score,
                reasons: reasons(&scored),
                flags: scored.flags.clone(),
            });
            checklists.push(Checklist {
                profile: person.id.clone(),
                name: person.name.clone(),
                offer: t.id.clone(),
                start: t.start.unwrap_or_default(),
                items: checklist(person, t, &scored, school.as_deref()),
            });
        }
        let (empty, reason) = match empty_reason(&t.id) {
            Some((n, r)) => (n, Some(r)),
            None => (0, None),
        };
        let reason = reason.map(|r| explain_exclusions(run, o, r));
        offers.push(OfferSection {
            offer: t.id.clone(),
            title: t.title.clone(),
            employer: offer.map_or_else(String::new, |x| x.employer.clone()),
            municipality: offer
                .and_then(|x| x.municipality.clone())
                .unwrap_or_default(),
            kind: offer.map_or("", |x| x.kind.label()).to_string(),
            start: t.start.unwrap_or_default(),
            school,
            places: t.places,
            allocated,
            empty,
            empty_reason: reason,
        });
    }
    checklists.sort_by(|a, b| a.profile.cmp(&b.profile));

    let classes = (0..run.classes.len())
        .map(|k| {
            let (school, class) = run.class(k);
            let use_ = &a.classes[k];
            let mut trainees = Vec::new();
            for (o, holders) in holders.iter().enumerate() {
                if run.class_of[o] == Some(k as u32) {
                    for &(_, p) in holders {
                        let person = &run.profiles[p as usize];
                        trainees.push((
                            run.targets[o].id.clone(),
                            person.id.clone(),
                            person.name.clone(),
                        ));
                    }
                }
            }
            let free = class.capacity.saturating_sub(use_.taken);
            let free_reason = (free > 0).then(|| {
                let empty_offers: Vec<String> = (0..offers_n)
                    .filter(|&o| run.class_of[o] == Some(k as u32))
                    .filter(|&o| holders[o].len() < run.targets[o].places as usize)
                    .map(|o| run.targets[o].id.clone())
                    .collect();
                let places: u32 = (0..offers_n)
                    .filter(|&o| run.class_of[o] == Some(k as u32))
                    .map(|o| run.targets[o].places)
                    .sum();
                if places < class.capacity {
                    format!(
                        "{free} frei: die Angebote der Klasse haben zusammen nur {places} Plätze"
                    )
                } else {
                    format!(
                        "{free} frei: Angebote mit freien Plätzen (Gründe bei den Angeboten): {}",
                        empty_offers.join(", ")
                    )
                }
            });
            ClassSection {
                school: school.name.clone(),
                municipality: school.municipality.clone(),
                occupation: catalogue
                    .occupation(&class.occupation)
                    .map_or_else(|| class.occupation.clone(), |x| x.title.clone()),
                school_year: class.school_year.clone(),
                capacity: class.capacity,
                trainees,
                free_reason,
            }
        })
        .collect();

    // People with a relevant offer who got none: their best relevant offer
    // and why not there.
    let mut best: Vec<Option<(Quick, usize)>> = vec![None; run.profiles.len()];
    let mut relevant = vec![0usize; run.profiles.len()];
    for (o, list) in run.ranked.iter().enumerate() {
        for (q, p) in list {
            let pu = *p as usize;
            if mate[pu].is_some() {
                continue;
            }
            relevant[pu] += 1;
            let better = match best[pu] {
                None => true,
                Some((b, bo)) => {
                    rank_key(q) > rank_key(&b) || (rank_key(q) == rank_key(&b) && o < bo)
                }
            };
            if better {
                best[pu] = Some((*q, o));
            }
        }
    }
    let mut unplaced: Vec<Unplaced> = best
        .iter()
        .enumerate()
        .filter_map(|(p, b)| b.map(|(q, o)| (p, q, o)))
        .map(|(p, q, o)| {
            let person = &run.profiles[p];
            let t = run.targets[o];
            let reason = why_not(run, o, person, t, &q, &holders[o]);
            Unplaced {
                profile: person.id.clone(),
                name: person.name.clone(),
                best_offer: t.id.clone(),
                best_score: q.score,
                reason,
                relevant_offers: relevant[p],
            }
        })
        .collect();
    unplaced.sort_by(|a, b| a.profile.cmp(&b.profile));

    Report {
        programme: a.programme.clone(),
        min_score: a.min_score,
        require_permit: run
            .engine
            .config
            .training_period
            .require_permit_for_training,
        places: a.places,
        filled: a.filled,
        offers,
        classes,
        unplaced,
        checklists,
    }
}

/// Admissible pairs rank before excluded ones, then by score.
fn rank_key(q: &Quick) -> (bool, i64) {
    (!q.excluded, (q.score * 100.0).round() as i64)
}

/// Every criterion with its contribution, in output order.
fn reasons(scored: &Scored) -> String {
    scored
        .criteria
        .iter()
        .map(|c| {
            let evidence = c
                .evidence
                .first()
                .map(|e| format!(" ({} → {})", e.written, e.matched))
                .unwrap_or_default();
            format!(
                "{} {}{evidence}",
                c.label(),
                german_number(c.contribution, 1)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The empty places' reason, with the hard constraints that excluded
/// candidates counted (distance, start, permits …).
fn explain_exclusions(run: &Run<'_>, o: usize, reason: String) -> String {
    let scorer = run.engine.scorer();
    let t = run.targets[o];
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (q, p) in &run.ranked[o] {
        if !q.excluded {
            continue;
        }
        let scored = scorer.explain(&run.profiles[*p as usize], t);
        for flag in scored
            .flags
            .iter()
            .filter(|f| f.starts_with("ausgeschlossen"))
        {
            let kind = constraint_kind(flag);
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind.to_string(), 1)),
            }
        }
    }
    if counts.is_empty() {
        return reason;
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let list: Vec<String> = counts.iter().map(|(k, n)| format!("{n}× {k}")).collect();
    format!("{reason} — Ausschlussgründe: {}", list.join(", "))
}

/// The kind of a hard constraint, from its flag.
fn constraint_kind(flag: &str) -> &'static str {
    if flag.contains("Pendelradius") {
        "außerhalb des Pendelradius"
    } else if flag.contains("verfügbar ab") {
        "erst nach Beginn verfügbar"
    } else if flag.contains("Arbeitserlaubnis") {
        "keine Arbeitserlaubnis"
    } else if flag.contains("Führerschein") {
        "Führerschein fehlt"
    } else if flag.contains("Einwilligung") {
        "keine Einwilligung"
    } else if flag.contains("Aufenthalt") || flag.contains("Duldung") {
        "Aufenthalt reicht nicht bis zum Ausbildungsende"
    } else {
        "andere harte Bedingung"
    }
}

/// Why person `p` did not get a place at its best relevant offer `o`.
fn why_not(
    run: &Run<'_>,
    o: usize,
    p: &ResolvedProfile,
    t: &Target,
    q: &Quick,
    holders: &[(f64, u32)],
) -> String {
    if q.excluded {
        let scored = run.engine.scorer().explain(p, t);
        let flags: Vec<&str> = scored
            .flags
            .iter()
            .filter(|f| f.starts_with("ausgeschlossen"))
            .map(String::as_str)
            .collect();
        return if flags.is_empty() {
            "ausgeschlossen (harte Bedingung)".into()
        } else {
            flags.join("; ")
        };
    }
    if !run.admissible(q) {
        return format!(
            "{} Punkte: unter der Mindestpunktzahl {}",
            german_number(q.score, 1),
            german_number(run.min_score, 1)
        );
    }
    if holders.len() >= t.places as usize {
        if let Some(&(last, who)) = holders.last() {
            let who = &run.profiles[who as usize];
            return format!(
                "alle {} Plätze vergeben; der letzte an {} ({}, {} Punkte, {} mehr)",
                t.places,
                who.id,
                who.name,
                german_number(last, 1),
                german_number((last - q.score).max(0.0), 1)
            );
        }
    }
    if let Some(k) = run.class_of[o] {
        let (school, class) = run.class(k as usize);
        return format!(
            "Berufsschulklasse voll: {}, {} {} ({} Plätze, an höher bewertete Paare anderer Angebote vergeben)",
            school.name, class.occupation, class.school_year, class.capacity
        );
    }
    "kein Platz frei".into()
}

/// What must happen before the start, from the pair's flags and records.
fn checklist(
    p: &ResolvedProfile,
    t: &Target,
    scored: &Scored,
    school: Option<&str>,
) -> Vec<String> {
    let mut items = Vec::new();
    match p.work_permit {
        WorkPermit::NeedsApproval => items.push(
            "Zustimmung der Ausländerbehörde zur Beschäftigung einholen (über die Agentur für Arbeit)"
                .to_string(),
        ),
        WorkPermit::Unknown => items.push("Arbeitserlaubnis klären".to_string()),
        _ => {}
    }
    for flag in &scored.flags {
        if flag.contains("Ausländerbehörde") && !flag.contains("Zustimmung") {
            items.push(format!("Aufenthalt: {flag}"));
        }
    }
    if scored.flags.iter().any(|f| f.contains("§ 43 IfSG")) {
        items.push(
            "Belehrung nach § 43 IfSG beim Gesundheitsamt (vor dem ersten Arbeitstag)".into(),
        );
    }
    for flag in &scored.flags {
        if let Some(rest) = flag.strip_prefix("vor Arbeitsbeginn nötig: ") {
            if !rest.contains("§ 43 IfSG") {
                items.push(format!("vor Arbeitsbeginn: {rest}"));
            }
        }
    }
    match p.german {
        Some(level) if level >= t.min_german => {}
        Some(level) => items.push(format!(
            "Deutschkurs: Berufssprachkurs von {level} bis {} (verlangt)",
            t.min_german
        )),
        None => items.push(format!(
            "Deutschniveau einstufen; verlangt ist {}",
            t.min_german
        )),
    }
    if t.training_place {
        if let Some(school) = school {
            items.push(format!("Anmeldung an der Berufsschule: {school}"));
        }
        items.push(
            "Ausbildungsbegleitung organisieren (z. B. Assistierte Ausbildung, Ansprechperson im Betrieb)"
                .into(),
        );
    }
    if p.consent_employers == Some(false) {
        items.push("keine Einwilligung zur Weitergabe: dem Betrieb nur anonym vorstellen".into());
    }
    if p.part_time_only {
        items.push("nur Teilzeit möglich: mit dem Betrieb klären".into());
    }
    if t.kind_is_eq {
        items.push("EQ-Vertrag bei der zuständigen Kammer eintragen lassen".into());
    }
    items
}
