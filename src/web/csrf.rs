//! Protection against cross-site request forgery: every request that may
//! change data (any method but GET and HEAD, except the login) must carry
//! the session's CSRF token in the form field `csrf` (or the header
//! `X-CSRF-Token`), compared in constant time; a request whose `Origin`
//! names another site is refused as well. The check sits in front of every
//! handler, so no form can forget it.

use super::auth::CurrentUser;
use super::error::WebError;
use super::BODY_LIMIT;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use maud::{html, Markup};

/// Name of the form field that carries the token.
pub const FIELD: &str = "csrf";
/// Header that may carry the token instead (for scripts).
pub const HEADER: &str = "x-csrf-token";

/// The hidden form field with the user's token.
pub fn field(user: &CurrentUser) -> Markup {
    html! {
        @if let Some(token) = &user.csrf {
            input type="hidden" name=(FIELD) value=(token);
        }
    }
}

/// Compares two strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// False if the request says it comes from another site (`Origin` header
/// whose host differs from `Host`, or the opaque origin `null`).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority.trim_end_matches('/') == host)
}

fn rejected() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte die Seite neu laden und noch einmal absenden.",
    )
}

/// Checks the token of a request that may change data; gives the request
/// back (with its body restored) if it is right.
pub async fn verify(req: Request, user: &CurrentUser) -> Result<Request, WebError> {
    if !same_origin(req.headers()) {
        return Err(rejected());
    }
    let Some(expected) = user.csrf.as_deref() else {
        // HTTP Basic (scripts) has no session and may not change data.
        return Err(rejected());
    };
    let header_token = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "Die Anfrage ist zu groß."))?;
    let sent = header_token.or_else(|| {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned())
    });
    match sent {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(rejected()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn compares_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }
}
