//! The advisors' web interface (`lotse serve`): server-rendered German
//! pages (maud), no JavaScript, on the same library API as the command
//! line — it adds no second way to score.
//!
//! # Routes
//!
//! | route | does |
//! | --- | --- |
//! | `GET /login`, `POST /login` | login form; fields `username`, `password` |
//! | `POST /logout` | ends the session |
//! | `GET /static/lotse.css` | the stylesheet (screen and print) |
//! | `GET /`, `GET /profiles` | profile list with search and filters |
//! | `GET /profiles/new`, `POST /profiles/new` | the Profilingbogen form, new profile |
//! | `GET /profiles/{id}` | the printable profile page with matches |
//! | `GET /profiles/{id}/edit`, `POST /profiles/{id}/edit` | the form, filled |
//! | `GET /profiles/{id}/delete`, `POST /profiles/{id}/delete` | erasure (admins) |
//! | `GET /offers` | the offers of the catalogue |
//! | `GET /offers/{id}` | an offer with its shortlist |
//! | `GET /offers/{id}/shortlist.csv` | the shortlist as CSV |
//! | `GET /offers/{id}/shortlist.xlsx` | the shortlist as an Excel workbook |
//! | `GET /profiles/{id}/matches.xlsx` | a person's matches as an Excel workbook |
//! | `GET /batch` | the allocation of people to all offers' places |
//! | `GET /batch/report.xlsx` | the coordinator's report of a programme run |
//! | `GET /api/offers/{id}/shortlist` | `lotse shortlist --format json` |
//! | `GET /api/profiles/{id}/matches` | `lotse match --format json` |
//!
//! # Invariants
//!
//! - Every route but `/login` and `/static/…` passes the gate in
//!   [`auth`]: no session, no data (401 on `/api/…`, else a redirect).
//! - Every request that may change data carries the session's CSRF token,
//!   checked in the gate before any handler runs ([`csrf`]).
//! - Every id from a URL goes through [`records::check_id`](crate::records::check_id)
//!   before it touches a path.
//! - Personal data is shown only after its audit entry is written.
//! - Text typed by people reaches HTML only through maud's escaping.

mod api;
mod auth;
mod csrf;
mod error;
mod form;
pub mod labels;
mod layout;
mod login;
mod pages;
mod session;
mod state;

pub use auth::CurrentUser;
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest request body accepted (a filled form is a few KiB).
pub const BODY_LIMIT: usize = 256 * 1024;
/// How often the server looks for records changed outside it.
const REFRESH_EVERY: Duration = Duration::from_secs(10);

/// The application: every route, the gate, limits and security headers.
pub fn router(state: AppState) -> Router {
    use pages::{batch, list, offer, profile};
    Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(layout::CSS_PATH, get(layout::stylesheet))
        .route("/", get(|| async { Redirect::to("/profiles") }))
        .route("/profiles", get(list::list))
        .route("/profiles/new", get(form::new_form).post(form::create))
        .route("/profiles/{id}", get(profile::show))
        .route(
            "/profiles/{id}/edit",
            get(form::edit_form).post(form::update),
        )
        .route(
            "/profiles/{id}/delete",
            get(profile::confirm_delete).post(profile::delete),
        )
        .route("/offers", get(offer::list))
        .route("/offers/{id}", get(offer::show))
        .route("/offers/{id}/shortlist.csv", get(offer::csv))
        .route("/offers/{id}/shortlist.xlsx", get(offer::xlsx))
        .route("/profiles/{id}/matches.xlsx", get(profile::xlsx))
        .route("/batch", get(batch::show))
        .route("/batch/report.xlsx", get(batch::report_xlsx))
        .route("/api/offers/{id}/shortlist", get(api::shortlist))
        .route("/api/profiles/{id}/matches", get(api::matches))
        .fallback(|| async { error::WebError::not_found("Diese Seite gibt es nicht.") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::gate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn(layout::security_headers))
        .with_state(state)
}

/// Serves until Ctrl-C (or SIGTERM). `ready` is called with the address
/// actually bound (useful with port 0).
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    let watcher = tokio::spawn(watch(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await;
    watcher.abort();
    result
}

/// Brings the index up to date when records change outside the server.
async fn watch(state: AppState) {
    let mut tick = tokio::time::interval(REFRESH_EVERY);
    tick.tick().await;
    loop {
        tick.tick().await;
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.refresh_if_changed()).await {
            Ok(Ok(true)) => eprintln!("Suchindex an geänderte Datensätze angepasst."),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => eprintln!("Suchindex nicht aktualisiert: {e}"),
            Err(e) => eprintln!("Suchindex nicht aktualisiert: {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("lotse serve: wird beendet …");
}

/// The fields of an `application/x-www-form-urlencoded` body.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
