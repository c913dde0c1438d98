//! A score with its reasons, as HTML: the criteria table (weight,
//! similarity, contribution, evidence), flags, gaps and the training
//! offers that close them. Every page that shows a score uses these.

use crate::catalogue::Catalogue;
use crate::score::Criterion;
use crate::web::labels::readable;
use crate::web::layout::num;
use maud::{html, Markup};

/// The score, with a small bar.
pub fn score(value: f64) -> Markup {
    let width = value.clamp(0.0, 100.0);
    html! {
        span.score { (num(value, 1)) }
        " "
        meter.bar min="0" max="100" value=(format!("{width:.1}")) aria-hidden="true" {}
    }
}

/// The criteria table of one score.
pub fn criteria(criteria: &[Criterion]) -> Markup {
    html! {
        table.criteria {
            thead {
                tr {
                    th { "Kriterium" }
                    th.num { "Gewicht" }
                    th.num { "Ähnlichkeit" }
                    th.num { "Beitrag" }
                    th { "Belege (geschrieben → erkannt, Ähnlichkeit)" }
                }
            }
            tbody {
                @for c in criteria {
                    tr {
                        td { (c.label()) }
                        td.num { (num(c.weight * 100.0, 0)) " %" }
                        td.num { (num(c.similarity, 2)) }
                        td.num { (num(c.contribution, 1)) }
                        td {
                            @if c.evidence.is_empty() {
                                span.muted { "–" }
                            }
                            @for (i, e) in c.evidence.iter().enumerate() {
                                @if i > 0 { br; }
                                "„" (readable(&e.written)) "“ → " (readable(&e.matched))
                                " (" (num(e.similarity, 2)) ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Flags (exclusions and warnings) and gaps.
pub fn flags_and_gaps(flags: &[String], gaps: &[String]) -> Markup {
    html! {
        @if !flags.is_empty() {
            ul.compact {
                @for f in flags { li.flag { (readable(f)) } }
            }
        }
        @if !gaps.is_empty() {
            p { strong { "Lücken:" } }
            ul.compact {
                @for g in gaps { li.gap { (readable(g)) } }
            }
        }
    }
}

/// The recommended training offers, in the order to take them.
pub fn training(catalogue: &Catalogue, ids: &[String]) -> Markup {
    html! {
        @if !ids.is_empty() {
            p { strong { "Empfohlene Bildungsangebote (in dieser Reihenfolge):" } }
            ol.compact {
                @for id in ids {
                    li {
                        @if let Some(t) = catalogue.training_offer(id) {
                            (t.title) " "
                            span.muted {
                                "(" (t.kind.label()) ", " (t.provider) ", "
                                (crate::web::labels::count(t.duration_weeks, "Woche", "Wochen"))
                                @if let Some(m) = &t.municipality { ", " (m) }
                                ")"
                            }
                        } @else {
                            (id)
                        }
                    }
                }
            }
        }
    }
}

/// The criteria with the largest contributions in a few words.
pub fn reasons(criteria: &[Criterion], n: usize) -> String {
    let mut sorted: Vec<&Criterion> = criteria.iter().filter(|c| c.contribution > 0.0).collect();
    sorted.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    sorted
        .iter()
        .take(n)
        .map(|c| format!("{} {}", c.label(), num(c.contribution, 1)))
        .collect::<Vec<_>>()
        .join(" · ")
}
