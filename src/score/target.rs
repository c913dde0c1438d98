//! What a person is scored against: an occupation, or a concrete offer with
//! its occupation's requirements and the offer's overrides, resolved to ids.

use crate::catalogue::{Catalogue, Importance, OfferKind, Requirement};
use crate::cefr::Cefr;
use crate::permit::DrivingLicence;
use crate::profile::Coordinates;
use chrono::NaiveDate;

/// Occupation or offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Occupation,
    Offer,
}

impl TargetKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Occupation => "occupation",
            TargetKind::Offer => "offer",
        }
    }
}

/// A required skill, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    pub skill: u32,
    pub importance: Importance,
    pub level: Option<u8>,
}

impl Need {
    /// The evidence strength that meets the need in full (level 3 where none
    /// is given).
    pub fn required_strength(&self) -> f64 {
        0.6 + 0.1 * f64::from(self.level.unwrap_or(3))
    }
}

/// Requirements of one target, resolved to catalogue indexes.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: TargetKind,
    pub id: String,
    pub title: String,
    /// Index of the occupation (of the offer's occupation, for offers).
    pub occupation: u32,
    pub kldb: String,
    pub needs: Vec<Need>,
    pub min_german: Cefr,
    pub licences: Vec<DrivingLicence>,
    /// Certificates (skills) that are required: `(skill, mandatory)`.
    pub certificates: Vec<(u32, bool)>,
    /// Optional licences: an advantage, never an exclusion.
    pub optional_licences: Vec<DrivingLicence>,
    pub demands: Vec<String>,
    pub work_permit_required: bool,
    /// Ausbildung or EQ: residence for the whole training period matters.
    pub training_place: bool,
    /// An Einstiegsqualifizierung (6–12 months) rather than a full training.
    pub kind_is_eq: bool,
    /// Length of the training in months where the records say (the
    /// occupation's `duration_months` for an Ausbildung); otherwise the
    /// configured `training_period` applies.
    pub training_months: Option<u32>,
    pub location: Option<Coordinates>,
    pub start: Option<NaiveDate>,
    pub places: u32,
}

impl Target {
    /// The target for an occupation (no place, no start date).
    pub fn occupation(catalogue: &Catalogue, index: usize) -> Target {
        let o = &catalogue.occupations[index];
        let mut t = Target {
            kind: TargetKind::Occupation,
            id: o.id.clone(),
            title: o.title.clone(),
            occupation: index as u32,
            kldb: o.kldb.clone(),
            needs: Vec::new(),
            min_german: o.min_german,
            licences: Vec::new(),
            certificates: Vec::new(),
            optional_licences: Vec::new(),
            demands: Vec::new(),
            work_permit_required: true,
            training_place: false,
            kind_is_eq: false,
            training_months: None,
            location: None,
            start: None,
            places: 0,
        };
        for s in &o.skills {
            if let Some(i) = catalogue.skill_index(&s.skill) {
                t.add_need(Need {
                    skill: i as u32,
                    importance: s.importance,
                    level: s.level,
                });
            }
        }
        for r in &o.requirements {
            match r {
                Requirement::DrivingLicence {
                    class,
                    mandatory: true,
                } => t.licences.push(*class),
                Requirement::DrivingLicence {
                    class,
                    mandatory: false,
                } => t.optional_licences.push(*class),
                Requirement::Certificate { skill, mandatory } => {
                    if let Some(i) = catalogue.skill_index(skill) {
                        t.certificates.push((i as u32, *mandatory));
                    }
                }
                Requirement::Demand { text } => t.demands.push(text.clone()),
            }
        }
        t
    }

    /// The target for an offer; `None` if its occupation is unknown
    /// (validation reports that).
    pub fn offer(catalogue: &Catalogue, index: usize) -> Option<Target> {
        let offer = &catalogue.offers[index];
        let occupation = catalogue.occupation_index(&offer.occupation)?;
        let mut t = Target::occupation(catalogue, occupation);
        t.kind = TargetKind::Offer;
        t.id = offer.id.clone();
        t.title = offer.title.clone();
        if let Some(level) = offer.min_german {
            t.min_german = level;
        }
        for l in &offer.required_licences {
            if !t.licences.contains(l) {
                t.licences.push(*l);
            }
        }
        for s in &offer.skills {
            if let Some(i) = catalogue.skill_index(&s.skill) {
                t.add_need(Need {
                    skill: i as u32,
                    importance: s.importance,
                    level: s.level,
                });
            }
        }
        t.work_permit_required = offer.work_permit_required;
        t.training_place = matches!(offer.kind, OfferKind::Ausbildung | OfferKind::Eq);
        t.kind_is_eq = offer.kind == OfferKind::Eq;
        if offer.kind == OfferKind::Ausbildung {
            t.training_months = catalogue.occupations[occupation]
                .duration_months
                .map(u32::from);
        }
        t.location = offer
            .coordinates
            .or_else(|| catalogue.locate(offer.postcode.as_deref(), offer.municipality.as_deref()));
        t.start = Some(offer.start_date);
        t.places = offer.places;
        Some(t)
    }

    /// Adds a need; an existing need for the same skill keeps the stronger terms.
    fn add_need(&mut self, need: Need) {
        if let Some(existing) = self.needs.iter_mut().find(|n| n.skill == need.skill) {
            existing.importance = existing.importance.max(need.importance);
            existing.level = existing.level.max(need.level);
        } else {
            self.needs.push(need);
        }
    }

    /// Whether distance and availability apply (only to concrete offers).
    pub fn is_offer(&self) -> bool {
        self.kind == TargetKind::Offer
    }
}
