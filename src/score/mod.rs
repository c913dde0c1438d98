//! Weighted scoring of a resolved profile against a target, with its
//! explanation. Pure: no IO, deterministic.
//!
//! One function computes every score. Ranking calls it without an
//! explanation (nothing is allocated per pair); the chosen results are
//! scored again with one, which fills in evidence, flags and gaps. Both
//! paths give the same number: the score is the sum of the rounded
//! contributions.

mod bound;
mod explain;
mod relatedness;
mod target;
#[cfg(test)]
mod tests;
mod training;

pub use bound::{Bound, Bounds, Cursors, TargetBound};
pub use explain::{label as criterion_label, reach, round2, round3, Criterion, Evidence, Scored};
pub use relatedness::Relatedness;
pub use target::{Need, Target, TargetKind};
pub use training::language_step;

use crate::catalogue::{Catalogue, Importance};
use crate::cefr::Cefr;
use crate::config::Config;
use crate::permit::{ResidenceStatus, WorkPermit};
use crate::resolved::{experience_factor, ResolvedProfile, Source};

/// What the explanation says where a target has no skills on record.
pub const NO_SKILLS: &str = "keine Fähigkeiten hinterlegt";

/// Criterion names in output order.
pub const CRITERIA: [&str; 6] = [
    "skills",
    "experience",
    "german",
    "interests",
    "distance",
    "availability",
];

const SKILLS: usize = 0;
const EXPERIENCE: usize = 1;
const GERMAN: usize = 2;
const INTERESTS: usize = 3;
const DISTANCE: usize = 4;
const AVAILABILITY: usize = 5;

/// Something missing for a target, before it is put into words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gap {
    /// A required skill without evidence, or (`weak`) with too little.
    Skill {
        skill: u32,
        importance: Importance,
        weak: bool,
    },
    German {
        needed: Cefr,
        has: Option<Cefr>,
    },
    Certificate {
        skill: u32,
        mandatory: bool,
    },
    Licence(crate::permit::DrivingLicence),
}

/// What the explaining pass collects.
#[derive(Debug, Default)]
struct Notes {
    evidence: [Vec<Evidence>; 6],
    flags: Vec<String>,
    gaps: Vec<Gap>,
}

/// The numbers of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quick {
    pub score: f64,
    pub excluded: bool,
    /// The pair shares something substantive: a skill, related experience or
    /// a related interest (not only German, place and dates).
    pub relevant: bool,
}

/// Scores profiles against targets with one configuration and catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Scorer<'a> {
    pub catalogue: &'a Catalogue,
    pub config: &'a Config,
    pub related: &'a Relatedness,
}

impl<'a> Scorer<'a> {
    /// The score alone, for ranking: no allocation.
    pub fn quick(&self, p: &ResolvedProfile, t: &Target) -> Quick {
        let (score, excluded, _, sims) = self.run(p, t, None);
        let interested = !(p.interests.is_empty() && p.weak_interests.is_empty());
        let relevant =
            sims[SKILLS] > 0.0 || sims[EXPERIENCE] > 0.0 || (interested && sims[INTERESTS] > 0.0);
        Quick {
            score,
            excluded,
            relevant,
        }
    }

    /// The score with its explanation, gaps and training recommendations.
    pub fn explain(&self, p: &ResolvedProfile, t: &Target) -> Scored {
        let mut notes = Notes::default();
        let (score, excluded, weights, sims) = self.run(p, t, Some(&mut notes));
        let criteria = CRITERIA
            .iter()
            .enumerate()
            .filter(|(i, _)| weights[*i] > 0.0 || applies(*i, t))
            .map(|(i, name)| Criterion {
                name,
                weight: round3(weights[i]),
                similarity: round3(sims[i]),
                contribution: round2(weights[i] * sims[i] * 100.0),
                evidence: std::mem::take(&mut notes.evidence[i]),
            })
            .collect();
        let (gaps, training) = training::recommend(
            self.catalogue,
            self.config,
            p,
            &notes.gaps,
            t.start.or(p.available_from),
        );
        Scored {
            score,
            excluded,
            flags: notes.flags,
            criteria,
            gaps,
            training,
        }
    }

    /// The one scoring function. Returns (score, excluded, weights, similarities).
    fn run(
        &self,
        p: &ResolvedProfile,
        t: &Target,
        mut notes: Option<&mut Notes>,
    ) -> (f64, bool, [f64; 6], [f64; 6]) {
        let weights = self.weights(t);
        let mut sims = [0.0; 6];
        sims[SKILLS] = self.skills(p, t, notes.as_deref_mut());
        sims[EXPERIENCE] = self.experience(p, t, notes.as_deref_mut());
        sims[GERMAN] = self.german(p, t, notes.as_deref_mut());
        sims[INTERESTS] = self.interests(p, t, notes.as_deref_mut());
        let mut out_of_reach = false;
        if t.is_offer() {
            let (sim, beyond) = self.distance(p, t, notes.as_deref_mut());
            let (available, late) = self.availability(p, t, notes.as_deref_mut());
            sims[DISTANCE] = sim;
            sims[AVAILABILITY] = available;
            out_of_reach = beyond || late;
        }
        let excluded = self.constraints(p, t, notes) || out_of_reach;
        (total(&weights, &sims), excluded, weights, sims)
    }

    /// The weights of the criteria for a target, normalised to sum 1 over
    /// the criteria that apply.
    fn weights(&self, t: &Target) -> [f64; 6] {
        let w = self.config.weights;
        let mut weights = [
            w.skills,
            w.experience,
            w.german,
            w.interests,
            w.distance,
            w.availability,
        ];
        for (i, weight) in weights.iter_mut().enumerate() {
            if !applies(i, t) {
                *weight = 0.0;
            }
        }
        // No skills on record (an occupation without curated skills): the
        // criterion is unknown, not 0 and not 1. Its weight goes to
        // experience, which stands in for it by KldB code closeness.
        if t.needs.is_empty() {
            weights[EXPERIENCE] += weights[SKILLS];
            weights[SKILLS] = 0.0;
        }
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            weights.iter_mut().for_each(|x| *x /= total);
        }
        weights
    }

    fn importance_weight(&self, importance: Importance) -> f64 {
        let r = &self.config.skills;
        match importance {
            Importance::Essential => r.essential,
            Importance::Important => r.important,
            Importance::Optional => r.optional,
        }
    }

    fn skills(&self, p: &ResolvedProfile, t: &Target, mut notes: Option<&mut Notes>) -> f64 {
        if t.needs.is_empty() {
            if let Some(n) = notes.as_deref_mut() {
                n.evidence[SKILLS].push(Evidence {
                    written: NO_SKILLS.into(),
                    matched:
                        "nicht bewertet: Gewicht zählt bei der Erfahrung (Nähe der KldB-Codes)"
                            .into(),
                    similarity: 0.0,
                });
            }
        }
        let (mut got, mut max) = (0.0, 0.0);
        for need in &t.needs {
            let weight = self.importance_weight(need.importance);
            max += weight;
            let required = need.required_strength();
            let evidence = p.skill(need.skill);
            let sim = evidence.map_or(0.0, |e| (f64::from(e.strength) / required).min(1.0));
            got += weight * sim;
            if let Some(n) = notes.as_deref_mut() {
                let label = &self.catalogue.skills[need.skill as usize].label;
                if let Some(e) = evidence {
                    let written = p.written.get(e.item as usize).cloned().unwrap_or_default();
                    n.evidence[SKILLS].push(Evidence {
                        written: if e.implied {
                            format!("{written} (Erfahrung)")
                        } else {
                            written
                        },
                        matched: label.clone(),
                        similarity: round3(sim),
                    });
                }
                if sim < self.config.skills.gap_below && need.importance >= Importance::Important {
                    n.gaps.push(Gap::Skill {
                        skill: need.skill,
                        importance: need.importance,
                        weak: evidence.is_some(),
                    });
                }
            }
        }
        if let Some(n) = notes {
            for &(skill, mandatory) in &t.certificates {
                let has = p.skill(skill).is_some_and(|e| {
                    !e.implied && e.strength >= self.config.skills.gap_below as f32
                });
                if !has {
                    n.gaps.push(Gap::Certificate { skill, mandatory });
                    if mandatory {
                        let label = &self.catalogue.skills[skill as usize].label;
                        n.flags.push(format!("vor Arbeitsbeginn nötig: {label}"));
                    }
                }
            }
        }
        if max > 0.0 {
            got / max
        } else {
            0.0
        }
    }

    fn experience(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let mut best = 0.0;
        let mut evidence: Vec<(f64, usize)> = Vec::new();
        for (i, occ) in p.occupations.iter().enumerate() {
            let related = self.related.get(occ.occupation, t.occupation);
            if related <= 0.0 {
                continue;
            }
            let source = source_factor(occ.source);
            let sim = related
                * experience_factor(occ.years.map(f64::from), self.config)
                * f64::from(occ.confidence)
                * source;
            if sim > best {
                best = sim;
            }
            if notes.is_some() {
                evidence.push((sim, i));
            }
        }
        // Text that resolved only weakly counts with its similarity.
        let confident = p.occupations.len();
        for (i, occ) in p.weak_occupations.iter().enumerate() {
            let related = self.related.get(occ.occupation, t.occupation);
            if related <= 0.0 {
                continue;
            }
            let sim = related
                * experience_factor(occ.years.map(f64::from), self.config)
                * f64::from(occ.confidence)
                * self.config.uncurated.weak_factor;
            if sim > best {
                best = sim;
            }
            if notes.is_some() {
                evidence.push((sim, confident + i));
            }
        }
        if let Some(n) = notes {
            evidence.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (sim, i) in evidence.into_iter().take(3) {
                let (occ, unsure) = match p.occupations.get(i) {
                    Some(occ) => (occ, ""),
                    None => (&p.weak_occupations[i - confident], " (unsicher erkannt)"),
                };
                let years = occ
                    .years
                    .map(|y| format!(", {} Jahre", trim_float(f64::from(y))))
                    .unwrap_or_default();
                n.evidence[EXPERIENCE].push(Evidence {
                    written: format!(
                        "{}{years}{unsure}",
                        p.written.get(occ.item as usize).map_or("", String::as_str)
                    ),
                    matched: self.catalogue.occupations[occ.occupation as usize]
                        .title
                        .clone(),
                    similarity: round3(sim),
                });
            }
        }
        best.min(1.0)
    }

    /// Similarity of a German level to the one needed, and whether it is a gap.
    fn german_similarity(&self, has: Option<Cefr>, needed: Cefr) -> (f64, bool) {
        let rules = &self.config.german;
        match has {
            None => (rules.unknown, true),
            Some(has) if has >= needed => (1.0, false),
            Some(has) if has.rank() + 1 == needed.rank() => (rules.one_below, true),
            Some(_) => (0.0, true),
        }
    }

    fn german(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let needed = t.min_german;
        let (sim, gap) = self.german_similarity(p.german, needed);
        if let Some(n) = notes {
            let has = p
                .german
                .map_or_else(|| "unbekannt".to_string(), |l| l.to_string());
            n.evidence[GERMAN].push(Evidence {
                written: format!("Deutsch {has}"),
                matched: format!("mindestens {needed}"),
                similarity: round3(sim),
            });
            if gap {
                n.gaps.push(Gap::German {
                    needed,
                    has: p.german,
                });
            }
            if p.german.is_none() {
                n.flags
                    .push("Deutschniveau unbekannt: bitte einstufen".into());
            }
        }
        sim
    }

    fn interests(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        if p.interests.is_empty() && p.weak_interests.is_empty() {
            return self.config.interests_unknown;
        }
        let mut best = (0.0, None);
        let weak = self.config.uncurated.weak_factor;
        let all = p.interests.iter().map(|x| (x, 1.0, "")).chain(
            p.weak_interests
                .iter()
                .map(|x| (x, weak, " (unsicher erkannt)")),
        );
        for (interest, factor, unsure) in all {
            let sim = self.related.get(interest.occupation, t.occupation)
                * f64::from(interest.confidence)
                * factor;
            if sim > best.0 {
                best = (sim, Some((interest, unsure)));
            }
        }
        if let (Some(n), Some((interest, unsure))) = (notes, best.1) {
            n.evidence[INTERESTS].push(Evidence {
                written: format!(
                    "{}{unsure}",
                    p.written
                        .get(interest.item as usize)
                        .map_or("", String::as_str)
                ),
                matched: self.catalogue.occupations[interest.occupation as usize]
                    .title
                    .clone(),
                similarity: round3(best.0),
            });
        }
        best.0.min(1.0)
    }

    /// Similarity of the distance, and whether the place lies beyond the
    /// person's radius (a hard constraint of the pair).
    fn distance(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> (f64, bool) {
        let rules = &self.config.distance;
        let (Some(home), Some(place)) = (p.location, t.location) else {
            if let Some(n) = notes {
                n.evidence[DISTANCE].push(Evidence {
                    written: "Entfernung unbekannt".into(),
                    matched: "Wohnort oder Einsatzort fehlt".into(),
                    similarity: round3(rules.unknown),
                });
                n.flags
                    .push("Entfernung unbekannt (Wohnort oder Einsatzort fehlt)".into());
            }
            return (rules.unknown, false);
        };
        let km = home.distance_km(place);
        let radius = commute_radius(rules, p.commute_km);
        let (sim, beyond) = distance_similarity(rules, km, radius);
        if let Some(n) = notes {
            let assumed = if p.commute_km.is_none() {
                " (angenommen)"
            } else {
                ""
            };
            let km_text = german_decimal((km * 10.0).round() / 10.0);
            let radius_text = german_decimal(radius);
            n.evidence[DISTANCE].push(Evidence {
                written: format!("{km_text} km entfernt"),
                matched: format!("Pendelradius {radius_text} km{assumed}"),
                similarity: round3(sim),
            });
            if beyond {
                n.flags.push(format!(
                    "ausgeschlossen: {} km, Pendelradius {radius_text} km{assumed}",
                    german_decimal(km.round())
                ));
            }
        }
        (sim, beyond)
    }

    /// Similarity of the availability, and whether the person is available
    /// only after the start (a hard constraint of the pair).
    fn availability(
        &self,
        p: &ResolvedProfile,
        t: &Target,
        notes: Option<&mut Notes>,
    ) -> (f64, bool) {
        let rules = &self.config.availability;
        let (Some(from), Some(start)) = (p.available_from, t.start) else {
            if let Some(n) = notes {
                n.evidence[AVAILABILITY].push(Evidence {
                    written: "verfügbar ab: unbekannt".into(),
                    matched: t.start.map_or_else(
                        || "Beginn offen".into(),
                        |s| format!("Beginn {}", german_date(s)),
                    ),
                    similarity: round3(rules.unknown),
                });
            }
            return (rules.unknown, false);
        };
        let (sim, late) = availability_similarity(Some(from), Some(start), rules.unknown);
        if let Some(n) = notes {
            let (from, start) = (german_date(from), german_date(start));
            n.evidence[AVAILABILITY].push(Evidence {
                written: format!("verfügbar ab {from}"),
                matched: format!("Beginn {start}"),
                similarity: round3(sim),
            });
            if late {
                n.flags.push(format!(
                    "ausgeschlossen: verfügbar ab {from}, Beginn {start}"
                ));
            }
        }
        (sim, late)
    }

    /// The last day of the training an offer starts, if it is one.
    pub fn training_end(&self, t: &Target) -> Option<chrono::NaiveDate> {
        if !t.training_place {
            return None;
        }
        let period = &self.config.training_period;
        let months = t.training_months.unwrap_or(if t.kind_is_eq {
            period.eq_months
        } else {
            period.ausbildung_months
        });
        let start = t.start?;
        (start + chrono::Months::new(months)).pred_opt()
    }

    /// Hard constraints: returns whether the pair is excluded; flags say why.
    fn constraints(&self, p: &ResolvedProfile, t: &Target, mut notes: Option<&mut Notes>) -> bool {
        let mut excluded = false;
        let flag = |notes: &mut Option<&mut Notes>, text: &dyn Fn() -> String| {
            if let Some(n) = notes.as_deref_mut() {
                n.flags.push(text());
            }
        };
        match p.consent_matching {
            Some(false) => {
                excluded = true;
                flag(&mut notes, &|| {
                    "ausgeschlossen: keine Einwilligung in den Abgleich (Datenschutz)".into()
                });
            }
            None => flag(&mut notes, &|| {
                "Einwilligung zum Datenschutz nicht erfasst".into()
            }),
            Some(true) => {}
        }
        if t.is_offer() && p.consent_employers == Some(false) {
            flag(&mut notes, &|| {
                "keine Einwilligung zur Weitergabe an Arbeitgeber: nur anonym vorstellen".into()
            });
        }
        if t.is_offer() && t.work_permit_required {
            match p.work_permit {
                WorkPermit::NotAllowed => {
                    excluded = true;
                    flag(&mut notes, &|| {
                        "ausgeschlossen: keine Arbeitserlaubnis".into()
                    });
                }
                WorkPermit::NeedsApproval => flag(&mut notes, &|| {
                    "Zustimmung der Ausländerbehörde für diese Stelle einholen".into()
                }),
                WorkPermit::Unknown => flag(&mut notes, &|| {
                    "Arbeitserlaubnis ungeklärt: bitte prüfen".into()
                }),
                WorkPermit::Allowed => {}
            }
        }
        for &licence in &t.licences {
            if !p.has_licence(licence) {
                if t.is_offer() {
                    excluded = true;
                    flag(&mut notes, &|| {
                        format!("ausgeschlossen: Führerschein {licence} fehlt")
                    });
                } else {
                    flag(&mut notes, &|| format!("Führerschein {licence} nötig"));
                }
                if let Some(n) = notes.as_deref_mut() {
                    n.gaps.push(Gap::Licence(licence));
                }
            }
        }
        if t.training_place && self.permit_falls_short(p, t, &mut notes) {
            excluded = true;
        }
        if t.is_offer() && p.part_time_only {
            flag(&mut notes, &|| {
                "nur Teilzeit möglich: mit dem Betrieb klären".into()
            });
        }
        excluded
    }
}

impl Scorer<'_> {
    /// Residence for the whole training: flags a Gestattung, Duldung or title
    /// that may not last until the training's end, with both dates and the
    /// question to put to the Ausländerbehörde. Returns whether the run
    /// requires the permit for the whole training and it falls short.
    fn permit_falls_short(
        &self,
        p: &ResolvedProfile,
        t: &Target,
        notes: &mut Option<&mut Notes>,
    ) -> bool {
        let end = self.training_end(t);
        let until = p.permit_valid_until;
        if !permit_short(p.residence, until, end) {
            return false;
        }
        let require = self.config.training_period.require_permit_for_training;
        if let Some(n) = notes.as_deref_mut() {
            let end = end.map_or_else(|| "unbekannt".to_string(), german_date);
            let until = until.map_or_else(|| "ohne Datum".to_string(), german_date);
            let text = match p.residence {
                ResidenceStatus::Duldung => format!(
                    "Duldung bis {until}, Ausbildung endet {end}: bei der Ausländerbehörde fragen, ob eine Ausbildungsduldung (§ 60c AufenthG) in Betracht kommt"
                ),
                ResidenceStatus::Aufenthaltsgestattung => format!(
                    "Aufenthaltsgestattung bis {until}, Ausbildung endet {end}: bei der Ausländerbehörde klären, wie der Aufenthalt für die ganze Ausbildung gesichert werden kann (nach einer Ablehnung des Asylantrags etwa über eine Ausbildungsduldung, § 60c AufenthG)"
                ),
                ResidenceStatus::Aufenthaltserlaubnis => format!(
                    "Aufenthaltstitel gültig bis {until}, Ausbildung endet {end}: bei der Ausländerbehörde nach einer Verlängerung für die ganze Ausbildung fragen (etwa Aufenthaltserlaubnis zur Berufsausbildung, § 16a AufenthG)"
                ),
                _ => "Aufenthaltsstatus unbekannt: Aufenthalt für die ganze Ausbildung klären".into(),
            };
            n.flags.push(if require {
                format!("ausgeschlossen (Aufenthalt für die ganze Ausbildung verlangt): {text}")
            } else {
                text
            });
        }
        require
    }
}

/// The score of a pair: the sum of the criteria's contributions, each
/// weight × similarity × 100 rounded to 2 decimals, rounded again.
fn total(weights: &[f64; 6], sims: &[f64; 6]) -> f64 {
    let score = (0..6)
        .map(|i| round2(weights[i] * sims[i] * 100.0))
        .sum::<f64>();
    round2(score)
}

/// Whether a residence status valid `until` may not last to the training's
/// `end`.
fn permit_short(
    residence: ResidenceStatus,
    until: Option<chrono::NaiveDate>,
    end: Option<chrono::NaiveDate>,
) -> bool {
    let covers = matches!((until, end), (Some(u), Some(e)) if u >= e);
    match residence {
        ResidenceStatus::Duldung | ResidenceStatus::Aufenthaltsgestattung => !covers,
        ResidenceStatus::Unbekannt => true,
        ResidenceStatus::Aufenthaltserlaubnis => {
            matches!((until, end), (Some(u), Some(e)) if u < e)
        }
        ResidenceStatus::Niederlassungserlaubnis => false,
    }
}

/// A date as Germans write it: 01.08.2016.
pub fn german_date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A number with a decimal comma: "12,5", "30".
fn german_decimal(x: f64) -> String {
    trim_float(x).replace('.', ",")
}

/// How much an occupation counts by where it comes from.
fn source_factor(source: Source) -> f64 {
    match source {
        Source::Experience | Source::Training => 1.0,
        Source::Study => 0.8,
        Source::Skill => 0.6,
    }
}

/// The commute radius of a person in km: as given, else the default.
fn commute_radius(rules: &crate::config::DistanceRules, commute_km: Option<u16>) -> f64 {
    commute_km
        .map_or(rules.default_radius_km, f64::from)
        .max(1.0)
}

/// Similarity of a distance within a radius (1 at home, `at_radius` at the
/// radius), and whether it lies beyond it (similarity 0).
fn distance_similarity(rules: &crate::config::DistanceRules, km: f64, radius: f64) -> (f64, bool) {
    if km > radius {
        (0.0, true)
    } else {
        (
            1.0 - (1.0 - rules.at_radius.clamp(0.0, 1.0)) * km / radius,
            false,
        )
    }
}

/// Similarity of the availability to a start (`unknown` where either date
/// is missing), and whether the person is available only after it.
fn availability_similarity(
    from: Option<chrono::NaiveDate>,
    start: Option<chrono::NaiveDate>,
    unknown: f64,
) -> (f64, bool) {
    match (from, start) {
        (Some(from), Some(start)) if from > start => (0.0, true),
        (Some(_), Some(_)) => (1.0, false),
        _ => (unknown, false),
    }
}

/// Whether criterion `i` applies to the target.
fn applies(i: usize, t: &Target) -> bool {
    t.is_offer() || !(i == DISTANCE || i == AVAILABILITY)
}

/// "3" for 3.0, "1.5" for 1.5.
fn trim_float(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}
