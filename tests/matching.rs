//! Shortlists, matches and search on a small fixture: exclusions, gaps,
//! training with prerequisites, explanations that add up, determinism.

mod common;

use common::{fixture, json, run};
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// Every score is the sum of its criteria's contributions, and each
/// contribution is weight × similarity × 100.
fn assert_explained(item: &Value) {
    let score = item["score"].as_f64().expect("score");
    let criteria = item["criteria"].as_array().expect("criteria");
    let sum: f64 = criteria
        .iter()
        .map(|c| c["contribution"].as_f64().expect("contribution"))
        .sum();
    assert!(
        (sum - score).abs() < 0.006,
        "contributions {sum} ≠ score {score}: {item}"
    );
    let weights: f64 = criteria
        .iter()
        .map(|c| c["weight"].as_f64().expect("weight"))
        .sum();
    assert!((weights - 1.0).abs() < 0.01, "weights sum to {weights}");
    for c in criteria {
        let expected = c["weight"].as_f64().unwrap() * c["similarity"].as_f64().unwrap() * 100.0;
        assert!(
            (expected - c["contribution"].as_f64().unwrap()).abs() < 0.1,
            "{c}"
        );
        assert_eq!(
            keys(c),
            ["contribution", "evidence", "name", "similarity", "weight"]
        );
    }
}

#[test]
fn shortlist_json_has_the_spec_shape_and_order() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &["shortlist", "--offer", "koch-eq", "--format", "json"],
    );
    assert_eq!(keys(&v), ["candidates", "offer"]);
    assert_eq!(v["offer"], "koch-eq");
    let candidates = v["candidates"].as_array().expect("candidates");
    assert!(!candidates.is_empty());
    let mut last_score = f64::INFINITY;
    let mut seen_excluded = false;
    for c in candidates {
        assert_eq!(
            keys(c),
            ["criteria", "excluded", "flags", "gaps", "profile", "score"]
        );
        assert_explained(c);
        let excluded = c["excluded"].as_bool().unwrap();
        if excluded {
            seen_excluded = true;
        } else {
            assert!(
                !seen_excluded,
                "an eligible candidate after an excluded one"
            );
            let s = c["score"].as_f64().unwrap();
            assert!(s <= last_score, "not sorted by score");
            last_score = s;
        }
    }
    assert_eq!(candidates[0]["profile"], "T-COOK", "the cook ranks first");
}

#[test]
fn people_without_work_permit_are_listed_as_excluded_with_the_reason() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &["shortlist", "--offer", "koch-eq", "--format", "json"],
    );
    let c = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == "T-NOPERMIT")
        .expect("listed");
    assert_eq!(c["excluded"], true);
    let flags: Vec<&str> = c["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        flags.iter().any(|f| f.contains("keine Arbeitserlaubnis")),
        "{flags:?}"
    );
    assert!(
        flags.iter().any(|f| f.contains("Ausbildungsduldung")),
        "{flags:?}"
    );
    // A Praktikum without work-permit requirement does not exclude.
    let v = json(
        dir.path(),
        &[
            "shortlist",
            "--offer",
            "service-praktikum",
            "--format",
            "json",
        ],
    );
    let c = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == "T-NOPERMIT")
        .expect("listed");
    assert_eq!(c["excluded"], false);
}

#[test]
fn a_missing_mandatory_licence_excludes_and_is_a_gap() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &["shortlist", "--offer", "fahrer-job", "--format", "json"],
    );
    let c = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == "T-DRIVER")
        .expect("listed");
    assert_eq!(c["excluded"], true);
    assert!(
        c["flags"].to_string().contains("Führerschein CE fehlt"),
        "{c}"
    );
    assert!(
        c["gaps"].to_string().contains("Führerschein CE fehlt"),
        "{c}"
    );
    // Their experience still counts: the truck driver leads the excluded list.
    assert_eq!(v["candidates"][0]["profile"], "T-DRIVER");
}

#[test]
fn match_json_has_the_spec_shape_and_recommends_training_in_order() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &[
            "match",
            "--profile",
            "T-ALPHA",
            "--top",
            "10",
            "--format",
            "json",
        ],
    );
    // SPEC's shape, with the optional note on the barrier and the next step.
    assert_eq!(keys(&v), ["note", "profile", "results"]);
    assert!(
        v["note"]["next_steps"][0]
            .as_str()
            .unwrap()
            .contains("Alphabetisierung"),
        "{v}"
    );
    let results = v["results"].as_array().unwrap();
    for r in results {
        assert_explained(r);
        assert!(r["kind"] == "occupation" || r["kind"] == "offer");
        assert_eq!(r["kldb"].as_str().unwrap().len(), 5);
        for key in ["id", "title", "score", "criteria", "gaps", "training"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let koch = results
        .iter()
        .find(|r| r["kind"] == "occupation" && r["id"] == "koch")
        .expect("koch");
    // German B1 is needed; the person is not literate in Latin script, so the
    // literacy course comes before the integration course it opens.
    let training: Vec<&str> = koch["training"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let alpha = training
        .iter()
        .position(|t| *t == "alpha")
        .expect("alpha recommended");
    let integration = training
        .iter()
        .position(|t| *t == "integrationskurs")
        .expect("integrationskurs recommended");
    assert!(alpha < integration, "{training:?}");
    assert!(
        koch["gaps"].to_string().contains("Deutsch B1 nötig"),
        "{koch}"
    );
    // The occupation kind drops distance and availability.
    let names: Vec<&str> = koch["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["skills", "experience", "german", "interests"]);
}

#[test]
fn one_level_below_scores_partially_and_recommends_the_course() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &[
            "match",
            "--profile",
            "T-WAITER",
            "--top",
            "20",
            "--format",
            "json",
        ],
    );
    let r = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "fachmann-restaurants")
        .expect("result");
    let german = r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "german")
        .unwrap();
    assert_eq!(german["similarity"], 0.5, "A2 against B1");
    assert!(
        r["gaps"]
            .to_string()
            .contains("Deutsch B1 nötig, vorhanden: A2"),
        "{r}"
    );
    // "Kellnr" resolved to the waiter occupation despite the typo.
    let experience = r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "experience")
        .unwrap();
    assert_eq!(experience["evidence"][0]["written"], "Kellnr, 3 Jahre");
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    let dir = fixture("mini");
    let args = ["shortlist", "--offer", "koch-eq", "--format", "json"];
    let (code, first, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        first.contains("\"candidates\"") && first.contains("T-COOK"),
        "{first}"
    );
    let out = common::lotse(dir.path())
        .env("RAYON_NUM_THREADS", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(first, String::from_utf8_lossy(&out.stdout));
    let (code, again, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first, again);
}

#[test]
fn the_index_follows_changed_records() {
    let dir = fixture("mini");
    let (_, _, stderr) = run(dir.path(), &["search", "koch"]);
    assert!(
        stderr.contains("Suchindex aktualisiert"),
        "first run builds: {stderr}"
    );
    let (_, _, stderr) = run(dir.path(), &["search", "koch"]);
    assert!(stderr.is_empty(), "second run reuses: {stderr}");
    let path = dir.path().join("profiles/T-DRIVER.ron");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("truck driver", "Koch");
    std::fs::write(&path, text).unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["search", "koch"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("Suchindex aktualisiert"), "{stderr}");
    assert!(stdout.contains("T-DRIVER"), "{stdout}");
}

#[test]
fn search_tolerates_typos_and_filters() {
    let dir = fixture("mini");
    let (_, stdout, _) = run(dir.path(), &["search", "kelner"]);
    assert!(stdout.contains("T-WAITER"), "{stdout}");
    let (_, stdout, _) = run(dir.path(), &["search", "--german", "B1"]);
    assert!(
        stdout.contains("T-COOK") && stdout.contains("T-NOPERMIT"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("T-WAITER") && !stdout.contains("T-ALPHA"),
        "{stdout}"
    );
    let (_, stdout, _) = run(dir.path(), &["search", "--permit", "nein"]);
    assert!(
        stdout.contains("T-NOPERMIT") && !stdout.contains("T-COOK"),
        "{stdout}"
    );
    let (_, stdout, _) = run(dir.path(), &["search", "Koechin"]);
    assert!(
        stdout.contains("T-COOK"),
        "umlaut spelling finds „Köchin“: {stdout}"
    );
}

#[test]
fn unknown_ids_are_user_errors_in_german() {
    let dir = fixture("mini");
    let (code, _, stderr) = run(dir.path(), &["shortlist", "--offer", "gibtsnicht"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Angebot „gibtsnicht“ gibt es nicht"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &["match", "--profile", "P-404"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Profil „P-404“ gibt es nicht"), "{stderr}");
}

#[test]
fn csv_and_table_formats() {
    let dir = fixture("mini");
    let (code, stdout, _) = run(
        dir.path(),
        &["shortlist", "--offer", "koch-eq", "--format", "csv"],
    );
    assert_eq!(code, 0);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "offer,rank,profile,score,excluded,skills,experience,german,interests,distance,availability,flags,gaps"
    );
    assert!(lines.next().unwrap().starts_with("koch-eq,1,T-COOK,"));
    let (_, table, _) = run(dir.path(), &["shortlist", "--offer", "koch-eq"]);
    assert!(
        table.contains("Rang") && table.contains("Punkte") && table.contains("Gründe"),
        "{table}"
    );
    assert!(
        table.contains("ausgeschlossen: keine Arbeitserlaubnis"),
        "{table}"
    );
}

#[test]
fn without_consent_to_matching_a_person_is_left_out_and_counted() {
    let dir = fixture("mini");
    let v = json(
        dir.path(),
        &[
            "shortlist",
            "--offer",
            "koch-eq",
            "--format",
            "json",
            "--top",
            "50",
        ],
    );
    let listed: Vec<&str> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["profile"].as_str().unwrap())
        .collect();
    assert!(!listed.contains(&"T-PRIVATE"), "{listed:?}");
    assert!(listed.len() >= 4, "everybody else is listed: {listed:?}");
    let (code, table, err) = run(dir.path(), &["shortlist", "--offer", "koch-eq"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("1 Person ohne Einwilligung in den Abgleich nicht berücksichtigt"),
        "{table}"
    );
    let (code, csv, err) = run(
        dir.path(),
        &[
            "shortlist",
            "--offer",
            "koch-eq",
            "--format",
            "csv",
            "--top",
            "50",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!csv.contains("T-PRIVATE"), "not exported: {csv}");
    let (code, batch, err) = run(dir.path(), &["batch", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(!batch.contains("T-PRIVATE"), "not in the batch: {batch}");
    let cook = &v["candidates"][0];
    assert_eq!(cook["profile"], "T-COOK");
    assert!(
        !cook["flags"].to_string().contains("Einwilligung"),
        "T-COOK consented: {cook}"
    );
}
