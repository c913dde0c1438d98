//! `GET /offers` (the offers of the catalogue), `GET /offers/{id}` (an
//! offer with its shortlist, [`rank::shortlist`], each candidate with the
//! reasons of the score) and `GET /offers/{id}/shortlist.csv` (the same
//! shortlist as the command line's CSV).

use super::explain;
use crate::audit::Action;
use crate::catalogue::Offer;
use crate::rank::{self, Shortlist};
use crate::web::auth::CurrentUser;
use crate::web::error::{checked_id, WebError};
use crate::web::layout::{page, Nav};
use crate::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use std::collections::HashMap;

/// Candidates shown unless `?top=` says otherwise.
pub const DEFAULT_TOP: usize = 20;
/// Most candidates one request may ask for.
pub const MAX_TOP: usize = 1000;

/// Reads `?top=N` (1 … [`MAX_TOP`]).
pub fn top(params: &HashMap<String, String>, default: usize) -> Result<usize, WebError> {
    match params.get("top").map(|s| s.trim()) {
        None | Some("") => Ok(default),
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=MAX_TOP).contains(&n) => Ok(n),
            _ => Err(WebError::bad_request(format!(
                "„top“ muss eine ganze Zahl von 1 bis {MAX_TOP} sein."
            ))),
        },
    }
}

/// The offer of an id, or "not found".
pub fn offer<'a>(state: &'a AppState, id: &str) -> Result<&'a Offer, WebError> {
    state
        .engine()
        .catalogue
        .offer(id)
        .ok_or_else(|| WebError::not_found(format!("Angebot „{id}“ gibt es nicht.")))
}

/// The shortlist of an offer, computed off the async threads.
pub async fn shortlist(state: &AppState, id: &str, top: usize) -> Result<Shortlist, WebError> {
    let id = id.to_string();
    state
        .blocking(move |st| {
            let index = st.index()?;
            Ok(rank::shortlist(st.engine(), &index, &id, top)?)
        })
        .await
}

/// `GET /offers`
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Markup {
    let catalogue = &state.engine().catalogue;
    let body = html! {
        h1 { "Angebote" }
        p.muted { "Stellen, Ausbildungsplätze, Einstiegsqualifizierungen und Praktika des Katalogs." }
        @if catalogue.offers.is_empty() { p { "Der Katalog enthält keine Angebote." } }
        @else {
            table {
                thead { tr {
                    th { "Angebot" } th { "Art" } th { "Arbeitgeber" } th { "Ort" }
                    th.num { "Plätze" } th { "Beginn" }
                } }
                tbody {
                    @for o in &catalogue.offers {
                        tr {
                            td { a href=(format!("/offers/{}", o.id)) { (o.title) } br; span.muted { (o.id) } }
                            td { (o.kind.label()) }
                            td { (o.employer) }
                            td { (o.municipality.as_deref().unwrap_or("–")) }
                            td.num { (o.places) }
                            td { (o.start_date.format("%d.%m.%Y")) }
                        }
                    }
                }
            }
        }
    };
    page(&user, "Angebote", Nav::Offers, body)
}

/// `GET /offers/{id}?top=N`
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let id = checked_id(&id)?;
    let top = top(&params, DEFAULT_TOP)?;
    let o = offer(&state, id)?;
    let list = shortlist(&state, id, top).await?;
    state.audit_each(
        &user.name,
        Action::Shortlist,
        list.candidates.iter().map(|c| c.profile.as_str()),
        Some(id),
    )?;
    let catalogue = &state.engine().catalogue;
    let occupation = catalogue.occupation(&o.occupation);
    let body = html! {
        h1 { (o.title) }
        table.facts {
            tr { th { "Art" } td { (o.kind.label()) } }
            tr { th { "Arbeitgeber" } td { (o.employer) } }
            @if let Some(occ) = occupation {
                tr { th { "Beruf" } td { (occ.title) " " span.muted { "(KldB " (occ.kldb) ", " (occ.kind.label()) ")" } } }
            }
            tr { th { "Ort" } td { (o.postcode.as_deref().unwrap_or("")) " " (o.municipality.as_deref().unwrap_or("–")) } }
            tr { th { "Plätze" } td { (o.places) } }
            tr { th { "Beginn" } td { (o.start_date.format("%d.%m.%Y")) } }
            tr { th { "Deutsch mindestens" } td {
                (o.min_german.or(occupation.map(|x| x.min_german)).map_or("–", |l| l.as_str()))
            } }
            tr { th { "Arbeitserlaubnis nötig" } td { (if o.work_permit_required { "ja" } else { "nein" }) } }
            @if !o.required_licences.is_empty() {
                tr { th { "Führerschein" } td { @for (i, l) in o.required_licences.iter().enumerate() { @if i > 0 { ", " } (l.as_str()) } } }
            }
            @if let Some(p) = &o.programme { tr { th { "Programm" } td { (p) } } }
            @if let Some(s) = &o.vocational_school { tr { th { "Berufsschule" } td { (s) } } }
            @if let Some(n) = &o.notes { tr.no-print { th { "Hinweise" } td { (n) } } }
        }
        h2 { "Kandidatinnen und Kandidaten" }
        div.actions {
            form method="get" action=(format!("/offers/{id}")) {
                label { "Anzahl " input type="number" name="top" min="1" max=(MAX_TOP) value=(top); }
                " " button.secondary type="submit" { "Anzeigen" }
            }
            a.button href=(format!("/offers/{id}/shortlist.xlsx?top={top}")) { "Als Excel-Datei exportieren" }
            a.button.secondary href=(format!("/offers/{id}/shortlist.csv?top={top}")) { "CSV (maschinenlesbar)" }
            a.button.secondary href=(format!("/api/offers/{id}/shortlist?top={top}")) { "JSON" }
        }
        @if list.without_consent > 0 {
            p.hint { (list.without_consent) " " (if list.without_consent == 1 { "Person" } else { "Personen" }) " ohne Einwilligung in den Abgleich nicht berücksichtigt." }
        }
        @if list.candidates.is_empty() {
            p { "Keine Profile im Index." }
        } @else {
            p.hint { "Ausgeschlossene Personen (harte Bedingung nicht erfüllt) stehen am Ende und nennen den Grund. Ein Klick auf „Begründung“ zeigt jedes Kriterium mit Gewicht, Ähnlichkeit, Beitrag und Belegen." }
            table.shortlist {
                thead { tr {
                    th.num { "Rang" } th { "Person" } th.num { "Punkte" } th { "Begründung" }
                } }
                tbody {
                    @for (i, c) in list.candidates.iter().enumerate() {
                        tr.excluded[c.excluded] {
                            td.num { @if c.excluded { "–" } @else { (i + 1) } }
                            td { a href=(format!("/profiles/{}", c.profile)) { (c.name) } br; span.muted { (c.profile) } }
                            td.num { (explain::score(c.score)) }
                            td {
                                @if c.excluded { span.tag.bad { "ausgeschlossen" } " " }
                                span.reasons { (explain::reasons(&c.criteria, 3)) }
                                div.screen-only { (explain::flags_and_gaps(&c.flags, &c.gaps)) }
                                details.explain {
                                    summary { "Begründung" }
                                    (explain::criteria(&c.criteria))
                                    (explain::training(catalogue, &c.training))
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&user, &o.title, Nav::Offers, body))
}

/// `GET /offers/{id}/shortlist.csv?top=N`: the command line's CSV columns
/// (`offer,rank,profile,score,excluded,<criteria…>,flags,gaps`). One audit
/// entry `export` per exported profile, naming the offer.
pub async fn csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = checked_id(&id)?;
    let top = top(&params, DEFAULT_TOP)?;
    offer(&state, id)?;
    let list = shortlist(&state, id, top).await?;
    let bytes = list
        .to_csv()
        .map_err(|e| WebError::internal(format!("CSV: {e}")))?;
    state.audit_each(
        &user.name,
        Action::Export,
        list.candidates.iter().map(|c| c.profile.as_str()),
        Some(id),
    )?;
    let disposition = format!("attachment; filename=\"shortlist-{id}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The content type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /offers/{id}/shortlist.xlsx?top=N`: the shortlist as an Excel
/// workbook for people ([`crate::export::shortlist_xlsx`]: German headers,
/// names, numeric and date cells). Audited like the CSV export.
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = checked_id(&id)?;
    let top = top(&params, DEFAULT_TOP)?;
    offer(&state, id)?;
    let list = shortlist(&state, id, top).await?;
    let bytes = crate::export::shortlist_xlsx(state.engine(), &list)
        .map_err(|e| WebError::internal(e.to_string()))?;
    state.audit_each(
        &user.name,
        Action::Export,
        list.candidates.iter().map(|c| c.profile.as_str()),
        Some(id),
    )?;
    let disposition = format!("attachment; filename=\"kandidaten-{id}.xlsx\"");
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
