//! Gaps put into words, and the training offers that close them — the
//! Kompetenzprofil's purpose. A course is recommended only if the person
//! meets its prerequisites; otherwise the course to take first is named too.
//!
//! Time and place: relative to a reference date (the offer's start, else
//! the day the person is available from; without either, time is not
//! judged) a course that has ended is never recommended, nor one that has
//! started unless it allows late entry (`late_entry`). Among usable
//! courses, those within 50 km come first, then the shorter, then the
//! nearer, then by id — so a person in Koblenz gets the Koblenz course of
//! two equal ones, not the one in Mayen.

use super::Gap;
use crate::catalogue::{Catalogue, Importance, TrainingKind, TrainingOffer};
use crate::cefr::Cefr;
use crate::config::Config;
use crate::resolved::ResolvedProfile;
use chrono::NaiveDate;

/// What a course needs that the person lacks.
#[derive(Debug, Clone, PartialEq)]
enum Unmet {
    German(Cefr),
    Literacy,
    Skill(u32),
    WorkPermit,
}

/// The gaps as German text and the training ids that close them, in order.
pub(super) fn recommend(
    catalogue: &Catalogue,
    config: &Config,
    p: &ResolvedProfile,
    gaps: &[Gap],
    reference: Option<NaiveDate>,
) -> (Vec<String>, Vec<String>) {
    let mut texts = Vec::new();
    let mut training: Vec<String> = Vec::new();
    let add = |ids: &[&TrainingOffer], training: &mut Vec<String>| {
        for t in ids {
            if !training.contains(&t.id) {
                training.push(t.id.clone());
            }
        }
    };
    let has_skill = |s: u32| {
        p.skill(s)
            .is_some_and(|e| e.strength >= config.skills.gap_below as f32)
    };
    for gap in gaps {
        let (text, courses) = match *gap {
            Gap::Skill {
                skill,
                importance,
                weak,
            } => {
                let label = &catalogue.skills[skill as usize].label;
                let what = match importance {
                    Importance::Essential => "unverzichtbar",
                    _ => "wichtig",
                };
                (
                    if weak {
                        format!("Fähigkeit nicht ausreichend belegt: {label} ({what})")
                    } else {
                        format!("Fähigkeit fehlt: {label} ({what})")
                    },
                    plan(catalogue, p, reference, &has_skill, |t| {
                        t.provides
                            .iter()
                            .any(|x| catalogue.skill_index(x) == Some(skill as usize))
                    }),
                )
            }
            Gap::Certificate { skill, mandatory } => {
                let label = &catalogue.skills[skill as usize].label;
                let when = if mandatory {
                    "Pflicht vor Arbeitsbeginn"
                } else {
                    "von Vorteil"
                };
                (
                    format!("Nachweis fehlt: {label} ({when})"),
                    plan(catalogue, p, reference, &has_skill, |t| {
                        t.provides
                            .iter()
                            .any(|x| catalogue.skill_index(x) == Some(skill as usize))
                    }),
                )
            }
            Gap::German { needed, has } => {
                let has_text = has.map_or("unbekannt".to_string(), |l| l.to_string());
                let text = format!("Deutsch {needed} nötig, vorhanden: {has_text}");
                if has.is_none() {
                    (format!("{text} (Einstufungstest)"), Vec::new())
                } else {
                    (
                        text,
                        plan(catalogue, p, reference, &has_skill, |t| {
                            t.german_reached.is_some_and(|r| r >= needed)
                        }),
                    )
                }
            }
            Gap::Licence(class) => (
                format!("Führerschein {class} fehlt"),
                plan(catalogue, p, reference, &has_skill, |t| {
                    t.title.contains(&format!("Führerschein {class}"))
                        || t.title.contains(&format!("Klasse {class}"))
                }),
            ),
        };
        let text = if courses.is_empty() {
            text
        } else {
            let names: Vec<String> = courses.iter().map(|c| course_name(c)).collect();
            format!("{text} → {}", names.join(", dann "))
        };
        texts.push(text);
        add(&courses, &mut training);
    }
    (texts, training)
}

/// A course as people name it: title, provider and place, with its start
/// („Integrationskurs (VHS Koblenz, Koblenz, ab 11.01.2016)“).
pub fn course_name(c: &TrainingOffer) -> String {
    let mut parts = vec![c.provider.clone()];
    if let Some(m) = &c.municipality {
        if !c.provider.contains(m.as_str()) {
            parts.push(m.clone());
        }
    }
    if let Some(d) = c.start_date {
        parts.push(format!("ab {}", d.format("%d.%m.%Y")));
    }
    format!("{} ({})", c.title, parts.join(", "))
}

/// The courses to take, in order, for a gap: one the person can start
/// directly, or the one that opens the way first and then the course itself.
fn plan<'c>(
    catalogue: &'c Catalogue,
    p: &ResolvedProfile,
    reference: Option<NaiveDate>,
    has_skill: &dyn Fn(u32) -> bool,
    closes: impl Fn(&TrainingOffer) -> bool,
) -> Vec<&'c TrainingOffer> {
    let mut candidates: Vec<&TrainingOffer> = catalogue
        .training
        .iter()
        .filter(|t| t.kind != TrainingKind::Freizeit && closes(t) && open_at(t, reference))
        .collect();
    candidates.sort_by_key(|t| course_order(catalogue, p, t));
    if let Some(direct) = candidates
        .iter()
        .find(|t| unmet(catalogue, p, has_skill, t).is_empty())
    {
        return vec![direct];
    }
    // Nobody can start directly: find a first course for the missing prerequisite.
    for course in &candidates {
        let missing = unmet(catalogue, p, has_skill, course);
        if missing.len() != 1 {
            continue;
        }
        let first = catalogue
            .training
            .iter()
            .filter(|t| {
                t.id != course.id
                    && open_at(t, reference)
                    && unmet(catalogue, p, has_skill, t).is_empty()
            })
            .filter(|t| match &missing[0] {
                Unmet::German(level) => t.german_reached.is_some_and(|r| r >= *level),
                Unmet::Literacy => t.kind == TrainingKind::Alphabetisierung,
                Unmet::Skill(s) => t
                    .provides
                    .iter()
                    .any(|x| catalogue.skill_index(x) == Some(*s as usize)),
                Unmet::WorkPermit => false,
            })
            .min_by_key(|t| course_order(catalogue, p, t));
        if let Some(first) = first {
            return vec![first, course];
        }
    }
    Vec::new()
}

/// Whether a course can still be joined at `reference`: not ended, and not
/// started unless it allows late entry. Without a reference or a start
/// date every course is open.
pub fn open_at(t: &TrainingOffer, reference: Option<NaiveDate>) -> bool {
    let (Some(day), Some(start)) = (reference, t.start_date) else {
        return true;
    };
    let end = start + chrono::Duration::weeks(i64::from(t.duration_weeks));
    start >= day || (t.late_entry && end > day)
}

/// Courses near the person first (within 50 km, or where either place is
/// unknown), then the shorter, then the nearer (whole km), then by id.
fn course_order<'t>(
    catalogue: &Catalogue,
    p: &ResolvedProfile,
    t: &'t TrainingOffer,
) -> (bool, u16, u32, &'t str) {
    let place = t
        .coordinates
        .or_else(|| catalogue.locate(t.postcode.as_deref(), t.municipality.as_deref()));
    let km = match (p.location, place) {
        (Some(home), Some(place)) => Some(home.distance_km(place)),
        _ => None,
    };
    let far = km.is_some_and(|km| km > 50.0);
    let near = km.map_or(u32::MAX, |km| km.round() as u32);
    (far, t.duration_weeks, near, t.id.as_str())
}

/// What the person lacks for a course.
fn unmet(
    catalogue: &Catalogue,
    p: &ResolvedProfile,
    has_skill: &dyn Fn(u32) -> bool,
    t: &TrainingOffer,
) -> Vec<Unmet> {
    let pre = &t.prerequisites;
    let mut out = Vec::new();
    if let Some(level) = pre.min_german {
        if p.german.is_none_or(|g| g < level) {
            out.push(Unmet::German(level));
        }
    }
    if pre.literate_latin && p.literate_latin == Some(false) {
        out.push(Unmet::Literacy);
    }
    for s in &pre.skills {
        if let Some(i) = catalogue.skill_index(s) {
            if !has_skill(i as u32) {
                out.push(Unmet::Skill(i as u32));
            }
        }
    }
    if pre.work_permit && p.work_permit == crate::permit::WorkPermit::NotAllowed {
        out.push(Unmet::WorkPermit);
    }
    out
}

/// The course that opens the way where language or literacy is the
/// barrier, as a German next step with the training ids to take in order:
/// an Alphabetisierung where the person cannot read Latin script, an
/// Integrationskurs below A2, a Berufssprachkurs from B1 below B2 where the
/// occupations in view ask for more; an Einstufung where the level is not
/// known. `None` where German and literacy are no barrier.
pub fn language_step(
    catalogue: &Catalogue,
    config: &Config,
    p: &ResolvedProfile,
    needed: Option<Cefr>,
) -> Option<(String, Vec<String>)> {
    let has_skill = |s: u32| {
        p.skill(s)
            .is_some_and(|e| e.strength >= config.skills.gap_below as f32)
    };
    let named = |text: String, courses: Vec<&TrainingOffer>| {
        let ids = courses.iter().map(|c| c.id.clone()).collect();
        if courses.is_empty() {
            (
                format!(
                    "{text} (kein passender Kurs im Katalog: bei Trägern in der Nähe anfragen)"
                ),
                ids,
            )
        } else {
            let names: Vec<String> = courses.iter().map(|c| course_name(c)).collect();
            (format!("{text} → {}", names.join(", dann ")), ids)
        }
    };
    if p.literate_latin == Some(false) {
        let courses = plan(catalogue, p, p.available_from, &has_skill, |t| {
            t.kind == TrainingKind::Alphabetisierung
        });
        return Some(named(
            "Lesen und Schreiben in lateinischer Schrift fehlt: zuerst ein Alphabetisierungskurs"
                .into(),
            courses,
        ));
    }
    match p.german {
        None => Some((
            "Deutschniveau unbekannt: Einstufung veranlassen (Einstufungstest beim Kursträger)"
                .into(),
            Vec::new(),
        )),
        Some(has) if has < Cefr::A2 => {
            let courses = plan(catalogue, p, p.available_from, &has_skill, |t| {
                t.kind == TrainingKind::Integrationskurs
            });
            Some(named(
                format!("Deutsch {has}: zuerst ein Integrationskurs"),
                courses,
            ))
        }
        Some(has) if has < Cefr::B2 && needed.is_some_and(|n| n > has) => {
            let courses = plan(catalogue, p, p.available_from, &has_skill, |t| {
                t.kind == TrainingKind::Berufssprachkurs
                    && t.german_reached.is_some_and(|r| r > has)
            });
            Some(named(
                format!(
                    "Deutsch {has}, die Berufe hier brauchen {}: Berufssprachkurs",
                    needed.unwrap_or(has)
                ),
                courses,
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Prerequisites;

    fn course(start: Option<NaiveDate>, weeks: u16, late_entry: bool) -> TrainingOffer {
        TrainingOffer {
            id: "k".into(),
            title: "Integrationskurs".into(),
            kind: TrainingKind::Integrationskurs,
            provider: "VHS Koblenz".into(),
            provides: Vec::new(),
            german_reached: None,
            prerequisites: Prerequisites::default(),
            duration_weeks: weeks,
            postcode: None,
            municipality: Some("Koblenz".into()),
            coordinates: None,
            capacity: None,
            start_date: start,
            late_entry,
            funding: None,
            notes: None,
        }
    }

    #[test]
    fn started_and_ended_courses_are_closed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let day = d(2026, 3, 1);
        assert!(open_at(&course(d(2026, 3, 1), 4, false), day));
        assert!(open_at(&course(d(2026, 4, 1), 4, false), day));
        assert!(!open_at(&course(d(2026, 1, 12), 28, false), day), "started");
        assert!(
            open_at(&course(d(2026, 1, 12), 28, true), day),
            "late entry"
        );
        assert!(!open_at(&course(d(2025, 1, 12), 28, true), day), "ended");
        assert!(open_at(&course(None, 28, false), day));
        assert!(open_at(&course(d(2016, 1, 1), 1, false), None));
    }

    #[test]
    fn courses_are_named_by_title_provider_place_and_start() {
        let c = course(NaiveDate::from_ymd_opt(2016, 1, 11), 28, false);
        assert_eq!(
            course_name(&c),
            "Integrationskurs (VHS Koblenz, ab 11.01.2016)"
        );
        let mut elsewhere = c.clone();
        elsewhere.provider = "Lagerakademie".into();
        elsewhere.start_date = None;
        assert_eq!(
            course_name(&elsewhere),
            "Integrationskurs (Lagerakademie, Koblenz)"
        );
    }
}
