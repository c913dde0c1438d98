//! Turns RON parse errors into German diagnostics with a position.

use crate::error::Diagnostic;
use ron::error::{Error as RonError, SpannedError};
use std::path::Path;

/// A diagnostic for a RON error in `path`.
pub(crate) fn diagnostic(path: &Path, error: &SpannedError) -> Diagnostic {
    let start = error.span.start;
    Diagnostic::at(
        path,
        start.line.max(1),
        start.col.max(1),
        message(&error.code),
    )
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("„{n}“"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn within(outer: &Option<String>) -> String {
    outer
        .as_ref()
        .map(|o| format!(" in {}", section(o)))
        .unwrap_or_default()
}

/// The name a person editing the file sees for a record type.
fn section(type_name: &str) -> String {
    let name = match type_name {
        "Profile" => "Profil",
        "Identity" => "identity",
        "Permits" => "permits",
        "Residence" => "residence",
        "Coordinates" => "coordinates",
        "Mobility" => "mobility",
        "Languages" => "languages",
        "LanguageSkill" => "languages.other",
        "Schooling" => "schooling",
        "VocationalTraining" => "vocational_training",
        "HigherEducation" => "higher_education",
        "WorkExperience" => "work_experience",
        "Restrictions" => "restrictions",
        "Availability" => "availability",
        "Consent" => "consent",
        "Kompetenzprofil" => "competences",
        "SkillEntry" => "competences.skills",
        "Skill" => "Fähigkeit",
        "Occupation" => "Beruf",
        "RequiredSkill" => "skills",
        "Offer" => "Angebot",
        "TrainingOffer" => "Bildungsangebot",
        "Prerequisites" => "prerequisites",
        "Place" => "Ort",
        "Cefr" => "Sprachniveau",
        "WorkPermit" => "Arbeitserlaubnis",
        "ResidenceStatus" => "Aufenthaltsstatus",
        "DrivingLicence" => "Führerscheinklasse",
        "Importance" => "Gewichtung",
        "Competence" => "Kompetenz",
        other => other,
    };
    format!("„{name}“")
}

/// The German message for a RON error.
pub(crate) fn message(code: &RonError) -> String {
    match code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unbekanntes Feld „{found}“{} (erlaubt: {})",
            within(outer),
            list(expected)
        ),
        RonError::MissingStructField { field, outer } => {
            format!("Pflichtfeld „{field}“ fehlt{}", within(outer))
        }
        RonError::DuplicateStructField { field, outer } => {
            format!("Feld „{field}“ steht doppelt{}", within(outer))
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unbekannter Wert „{found}“{} (erlaubt: {})",
            within(outer),
            list(expected)
        ),
        RonError::InvalidValueForType { expected, found } => {
            format!("erwartet wurde {expected}, gefunden: {found}")
        }
        RonError::ExpectedString | RonError::ExpectedStringEnd => {
            "hier wird ein Text in Anführungszeichen erwartet".into()
        }
        RonError::ExpectedInteger | RonError::IntegerOutOfBounds => {
            "hier wird eine ganze Zahl im erlaubten Bereich erwartet".into()
        }
        RonError::ExpectedFloat => "hier wird eine Zahl erwartet".into(),
        RonError::ExpectedBoolean => "hier wird true oder false erwartet".into(),
        RonError::ExpectedComma => "hier fehlt ein Komma".into(),
        RonError::ExpectedArray | RonError::ExpectedArrayEnd => {
            "hier wird eine Liste in eckigen Klammern […] erwartet".into()
        }
        RonError::ExpectedMap | RonError::ExpectedMapEnd | RonError::ExpectedMapColon => {
            "hier wird eine Zuordnung {schlüssel: wert, …} erwartet".into()
        }
        RonError::ExpectedStructLike
        | RonError::ExpectedNamedStructLike(_)
        | RonError::ExpectedStructLikeEnd => {
            "hier wird ein Abschnitt in runden Klammern (…) erwartet (fehlt eine Klammer?)".into()
        }
        RonError::Eof => "Datei endet mitten im Datensatz (fehlt eine schließende Klammer?)".into(),
        RonError::TrailingCharacters => {
            "nach dem Ende des Datensatzes folgt noch Text (eine Klammer zu viel?)".into()
        }
        RonError::UnexpectedChar(c) => format!("unerwartetes Zeichen „{c}“"),
        RonError::ExpectedIdentifier => "hier wird ein Feldname erwartet".into(),
        RonError::Utf8Error(_) => {
            "die Datei ist nicht in UTF-8 gespeichert (bitte als UTF-8 speichern)".into()
        }
        RonError::Message(m) => translate_message(m),
        other => format!("RON-Syntaxfehler: {other}"),
    }
}

/// Messages from serde (e.g. a bad date) come as English text.
fn translate_message(m: &str) -> String {
    if m.contains("input contains invalid characters")
        || m.contains("input is out of range")
        || m.contains("premature end of input")
        || m.contains("trailing input")
        || m.contains("input is not enough")
    {
        format!("ungültiges Datum ({m}); erwartet wird JJJJ-MM-TT, z. B. „2016-02-01“")
    } else {
        format!("ungültiger Wert: {m}")
    }
}
