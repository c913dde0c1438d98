//! Everyday occupation words, in German, English and French, written as a
//! person's work experience on the bundled data: `lotse match` puts the
//! occupation of the right KldB code first. The words are the ones the issue
//! lists as giving no match at all before; the codes are the official KldB
//! 2010 ones (`../shared/data/kldb/`).

mod common;

use common::{fixture, run};
use serde_json::Value;

const CASES: &[(&str, &str)] = &[
    ("Metzger", "29232"),
    ("Fleischer", "29232"),
    ("butcher", "29232"),
    ("Landwirt", "11102"),
    ("farmer", "11102"),
    ("agriculteur", "11102"),
    ("Zahnarzthelferin", "81112"),
    ("Busfahrer", "52132"),
    ("bus driver", "52132"),
    ("Taxifahrer", "52112"),
    ("Erzieherin", "83113"),
    ("Lehrer", "84114"),
    ("teacher", "84114"),
    ("Arzt", "81404"),
    ("Informatiker", "43412"),
    ("Buchhalter", "72213"),
    ("Dachdecker", "32142"),
    ("Klempner", "34202"),
    ("Schuster", "28332"),
    ("Hausmeister", "34102"),
    ("Paketbote", "51322"),
];

#[test]
fn everyday_words_put_the_right_occupation_first() {
    let dir = fixture("bundled");
    for (i, (written, _)) in CASES.iter().enumerate() {
        let text = format!(
            "(\n    id: \"X-{i:02}\",\n    identity: (given_name: \"Test\", family_name: \"Person\", birth_year: 1988),\n    \
             permits: (residence_status: Aufenthaltserlaubnis, work_permit: Allowed),\n    \
             residence: (postcode: \"56068\", municipality: \"Koblenz\"),\n    \
             languages: (german: B2, literate_latin: true),\n    \
             work_experience: [(activity: \"{written}\", years: 5)],\n    \
             consent: (date: \"2024-01-10\", scope: [Profiling, Matching]),\n)\n"
        );
        std::fs::write(dir.path().join(format!("profiles/X-{i:02}.ron")), text).unwrap();
    }
    let mut wrong = Vec::new();
    for (i, (written, code)) in CASES.iter().enumerate() {
        let (status, stdout, stderr) = run(
            dir.path(),
            &[
                "match",
                "--profile",
                &format!("X-{i:02}"),
                "--format",
                "json",
            ],
        );
        assert_eq!(status, 0, "{stderr}");
        let m: Value = serde_json::from_str(&stdout).unwrap();
        let first = m["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "occupation")
            .unwrap_or_else(|| panic!("{written}: no occupation in {m}"));
        if first["kldb"] != *code {
            wrong.push(format!("{written}: {} ({})", first["kldb"], first["id"]));
        }
    }
    assert!(wrong.is_empty(), "wrong first occupation: {wrong:?}");
}

#[test]
fn the_bundled_catalogue_has_at_least_100_curated_occupations() {
    let dir = fixture("bundled");
    let (code, stdout, stderr) = run(dir.path(), &["validate"]);
    assert_eq!(code, 0, "{stderr}");
    let count: usize = stdout
        .split(", ")
        .find_map(|part| part.strip_suffix(" Berufe"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(count >= 100, "{count} curated occupations");
}

/// A farmer who cannot read Latin script, on the bundled data: the farming
/// occupation first, and the literacy course of the training catalogue as
/// the next step, however the work was written.
#[test]
fn an_illiterate_farmer_gets_farming_and_the_literacy_course() {
    let dir = fixture("bundled");
    let phrasings = ["Landwirt", "farmer", "agriculteur", "Bauer auf dem Feld"];
    for (i, written) in phrasings.iter().enumerate() {
        let text = format!(
            "(\n    id: \"Y-{i}\",\n    identity: (given_name: \"Test\", family_name: \"Person\", birth_year: 1980),\n    \
             permits: (residence_status: Aufenthaltserlaubnis, work_permit: Allowed),\n    \
             residence: (postcode: \"56727\", municipality: \"Mayen\"),\n    \
             languages: (german: Keine, literate_latin: false),\n    \
             work_experience: [(activity: \"{written}\", years: 15)],\n    \
             consent: (date: \"2024-01-10\", scope: [Profiling, Matching]),\n)\n"
        );
        std::fs::write(dir.path().join(format!("profiles/Y-{i}.ron")), text).unwrap();
    }
    for (i, written) in phrasings.iter().enumerate() {
        let (status, stdout, stderr) = run(
            dir.path(),
            &["match", "--profile", &format!("Y-{i}"), "--format", "json"],
        );
        assert_eq!(status, 0, "{stderr}");
        let m: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(m["results"][0]["kldb"], "11102", "{written}: {m}");
        let course = m["note"]["training"][0]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let record = std::fs::read_to_string(
            dir.path()
                .join(format!("occupations/training/{course}.ron")),
        )
        .unwrap_or_else(|_| panic!("{written}: training {course} in {m}"));
        assert!(
            record.contains("kind: Alphabetisierung"),
            "{written}: {course}"
        );
    }
}
