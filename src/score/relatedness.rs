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
