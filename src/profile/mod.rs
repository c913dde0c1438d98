//! The person's record: the Profilingbogen für Flüchtlinge (Landkreis
//! Mayen-Koblenz) and the Kompetenzprofil (Landkreis
//! Breisgau-Hochschwarzwald), one RON file per person under `profiles/`.
//!
//! Real intake is incomplete, so every section but the identity is optional,
//! and a missing value means "not known", never zero or no. Free text stays
//! as the person or the advisor wrote it; the engine resolves it to catalogue
//! concepts without overwriting it.

mod competence;
mod sections;

pub use competence::{Competence, CompetenceKind, Kompetenzprofil, SkillEntry, SkillSource};
pub use sections::{
    Availability, Consent, ConsentScope, Coordinates, Gender, HigherEducation, Hours, Identity,
    Intake, LanguageSkill, Languages, Mobility, Permits, Recognition, Residence, Restrictions,
    Schooling, VocationalTraining, WorkExperience,
};

use serde::{Deserialize, Serialize};

/// One person's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable id, also the file name without `.ron` (letters, digits, `-`, `_`).
    pub id: String,
    pub identity: Identity,
    /// The conversation the record was taken in: BA customer number,
    /// advisor, date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake: Option<Intake>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permits: Option<Permits>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<Residence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobility: Option<Mobility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Languages>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schooling: Option<Schooling>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vocational_training: Vec<VocationalTraining>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub higher_education: Vec<HigherEducation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work_experience: Vec<WorkExperience>,
    /// Wishes and interests: occupations as written ("Koch", "was mit Autos").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<Restrictions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// The Kompetenzprofil, where one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competences: Option<Kompetenzprofil>,
    /// The advisor's notes, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Profile {
    /// A profile with only its id and names: the minimum of an intake.
    pub fn new(
        id: impl Into<String>,
        given_name: impl Into<String>,
        family_name: impl Into<String>,
    ) -> Self {
        Profile {
            id: id.into(),
            identity: Identity {
                given_name: given_name.into(),
                family_name: family_name.into(),
                birth_year: None,
                gender: None,
                nationality: None,
                country_of_origin: None,
                arrival: None,
            },
            intake: None,
            permits: None,
            residence: None,
            mobility: None,
            languages: None,
            schooling: None,
            vocational_training: Vec::new(),
            higher_education: Vec::new(),
            work_experience: Vec::new(),
            interests: Vec::new(),
            restrictions: None,
            availability: None,
            consent: None,
            competences: None,
            notes: None,
        }
    }

    /// "Given Family", for lists.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.identity.given_name, self.identity.family_name)
            .trim()
            .to_string()
    }

    /// The German level, where known.
    pub fn german(&self) -> Option<crate::cefr::Cefr> {
        self.languages.as_ref().and_then(|l| l.german)
    }

    /// The work permit, `Unknown` where not recorded.
    pub fn work_permit(&self) -> crate::permit::WorkPermit {
        self.permits
            .as_ref()
            .and_then(|p| p.work_permit)
            .unwrap_or(crate::permit::WorkPermit::Unknown)
    }

    /// The residence status, `Unbekannt` where not recorded.
    pub fn residence_status(&self) -> crate::permit::ResidenceStatus {
        self.permits
            .as_ref()
            .and_then(|p| p.residence_status)
            .unwrap_or(crate::permit::ResidenceStatus::Unbekannt)
    }

    /// The driving licences held.
    pub fn driving_licences(&self) -> &[crate::permit::DrivingLicence] {
        self.mobility
            .as_ref()
            .map(|m| m.driving_licences.as_slice())
            .unwrap_or(&[])
    }

    /// Skills of the Kompetenzprofil, empty where none was made.
    pub fn skills(&self) -> &[SkillEntry] {
        self.competences
            .as_ref()
            .map(|c| c.skills.as_slice())
            .unwrap_or(&[])
    }
}
