//! Who is asking: the login page, sessions by cookie, HTTP Basic for
//! scripts on the API routes, and the gate in front of every route.
//!
//! Without a valid session (or, on `/api/…`, valid Basic credentials) every
//! route but the login page and the stylesheet answers 401 (API) or
//! redirects to the login (pages), before any handler runs.

use super::error::WebError;
use super::layout;
use super::login::{self, Refusal};
use super::session::{self, Session};
use super::state::AppState;
use super::{csrf, form_pairs};
use crate::accounts::Role;
use crate::audit::{Action, Entry};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

/// The user behind a request, put into the request's extensions by [`gate`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub name: String,
    pub role: Role,
    /// The session's CSRF token; `None` for HTTP Basic (read-only).
    pub csrf: Option<String>,
    /// The session token, to end it at logout.
    pub(super) token: Option<String>,
}

impl CurrentUser {
    /// Refuses users who are not administrators.
    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(WebError::forbidden(
                "Nur die Administration darf Personen löschen.",
            ))
        }
    }

    fn from_session(token: &str, s: Session) -> Self {
        CurrentUser {
            name: s.user,
            role: s.role,
            csrf: Some(s.csrf),
            token: Some(token.to_string()),
        }
    }
}

fn is_public(path: &str) -> bool {
    path == "/login" || path.starts_with("/static/")
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The gate: finds the user, refuses strangers, checks CSRF tokens.
pub async fn gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unbekannt".to_string(), |c| c.0.ip().to_string());
    req.extensions_mut().insert(ClientAddr(client.clone()));
    if is_public(&path) {
        if req.method() == Method::POST && !csrf::same_origin(req.headers()) {
            return WebError::forbidden("Anmeldung von einer fremden Seite abgelehnt.")
                .into_response();
        }
        return next.run(req).await;
    }
    let api = is_api(&path);
    let mut user = session_user(&state, req.headers());
    if user.is_none() && api {
        user = match basic_user(&state, req.headers(), &client).await {
            Ok(user) => user,
            Err(refusal) => return refused(refusal, true),
        };
    }
    let Some(user) = user else {
        return refuse(api, &req);
    };
    // What commands changed in the folder is served from now on.
    if let Err(e) = state.sync().await {
        return if api { e.api() } else { e }.into_response();
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        req = match csrf::verify(req, &user).await {
            Ok(req) => req,
            Err(e) => return e.into_response(),
        };
    }
    req.extensions_mut().insert(user);
    next.run(req).await
}

/// The client address of a request (set by the gate).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

fn session_user(state: &AppState, headers: &HeaderMap) -> Option<CurrentUser> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let token = session::token_from_cookies(cookies)?;
    let s = state.inner.sessions.get(token)?;
    // The account as it is now: changed, disabled or removed ends the session.
    match state
        .inner
        .accounts
        .current(&state.inner.data.users(), &s.user, s.stamp)
    {
        Some(role) if role == s.role => Some(CurrentUser::from_session(token, s)),
        _ => {
            state.inner.sessions.end(token);
            None
        }
    }
}

/// Checks a password with a bounded number of checks at once and the
/// throttle; the account (and its stamp) if it is right.
async fn check_password(
    state: &AppState,
    name: &str,
    password: &str,
    client: &str,
) -> Result<Option<(Role, u64)>, Refusal> {
    let logins = &state.inner.logins;
    logins.check_throttle(name, client)?;
    let accounts = state
        .inner
        .accounts
        .get(&state.inner.data.users())
        .map_err(|_| Refusal::Busy)?;
    let (n, p) = (name.to_string(), password.to_string());
    let verified = logins
        .check(move || {
            login::with_memory(|memory| {
                accounts
                    .verify_account_in(&n, &p, memory)
                    .map(|a| (a.role, login::stamp(a)))
            })
        })
        .await?;
    match verified {
        Some(found) => {
            logins.succeeded(name, client);
            Ok(Some(found))
        }
        None => {
            logins.failed(name, client);
            Ok(None)
        }
    }
}

async fn basic_user(
    state: &AppState,
    headers: &HeaderMap,
    client: &str,
) -> Result<Option<CurrentUser>, Refusal> {
    let Some((name, password)) = basic_credentials(headers) else {
        return Ok(None);
    };
    let users = state.inner.data.users();
    let user = |role| CurrentUser {
        name: name.clone(),
        role,
        csrf: None,
        token: None,
    };
    if let Some((cached, stamp)) = state.inner.logins.cached_basic(&name, &password) {
        if let Some(role) = state.inner.accounts.current(&users, &cached, stamp) {
            return Ok(Some(user(role)));
        }
    }
    match check_password(state, &name, &password, client).await? {
        Some((role, stamp)) => {
            state.inner.logins.remember_basic(&name, &password, stamp);
            Ok(Some(user(role)))
        }
        None => {
            let _ = state.audit(&[Entry::session(&name, Action::LoginFailed, client)]);
            Ok(None)
        }
    }
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (name, password) = decoded.split_once(':')?;
    Some((name.to_string(), password.to_string()))
}

/// 429 with the wait, or 503.
fn refused(refusal: Refusal, api: bool) -> Response {
    let (status, message, wait) = match refusal {
        Refusal::Throttled(secs) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("Zu viele fehlgeschlagene Anmeldungen: bitte in {secs} s erneut versuchen."),
            secs,
        ),
        Refusal::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Gerade melden sich zu viele an: bitte in einigen Sekunden erneut versuchen.".into(),
            2,
        ),
    };
    let mut res = if api {
        WebError::new(status, message).api().into_response()
    } else {
        login_form(status, "", "/profiles", None, Some(&message))
    };
    if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

fn refuse(api: bool, req: &Request) -> Response {
    if api {
        let mut res = WebError::new(
            StatusCode::UNAUTHORIZED,
            "Anmeldung erforderlich (Sitzung oder HTTP Basic).",
        )
        .api()
        .into_response();
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"lotse\", charset=\"UTF-8\""),
        );
        return res;
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or("/profiles", |pq| pq.as_str());
    let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// Where to go after the login: only paths on this site.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/login")
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => "/profiles",
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    #[serde(default)]
    abgemeldet: Option<String>,
}

/// `GET /login`
pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let notice = q.abgemeldet.is_some().then_some("Sie sind abgemeldet.");
    login_form(
        StatusCode::OK,
        "",
        safe_next(q.next.as_deref()),
        notice,
        None,
    )
}

fn login_form(
    status: StatusCode,
    username: &str,
    next: &str,
    notice: Option<&str>,
    error: Option<&str>,
) -> Response {
    let body = html! {
        h1 { "Anmeldung" }
        @if let Some(n) = notice { p.notice { (n) } }
        @if let Some(e) = error { p.notice.bad { (e) } }
        form.login method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label.field {
                span { "Benutzername" }
                input type="text" name="username" value=(username) autocomplete="username" required autofocus;
            }
            label.field {
                span { "Passwort" }
                input type="password" name="password" autocomplete="current-password" required;
            }
            button.primary type="submit" { "Anmelden" }
        }
        p.hint { "Konten legt die Administration mit „lotse user add NAME --role advisor|admin“ an." }
    };
    (status, layout::bare("Anmeldung", body)).into_response()
}

/// `POST /login` with the form fields `username` and `password`.
pub async fn login(
    State(state): State<AppState>,
    axum::Extension(ClientAddr(client)): axum::Extension<ClientAddr>,
    body: Bytes,
) -> Response {
    let fields = form_pairs(&body);
    let get = |k: &str| {
        fields
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
    };
    let username = get("username").unwrap_or_default().trim().to_string();
    let password = get("password").unwrap_or_default();
    let next = safe_next(get("next").as_deref()).to_string();
    if username.is_empty() || password.is_empty() {
        return login_form(
            StatusCode::UNAUTHORIZED,
            &username,
            &next,
            None,
            Some("Bitte Benutzername und Passwort eingeben."),
        );
    }
    let (role, stamp) = match check_password(&state, &username, &password, &client).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            if let Err(e) = state.audit(&[Entry::session(&username, Action::LoginFailed, &client)])
            {
                return e.into_response();
            }
            return login_form(
                StatusCode::UNAUTHORIZED,
                &username,
                &next,
                None,
                Some("Benutzername oder Passwort ist falsch."),
            );
        }
        Err(refusal) => return refused(refusal, false),
    };
    if let Err(e) = state.audit(&[Entry::session(&username, Action::Login, &client)]) {
        return e.into_response();
    }
    let Some(token) = state.inner.sessions.start(&username, role, stamp) else {
        return WebError::internal("Sitzung konnte nicht angelegt werden.").into_response();
    };
    let mut res = Redirect::to(&next).into_response();
    if let Ok(cookie) = header::HeaderValue::from_str(&session::set_cookie(&token)) {
        res.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    res
}

/// `POST /logout` (CSRF-checked by the gate).
pub async fn logout(
    State(state): State<AppState>,
    axum::Extension(user): axum::Extension<CurrentUser>,
    axum::Extension(ClientAddr(client)): axum::Extension<ClientAddr>,
) -> Response {
    if let Err(e) = state.audit(&[Entry::session(&user.name, Action::Logout, &client)]) {
        return e.into_response();
    }
    if let Some(token) = &user.token {
        state.inner.sessions.end(token);
    }
    let mut res = Redirect::to("/login?abgemeldet=1").into_response();
    if let Ok(cookie) = header::HeaderValue::from_str(&session::clear_cookie()) {
        res.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn redirects_only_to_own_paths() {
        assert_eq!(safe_next(Some("/offers/koch-eq")), "/offers/koch-eq");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "/login",
        ] {
            assert_eq!(safe_next(Some(bad)), "/profiles", "{bad}");
        }
        assert_eq!(safe_next(None), "/profiles");
    }
}
