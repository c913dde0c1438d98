//! The web allocation page: the same choices as `lotse batch --assign
//! --programme NAME --min-score N`, the report for a programme, and the
//! report as a workbook.

mod common;
mod web_support;

use axum::http::StatusCode;
use web_support::{app, ADVISOR};

#[tokio::test]
async fn the_allocation_page_offers_programme_and_minimum_score() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let page = app.get("/batch", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"programme\""), "{}", page.body);
    assert!(page.body.contains("name=\"min_score\""));
    assert!(page.body.contains("alle Angebote"));
    assert!(
        page.body.contains("Integrationsinitiative"),
        "the programme is offered"
    );

    let programme = "/batch?programme=DEHOGA+Integrationsinitiative&min_score=0";
    let run = app.get(programme, Some(&s)).await;
    assert_eq!(run.status, StatusCode::OK);
    assert!(run
        .body
        .contains("Ohne Platz, obwohl ein Angebot in Frage kam – und warum"));
    assert!(run.body.contains("Vor dem Start"));
    assert!(run.body.contains("T-COOK"), "{}", run.body);
    assert!(
        !run.body.contains("fahrer-job"),
        "only the programme's offers"
    );

    // Nobody reaches a minimum of 100 points: no placement, and why.
    let high = app
        .get(
            "/batch?programme=DEHOGA+Integrationsinitiative&min_score=99,5",
            Some(&s),
        )
        .await;
    assert_eq!(high.status, StatusCode::OK);
    assert!(
        high.body.contains("unter der Mindestpunktzahl"),
        "{}",
        high.body
    );

    let unknown = app.get("/batch?programme=Unbekannt", Some(&s)).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.body.contains("Programm „Unbekannt“ gibt es nicht"),
        "{}",
        unknown.body
    );
    let bad = app.get("/batch?min_score=viel", Some(&s)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Mindestpunktzahl „viel“"), "{}", bad.body);

    let xlsx = app
        .get(
            "/batch/report.xlsx?programme=DEHOGA%20Integrationsinitiative",
            Some(&s),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx
        .headers
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().contains("spreadsheetml")));
    let without = app.get("/batch/report.xlsx", Some(&s)).await;
    assert_eq!(without.status, StatusCode::BAD_REQUEST);
}
