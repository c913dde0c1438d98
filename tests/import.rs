//! `lotse import profiles|offers FILE.csv`, run as the real binary in a
//! temporary folder holding a copy of `tests/data/import/`.

use assert_cmd::Command;
use lotse::catalogue::{Importance, Offer, OfferKind, RequiredSkill};
use lotse::cefr::Cefr;
use lotse::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use lotse::profile::{LanguageSkill, Profile, SkillSource};
use lotse::records::load_file;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import");

/// A temporary folder with the fixture data folder as `data/` and the CSV files beside it.
fn setup() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURES), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `lotse --data data ARGS…`, run in `dir` (so messages name files as given).
fn lotse(dir: &TempDir, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("lotse").unwrap();
    cmd.current_dir(dir.path())
        .args(["--data", "data"])
        .args(args);
    cmd
}

/// Every file under the data folder (hidden temporary files included) with its content.
fn snapshot(dir: &TempDir) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&dir.path().join("data"), &mut files);
    files
}

fn profile(dir: &TempDir, id: &str) -> Profile {
    load_file(&dir.path().join(format!("data/profiles/{id}.ron"))).unwrap()
}

fn offer(dir: &TempDir, id: &str) -> Offer {
    load_file(&dir.path().join(format!("data/occupations/offers/{id}.ron"))).unwrap()
}

fn validates(dir: &TempDir) {
    lotse(dir, &["validate"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("In Ordnung"));
}

#[test]
fn the_excel_fixture_really_is_excel_shaped() {
    let bytes = std::fs::read(Path::new(FIXTURES).join("profiles-excel.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid;"), "UTF-8 BOM and `;`");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line endings");
    assert!(
        !bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'),
        "only CRLF line endings"
    );
}

#[test]
fn a_german_excel_export_is_imported() {
    let dir = setup();
    lotse(&dir, &["import", "profiles", "profiles-excel.csv"])
        .assert()
        .success()
        .stdout("3 Profile importiert.\n")
        .stderr("");

    let p = profile(&dir, "P-0101");
    assert_eq!(p.identity.given_name, "Jürgen");
    assert_eq!(p.identity.family_name, "Müller-Lüdenscheidt");
    assert_eq!(p.identity.birth_year, Some(1990));
    assert_eq!(p.identity.nationality.as_deref(), Some("syrisch"));
    assert_eq!(p.residence_status(), ResidenceStatus::Aufenthaltsgestattung);
    assert_eq!(p.work_permit(), WorkPermit::NeedsApproval);
    let residence = p.residence.as_ref().unwrap();
    assert_eq!(residence.postcode.as_deref(), Some("56727"));
    assert_eq!(residence.municipality.as_deref(), Some("Mayen"));
    assert_eq!(p.mobility.as_ref().unwrap().commute_km, Some(30));
    assert_eq!(
        p.driving_licences(),
        &[DrivingLicence::B, DrivingLicence::C1]
    );
    let languages = p.languages.as_ref().unwrap();
    assert_eq!(languages.german, Some(Cefr::A2));
    assert_eq!(languages.mother_tongues, vec!["ar"]);
    assert_eq!(
        languages.other,
        vec![LanguageSkill {
            language: "en".into(),
            level: Cefr::B1
        }]
    );
    assert_eq!(languages.literate_latin, Some(true));
    let schooling = p.schooling.as_ref().unwrap();
    assert_eq!(schooling.years, Some(9));
    assert_eq!(schooling.certificate.as_deref(), Some("9. Klasse"));
    assert_eq!(p.vocational_training.len(), 1);
    assert_eq!(p.vocational_training[0].occupation, "Koch");
    assert_eq!(p.vocational_training[0].years, Some(5.0));
    let experience: Vec<_> = p
        .work_experience
        .iter()
        .map(|w| (w.activity.as_str(), w.years))
        .collect();
    assert_eq!(
        experience,
        vec![("Hilfe in der Küche", Some(1.5)), ("Kellner", Some(2.0))]
    );
    let skills: Vec<_> = p.skills().iter().map(|s| s.written.as_str()).collect();
    assert_eq!(skills, vec!["Gemüse schneiden", "Kassieren"]);
    assert!(p
        .skills()
        .iter()
        .all(|s| s.level.is_none() && s.source == SkillSource::SelfReported));
    assert_eq!(p.interests, vec!["Koch", "Hotel"]);
    assert_eq!(
        p.availability.as_ref().unwrap().from.unwrap().to_string(),
        "2016-01-15"
    );
    assert_eq!(p.notes.as_deref(), Some("Termin: Mo; Di \"nachmittags\""));

    // Empty cells are "not known"; `keine` is a known "none".
    let p = profile(&dir, "P-0102");
    assert_eq!(p.german(), Some(Cefr::Keine));
    assert_eq!(p.languages.as_ref().unwrap().literate_latin, None);
    assert_eq!(
        p.languages.as_ref().unwrap().mother_tongues,
        vec!["fa", "ps"]
    );
    assert!(p.mobility.is_none());
    assert!(p.schooling.is_none());
    assert!(p.competences.is_none());
    assert!(p.availability.is_none());
    assert!(p.notes.is_none());

    let p = profile(&dir, "P-0103");
    assert_eq!(p.identity.birth_year, None);
    assert!(p.residence.is_none());
    assert_eq!(p.languages.as_ref().unwrap().literate_latin, Some(false));
    assert_eq!(
        p.schooling.as_ref().unwrap().certificate.as_deref(),
        Some("Abitur; Asmara")
    );
    assert_eq!(p.work_experience[0].activity, "Straßenbau");

    // The empty `;;;;` row at the end was not a record.
    assert_eq!(
        std::fs::read_dir(dir.path().join("data/profiles"))
            .unwrap()
            .count(),
        4
    );
    validates(&dir);
}

#[test]
fn a_comma_separated_file_with_quoted_decimal_commas_is_imported() {
    let dir = setup();
    lotse(&dir, &["import", "profiles", "profiles-comma.csv"])
        .assert()
        .success()
        .stdout("2 Profile importiert.\n");
    let p = profile(&dir, "P-0201");
    assert_eq!(p.german(), Some(Cefr::B2));
    let experience: Vec<_> = p
        .work_experience
        .iter()
        .map(|w| (w.activity.as_str(), w.years))
        .collect();
    assert_eq!(
        experience,
        vec![("Koch", Some(1.5)), ("Kellner", Some(2.0))]
    );
    assert_eq!(p.notes.as_deref(), Some("Sagt: \"gerne früh, auch spät\""));
    // Only the three required columns filled: the rest stays unknown.
    let p = profile(&dir, "P-0202");
    assert_eq!(p, Profile::new("P-0202", "Omar", "Khalil"));
    validates(&dir);
}

#[test]
fn every_bad_cell_of_every_row_is_named_and_nothing_is_written() {
    let dir = setup();
    let before = snapshot(&dir);
    let output = lotse(&dir, &["import", "profiles", "profiles-bad.csv"])
        .assert()
        .code(1)
        .stdout("")
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let positions: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("profiles-bad.csv:"))
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        positions,
        vec![
            "3:2", "3:4", "3:5", "4:6", "4:7", "4:8", "4:9", "4:10", "4:11", "4:12", "4:13",
            "4:14", "5:1", "6:1", "7:1"
        ],
        "{stderr}"
    );
    for expected in [
        "profiles-bad.csv:3:2: Spalte „given_name“: darf nicht leer sein",
        "profiles-bad.csv:4:12: Spalte „german_level“: „B3“ ist kein Sprachniveau",
        "profiles-bad.csv:4:13: Spalte „work_experience“: „Koch:fünf“",
        "profiles-bad.csv:4:14: Spalte „available_from“: den Tag „31.02.2016“ gibt es nicht",
        "profiles-bad.csv:5:1: Spalte „id“: ungültige Kennung „P 0304“",
        "profiles-bad.csv:6:1: Spalte „id“: Profil „P-0301“ steht schon in Zeile 2",
        "profiles-bad.csv:7:1: Spalte „id“: Profil „P-0001“ gibt es schon",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in\n{stderr}");
    }
    assert!(
        stderr.ends_with("15 Fehler; nichts importiert.\n"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "the valid row 2 was not written either"
    );
}

#[test]
fn windows_1252_is_refused_unless_asked_for_then_decoded() {
    let dir = setup();
    // "Jürgen Müller" as German Excel saves plain CSV: ü is the byte 0xFC.
    let bytes = b"id;given_name;family_name\r\nP-0401;J\xFCrgen;M\xFCller\r\n";
    std::fs::write(dir.path().join("ansi.csv"), bytes).unwrap();
    let before = snapshot(&dir);
    lotse(&dir, &["import", "profiles", "ansi.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "ansi.csv:2:2: Spalte „given_name“: Zeichen 0xFC ist kein UTF-8: die Datei ist vermutlich Windows-1252 (Excel); mit --encoding windows-1252 erneut importieren\n",
        ));
    assert_eq!(snapshot(&dir), before);

    lotse(
        &dir,
        &[
            "import",
            "profiles",
            "ansi.csv",
            "--encoding",
            "windows-1252",
        ],
    )
    .assert()
    .success()
    .stdout("1 Profil importiert.\n");
    let p = profile(&dir, "P-0401");
    assert_eq!(p.display_name(), "Jürgen Müller");
    validates(&dir);
}

#[test]
fn a_utf8_file_is_not_garbled_by_a_wrong_encoding() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(
        &dir,
        &[
            "import",
            "profiles",
            "profiles-excel.csv",
            "--encoding",
            "windows-1252",
        ],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("schon UTF-8"));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn an_unknown_encoding_is_a_usage_error() {
    let dir = setup();
    lotse(
        &dir,
        &[
            "import",
            "profiles",
            "profiles-excel.csv",
            "--encoding",
            "latin9",
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("unbekannte Kodierung „latin9“"));
}

#[test]
fn a_dry_run_checks_and_reports_but_writes_nothing() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(
        &dir,
        &["import", "profiles", "profiles-excel.csv", "--dry-run"],
    )
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "P-0101 → data/profiles/P-0101.ron (neu)",
    ))
    .stdout(predicate::str::ends_with(
        "Probelauf: 3 Profile wären importiert worden, nichts geschrieben.\n",
    ));
    assert_eq!(snapshot(&dir), before);
    // A dry run still finds every problem.
    lotse(
        &dir,
        &["import", "profiles", "profiles-bad.csv", "--dry-run"],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains("15 Fehler"));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn an_existing_id_is_refused_unless_replace_is_given() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(&dir, &["import", "profiles", "profiles-existing.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "profiles-existing.csv:2:1: Spalte „id“: Profil „P-0001“ gibt es schon",
        ));
    assert_eq!(snapshot(&dir), before);

    lotse(
        &dir,
        &[
            "import",
            "profiles",
            "profiles-existing.csv",
            "--replace",
            "--dry-run",
        ],
    )
    .assert()
    .success()
    .stdout(predicate::str::ends_with(
        "Probelauf: 1 Profil wäre importiert worden (1 ersetzt), nichts geschrieben.\n",
    ));
    assert_eq!(snapshot(&dir), before);

    lotse(
        &dir,
        &["import", "profiles", "profiles-existing.csv", "--replace"],
    )
    .assert()
    .success()
    .stdout("1 Profil importiert (1 ersetzt).\n");
    assert_eq!(profile(&dir, "P-0001").german(), Some(Cefr::B1));
    validates(&dir);
}

#[test]
fn an_id_twice_in_the_file_is_refused_even_with_replace() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(
        &dir,
        &["import", "profiles", "profiles-twice.csv", "--replace"],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::starts_with(
        "profiles-twice.csv:3:1: Spalte „id“: Profil „p-0601“ steht schon in Zeile 2",
    ));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn unknown_and_missing_columns_are_refused() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(&dir, &["import", "profiles", "profiles-unknown-column.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profiles-unknown-column.csv:1:4: unbekannte Spalte „geburtsort“",
        ))
        // Header names are compared without case: „Notes“ is `notes`.
        .stderr(predicate::str::contains("„Notes“").not())
        .stderr(predicate::str::contains("1 Fehler;"));
    std::fs::write(
        dir.path().join("no-name.csv"),
        "id;given_name\nP-0701;Lina\n",
    )
    .unwrap();
    lotse(&dir, &["import", "profiles", "no-name.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "no-name.csv:1: Pflichtspalte „family_name“ („Nachname“) fehlt in der Kopfzeile\n",
        ));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn a_missing_file_is_named() {
    let dir = setup();
    lotse(&dir, &["import", "profiles", "gibt-es-nicht.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "gibt-es-nicht.csv: Datei nicht gefunden\n",
        ));
}

#[test]
fn a_folder_that_is_no_data_folder_gets_nothing() {
    let dir = setup();
    Command::cargo_bin("lotse")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "--data",
            "daten",
            "import",
            "profiles",
            "profiles-excel.csv",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("daten: ist kein Datenordner"));
    assert!(!dir.path().join("daten").exists());
}

#[test]
fn offers_resolve_occupations_and_skills_from_ids_and_titles() {
    let dir = setup();
    lotse(&dir, &["import", "offers", "offers.csv"])
        .assert()
        .success()
        .stdout("3 Angebote importiert.\n");

    let important = |skill: &str| RequiredSkill {
        skill: skill.into(),
        importance: Importance::Important,
        level: None,
    };
    let o = offer(&dir, "eq-koch-mayen");
    assert_eq!(o.occupation, "koch", "from „Koch (m/w/d)“");
    assert_eq!(o.kind, OfferKind::Eq);
    assert_eq!(o.title, "EQ Koch/Köchin");
    assert_eq!(o.places, 2);
    assert_eq!(o.start_date.to_string(), "2016-02-01");
    assert_eq!(o.min_german, Some(Cefr::A2));
    assert!(o.work_permit_required);
    assert_eq!(
        o.skills,
        vec![important("gemuese-schneiden"), important("ifsg-belehrung")]
    );
    assert_eq!(o.notes.as_deref(), Some("Probetag; dann Vertrag"));

    let o = offer(&dir, "job-service-koblenz");
    assert_eq!(o.occupation, "servicekraft", "from the id");
    assert_eq!(o.required_licences, vec![DrivingLicence::B]);
    assert!(!o.work_permit_required);
    assert_eq!(
        o.skills,
        vec![important("kassieren")],
        "cashier|Kassieren: one skill"
    );

    let o = offer(&dir, "praktikum-kellner");
    assert_eq!(
        o.occupation, "servicekraft",
        "from the synonym „Kellner/-in“"
    );
    assert_eq!(o.min_german, None);
    assert!(o.work_permit_required, "an empty cell keeps the default");
    validates(&dir);
}

#[test]
fn offers_with_unknown_occupations_or_skills_are_refused() {
    let dir = setup();
    let before = snapshot(&dir);
    lotse(&dir, &["import", "offers", "offers-bad.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "offers-bad.csv:2:4: Spalte „occupation“: „Bäcker (m/w/d)“ ist kein eindeutiger Beruf des Katalogs",
        ))
        .stderr(predicate::str::contains(
            "offers-bad.csv:2:8: Spalte „places“: ein Angebot braucht mindestens einen Platz",
        ))
        .stderr(predicate::str::contains(
            "offers-bad.csv:2:13: Spalte „skills“: „Teig kneten“ ist keine eindeutige Fähigkeit des Katalogs",
        ))
        .stderr(predicate::str::contains(
            "offers-bad.csv:3:1: Spalte „id“: Angebot „dehoga-eq-hotel-mosel“ gibt es schon",
        ))
        .stderr(predicate::str::contains(
            "offers-bad.csv:3:3: Spalte „kind“: „lehre“ ist keine Angebotsart",
        ))
        .stderr(predicate::str::contains(
            "offers-bad.csv:3:9: Spalte „start_date“: den Tag „2016-02-30“ gibt es nicht",
        ))
        .stderr(predicate::str::ends_with("6 Fehler; nichts importiert.\n"));
    assert_eq!(snapshot(&dir), before);
}
