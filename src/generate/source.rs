//! The catalogue prepared for drawing from it: weighted tables of
//! occupations, each occupation's skills, skills by group. Built once and
//! shared read-only by all threads.

use super::random::Weighted;
use crate::catalogue::{Catalogue, Occupation, OccupationKind};
use crate::error::{Diagnostic, Error, Result};
use crate::records::DataDir;
use std::collections::BTreeMap;

/// What the generator draws from.
pub(super) struct Source<'a> {
    pub catalogue: &'a Catalogue,
    /// Occupations weighted for offers.
    pub offer_occupations: Weighted,
    /// Occupations weighted for what people did before they came.
    pub background_occupations: Weighted,
    /// The skills of each occupation, as indexes into `catalogue.skills`.
    pub occupation_skills: Vec<Vec<usize>>,
    /// Skills by their group, as indexes into `catalogue.skills`.
    pub skills_by_group: BTreeMap<&'a str, Vec<usize>>,
    /// Occupations by their KldB Berufshauptgruppe (two digits), as indexes.
    pub occupations_by_area: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> Source<'a> {
    /// Prepares a catalogue; it needs at least one occupation and one skill.
    pub(super) fn new(data: &DataDir, catalogue: &'a Catalogue) -> Result<Self> {
        let offer_occupations = Weighted::new(catalogue.occupations.iter().map(offer_weight));
        let background_occupations =
            Weighted::new(catalogue.occupations.iter().map(background_weight));
        let (Some(offer_occupations), Some(background_occupations)) =
            (offer_occupations, background_occupations)
        else {
            return Err(Error::Invalid(vec![Diagnostic::file(
                &data.occupations(),
                "keine Berufe im Katalog: ist --data der richtige Datenordner?",
            )]));
        };
        if catalogue.skills.is_empty() {
            return Err(Error::Invalid(vec![Diagnostic::file(
                &data.skills(),
                "keine Fähigkeiten im Katalog: ist --data der richtige Datenordner?",
            )]));
        }
        let occupation_skills = catalogue
            .occupations
            .iter()
            .map(|o| {
                o.skills
                    .iter()
                    .filter_map(|s| catalogue.skill_index(&s.skill))
                    .collect()
            })
            .collect();
        let mut skills_by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in catalogue.skills.iter().enumerate() {
            skills_by_group.entry(s.group.as_str()).or_default().push(i);
        }
        let mut occupations_by_area: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, o) in catalogue.occupations.iter().enumerate() {
            occupations_by_area.entry(area(o)).or_default().push(i);
        }
        Ok(Source {
            catalogue,
            occupations_by_area,
            offer_occupations,
            background_occupations,
            occupation_skills,
            skills_by_group,
        })
    }
}

/// The first two digits of the KldB code: the Berufshauptgruppe.
pub(super) fn area(occupation: &Occupation) -> &str {
    occupation.kldb.get(..2).unwrap_or("")
}

/// The sectors where refugees find work first: food and cooking (29),
/// logistics (51), drivers (52), cleaning (54), hotels and restaurants (63),
/// care (81, 82) and housekeeping (83).
fn in_focus(occupation: &Occupation) -> bool {
    matches!(
        area(occupation),
        "29" | "51" | "52" | "54" | "63" | "81" | "82" | "83"
    )
}

/// Whether an occupation is helper work (Anforderungsniveau 1 or a helper kind).
pub(super) fn is_helper(occupation: &Occupation) -> bool {
    occupation.level() == Some(1)
        || matches!(
            occupation.kind,
            OccupationKind::Helfertaetigkeit | OccupationKind::Anlerntaetigkeit
        )
}

/// Offers: helper work ×2, the focus sectors ×2, occupations that need a degree rare.
fn offer_weight(occupation: &Occupation) -> u32 {
    if occupation.kind == OccupationKind::Studienberuf {
        return 1;
    }
    let mut weight = 2;
    if is_helper(occupation) {
        weight *= 2;
    }
    if in_focus(occupation) {
        weight *= 2;
    }
    weight
}

/// Past work: the focus sectors somewhat more common than the rest.
fn background_weight(occupation: &Occupation) -> u32 {
    if in_focus(occupation) {
        3
    } else {
        2
    }
}

/// The sector of a past job as an advisor writes it, by KldB group.
pub(super) fn sector(occupation: &Occupation) -> Option<&'static str> {
    let kldb = occupation.kldb.as_str();
    let three = kldb.get(..3).unwrap_or("");
    Some(match three {
        "632" => "Hotellerie",
        "823" => "Friseurhandwerk",
        "821" | "813" | "817" => "Pflege",
        _ => match area(occupation) {
            "29" | "63" => "Gastronomie",
            "51" => "Logistik",
            "52" => "Transport",
            "54" => "Reinigung",
            "62" => "Handel",
            "81" | "82" => "Pflege",
            "83" => "Hauswirtschaft",
            "32" | "33" | "34" => "Bau",
            "24" | "25" => "Metall",
            "26" => "Elektro",
            "11" | "12" => "Landwirtschaft",
            "28" => "Textil",
            "22" => "Holz",
            "53" => "Sicherheit",
            _ => return None,
        },
    })
}
