//! `GET /profiles/{id}`: the printable profile page — every section of the
//! Profilingbogen and the Kompetenzprofil, then the matching occupations
//! and offers ([`rank::match_profile`]), each with its reasons, gaps and the
//! training that closes them. Also the erasure (admins only).

use super::explain;
use crate::audit::{Action, Entry};
use crate::cefr::Cefr;
use crate::profile::{Competence, Profile};
use crate::rank::{self, Matches};
use crate::records;
use crate::web::auth::CurrentUser;
use crate::web::csrf;
use crate::web::error::{checked_id, WebError};
use crate::web::labels::{language, years, yes_no, Choice};
use crate::web::layout::{page, Nav};
use crate::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};
use std::collections::HashMap;

/// Matches shown on the profile page.
const TOP: usize = 10;

/// Reads a profile record; a missing file is "not found".
pub fn load(state: &AppState, id: &str) -> Result<Profile, WebError> {
    let path = state.data().profile_path(id);
    if !path.is_file() {
        return Err(WebError::not_found(format!("Profil „{id}“ gibt es nicht.")));
    }
    records::load_file::<Profile>(&path).map_err(|d| WebError::internal(d.to_string()))
}

/// `GET /profiles/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let id = checked_id(&id)?.to_string();
    let (profile, matches) = state
        .blocking(move |st| {
            let profile = load(&st, &id)?;
            let index = st.index()?;
            let matches = rank::indexed_profile(&index, &id)
                .ok()
                .map(|p| rank::match_profile(st.engine(), p, TOP));
            Ok((profile, matches))
        })
        .await?;
    state.audit(&[Entry::now(&user.name, Action::View, &profile.id, None)])?;
    let title = profile.display_name();
    let body = html! {
        p.print-only.muted {
            "Profilingbogen und Kompetenzprofil · ausgedruckt am "
            (chrono::Local::now().format("%d.%m.%Y")) " von " (user.name)
        }
        @if params.contains_key("gespeichert") { p.notice.no-print { "Gespeichert." } }
        h1 { (title) " " span.muted { "(" (profile.id) ")" } }
        div.actions {
            a.button href=(format!("/profiles/{}/edit", profile.id)) { "Bearbeiten" }
            @if user.role == crate::accounts::Role::Admin {
                a.button.danger href=(format!("/profiles/{}/delete", profile.id)) { "Person löschen …" }
            }
            span.hint { "Drucken mit Strg+P – die Druckansicht zeigt nur das Profil." }
        }
        (summary(&state, &profile, matches.as_ref()))
        div.screen-only { (sections(&profile)) }
        h2.screen-only { "Passende Berufe und Angebote" }
        @if matches.is_some() {
            div.actions.no-print {
                a.button.secondary href=(format!("/profiles/{}/matches.xlsx", profile.id)) { "Als Excel-Datei exportieren" }
            }
        }
        div.screen-only {
            @match &matches {
                Some(m) => (results(&state, m)),
                None => p.notice { "Das Profil ist noch nicht im Suchindex; die Ergebnisse erscheinen nach dem nächsten Abgleich." },
            }
        }
    };
    Ok(page(&user, &title, Nav::Profiles, body))
}

/// The paper version of a profile (shown only in print): identity, permits,
/// languages, experience, the three best matches with their gaps and
/// courses, and a date and signature line — at most two A4 pages.
fn summary(state: &AppState, p: &Profile, matches: Option<&Matches>) -> Markup {
    let catalogue = &state.engine().catalogue;
    let id = &p.identity;
    let res = p.residence.as_ref();
    let lang = p.languages.as_ref();
    let joined = |items: Vec<String>| Some(items.join(", ")).filter(|s| !s.is_empty());
    let experience: Vec<String> = p
        .work_experience
        .iter()
        .map(|w| match w.years {
            Some(1.0) => format!("{} (1 Jahr)", w.activity),
            Some(y) => format!("{} ({} Jahre)", w.activity, years(y)),
            None => w.activity.clone(),
        })
        .collect();
    let training: Vec<String> = p
        .vocational_training
        .iter()
        .map(|t| match t.years {
            Some(y) => format!("{} ({} J.)", t.occupation, years(y)),
            None => t.occupation.clone(),
        })
        .collect();
    let skills: Vec<String> = p
        .competences
        .as_ref()
        .map(|k| k.skills.iter().map(|s| s.written.clone()).collect())
        .unwrap_or_default();
    let best: Vec<&crate::rank::MatchResult> = matches
        .map(|m| m.results.iter().filter(|r| !r.excluded).take(3).collect())
        .unwrap_or_default();
    html! {
        div.print-only.print-summary {
            table.facts.summary {
                (fact("Geburtsjahr", id.birth_year.map(|y| y.to_string())))
                (fact("Staatsangehörigkeit", id.nationality.clone()))
                (fact("Wohnort", res.map(|r| format!("{} {}", r.postcode.as_deref().unwrap_or(""), r.municipality.as_deref().unwrap_or("")).trim().to_string()).filter(|s| !s.is_empty())))
                (fact("Aufenthaltsstatus", Some(p.residence_status().label().to_string())))
                (fact("Arbeitserlaubnis", Some(p.work_permit().label().to_string())))
                (fact("Deutsch", Some(p.german().map_or("nicht erfasst", Cefr::as_str).to_string())))
                (fact("Muttersprache(n)", joined(lang.map(|l| l.mother_tongues.iter().map(|c| language(c)).collect()).unwrap_or_default())))
                (fact("Weitere Sprachen", joined(lang.map(|l| l.other.iter().map(|o| format!("{} ({})", language(&o.language), o.level)).collect()).unwrap_or_default())))
                (fact("Schule", p.schooling.as_ref().map(|s| [s.years.map(|y| format!("{y} Jahre")), s.certificate.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())))
                (fact("Ausbildung", joined(training)))
                (fact("Berufserfahrung", joined(experience)))
                (fact("Fähigkeiten", joined(skills)))
                (fact("Interessen", joined(p.interests.clone())))
                (fact("Verfügbar ab", date(p.availability.as_ref().and_then(|a| a.from))))
                @if let Some(i) = &p.intake {
                    (fact("Kundennummer (BA)", i.customer_number.clone()))
                    (fact("Gespräch", Some([i.advisor.clone(), date(i.date)].into_iter().flatten().collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())))
                }
            }
            h2 { "Die drei besten Treffer" }
            @if best.is_empty() { p { "Keine passenden Berufe oder Angebote." } }
            @for (i, r) in best.iter().enumerate() {
                section.best {
                    h3 {
                        (i + 1) ". " (r.title)
                        @if let Some(o) = catalogue.offer(&r.id).filter(|_| r.kind == "offer") {
                            " – " (o.employer) @if let Some(m) = &o.municipality { ", " (m) }
                            ", ab " (crate::web::labels::date(o.start_date))
                        }
                        " · " (crate::web::labels::decimal(r.score, 1)) " Punkte"
                    }
                    @if !r.gaps.is_empty() {
                        ul.compact { @for g in &r.gaps { li { (crate::web::labels::readable(g)) } } }
                    } @else {
                        p { "Keine Lücken." }
                    }
                }
            }
            div.signatures {
                div { "Ort, Datum" }
                div { "Unterschrift Beraterin/Berater" }
                div { "Unterschrift Kundin/Kunde" }
            }
        }
    }
}

fn fact(label: &str, value: Option<String>) -> Markup {
    html! {
        @if let Some(v) = value {
            tr { th { (label) } td { (v) } }
        }
    }
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%d.%m.%Y").to_string())
}

fn sections(p: &Profile) -> Markup {
    let id = &p.identity;
    let permits = p.permits.as_ref();
    let res = p.residence.as_ref();
    let mob = p.mobility.as_ref();
    let lang = p.languages.as_ref();
    let school = p.schooling.as_ref();
    let k = p.competences.as_ref();
    html! {
        div.blocks {
            section.block {
                h2 { "Persönliche Daten" }
                table.facts {
                    (fact("Vorname", Some(id.given_name.clone())))
                    (fact("Familienname", Some(id.family_name.clone())))
                    (fact("Geburtsjahr", id.birth_year.map(|y| y.to_string())))
                    (fact("Geschlecht", id.gender.map(|g| g.label().to_string())))
                    (fact("Staatsangehörigkeit", id.nationality.clone()))
                    (fact("Herkunftsland", id.country_of_origin.clone()))
                    (fact("Einreise", date(id.arrival)))
                }
            }
            section.block {
                h2 { "Aufenthalt und Arbeitserlaubnis" }
                table.facts {
                    (fact("Aufenthaltsstatus", Some(p.residence_status().label().to_string())))
                    (fact("Arbeitserlaubnis", Some(p.work_permit().label().to_string())))
                    (fact("gültig bis", date(permits.and_then(|x| x.valid_until))))
                }
            }
            section.block {
                h2 { "Wohnort und Mobilität" }
                table.facts {
                    (fact("Postleitzahl", res.and_then(|r| r.postcode.clone())))
                    (fact("Wohnort", res.and_then(|r| r.municipality.clone())))
                    (fact("Koordinaten", res.and_then(|r| r.coordinates).map(|c| format!("{}, {}", c.lat, c.lon))))
                    (fact("Pendelradius", mob.and_then(|m| m.commute_km).map(|km| format!("{km} km"))))
                    (fact("Führerschein", Some(mob.map(|m| m.driving_licences.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty()).unwrap_or_else(|| "keiner erfasst".into()))))
                    (fact("Auto", mob.map(|m| yes_no(m.car).to_string())))
                }
            }
            section.block {
                h2 { "Sprachen" }
                table.facts {
                    (fact("Deutsch", Some(p.german().map_or("nicht erfasst", Cefr::as_str).to_string())))
                    (fact("Muttersprache(n)", lang.map(|l| l.mother_tongues.iter().map(|c| language(c)).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())))
                    (fact("Weitere Sprachen", lang.map(|l| l.other.iter().map(|o| format!("{} ({})", language(&o.language), o.level)).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())))
                    (fact("Lateinische Schrift", lang.map(|l| yes_no(l.literate_latin).to_string())))
                    (fact("Integrationskurs besucht", lang.map(|l| yes_no(l.integration_course).to_string())))
                }
            }
            @if let Some(s) = school {
                section.block {
                    h2 { "Schulbildung" }
                    table.facts {
                        (fact("Schuljahre", s.years.map(|y| y.to_string())))
                        (fact("Höchster Abschluss", s.certificate.clone()))
                        (fact("Land", s.country.clone()))
                        (fact("Zeugnisse vorhanden", Some(yes_no(s.documents).to_string())))
                        (fact("Anerkennung", s.recognition.map(|r| r.label().to_string())))
                    }
                }
            }
            @if !p.vocational_training.is_empty() || !p.higher_education.is_empty() {
                section.block {
                    h2 { "Berufsausbildung und Studium" }
                    ul {
                        @for t in &p.vocational_training {
                            li {
                                "Ausbildung: „" (t.occupation) "“"
                                @if let Some(y) = t.years { ", " (years(y)) @if y == 1.0 { " Jahr" } @else { " Jahre" } }
                                ", abgeschlossen: " (yes_no(t.completed))
                                ", Nachweis: " (yes_no(t.certificate))
                                @if let Some(c) = &t.country { ", " (c) }
                            }
                        }
                        @for h in &p.higher_education {
                            li {
                                "Studium: „" (h.field) "“"
                                @if let Some(s) = h.semesters { ", " (s) " Semester" }
                                @if let Some(d) = &h.degree { ", Abschluss: " (d) }
                                @if let Some(c) = &h.country { ", " (c) }
                            }
                        }
                    }
                }
            }
            @if !p.work_experience.is_empty() {
                section.block {
                    h2 { "Berufserfahrung" }
                    ul {
                        @for w in &p.work_experience {
                            li {
                                "„" (w.activity) "“"
                                @if let Some(y) = w.years { ", " (years(y)) @if y == 1.0 { " Jahr" } @else { " Jahre" } }
                                @if let Some(c) = &w.country { ", " (c) }
                                @if let Some(s) = &w.sector { ", Branche: " (s) }
                                @if w.self_employed == Some(true) { ", selbstständig" }
                            }
                        }
                    }
                }
            }
            @if !p.interests.is_empty() {
                section.block {
                    h2 { "Wünsche und Interessen" }
                    p { @for (i, w) in p.interests.iter().enumerate() { @if i > 0 { ", " } "„" (w) "“" } }
                }
            }
            @if p.restrictions.is_some() || p.availability.is_some() {
                section.block {
                    h2 { "Einschränkungen und Verfügbarkeit" }
                    table.facts {
                        @if let Some(r) = &p.restrictions {
                            (fact("Gesundheit", r.health.clone()))
                            (fact("Kinderbetreuung nötig", Some(yes_no(r.childcare).to_string())))
                            (fact("nur Teilzeit", Some(yes_no(r.part_time_only).to_string())))
                        }
                        @if let Some(a) = &p.availability {
                            (fact("verfügbar ab", date(a.from)))
                            (fact("Umfang", a.hours.map(|h| h.label().to_string())))
                        }
                    }
                }
            }
            @if let Some(k) = k {
                section.block.wide {
                    h2 { "Kompetenzprofil" @if let Some(d) = date(k.date) { " vom " (d) } }
                    @if !k.skills.is_empty() {
                        table {
                            thead { tr { th { "Fähigkeit (wie geschrieben)" } th.num { "Stufe (1–5)" } th { "Quelle" } } }
                            tbody {
                                @for s in &k.skills {
                                    tr { td { (s.written) } td.num { (s.level.map_or("–".into(), |l| l.to_string())) } td { (s.source.label()) } }
                                }
                            }
                        }
                    }
                    @if !k.ratings.is_empty() {
                        table.facts {
                            @for c in Competence::ALL {
                                @if let Some(v) = k.ratings.get(&c) { tr { th { (c.label()) } td { (v) " von 5" } } }
                            }
                        }
                    }
                    @if k.strengths.is_some() || k.recommendation.is_some() {
                        table.facts {
                            (fact("Stärken", k.strengths.clone()))
                            (fact("Empfohlene nächste Qualifizierung", k.recommendation.clone()))
                        }
                    }
                }
            }
            @if let Some(i) = &p.intake {
                section.block {
                    h2 { "Beratungsgespräch" }
                    table.facts {
                        (fact("Kundennummer (BA)", i.customer_number.clone()))
                        (fact("Beraterin/Berater", i.advisor.clone()))
                        (fact("Gesprächsdatum", date(i.date)))
                    }
                }
            }
            @if let Some(c) = &p.consent {
                section.block {
                    h2 { "Einwilligung" }
                    p {
                        "Am " (c.date.format("%d.%m.%Y")) ": "
                        @for (i, s) in c.scope.iter().enumerate() { @if i > 0 { "; " } (s.label()) }
                    }
                }
            }
            @if let Some(n) = &p.notes {
                section.block.wide {
                    h2 { "Notizen der Beratung" }
                    p.notes { (n) }
                }
            }
        }
    }
}

fn results(state: &AppState, m: &Matches) -> Markup {
    let catalogue = &state.engine().catalogue;
    html! {
        @if let Some(n) = &m.note {
            div.notice {
                p { strong { "Hinweis: " } (n.reason) }
                @if !n.next_steps.is_empty() {
                    p { "Nächste Schritte:" }
                    ol { @for step in &n.next_steps { li { (step) } } }
                }
                (explain::training(catalogue, &n.training))
            }
        }
        @for (i, r) in m.results.iter().enumerate() {
            section.result {
                h3 {
                    (i + 1) ". "
                    @if r.kind == "offer" {
                        a href=(format!("/offers/{}", r.id)) { (r.title) }
                        @if let Some(o) = catalogue.offer(&r.id) {
                            " " span.where { "– " (o.employer) @if let Some(m) = &o.municipality { ", " (m) } }
                        }
                        " " span.tag { "Angebot" }
                    } @else {
                        (r.title) " " span.tag { "Beruf" }
                    }
                    " " span.muted { "KldB " (r.kldb) }
                    @if r.excluded { " " span.tag.bad { "ausgeschlossen" } }
                }
                p { "Punkte: " (explain::score(r.score)) }
                (explain::flags_and_gaps(&r.flags, &r.gaps))
                (explain::training(catalogue, &r.training))
                (explain::criteria(&r.criteria))
            }
        }
    }
}

/// `GET /profiles/{id}/delete`: asks for confirmation (admins only).
pub async fn confirm_delete(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    user.require_admin()?;
    let id = checked_id(&id)?.to_string();
    let profile = state.blocking(move |st| load(&st, &id)).await?;
    let body = html! {
        h1 { "Person löschen" }
        p.notice.bad {
            "Das Profil " strong { (profile.display_name()) " (" (profile.id) ")" }
            " wird endgültig gelöscht: der Datensatz und alle Einträge im Suchindex. "
            "Im Protokoll bleibt nur die Kennung mit dem Vermerk der Löschung."
        }
        form method="post" action=(format!("/profiles/{}/delete", profile.id)) {
            (csrf::field(&user))
            div.actions {
                button.danger type="submit" { "Endgültig löschen" }
                a.button.secondary href=(format!("/profiles/{}", profile.id)) { "Abbrechen" }
            }
        }
    };
    Ok(page(&user, "Person löschen", Nav::Profiles, body))
}

/// `POST /profiles/{id}/delete`: erases the person (admins only).
pub async fn delete(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require_admin()?;
    let id = checked_id(&id)?.to_string();
    let name = user.name.clone();
    let erased = id.clone();
    state
        .blocking(move |st| {
            let mut index = st.index_mut()?;
            let shared = &st.inner;
            *index = crate::erase::erase_profile(
                &shared.engine,
                &shared.index_dir,
                shared.config.as_deref(),
                &shared.audit,
                &name,
                &id,
            )?;
            drop(index);
            st.mark_seen();
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/profiles?geloescht={erased}")).into_response())
}

/// `GET /profiles/{id}/matches.xlsx`: the person's matches as an Excel
/// workbook ([`crate::export::matches_xlsx`]); audited as an export.
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let id = checked_id(&id)?.to_string();
    let (name, bytes) = state
        .blocking(move |st| {
            let index = st.index()?;
            let p = rank::indexed_profile(&index, &id)
                .map_err(|_| WebError::not_found(format!("Profil „{id}“ gibt es nicht.")))?;
            let m = rank::match_profile(st.engine(), p, TOP);
            let bytes = crate::export::matches_xlsx(st.engine(), &p.name, &m)
                .map_err(|e| WebError::internal(e.to_string()))?;
            Ok((p.id.clone(), bytes))
        })
        .await?;
    state.audit(&[Entry::now(&user.name, Action::Export, &name, None)])?;
    let disposition = format!("attachment; filename=\"passende-angebote-{name}.xlsx\"");
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                super::offer::XLSX.to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
