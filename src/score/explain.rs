//! A score with its reasons: what every output (table, CSV, JSON, HTML)
//! shows. Field names are the stable JSON contract.

use serde::Serialize;

/// One criterion's part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// `skills`, `experience`, `german`, `interests`, `distance`, `availability`.
    pub name: &'static str,
    /// Normalised weight (the weights of the applicable criteria sum to 1).
    pub weight: f64,
    /// 0–1.
    pub similarity: f64,
    /// weight × similarity × 100, rounded to 2 decimals; the contributions sum to the score.
    pub contribution: f64,
    pub evidence: Vec<Evidence>,
}

impl Criterion {
    /// German name for tables and pages.
    pub fn label(&self) -> &'static str {
        label(self.name)
    }
}

/// German name of a criterion.
pub fn label(name: &str) -> &'static str {
    match name {
        "skills" => "Fähigkeiten",
        "experience" => "Erfahrung",
        "german" => "Deutsch",
        "interests" => "Interessen",
        "distance" => "Entfernung",
        "availability" => "Verfügbarkeit",
        _ => "?",
    }
}

/// Distance and availability in one line ("Entfernung 12,3 km entfernt,
/// Pendelradius 30 km (0,8) · Verfügbarkeit verfügbar ab …, Beginn … (1)"),
/// for tables that otherwise show only the largest criteria: both are shown
/// also when they contribute nothing. `None` for occupations.
pub fn reach(criteria: &[Criterion]) -> Option<String> {
    let parts: Vec<String> = criteria
        .iter()
        .filter(|c| c.name == "distance" || c.name == "availability")
        .map(|c| {
            let evidence: Vec<String> = c
                .evidence
                .iter()
                .map(|e| format!("{}, {}", e.written, e.matched))
                .collect();
            format!(
                "{} {} ({})",
                c.label(),
                format!("{:.1}", c.contribution).replace('.', ","),
                evidence.join("; ")
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Which written item matched which requirement, and how well.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub written: String,
    pub matched: String,
    pub similarity: f64,
}

/// A score and its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub score: f64,
    pub excluded: bool,
    pub flags: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub gaps: Vec<String>,
    /// Training offer ids that close the gaps, in the order to take them.
    pub training: Vec<String>,
}

/// Rounds to 2 decimals (scores and contributions).
#[inline]
pub fn round2(x: f64) -> f64 {
    round(x * 100.0) / 100.0
}

/// Rounds to 3 decimals (similarities).
pub fn round3(x: f64) -> f64 {
    round(x * 1000.0) / 1000.0
}

/// [`f64::round`] (half away from zero), without the call into libm that
/// it compiles to on baseline x86-64: scores are rounded several times per
/// pair. Truncation is a plain conversion where `|x| < 2⁵²`; the fraction
/// `x − trunc(x)` is exact there, so the result is `f64::round`'s bit for
/// bit (tested over the whole range of scores).
#[inline]
pub fn round(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x.round();
    }
    let t = x as i64 as f64;
    let frac = x - t;
    // Without branches: whether a fraction lies above or below one half is
    // as good as random, and a mispredicted branch costs more than the sum.
    let up = f64::from(u8::from(frac >= 0.5));
    let down = f64::from(u8::from(frac <= -0.5));
    let r = t + up - down;
    // −0.3 rounds to −0, as in f64::round.
    r.copysign(x)
}
