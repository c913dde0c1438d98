//! Helpers of the web tests: a fixture data folder with two accounts,
//! served in process, and a client that keeps a session and its CSRF token.
#![allow(dead_code)]

use crate::common::fixture;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use lotse::accounts::{Accounts, Role};
use lotse::audit;
use lotse::records::DataDir;
use lotse::web::{router, AppState};
use std::path::Path;
use tower::ServiceExt;

pub const ADMIN: (&str, &str) = ("anna", "admin-passwort");
pub const ADVISOR: (&str, &str) = ("ben", "berater-passwort");
/// Every person's name in the fixture: none may show without a login.
pub const NAMES: [&str; 6] = [
    "Alpha",
    "Test Koch",
    "Fahrer",
    "Ohne Erlaubnis",
    "Kellner",
    "Privat",
];

pub struct App {
    dir: tempfile::TempDir,
    router: Router,
}

/// A copy of `tests/data/mini` with an admin and an advisor, served in process.
pub fn app() -> App {
    let dir = fixture("mini");
    let data = DataDir::new(dir.path());
    let mut accounts = Accounts::default();
    accounts.add(ADMIN.0, Role::Admin, ADMIN.1, false).unwrap();
    accounts
        .add(ADVISOR.0, Role::Advisor, ADVISOR.1, false)
        .unwrap();
    accounts.save(&data.users()).unwrap();
    let state = AppState::open(data.clone(), data.default_index(), None).unwrap();
    App {
        router: router(state),
        dir,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for binary answers such as workbooks).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }
}

/// A logged-in browser: its cookie and the CSRF token of its pages.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl App {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str, session: Option<&Session>) -> Answer {
        let mut req = Request::get(uri);
        if let Some(s) = session {
            req = req.header(header::COOKIE, &s.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn get_basic(&self, uri: &str, user: &str, password: &str) -> Answer {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let req = Request::get(uri)
            .header(header::AUTHORIZATION, format!("Basic {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post(&self, uri: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Answer {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form as a logged-in user, with the session's CSRF token.
    pub async fn submit(&self, uri: &str, s: &Session, fields: &[(&str, &str)]) -> Answer {
        let mut all = vec![("csrf", s.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(uri, Some(&s.cookie), &all).await
    }

    pub async fn login(&self, (user, password): (&str, &str)) -> Session {
        let a = self
            .post(
                "/login",
                None,
                &[("username", user), ("password", password)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "login: {}", a.body);
        let set = a.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_string();
        let page = self
            .get(
                "/profiles",
                Some(&Session {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        let csrf = between(&page.body, "name=\"csrf\" value=\"", "\"").to_string();
        assert!(!csrf.is_empty());
        Session { cookie, csrf }
    }

    pub fn audit(&self) -> Vec<audit::Entry> {
        audit::read(&self.path().join("audit.jsonl")).unwrap()
    }
}

pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or(text.len());
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
}

/// The fields a browser would send for the first form of a page: text
/// inputs, selected options, textareas and ticked checkboxes, unescaped.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let form = between(html, "<form class=\"profile\"", "</form>");
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        let name = attr(tag, "name");
        if tag.starts_with("<input") && !tag.contains("disabled") {
            if let Some(name) = name {
                if tag.contains("type=\"checkbox\"") {
                    if tag.contains(" checked") {
                        fields.push((name, "on".to_string()));
                    }
                } else if !tag.contains("type=\"hidden\"") || name == "version" {
                    // Hidden fields but the version are the csrf token
                    // (sent by `submit`) and the default button.
                    fields.push((name, attr(tag, "value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<select") {
            let body = between(rest, ">", "</select>");
            let chosen = body
                .split("<option")
                .find(|o| o.contains(" selected"))
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            if let Some(name) = name {
                fields.push((name, chosen));
            }
        } else if tag.starts_with("<textarea") {
            if let Some(name) = name {
                fields.push((name, unescape(between(rest, ">", "</textarea>"))));
            }
        }
        rest = &rest[1..];
    }
    fields
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
