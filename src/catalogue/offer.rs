//! Concrete places: jobs, apprenticeships, Einstiegsqualifizierung, internships.

use super::occupation::RequiredSkill;
use crate::cefr::Cefr;
use crate::permit::DrivingLicence;
use crate::profile::Coordinates;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A concrete offer of one employer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub id: String,
    pub title: String,
    pub kind: OfferKind,
    /// Occupation id of the catalogue.
    pub occupation: String,
    pub employer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Number of places, at least 1.
    pub places: u32,
    pub start_date: NaiveDate,
    /// Overrides the occupation's minimum German level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_german: Option<Cefr>,
    /// Licences the employer insists on (mandatory).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_licences: Vec<DrivingLicence>,
    /// Whether a work permit is required (default: yes). A person whose
    /// permit needs approval is flagged, one without is excluded.
    #[serde(default = "yes")]
    pub work_permit_required: bool,
    /// Skills the employer asks for beyond the occupation's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<RequiredSkill>,
    /// The programme the offer belongs to ("DEHOGA Integrationsinitiative").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// The vocational school (Berufsschule) for apprenticeships and EQ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocational_school: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

fn yes() -> bool {
    true
}

/// The kind of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OfferKind {
    Job,
    Ausbildung,
    /// Einstiegsqualifizierung: a 6–12 month internship leading into an apprenticeship.
    Eq,
    Praktikum,
}

impl OfferKind {
    /// The CSV spelling (`job|ausbildung|eq|praktikum`).
    pub fn csv_name(self) -> &'static str {
        match self {
            OfferKind::Job => "job",
            OfferKind::Ausbildung => "ausbildung",
            OfferKind::Eq => "eq",
            OfferKind::Praktikum => "praktikum",
        }
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            OfferKind::Job => "Stelle",
            OfferKind::Ausbildung => "Ausbildung",
            OfferKind::Eq => "Einstiegsqualifizierung",
            OfferKind::Praktikum => "Praktikum",
        }
    }

    /// All kinds.
    pub const ALL: [OfferKind; 4] = [
        OfferKind::Job,
        OfferKind::Ausbildung,
        OfferKind::Eq,
        OfferKind::Praktikum,
    ];
}

impl std::str::FromStr for OfferKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        OfferKind::ALL
            .into_iter()
            .find(|k| k.csv_name() == t)
            .ok_or_else(|| {
                format!(
                    "„{}“ ist keine Angebotsart (erlaubt: job, ausbildung, eq, praktikum)",
                    s.trim()
                )
            })
    }
}
