//! The page frame (head, navigation, the logged-in user), the stylesheet
//! and the security headers every answer carries.

use super::auth::CurrentUser;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

/// The stylesheet, served at [`CSS_PATH`]: screen and print.
const CSS: &str = include_str!("lotse.css");
/// Where the stylesheet is served.
pub const CSS_PATH: &str = "/static/lotse.css";

/// The section of the navigation a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Profiles,
    NewProfile,
    Offers,
    Batch,
}

/// A full page for a logged-in user.
pub fn page(user: &CurrentUser, title: &str, nav: Nav, body: Markup) -> Markup {
    let item = |target: Nav, href: &str, label: &str| {
        html! {
            li { a href=(href) class=[(nav == target).then_some("active")] { (label) } }
        }
    };
    html! {
        (DOCTYPE)
        html lang="de" {
            (head(title))
            body {
                header.top {
                    a.brand href="/profiles" { "lotse" }
                    nav {
                        ul {
                            (item(Nav::Profiles, "/profiles", "Profile"))
                            (item(Nav::NewProfile, "/profiles/new", "Neues Profil"))
                            (item(Nav::Offers, "/offers", "Angebote"))
                            (item(Nav::Batch, "/batch", "Zuteilung"))
                        }
                    }
                    div.who {
                        span { (user.name) " · " (user.role.label()) }
                        @if let Some(csrf) = &user.csrf {
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(csrf);
                                button.link type="submit" { "Abmelden" }
                            }
                        }
                    }
                }
                main { (body) }
                footer {
                    "Alle Zugriffe auf Profile werden protokolliert."
                }
            }
        }
    }
}

/// A page without navigation (login, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="de" {
            (head(title))
            body {
                header.top { a.brand href="/profiles" { "lotse" } }
                main.narrow { (body) }
            }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " – lotse" }
            link rel="stylesheet" href=(CSS_PATH);
        }
    }
}

/// `GET /static/lotse.css`
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// Adds the security headers: no scripts, no framing, no sniffing, no
/// referrer to other sites, and no caching of pages (they hold personal data).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// A number with a German decimal comma and `digits` decimals.
pub fn num(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}
