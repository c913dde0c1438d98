//! Occupations (Berufe) with their KldB 2010 code and weighted skills.

use super::kldb::KldbGroup;
use crate::cefr::Cefr;
use crate::permit::DrivingLicence;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// An occupation of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occupation {
    /// Stable id, also the file name (e.g. `koch`).
    pub id: String,
    /// The title as the KldB writes it ("Koch/Köchin").
    pub title: String,
    /// The gender forms ("Koch", "Köchin").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    /// German synonyms, including official KldB job titles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// English and French job words ("cook", "cuisinier").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<String>,
    /// KldB 2010 code, 5 digits; the 5th is the Anforderungsniveau.
    pub kldb: String,
    /// ISCO-08 unit group, 4 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isco: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco: Option<String>,
    pub kind: OccupationKind,
    /// German level needed to work (or train) in the occupation.
    pub min_german: Cefr,
    pub skills: Vec<RequiredSkill>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<Requirement>,
    /// Occupations whose experience counts here although the KldB puts them
    /// elsewhere (as BERUFENET's "alternative Berufe": a cook for a
    /// Fachkraft im Gastgewerbe). Ids of the catalogue; read both ways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Regular length of the training in months (Ausbildung: 24–42 by the
    /// Ausbildungsordnung), where the occupation has one. A training place
    /// needs a residence and work permit for the whole of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u16>,
    /// The KldB group of `kldb` from the official classification
    /// (`occupations/kldb/`): hierarchy, activities, official job titles.
    /// Derived when the catalogue is loaded, never written to a record.
    #[serde(skip)]
    pub group: Option<Arc<KldbGroup>>,
    /// Whether the occupation comes from a curated record (weighted skills,
    /// requirements) rather than from the KldB alone.
    #[serde(skip)]
    pub curated: bool,
}

impl Occupation {
    /// The Anforderungsniveau, the 5th digit of the KldB code (1 Helfer … 4 Experte).
    pub fn level(&self) -> Option<u8> {
        self.kldb
            .chars()
            .nth(4)
            .and_then(|c| c.to_digit(10))
            .map(|d| d as u8)
    }
}

/// The kind of occupation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OccupationKind {
    /// A recognised occupation with a dual apprenticeship (BBiG/HwO).
    Ausbildungsberuf,
    /// An occupation with a school-based training (e.g. Pflegefachassistenz).
    SchulischeAusbildung,
    /// Helper work without formal training.
    Helfertaetigkeit,
    /// Semi-skilled work learnt on the job.
    Anlerntaetigkeit,
    /// An occupation that needs a university degree.
    Studienberuf,
}

impl OccupationKind {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            OccupationKind::Ausbildungsberuf => "Ausbildungsberuf",
            OccupationKind::SchulischeAusbildung => "schulische Ausbildung",
            OccupationKind::Helfertaetigkeit => "Helfertätigkeit",
            OccupationKind::Anlerntaetigkeit => "Anlerntätigkeit",
            OccupationKind::Studienberuf => "Studienberuf",
        }
    }
}

/// A skill an occupation or offer asks for, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSkill {
    /// Skill id of the catalogue.
    pub skill: String,
    pub importance: Importance,
    /// Level needed, 1–5, where it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
}

/// How much a required skill matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Importance {
    Optional,
    Important,
    Essential,
}

impl Importance {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Importance::Essential => "unverzichtbar",
            Importance::Important => "wichtig",
            Importance::Optional => "optional",
        }
    }
}

/// A legal or practical requirement of an occupation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Requirement {
    /// A driving licence class; `mandatory` ones exclude people without it.
    DrivingLicence {
        class: DrivingLicence,
        mandatory: bool,
    },
    /// A certificate or instruction represented by a skill of the catalogue
    /// (e.g. `ifsg-belehrung` for the Belehrung nach § 43 IfSG); training
    /// offers that provide the skill close the gap.
    Certificate { skill: String, mandatory: bool },
    /// A physical or practical demand, shown to the advisor as a note
    /// ("schweres Heben", "Schichtarbeit").
    Demand { text: String },
}
