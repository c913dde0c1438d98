//! A row of an offers file as an [`Offer`], its occupation and skills
//! resolved against the catalogue.

use super::cells;
use super::header::Layout;
use super::resolve::{resolve_occupation, resolve_skill};
use super::row::Row;
use crate::catalogue::{Importance, Offer, OfferKind, RequiredSkill};
use crate::cefr::Cefr;
use crate::engine::Engine;
use crate::permit::DrivingLicence;
use std::collections::HashMap;

/// The columns of an offers file, in the order of the command line contract.
pub(super) const LAYOUT: Layout = Layout {
    known: &[
        "id",
        "title",
        "kind",
        "occupation",
        "employer",
        "postcode",
        "municipality",
        "places",
        "start_date",
        "min_german",
        "required_licences",
        "work_permit_required",
        "skills",
        "notes",
    ],
    required: &[
        "id",
        "title",
        "kind",
        "occupation",
        "employer",
        "places",
        "start_date",
    ],
    german: &[
        ("Kennung", "id"),
        ("ID", "id"),
        ("Titel", "title"),
        ("Art", "kind"),
        ("Beruf", "occupation"),
        ("Arbeitgeber", "employer"),
        ("PLZ", "postcode"),
        ("Postleitzahl", "postcode"),
        ("Ort", "municipality"),
        ("Arbeitsort", "municipality"),
        ("Plätze", "places"),
        ("Beginn", "start_date"),
        ("Deutsch mindestens", "min_german"),
        ("Deutsch", "min_german"),
        ("Führerscheine nötig", "required_licences"),
        ("Führerscheine", "required_licences"),
        ("Arbeitserlaubnis nötig", "work_permit_required"),
        ("Arbeitserlaubnis", "work_permit_required"),
        ("Fähigkeiten", "skills"),
        ("Notizen", "notes"),
    ],
};

/// Resolves names against the catalogue, remembering answers: a file names
/// the same few occupations and skills over and over.
pub(super) struct Names<'c> {
    engine: &'c Engine,
    occupations: HashMap<String, Result<String, String>>,
    skills: HashMap<String, Result<String, String>>,
}

impl<'c> Names<'c> {
    pub(super) fn new(engine: &'c Engine) -> Self {
        Names {
            engine,
            occupations: HashMap::new(),
            skills: HashMap::new(),
        }
    }

    fn occupation(&mut self, text: &str) -> Result<String, String> {
        let engine = self.engine;
        self.occupations
            .entry(text.to_string())
            .or_insert_with(|| resolve_occupation(engine, text).map(str::to_string))
            .clone()
    }

    fn skill(&mut self, text: &str) -> Result<String, String> {
        let engine = self.engine;
        self.skills
            .entry(text.to_string())
            .or_insert_with(|| resolve_skill(engine, text).map(str::to_string))
            .clone()
    }
}

/// Reads every cell of the row (so every problem is recorded) and gives the
/// offer if there was none.
pub(super) fn offer(row: &mut Row, names: &mut Names) -> Option<Offer> {
    let id = row.required("id");
    let title = row.required("title");
    let kind = row.required_value("kind", str::parse::<OfferKind>);
    let occupation = row.required_value("occupation", |s| names.occupation(s));
    let employer = row.required("employer");
    let postcode = row.value("postcode", cells::postcode);
    let municipality = row.string("municipality");
    let places = row.required_value("places", cells::places);
    let start_date = row.required_value("start_date", cells::start_date);
    let min_german = row.value("min_german", str::parse::<Cefr>);
    let mut required_licences = row.list("required_licences", str::parse::<DrivingLicence>);
    required_licences.sort();
    required_licences.dedup();
    let work_permit_required = row.value("work_permit_required", cells::yes_no);
    let mut skills: Vec<String> = row.list("skills", |s| names.skill(s));
    let mut seen = std::collections::BTreeSet::new();
    skills.retain(|s| seen.insert(s.clone()));
    let notes = row.string("notes");

    if let Some(id) = &id {
        if let Err(message) = crate::records::check_id(id) {
            row.error("id", message);
        }
    }
    if !row.diagnostics.is_empty() {
        return None;
    }
    Some(Offer {
        id: id?,
        title: title?,
        kind: kind?,
        occupation: occupation?,
        employer: employer?,
        postcode,
        municipality,
        coordinates: None,
        places: places?,
        start_date: start_date?,
        min_german,
        required_licences,
        // The record's default: an empty cell is not known, and an offer
        // asks for a work permit unless it says otherwise.
        work_permit_required: work_permit_required.unwrap_or(true),
        skills: skills
            .into_iter()
            .map(|skill| RequiredSkill {
                skill,
                importance: Importance::Important,
                level: None,
            })
            .collect(),
        programme: None,
        vocational_school: None,
        notes,
    })
}
