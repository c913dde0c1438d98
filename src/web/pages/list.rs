//! `GET /profiles`: the profile list with full-text search and filters
//! (German level, work permit, residence status, municipality, postcode
//! prefix, district, radius around a place), through the same search as the
//! command line, [`ProfileIndex::find`](crate::index::ProfileIndex::find):
//! by meaning (the concept the words resolve to) and by letters.

use crate::audit::Action;
use crate::cefr::Cefr;
use crate::index::SearchQuery;
use crate::permit::{ResidenceStatus, WorkPermit};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::layout::{page, Nav};
use crate::web::state::AppState;
use axum::extract::{Query, State};
use axum::Extension;
use maud::{html, Markup};
use std::collections::{BTreeSet, HashMap};

/// Most rows shown at once.
const LIMIT: usize = 100;

/// One row of the list.
struct Row {
    id: String,
    name: String,
    german: Option<Cefr>,
    permit: WorkPermit,
    residence: ResidenceStatus,
    municipality: Option<String>,
}

/// `GET /profiles?q=…&german=…&permit=…&residence=…&municipality=…&postcode=…&district=…&near=…&radius=…`
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut problems = Vec::new();
    let german = get("german").and_then(|v| {
        v.parse::<Cefr>()
            .map_err(|e| problems.push(e))
            .ok()
            .filter(|&l| l != Cefr::Keine)
    });
    let permit =
        get("permit").and_then(|v| v.parse::<WorkPermit>().map_err(|e| problems.push(e)).ok());
    let residence = get("residence").and_then(|v| {
        v.parse::<ResidenceStatus>()
            .map_err(|e| problems.push(e))
            .ok()
    });
    let radius_km = get("radius").and_then(|v| {
        v.replace(',', ".")
            .parse::<f64>()
            .map_err(|_| problems.push(format!("Umkreis „{v}“ ist keine Zahl (km)")))
            .ok()
    });
    let query = SearchQuery {
        text: get("q").unwrap_or_default().to_string(),
        german,
        permit,
        residence,
        municipality: get("municipality").map(str::to_string),
        postcode: get("postcode").map(str::to_string),
        district: get("district").map(str::to_string),
        near: get("near").map(str::to_string),
        radius_km,
        limit: LIMIT,
        ..SearchQuery::default()
    };
    let (rows, municipalities, districts, found, total, refused) = state
        .blocking(move |st| {
            let index = st.index()?;
            let engine = st.engine();
            let districts: BTreeSet<String> = engine
                .catalogue
                .places
                .iter()
                .map(|p| p.district.clone())
                .collect();
            // A filter the search refuses (unknown place, bad postcode) is
            // named on the page; the list then shows the search without it.
            let (found, refused) = match index.find(engine, &query) {
                Ok(found) => (found, None),
                Err(crate::error::Error::Usage(message)) => {
                    let plain = SearchQuery {
                        postcode: None,
                        district: None,
                        near: None,
                        radius_km: None,
                        ..query.clone()
                    };
                    (index.find(engine, &plain)?, Some(message))
                }
                Err(e) => return Err(e.into()),
            };
            let rows: Vec<Row> = found
                .hits
                .iter()
                .map(|h| {
                    let p = &index.profiles()[h.ordinal as usize];
                    Row {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        german: p.german,
                        permit: p.work_permit,
                        residence: p.residence,
                        municipality: p.municipality.clone(),
                    }
                })
                .collect();
            let places: BTreeSet<String> = index
                .profiles()
                .iter()
                .filter_map(|p| p.municipality.clone())
                .collect();
            Ok((rows, places, districts, found.total, index.len(), refused))
        })
        .await?;
    state.audit_each(
        &user.name,
        Action::List,
        rows.iter().map(|r| r.id.as_str()),
        None,
    )?;

    let value = |k: &str| params.get(k).cloned().unwrap_or_default();
    let selected = |k: &str, v: &str| params.get(k).is_some_and(|x| x == v);
    let body = html! {
        @if let Some(gone) = params.get("geloescht") {
            p.notice { "Profil „" (gone) "“ wurde gelöscht: Datensatz und Indexeinträge sind entfernt." }
        }
        h1 { "Profile" }
        form.search method="get" action="/profiles" {
            label { "Suche" input type="text" name="q" value=(value("q")) placeholder="Name, Tätigkeit, Fähigkeit …"; }
            label { "Deutsch mindestens"
                select name="german" {
                    option value="" { "egal" }
                    @for l in &Cefr::ALL[1..] {
                        option value=(l.as_str()) selected[selected("german", l.as_str())] { (l.as_str()) }
                    }
                }
            }
            label { "Arbeitserlaubnis"
                select name="permit" {
                    option value="" { "egal" }
                    @for p in WorkPermit::ALL {
                        option value=(p.csv_name()) selected[selected("permit", p.csv_name())] { (p.label()) }
                    }
                }
            }
            label { "Aufenthaltsstatus"
                select name="residence" {
                    option value="" { "egal" }
                    @for r in ResidenceStatus::ALL {
                        option value=(r.csv_name()) selected[selected("residence", r.csv_name())] { (r.label()) }
                    }
                }
            }
            label { "Wohnort"
                input type="text" name="municipality" list="orte" value=(value("municipality"));
                datalist #orte { @for m in &municipalities { option value=(m) {} } }
            }
            label { "PLZ (Anfang)"
                input type="text" name="postcode" inputmode="numeric" maxlength="5" value=(value("postcode")) placeholder="z. B. 567";
            }
            label { "Landkreis"
                select name="district" {
                    option value="" { "egal" }
                    @for d in &districts {
                        option value=(d) selected[selected("district", d)] { (d) }
                    }
                }
            }
            label { "Umkreis um"
                input type="text" name="near" list="orte" value=(value("near")) placeholder="Ort oder PLZ";
            }
            label { "km"
                input type="number" name="radius" min="0" step="1" value=(value("radius")) placeholder="25";
            }
            button.primary type="submit" { "Suchen" }
            a.button.secondary href="/profiles" { "Zurücksetzen" }
        }
        @for p in &problems { p.notice.bad { (p) " – dieser Filter wurde nicht angewendet." } }
        @if let Some(r) = &refused { p.notice.bad { (r) " – die Ortsfilter wurden nicht angewendet." } }
        p.muted {
            (found) " von " (total) " Profilen"
            @if found > rows.len() { " (nur die ersten " (rows.len()) " gezeigt – bitte die Suche eingrenzen)" }
        }
        @if rows.is_empty() {
            p { "Keine Profile gefunden." }
        } @else {
            table {
                thead { tr {
                    th { "Profil" } th { "Name" } th { "Deutsch" }
                    th { "Arbeitserlaubnis" } th { "Aufenthalt" } th { "Wohnort" }
                } }
                tbody {
                    @for r in &rows {
                        tr {
                            td { a href=(format!("/profiles/{}", r.id)) { (r.id) } }
                            td { a href=(format!("/profiles/{}", r.id)) { (r.name) } }
                            td { (r.german.map_or("unbekannt", Cefr::as_str)) }
                            td { (r.permit.label()) }
                            td { (r.residence.label()) }
                            td { (r.municipality.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        }
        div.actions { a.button href="/profiles/new" { "Neues Profil anlegen" } }
    };
    Ok(page(&user, "Profile", Nav::Profiles, body))
}
