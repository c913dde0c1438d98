//! The web interface in process (`tower::ServiceExt::oneshot` on the
//! router): login, sessions, roles, CSRF, escaping, path traversal,
//! erasure, the audit log, HTTP Basic and the API's JSON against the
//! command line's.

mod common;
mod web_support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{lotse, run};
use lotse::audit::Action;
use web_support::{app, form_fields, ADMIN, ADVISOR, NAMES};

/// Every route of the interface, with its method.
const ROUTES: [(&str, &str); 17] = [
    ("GET", "/"),
    ("GET", "/profiles"),
    ("GET", "/profiles?q=Koch"),
    ("GET", "/profiles/new"),
    ("POST", "/profiles/new"),
    ("GET", "/profiles/T-COOK"),
    ("GET", "/profiles/T-COOK/edit"),
    ("POST", "/profiles/T-COOK/edit"),
    ("GET", "/profiles/T-COOK/delete"),
    ("POST", "/profiles/T-COOK/delete"),
    ("GET", "/offers"),
    ("GET", "/offers/koch-eq"),
    ("GET", "/offers/koch-eq/shortlist.csv"),
    ("GET", "/batch"),
    ("POST", "/logout"),
    ("GET", "/api/offers/koch-eq/shortlist"),
    ("GET", "/api/profiles/T-COOK/matches"),
];

#[tokio::test]
async fn nothing_personal_without_a_login_on_any_route() {
    let app = app();
    for cookie in [None, Some("lotse_session=erfunden")] {
        for (method, uri) in ROUTES {
            let a = if method == "GET" {
                let mut req = Request::get(uri);
                if let Some(c) = cookie {
                    req = req.header(header::COOKIE, c);
                }
                app.send(req.body(Body::empty()).unwrap()).await
            } else {
                app.post(uri, cookie, &[("given_name", "X"), ("family_name", "Y")])
                    .await
            };
            if uri.starts_with("/api/") {
                assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
                assert!(a.headers.contains_key(header::WWW_AUTHENTICATE));
            } else {
                assert_eq!(a.status, StatusCode::SEE_OTHER, "{method} {uri}");
                assert!(
                    a.location().starts_with("/login"),
                    "{method} {uri}: {}",
                    a.location()
                );
            }
            for name in NAMES {
                assert!(!a.body.contains(name), "{method} {uri} shows {name}");
            }
        }
    }
    // The login page and the stylesheet are public; nothing was written.
    assert_eq!(app.get("/login", None).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/static/lotse.css", None).await.status,
        StatusCode::OK
    );
    assert!(app.path().join("profiles/T-COOK.ron").exists());
    assert!(app.audit().is_empty(), "{:?}", app.audit());
    // Unknown routes are behind the gate too.
    assert_eq!(
        app.get("/irgendwas", None).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_are_refused() {
    let app = app();
    for (user, password) in [
        ("anna", "falsches-passwort"),
        ("niemand", "admin-passwort"),
        ("anna", ""),
    ] {
        let a = app
            .post(
                "/login",
                None,
                &[("username", user), ("password", password)],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{user}");
        assert!(!a.headers.contains_key(header::SET_COOKIE));
        assert!(a.body.contains("Anmeldung"), "the form comes back");
    }
    let a = app
        .post(
            "/login",
            None,
            &[
                ("username", "anna"),
                ("password", "admin-passwort"),
                ("next", "/offers/koch-eq"),
            ],
        )
        .await;
    assert_eq!(a.location(), "/offers/koch-eq");
    let cookie = a.headers[header::SET_COOKIE].to_str().unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    // No redirect to other sites after the login.
    let a = app
        .post(
            "/login",
            None,
            &[
                ("username", "anna"),
                ("password", "admin-passwort"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(a.location(), "/profiles");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = app();
    let s = app.login(ADVISOR).await;
    assert_eq!(app.get("/profiles", Some(&s)).await.status, StatusCode::OK);
    let a = app.submit("/logout", &s, &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/profiles", Some(&s)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn advisors_cannot_delete() {
    let app = app();
    let s = app.login(ADVISOR).await;
    assert_eq!(
        app.get("/profiles/T-COOK/delete", Some(&s)).await.status,
        StatusCode::FORBIDDEN
    );
    let a = app.submit("/profiles/T-COOK/delete", &s, &[]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(app.path().join("profiles/T-COOK.ron").exists());
    let page = app.get("/profiles/T-COOK", Some(&s)).await;
    assert!(
        !page.body.contains("/delete"),
        "no delete button for advisors"
    );
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = app();
    let s = app.login(ADMIN).await;
    let other = app.login(ADVISOR).await;
    let fields = [
        ("id", "P-0100"),
        ("given_name", "Ada"),
        ("family_name", "Neu"),
    ];
    let no_token = app.post("/profiles/new", Some(&s.cookie), &fields).await;
    let mut wrong = vec![("csrf", "falsch")];
    wrong.extend_from_slice(&fields);
    let wrong_token = app.post("/profiles/new", Some(&s.cookie), &wrong).await;
    let mut foreign = vec![("csrf", other.csrf.as_str())];
    foreign.extend_from_slice(&fields);
    let foreign_token = app.post("/profiles/new", Some(&s.cookie), &foreign).await;
    for a in [no_token, wrong_token, foreign_token] {
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    for uri in [
        "/profiles/T-COOK/delete",
        "/profiles/T-COOK/edit",
        "/logout",
    ] {
        let a = app
            .post(
                uri,
                Some(&s.cookie),
                &[("given_name", "X"), ("family_name", "Y")],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}");
    }
    // The right token from another site is refused too.
    let body = format!("csrf={}&id=P-0101&given_name=A&family_name=B", s.csrf);
    let req = Request::post("/profiles/new")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert!(!app.path().join("profiles/P-0100.ron").exists());
    assert!(!app.path().join("profiles/P-0101.ron").exists());
    assert!(app.path().join("profiles/T-COOK.ron").exists());
    assert!(
        app.get("/profiles", Some(&s)).await.status == StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn typed_text_is_escaped_everywhere() {
    let app = app();
    let s = app.login(ADMIN).await;
    let evil = "<script>alert(1)</script>";
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[
                ("id", "P-0200"),
                ("given_name", evil),
                ("family_name", "\"><img src=x onerror=alert(2)>"),
                ("municipality", "Koblenz"),
                ("postcode", "56068"),
                ("we_0_activity", "Koch <b>fett</b>"),
                ("we_0_years", "3"),
                ("notes", "</textarea><script>alert(3)</script>"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/profiles/P-0200?gespeichert=1");
    for uri in [
        "/profiles/P-0200",
        "/profiles/P-0200/edit",
        "/profiles?q=Koch",
        "/offers/koch-eq?top=50",
    ] {
        let page = app.get(uri, Some(&s)).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(
            page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{uri}"
        );
        for raw in [
            "<script>",
            "<img src=x",
            "<b>fett</b>",
            "</textarea><script>",
        ] {
            assert!(!page.body.contains(raw), "{uri} contains {raw}");
        }
    }
    // The record keeps what was typed.
    let record = std::fs::read_to_string(app.path().join("profiles/P-0200.ron")).unwrap();
    assert!(record.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn path_traversal_ids_are_refused() {
    let app = app();
    let s = app.login(ADMIN).await;
    let outside = app.path().parent().unwrap().join("x.ron");
    for uri in [
        "/profiles/..%2F..%2Fetc%2Fpasswd",
        "/profiles/..%2Fx",
        "/profiles/../x",
        "/profiles/..%2F..%2Fetc%2Fpasswd/edit",
        "/offers/..%2F..%2Fetc%2Fpasswd",
        "/offers/..%2Fx/shortlist.csv",
        "/api/profiles/..%2F..%2Fetc%2Fpasswd/matches",
        "/api/offers/..%2Fx/shortlist",
    ] {
        let a = app.get(uri, Some(&s)).await;
        assert!(
            matches!(a.status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND),
            "{uri}: {}",
            a.status
        );
        assert!(!a.body.contains("root:"), "{uri}");
    }
    for uri in ["/profiles/..%2Fx/edit", "/profiles/..%2Fx/delete"] {
        let a = app
            .submit(uri, &s, &[("given_name", "A"), ("family_name", "B")])
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}");
    }
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[("id", "../x"), ("given_name", "A"), ("family_name", "B")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("ungültige Kennung"));
    assert!(!outside.exists());
}

#[tokio::test]
async fn invalid_fields_come_back_with_german_messages_and_the_values() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[
                ("id", "P-0300"),
                ("given_name", "Amal"),
                ("family_name", ""),
                ("birth_year", "neunzehn"),
                ("postcode", "5606"),
                ("we_0_years", "drei"),
                ("arrival", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Der Familienname fehlt.",
        "Bitte eine ganze Zahl von",
        "Eine Postleitzahl hat 5 Ziffern.",
        "Die Tätigkeit fehlt.",
        "Bitte eine Zahl von 0 bis 60 eingeben",
        "Die Einreise kann nicht in der Zukunft liegen.",
    ] {
        assert!(a.body.contains(message), "missing: {message}");
    }
    for kept in [
        "value=\"Amal\"",
        "value=\"neunzehn\"",
        "value=\"5606\"",
        "value=\"drei\"",
    ] {
        assert!(a.body.contains(kept), "not kept: {kept}");
    }
    assert!(!app.path().join("profiles/P-0300.ron").exists());
    // An existing id is not overwritten.
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[("id", "T-COOK"), ("given_name", "A"), ("family_name", "B")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("gibt es schon"));
}

#[tokio::test]
async fn a_saved_profile_is_searchable_and_matched_at_once() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[
                ("id", "P-0400"),
                ("given_name", "Yara"),
                ("family_name", "Haddad"),
                ("german", "B2"),
                ("work_permit", "ja"),
                ("residence_status", "erlaubnis"),
                ("postcode", "56068"),
                ("municipality", "Koblenz"),
                ("we_0_activity", "cook"),
                ("we_0_years", "4,5"),
                ("sk_0_written", "Gemüse schneiden"),
                ("sk_0_level", "4"),
                ("sk_0_source", "Observed"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let found = app
        .get(
            "/profiles?german=B2&permit=ja&municipality=Koblenz",
            Some(&s),
        )
        .await;
    assert!(found.body.contains("Yara Haddad"));
    let list = app.get("/api/offers/koch-eq/shortlist", Some(&s)).await;
    assert!(list.body.contains("\"P-0400\""));
    // Editing changes the record and the index.
    let a = app
        .submit(
            "/profiles/P-0400/edit",
            &s,
            &[
                ("given_name", "Yara"),
                ("family_name", "Haddad"),
                ("german", "A1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let found = app.get("/profiles?german=B2", Some(&s)).await;
    assert!(!found.body.contains("Yara Haddad"));
    // Editing a profile that does not exist does not create it.
    let a = app
        .submit(
            "/profiles/P-9999/edit",
            &s,
            &[("given_name", "A"), ("family_name", "B")],
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(!app.path().join("profiles/P-9999.ron").exists());
}

#[tokio::test]
async fn an_erased_person_appears_nowhere() {
    let app = app();
    let s = app.login(ADMIN).await;
    assert!(app
        .get("/api/offers/koch-eq/shortlist?top=50", Some(&s))
        .await
        .body
        .contains("T-COOK"));
    assert!(app.get("/batch", Some(&s)).await.body.contains("T-COOK"));
    let confirm = app.get("/profiles/T-COOK/delete", Some(&s)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let a = app.submit("/profiles/T-COOK/delete", &s, &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert!(!app.path().join("profiles/T-COOK.ron").exists());
    for (uri, status) in [
        ("/profiles?q=Koch", StatusCode::OK),
        ("/profiles", StatusCode::OK),
        ("/offers/koch-eq?top=50", StatusCode::OK),
        ("/api/offers/koch-eq/shortlist?top=50", StatusCode::OK),
        ("/offers/koch-eq/shortlist.csv?top=50", StatusCode::OK),
        ("/batch", StatusCode::OK),
        ("/profiles/T-COOK", StatusCode::NOT_FOUND),
        ("/api/profiles/T-COOK/matches", StatusCode::NOT_FOUND),
    ] {
        let a = app.get(uri, Some(&s)).await;
        assert_eq!(a.status, status, "{uri}");
        // A "not found" page may repeat the id asked for, nothing more.
        let shown =
            a.body.contains("Test Koch") || (status == StatusCode::OK && a.body.contains("T-COOK"));
        assert!(!shown, "{uri} still shows the person");
    }
    // No file of the folder holds the person any more: not the records,
    // not `profiles.bin`, not the tantivy segments (raw bytes). The audit
    // log and the list of used ids name the id by design, nothing else.
    let mut stack = vec![app.path().to_path_buf()];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            files += 1;
            let name = entry.file_name();
            if name == "audit.jsonl" || name == "ids.used" {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for needle in [&b"T-COOK"[..], &b"Test Koch"[..]] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{} still holds {}",
                    path.display(),
                    String::from_utf8_lossy(needle)
                );
            }
        }
    }
    assert!(
        std::fs::read_dir(app.path().join(".lotse-index/tantivy"))
            .unwrap()
            .count()
            > 3,
        "the segments were looked at ({files} files)"
    );
    let deleted: Vec<_> = app
        .audit()
        .into_iter()
        .filter(|e| e.action == Action::Delete)
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        (deleted[0].user.as_str(), deleted[0].profile.as_str()),
        ("anna", "T-COOK")
    );
    // The command line sees the same.
    let (code, out, _) = run(app.path(), &["search", "Koch"]);
    assert_eq!(code, 0);
    assert!(!out.contains("T-COOK"));
}

#[tokio::test]
async fn every_view_change_export_and_deletion_is_audited() {
    let app = app();
    let s = app.login(ADMIN).await;
    app.get("/profiles/T-WAITER", Some(&s)).await;
    app.submit(
        "/profiles/new",
        &s,
        &[
            ("id", "P-0500"),
            ("given_name", "Omar"),
            ("family_name", "Test"),
        ],
    )
    .await;
    app.submit(
        "/profiles/P-0500/edit",
        &s,
        &[("given_name", "Omar"), ("family_name", "Testmann")],
    )
    .await;
    let csv = app
        .get("/offers/koch-eq/shortlist.csv?top=3", Some(&s))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("offer,rank,profile,score,excluded,"));
    let exported: Vec<String> = csv
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    app.get_basic("/api/profiles/T-DRIVER/matches", ADVISOR.0, ADVISOR.1)
        .await;
    let batch = app.get("/batch", Some(&s)).await;
    assert_eq!(batch.status, StatusCode::OK);
    app.submit("/profiles/P-0500/delete", &s, &[]).await;

    let log = app.audit();
    let has = |user: &str, action: Action, profile: &str, offer: Option<&str>| {
        log.iter().any(|e| {
            e.user == user
                && e.action == action
                && e.profile == profile
                && e.offer.as_deref() == offer
        })
    };
    assert!(has("anna", Action::View, "T-WAITER", None));
    assert!(has("anna", Action::Create, "P-0500", None));
    assert!(has("anna", Action::Update, "P-0500", None));
    assert!(has("anna", Action::Delete, "P-0500", None));
    assert!(has("ben", Action::View, "T-DRIVER", None));
    assert!(
        has("anna", Action::Allocation, "T-COOK", Some("koch-eq")),
        "{log:?}"
    );
    assert!(!exported.is_empty());
    for p in &exported {
        assert!(
            has("anna", Action::Export, p, Some("koch-eq")),
            "export of {p}"
        );
    }
    for e in &log {
        assert!(e.time.ends_with('Z') && e.time.len() == 20, "{}", e.time);
    }
    // One JSON object per line, nothing else.
    let text = std::fs::read_to_string(app.path().join("audit.jsonl")).unwrap();
    assert_eq!(text.lines().count(), log.len());
}

#[tokio::test]
async fn http_basic_opens_the_api_but_not_the_pages() {
    let app = app();
    let ok = app
        .get_basic("/api/offers/koch-eq/shortlist", ADVISOR.0, ADVISOR.1)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let bad = app
        .get_basic("/api/offers/koch-eq/shortlist", ADVISOR.0, "falsch")
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("\"error\""));
    let page = app.get_basic("/profiles", ADVISOR.0, ADVISOR.1).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let missing = app
        .get_basic("/api/offers/gibt-es-nicht/shortlist", ADVISOR.0, ADVISOR.1)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("\"error\""));
    let bad_top = app
        .get_basic(
            "/api/offers/koch-eq/shortlist?top=null",
            ADVISOR.0,
            ADVISOR.1,
        )
        .await;
    assert_eq!(bad_top.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_api_answers_exactly_what_the_command_line_prints() {
    let app = app();
    let s = app.login(ADVISOR).await;
    for (api, args) in [
        (
            "/api/offers/koch-eq/shortlist",
            vec!["shortlist", "--offer", "koch-eq", "--format", "json"],
        ),
        (
            "/api/offers/fahrer-job/shortlist?top=2",
            vec![
                "shortlist",
                "--offer",
                "fahrer-job",
                "--top",
                "2",
                "--format",
                "json",
            ],
        ),
        (
            "/api/profiles/T-COOK/matches",
            vec!["match", "--profile", "T-COOK", "--format", "json"],
        ),
        (
            "/api/profiles/T-ALPHA/matches?top=3",
            vec![
                "match",
                "--profile",
                "T-ALPHA",
                "--top",
                "3",
                "--format",
                "json",
            ],
        ),
    ] {
        let (code, cli, err) = run(app.path(), &args);
        assert_eq!(code, 0, "{err}");
        let web = app.get(api, Some(&s)).await;
        assert_eq!(web.status, StatusCode::OK);
        assert_eq!(web.body, cli, "{api}");
    }
}

#[tokio::test]
async fn oversized_requests_are_refused() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let notes = "x".repeat(400 * 1024);
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[
                ("id", "P-0600"),
                ("given_name", "A"),
                ("family_name", "B"),
                ("notes", &notes),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!app.path().join("profiles/P-0600.ron").exists());
}

#[tokio::test]
async fn accounts_and_erasure_from_the_command_line() {
    let app = app();
    let add = |name: &str, password: &str| {
        lotse(app.path())
            .args(["user", "add", name, "--role", "advisor"])
            .write_stdin(password)
            .output()
            .unwrap()
    };
    assert_eq!(
        add("carla", "").status.code(),
        Some(1),
        "an empty password is refused"
    );
    assert_eq!(
        add("carla", "kurz\n").status.code(),
        Some(2),
        "a short password is refused"
    );
    assert!(add("carla", "carla-passwort\n").status.success());
    assert_eq!(
        add("carla", "anderes-passwort\n").status.code(),
        Some(2),
        "no silent overwrite"
    );
    let users = std::fs::read_to_string(app.path().join("users.ron")).unwrap();
    assert!(!users.contains("carla-passwort"));
    // The running server knows the new account at once.
    let s = app.login(("carla", "carla-passwort")).await;
    assert_eq!(
        app.get("/profiles/T-DRIVER", Some(&s)).await.status,
        StatusCode::OK
    );

    let (code, out, err) = run(app.path(), &["delete", "--profile", "T-DRIVER"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("gelöscht"));
    assert!(!app.path().join("profiles/T-DRIVER.ron").exists());
    let (code, _, err) = run(app.path(), &["delete", "--profile", "T-DRIVER"]);
    assert_eq!(code, 1);
    assert!(err.contains("gibt es nicht"));
    let (code, _, _) = run(app.path(), &["delete", "--profile", "../x"]);
    assert_eq!(code, 2);
    assert!(app.audit().iter().any(|e| e.action == Action::Delete
        && e.profile == "T-DRIVER"
        && e.user.starts_with("cli:")));
    let (code, out, err) = run(
        app.path(),
        &["shortlist", "--offer", "fahrer-job", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"candidates\""), "{out}");
    assert!(!out.contains("T-DRIVER"));
}

#[tokio::test]
async fn saving_the_edit_form_unchanged_keeps_the_record() {
    let app = app();
    let s = app.login(ADVISOR).await;
    // The richest demo profile: every section of the Profilingbogen.
    let original = common::repo().join("profiles/P-0001.ron");
    let copy = app.path().join("profiles/P-0001.ron");
    std::fs::copy(&original, &copy).unwrap();
    // One with the intake conversation (Kundennummer, advisor, date).
    let private = app.path().join("profiles/T-PRIVATE.ron");
    let text = std::fs::read_to_string(&private).unwrap().replacen(
        "identity:",
        "intake: (customer_number: \"123D456789\", advisor: \"B. Berger\", date: \"2026-11-02\"),\n    identity:",
        1,
    );
    std::fs::write(&private, text).unwrap();
    let with_intake: lotse::profile::Profile = lotse::records::load_file(&private).unwrap();
    assert!(with_intake.intake.is_some());
    for id in ["P-0001", "T-COOK", "T-PRIVATE"] {
        let path = app.path().join(format!("profiles/{id}.ron"));
        let before: lotse::profile::Profile = lotse::records::load_file(&path).unwrap();
        let form = app.get(&format!("/profiles/{id}/edit"), Some(&s)).await;
        assert_eq!(form.status, StatusCode::OK);
        let fields = form_fields(&form.body);
        assert!(fields.len() > 50, "{id}: only {} fields", fields.len());
        assert!(
            fields
                .iter()
                .any(|(k, v)| k == "we_0_activity" && !v.is_empty()),
            "{id}"
        );
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let a = app.submit(&format!("/profiles/{id}/edit"), &s, &refs).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{id}: {}", a.body);
        let after: lotse::profile::Profile = lotse::records::load_file(&path).unwrap();
        assert_eq!(after, before, "{id}");
    }
}

/// The fields of an edit form with `notes` set to `text`.
fn with_notes(html: &str, text: &str) -> Vec<(String, String)> {
    let mut fields = form_fields(html);
    fields.retain(|(k, _)| k != "notes");
    fields.push(("notes".into(), text.into()));
    fields
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn a_save_over_a_newer_version_is_refused_and_keeps_what_was_typed() {
    let app = app();
    let first = app.login(ADVISOR).await;
    let second = app.login(ADMIN).await;
    let uri = "/profiles/T-COOK/edit";
    let form_a = app.get(uri, Some(&first)).await;
    let form_b = app.get(uri, Some(&second)).await;
    assert!(form_a.body.contains("name=\"version\""));
    let a = app
        .submit(
            uri,
            &first,
            &refs(&with_notes(&form_a.body, "Erste Fassung: Frühschicht")),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let b = app
        .submit(
            uri,
            &second,
            &refs(&with_notes(&form_b.body, "Zweite Fassung: Spätschicht")),
        )
        .await;
    assert_eq!(b.status, StatusCode::CONFLICT, "{}", b.body);
    assert!(
        b.body.contains("jemand anderes hat dieses Profil geändert"),
        "{}",
        b.body
    );
    assert!(
        b.body.contains("Zweite Fassung: Spätschicht"),
        "what was typed stays"
    );
    assert!(
        b.body.contains("Erste Fassung: Frühschicht"),
        "the other change is shown"
    );
    let record = std::fs::read_to_string(app.path().join("profiles/T-COOK.ron")).unwrap();
    assert!(record.contains("Erste Fassung") && !record.contains("Zweite Fassung"));
    // Sent again from the refusal, it knowingly replaces the other change.
    let again = app.submit(uri, &second, &refs(&form_fields(&b.body))).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let record = std::fs::read_to_string(app.path().join("profiles/T-COOK.ron")).unwrap();
    assert!(record.contains("Zweite Fassung"), "{record}");
    let updates = app
        .audit()
        .iter()
        .filter(|e| e.action == Action::Update && e.profile == "T-COOK")
        .count();
    assert_eq!(
        updates, 2,
        "the refused save changed nothing and is not audited"
    );
}

#[tokio::test]
async fn a_session_ends_when_its_account_is_demoted_disabled_or_removed() {
    let app = app();
    let add = |name: &str, role: &str, password: &str, replace: bool| {
        let mut cmd = lotse(app.path());
        cmd.args(["user", "add", name, "--role", role]);
        if replace {
            cmd.arg("--replace");
        }
        let out = cmd.write_stdin(format!("{password}\n")).output().unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    add("carla", "admin", "carla-passwort", false);
    add("dora", "advisor", "dora-passwort", false);
    let admin = app.login(ADMIN).await;
    let carla = app.login(("carla", "carla-passwort")).await;
    let dora = app.login(("dora", "dora-passwort")).await;
    let ben = app.login(ADVISOR).await;
    for s in [&admin, &carla, &dora, &ben] {
        assert_eq!(app.get("/profiles", Some(s)).await.status, StatusCode::OK);
    }
    // Demoted: the admin session must not erase anybody any more.
    add(ADMIN.0, "advisor", ADMIN.1, true);
    let a = app.submit("/profiles/T-COOK/delete", &admin, &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.location().starts_with("/login"), "{}", a.location());
    assert!(app.path().join("profiles/T-COOK.ron").exists());
    // Removed.
    let (code, out, err) = run(app.path(), &["user", "remove", "carla"]);
    assert_eq!(code, 0, "{out}{err}");
    let a = app.submit("/profiles/T-COOK/delete", &carla, &[]).await;
    assert!(a.location().starts_with("/login"), "{}", a.location());
    assert!(app.path().join("profiles/T-COOK.ron").exists());
    // Disabled: the session ends and the login is refused.
    let (code, _, err) = run(app.path(), &["user", "disable", "dora"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        app.get("/profiles", Some(&dora)).await.status,
        StatusCode::SEE_OTHER
    );
    let refused = app
        .post(
            "/login",
            None,
            &[("username", "dora"), ("password", "dora-passwort")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    // A new password ends the old session too.
    add(ADVISOR.0, "advisor", "ganz-neues-passwort", true);
    assert_eq!(
        app.get("/profiles", Some(&ben)).await.status,
        StatusCode::SEE_OTHER
    );
    let (code, out, _) = run(app.path(), &["user", "list"]);
    assert_eq!(code, 0);
    assert!(out.contains("dora") && out.contains("gesperrt"), "{out}");
    assert!(!out.contains("carla"), "{out}");
    let (code, _, err) = run(app.path(), &["user", "remove", "niemand"]);
    assert_eq!(code, 1);
    assert!(err.contains("gibt es nicht"), "{err}");
}

#[tokio::test]
async fn repeated_failed_logins_get_429_and_every_login_is_audited() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let a = app.submit("/logout", &s, &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    for i in 0..5 {
        let a = app
            .post(
                "/login",
                None,
                &[("username", ADMIN.0), ("password", "falsch-falsch")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // Locked for a while, even with the right password.
    for password in ["falsch-falsch", ADMIN.1] {
        let a = app
            .post(
                "/login",
                None,
                &[("username", ADMIN.0), ("password", password)],
            )
            .await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
        assert!(a.headers.contains_key(header::RETRY_AFTER));
        assert!(a.body.contains("Zu viele fehlgeschlagene Anmeldungen"));
    }
    let log = app.audit();
    let count = |action: Action, user: &str| {
        log.iter()
            .filter(|e| e.action == action && e.user == user)
            .count()
    };
    assert_eq!(count(Action::Login, ADVISOR.0), 1);
    assert_eq!(count(Action::Logout, ADVISOR.0), 1);
    assert_eq!(count(Action::LoginFailed, ADMIN.0), 5);
}

#[tokio::test]
async fn a_broken_record_does_not_stop_the_server() {
    let dir = common::fixture("mini");
    let data = lotse::records::DataDir::new(dir.path());
    std::fs::write(
        data.profile_path("T-BROKEN"),
        "(id: \"T-BROKEN\", identity: (",
    )
    .unwrap();
    let mut accounts = lotse::accounts::Accounts::default();
    accounts
        .add(ADMIN.0, lotse::accounts::Role::Admin, ADMIN.1, false)
        .unwrap();
    accounts.save(&data.users()).unwrap();
    let state = lotse::web::AppState::open(data.clone(), data.default_index(), None)
        .expect("the server starts with one broken record");
    drop(state);
    let (code, out, err) = run(dir.path(), &["search", "Koch"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("T-COOK"), "everybody else is served: {out}");
    assert!(err.contains("T-BROKEN.ron:"), "the problem is named: {err}");
    let (code, _, err) = run(dir.path(), &["index"]);
    assert_eq!(code, 1, "lotse index reports it");
    assert!(err.contains("T-BROKEN.ron:1:"), "{err}");
}

#[cfg(unix)]
#[tokio::test]
async fn the_index_and_every_file_with_personal_data_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = app();
    let s = app.login(ADMIN).await;
    let a = app
        .submit(
            "/profiles/new",
            &s,
            &[
                ("id", "P-0700"),
                ("given_name", "Rana"),
                ("family_name", "Said"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let (code, _, err) = run(app.path(), &["delete", "--profile", "T-COOK"]);
    assert_eq!(code, 0, "{err}");
    let mut stack = vec![app.path().join(".lotse-index")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
                assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
                seen += 1;
            }
        }
    }
    assert!(seen > 5, "{seen} index files");
    for file in [
        "profiles/P-0700.ron",
        "audit.jsonl",
        "users.ron",
        "ids.used",
    ] {
        let mode = std::fs::metadata(app.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{file} is {mode:o}");
    }
}

#[test]
fn csv_text_cells_never_start_a_formula() {
    let dir = common::fixture("mini");
    let offer = dir.path().join("occupations/offers/koch-eq.ron");
    let text = std::fs::read_to_string(&offer).unwrap().replace(
        "title: \"Einstiegsqualifizierung Koch/Köchin\"",
        "title: \"=HYPERLINK(\\\"http://example.invalid\\\")\"",
    );
    std::fs::write(&offer, text).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "match",
            "--profile",
            "T-COOK",
            "--format",
            "csv",
            "--top",
            "50",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("'=HYPERLINK"), "{out}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    for row in reader.records() {
        for cell in row.unwrap().iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "{cell:?}");
        }
    }
    let log = lotse::audit::read(&dir.path().join("audit.jsonl")).unwrap();
    assert!(
        log.iter().any(|e| e.action == Action::Export
            && e.profile == "T-COOK"
            && e.user.starts_with("cli:")),
        "the command line's export is audited"
    );
}

#[tokio::test]
async fn the_offer_page_leaves_out_who_did_not_consent_and_says_so() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let page = app.get("/offers/koch-eq?top=50", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("1 Person ohne Einwilligung in den Abgleich"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("T-PRIVATE"), "{}", page.body);
    assert!(page.body.contains("T-COOK"));
}
