//! Generated offers: concrete places of invented employers.

use super::random::{chance, day_between, one, pick, ymd};
use super::source::{area, is_helper, Source};
use super::written::is_female_form;
use crate::catalogue::{
    Importance, Occupation, OccupationKind, Offer, OfferKind, Place, RequiredSkill, Requirement,
};
use crate::cefr::Cefr;
use crate::permit::DrivingLicence;
use rand::Rng;

/// The id of the offer with index `i` (0-based).
pub(super) fn offer_id(i: usize) -> String {
    format!("GA-{:06}", i + 1)
}

/// Number of places: small businesses offer 1–3, large employers and
/// programme cohorts 8–10 — a mean of about 5.
const PLACES: &[(u32, u32)] = &[
    (1, 22),
    (2, 18),
    (3, 12),
    (4, 3),
    (5, 3),
    (6, 3),
    (7, 4),
    (8, 7),
    (9, 8),
    (10, 20),
];

/// One generated offer.
pub(super) fn offer(rng: &mut impl Rng, source: &Source, index: usize) -> Offer {
    let catalogue = source.catalogue;
    let occupation = &catalogue.occupations[source.offer_occupations.sample(rng)];
    let kind = kind(rng, occupation);
    let place = (!catalogue.places.is_empty()).then(|| one(rng, &catalogue.places));
    let start_date = start_date(rng, kind);
    let min_german = chance(rng, 15)
        .then(|| other_level(rng, occupation.min_german))
        .flatten();
    let trainee = matches!(kind, OfferKind::Ausbildung | OfferKind::Eq);
    let gastro = matches!(area(occupation), "29" | "63");
    Offer {
        id: offer_id(index),
        title: title(rng, occupation, kind),
        kind,
        occupation: occupation.id.clone(),
        employer: employer(rng, occupation, place),
        postcode: place.map(|p| p.postcode.clone()),
        municipality: place.map(|p| p.municipality.clone()),
        coordinates: None,
        places: pick(rng, PLACES),
        start_date,
        min_german,
        required_licences: licences(rng, occupation),
        work_permit_required: !(kind == OfferKind::Praktikum && chance(rng, 30)),
        skills: extra_skills(rng, source, occupation),
        programme: if trainee && gastro && chance(rng, 25) {
            Some("DEHOGA Integrationsinitiative".into())
        } else if trainee && chance(rng, 10) {
            Some("Perspektiven für junge Flüchtlinge (PerjuF)".into())
        } else {
            None
        },
        vocational_school: place
            .filter(|_| trainee && chance(rng, 70))
            .map(|p| school_id(&p.municipality)),
        notes: chance(rng, 15).then(|| one(rng, NOTES).to_string()),
    }
}

/// The id of the generated vocational school of a municipality
/// ("bbs-mayen", "bbs-freiburg-im-breisgau").
pub(super) fn school_id(municipality: &str) -> String {
    let folded = crate::text::fold(municipality);
    let mut id = String::from("bbs");
    for part in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            id.push('-');
            id.push_str(part);
        }
    }
    id
}

/// The kind of place: apprenticeships for training occupations, jobs for helpers.
fn kind(rng: &mut impl Rng, occupation: &Occupation) -> OfferKind {
    use OfferKind::*;
    let table: &[(OfferKind, u32)] = match occupation.kind {
        _ if is_helper(occupation) => &[(Job, 80), (Praktikum, 20)],
        OccupationKind::Ausbildungsberuf => {
            &[(Ausbildung, 45), (Job, 35), (Eq, 12), (Praktikum, 8)]
        }
        OccupationKind::SchulischeAusbildung => &[(Ausbildung, 50), (Job, 35), (Praktikum, 15)],
        _ => &[(Job, 80), (Praktikum, 20)],
    };
    pick(rng, table)
}

/// The title of the advert.
fn title(rng: &mut impl Rng, occupation: &Occupation, kind: OfferKind) -> String {
    let form = occupation
        .forms
        .first()
        .filter(|f| !is_female_form(f))
        .unwrap_or(&occupation.title);
    match kind {
        OfferKind::Job => {
            let roll = rng.random_range(0..100);
            let name = if roll < 20 && !occupation.synonyms.is_empty() {
                one(rng, &occupation.synonyms)
            } else if roll < 60 {
                form
            } else {
                &occupation.title
            };
            format!("{name} (m/w/d)")
        }
        OfferKind::Ausbildung => format!("Ausbildung {} (m/w/d)", occupation.title),
        OfferKind::Eq => format!("Einstiegsqualifizierung {}", occupation.title),
        OfferKind::Praktikum => format!("Praktikum {}", occupation.title),
    }
}

/// Start dates from 2016 to 2027: apprenticeships on 1 August or
/// 1 September, EQ at the usual intakes, jobs on the 1st or 15th.
fn start_date(rng: &mut impl Rng, kind: OfferKind) -> chrono::NaiveDate {
    let year = rng.random_range(2016..=2027);
    match kind {
        OfferKind::Ausbildung => ymd(year, pick(rng, &[(8, 60), (9, 40)]), 1),
        OfferKind::Eq => ymd(year, *one(rng, &[2, 8, 9, 10, 11]), 1),
        OfferKind::Job => ymd(year, rng.random_range(1..=12), *one(rng, &[1, 15])),
        OfferKind::Praktikum => day_between(rng, ymd(year, 1, 1), ymd(year, 12, 28)),
    }
}

/// A German level one step above or below the occupation's.
fn other_level(rng: &mut impl Rng, level: Cefr) -> Option<Cefr> {
    let rank = level.rank();
    let wanted = if rank <= 1 || (rank < 5 && rng.random_bool(0.5)) {
        rank + 1
    } else {
        rank - 1
    };
    Cefr::ALL
        .get(usize::from(wanted))
        .copied()
        .filter(|&l| l >= Cefr::A1 && l <= Cefr::C1 && l != level)
}

/// Licences the employer insists on: lorry classes for drivers, B now and then.
fn licences(rng: &mut impl Rng, occupation: &Occupation) -> Vec<DrivingLicence> {
    let mandatory = occupation.requirements.iter().any(|r| {
        matches!(
            r,
            Requirement::DrivingLicence {
                mandatory: true,
                ..
            }
        )
    });
    if mandatory {
        return Vec::new();
    }
    use DrivingLicence::*;
    if area(occupation) == "52" && chance(rng, 40) {
        vec![pick(rng, &[(C, 35), (CE, 45), (C1, 20)])]
    } else if chance(rng, 8) {
        vec![pick(rng, &[(B, 85), (BE, 10), (C1, 5)])]
    } else {
        Vec::new()
    }
}

/// One to three skills beyond the occupation's, mostly from the group of its
/// first skill, in a quarter of the offers.
fn extra_skills(
    rng: &mut impl Rng,
    source: &Source,
    occupation: &Occupation,
) -> Vec<RequiredSkill> {
    if !chance(rng, 25) {
        return Vec::new();
    }
    let catalogue = source.catalogue;
    let group = occupation
        .skills
        .first()
        .and_then(|s| catalogue.skill(&s.skill))
        .and_then(|s| source.skills_by_group.get(s.group.as_str()));
    let mut extra: Vec<RequiredSkill> = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        let i = match group {
            Some(g) if chance(rng, 70) => *one(rng, g),
            _ => rng.random_range(0..catalogue.skills.len()),
        };
        let id = &catalogue.skills[i].id;
        let taken = occupation.skills.iter().any(|s| &s.skill == id)
            || extra.iter().any(|s| &s.skill == id);
        if !taken {
            extra.push(RequiredSkill {
                skill: id.clone(),
                importance: pick(
                    rng,
                    &[(Importance::Important, 60), (Importance::Optional, 40)],
                ),
                level: chance(rng, 30).then(|| rng.random_range(2..=4)),
            });
        }
    }
    extra
}

const SURNAMES: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Hofmann",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Schmitt",
    "Schmitz",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Keller",
    "Vogel",
    "Friedrich",
    "Bauer",
];

const INN_NAMES: &[&str] = &[
    "Zur Linde",
    "Zum Löwen",
    "Zur Post",
    "Rheinblick",
    "Moselblick",
    "Am Markt",
    "Zur Krone",
    "Eifelblick",
    "Am Schlossberg",
    "Zum Hirschen",
];

/// An invented employer that fits the occupation.
fn employer(rng: &mut impl Rng, occupation: &Occupation, place: Option<&Place>) -> String {
    let name = *one(rng, SURNAMES);
    let town = place.map_or("Neustadt", |p| p.municipality.as_str());
    let inn = *one(rng, INN_NAMES);
    let three = occupation.kldb.get(..3).unwrap_or("");
    let patterns: &[&str] = match (three, area(occupation)) {
        ("632", _) => &[
            "Hotel {inn}",
            "Hotel {name}",
            "Hotel Stadt {town}",
            "Landhotel {name}",
        ],
        ("823", _) => &["Friseursalon {name}", "Haarstudio {name}"],
        ("821", _) => &[
            "Seniorenzentrum {town}",
            "Pflegedienst {name}",
            "Altenheim St. Josef",
        ],
        (_, "63") => &[
            "Restaurant {inn}",
            "Gasthaus {name}",
            "Ratskeller {town}",
            "Café {name}",
        ],
        (_, "29") => &[
            "Bäckerei {name}",
            "Metzgerei {name}",
            "Kantine {name} AG",
            "Restaurant {inn}",
        ],
        (_, "51") => &[
            "{name} Logistik GmbH",
            "Lagerzentrum {town}",
            "Spedition {name}",
        ],
        (_, "52") => &[
            "Spedition {name}",
            "Kurierdienst {name}",
            "{name} Transporte GmbH",
        ],
        (_, "54") => &[
            "Gebäudereinigung {name} GmbH",
            "Reinigungsdienst {name}",
            "{name} Facility Services",
        ],
        (_, "62") => &["{name} Markt", "Getränkemarkt {name}", "Modehaus {name}"],
        (_, "81" | "82") => &[
            "Klinikum {town}",
            "Pflegedienst {name}",
            "Seniorenzentrum {town}",
        ],
        (_, "83") => &["Haushaltsservice {name}", "Seniorenzentrum {town}"],
        (_, "32" | "33" | "34") => &[
            "{name} Bau GmbH",
            "Malerbetrieb {name}",
            "{name} Haustechnik",
        ],
        (_, "24" | "25" | "26" | "27") => &[
            "{name} Metallbau",
            "Autohaus {name}",
            "{name} Elektrotechnik GmbH",
        ],
        (_, "11" | "12") => &["Gärtnerei {name}", "Garten- und Landschaftsbau {name}"],
        (_, "28") => &["Änderungsschneiderei {name}"],
        (_, "53") => &["{name} Sicherheitsdienst GmbH"],
        _ => &["{name} GmbH", "{name} & Söhne"],
    };
    one(rng, patterns)
        .replace("{name}", name)
        .replace("{town}", town)
        .replace("{inn}", inn)
}

const NOTES: &[&str] = &[
    "Unterkunft kann gestellt werden.",
    "Schichtdienst, auch am Wochenende.",
    "Teilzeit möglich.",
    "Der Betrieb hat Erfahrung mit Geflüchteten.",
    "Mentorin im Betrieb.",
    "Führerschein wünschenswert.",
    "Sprachkurs begleitend möglich.",
    "Gut mit Bus und Bahn erreichbar.",
];
