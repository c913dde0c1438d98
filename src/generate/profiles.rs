//! Generated profiles: the Profilingbogen sections about the person —
//! identity, permits, residence, mobility, languages, availability,
//! consent. What the person learnt and did is in `background.rs`.

use super::background;
use super::origins::{
    Origin, Protection, AGES, ASYLUM_ARRIVALS, ORIGINS, UKRAINE_AGES, UKRAINE_ARRIVALS,
};
use super::random::{
    chance, day_between, days_after, new_year, one, one_weighted, pick, pick_index, ymd,
};
use super::source::Source;
use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::{
    Availability, Consent, ConsentScope, Gender, Hours, LanguageSkill, Languages, Mobility,
    Permits, Profile, Residence, Restrictions,
};
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

/// The id of the profile with index `i` (0-based).
pub(super) fn profile_id(i: usize) -> String {
    format!("G-{:07}", i + 1)
}

/// No date of the past (arrival, consent, Kompetenzprofil) lies after this
/// day, so that a folder made from a seed is the same whatever day it is
/// made, and always passes validation, which refuses dates in the future.
pub(super) fn last_day() -> NaiveDate {
    ymd(2026, 6, 28)
}

/// What later sections need to know about the person.
pub(super) struct Person<'o> {
    pub origin: &'o Origin,
    /// Women write the female form of an occupation, men the male one.
    pub female: bool,
    /// Age on arrival in whole years.
    pub age: u8,
    pub arrival: NaiveDate,
    /// The occupation the person worked in most, as an index into the catalogue.
    pub background: usize,
}

/// One generated profile.
pub(super) fn profile(rng: &mut impl Rng, source: &Source, index: usize) -> Profile {
    let origin = &ORIGINS[pick_index(rng, ORIGINS.iter().map(|o| o.weight))];
    let temporary = origin.protection == Protection::Temporary;
    let female = chance(rng, origin.female);
    let names = origin.names;
    let given = one(rng, if female { names.female } else { names.male });
    let mut profile = Profile::new(profile_id(index), *given, *one(rng, names.family));

    let year = pick(
        rng,
        if temporary {
            UKRAINE_ARRIVALS
        } else {
            ASYLUM_ARRIVALS
        },
    );
    let arrival = day_between(rng, new_year(year), ymd(year, 12, 28).min(last_day()));
    let (from, to, _) = *one_weighted(rng, if temporary { UKRAINE_AGES } else { AGES });
    let age = rng.random_range(from..=to);
    let person = Person {
        origin,
        female,
        age,
        arrival,
        background: source.background_occupations.sample(rng),
    };

    let id = &mut profile.identity;
    id.birth_year = chance(rng, 95).then(|| (arrival.year() - i32::from(age)) as u16);
    id.gender = match rng.random_range(0..1000) {
        0..=969 if female => Some(Gender::Female),
        0..=969 => Some(Gender::Male),
        970..=972 => Some(Gender::Diverse),
        _ => None,
    };
    id.nationality = chance(rng, 90).then(|| {
        // Some advisors write the country instead of the nationality.
        if chance(rng, 15) && origin.nationality != "staatenlos" {
            origin.country.to_string()
        } else {
            origin.nationality.to_string()
        }
    });
    id.country_of_origin = chance(rng, 85).then(|| origin.country.to_string());
    id.arrival = chance(rng, 92).then_some(arrival);

    // Some intakes end after the first page.
    if chance(rng, 5) {
        return profile;
    }

    let years_here = (last_day() - arrival).num_days() / 365;
    profile.permits = chance(rng, 92).then(|| permits(rng, origin.protection, years_here));
    profile.residence = chance(rng, 90).then(|| residence(rng, source)).flatten();
    profile.mobility = chance(rng, 80).then(|| mobility(rng));
    profile.languages = chance(rng, 88).then(|| languages(rng, &person));
    let past = background::fill(rng, source, &person, &mut profile);
    profile.restrictions = chance(rng, 15).then(|| restrictions(rng, female));
    let consent = chance(rng, 90).then(|| consent(rng, arrival));
    let anchor = consent.as_ref().map_or(arrival, |c| c.date);
    profile.availability = chance(rng, 70).then(|| {
        let part_time = profile
            .restrictions
            .as_ref()
            .is_some_and(|r| r.part_time_only == Some(true));
        availability(rng, anchor, part_time)
    });
    profile.competences =
        chance(rng, 50).then(|| background::kompetenzprofil(rng, source, &past, anchor));
    profile.consent = consent;
    profile.notes = chance(rng, 20).then(|| one(rng, NOTES).to_string());
    profile
}

/// Residence status by the chance of protection, work permit by the status.
/// A Niederlassungserlaubnis needs years in Germany; before that it is an
/// Aufenthaltserlaubnis.
fn permits(rng: &mut impl Rng, protection: Protection, years_here: i64) -> Permits {
    use ResidenceStatus::*;
    use WorkPermit::*;
    let status = match protection {
        Protection::High => pick(
            rng,
            &[
                (Aufenthaltsgestattung, 25),
                (Duldung, 6),
                (Aufenthaltserlaubnis, 53),
                (Niederlassungserlaubnis, 8),
                (Unbekannt, 8),
            ],
        ),
        Protection::Low => pick(
            rng,
            &[
                (Aufenthaltsgestattung, 42),
                (Duldung, 33),
                (Aufenthaltserlaubnis, 13),
                (Niederlassungserlaubnis, 3),
                (Unbekannt, 9),
            ],
        ),
        Protection::Temporary => pick(rng, &[(Aufenthaltserlaubnis, 92), (Unbekannt, 8)]),
    };
    let status = if status == Niederlassungserlaubnis && years_here < 3 {
        Aufenthaltserlaubnis
    } else {
        status
    };
    let permit = match status {
        Aufenthaltsgestattung => pick(
            rng,
            &[
                (Allowed, 15),
                (NeedsApproval, 60),
                (NotAllowed, 15),
                (Unknown, 10),
            ],
        ),
        Duldung => pick(
            rng,
            &[
                (Allowed, 5),
                (NeedsApproval, 55),
                (NotAllowed, 30),
                (Unknown, 10),
            ],
        ),
        Aufenthaltserlaubnis => pick(rng, &[(Allowed, 94), (NeedsApproval, 2), (Unknown, 4)]),
        Niederlassungserlaubnis => Allowed,
        Unbekannt => pick(
            rng,
            &[
                (Allowed, 10),
                (NeedsApproval, 25),
                (NotAllowed, 5),
                (Unknown, 60),
            ],
        ),
    };
    let valid_for = match status {
        Aufenthaltsgestattung if chance(rng, 30) => Some(rng.random_range(30..=365)),
        Duldung if chance(rng, 60) => Some(rng.random_range(30..=180)),
        Aufenthaltserlaubnis if chance(rng, 50) => Some(rng.random_range(180..=1095)),
        _ => None,
    };
    Permits {
        residence_status: Some(status),
        work_permit: chance(rng, 97).then_some(permit),
        valid_until: valid_for.map(|days| last_day() + Duration::days(days)),
    }
}

/// A postcode area of the gazetteer (none if the gazetteer is empty).
fn residence(rng: &mut impl Rng, source: &Source) -> Option<Residence> {
    let places = &source.catalogue.places;
    if places.is_empty() {
        return None;
    }
    let place = one(rng, places);
    let (postcode, municipality) = match rng.random_range(0..100) {
        0..=84 => (true, true),
        85..=94 => (true, false),
        _ => (false, true),
    };
    Some(Residence {
        postcode: postcode.then(|| place.postcode.clone()),
        municipality: municipality.then(|| place.municipality.clone()),
        coordinates: None,
    })
}

/// Commute radius and licences: B for about a fifth, lorry classes rare.
fn mobility(rng: &mut impl Rng) -> Mobility {
    use DrivingLicence::*;
    let commute_km = chance(rng, 90).then(|| {
        pick(
            rng,
            &[
                (5, 8),
                (10, 15),
                (15, 12),
                (20, 18),
                (25, 10),
                (30, 15),
                (40, 8),
                (50, 8),
                (75, 3),
                (100, 3),
            ],
        )
    });
    let mut licences = Vec::new();
    if chance(rng, 22) {
        licences.push(B);
        if chance(rng, 10) {
            licences.push(BE);
        }
        match rng.random_range(0..100) {
            0..=4 => licences.push(C1),
            5..=7 => licences.push(C),
            8..=11 => licences.extend([C, CE]),
            _ => {}
        }
    }
    if chance(rng, 1) {
        licences.push(T);
    }
    let car = match (licences.contains(&B), rng.random_range(0..100)) {
        (true, 0..=39) => Some(true),
        (_, 40..=79) => Some(false),
        _ => None,
    };
    Mobility {
        commute_km,
        driving_licences: licences,
        car,
    }
}

/// German level heavy on A1–B1, some with none, some not known; better the
/// longer the person has been here, at most A2 without Latin script.
fn languages(rng: &mut impl Rng, person: &Person) -> Languages {
    let origin = person.origin;
    let set = pick_index(rng, origin.mother_tongues.iter().map(|(_, w)| *w));
    let mother_tongues: Vec<String> = origin.mother_tongues[set]
        .0
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut other = Vec::new();
    for &(language, percent, low, high) in origin.other_languages {
        if mother_tongues.iter().any(|m| m == language) || !chance(rng, percent) {
            continue;
        }
        let rank = rng.random_range(low.rank()..=high.rank());
        other.push(LanguageSkill {
            language: language.to_string(),
            level: Cefr::ALL[usize::from(rank)],
        });
    }
    let literate_latin = chance(rng, origin.literate_latin);
    let years_here = (last_day() - person.arrival).num_days() / 365;
    let german = chance(rng, 92).then(|| {
        use Cefr::*;
        let mut level = pick(
            rng,
            &[
                (Keine, 9),
                (A1, 26),
                (A2, 28),
                (B1, 24),
                (B2, 9),
                (C1, 3),
                (C2, 1),
            ],
        );
        if years_here < 1 && level > A1 && chance(rng, 50) {
            level = Cefr::ALL[usize::from(level.rank() - 1)];
        } else if years_here >= 5 && level < C1 && chance(rng, 40) {
            level = Cefr::ALL[usize::from(level.rank() + 1)];
        }
        if !literate_latin {
            level = level.min(A2);
        }
        level
    });
    let integration_course = match rng.random_range(0..100) {
        _ if years_here < 1 => chance(rng, 20).then_some(false),
        0..=59 => Some(true),
        60..=84 => Some(false),
        _ => None,
    };
    Languages {
        mother_tongues,
        other,
        german,
        literate_latin: chance(rng, 90).then_some(literate_latin),
        integration_course,
    }
}

/// Health limits, childcare, part time; at least one of them.
fn restrictions(rng: &mut impl Rng, female: bool) -> Restrictions {
    let mut r = Restrictions {
        health: chance(rng, 50).then(|| one(rng, HEALTH).to_string()),
        childcare: chance(rng, if female { 60 } else { 15 }).then_some(true),
        part_time_only: chance(rng, 30).then_some(true),
    };
    if r.health.is_none() && r.childcare.is_none() && r.part_time_only.is_none() {
        r.childcare = Some(true);
    }
    r
}

/// The data-protection consent, a few weeks to a year after arrival.
fn consent(rng: &mut impl Rng, arrival: NaiveDate) -> Consent {
    let date = days_after(arrival, rng.random_range(14..=400), last_day());
    let mut scope = vec![ConsentScope::Profiling];
    if chance(rng, 92) {
        scope.push(ConsentScope::Matching);
    }
    if chance(rng, 60) {
        scope.push(ConsentScope::ShareWithPartners);
    }
    if chance(rng, 40) {
        scope.push(ConsentScope::ShareWithEmployers);
    }
    Consent { date, scope }
}

/// From when the person can work: now or within a year.
fn availability(rng: &mut impl Rng, anchor: NaiveDate, part_time_only: bool) -> Availability {
    let from = chance(rng, 80).then(|| anchor + Duration::days(rng.random_range(0..=365)));
    let hours = if part_time_only {
        Some(Hours::PartTime)
    } else {
        match rng.random_range(0..100) {
            0..=74 => Some(Hours::FullTime),
            75..=94 => Some(Hours::PartTime),
            _ => None,
        }
    };
    Availability { from, hours }
}

const HEALTH: &[&str] = &[
    "kein schweres Heben",
    "Rückenprobleme",
    "Knieprobleme, nicht lange stehen",
    "keine Nachtschicht (Medikamente)",
    "Allergie gegen Reinigungsmittel",
    "sieht schlecht, Brille beantragt",
    "Trauma, Therapie läuft",
];

const NOTES: &[&str] = &[
    "Möchte in der Nähe bleiben.",
    "Sucht eine Ausbildung.",
    "Kinderbetreuung noch ungeklärt.",
    "Termin bei der Ausländerbehörde steht aus.",
    "Zeugnisse werden nachgereicht.",
    "Will schnell arbeiten, um die Familie zu unterstützen.",
    "Anerkennungsberatung empfohlen.",
    "Interesse an einer Einstiegsqualifizierung.",
    "Praktikum gemacht, der Betrieb war zufrieden.",
    "Kommt pünktlich zu allen Terminen.",
];
