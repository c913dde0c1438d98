//! The scoring configuration: every weight, threshold and cut-off of the
//! engine in one RON file (`lotse.ron` in the data folder, or `--config`).
//! A missing field takes its documented default; an unknown field is an error.

use crate::error::{Diagnostic, Error, Result};
use crate::records;
use crate::resolve::ResolveConfig;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Weights of the criteria; they are normalised to sum 1 over the
    /// criteria that apply (distance and availability need an offer).
    pub weights: Weights,
    pub skills: SkillRules,
    pub experience: ExperienceRules,
    pub german: GermanRules,
    pub distance: DistanceRules,
    pub availability: AvailabilityRules,
    /// Similarity of the interests criterion when no interest is recorded.
    pub interests_unknown: f64,
    pub resolve: ResolveConfig,
    /// A resolution must reach this confidence to count as evidence.
    pub evidence_min_confidence: f64,
    /// Occupations without curated skills, and text resolved only weakly.
    pub uncurated: UncuratedRules,
    /// How long a training runs, for residence permits that must last it.
    pub training_period: TrainingPeriod,
    /// Kind and German minimum of KldB groups without a curated record.
    pub kldb: crate::catalogue::KldbDefaults,
}

/// The length of a training, where the record does not say.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrainingPeriod {
    /// An Einstiegsqualifizierung without `duration_months` on the offer
    /// (6–12 months by law; the longest is assumed).
    pub eq_months: u32,
    /// An Ausbildung whose occupation has no `duration_months`.
    pub ausbildung_months: u32,
    /// Set for a run (`--require-permit-for-training`): a residence title,
    /// Gestattung or Duldung ending before the training does excludes the
    /// pair instead of flagging it.
    pub require_permit_for_training: bool,
}

impl Default for TrainingPeriod {
    fn default() -> Self {
        TrainingPeriod {
            eq_months: 12,
            ausbildung_months: 36,
            require_permit_for_training: false,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            weights: Weights::default(),
            skills: SkillRules::default(),
            experience: ExperienceRules::default(),
            german: GermanRules::default(),
            distance: DistanceRules::default(),
            availability: AvailabilityRules::default(),
            interests_unknown: 0.3,
            resolve: ResolveConfig::default(),
            evidence_min_confidence: 0.75,
            uncurated: UncuratedRules::default(),
            training_period: TrainingPeriod::default(),
            kldb: crate::catalogue::KldbDefaults::default(),
        }
    }
}

/// Criterion weights (relative; normalised when scoring).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    pub skills: f64,
    pub experience: f64,
    pub german: f64,
    pub interests: f64,
    pub distance: f64,
    pub availability: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skills: 0.35,
            experience: 0.20,
            german: 0.15,
            interests: 0.10,
            distance: 0.10,
            availability: 0.10,
        }
    }
}

/// How skills count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SkillRules {
    pub essential: f64,
    pub important: f64,
    pub optional: f64,
    /// Factors by where a skill is known from.
    pub self_reported: f64,
    pub observed: f64,
    pub certified: f64,
    /// Level assumed where a person's skill has none recorded (1–5).
    pub unknown_level: f64,
    /// Strength of skills implied by experience in an occupation that needs them.
    pub implied_by_experience: f64,
    /// A required skill below this strength is reported as a gap.
    pub gap_below: f64,
}

impl Default for SkillRules {
    fn default() -> Self {
        SkillRules {
            essential: 3.0,
            important: 2.0,
            optional: 1.0,
            self_reported: 0.85,
            observed: 0.95,
            certified: 1.0,
            unknown_level: 3.0,
            implied_by_experience: 0.7,
            gap_below: 0.5,
        }
    }
}

/// How experience and training count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExperienceRules {
    /// Years of experience that earn full credit.
    pub full_years: f64,
    /// Credit for experience of unknown length, and the floor for any.
    pub base: f64,
    /// Relatedness of two occupations sharing the first 4, 3 or 2 digits of
    /// the KldB code (same Berufsgattung group, Berufsgruppe, Berufshauptgruppe).
    pub same_kldb4: f64,
    pub same_kldb3: f64,
    pub same_kldb2: f64,
    /// Relatedness of occupations the catalogue lists as related.
    pub listed_related: f64,
    /// A completed vocational training in the occupation counts as this many years.
    pub training_years: f64,
}

impl Default for ExperienceRules {
    fn default() -> Self {
        ExperienceRules {
            full_years: 3.0,
            base: 0.5,
            same_kldb4: 0.8,
            same_kldb3: 0.6,
            same_kldb2: 0.35,
            listed_related: 0.7,
            training_years: 3.0,
        }
    }
}

/// German level against the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GermanRules {
    /// Similarity one level below the requirement (a course is recommended).
    pub one_below: f64,
    /// Similarity where the level is not known.
    pub unknown: f64,
}

impl Default for GermanRules {
    fn default() -> Self {
        GermanRules {
            one_below: 0.5,
            unknown: 0.3,
        }
    }
}

/// Distance against the commute radius.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DistanceRules {
    /// Radius assumed where the person gave none, in km.
    pub default_radius_km: f64,
    /// Similarity at the edge of the radius; it falls linearly from 1 at
    /// home. A place beyond the radius excludes the pair (a hard constraint).
    pub at_radius: f64,
    /// Similarity where a place is not known.
    pub unknown: f64,
}

impl Default for DistanceRules {
    fn default() -> Self {
        DistanceRules {
            default_radius_km: 25.0,
            at_radius: 0.5,
            unknown: 0.5,
        }
    }
}

/// Availability against the start date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AvailabilityRules {
    /// Similarity where availability is not known. Available by the start
    /// date is 1; available only after it excludes the pair (a hard
    /// constraint).
    pub unknown: f64,
}

impl Default for AvailabilityRules {
    fn default() -> Self {
        AvailabilityRules { unknown: 0.6 }
    }
}

impl Config {
    /// Loads the configuration: `explicit` must exist if given; otherwise
    /// `lotse.ron` in the data folder is used when present, else the defaults.
    pub fn load(data: &records::DataDir, explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => {
                if !p.exists() {
                    return Err(Error::Invalid(vec![Diagnostic::file(
                        p,
                        "Konfigurationsdatei nicht gefunden",
                    )]));
                }
                p.to_path_buf()
            }
            None => {
                let p = data.config();
                if !p.exists() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let config: Config = records::parse(&path, &text).map_err(|d| Error::Invalid(vec![d]))?;
        config.check(&path)?;
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        let w = self.weights;
        let all = [
            w.skills,
            w.experience,
            w.german,
            w.interests,
            w.distance,
            w.availability,
        ];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
            return Err(Error::Invalid(vec![Diagnostic::file(
                path,
                "Gewichte müssen ≥ 0 sein und dürfen nicht alle 0 sein",
            )]));
        }
        Ok(())
    }
}

/// Occupations without curated skills (a KldB Berufsgattung known only by
/// its code, title and level) and text the resolver recognised only weakly.
///
/// Such a target has no skills criterion: its weight goes to experience,
/// which stands in for it, so an unknown list of skills is neither a zero
/// nor a perfect match, and the sum of the weights (and with it the bound
/// on unrelated pairs) stays the same. Experience and training count by how
/// close their KldB code is to the target's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UncuratedRules {
    /// Relatedness to a target without skills: the same 5-digit code …
    pub same_kldb5: f64,
    /// … the same 4-digit group at another Anforderungsniveau …
    pub same_kldb4: f64,
    /// … the same 3-digit Berufsgruppe.
    pub same_kldb3: f64,
    /// Factor on an occupation the resolver proposed below the evidence
    /// threshold (it counts with its similarity times this factor).
    pub weak_factor: f64,
    /// How many weakly resolved occupations are kept per written item.
    pub weak_candidates: usize,
}

impl Default for UncuratedRules {
    fn default() -> Self {
        UncuratedRules {
            same_kldb5: 1.0,
            same_kldb4: 0.7,
            same_kldb3: 0.4,
            weak_factor: 0.8,
            weak_candidates: 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_equals_defaults() {
        let text = include_str!("../lotse.ron");
        let parsed: Config =
            records::parse(Path::new("lotse.ron"), text).expect("lotse.ron parses");
        assert_eq!(
            parsed,
            Config::default(),
            "lotse.ron documents the defaults"
        );
    }
}
