//! A row of a profiles file as a [`Profile`].

use super::cells::{self, Language};
use super::header::Layout;
use super::row::Row;
use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::{
    Availability, Intake, Kompetenzprofil, LanguageSkill, Languages, Mobility, Permits, Profile,
    Residence, Schooling, SkillEntry, SkillSource, VocationalTraining, WorkExperience,
};
use std::collections::BTreeSet;

/// The columns of a profiles file, in the order of the command line contract.
pub(super) const LAYOUT: Layout = Layout {
    known: &[
        "id",
        "given_name",
        "family_name",
        "birth_year",
        "nationality",
        "residence_status",
        "work_permit",
        "postcode",
        "municipality",
        "mobility_km",
        "driving_licences",
        "german_level",
        "languages",
        "literate_latin",
        "school_years",
        "school_certificate",
        "vocational_training",
        "work_experience",
        "skills",
        "interests",
        "available_from",
        "notes",
        "customer_number",
        "advisor",
        "intake_date",
    ],
    required: &["id", "given_name", "family_name"],
    german: &[
        ("Kennung", "id"),
        ("ID", "id"),
        ("Vorname", "given_name"),
        ("Nachname", "family_name"),
        ("Familienname", "family_name"),
        ("Geburtsjahr", "birth_year"),
        ("Staatsangehörigkeit", "nationality"),
        ("Aufenthaltsstatus", "residence_status"),
        ("Arbeitserlaubnis", "work_permit"),
        ("PLZ", "postcode"),
        ("Postleitzahl", "postcode"),
        ("Wohnort", "municipality"),
        ("Ort", "municipality"),
        ("Pendelradius (km)", "mobility_km"),
        ("Mobilität", "mobility_km"),
        ("Pendelradius", "mobility_km"),
        ("Führerscheine", "driving_licences"),
        ("Führerschein", "driving_licences"),
        ("Deutsch", "german_level"),
        ("Deutschniveau", "german_level"),
        ("Sprachen", "languages"),
        ("Lesen lateinisch", "literate_latin"),
        ("Lateinische Schrift", "literate_latin"),
        ("Schuljahre", "school_years"),
        ("Schulabschluss", "school_certificate"),
        ("Berufsausbildung", "vocational_training"),
        ("Ausbildung", "vocational_training"),
        ("Berufserfahrung", "work_experience"),
        ("Fähigkeiten", "skills"),
        ("Interessen", "interests"),
        ("Verfügbar ab", "available_from"),
        ("Notizen", "notes"),
        ("Kundennummer", "customer_number"),
        ("Beraterin/Berater", "advisor"),
        ("Beraterin", "advisor"),
        ("Berater", "advisor"),
        ("Berater/in", "advisor"),
        ("Gesprächsdatum", "intake_date"),
    ],
};

/// Reads every cell of the row (so every problem is recorded) and gives the
/// profile if there was none. `this_year` bounds the birth year.
pub(super) fn profile(row: &mut Row, this_year: i32) -> Option<Profile> {
    let id = row.required("id");
    let given_name = row.required("given_name");
    let family_name = row.required("family_name");
    let birth_year = row.value("birth_year", |s| cells::birth_year(s, this_year));
    let nationality = row.string("nationality");
    let residence_status = row.value("residence_status", str::parse::<ResidenceStatus>);
    let work_permit = row.value("work_permit", str::parse::<WorkPermit>);
    let postcode = row.value("postcode", cells::postcode);
    let municipality = row.string("municipality");
    let commute_km = row.value("mobility_km", cells::kilometres);
    let mut driving_licences = row.list("driving_licences", str::parse::<DrivingLicence>);
    driving_licences.sort();
    driving_licences.dedup();
    let german = row.value("german_level", str::parse::<Cefr>);
    let languages = languages(row);
    let literate_latin = row.value("literate_latin", cells::yes_no);
    let school_years = row.value("school_years", cells::school_years);
    let certificate = row.string("school_certificate");
    let vocational_training = row
        .list("vocational_training", cells::titled_years)
        .into_iter()
        .map(|(occupation, years)| VocationalTraining {
            occupation,
            years,
            completed: None,
            certificate: None,
            country: None,
        })
        .collect();
    let work_experience = row
        .list("work_experience", cells::titled_years)
        .into_iter()
        .map(|(activity, years)| WorkExperience {
            activity,
            years,
            country: None,
            sector: None,
            self_employed: None,
        })
        .collect();
    let skills: Vec<SkillEntry> = row
        .texts("skills")
        .into_iter()
        .map(|written| SkillEntry {
            written,
            level: None,
            source: SkillSource::SelfReported,
        })
        .collect();
    let interests = row.texts("interests");
    let available_from = row.value("available_from", cells::date);
    let notes = row.string("notes");
    let customer_number = row.string("customer_number");
    let advisor = row.string("advisor");
    let intake_date = row.value("intake_date", cells::date);

    if let Some(id) = &id {
        if let Err(message) = crate::records::check_id(id) {
            row.error("id", message);
        }
    }
    if !row.diagnostics.is_empty() {
        return None;
    }
    let (mother_tongues, other) = languages;
    let mut profile = Profile::new(id?, given_name?, family_name?);
    profile.identity.birth_year = birth_year;
    profile.identity.nationality = nationality;
    profile.permits = (residence_status.is_some() || work_permit.is_some()).then_some(Permits {
        residence_status,
        work_permit,
        valid_until: None,
    });
    profile.residence = (postcode.is_some() || municipality.is_some()).then_some(Residence {
        postcode,
        municipality,
        coordinates: None,
    });
    profile.mobility = (commute_km.is_some() || !driving_licences.is_empty()).then_some(Mobility {
        commute_km,
        driving_licences,
        car: None,
    });
    let any_language = german.is_some()
        || literate_latin.is_some()
        || !mother_tongues.is_empty()
        || !other.is_empty();
    profile.languages = any_language.then_some(Languages {
        mother_tongues,
        other,
        german,
        literate_latin,
        integration_course: None,
    });
    profile.schooling = (school_years.is_some() || certificate.is_some()).then_some(Schooling {
        years: school_years,
        certificate,
        country: None,
        documents: None,
        recognition: None,
    });
    profile.vocational_training = vocational_training;
    profile.work_experience = work_experience;
    profile.interests = interests;
    profile.availability = available_from.map(|from| Availability {
        from: Some(from),
        hours: None,
    });
    profile.competences = (!skills.is_empty()).then_some(Kompetenzprofil {
        date: None,
        skills,
        ratings: Default::default(),
        strengths: None,
        recommendation: None,
    });
    profile.notes = notes;
    let any_intake = customer_number.is_some() || advisor.is_some() || intake_date.is_some();
    profile.intake = any_intake.then_some(Intake {
        customer_number,
        advisor,
        date: intake_date,
    });
    Some(profile)
}

/// The `languages` cell: mother tongues (`ar:native`) and other languages
/// with their level; a language named twice is an error.
fn languages(row: &mut Row) -> (Vec<String>, Vec<LanguageSkill>) {
    let items = row.list("languages", cells::language);
    let mut seen = BTreeSet::new();
    let (mut native, mut other) = (Vec::new(), Vec::new());
    for item in items {
        if !seen.insert(item.code().to_string()) {
            row.error(
                "languages",
                format!("die Sprache „{}“ steht doppelt", item.code()),
            );
            continue;
        }
        match item {
            Language::Native(code) => native.push(code),
            Language::Level(language, level) => other.push(LanguageSkill { language, level }),
        }
    }
    (native, other)
}
