//! A profile resolved once against the catalogue: the compact form the
//! scorer works on. Everything written is resolved here, when a record is
//! indexed or loaded, and never again per pair.

use crate::catalogue::Catalogue;
use crate::cefr::Cefr;
use crate::config::Config;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::{ConsentScope, Coordinates, Profile, SkillSource};
use crate::resolve::{Concept, Resolver};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an occupation in a profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Experience,
    Training,
    Study,
    /// A written skill that resolved to an occupation ("Koch" under skills).
    Skill,
}

/// A skill the person has, as evidence for requirements.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SkillEvidence {
    pub skill: u32,
    /// 0–1: resolution confidence × source factor × level factor.
    pub strength: f32,
    /// How sure the resolution of the written item was.
    pub confidence: f32,
    /// Index into `written`.
    pub item: u16,
    /// Implied by experience or training in an occupation, not written as a skill.
    pub implied: bool,
}

/// An occupation the person has practised, learnt or studied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OccupationEvidence {
    pub occupation: u32,
    pub years: Option<f32>,
    pub source: Source,
    pub confidence: f32,
    pub item: u16,
}

/// An occupation the person wishes for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interest {
    pub occupation: u32,
    pub confidence: f32,
    pub item: u16,
}

/// A profile resolved against the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedProfile {
    pub id: String,
    pub name: String,
    /// The written items that evidence points into, as written.
    pub written: Vec<String>,
    /// Best evidence per skill, sorted by skill.
    pub skills: Vec<SkillEvidence>,
    pub occupations: Vec<OccupationEvidence>,
    pub interests: Vec<Interest>,
    /// Occupations proposed for experience, training or studies whose text
    /// resolved to nothing confidently (no occupation, no skill): the best few
    /// below `evidence_min_confidence`, `confidence` being the similarity.
    /// They count, scaled by it.
    pub weak_occupations: Vec<OccupationEvidence>,
    /// The same for interests that did not resolve confidently.
    pub weak_interests: Vec<Interest>,
    pub german: Option<Cefr>,
    pub work_permit: WorkPermit,
    pub residence: ResidenceStatus,
    pub permit_valid_until: Option<NaiveDate>,
    pub licences: Vec<DrivingLicence>,
    pub location: Option<Coordinates>,
    pub municipality: Option<String>,
    pub commute_km: Option<u16>,
    pub available_from: Option<NaiveDate>,
    pub literate_latin: Option<bool>,
    pub part_time_only: bool,
    /// Consent to matching: `None` where no consent is recorded.
    pub consent_matching: Option<bool>,
    /// Consent to passing the profile to employers.
    pub consent_employers: Option<bool>,
}

impl ResolvedProfile {
    /// The strongest evidence for a skill, if any.
    pub fn skill(&self, skill: u32) -> Option<&SkillEvidence> {
        self.skills
            .binary_search_by_key(&skill, |s| s.skill)
            .ok()
            .map(|i| &self.skills[i])
    }

    /// Whether the person holds a licence that covers `required`.
    pub fn has_licence(&self, required: DrivingLicence) -> bool {
        self.licences.iter().any(|l| l.covers(required))
    }

    /// Resolves a profile. `catalogue` and `resolver` must belong together.
    pub fn resolve(
        profile: &Profile,
        catalogue: &Catalogue,
        resolver: &Resolver,
        config: &Config,
    ) -> Self {
        let min = config.evidence_min_confidence;
        let rules = &config.skills;
        let mut r = ResolvedProfile {
            id: profile.id.clone(),
            name: profile.display_name(),
            written: Vec::new(),
            skills: Vec::new(),
            occupations: Vec::new(),
            interests: Vec::new(),
            weak_occupations: Vec::new(),
            weak_interests: Vec::new(),
            german: profile.german(),
            work_permit: profile.work_permit(),
            residence: profile.residence_status(),
            permit_valid_until: profile.permits.as_ref().and_then(|p| p.valid_until),
            licences: profile.driving_licences().to_vec(),
            location: profile.residence.as_ref().and_then(|res| {
                res.coordinates.or_else(|| {
                    catalogue.locate(res.postcode.as_deref(), res.municipality.as_deref())
                })
            }),
            municipality: profile
                .residence
                .as_ref()
                .and_then(|res| res.municipality.clone()),
            commute_km: profile.mobility.as_ref().and_then(|m| m.commute_km),
            available_from: profile.availability.as_ref().and_then(|a| a.from),
            literate_latin: profile.languages.as_ref().and_then(|l| l.literate_latin),
            part_time_only: profile
                .restrictions
                .as_ref()
                .and_then(|x| x.part_time_only)
                .unwrap_or(false),
            consent_matching: profile
                .consent
                .as_ref()
                .map(|c| c.scope.contains(&ConsentScope::Matching)),
            consent_employers: profile
                .consent
                .as_ref()
                .map(|c| c.scope.contains(&ConsentScope::ShareWithEmployers)),
        };
        let mut skills: Vec<SkillEvidence> = Vec::new();

        let push_item = |written: &mut Vec<String>, text: &str| -> u16 {
            written.push(text.to_string());
            (written.len() - 1).min(u16::MAX as usize) as u16
        };

        // Skills of the Kompetenzprofil.
        for entry in profile.skills() {
            let item = push_item(&mut r.written, &entry.written);
            let source = match entry.source {
                SkillSource::SelfReported => rules.self_reported,
                SkillSource::Observed => rules.observed,
                SkillSource::Certified => rules.certified,
            };
            let level = entry.level.map_or(rules.unknown_level, f64::from);
            let level_factor = (0.6 + 0.1 * level).min(1.0);
            for res in resolver
                .resolve(&entry.written)
                .iter()
                .filter(|x| x.confidence >= min)
                .take(2)
            {
                match res.concept {
                    Concept::Skill(s) => skills.push(SkillEvidence {
                        skill: s,
                        strength: (res.confidence * source * level_factor) as f32,
                        confidence: res.confidence as f32,
                        item,
                        implied: false,
                    }),
                    Concept::Occupation(o) => r.occupations.push(OccupationEvidence {
                        occupation: o,
                        years: None,
                        source: Source::Skill,
                        confidence: res.confidence as f32,
                        item,
                    }),
                }
            }
        }

        // Experience, training and studies: occupations, and skills where the
        // text names an activity ("Teller waschen").
        let mut occupational: Vec<(&str, Option<f32>, Source)> = Vec::new();
        for w in &profile.work_experience {
            occupational.push((&w.activity, w.years, Source::Experience));
        }
        for t in &profile.vocational_training {
            let years = if t.completed == Some(true) {
                Some(
                    t.years
                        .unwrap_or(0.0)
                        .max(config.experience.training_years as f32),
                )
            } else {
                t.years
            };
            occupational.push((&t.occupation, years, Source::Training));
        }
        for h in &profile.higher_education {
            occupational.push((
                &h.field,
                h.semesters.map(|s| f32::from(s) / 2.0),
                Source::Study,
            ));
        }
        let weak_max = config.uncurated.weak_candidates;
        for (text, years, source) in occupational {
            let item = push_item(&mut r.written, text);
            let resolutions = resolver.resolve(text);
            if let Some(res) = resolutions
                .iter()
                .find(|x| matches!(x.concept, Concept::Occupation(_)) && x.confidence >= min)
            {
                if let Concept::Occupation(o) = res.concept {
                    r.occupations.push(OccupationEvidence {
                        occupation: o,
                        years,
                        source,
                        confidence: res.confidence as f32,
                        item,
                    });
                }
            } else if !resolutions.iter().any(|x| x.confidence >= min) {
                // Nothing recognised confidently (text recognised as a skill
                // is evidence already): keep the weak occupation candidates.
                r.weak_occupations
                    .extend(weak(&resolutions, weak_max).map(|(o, similarity)| {
                        OccupationEvidence {
                            occupation: o,
                            years,
                            source,
                            confidence: similarity,
                            item,
                        }
                    }));
            }
            if let Some(res) = resolutions
                .iter()
                .find(|x| matches!(x.concept, Concept::Skill(_)) && x.confidence >= min)
            {
                if let Concept::Skill(s) = res.concept {
                    let years_factor = experience_factor(years.map(f64::from), config);
                    skills.push(SkillEvidence {
                        skill: s,
                        strength: (res.confidence
                            * rules.implied_by_experience.max(0.8)
                            * years_factor) as f32,
                        confidence: res.confidence as f32,
                        item,
                        implied: false,
                    });
                }
            }
        }

        // Skills implied by the occupations practised or learnt.
        for occ in &r.occupations {
            if occ.source == Source::Study {
                continue;
            }
            let factor = experience_factor(occ.years.map(f64::from), config)
                * rules.implied_by_experience
                * f64::from(occ.confidence);
            for req in &catalogue.occupations[occ.occupation as usize].skills {
                if let Some(s) = catalogue.skill_index(&req.skill) {
                    skills.push(SkillEvidence {
                        skill: s as u32,
                        strength: factor as f32,
                        confidence: occ.confidence,
                        item: occ.item,
                        implied: true,
                    });
                }
            }
        }

        for text in &profile.interests {
            let item = push_item(&mut r.written, text);
            let resolutions = resolver.resolve(text);
            if let Some(res) = resolutions
                .iter()
                .find(|x| matches!(x.concept, Concept::Occupation(_)) && x.confidence >= min)
            {
                if let Concept::Occupation(o) = res.concept {
                    r.interests.push(Interest {
                        occupation: o,
                        confidence: res.confidence as f32,
                        item,
                    });
                }
            } else {
                r.weak_interests
                    .extend(
                        weak(&resolutions, weak_max).map(|(o, similarity)| Interest {
                            occupation: o,
                            confidence: similarity,
                            item,
                        }),
                    );
            }
        }

        // Best evidence per skill, sorted for binary search.
        skills.sort_by(|a, b| {
            a.skill
                .cmp(&b.skill)
                .then(b.strength.total_cmp(&a.strength))
        });
        skills.dedup_by_key(|s| s.skill);
        r.skills = skills;
        r
    }
}

/// The occupations a term resolved to below the evidence threshold (the
/// resolver reports nothing below its own `min_confidence`), best first,
/// with their similarity: the fuzzy comparison SPEC promises for text that
/// does not resolve, done once here and never per pair.
fn weak(
    resolutions: &[crate::resolve::Resolution],
    max: usize,
) -> impl Iterator<Item = (u32, f32)> + '_ {
    resolutions
        .iter()
        .filter_map(|x| match x.concept {
            Concept::Occupation(o) => Some((o, x.confidence as f32)),
            Concept::Skill(_) => None,
        })
        .take(max)
}

/// Credit for experience of a given length (0–1).
pub fn experience_factor(years: Option<f64>, config: &Config) -> f64 {
    let rules = &config.experience;
    match years {
        None => rules.base,
        Some(y) => (rules.base + (1.0 - rules.base) * (y / rules.full_years))
            .clamp(rules.base.min(0.3), 1.0),
    }
}
