//! Weighted scoring of a resolved profile against a target, with its
//! explanation. Pure: no IO, deterministic.
//!
//! One function computes every score. Ranking calls it without an
//! explanation (nothing is allocated per pair); the chosen results are
//! scored again with one, which fills in evidence, flags and gaps. Both
//! paths give the same number: the score is the sum of the rounded
//! contributions.

mod explain;
mod relatedness;
mod target;
mod training;

pub use explain::{label as criterion_label, round2, round3, Criterion, Evidence, Scored};
pub use relatedness::Relatedness;
pub use target::{Need, Target, TargetKind};

use crate::catalogue::{Catalogue, Importance};
use crate::cefr::Cefr;
use crate::config::Config;
use crate::permit::{ResidenceStatus, WorkPermit};
use crate::resolved::{experience_factor, ResolvedProfile, Source};

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
        let relevant = sims[SKILLS] > 0.0
            || sims[EXPERIENCE] > 0.0
            || (!p.interests.is_empty() && sims[INTERESTS] > 0.0);
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
        let (gaps, training) = training::recommend(self.catalogue, self.config, p, &notes.gaps);
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
        let cfg = self.config;
        let w = cfg.weights;
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
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            weights.iter_mut().for_each(|x| *x /= total);
        }

        let mut sims = [0.0; 6];
        sims[SKILLS] = self.skills(p, t, notes.as_deref_mut());
        sims[EXPERIENCE] = self.experience(p, t, notes.as_deref_mut());
        sims[GERMAN] = self.german(p, t, notes.as_deref_mut());
        sims[INTERESTS] = self.interests(p, t, notes.as_deref_mut());
        if t.is_offer() {
            sims[DISTANCE] = self.distance(p, t, notes.as_deref_mut());
            sims[AVAILABILITY] = self.availability(p, t, notes.as_deref_mut());
        }
        let excluded = self.constraints(p, t, notes);
        let score = (0..6)
            .map(|i| round2(weights[i] * sims[i] * 100.0))
            .sum::<f64>();
        (round2(score), excluded, weights, sims)
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
            // Nothing known about the skills (a KldB group without a curated
            // record): no evidence, rather than full marks.
            return 0.0;
        }
        let (mut got, mut max) = (0.0, 0.0);
        for need in &t.needs {
            let weight = self.importance_weight(need.importance);
            max += weight;
            let required = 0.6 + 0.1 * f64::from(need.level.unwrap_or(3));
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
        got / max
    }

    fn experience(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let mut best = 0.0;
        let mut evidence: Vec<(f64, usize)> = Vec::new();
        for (i, occ) in p.occupations.iter().enumerate() {
            let related = self.related.get(occ.occupation, t.occupation);
            if related <= 0.0 {
                continue;
            }
            let source = match occ.source {
                Source::Experience | Source::Training => 1.0,
                Source::Study => 0.8,
                Source::Skill => 0.6,
            };
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
        if let Some(n) = notes {
            evidence.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (sim, i) in evidence.into_iter().take(3) {
                let occ = &p.occupations[i];
                let years = occ
                    .years
                    .map(|y| format!(", {} Jahre", trim_float(f64::from(y))))
                    .unwrap_or_default();
                n.evidence[EXPERIENCE].push(Evidence {
                    written: format!(
                        "{}{years}",
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

    fn german(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let rules = &self.config.german;
        let needed = t.min_german;
        let (sim, gap) = match p.german {
            None => (rules.unknown, true),
            Some(has) if has >= needed => (1.0, false),
            Some(has) if has.rank() + 1 == needed.rank() => (rules.one_below, true),
            Some(_) => (0.0, true),
        };
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
        if p.interests.is_empty() {
            return self.config.interests_unknown;
        }
        let mut best = (0.0, None);
        for (i, interest) in p.interests.iter().enumerate() {
            let sim = self.related.get(interest.occupation, t.occupation)
                * f64::from(interest.confidence);
            if sim > best.0 {
                best = (sim, Some(i));
            }
        }
        if let (Some(n), Some(i)) = (notes, best.1) {
            let interest = &p.interests[i];
            n.evidence[INTERESTS].push(Evidence {
                written: p
                    .written
                    .get(interest.item as usize)
                    .cloned()
                    .unwrap_or_default(),
                matched: self.catalogue.occupations[interest.occupation as usize]
                    .title
                    .clone(),
                similarity: round3(best.0),
            });
        }
        best.0.min(1.0)
    }

    fn distance(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let rules = &self.config.distance;
        let (Some(home), Some(place)) = (p.location, t.location) else {
            if let Some(n) = notes {
                n.flags
                    .push("Entfernung unbekannt (Wohnort oder Einsatzort fehlt)".into());
            }
            return rules.unknown;
        };
        let km = home.distance_km(place);
        let radius = p
            .commute_km
            .map_or(rules.default_radius_km, f64::from)
            .max(1.0);
        let sim = if km <= radius {
            1.0
        } else {
            (1.0 - (km - radius) / (radius * (rules.zero_at_factor - 1.0).max(0.01))).max(0.0)
        };
        if let Some(n) = notes {
            let assumed = if p.commute_km.is_none() {
                " (angenommen)"
            } else {
                ""
            };
            n.evidence[DISTANCE].push(Evidence {
                written: format!("{} km entfernt", trim_float((km * 10.0).round() / 10.0)),
                matched: format!("Pendelradius {} km{assumed}", trim_float(radius)),
                similarity: round3(sim),
            });
        }
        sim
    }

    fn availability(&self, p: &ResolvedProfile, t: &Target, notes: Option<&mut Notes>) -> f64 {
        let rules = &self.config.availability;
        let (Some(from), Some(start)) = (p.available_from, t.start) else {
            if let Some(n) = notes {
                n.evidence[AVAILABILITY].push(Evidence {
                    written: "verfügbar ab: unbekannt".into(),
                    matched: t
                        .start
                        .map_or_else(|| "Beginn offen".into(), |s| format!("Beginn {s}")),
                    similarity: round3(rules.unknown),
                });
            }
            return rules.unknown;
        };
        let late = (from - start).num_days() as f64;
        let sim = if late <= 0.0 {
            1.0
        } else {
            (1.0 - late / rules.zero_after_days.max(1.0)).max(0.0)
        };
        if let Some(n) = notes {
            n.evidence[AVAILABILITY].push(Evidence {
                written: format!("verfügbar ab {from}"),
                matched: format!("Beginn {start}"),
                similarity: round3(sim),
            });
        }
        sim
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
        if t.training_place {
            match p.residence {
                ResidenceStatus::Duldung => flag(&mut notes, &|| {
                    "Duldung: Ausbildungsduldung (§ 60c AufenthG) bei der Ausländerbehörde klären"
                        .into()
                }),
                ResidenceStatus::Aufenthaltsgestattung => flag(&mut notes, &|| {
                    "Aufenthaltsgestattung: Aufenthalt für die ganze Ausbildungsdauer klären".into()
                }),
                ResidenceStatus::Unbekannt => {
                    flag(&mut notes, &|| "Aufenthaltsstatus unbekannt".into())
                }
                _ => {}
            }
            // A residence title must last the training; Gestattung and Duldung
            // are renewed in short steps and flagged above instead.
            let months = if t.kind_is_eq { 12 } else { 36 };
            let titled = matches!(
                p.residence,
                ResidenceStatus::Aufenthaltserlaubnis | ResidenceStatus::Niederlassungserlaubnis
            );
            if let (true, Some(until), Some(start)) = (titled, p.permit_valid_until, t.start) {
                if until < start + chrono::Months::new(months) {
                    flag(&mut notes, &|| {
                        format!("Aufenthaltstitel nur bis {until}: reicht nicht für die ganze Ausbildung")
                    });
                }
            }
        }
        if t.is_offer() && p.part_time_only {
            flag(&mut notes, &|| {
                "nur Teilzeit möglich: mit dem Betrieb klären".into()
            });
        }
        excluded
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
