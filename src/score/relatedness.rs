//! How related two occupations are: by the KldB 2010 hierarchy and by the
//! overlap of their required skills. Computed once per catalogue.
//!
//! A target without curated skills is related by code closeness alone, with
//! the weights of `uncurated` in the configuration: the same 5-digit code,
//! the same 4-digit group at another level, the same 3-digit Berufsgruppe.

use crate::catalogue::{Catalogue, Importance};
use crate::config::Config;

/// A square table of relatedness, 0–1, between occupations.
#[derive(Debug, Clone, Default)]
pub struct Relatedness {
    n: usize,
    table: Vec<f32>,
}

impl Relatedness {
    /// Computes the table for a catalogue.
    pub fn new(catalogue: &Catalogue, config: &Config) -> Self {
        let rules = &config.experience;
        let bare = &config.uncurated;
        let occ = &catalogue.occupations;
        let n = occ.len();
        let weight = |i: Importance| match i {
            Importance::Essential => config.skills.essential,
            Importance::Important => config.skills.important,
            Importance::Optional => config.skills.optional,
        };
        let mut table = vec![0.0f32; n * n];
        for (a, from) in occ.iter().enumerate() {
            for (b, to) in occ.iter().enumerate() {
                let r = if a == b {
                    1.0
                } else {
                    let prefix = from
                        .kldb
                        .bytes()
                        .zip(to.kldb.bytes())
                        .take_while(|(x, y)| x == y)
                        .count();
                    let by_code = if to.skills.is_empty() {
                        match prefix {
                            5.. => bare.same_kldb5,
                            4 => bare.same_kldb4,
                            3 => bare.same_kldb3,
                            _ => 0.0,
                        }
                    } else {
                        match prefix {
                            4.. => rules.same_kldb4,
                            3 => rules.same_kldb3,
                            2 => rules.same_kldb2,
                            _ => 0.0,
                        }
                    };
                    // Share of the target's skill weight that the other occupation needs too.
                    let total: f64 = to.skills.iter().map(|s| weight(s.importance)).sum();
                    let shared: f64 = to
                        .skills
                        .iter()
                        .filter(|s| from.skills.iter().any(|f| f.skill == s.skill))
                        .map(|s| weight(s.importance))
                        .sum();
                    let by_skills = if total > 0.0 {
                        0.8 * shared / total
                    } else {
                        0.0
                    };
                    let listed = from.related.contains(&to.id) || to.related.contains(&from.id);
                    let listed = if listed { rules.listed_related } else { 0.0 };
                    by_code.max(by_skills).max(listed)
                };
                table[a * n + b] = r as f32;
            }
        }
        Relatedness { n, table }
    }

    /// Relatedness of practising `from` to working in `to`.
    pub fn get(&self, from: u32, to: u32) -> f64 {
        let (a, b) = (from as usize, to as usize);
        if a < self.n && b < self.n {
            f64::from(self.table[a * self.n + b])
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Occupation, OccupationKind, RequiredSkill, Skill};
    use crate::cefr::Cefr;

    fn occupation(id: &str, kldb: &str, skills: &[&str]) -> Occupation {
        Occupation {
            id: id.into(),
            title: id.into(),
            forms: vec![],
            synonyms: vec![],
            foreign: vec![],
            kldb: kldb.into(),
            isco: None,
            esco: None,
            kind: OccupationKind::Ausbildungsberuf,
            min_german: Cefr::A2,
            skills: skills
                .iter()
                .map(|s| RequiredSkill {
                    skill: s.to_string(),
                    importance: Importance::Essential,
                    level: None,
                })
                .collect(),
            requirements: vec![],
            related: vec![],
            duration_months: None,
            group: None,
            curated: true,
        }
    }

    #[test]
    fn targets_without_skills_are_related_by_code_closeness() {
        let skill = Skill {
            id: "kochen".into(),
            label: "Kochen".into(),
            synonyms: vec![],
            foreign: vec![],
            group: "Küche".into(),
            esco: None,
        };
        let catalogue = Catalogue::new(
            vec![skill],
            vec![
                occupation("koch", "29302", &["kochen"]),
                occupation("kldb-29302", "29302", &[]),
                occupation("kldb-29303", "29303", &[]),
                occupation("kldb-29312", "29312", &[]),
                occupation("kldb-29222", "29222", &[]),
                occupation("kldb-11102", "11102", &[]),
            ],
            vec![],
            vec![],
            vec![],
        );
        let config = Config::default();
        let r = Relatedness::new(&catalogue, &config);
        let u = config.uncurated;
        let close = |to: u32| r.get(0, to);
        assert_eq!(close(1), u.same_kldb5 as f32 as f64, "same 5-digit code");
        assert_eq!(
            close(2),
            u.same_kldb4 as f32 as f64,
            "same group, other level"
        );
        assert_eq!(close(3), u.same_kldb3 as f32 as f64, "same Berufsgruppe");
        assert_eq!(close(4), 0.0, "only two digits shared");
        assert_eq!(close(5), 0.0, "another field");
        assert_eq!(r.get(5, 5), 1.0);
        // A curated target keeps the rules of curated occupations.
        assert_eq!(r.get(2, 0), config.experience.same_kldb4 as f32 as f64);
    }
}
