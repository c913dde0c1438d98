//! The sections of the Profilingbogen.

use crate::cefr::Cefr;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identity: who the person is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub given_name: String,
    pub family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Nationality as written (e.g. "syrisch", "Afghanistan", "staatenlos").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_origin: Option<String>,
    /// Date of arrival in Germany.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<NaiveDate>,
}

/// The intake conversation: who took the record, when, and the person's
/// customer number at the Bundesagentur (Kundennummer), where one exists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// The BA Kundennummer as written (e.g. "123D456789").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_number: Option<String>,
    /// The advisor who held the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisor: Option<String>,
    /// The date of the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// Gender as recorded (the form offers these three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Female,
    Male,
    Diverse,
}

/// Residence status and work permit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_status: Option<ResidenceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_permit: Option<WorkPermit>,
    /// Until when the current permit is valid, where known: a training place
    /// needs a permit for the whole training period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

/// Where the person lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Residence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
}

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Coordinates {
    /// Great-circle distance in kilometres (haversine).
    pub fn distance_km(self, other: Coordinates) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0 * a.sqrt().asin()
    }
}

/// How far the person can travel to work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mobility {
    /// Acceptable commute, in km one way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commute_km: Option<u16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub driving_licences: Vec<DrivingLicence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub car: Option<bool>,
}

/// Languages and literacy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Languages {
    /// Mother tongues as ISO 639-1 codes ("ar", "fa", "ti") or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mother_tongues: Vec<String>,
    /// Other languages besides German.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<LanguageSkill>,
    /// German level; `Keine` means none, a missing value means not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub german: Option<Cefr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literate_latin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_course: Option<bool>,
}

/// A language other than German with its level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSkill {
    pub language: String,
    pub level: Cefr,
}

/// School education.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schooling {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u8>,
    /// Highest certificate as written ("Abitur", "9. Klasse", "Baccalauréat").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognition: Option<Recognition>,
}

/// State of the recognition (Anerkennung) of a foreign certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recognition {
    NotApplied,
    Pending,
    Recognised,
    PartlyRecognised,
    Refused,
}

/// A vocational training, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocationalTraining {
    /// The occupation as written ("Schneider", "mechanic").
    pub occupation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
    /// Whether a certificate (document) exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Studies at a university or college.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HigherEducation {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semesters: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Work experience, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkExperience {
    /// The activity as written ("Hilfe in der Küche", "waiter").
    pub activity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_employed: Option<bool>,
}

/// What limits the choice of work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restrictions {
    /// Health limits as written ("kein schweres Heben").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub childcare: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_time_only: Option<bool>,
}

/// From when and how much the person can work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
}

/// Full or part time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Hours {
    FullTime,
    PartTime,
}

/// The data-protection consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub date: NaiveDate,
    pub scope: Vec<ConsentScope>,
}

/// What the person consented to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsentScope {
    /// Recording and storing the profile.
    Profiling,
    /// Matching against occupations, offers and training.
    Matching,
    /// Passing the profile to the partner institutions of the advice centre.
    ShareWithPartners,
    /// Passing the profile to employers for a concrete offer.
    ShareWithEmployers,
}
