//! `GET /batch`: the optimal allocation of people to the places of every
//! offer ([`batch::run`] with `assign`, the same run as `lotse batch
//! --assign`): each placement with its score and reasons, the places left
//! empty and why, and the people with an option who got no place. A form
//! chooses a programme and a minimum score (`?programme=…&min_score=…`);
//! for a programme the coordinator's report follows (school classes, why
//! each unplaced person got no place, the checklists before the start), and
//! `GET /batch/report.xlsx` gives it as a workbook.

use super::explain;
use crate::audit::{Action, Entry};
use crate::batch::{self, Assignment, BatchOptions};
use crate::report::{german_number, Report};
use crate::score::Scored;
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::layout::{num, page, Nav};
use crate::web::state::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
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

/// The choices of a run: `?programme=NAME&min_score=N` (both optional).
#[derive(Debug, Clone, Default)]
struct Choices {
    programme: Option<String>,
    min_score: f64,
}

impl Choices {
    fn read(params: &HashMap<String, String>) -> Result<Choices, WebError> {
        let programme = params
            .get("programme")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        let min_score = match params.get("min_score").map(|s| s.trim()) {
            None | Some("") => 0.0,
            Some(text) => match text.replace(',', ".").parse::<f64>() {
                Ok(x) if (0.0..=100.0).contains(&x) => x,
                _ => {
                    return Err(WebError::bad_request(format!(
                        "Mindestpunktzahl „{text}“: bitte eine Zahl von 0 bis 100"
                    )))
                }
            },
        };
        Ok(Choices {
            programme,
            min_score,
        })
    }

    fn options(&self, report: bool) -> BatchOptions {
        BatchOptions {
            top: TOP,
            assign: true,
            per_person: false,
            programme: self.programme.clone(),
            min_score: self.min_score,
            report,
        }
    }

    fn query(&self) -> String {
        let mut q = Vec::new();
        if let Some(p) = &self.programme {
            q.push(format!("programme={}", urlencode(p)));
        }
        if self.min_score > 0.0 {
            q.push(format!("min_score={}", self.min_score));
        }
        q.join("&")
    }
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /batch`
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let choices = Choices::read(&params)?;
    let run_choices = choices.clone();
    let (assignment, report, placed, names) = state
        .blocking(move |st| {
            let index = st.index()?;
            let engine = st.engine();
            // The report keeps every relevant candidate: only for one programme.
            let with_report = run_choices.programme.is_some();
            let run = batch::run(engine, &index, run_choices.options(with_report), &|_| {})?;
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
            Ok((assignment, run.report, placed, names))
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
    let body = html! {
        (form(&state, &choices))
        (render(&state, &assignment, &placed, &names))
        @if let Some(r) = &report {
            (report_sections(r, &choices))
        }
    };
    Ok(page(&user, "Zuteilung", Nav::Batch, body))
}

/// `GET /batch/report.xlsx?programme=…`: the coordinator's report as a workbook.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let choices = Choices::read(&params)?;
    if choices.programme.is_none() {
        return Err(WebError::bad_request(
            "Der Bericht braucht ein Programm: bitte oben eines wählen",
        ));
    }
    let run_choices = choices.clone();
    let report = state
        .blocking(move |st| {
            let index = st.index()?;
            let run = batch::run(st.engine(), &index, run_choices.options(true), &|_| {})?;
            run.report
                .ok_or_else(|| WebError::internal("Bericht fehlt"))
        })
        .await?;
    let bytes = crate::report::to_xlsx(&report)?;
    let people = report
        .offers
        .iter()
        .flat_map(|o| o.allocated.iter().map(|a| a.profile.as_str()))
        .chain(report.unplaced.iter().map(|u| u.profile.as_str()));
    state.audit_each(&user.name, Action::Export, people, None)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"zuteilung.xlsx\"".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The choices of a run: programme and minimum score (a GET form: the run
/// changes nothing but the audit log).
fn form(state: &AppState, choices: &Choices) -> Markup {
    let programmes = batch::programmes(state.engine());
    html! {
        form.choices method="get" action="/batch" {
            label {
                "Programm "
                select name="programme" {
                    option value="" selected[choices.programme.is_none()] { "alle Angebote" }
                    @for p in &programmes {
                        option value=(p) selected[choices.programme.as_deref() == Some(p.as_str())] { (p) }
                    }
                }
            }
            " "
            label {
                "Mindestpunktzahl "
                input type="number" name="min_score" min="0" max="100" step="0.1"
                    value=(german_number(choices.min_score, 1).replace(',', "."));
            }
            " "
            button type="submit" { "Zuteilen" }
        }
    }
}

/// The report's sections: school classes, people without a place and why,
/// the checklists before the start.
fn report_sections(r: &Report, choices: &Choices) -> Markup {
    html! {
        p { a href=(format!("/batch/report.xlsx?{}", choices.query())) { "Bericht als Excel-Datei herunterladen" } }
        h2 { "Berufsschulklassen" }
        @if r.classes.is_empty() {
            p.muted { "Keine Angebote mit Berufsschulklasse." }
        } @else {
            table.shortlist {
                thead { tr { th { "Berufsschule" } th { "Beruf" } th { "Schuljahr" } th.num { "Plätze" } th.num { "belegt" } th { "Auszubildende" } th { "frei" } } }
                tbody {
                    @for c in &r.classes {
                        tr {
                            td { (c.school) br; span.muted { (c.municipality) } }
                            td { (c.occupation) }
                            td { (c.school_year) }
                            td.num { (c.capacity) }
                            td.num { (c.trainees.len()) }
                            td { @for (offer, profile, name) in &c.trainees { (name) " " span.muted { "(" (profile) ", " (offer) ")" } br; } }
                            td { (c.free_reason.clone().unwrap_or_default()) }
                        }
                    }
                }
            }
        }
        h2 { "Ohne Platz, obwohl ein Angebot in Frage kam – und warum" }
        @if r.unplaced.is_empty() {
            p.muted { "Niemand." }
        } @else {
            table.shortlist {
                thead { tr { th { "Person" } th { "bestes Angebot" } th.num { "Punkte" } th { "Grund" } } }
                tbody {
                    @for u in &r.unplaced {
                        tr {
                            td { a href=(format!("/profiles/{}", u.profile)) { (u.name) } br; span.muted { (u.profile) } }
                            td { (u.best_offer) }
                            td.num { (german_number(u.best_score, 1)) }
                            td { (u.reason) }
                        }
                    }
                }
            }
        }
        h2 { "Vor dem Start" }
        @for c in &r.checklists {
            section.result {
                h3 { (c.name) " " span.muted { "(" (c.profile) ") → " (c.offer) ", Beginn " (crate::score::german_date(c.start)) } }
                ul { @for item in &c.items { li { (item) } } }
            }
        }
    }
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
            "kein Angebot bekommt mehr Personen als Plätze, keine Berufsschulklasse mehr als ihre Plätze und niemand zwei Plätze. "
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
        @for o in catalogue.offers.iter().filter(|o| {
            a.programme.as_deref().is_none_or(|p| o.programme.as_deref().is_some_and(|x| x.trim().eq_ignore_ascii_case(p.trim())))
        }) {
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
