//! `lotse validate` on the bundled data and on records with planted faults.

mod common;

use common::{fixture, run};
use std::fs;

#[test]
fn bundled_records_all_load_and_validate() {
    let (code, stdout, stderr) = run(&common::repo(), &["validate"]);
    assert_eq!(code, 0, "bundled data must validate:\n{stderr}");
    assert!(stdout.starts_with("In Ordnung"), "{stdout}");
}

#[test]
fn mini_fixture_validates() {
    let dir = fixture("mini");
    let (code, stdout, stderr) = run(dir.path(), &["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("6 Profile"), "{stdout}");
}

fn replace(path: &std::path::Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn every_planted_fault_is_named_with_file_and_position() {
    let dir = fixture("mini");
    let d = dir.path();
    // Syntax and schema faults: one per file, each in a different file.
    replace(
        &d.join("profiles/T-COOK.ron"),
        "birth_year: 1990,",
        "birth_year: 1990, shoe_size: 44,",
    );
    replace(&d.join("profiles/T-WAITER.ron"), "german: A2", "german: B3");
    replace(
        &d.join("profiles/T-DRIVER.ron"),
        "work_experience: [",
        "work_experience: [[",
    );
    // Semantic faults: several in one file, and references between files.
    replace(
        &d.join("profiles/T-ALPHA.ron"),
        "birth_year: 1992",
        "birth_year: 2092, arrival: \"2015-01-01\"",
    );
    replace(
        &d.join("occupations/occupations/koch.ron"),
        "kldb: \"29302\"",
        "kldb: \"2930\"",
    );
    replace(
        &d.join("occupations/offers/fahrer-job.ron"),
        "occupation: \"berufskraftfahrer\"",
        "occupation: \"astronaut\"",
    );
    replace(
        &d.join("occupations/offers/koch-eq.ron"),
        "start_date: \"2016-02-01\"",
        "start_date: \"2016-02-30\"",
    );
    replace(
        &d.join("occupations/training/hygiene.ron"),
        "provides: [\"ifsg-belehrung\"]",
        "provides: [\"zauberei\"]",
    );
    replace(
        &d.join("occupations/occupations/kuechenhilfe.ron"),
        "id: \"kuechenhilfe\"",
        "id: \"kuechenhelfer\"",
    );

    let (code, _, stderr) = run(d, &["validate"]);
    assert_eq!(code, 1, "{stderr}");
    let expected = [
        ("profiles/T-COOK.ron:3:", "unbekanntes Feld „shoe_size“"),
        (
            "profiles/T-WAITER.ron:6:",
            "unbekannter Wert „B3“ in „Sprachniveau“",
        ),
        ("profiles/T-DRIVER.ron:", ""),
        ("profiles/T-ALPHA.ron:3:", "Geburtsjahr 2092"),
        ("profiles/T-ALPHA.ron:3:", "vor dem Geburtsjahr"),
        ("occupations/occupations/koch.ron:7:", "KldB-Code „2930“"),
        (
            "occupations/offers/fahrer-job.ron:5:",
            "unbekannter Beruf „astronaut“",
        ),
        ("occupations/offers/koch-eq.ron:10:", "ungültiges Datum"),
        (
            "occupations/training/hygiene.ron:6:",
            "unbekannte Fähigkeit „zauberei“",
        ),
        ("occupations/occupations/kuechenhilfe.ron:2:", "Dateiname"),
    ];
    for (place, message) in expected {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(place) && l.contains(message)),
            "missing {place} {message:?} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("Fehler gefunden"), "{stderr}");
}

#[test]
fn validating_one_folder_reports_only_its_files() {
    let dir = fixture("mini");
    let d = dir.path();
    replace(
        &d.join("profiles/T-COOK.ron"),
        "birth_year: 1990",
        "birth_year: 1800",
    );
    replace(
        &d.join("occupations/offers/fahrer-job.ron"),
        "places: 1",
        "places: 0",
    );
    let (code, _, stderr) = run(d, &["validate", &d.join("profiles").to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Geburtsjahr 1800"), "{stderr}");
    assert!(!stderr.contains("fahrer-job"), "{stderr}");
}

#[test]
fn a_file_outside_the_data_folder_is_checked_against_its_catalogue() {
    let dir = fixture("mini");
    let elsewhere = tempfile::tempdir().expect("tmp");
    let offers = elsewhere.path().join("offers");
    fs::create_dir_all(&offers).expect("mkdir");
    let text = fs::read_to_string(dir.path().join("occupations/offers/koch-eq.ron"))
        .expect("read")
        .replace("koch-eq", "neu")
        .replace("occupation: \"koch\"", "occupation: \"koechin\"");
    fs::write(offers.join("neu.ron"), text).expect("write");
    let (code, _, stderr) = run(
        dir.path(),
        &["validate", &offers.join("neu.ron").to_string_lossy()],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("neu.ron:5:") && stderr.contains("unbekannter Beruf „koechin“"),
        "{stderr}"
    );
}

#[test]
fn non_utf8_record_is_rejected_with_position() {
    let dir = fixture("mini");
    let path = dir.path().join("profiles/T-COOK.ron");
    let mut bytes = fs::read(&path).expect("read");
    let pos = bytes.windows(4).position(|w| w == b"Koch").expect("Koch");
    bytes.splice(pos..pos + 4, [b'K', 0xF6, b'c', b'h']);
    fs::write(&path, bytes).expect("write");
    let (code, _, stderr) = run(dir.path(), &["validate"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("T-COOK.ron:3:") && stderr.contains("UTF-8"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("mini");
    let (code, _, _) = run(dir.path(), &["frobnicate"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(dir.path(), &["search", "--german", "B7"]);
    assert_eq!(code, 2);
}
