//! The Kompetenzprofil: skills with level and source, rated competences,
//! strengths and the recommended next qualification.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The Kompetenzprofil section of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kompetenzprofil {
    /// When the profile analysis was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillEntry>,
    /// Personal, social and methodical competences rated 1–5.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<Competence, u8>,
    /// Strengths in free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strengths: Option<String>,
    /// The recommended next qualification, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
}

/// A skill as written, with a level and where the knowledge comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillEntry {
    /// The skill as written ("Gemüse schneiden", "forklift").
    pub written: String,
    /// 1 (basics) … 5 (expert), where assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(default = "SkillSource::default_source")]
    pub source: SkillSource,
}

/// Where a skill is known from; observed and certified skills weigh more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SkillSource {
    SelfReported,
    Observed,
    Certified,
}

impl SkillSource {
    fn default_source() -> Self {
        SkillSource::SelfReported
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            SkillSource::SelfReported => "Selbstauskunft",
            SkillSource::Observed => "in der Praxis beobachtet",
            SkillSource::Certified => "zertifiziert",
        }
    }
}

/// Personal, social and methodical competences of the Kompetenzprofil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Competence {
    Reliability,
    Punctuality,
    Resilience,
    Independence,
    Teamwork,
    Communication,
    CustomerOrientation,
    WillingnessToLearn,
    Carefulness,
    ProblemSolving,
    Organisation,
    ManualDexterity,
}

/// The three groups of competences of the Kompetenzprofil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompetenceKind {
    Personal,
    Social,
    Methodical,
}

impl Competence {
    /// All competences, in the order of the form.
    pub const ALL: [Competence; 12] = [
        Competence::Reliability,
        Competence::Punctuality,
        Competence::Resilience,
        Competence::Independence,
        Competence::Teamwork,
        Competence::Communication,
        Competence::CustomerOrientation,
        Competence::WillingnessToLearn,
        Competence::Carefulness,
        Competence::ProblemSolving,
        Competence::Organisation,
        Competence::ManualDexterity,
    ];

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Competence::Reliability => "Zuverlässigkeit",
            Competence::Punctuality => "Pünktlichkeit",
            Competence::Resilience => "Belastbarkeit",
            Competence::Independence => "Selbstständigkeit",
            Competence::Teamwork => "Teamfähigkeit",
            Competence::Communication => "Kommunikationsfähigkeit",
            Competence::CustomerOrientation => "Kundenorientierung",
            Competence::WillingnessToLearn => "Lernbereitschaft",
            Competence::Carefulness => "Sorgfalt",
            Competence::ProblemSolving => "Problemlösefähigkeit",
            Competence::Organisation => "Organisationsfähigkeit",
            Competence::ManualDexterity => "Handgeschick",
        }
    }

    /// Which group of the Kompetenzprofil the competence belongs to.
    pub fn kind(self) -> CompetenceKind {
        use Competence::*;
        match self {
            Reliability | Punctuality | Resilience | Independence => CompetenceKind::Personal,
            Teamwork | Communication | CustomerOrientation => CompetenceKind::Social,
            WillingnessToLearn | Carefulness | ProblemSolving | Organisation | ManualDexterity => {
                CompetenceKind::Methodical
            }
        }
    }
}
