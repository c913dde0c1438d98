//! Errors of the web interface: a status and a German message, shown as a
//! page to people and as `{"error": "…"}` to scripts on the API routes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

/// An error answer.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    /// Answer as JSON (API routes) instead of a page.
    pub json: bool,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        WebError {
            status,
            message: message.into(),
            json: false,
        }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The same error, answered as JSON.
    pub fn api(mut self) -> Self {
        self.json = true;
        self
    }
}

impl From<crate::Error> for WebError {
    fn from(e: crate::Error) -> Self {
        let status = match &e {
            crate::Error::NotFound(_) => StatusCode::NOT_FOUND,
            crate::Error::Usage(_) | crate::Error::Invalid(_) => StatusCode::BAD_REQUEST,
            crate::Error::Io { .. } | crate::Error::Index(_) | crate::Error::Internal(_) => {
                eprintln!("lotse serve: {e}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        WebError::new(status, e.to_string())
    }
}

/// Checks an id taken from a URL, so that no route reaches outside the data folder.
pub fn checked_id(id: &str) -> Result<&str, WebError> {
    crate::records::check_id(id).map_err(WebError::bad_request)?;
    Ok(id)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.json {
            let body = serde_json::json!({ "error": self.message });
            return (self.status, axum::Json(body)).into_response();
        }
        let title = match self.status {
            StatusCode::NOT_FOUND => "Nicht gefunden",
            StatusCode::FORBIDDEN => "Nicht erlaubt",
            StatusCode::BAD_REQUEST => "Ungültige Anfrage",
            StatusCode::PAYLOAD_TOO_LARGE => "Anfrage zu groß",
            _ => "Fehler",
        };
        let body = html! {
            h1 { (title) }
            p.error-text { (self.message) }
            p { a href="/profiles" { "Zur Profilübersicht" } }
        };
        (self.status, super::layout::bare(title, body)).into_response()
    }
}
