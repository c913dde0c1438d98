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
use crate::web::labels::{years, yes_no, Choice};
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
        (sections(&profile))
        h2 { "Passende Berufe und Angebote" }
        @match &matches {
            Some(m) => (results(&state, m)),
            None => p.notice { "Das Profil ist noch nicht im Suchindex; die Ergebnisse erscheinen nach dem nächsten Abgleich." },
        }
    };
    Ok(page(&user, &title, Nav::Profiles, body))
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
                    (fact("Muttersprache(n)", lang.map(|l| l.mother_tongues.join(", ")).filter(|s| !s.is_empty())))
                    (fact("Weitere Sprachen", lang.map(|l| l.other.iter().map(|o| format!("{} ({})", o.language, o.level)).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty())))
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
                                @if let Some(y) = t.years { ", " (years(y)) " Jahre" }
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
                                @if let Some(y) = w.years { ", " (years(y)) " Jahre" }
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
