//! Training offers: language courses, vocational modules, leisure courses.

use crate::cefr::Cefr;
use crate::profile::Coordinates;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A course a person can take to close a gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingOffer {
    pub id: String,
    pub title: String,
    pub kind: TrainingKind,
    pub provider: String,
    /// Skill ids the course provides (e.g. `ifsg-belehrung`, `gabelstapler`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provides: Vec<String>,
    /// German level reached by the end of the course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub german_reached: Option<Cefr>,
    #[serde(default)]
    pub prerequisites: Prerequisites,
    pub duration_weeks: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Where the course takes place, where known (the BA gives it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The course can be joined after its start (rolling entry, as many
    /// Integrationskurse allow); otherwise a started course is not recommended.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub late_entry: bool,
    /// Who pays, as written ("BAMF", "Jobcenter (Bildungsgutschein)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What a person must bring to a course.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisites {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_german: Option<Cefr>,
    /// The course needs reading and writing in Latin script.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub literate_latin: bool,
    /// Skill ids needed before (e.g. a first aid course before a care module).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Only with a work permit (e.g. courses funded for job seekers).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub work_permit: bool,
}

/// The kind of course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrainingKind {
    Integrationskurs,
    Berufssprachkurs,
    Alphabetisierung,
    /// A vocational qualification module (Hygieneschulung, Staplerschein …).
    Qualifizierung,
    /// Orientation and practice (Berufsorientierung, Küchenpraxis).
    Orientierung,
    /// Leisure course (sports, music, a cooking club).
    Freizeit,
}

impl TrainingKind {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            TrainingKind::Integrationskurs => "Integrationskurs",
            TrainingKind::Berufssprachkurs => "Berufssprachkurs",
            TrainingKind::Alphabetisierung => "Alphabetisierung",
            TrainingKind::Qualifizierung => "Qualifizierung",
            TrainingKind::Orientierung => "Orientierung",
            TrainingKind::Freizeit => "Freizeitkurs",
        }
    }
}
