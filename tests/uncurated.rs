//! Occupations without curated skills (as every KldB group without a
//! curated record is) and nobody left with an empty list: on a fixture with
//! three such groups (`tests/data/uncurated`, skills `[]`).

mod common;

use common::{fixture, run};
use serde_json::Value;
use std::path::Path;

fn matches(data: &Path, profile: &str) -> Value {
    let (code, stdout, stderr) = run(data, &["match", "--profile", profile, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

fn write_profile(data: &Path, id: &str, body: &str) {
    let text = format!(
        "(\n    id: \"{id}\",\n    identity: (given_name: \"Test\", family_name: \"Person\", birth_year: 1988),\n    \
         permits: (residence_status: Aufenthaltserlaubnis, work_permit: Allowed),\n    \
         residence: (postcode: \"79098\", municipality: \"Freiburg im Breisgau\"),\n    \
         consent: (date: \"2024-01-10\", scope: [Profiling, Matching]),\n{body}\n)\n"
    );
    std::fs::write(data.join(format!("profiles/{id}.ron")), text).expect("write profile");
}

fn criterion<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("criterion {name} in {result}"))
}

/// A farmer who cannot read Latin script, however the work was written,
/// gets the farming occupation first and the literacy course as next step.
#[test]
fn a_farmer_who_cannot_read_latin_script_gets_a_list_and_a_next_step() {
    let dir = fixture("uncurated");
    for (i, written) in ["Landwirt", "farmer", "agriculteur", "Bauer auf dem Feld"]
        .iter()
        .enumerate()
    {
        let id = format!("T-FARM{i}");
        write_profile(
            dir.path(),
            &id,
            &format!(
                "    languages: (german: Keine, literate_latin: false),\n    \
                 work_experience: [(activity: \"{written}\", years: 8)],"
            ),
        );
        let m = matches(dir.path(), &id);
        let results = m["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{written}: {m}");
        let first = &results[0];
        assert_eq!(first["kldb"], "11102", "{written}: {m}");
        // The shape of SPEC is kept.
        for key in [
            "kind", "id", "title", "kldb", "score", "criteria", "gaps", "training",
        ] {
            assert!(first.get(key).is_some(), "{key} in {first}");
        }
        // No curated skills: said so, and neither a zero nor a full score.
        let skills = criterion(first, "skills");
        assert_eq!(skills["weight"], 0.0);
        assert_eq!(skills["contribution"], 0.0);
        assert_eq!(
            skills["evidence"][0]["written"], "keine Fähigkeiten hinterlegt",
            "{first}"
        );
        assert!(
            criterion(first, "experience")["similarity"]
                .as_f64()
                .unwrap()
                > 0.8
        );
        let score = first["score"].as_f64().unwrap();
        assert!(score > 50.0 && score < 100.0, "{written}: {score}");
        // The barrier and the course that opens the way.
        let note = &m["note"];
        assert!(
            note["next_steps"][0]
                .as_str()
                .unwrap()
                .contains("Alphabetisierung"),
            "{note}"
        );
        assert_eq!(note["training"][0], "alpha", "{note}");
        assert!(
            first["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g.as_str().unwrap().contains("Deutsch")),
            "{first}"
        );
    }
    // The table says it too.
    let (_, stdout, _) = run(dir.path(), &["match", "--profile", "T-FARM0"]);
    assert!(stdout.contains("Nächster Schritt:"), "{stdout}");
    assert!(stdout.contains("Alphabetisierung"), "{stdout}");
}

/// Code closeness: the 4-digit neighbour at another level counts, less
/// than the own code; a curated occupation keeps its skills criterion.
#[test]
fn experience_counts_by_code_closeness() {
    let dir = fixture("uncurated");
    let m = matches(dir.path(), "T-COOK");
    let results = m["results"].as_array().unwrap();
    let koch = results.iter().find(|r| r["id"] == "koch").expect("koch");
    let master = results
        .iter()
        .find(|r| r["id"] == "kldb-29303")
        .expect("the 4-digit neighbour 29303 is shown");
    assert!(criterion(koch, "skills")["weight"].as_f64().unwrap() > 0.0);
    assert_eq!(
        criterion(master, "skills")["evidence"][0]["written"],
        "keine Fähigkeiten hinterlegt"
    );
    let exp = |r: &Value| criterion(r, "experience")["similarity"].as_f64().unwrap();
    assert!(exp(master) > 0.0 && exp(master) < exp(koch), "{master}");
    // Farming shares no code with cooking: not listed.
    assert!(
        !results
            .iter()
            .any(|r| r["kldb"].as_str().unwrap().starts_with("111")),
        "{m}"
    );
    // A person with B1 who meets the German of the list gets no note.
    assert!(m.get("note").is_none(), "{m}");
}

/// Text below the confident threshold still counts, scaled by its
/// similarity, and is marked as uncertain.
#[test]
fn weakly_resolved_text_contributes_with_its_similarity() {
    let dir = fixture("uncurated");
    write_profile(
        dir.path(),
        "T-WEAK",
        "    languages: (german: A2, literate_latin: true),\n    \
         work_experience: [(activity: \"Farmarbeiter\", years: 8)],",
    );
    write_profile(
        dir.path(),
        "T-SURE",
        "    languages: (german: A2, literate_latin: true),\n    \
         work_experience: [(activity: \"Landwirt\", years: 8)],",
    );
    let weak = matches(dir.path(), "T-WEAK");
    let sure = matches(dir.path(), "T-SURE");
    let first = &weak["results"][0];
    assert_eq!(
        first["kldb"].as_str().unwrap().get(..3),
        Some("111"),
        "{weak}"
    );
    let evidence = &criterion(first, "experience")["evidence"][0];
    assert!(
        evidence["written"]
            .as_str()
            .unwrap()
            .contains("unsicher erkannt"),
        "{evidence}"
    );
    let sim = |m: &Value| {
        criterion(&m["results"][0], "experience")["similarity"]
            .as_f64()
            .unwrap()
    };
    assert!(
        sim(&weak) > 0.0 && sim(&weak) < sim(&sure),
        "{weak} vs {sure}"
    );
}

/// Truly nothing known: the list is empty, and the note says so and what to record.
#[test]
fn nothing_known_says_what_to_record() {
    let dir = fixture("uncurated");
    let m = matches(dir.path(), "T-NOTHING");
    assert!(m["results"].as_array().unwrap().is_empty());
    let note = &m["note"];
    assert!(
        note["reason"].as_str().unwrap().contains("keine Berufe")
            || note["reason"].as_str().unwrap().contains("Keine Berufe"),
        "{note}"
    );
    assert!(
        note["next_steps"][0]
            .as_str()
            .unwrap()
            .contains("Profilingbogen erfassen"),
        "{note}"
    );
    // Written but not recognised: the note names what was written.
    write_profile(
        dir.path(),
        "T-UNKNOWN",
        "    languages: (german: B1, literate_latin: true),\n    \
         work_experience: [(activity: \"Xylophon Qwertz\", years: 2)],",
    );
    let m = matches(dir.path(), "T-UNKNOWN");
    assert!(m["results"].as_array().unwrap().is_empty(), "{m}");
    let reason = m["note"]["reason"].as_str().unwrap();
    assert!(reason.contains("„Xylophon Qwertz“"), "{reason}");
    let (_, stdout, _) = run(dir.path(), &["match", "--profile", "T-UNKNOWN"]);
    assert!(stdout.contains("Hinweis: Keine Berufe"), "{stdout}");
}
