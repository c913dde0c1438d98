//! The profile form: `GET|POST /profiles/new` and
//! `GET|POST /profiles/{id}/edit`. A valid form is written atomically as a
//! RON record and indexed at once; an invalid one comes back with the
//! values as typed and a German message at each field.

mod convert;
mod render;
mod values;

pub use convert::{from_values, to_values};
pub use values::{from_pairs, Errors, Values};

use crate::audit::{Action, Entry};
use crate::profile::Profile;
use crate::records;
use crate::web::auth::CurrentUser;
use crate::web::error::{checked_id, WebError};
use crate::web::form_pairs;
use crate::web::layout::{page, Nav};
use crate::web::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::html;
use render::Mode;

/// `GET /profiles/new`: an empty form with the next free id suggested.
pub async fn new_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, WebError> {
    let id = state
        .blocking(|st| {
            let index = st.index()?;
            // Ids of erased people are never given again.
            let used = records::journal::used_ids(st.data());
            Ok(next_id(
                index
                    .profiles()
                    .iter()
                    .map(|p| p.id.as_str())
                    .chain(used.iter().map(String::as_str)),
            ))
        })
        .await?;
    let mut v = Values::new();
    v.insert("id".into(), id);
    Ok(respond(
        &user,
        Mode::New,
        &v,
        &Errors::new(),
        None,
        StatusCode::OK,
    ))
}

/// `GET /profiles/{id}/edit`: the form filled with the record.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = checked_id(&id)?.to_string();
    let (profile, version) = state.blocking(move |st| opened(&st, &id)).await?;
    state.audit(&[Entry::now(&user.name, Action::View, &profile.id, None)])?;
    let mut v = to_values(&profile);
    v.insert(VERSION.into(), version);
    Ok(respond(
        &user,
        Mode::Edit(&profile.id),
        &v,
        &Errors::new(),
        None,
        StatusCode::OK,
    ))
}

/// `POST /profiles/new`
pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: Bytes,
) -> Result<Response, WebError> {
    submit(state, user, None, &body).await
}

/// `POST /profiles/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = checked_id(&id)?.to_string();
    submit(state, user, Some(id), &body).await
}

async fn submit(
    state: AppState,
    user: CurrentUser,
    editing: Option<String>,
    body: &[u8],
) -> Result<Response, WebError> {
    let pairs = form_pairs(body);
    let action = pairs
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let v = from_pairs(pairs);
    let mode = match &editing {
        Some(id) => Mode::Edit(id),
        None => Mode::New,
    };
    if let Some(group) = action.strip_prefix("more-") {
        return Ok(respond(
            &user,
            mode,
            &v,
            &Errors::new(),
            Some(group),
            StatusCode::OK,
        ));
    }
    let today = chrono::Local::now().date_naive();
    let profile = match from_values(&v, editing.as_deref(), today) {
        Ok(p) => p,
        Err(errors) => {
            return Ok(respond(
                &user,
                mode,
                &v,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let id = profile.id.clone();
    let creating = editing.is_none();
    let version = v.get(VERSION).cloned();
    let name = user.name.clone();
    let saved = state
        .blocking(move |st| save(&st, &profile, creating, version.as_deref(), &name))
        .await?;
    match saved {
        Saved::Done => Ok(Redirect::to(&format!("/profiles/{id}?gespeichert=1")).into_response()),
        Saved::Refused(errors) => Ok(respond(
            &user,
            mode,
            &v,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Saved::Conflict(current) => {
            // What was typed stays; the form now knows the newer version,
            // so saving again knowingly replaces it.
            let mut v = v;
            let theirs = to_values(&current.0);
            v.insert(VERSION.into(), current.1);
            Ok(conflict(&user, mode, &v, &theirs))
        }
    }
}

/// The name of the form field holding the version the form was opened on.
const VERSION: &str = "version";

/// The version of a record: a hash of its bytes as stored.
pub fn version_of(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Reads a record with the version of exactly the bytes read.
fn opened(st: &AppState, id: &str) -> Result<(Profile, String), WebError> {
    let path = st.data().profile_path(id);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(WebError::not_found(format!("Profil „{id}“ gibt es nicht.")))
        }
        Err(e) => return Err(crate::Error::io(&path, e).into()),
    };
    let text = String::from_utf8_lossy(&bytes);
    let profile: Profile =
        records::parse(&path, &text).map_err(|d| WebError::internal(d.to_string()))?;
    if profile.id != id {
        return Err(WebError::internal(format!(
            "{}: Kennung und Dateiname sind verschieden",
            path.display()
        )));
    }
    Ok((profile, version_of(&bytes)))
}

/// How a save ended.
enum Saved {
    Done,
    /// Field errors (e.g. the id is taken).
    Refused(Errors),
    /// Somebody else saved the record since the form was opened: the
    /// stored record and its version.
    Conflict(Box<(Profile, String)>),
}

/// Writes the record and updates the index, under the folder's exclusive
/// lock (commands and other requests wait) and the index's write lock, so
/// that two forms cannot create the same id and a save never writes back a
/// stale index. The audit entry is written before the record.
fn save(
    st: &AppState,
    profile: &Profile,
    creating: bool,
    version: Option<&str>,
    user: &str,
) -> Result<Saved, WebError> {
    let mut index = st.index_mut()?;
    let lock = st.write_lock()?;
    // Whatever commands changed comes first (a deleted person stays deleted).
    index.sync_locked(st.engine(), &lock)?;
    let path = st.data().profile_path(&profile.id);
    let refuse = |message: String| {
        let mut errors = Errors::new();
        errors.insert("id".into(), message);
        Ok(Saved::Refused(errors))
    };
    if creating && path.exists() {
        return refuse(format!(
            "Ein Profil „{}“ gibt es schon; bitte eine andere Kennung wählen.",
            profile.id
        ));
    }
    if creating && records::journal::used_ids(st.data()).contains(&profile.id) {
        return refuse(format!(
            "Die Kennung „{}“ war schon vergeben (ein gelöschtes Profil); Kennungen werden nicht wieder vergeben.",
            profile.id
        ));
    }
    if !creating {
        match std::fs::read(&path) {
            Ok(bytes) => {
                let current = version_of(&bytes);
                if version.is_some_and(|v| v != current) {
                    let (stored, current) = opened(st, &profile.id)?;
                    return Ok(Saved::Conflict(Box::new((stored, current))));
                }
            }
            Err(_) => {
                return Err(WebError::not_found(format!(
                    "Profil „{}“ gibt es nicht (mehr).",
                    profile.id
                )))
            }
        }
    }
    let action = if creating {
        Action::Create
    } else {
        Action::Update
    };
    st.audit(&[Entry::now(user, action, &profile.id, None)])?;
    records::journal::add_used_id(st.data(), &profile.id)?;
    records::write_record(&path, profile)?;
    index.upsert_locked(st.engine(), profile, &lock)?;
    drop(index);
    st.finish_write(lock);
    Ok(Saved::Done)
}

/// The form again after a refused save: what was typed, and the fields
/// where the stored record differs.
fn conflict(user: &CurrentUser, mode: Mode, mine: &Values, theirs: &Values) -> Response {
    let keys: std::collections::BTreeSet<&String> = mine
        .keys()
        .chain(theirs.keys())
        .filter(|k| k.as_str() != VERSION && k.as_str() != "csrf" && k.as_str() != "action")
        .collect();
    let differing: Vec<(&str, &str, &str)> = keys
        .into_iter()
        .map(|k| {
            (
                k.as_str(),
                mine.get(k).map_or("", String::as_str),
                theirs.get(k).map_or("", String::as_str),
            )
        })
        .filter(|(_, a, b)| a != b)
        .collect();
    let title = match mode {
        Mode::New => "Neues Profil".to_string(),
        Mode::Edit(id) => format!("Profil {id} bearbeiten"),
    };
    let body = html! {
        h1 { (title) }
        div.notice.bad.conflict {
            strong { "Nicht gespeichert: jemand anderes hat dieses Profil geändert, seit Sie es geöffnet haben." }
            p { "Ihre Eingaben stehen unten unverändert. So lautet die andere Fassung, wo sie von Ihrer abweicht:" }
            table {
                thead { tr { th { "Feld" } th { "Ihre Eingabe" } th { "Gespeicherte Fassung" } } }
                tbody {
                    @for (k, a, b) in &differing {
                        tr { td { code { (k) } } td { (a) } td { (b) } }
                    }
                }
            }
            p { "Übernehmen Sie, was bleiben soll, und speichern Sie erneut: dann ersetzt Ihre Fassung die gespeicherte." }
        }
        (render::form(user, mode, mine, &Errors::new(), None))
    };
    (
        StatusCode::CONFLICT,
        page(user, &title, Nav::Profiles, body),
    )
        .into_response()
}

fn respond(
    user: &CurrentUser,
    mode: Mode,
    v: &Values,
    errors: &Errors,
    extra: Option<&str>,
    status: StatusCode,
) -> Response {
    let title = match mode {
        Mode::New => "Neues Profil".to_string(),
        Mode::Edit(id) => format!("Profil {id} bearbeiten"),
    };
    let nav = match mode {
        Mode::New => Nav::NewProfile,
        Mode::Edit(_) => Nav::Profiles,
    };
    let body = html! {
        h1 { (title) }
        p.hint { "Nur Vor- und Familienname sind Pflicht; leere Felder bedeuten „nicht erfasst“. Geschriebenes bleibt, wie es genannt wurde." }
        (render::form(user, mode, v, errors, extra))
    };
    (status, page(user, &title, nav, body)).into_response()
}

/// The next free id of the form `P-0001`.
fn next_id<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let max = ids
        .filter_map(|id| id.strip_prefix("P-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("P-{:04}", max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn pairs(p: &[(&str, &str)]) -> Values {
        from_pairs(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn every_bundled_and_fixture_profile_survives_the_form() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in [root.join("profiles"), root.join("tests/data/mini/profiles")] {
            for path in records::ron_files(&dir).unwrap() {
                let p: Profile = records::load_file(&path).unwrap();
                let values = to_values(&p);
                let back = from_values(&values, None, today())
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                assert_eq!(back, p, "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn bad_fields_get_german_messages() {
        let v = pairs(&[
            ("id", "../x"),
            ("given_name", ""),
            ("family_name", "Test"),
            ("birth_year", "neunzehnhundert"),
            ("postcode", "123"),
            ("we_0_years", "3"),
            ("sk_0_written", "Kochen"),
            ("sk_0_level", "9"),
            ("consent_Profiling", "on"),
            ("lat", "50,3"),
        ]);
        let errors = from_values(&v, None, today()).unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "birth_year",
                "consent_date",
                "given_name",
                "id",
                "lon",
                "postcode",
                "sk_0_level",
                "we_0_activity"
            ]
        );
        assert_eq!(errors["given_name"], "Der Vorname fehlt.");
        assert_eq!(errors["we_0_activity"], "Die Tätigkeit fehlt.");
    }

    #[test]
    fn a_minimal_form_gives_a_minimal_profile() {
        let v = pairs(&[
            ("id", "P-0042"),
            ("given_name", "Amal"),
            ("family_name", "Idris"),
        ]);
        let p = from_values(&v, None, today()).unwrap();
        assert_eq!(p, Profile::new("P-0042", "Amal", "Idris"));
        let edited = from_values(&v, Some("P-7"), today()).unwrap();
        assert_eq!(edited.id, "P-7", "editing keeps the id of the URL");
    }

    #[test]
    fn the_intake_conversation_survives_the_form() {
        let mut p = Profile::new("P-0042", "Amal", "Idris");
        p.intake = Some(crate::profile::Intake {
            customer_number: Some("123D456789".into()),
            advisor: Some("B. Berger".into()),
            date: NaiveDate::from_ymd_opt(2026, 11, 2),
        });
        let v = to_values(&p);
        assert_eq!(v["intake_customer_number"], "123D456789");
        assert_eq!(from_values(&v, None, today()).unwrap(), p);
        let mut future = v.clone();
        future.insert("intake_date".into(), "2027-01-01".into());
        let errors = from_values(&future, None, today()).unwrap_err();
        assert!(errors.contains_key("intake_date"), "{errors:?}");
    }

    #[test]
    fn enter_does_not_submit_and_more_rows_come_back_at_their_place() {
        let user = CurrentUser {
            name: "ben".into(),
            role: crate::accounts::Role::Advisor,
            csrf: Some("t".into()),
            token: None,
        };
        let html = render::form(
            &user,
            Mode::Edit("P-1"),
            &Values::new(),
            &Errors::new(),
            None,
        )
        .into_string();
        // The first submit button is the default of implicit submission.
        let first = html.find("type=\"submit\"").unwrap();
        let tag_start = html[..first].rfind('<').unwrap();
        let tag = &html[tag_start..first + html[first..].find('>').unwrap()];
        assert!(tag.contains("disabled"), "{tag}");
        assert!(html.contains("formaction=\"/profiles/P-1/edit#zeilen-lang\""));
        assert!(html.contains("id=\"zeilen-lang\""));
        assert!(html.contains("name=\"intake_customer_number\""));
    }

    #[test]
    fn suggests_the_next_id() {
        assert_eq!(
            next_id(["P-0001", "P-0009", "T-COOK"].into_iter()),
            "P-0010"
        );
        assert_eq!(next_id(std::iter::empty()), "P-0001");
    }
}
