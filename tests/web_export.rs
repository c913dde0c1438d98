//! The web export buttons give Excel workbooks with German headers and
//! names; the CSV export keeps its machine layout.

mod common;
mod web_support;

use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use web_support::{app, ADVISOR};

fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect()
}

#[tokio::test]
async fn shortlist_and_matches_export_as_workbooks() {
    let app = app();
    let s = app.login(ADVISOR).await;
    let page = app.get("/offers/koch-eq", Some(&s)).await;
    assert!(page.body.contains("/offers/koch-eq/shortlist.xlsx"));
    let answer = app
        .get("/offers/koch-eq/shortlist.xlsx?top=5", Some(&s))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let table = rows(&answer.bytes);
    assert_eq!(&table[0][..4], ["Angebot", "Titel", "Arbeitgeber", "Ort"]);
    assert!(table[0].contains(&"Name".to_string()) && table[0].contains(&"Punkte".to_string()));
    let name_col = table[0].iter().position(|h| h == "Name").unwrap();
    assert!(table.len() > 1);
    assert!(
        table[1..].iter().any(|r| r[name_col].contains("Test Koch")),
        "{table:?}"
    );

    let page = app.get("/profiles/T-COOK", Some(&s)).await;
    assert!(page.body.contains("/profiles/T-COOK/matches.xlsx"));
    let answer = app.get("/profiles/T-COOK/matches.xlsx", Some(&s)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let table = rows(&answer.bytes);
    assert_eq!(&table[0][..3], ["Profil", "Name", "Rang"]);
    assert!(table[1][1].contains("Koch"), "{table:?}");

    let csv = app
        .get("/offers/koch-eq/shortlist.csv?top=3", Some(&s))
        .await;
    assert!(csv.body.starts_with("offer,rank,profile,score,excluded,"));
    let nobody = app.get("/profiles/T-COOK/matches.xlsx", None).await;
    assert_ne!(nobody.status, StatusCode::OK);
}
