//! What a generated person learnt and did: schooling, vocational training,
//! studies, work experience, interests and the Kompetenzprofil — the free
//! text written the way people write it (see `written.rs`).

use super::profiles::{last_day, Person};
use super::random::{chance, days_after, half_years, one, pick};
use super::source::{area, sector, Source};
use super::written::{occupation_term, skill_term};
use crate::profile::{
    Competence, HigherEducation, Kompetenzprofil, Profile, Recognition, Schooling, SkillEntry,
    SkillSource, VocationalTraining, WorkExperience,
};
use chrono::NaiveDate;
use rand::Rng;
use std::collections::BTreeMap;

/// Fills schooling, training, studies, work experience and interests;
/// returns the catalogue occupations the person trained or worked in (at
/// least the background occupation), for the Kompetenzprofil.
pub(super) fn fill(
    rng: &mut impl Rng,
    source: &Source,
    person: &Person,
    profile: &mut Profile,
) -> Vec<usize> {
    let mut past = vec![person.background];
    profile.schooling = chance(rng, 75).then(|| schooling(rng, person));
    if chance(rng, 25) {
        let trainings = if chance(rng, 12) { 2 } else { 1 };
        for i in 0..trainings {
            let occupation = if i == 0 && chance(rng, 60) {
                person.background
            } else {
                source.background_occupations.sample(rng)
            };
            past.push(occupation);
            profile
                .vocational_training
                .push(vocational_training(rng, source, person, occupation));
        }
    }
    if chance(rng, person.origin.studied) {
        profile.higher_education.push(higher_education(rng, person));
    }
    // About 30 % have no work experience on record.
    if chance(rng, 70) {
        let jobs = pick(rng, &[(1, 55), (2, 30), (3, 15)]);
        for i in 0..jobs {
            let occupation = if i == 0 {
                person.background
            } else {
                source.background_occupations.sample(rng)
            };
            past.push(occupation);
            profile
                .work_experience
                .push(work_experience(rng, source, person, occupation));
        }
    }
    if chance(rng, 60) {
        for _ in 0..rng.random_range(1..=3) {
            let interest = interest(rng, source, person);
            if !profile.interests.contains(&interest) {
                profile.interests.push(interest);
            }
        }
    }
    past.sort_unstable();
    past.dedup();
    past
}

fn schooling(rng: &mut impl Rng, person: &Person) -> Schooling {
    let origin = person.origin;
    let years: u8 = if chance(rng, origin.no_school) {
        0
    } else {
        let typical = i32::from(origin.school_years);
        (typical + rng.random_range(-4..=4)).clamp(1, 16) as u8
    };
    let certificate = match years {
        0 => "keine".to_string(),
        1..=5 => "Grundschule".to_string(),
        6..=11 => format!("{years}. Klasse"),
        _ => origin.final_certificate.to_string(),
    };
    let recognition = (years >= 12 && chance(rng, 60)).then(|| {
        pick(
            rng,
            &[
                (Recognition::NotApplied, 40),
                (Recognition::Pending, 20),
                (Recognition::Recognised, 15),
                (Recognition::PartlyRecognised, 15),
                (Recognition::Refused, 10),
            ],
        )
    });
    Schooling {
        years: chance(rng, 90).then_some(years),
        certificate: chance(rng, 85).then_some(certificate),
        country: chance(rng, 80).then(|| origin.country.to_string()),
        documents: chance(rng, 70).then(|| chance(rng, 45)),
        recognition,
    }
}

fn vocational_training(
    rng: &mut impl Rng,
    source: &Source,
    person: &Person,
    occupation: usize,
) -> VocationalTraining {
    let occupation = &source.catalogue.occupations[occupation];
    let mut written = occupation_term(rng, occupation, person.female);
    if chance(rng, 10) {
        let note = one(
            rng,
            &[
                " (Ausbildung abgebrochen)",
                " (Berufsschule)",
                " (ohne Abschluss)",
            ],
        );
        written.push_str(note);
    }
    VocationalTraining {
        occupation: written,
        years: chance(rng, 80).then(|| half_years(rng, 2, 8)),
        completed: pick(rng, &[(Some(true), 70), (Some(false), 20), (None, 10)]),
        certificate: pick(rng, &[(Some(true), 40), (Some(false), 40), (None, 20)]),
        country: chance(rng, 85).then(|| country(rng, person)),
    }
}

const FIELDS: &[&str] = &[
    "Informatik",
    "Computer Science",
    "Bauingenieurwesen",
    "Civil Engineering",
    "Betriebswirtschaft",
    "Englische Literatur",
    "Jura",
    "Medizin",
    "Pharmazie",
    "Lehramt Mathematik",
    "Maschinenbau",
    "Elektrotechnik",
    "Agrarwissenschaft",
    "Wirtschaft",
    "Architektur",
];

fn higher_education(rng: &mut impl Rng, person: &Person) -> HigherEducation {
    let semesters = rng.random_range(1..=12);
    HigherEducation {
        field: one(rng, FIELDS).to_string(),
        semesters: chance(rng, 80).then_some(semesters),
        degree: (semesters >= 6 && chance(rng, 60))
            .then(|| one(rng, &["Bachelor", "Master", "Diplom"]).to_string()),
        country: chance(rng, 85).then(|| person.origin.country.to_string()),
    }
}

fn work_experience(
    rng: &mut impl Rng,
    source: &Source,
    person: &Person,
    occupation: usize,
) -> WorkExperience {
    let skills = &source.occupation_skills[occupation];
    let occupation = &source.catalogue.occupations[occupation];
    let sector = sector(occupation);
    // The job's name, or what the person did there ("Gemüse schneiden").
    let by_skill = !skills.is_empty() && chance(rng, 25);
    let mut activity = if by_skill {
        let skill = *one(rng, skills);
        skill_term(rng, &source.catalogue.skills[skill])
    } else {
        occupation_term(rng, occupation, person.female)
    };
    if !by_skill && chance(rng, 15) {
        let contexts: &[&str] = match sector {
            Some("Gastronomie" | "Hotellerie") => &["in Restaurant", "im Hotel", "in Imbiss"],
            Some("Logistik" | "Transport") => &["bei Firma", "im Lager"],
            Some("Reinigung") => &["in Hotel", "in Büros"],
            Some("Bau") => &["bei Baufirma", "(Saisonarbeit)"],
            Some("Landwirtschaft") => &["(Saisonarbeit)", "auf dem Feld"],
            _ => &["(Minijob)", "(Aushilfe)", "in Firma"],
        };
        let context = one(rng, contexts);
        activity.push(' ');
        activity.push_str(context);
    }
    // Nobody has worked longer than they were adults.
    let max_halves = (u32::from(person.age.saturating_sub(14)) * 2).clamp(1, 30);
    WorkExperience {
        activity,
        years: chance(rng, 90).then(|| half_years(rng, 1, max_halves)),
        country: chance(rng, 90).then(|| country(rng, person)),
        sector: chance(rng, 40)
            .then_some(sector)
            .flatten()
            .map(String::from),
        self_employed: pick(rng, &[(Some(true), 10), (Some(false), 20), (None, 70)]),
    }
}

/// Where a past job or training was: mostly the country of origin, else a
/// country on the way or Germany.
fn country(rng: &mut impl Rng, person: &Person) -> String {
    let origin = person.origin;
    match rng.random_range(0..100) {
        0..=64 => origin.country.to_string(),
        65..=84 if !origin.transit.is_empty() => one(rng, origin.transit).to_string(),
        _ => "Deutschland".to_string(),
    }
}

const GENERAL_INTERESTS: &[&str] = &[
    "was mit Autos",
    "Hotel",
    "Küche",
    "handwerklich arbeiten",
    "mit Menschen arbeiten",
    "Büro",
    "draußen arbeiten",
    "egal, Hauptsache Arbeit",
    "Kinder",
    "Computer",
];

/// A wish as written: an occupation near the person's past work, any
/// occupation, or something general.
fn interest(rng: &mut impl Rng, source: &Source, person: &Person) -> String {
    let catalogue = source.catalogue;
    match rng.random_range(0..100) {
        0..=49 => {
            let near = source
                .occupations_by_area
                .get(area(&catalogue.occupations[person.background]))
                .map_or(person.background, |same| *one(rng, same));
            occupation_term(rng, &catalogue.occupations[near], person.female)
        }
        50..=79 => {
            let any = source.offer_occupations.sample(rng);
            occupation_term(rng, &catalogue.occupations[any], person.female)
        }
        _ => one(rng, GENERAL_INTERESTS).to_string(),
    }
}

const STRENGTHS: &[&str] = &[
    "zuverlässig",
    "freundlich",
    "lernt schnell",
    "arbeitet gern im Team",
    "handwerklich geschickt",
    "belastbar",
    "pünktlich",
    "hilfsbereit",
    "sehr motiviert",
    "ruhig und sorgfältig",
    "kocht gern",
    "kann gut mit Gästen",
    "kann gut mit älteren Menschen",
];

const RECOMMENDATIONS: &[&str] = &[
    "Berufssprachkurs B1",
    "Integrationskurs abschließen",
    "Alphabetisierungskurs",
    "EQ Gastgewerbe",
    "Praktikum im Lager",
    "Staplerschein",
    "Anerkennung des Abschlusses prüfen",
    "Ausbildung nach EQ",
];

/// The Kompetenzprofil, made within a year of the consent: skills of the
/// occupations the person trained or worked in (`past`, not empty), a few
/// others, with levels and sources; ratings, strengths, a recommendation.
pub(super) fn kompetenzprofil(
    rng: &mut impl Rng,
    source: &Source,
    past: &[usize],
    anchor: NaiveDate,
) -> Kompetenzprofil {
    let catalogue = source.catalogue;
    let mut skills: Vec<SkillEntry> = Vec::new();
    let count = pick(rng, &[(2, 15), (3, 25), (4, 25), (5, 15), (6, 10), (8, 10)]);
    for _ in 0..count {
        let own = &source.occupation_skills[*one(rng, past)];
        let skill = if !own.is_empty() && chance(rng, 85) {
            *one(rng, own)
        } else {
            rng.random_range(0..catalogue.skills.len())
        };
        let written = skill_term(rng, &catalogue.skills[skill]);
        if skills
            .iter()
            .any(|s| s.written.to_lowercase() == written.to_lowercase())
        {
            continue;
        }
        skills.push(SkillEntry {
            written,
            level: chance(rng, 90)
                .then(|| pick(rng, &[(1, 10), (2, 25), (3, 35), (4, 22), (5, 8)])),
            source: pick(
                rng,
                &[
                    (SkillSource::SelfReported, 60),
                    (SkillSource::Observed, 30),
                    (SkillSource::Certified, 10),
                ],
            ),
        });
    }
    let mut ratings = BTreeMap::new();
    if chance(rng, 65) {
        for competence in Competence::ALL {
            if chance(rng, 60) {
                let rating = pick(rng, &[(1, 5), (2, 10), (3, 35), (4, 35), (5, 15)]);
                ratings.insert(competence, rating);
            }
        }
    }
    let strengths = chance(rng, 50).then(|| {
        let mut picked: Vec<&str> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let s = *one(rng, STRENGTHS);
            if !picked.contains(&s) {
                picked.push(s);
            }
        }
        picked.join(", ")
    });
    let recommendation = chance(rng, 60).then(|| {
        if !catalogue.training.is_empty() && chance(rng, 60) {
            one(rng, &catalogue.training).title.clone()
        } else {
            one(rng, RECOMMENDATIONS).to_string()
        }
    });
    let date = chance(rng, 85).then(|| days_after(anchor, rng.random_range(0..=300), last_day()));
    Kompetenzprofil {
        date,
        skills,
        ratings,
        strengths,
        recommendation,
    }
}
