//! A profile to form values and back. Reading checks what the validator of
//! `lotse validate` checks, field by field, so that the form never writes
//! a record the command line would reject. A section whose fields are all
//! empty is left out of the record ("not known").

use super::values::{
    rows, Errors, Reader, Values, EXPERIENCE, LANGUAGES, SKILLS, STUDIES, TRAINING,
};
use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::{
    Availability, Competence, Consent, ConsentScope, Coordinates, HigherEducation, Identity,
    Intake, Kompetenzprofil, LanguageSkill, Languages, Mobility, Permits, Profile, Residence,
    Restrictions, Schooling, SkillEntry, SkillSource, VocationalTraining, WorkExperience,
};
use crate::web::labels::{years, Choice};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The form key of a competence rating.
pub fn rating_key(c: Competence) -> String {
    format!("rating_{c:?}")
}

/// The form key of a driving licence checkbox.
pub fn licence_key(l: DrivingLicence) -> String {
    format!("licence_{}", l.as_str())
}

/// The form key of a consent scope checkbox.
pub fn consent_key(s: ConsentScope) -> String {
    format!("consent_{}", s.value())
}

/// The form values of a profile.
pub fn to_values(p: &Profile) -> Values {
    let mut v = Values::new();
    let mut put = |k: &str, value: Option<String>| {
        if let Some(value) = value.filter(|s| !s.is_empty()) {
            v.insert(k.to_string(), value);
        }
    };
    let yn = |b: Option<bool>| b.map(|b| if b { "ja" } else { "nein" }.to_string());
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let id = &p.identity;
    put("id", Some(p.id.clone()));
    put("given_name", Some(id.given_name.clone()));
    put("family_name", Some(id.family_name.clone()));
    put("birth_year", id.birth_year.map(|y| y.to_string()));
    put("gender", id.gender.map(|g| g.value().to_string()));
    put("nationality", id.nationality.clone());
    put("country_of_origin", id.country_of_origin.clone());
    put("arrival", date(id.arrival));
    if let Some(i) = &p.intake {
        put("intake_customer_number", i.customer_number.clone());
        put("intake_advisor", i.advisor.clone());
        put("intake_date", date(i.date));
    }
    if let Some(x) = &p.permits {
        put(
            "residence_status",
            x.residence_status.map(|s| s.csv_name().to_string()),
        );
        put(
            "work_permit",
            x.work_permit.map(|s| s.csv_name().to_string()),
        );
        put("valid_until", date(x.valid_until));
    }
    if let Some(r) = &p.residence {
        put("postcode", r.postcode.clone());
        put("municipality", r.municipality.clone());
        put("lat", r.coordinates.map(|c| c.lat.to_string()));
        put("lon", r.coordinates.map(|c| c.lon.to_string()));
    }
    if let Some(m) = &p.mobility {
        put("commute_km", m.commute_km.map(|k| k.to_string()));
        for l in &m.driving_licences {
            put(&licence_key(*l), Some("on".into()));
        }
        put("car", yn(m.car));
    }
    if let Some(l) = &p.languages {
        put("mother_tongues", Some(l.mother_tongues.join(", ")));
        put("german", l.german.map(|g| g.as_str().to_string()));
        put("literate_latin", yn(l.literate_latin));
        put("integration_course", yn(l.integration_course));
        for (i, o) in l.other.iter().enumerate() {
            put(&LANGUAGES.key(i, "language"), Some(o.language.clone()));
            put(
                &LANGUAGES.key(i, "level"),
                Some(o.level.as_str().to_string()),
            );
        }
    }
    if let Some(s) = &p.schooling {
        put("school_years", s.years.map(|y| y.to_string()));
        put("school_certificate", s.certificate.clone());
        put("school_country", s.country.clone());
        put("school_documents", yn(s.documents));
        put(
            "school_recognition",
            s.recognition.map(|r| r.value().to_string()),
        );
    }
    for (i, t) in p.vocational_training.iter().enumerate() {
        put(&TRAINING.key(i, "occupation"), Some(t.occupation.clone()));
        put(&TRAINING.key(i, "years"), t.years.map(years));
        put(&TRAINING.key(i, "completed"), yn(t.completed));
        put(&TRAINING.key(i, "certificate"), yn(t.certificate));
        put(&TRAINING.key(i, "country"), t.country.clone());
    }
    for (i, h) in p.higher_education.iter().enumerate() {
        put(&STUDIES.key(i, "field"), Some(h.field.clone()));
        put(
            &STUDIES.key(i, "semesters"),
            h.semesters.map(|s| s.to_string()),
        );
        put(&STUDIES.key(i, "degree"), h.degree.clone());
        put(&STUDIES.key(i, "country"), h.country.clone());
    }
    for (i, w) in p.work_experience.iter().enumerate() {
        put(&EXPERIENCE.key(i, "activity"), Some(w.activity.clone()));
        put(&EXPERIENCE.key(i, "years"), w.years.map(years));
        put(&EXPERIENCE.key(i, "country"), w.country.clone());
        put(&EXPERIENCE.key(i, "sector"), w.sector.clone());
        put(&EXPERIENCE.key(i, "self_employed"), yn(w.self_employed));
    }
    put("interests", Some(p.interests.join("\n")));
    if let Some(r) = &p.restrictions {
        put("health", r.health.clone());
        put("childcare", yn(r.childcare));
        put("part_time_only", yn(r.part_time_only));
    }
    if let Some(a) = &p.availability {
        put("available_from", date(a.from));
        put("hours", a.hours.map(|h| h.value().to_string()));
    }
    if let Some(c) = &p.consent {
        put("consent_date", date(Some(c.date)));
        for s in &c.scope {
            put(&consent_key(*s), Some("on".into()));
        }
    }
    if let Some(k) = &p.competences {
        put("k_date", date(k.date));
        for (i, s) in k.skills.iter().enumerate() {
            put(&SKILLS.key(i, "written"), Some(s.written.clone()));
            put(&SKILLS.key(i, "level"), s.level.map(|l| l.to_string()));
            put(&SKILLS.key(i, "source"), Some(s.source.value().to_string()));
        }
        for (c, r) in &k.ratings {
            put(&rating_key(*c), Some(r.to_string()));
        }
        put("strengths", k.strengths.clone());
        put("recommendation", k.recommendation.clone());
    }
    put("notes", p.notes.clone());
    v
}

/// Reads a profile from form values, or says what is wrong with each field.
/// `id` is the profile's id when editing (the form's `id` field is ignored).
pub fn from_values(values: &Values, id: Option<&str>, today: NaiveDate) -> Result<Profile, Errors> {
    let mut r = Reader::new(values);
    let id = match id {
        Some(id) => id.to_string(),
        None => {
            let id = r.required("id", "Die Kennung");
            if !id.is_empty() {
                if let Err(e) = crate::records::check_id(&id) {
                    r.error("id", e);
                }
            }
            id
        }
    };
    let identity = identity(&mut r, today);
    let permits = Permits {
        residence_status: r.parsed::<ResidenceStatus>("residence_status"),
        work_permit: r.parsed::<WorkPermit>("work_permit"),
        valid_until: r.date("valid_until"),
    };
    let residence = residence(&mut r);
    let mobility = Mobility {
        commute_km: r.int("commute_km", 0, 500),
        driving_licences: DrivingLicence::ALL
            .into_iter()
            .filter(|l| r.checked(&licence_key(*l)))
            .collect(),
        car: r.yes_no("car"),
    };
    let languages = languages(&mut r);
    let schooling = Schooling {
        years: r.int("school_years", 0, 25),
        certificate: r.text("school_certificate"),
        country: r.text("school_country"),
        documents: r.yes_no("school_documents"),
        recognition: r.choice("school_recognition"),
    };
    let (vocational_training, higher_education, work_experience) = history(&mut r);
    let interests = lines(&mut r, "interests");
    let restrictions = Restrictions {
        health: r.text("health"),
        childcare: r.yes_no("childcare"),
        part_time_only: r.yes_no("part_time_only"),
    };
    let availability = Availability {
        from: r.date("available_from"),
        hours: r.choice("hours"),
    };
    let intake = Intake {
        customer_number: r.text("intake_customer_number"),
        advisor: r.text("intake_advisor"),
        date: r.date("intake_date"),
    };
    if intake.date.is_some_and(|d| d > today) {
        r.error(
            "intake_date",
            "Das Gespräch kann nicht in der Zukunft liegen.",
        );
    }
    let consent = consent(&mut r, identity.arrival, today);
    let competences = competences(&mut r, today);
    let notes = r.text("notes");
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Profile {
        id,
        identity,
        intake: (intake != Intake::default()).then_some(intake),
        permits: (permits != empty_permits()).then_some(permits),
        residence: (residence != empty_residence()).then_some(residence),
        mobility: (mobility != empty_mobility()).then_some(mobility),
        languages,
        schooling: (schooling != empty_schooling()).then_some(schooling),
        vocational_training,
        higher_education,
        work_experience,
        interests,
        restrictions: (restrictions != empty_restrictions()).then_some(restrictions),
        availability: (availability.from.is_some() || availability.hours.is_some())
            .then_some(availability),
        consent,
        competences,
        notes,
    })
}

fn identity(r: &mut Reader, today: NaiveDate) -> Identity {
    let given_name = r.required("given_name", "Der Vorname");
    let family_name = r.required("family_name", "Der Familienname");
    let year = i64::from(today.year());
    let birth_year = r.int::<u16>("birth_year", year - 100, year);
    let arrival = r.date("arrival");
    if let Some(a) = arrival {
        if a > today {
            r.error("arrival", "Die Einreise kann nicht in der Zukunft liegen.");
        } else if birth_year.is_some_and(|b| a.year() < i32::from(b)) {
            r.error("arrival", "Die Einreise liegt vor dem Geburtsjahr.");
        }
    }
    Identity {
        given_name,
        family_name,
        birth_year,
        gender: r.choice("gender"),
        nationality: r.text("nationality"),
        country_of_origin: r.text("country_of_origin"),
        arrival,
    }
}

fn residence(r: &mut Reader) -> Residence {
    let postcode = r.text("postcode");
    if let Some(p) = &postcode {
        if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            r.error("postcode", "Eine Postleitzahl hat 5 Ziffern.");
        }
    }
    let lat = r.decimal("lat", -90.0, 90.0);
    let lon = r.decimal("lon", -180.0, 180.0);
    let coordinates = match (
        lat,
        lon,
        r.values.contains_key("lat"),
        r.values.contains_key("lon"),
    ) {
        (Some(lat), Some(lon), _, _) => Some(Coordinates { lat, lon }),
        (_, _, true, false) => {
            r.error(
                "lon",
                "Bitte auch den Längengrad angeben (oder beide leer lassen).",
            );
            None
        }
        (_, _, false, true) => {
            r.error(
                "lat",
                "Bitte auch den Breitengrad angeben (oder beide leer lassen).",
            );
            None
        }
        _ => None,
    };
    Residence {
        postcode,
        municipality: r.text("municipality"),
        coordinates,
    }
}

fn languages(r: &mut Reader) -> Option<Languages> {
    let mut other = Vec::new();
    for i in 0..rows(r.values, LANGUAGES) {
        let (lk, vk) = (LANGUAGES.key(i, "language"), LANGUAGES.key(i, "level"));
        let language = r.required(&lk, "Die Sprache");
        let level = r.parsed::<Cefr>(&vk);
        if level.is_none() && !r.errors.contains_key(&vk) {
            r.error(&vk, "Bitte das Niveau wählen.");
        }
        if let Some(level) = level {
            other.push(LanguageSkill { language, level });
        }
    }
    let l = Languages {
        mother_tongues: r
            .text("mother_tongues")
            .map(|s| {
                s.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        other,
        german: r.parsed::<Cefr>("german"),
        literate_latin: r.yes_no("literate_latin"),
        integration_course: r.yes_no("integration_course"),
    };
    let empty = l.mother_tongues.is_empty()
        && l.other.is_empty()
        && l.german.is_none()
        && l.literate_latin.is_none()
        && l.integration_course.is_none();
    (!empty).then_some(l)
}

type History = (
    Vec<VocationalTraining>,
    Vec<HigherEducation>,
    Vec<WorkExperience>,
);

fn history(r: &mut Reader) -> History {
    let years = |r: &mut Reader, key: String| r.decimal(&key, 0.0, 60.0).map(|y| y as f32);
    let training = (0..rows(r.values, TRAINING))
        .map(|i| VocationalTraining {
            occupation: r.required(&TRAINING.key(i, "occupation"), "Der Beruf"),
            years: years(r, TRAINING.key(i, "years")),
            completed: r.yes_no(&TRAINING.key(i, "completed")),
            certificate: r.yes_no(&TRAINING.key(i, "certificate")),
            country: r.text(&TRAINING.key(i, "country")),
        })
        .collect();
    let studies = (0..rows(r.values, STUDIES))
        .map(|i| HigherEducation {
            field: r.required(&STUDIES.key(i, "field"), "Das Fach"),
            semesters: r.int(&STUDIES.key(i, "semesters"), 0, 40),
            degree: r.text(&STUDIES.key(i, "degree")),
            country: r.text(&STUDIES.key(i, "country")),
        })
        .collect();
    let experience = (0..rows(r.values, EXPERIENCE))
        .map(|i| WorkExperience {
            activity: r.required(&EXPERIENCE.key(i, "activity"), "Die Tätigkeit"),
            years: years(r, EXPERIENCE.key(i, "years")),
            country: r.text(&EXPERIENCE.key(i, "country")),
            sector: r.text(&EXPERIENCE.key(i, "sector")),
            self_employed: r.yes_no(&EXPERIENCE.key(i, "self_employed")),
        })
        .collect();
    (training, studies, experience)
}

/// One entry per non-empty line.
fn lines(r: &mut Reader, key: &str) -> Vec<String> {
    r.text(key)
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn consent(r: &mut Reader, arrival: Option<NaiveDate>, today: NaiveDate) -> Option<Consent> {
    let date = r.date("consent_date");
    let scope: Vec<ConsentScope> = ConsentScope::ALL
        .iter()
        .copied()
        .filter(|s| r.checked(&consent_key(*s)))
        .collect();
    match date {
        Some(_) if scope.is_empty() => {
            r.error("consent_date", "Bitte angeben, wozu eingewilligt wurde.");
            None
        }
        Some(d) if d > today => {
            r.error(
                "consent_date",
                "Die Einwilligung kann nicht in der Zukunft liegen.",
            );
            None
        }
        Some(d) if arrival.is_some_and(|a| d < a) => {
            r.error("consent_date", "Die Einwilligung liegt vor der Einreise.");
            None
        }
        Some(date) => Some(Consent { date, scope }),
        None if !scope.is_empty() && !r.errors.contains_key("consent_date") => {
            r.error("consent_date", "Bitte das Datum der Einwilligung angeben.");
            None
        }
        None => None,
    }
}

fn competences(r: &mut Reader, today: NaiveDate) -> Option<Kompetenzprofil> {
    let date = r.date("k_date");
    if date.is_some_and(|d| d > today) {
        r.error("k_date", "Das Datum kann nicht in der Zukunft liegen.");
    }
    let skills = (0..rows(r.values, SKILLS))
        .map(|i| SkillEntry {
            written: r.required(&SKILLS.key(i, "written"), "Die Fähigkeit"),
            level: r.int(&SKILLS.key(i, "level"), 1, 5),
            source: r
                .choice(&SKILLS.key(i, "source"))
                .unwrap_or(SkillSource::SelfReported),
        })
        .collect::<Vec<_>>();
    let ratings: BTreeMap<Competence, u8> = Competence::ALL
        .into_iter()
        .filter_map(|c| r.int::<u8>(&rating_key(c), 1, 5).map(|v| (c, v)))
        .collect();
    let k = Kompetenzprofil {
        date,
        skills,
        ratings,
        strengths: r.text("strengths"),
        recommendation: r.text("recommendation"),
    };
    let empty = k.date.is_none()
        && k.skills.is_empty()
        && k.ratings.is_empty()
        && k.strengths.is_none()
        && k.recommendation.is_none();
    (!empty).then_some(k)
}

fn empty_permits() -> Permits {
    Permits {
        residence_status: None,
        work_permit: None,
        valid_until: None,
    }
}
fn empty_residence() -> Residence {
    Residence {
        postcode: None,
        municipality: None,
        coordinates: None,
    }
}
fn empty_mobility() -> Mobility {
    Mobility {
        commute_km: None,
        driving_licences: Vec::new(),
        car: None,
    }
}
fn empty_schooling() -> Schooling {
    Schooling {
        years: None,
        certificate: None,
        country: None,
        documents: None,
        recognition: None,
    }
}
fn empty_restrictions() -> Restrictions {
    Restrictions {
        health: None,
        childcare: None,
        part_time_only: None,
    }
}
