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
use crate::web::layout::{page, Nav};
use crate::web::state::AppState;
use crate::web::{form_pairs, pages};
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
            Ok(next_id(index.profiles().iter().map(|p| p.id.as_str())))
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
    let profile = state
        .blocking(move |st| pages::profile::load(&st, &id))
        .await?;
    state.audit(&[Entry::now(&user.name, Action::View, &profile.id, None)])?;
    let v = to_values(&profile);
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
    let saved = state
        .blocking(move |st| save(&st, &profile, creating))
        .await?;
    if let Err(errors) = saved {
        return Ok(respond(
            &user,
            mode,
            &v,
            &errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let action = if creating {
        Action::Create
    } else {
        Action::Update
    };
    state.audit(&[Entry::now(&user.name, action, &id, None)])?;
    Ok(Redirect::to(&format!("/profiles/{id}?gespeichert=1")).into_response())
}

/// Writes the record and updates the index, under the index's write lock
/// so that two forms cannot create the same id.
fn save(st: &AppState, profile: &Profile, creating: bool) -> Result<Result<(), Errors>, WebError> {
    let mut index = st.index_mut()?;
    let path = st.data().profile_path(&profile.id);
    if creating && path.exists() {
        let mut errors = Errors::new();
        errors.insert(
            "id".into(),
            format!(
                "Ein Profil „{}“ gibt es schon; bitte eine andere Kennung wählen.",
                profile.id
            ),
        );
        return Ok(Err(errors));
    }
    if !creating && !path.is_file() {
        return Err(WebError::not_found(format!(
            "Profil „{}“ gibt es nicht.",
            profile.id
        )));
    }
    records::write_record(&path, profile)?;
    index.upsert(st.engine(), profile)?;
    drop(index);
    st.mark_seen();
    Ok(Ok(()))
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
    fn suggests_the_next_id() {
        assert_eq!(
            next_id(["P-0001", "P-0009", "T-COOK"].into_iter()),
            "P-0010"
        );
        assert_eq!(next_id(std::iter::empty()), "P-0001");
    }
}
