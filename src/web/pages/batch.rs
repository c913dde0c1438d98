//! `GET /batch`: the optimal allocation of people to the places of every
//! offer ([`batch::run`] with `assign`, the same run as `lotse batch
//! --assign`): each placement with its score and reasons, the places left
//! empty and why, and the people with an option who got no place.

use super::explain;
use crate::audit::{Action, Entry};
use crate::batch::{self, Assignment, BatchOptions};
use crate::score::Scored;
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::layout::{num, page, Nav};
use crate::web::state::AppState;
use axum::extract::State;
use axum::Extension;
use maud::{html, Markup};
use std::collections::HashMap;

/// Candidates kept per offer besides the allocation (the run keeps as many
/// as the allocation needs regardless).
const TOP: usize = 10;

/// A placement, explained.
struct Placed {
    profile: String,
    name: String,
    scored: Scored,
}

/// `GET /batch`
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Markup, WebError> {
    let (assignment, placed, names) = state
        .blocking(|st| {
            let index = st.index()?;
            let engine = st.engine();
            let options = BatchOptions {
                top: TOP,
                assign: true,
                per_person: false,
            };
            let run = batch::run(engine, &index, options, &|_| {})?;
            let assignment = run
                .assignment
                .ok_or_else(|| WebError::internal("Zuteilung fehlt"))?;
            let scorer = engine.scorer();
            let mut placed: HashMap<String, Vec<Placed>> = HashMap::new();
            for p in &assignment.placements {
                let (Ok(target), Some(person)) =
                    (engine.offer_target(&p.offer), index.profile(&p.profile))
                else {
                    continue;
                };
                placed.entry(p.offer.clone()).or_default().push(Placed {
                    profile: person.id.clone(),
                    name: person.name.clone(),
                    scored: scorer.explain(person, target),
                });
            }
            let names: HashMap<String, String> = assignment
                .unplaced
                .iter()
                .filter_map(|id| index.profile(id).map(|p| (id.clone(), p.name.clone())))
                .collect();
            Ok((assignment, placed, names))
        })
        .await?;
    let mut entries: Vec<Entry> = assignment
        .placements
        .iter()
        .map(|p| Entry::now(&user.name, Action::Allocation, &p.profile, Some(&p.offer)))
        .collect();
    entries.extend(
        assignment
            .unplaced
            .iter()
            .map(|id| Entry::now(&user.name, Action::Allocation, id, None)),
    );
    state.audit(&entries)?;
    let body = render(&state, &assignment, &placed, &names);
    Ok(page(&user, "Zuteilung", Nav::Batch, body))
}

fn render(
    state: &AppState,
    a: &Assignment,
    placed: &HashMap<String, Vec<Placed>>,
    names: &HashMap<String, String>,
) -> Markup {
    let catalogue = &state.engine().catalogue;
    let empty: HashMap<&str, (u32, &str)> = a
        .empty
        .iter()
        .map(|e| (e.offer.as_str(), (e.empty, e.reason.as_str())))
        .collect();
    html! {
        h1 { "Zuteilung aller Plätze" }
        p.hint {
            "Alle Profile gegen alle Angebote; die Zuteilung maximiert die Summe der Punkte, "
            "kein Angebot bekommt mehr Personen als Plätze und niemand zwei Plätze. "
            "Ausgeschlossene Paare (harte Bedingung nicht erfüllt) und Paare ohne fachlichen Bezug werden nicht zugeteilt. "
            "Dieselbe Rechnung wie „lotse batch --assign“."
        }
        table.facts {
            tr { th { "Plätze" } td { (a.places) } }
            tr { th { "besetzt" } td { (a.filled) } }
            tr { th { "Punkte im Mittel" } td { (num(a.mean_score, 1)) } }
            tr { th { "Punkte gesamt" } td { (num(a.total_score, 1)) } }
            tr { th { "Personen ohne passendes Angebot" } td { (a.without_option) } }
        }
        @for o in &catalogue.offers {
            section.result {
                h2 {
                    a href=(format!("/offers/{}", o.id)) { (o.title) }
                    " " span.muted { "(" (o.employer) ", " (places(o.places)) ")" }
                }
                @let people = placed.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
                @if people.is_empty() {
                    p.muted { "Niemand zugeteilt." }
                } @else {
                    table.shortlist {
                        thead { tr { th { "Person" } th.num { "Punkte" } th { "Begründung" } } }
                        tbody {
                            @for p in people {
                                tr {
                                    td { a href=(format!("/profiles/{}", p.profile)) { (p.name) } br; span.muted { (p.profile) } }
                                    td.num { (explain::score(p.scored.score)) }
                                    td {
                                        (explain::reasons(&p.scored.criteria, 3))
                                        (explain::flags_and_gaps(&p.scored.flags, &p.scored.gaps))
                                        details.explain {
                                            summary { "Begründung" }
                                            (explain::criteria(&p.scored.criteria))
                                            (explain::training(catalogue, &p.scored.training))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some((n, reason)) = empty.get(o.id.as_str()) {
                    p.gap { (places(*n)) " frei: " (reason) }
                }
            }
        }
        @if !a.unplaced.is_empty() {
            h2 { "Ohne Platz, obwohl ein Angebot in Frage kam" }
            ul {
                @for id in &a.unplaced {
                    li { a href=(format!("/profiles/{id}")) { (names.get(id).map_or(id.as_str(), String::as_str)) } " " span.muted { "(" (id) ")" } }
                }
            }
        }
    }
}

/// „1 Platz“, „3 Plätze“.
fn places(n: u32) -> String {
    if n == 1 {
        "1 Platz".into()
    } else {
        format!("{n} Plätze")
    }
}
