//! The formats advisors and county IT live in: Excel workbooks in and out,
//! the Bundesagentur's JSON, probable duplicates. Run as the real binary on
//! a copy of the bundled data folder.

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use lotse::catalogue::{Offer, OfferKind, TrainingOffer};
use lotse::profile::Profile;
use lotse::records::load_file;
use predicates::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;
use tempfile::TempDir;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary folder holding a copy of the bundled data as `data/`.
fn setup() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for part in ["profiles", "occupations"] {
        copy_dir(&Path::new(ROOT).join(part), &data.join(part));
    }
    std::fs::copy(Path::new(ROOT).join("lotse.ron"), data.join("lotse.ron")).unwrap();
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

fn lotse(dir: &TempDir, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("lotse").unwrap();
    cmd.current_dir(dir.path())
        .args(["--data", "data"])
        .args(args);
    cmd
}

/// A workbook as Excel or openpyxl writes one: German headers, numbers as
/// numbers, a real date cell and a date typed as TT.MM.JJJJ text.
fn write_profiles_xlsx(path: &Path, birth_year: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (col, name) in [
        "Kennung",
        "Vorname",
        "Nachname",
        "Geburtsjahr",
        "PLZ",
        "Wohnort",
        "Deutsch",
        "Sprachen",
        "Berufserfahrung",
        "Verfügbar ab",
        "Kundennummer",
        "Beraterin",
        "Gesprächsdatum",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, col as u16, *name).unwrap();
    }
    ws.write_string(1, 0, "P-9001").unwrap();
    ws.write_string(1, 1, "Leyla").unwrap();
    ws.write_string(1, 2, "Osmanova").unwrap();
    match birth_year.parse::<f64>() {
        Ok(n) => ws.write_number(1, 3, n).unwrap(),
        Err(_) => ws.write_string(1, 3, birth_year).unwrap(),
    };
    ws.write_string(1, 4, "56068").unwrap();
    ws.write_string(1, 5, "Koblenz").unwrap();
    ws.write_string(1, 6, "A2").unwrap();
    ws.write_string(1, 7, "ku:native|tr:B2").unwrap();
    ws.write_string(1, 8, "Näherin:6").unwrap();
    ws.write_date_with_format(1, 9, ExcelDateTime::from_ymd(2027, 3, 1).unwrap(), &date)
        .unwrap();
    ws.write_string(1, 10, "123D456789").unwrap();
    ws.write_string(1, 11, "B. Beispiel").unwrap();
    ws.write_string(1, 12, "01.03.2016").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn an_excel_workbook_with_german_headers_and_dates_imports() {
    let dir = setup();
    let file = dir.path().join("profile.xlsx");
    write_profiles_xlsx(&file, "1990");
    lotse(&dir, &["import", "profiles", "profile.xlsx"])
        .assert()
        .success()
        .stdout("1 Profil importiert.\n");
    let p: Profile = load_file(&dir.path().join("data/profiles/P-9001.ron")).unwrap();
    assert_eq!(p.identity.birth_year, Some(1990));
    assert_eq!(
        p.availability.unwrap().from,
        chrono::NaiveDate::from_ymd_opt(2027, 3, 1)
    );
    let intake = p.intake.unwrap();
    assert_eq!(intake.customer_number.as_deref(), Some("123D456789"));
    assert_eq!(intake.advisor.as_deref(), Some("B. Beispiel"));
    assert_eq!(intake.date, chrono::NaiveDate::from_ymd_opt(2016, 3, 1));
    assert_eq!(p.residence.unwrap().postcode.as_deref(), Some("56068"));
}

#[test]
fn a_bad_cell_of_a_workbook_names_row_and_german_column() {
    let dir = setup();
    write_profiles_xlsx(&dir.path().join("profile.xlsx"), "neunzehn");
    lotse(&dir, &["import", "profiles", "profile.xlsx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profile.xlsx:2:4: Spalte „Geburtsjahr“: „neunzehn“ ist keine ganze Zahl",
        ));
    assert!(!dir.path().join("data/profiles/P-9001.ron").exists());
}

#[test]
fn templates_hold_german_headers_and_allowed_values() {
    let dir = setup();
    lotse(&dir, &["import", "--template", "profiles.xlsx"])
        .assert()
        .success();
    let mut wb: Xlsx<_> = calamine::open_workbook(dir.path().join("profiles.xlsx")).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(Data::to_string)
        .collect();
    assert_eq!(&header[..3], ["Kennung", "Vorname", "Nachname"]);
    assert!(header.contains(&"Gesprächsdatum".to_string()));
    let help = wb.worksheet_range("Erlaubte Werte").unwrap();
    let text: Vec<String> = help
        .rows()
        .flat_map(|r| r.iter().map(Data::to_string))
        .collect();
    assert!(
        text.iter().any(|t| t.contains("gestattung, duldung")),
        "{text:?}"
    );
    // The empty template is itself a valid (empty) import.
    lotse(&dir, &["import", "profiles", "profiles.xlsx"])
        .assert()
        .success()
        .stdout("0 Profile importiert.\n");
    lotse(&dir, &["import", "--template", "liste.xlsx"])
        .assert()
        .code(2);
}

#[test]
fn a_copy_of_a_person_on_file_is_refused_naming_the_original() {
    let dir = setup();
    let original: Profile = load_file(&dir.path().join("data/profiles/P-0001.ron")).unwrap();
    let i = &original.identity;
    let csv = format!(
        "Kennung;Vorname;Nachname;Geburtsjahr;PLZ\nP-9100;{};{};{};{}\n",
        i.given_name.to_uppercase(),
        i.family_name,
        i.birth_year.unwrap(),
        original
            .residence
            .as_ref()
            .unwrap()
            .postcode
            .as_deref()
            .unwrap()
    );
    std::fs::write(dir.path().join("copy.csv"), csv).unwrap();
    lotse(&dir, &["import", "profiles", "copy.csv"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("copy.csv:2:1: „P-9100“")
                .and(predicate::str::contains("dieselbe Person wie „P-0001“")),
        );
    assert!(!dir.path().join("data/profiles/P-9100.ron").exists());
    lotse(
        &dir,
        &["import", "profiles", "copy.csv", "--allow-duplicates"],
    )
    .assert()
    .success();
    lotse(&dir, &["duplicates"])
        .assert()
        .success()
        .stdout(predicate::str::contains("P-0001 (").and(predicate::str::contains("und P-9100 (")));
}

#[test]
fn the_bas_job_search_and_course_search_import_and_shortlist() {
    let dir = setup();
    let ba = Path::new(ROOT).join("tests/data/ba");
    for file in ["jobsuche.json", "jobdetails.json"] {
        lotse(&dir, &["import", "offers", ba.join(file).to_str().unwrap()])
            .assert()
            .success();
    }
    let offer: Offer = load_file(
        &dir.path()
            .join("data/occupations/offers/10000-1200000002-S.ron"),
    )
    .unwrap();
    assert_eq!(offer.occupation, "fachkraft-lagerlogistik");
    assert_eq!(
        offer.postcode.as_deref(),
        Some("56727"),
        "a numeric plz keeps five digits"
    );
    let details: Offer = load_file(
        &dir.path()
            .join("data/occupations/offers/10000-1200000003-S.ron"),
    )
    .unwrap();
    assert_eq!(details.kind, OfferKind::Ausbildung);
    assert_eq!(details.occupation, "baecker");
    assert_eq!(details.places, 2);
    lotse(&dir, &["shortlist", "--offer", "10000-1200000001-S"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Hotel am Deutschen Eck"));
    lotse(
        &dir,
        &[
            "import",
            "training",
            ba.join("weiterbildungssuche.json").to_str().unwrap(),
        ],
    )
    .assert()
    .success()
    .stdout("2 Kurse importiert.\n");
    let course: TrainingOffer = load_file(
        &dir.path()
            .join("data/occupations/training/WB-900000001.ron"),
    )
    .unwrap();
    assert_eq!(course.provides, ["gabelstapler-fahren"]);
    assert_eq!(
        course.start_date,
        chrono::NaiveDate::from_ymd_opt(2027, 3, 8)
    );
    assert_eq!(course.duration_weeks, 1);
    assert_eq!(course.municipality.as_deref(), Some("Koblenz"));
    lotse(&dir, &["validate"]).assert().success();
}

#[test]
fn bad_json_is_placed_by_line_and_column() {
    let dir = setup();
    std::fs::write(
        dir.path().join("bad.json"),
        "{\n  \"stellenangebote\": [\n    {\"refnr\": \"1-S\", \"titel\": 5}\n  ]\n}\n",
    )
    .unwrap();
    lotse(&dir, &["import", "offers", "bad.json"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad.json:3:").and(predicate::str::contains(
                "JSON nicht im Format der Bundesagentur",
            )),
        );
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"stellenangebote\": [\n",
    )
    .unwrap();
    lotse(&dir, &["import", "offers", "broken.json"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("broken.json:3:")
                .and(predicate::str::contains("kein gültiges JSON")),
        );
    std::fs::write(
        dir.path().join("unknown.json"),
        "{\"stellenangebote\": [{\"refnr\": \"2-S\", \"beruf\": \"Astronaut/in\"}]}",
    )
    .unwrap();
    lotse(&dir, &["import", "offers", "unknown.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown.json:1:23: Stelle 2-S: kein Beruf",
        ));
}

fn sheet_rows(path: &Path, sheet: usize) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range_at(sheet).unwrap().unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn xlsx_output_holds_german_headers_names_and_numbers() {
    let dir = setup();
    lotse(
        &dir,
        &[
            "shortlist",
            "--offer",
            "koch-stelle-betriebsrestaurant-koblenz",
            "--format",
            "xlsx",
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("--format xlsx braucht --out"));
    lotse(
        &dir,
        &[
            "shortlist",
            "--offer",
            "koch-stelle-betriebsrestaurant-koblenz",
            "--format",
            "xlsx",
            "--out",
            "k.xlsx",
        ],
    )
    .assert()
    .success();
    let rows = sheet_rows(&dir.path().join("k.xlsx"), 0);
    let header: Vec<String> = rows[0].iter().map(Data::to_string).collect();
    assert_eq!(
        &header[..5],
        ["Angebot", "Titel", "Arbeitgeber", "Ort", "Beginn"]
    );
    let name = header.iter().position(|h| h == "Name").unwrap();
    let score = header.iter().position(|h| h == "Punkte").unwrap();
    assert!(matches!(rows[1][4], Data::DateTime(_)), "{:?}", rows[1][4]);
    assert!(
        matches!(rows[1][score], Data::Float(_)),
        "{:?}",
        rows[1][score]
    );
    let names: Vec<String> = rows[1..].iter().map(|r| r[name].to_string()).collect();
    assert!(names.iter().all(|n| !n.is_empty()), "{names:?}");

    lotse(
        &dir,
        &[
            "match",
            "--profile",
            "P-0001",
            "--format",
            "xlsx",
            "--out",
            "m.xlsx",
        ],
    )
    .assert()
    .success();
    let rows = sheet_rows(&dir.path().join("m.xlsx"), 0);
    assert_eq!(rows[0][1].to_string(), "Name");
    assert!(rows[1][1].to_string().contains("Haddad"), "{:?}", rows[1]);

    lotse(
        &dir,
        &["batch", "--assign", "--format", "xlsx", "--out", "b.xlsx"],
    )
    .assert()
    .success();
    let rows = sheet_rows(&dir.path().join("b.xlsx"), 0);
    let header: Vec<String> = rows[0].iter().map(Data::to_string).collect();
    assert_eq!(
        header,
        [
            "Angebot",
            "Titel",
            "Arbeitgeber",
            "Ort",
            "Beginn",
            "Profil",
            "Name",
            "Punkte"
        ]
    );
    assert!(rows.len() > 1 && rows[1..].iter().all(|r| !r[6].to_string().is_empty()));
    // CSV keeps the machine layout.
    lotse(&dir, &["batch", "--assign", "--out", "b.csv"])
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("b.csv")).unwrap();
    assert!(csv.starts_with("offer,profile,score\n"));
}

#[test]
fn offers_are_listed_and_unknown_ids_get_suggestions() {
    let dir = setup();
    lotse(&dir, &["offers", "koblenz", "koch"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("koch-stelle-betriebsrestaurant-koblenz")
                .and(predicate::str::contains("1 Platz "))
                .and(predicate::str::contains("15.01.2026"))
                .and(predicate::str::contains("1 Angebot\n")),
        );
    lotse(&dir, &["shortlist", "--offer", "koch-stelle-betriebsrestaurant-koblen"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Angebot „koch-stelle-betriebsrestaurant-koblen“ gibt es nicht. Meinten Sie „koch-stelle-betriebsrestaurant-koblenz“?",
        ));
    lotse(&dir, &["match", "--profile", "P-001"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Meinten Sie „P-0001“"));
    lotse(&dir, &["shortlst"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Fehler: unbekannter Befehl"));
    lotse(
        &dir,
        &[
            "shortlist",
            "--offer",
            "koch-stelle-betriebsrestaurant-koblenz",
            "--top",
            "3",
        ],
    )
    .assert()
    .success()
    .stdout(
        predicate::str::contains("1 Platz, Beginn 15.01.2026")
            .and(predicate::str::is_match(r"\d,\d  Fähigkeiten \d+,\d").unwrap()),
    );
}

#[test]
fn an_offers_workbook_with_german_headers_imports() {
    let dir = setup();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (col, name) in [
        "Kennung",
        "Titel",
        "Art",
        "Beruf",
        "Arbeitgeber",
        "PLZ",
        "Ort",
        "Plätze",
        "Beginn",
        "Deutsch mindestens",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, col as u16, *name).unwrap();
    }
    for (row, (id, start)) in [("O-9001", None), ("O-9002", Some("01.09.2027"))]
        .iter()
        .enumerate()
    {
        let r = row as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, "Küchenhilfe (m/w/d)").unwrap();
        ws.write_string(r, 2, "job").unwrap();
        ws.write_string(r, 3, "Küchenhelfer/in").unwrap();
        ws.write_string(r, 4, "Kantine am Rhein (synthetisch)")
            .unwrap();
        ws.write_string(r, 5, "56068").unwrap();
        ws.write_string(r, 6, "Koblenz").unwrap();
        ws.write_number(r, 7, 2.0).unwrap();
        match start {
            Some(text) => ws.write_string(r, 8, *text).unwrap(),
            None => ws
                .write_date_with_format(r, 8, ExcelDateTime::from_ymd(2027, 3, 1).unwrap(), &date)
                .unwrap(),
        };
        ws.write_string(r, 9, "A2").unwrap();
    }
    wb.save(dir.path().join("angebote.xlsx")).unwrap();
    lotse(&dir, &["import", "offers", "angebote.xlsx"])
        .assert()
        .success()
        .stdout("2 Angebote importiert.\n");
    let first: Offer = load_file(&dir.path().join("data/occupations/offers/O-9001.ron")).unwrap();
    assert_eq!(first.places, 2);
    assert_eq!(first.occupation, "kuechenhilfe");
    assert_eq!(
        first.start_date,
        chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
    );
    let second: Offer = load_file(&dir.path().join("data/occupations/offers/O-9002.ron")).unwrap();
    assert_eq!(
        second.start_date,
        chrono::NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()
    );
}

#[test]
fn courses_are_the_nearest_open_ones() {
    let dir = setup();
    let out = lotse(
        &dir,
        &[
            "match",
            "--profile",
            "P-0004",
            "--format",
            "json",
            "--top",
            // Occupation groups of the whole KldB share the list with the offers.
            "40",
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let training = |id: &str| -> Vec<String> {
        m["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} among the results"))["training"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    // A person in Koblenz, an EQ starting 01.02.2016: both Integrationskurse
    // are open (Koblenz since 11.01.2016 with late entry), the Koblenz one is nearer.
    let eq = training("dehoga-eq-landgasthof-mayen");
    assert!(
        eq.contains(&"integrationskurs-vhs-koblenz".to_string()),
        "{eq:?}"
    );
    assert!(
        !eq.contains(&"integrationskurs-kvhs-mayen".to_string()),
        "{eq:?}"
    );
    // A job starting 15.01.2026: the Koblenz course ended in 2016.
    let job = training("koch-stelle-betriebsrestaurant-koblenz");
    assert!(
        !job.contains(&"integrationskurs-vhs-koblenz".to_string()),
        "{job:?}"
    );
}
