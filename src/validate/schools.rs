//! Vocational schools and the offers that send trainees to them: every
//! class names a known occupation and a school year, and every Ausbildung or
//! EQ that names a school finds its class for its occupation and school
//! year. Without any school records an offer's `vocational_school` is free
//! text (older data folders) and is not checked.

use crate::catalogue::{is_school_year, school_year, Offer, OfferKind, School};
use crate::error::Diagnostic;
use crate::records::{locate, locate_value, Loaded};
use std::collections::BTreeSet;
use std::path::Path;

/// Diagnostics of one school file.
pub(super) fn school(
    path: &Path,
    text: &str,
    s: &School,
    occupations: &BTreeSet<&str>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut at = |field: &str, value: Option<&str>, message: String| {
        let pos = match value {
            Some(v) => locate_value(text, field, v),
            None => locate(text, field),
        };
        let (line, column) = pos.unwrap_or((1, 1));
        out.push(Diagnostic::at(path, line, column, message));
    };
    if s.name.trim().is_empty() {
        at("name", None, "Der Name darf nicht leer sein".into());
    }
    if s.classes.is_empty() {
        at(
            "classes",
            None,
            "eine Berufsschule braucht mindestens eine Klasse (Beruf, Schuljahr, Plätze)".into(),
        );
    }
    let mut seen = BTreeSet::new();
    for c in &s.classes {
        if !occupations.contains(c.occupation.as_str()) {
            at(
                "occupation",
                Some(&c.occupation),
                format!(
                    "unbekannter Beruf „{}“: keine Datei occupations/occupations/{}.ron",
                    c.occupation, c.occupation
                ),
            );
        }
        if !is_school_year(&c.school_year) {
            at(
                "school_year",
                Some(&c.school_year),
                format!(
                    "Schuljahr „{}“: bitte als „2016/17“ schreiben",
                    c.school_year
                ),
            );
        }
        if c.capacity == 0 {
            at(
                "capacity",
                None,
                format!(
                    "Klasse {} {}: mindestens ein Platz",
                    c.occupation, c.school_year
                ),
            );
        }
        if !seen.insert((c.occupation.as_str(), c.school_year.as_str())) {
            at(
                "occupation",
                Some(&c.occupation),
                format!(
                    "Klasse {} im Schuljahr {} steht zweimal in der Liste",
                    c.occupation, c.school_year
                ),
            );
        }
    }
    out
}

/// Diagnostics of an offer's school reference (none without school records).
pub(super) fn offer_school(
    path: &Path,
    text: &str,
    o: &Offer,
    schools: &[Loaded<School>],
) -> Vec<Diagnostic> {
    let Some(named) = o.vocational_school.as_deref() else {
        return Vec::new();
    };
    if schools.is_empty() {
        return Vec::new();
    }
    let at = |message: String| {
        let (line, column) = locate_value(text, "vocational_school", named).unwrap_or((1, 1));
        vec![Diagnostic::at(path, line, column, message)]
    };
    if !matches!(o.kind, OfferKind::Ausbildung | OfferKind::Eq) {
        return at(format!(
            "Berufsschule „{named}“: nur eine Ausbildung oder EQ hat eine Berufsschule"
        ));
    }
    let Some(school) = schools.iter().map(|l| &l.record).find(|s| s.id == named) else {
        let mut ids: Vec<&str> = schools.iter().map(|l| l.record.id.as_str()).collect();
        ids.sort_unstable();
        return at(format!(
            "unbekannte Berufsschule „{named}“: keine Datei occupations/schools/{named}.ron (bekannt: {})",
            ids.join(", ")
        ));
    };
    let year = school_year(o.start_date);
    if school.class_index(&o.occupation, &year).is_none() {
        return at(format!(
            "{} hat keine Klasse für {} im Schuljahr {year} (Beginn {}): bitte in occupations/schools/{}.ron ergänzen",
            school.name,
            o.occupation,
            crate::score::german_date(o.start_date),
            school.id
        ));
    }
    Vec::new()
}
