//! The JSON routes for scripts: exactly the JSON of `lotse shortlist
//! --format json` and `lotse match --format json` (same structs, same
//! serialisation, byte for byte). Session or HTTP Basic; audited like the
//! pages.

use super::auth::CurrentUser;
use super::error::{checked_id, WebError};
use super::pages::offer;
use super::state::AppState;
use crate::audit::{Action, Entry};
use crate::rank;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::HashMap;

/// Results unless `?top=` says otherwise: the command line's default.
const DEFAULT_TOP: usize = 10;

fn json<T: serde::Serialize>(value: &T) -> Result<Response, WebError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| WebError::internal(format!("JSON: {e}")).api())?;
    text.push('\n');
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response())
}

/// `GET /api/offers/{id}/shortlist?top=N`
pub async fn shortlist(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = checked_id(&id).map_err(WebError::api)?;
    let top = offer::top(&params, DEFAULT_TOP).map_err(WebError::api)?;
    let list = offer::shortlist(&state, id, top)
        .await
        .map_err(WebError::api)?;
    state
        .audit_each(
            &user.name,
            Action::Shortlist,
            list.candidates.iter().map(|c| c.profile.as_str()),
            Some(id),
        )
        .map_err(WebError::api)?;
    json(&list)
}

/// `GET /api/profiles/{id}/matches?top=N`
pub async fn matches(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = checked_id(&id).map_err(WebError::api)?.to_string();
    let top = offer::top(&params, DEFAULT_TOP).map_err(WebError::api)?;
    let m = state
        .blocking(move |st| {
            let index = st.index()?;
            let p = rank::indexed_profile(&index, &id)?;
            Ok(rank::match_profile(st.engine(), p, top))
        })
        .await
        .map_err(WebError::api)?;
    state
        .audit(&[Entry::now(&user.name, Action::View, &m.profile, None)])
        .map_err(WebError::api)?;
    json(&m)
}
