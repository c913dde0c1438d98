//! The web profile list uses the same search as `lotse search`: by meaning,
//! postcode prefix, district and radius, with the real count; the profile
//! page names the next step where language or literacy is the barrier.

mod common;
mod web_support;

use std::collections::BTreeSet;
use web_support::{app, ADVISOR};

/// The profile ids a list page shows.
fn listed(html: &str) -> BTreeSet<String> {
    html.split("href=\"/profiles/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.starts_with("T-") && !id.contains('/'))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_list_searches_by_meaning_and_place() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let all = listed(&app.get("/profiles", Some(&s)).await.body);
    assert!(all.len() >= 6, "{all:?}");
    let koch = listed(&app.get("/profiles?q=Koch", Some(&s)).await.body);
    assert!(koch.contains("T-COOK"), "{koch:?}");
    for q in ["K%C3%B6chin", "Koechin", "cook"] {
        let other = listed(&app.get(&format!("/profiles?q={q}"), Some(&s)).await.body);
        assert_eq!(koch, other, "{q}");
    }
    let page = app.get("/profiles?postcode=567", Some(&s)).await.body;
    assert_eq!(listed(&page), BTreeSet::from(["T-DRIVER".to_string()]));
    assert!(page.contains("1 von "), "the real count: {page}");
    let district = listed(
        &app.get("/profiles?district=Mayen-Koblenz", Some(&s))
            .await
            .body,
    );
    assert_eq!(district, BTreeSet::from(["T-DRIVER".to_string()]));
    let near = listed(
        &app.get("/profiles?near=Koblenz&radius=10", Some(&s))
            .await
            .body,
    );
    assert!(
        near.contains("T-COOK") && !near.contains("T-DRIVER") && !near.contains("T-ALPHA"),
        "{near:?}"
    );
    let wider = listed(
        &app.get("/profiles?near=Koblenz&radius=40", Some(&s))
            .await
            .body,
    );
    assert!(
        near.is_subset(&wider) && wider.contains("T-DRIVER") && !wider.contains("T-ALPHA"),
        "{wider:?}"
    );
    // An unknown place is named; the list falls back to the search without it.
    let page = app.get("/profiles?near=Atlantis", Some(&s)).await.body;
    assert!(page.contains("Ort „Atlantis“"), "{page}");
    assert_eq!(listed(&page), all);
}

#[tokio::test]
async fn the_profile_page_names_the_course_that_opens_the_way() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let page = app.get("/profiles/T-ALPHA", Some(&s)).await.body;
    assert!(page.contains("Hinweis: "), "{page}");
    assert!(page.contains("Alphabetisierungskurs"), "{page}");
}
