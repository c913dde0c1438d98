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
    /// Kind and German minimum of KldB groups without a curated record.
    pub kldb: crate::catalogue::KldbDefaults,
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
    /// Beyond the radius the similarity falls linearly to 0 at this multiple of it.
    pub zero_at_factor: f64,
    /// Similarity where a place is not known.
    pub unknown: f64,
}

impl Default for DistanceRules {
    fn default() -> Self {
        DistanceRules {
            default_radius_km: 25.0,
            zero_at_factor: 2.0,
            unknown: 0.5,
        }
    }
}

/// Availability against the start date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AvailabilityRules {
    /// Days after the start date at which the similarity reaches 0.
    pub zero_after_days: f64,
    /// Similarity where availability is not known.
    pub unknown: f64,
}

impl Default for AvailabilityRules {
    fn default() -> Self {
        AvailabilityRules {
            zero_after_days: 180.0,
            unknown: 0.6,
        }
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
