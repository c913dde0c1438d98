//! `lotse generate --format csv`: the people and offers of the folder
//! generator as import CSV files, which `lotse import` reads back into the
//! same records (less what the format has no column for), and which carry
//! what the peer script of the benchmarks reads.

mod common;

use common::{lotse, repo, run};
use lotse::catalogue::{Importance, Offer};
use lotse::profile::{Kompetenzprofil, Profile, SkillEntry, SkillSource};
use lotse::records::{self, Record};
use std::path::{Path, PathBuf};

const PROFILES: &str = "300";
const OFFERS: &str = "25";
const SEED: &str = "11";

/// Runs `lotse --data <repo> generate … --out <out> [--format F]`; panics on failure.
fn generate(out: &Path, format: Option<&str>, threads: Option<&str>) -> String {
    let mut cmd = lotse(&repo());
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    cmd.args(["generate", "--profiles", PROFILES, "--offers", OFFERS])
        .args(["--seed", SEED, "--out"])
        .arg(out);
    if let Some(f) = format {
        cmd.args(["--format", f]);
    }
    let output = cmd.output().expect("run lotse");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "generate failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn load<T: Record>(dir: &Path) -> Vec<T> {
    let report = records::load_dir::<T>(dir).expect("load");
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    report.records.into_iter().map(|l| l.record).collect()
}

/// What `lotse import profiles` makes of a profile written to the CSV: the
/// record with everything the format has no column for left out.
fn as_imported(mut p: Profile) -> Profile {
    let id = &mut p.identity;
    id.gender = None;
    id.country_of_origin = None;
    id.arrival = None;
    p.intake = None;
    p.permits = p.permits.and_then(|mut x| {
        x.valid_until = None;
        (x.residence_status.is_some() || x.work_permit.is_some()).then_some(x)
    });
    p.residence = p.residence.and_then(|mut r| {
        r.coordinates = None;
        (r.postcode.is_some() || r.municipality.is_some()).then_some(r)
    });
    p.mobility = p.mobility.and_then(|mut m| {
        m.car = None;
        m.driving_licences.sort();
        m.driving_licences.dedup();
        (m.commute_km.is_some() || !m.driving_licences.is_empty()).then_some(m)
    });
    p.languages = p.languages.and_then(|mut l| {
        l.integration_course = None;
        let any = l.german.is_some()
            || l.literate_latin.is_some()
            || !l.mother_tongues.is_empty()
            || !l.other.is_empty();
        any.then_some(l)
    });
    p.schooling = p.schooling.and_then(|mut s| {
        s.country = None;
        s.documents = None;
        s.recognition = None;
        (s.years.is_some() || s.certificate.is_some()).then_some(s)
    });
    for t in &mut p.vocational_training {
        t.completed = None;
        t.certificate = None;
        t.country = None;
    }
    p.higher_education.clear();
    for w in &mut p.work_experience {
        w.country = None;
        w.sector = None;
        w.self_employed = None;
    }
    p.restrictions = None;
    p.availability = p.availability.and_then(|mut a| {
        a.hours = None;
        a.from.is_some().then_some(a)
    });
    p.consent = None;
    p.competences = p.competences.and_then(|k| {
        let skills: Vec<SkillEntry> = k
            .skills
            .into_iter()
            .map(|s| SkillEntry {
                written: s.written,
                level: None,
                source: SkillSource::SelfReported,
            })
            .collect();
        (!skills.is_empty()).then(|| Kompetenzprofil {
            date: None,
            skills,
            ratings: Default::default(),
            strengths: None,
            recommendation: None,
        })
    });
    p
}

/// What `lotse import offers` makes of an offer written to the CSV.
fn offer_as_imported(mut o: Offer) -> Offer {
    o.coordinates = None;
    o.programme = None;
    o.vocational_school = None;
    o.required_licences.sort();
    o.required_licences.dedup();
    for s in &mut o.skills {
        s.importance = Importance::Important;
        s.level = None;
    }
    o
}

/// A fresh data folder with the bundled catalogue and no records.
fn fresh_data_folder(tmp: &Path) -> PathBuf {
    let data = tmp.join("data");
    let output = lotse(&repo())
        .args(["generate", "--profiles", "0", "--offers", "0", "--out"])
        .arg(&data)
        .output()
        .expect("run lotse");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(load::<Profile>(&data.join("profiles")).is_empty());
    data
}

#[test]
fn csv_files_import_as_the_folder_generators_records() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let folder = tmp.path().join("folder");
    let csv = tmp.path().join("csv");
    generate(&folder, None, None);
    let stdout = generate(&csv, Some("csv"), None);
    let profiles_csv = csv.join("profiles.csv");
    let offers_csv = csv.join("offers.csv");
    let places: u64 = load::<Offer>(&folder.join("occupations/offers"))
        .iter()
        .map(|o| u64::from(o.places))
        .sum();
    assert_eq!(
        stdout.trim(),
        format!(
            "300 Profile und 25 Angebote ({places} Plätze) als Importdateien erzeugt (Seed 11): {} und {}",
            profiles_csv.display(),
            offers_csv.display()
        )
    );
    let mut names: Vec<String> = std::fs::read_dir(&csv)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["offers.csv", "profiles.csv"]);

    let data = fresh_data_folder(tmp.path());
    let (code, stdout, stderr) = run(
        &data,
        &[
            "import",
            "profiles",
            profiles_csv.to_str().expect("utf-8 path"),
            "--allow-duplicates",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("300 Profile importiert."), "{stdout}");
    let (code, stdout, stderr) = run(
        &data,
        &["import", "offers", offers_csv.to_str().expect("utf-8 path")],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("25 Angebote importiert."), "{stdout}");

    let expected: Vec<Profile> = load::<Profile>(&folder.join("profiles"))
        .into_iter()
        .map(as_imported)
        .collect();
    let imported = load::<Profile>(&data.join("profiles"));
    assert_eq!(imported.len(), expected.len());
    for (got, want) in imported.iter().zip(&expected) {
        assert_eq!(got, want, "profile {}", want.id);
    }
    // The round trip carries something in every column.
    assert!(imported.iter().any(|p| !p.work_experience.is_empty()));
    assert!(imported.iter().any(|p| p
        .work_experience
        .iter()
        .any(|w| w.years.is_some_and(|y| y.fract() != 0.0))));
    assert!(imported.iter().any(|p| p.competences.is_some()));
    assert!(imported.iter().any(|p| !p.driving_licences().is_empty()));

    let expected: Vec<Offer> = load::<Offer>(&folder.join("occupations/offers"))
        .into_iter()
        .map(offer_as_imported)
        .collect();
    let imported = load::<Offer>(&data.join("occupations/offers"));
    assert_eq!(imported, expected);

    // The imported folder is a valid data folder.
    let (code, stdout, stderr) = run(&data, &["validate"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// The cells of a `;` file with BOM, as the peer's `csv.DictReader` reads them.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).expect("read");
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_files_carry_the_columns_the_peer_reads_and_are_the_same_whatever_the_threads() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let one = tmp.path().join("one");
    let four = tmp.path().join("four");
    generate(&one, Some("csv"), Some("1"));
    generate(&four, Some("csv"), Some("4"));
    for file in ["profiles.csv", "offers.csv"] {
        assert!(
            std::fs::read(one.join(file)).expect("read")
                == std::fs::read(four.join(file)).expect("read"),
            "{file} differs between one and four threads"
        );
    }

    let (header, rows) = table(&one.join("profiles.csv"));
    assert_eq!(rows.len(), 300);
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (experience, skills, german, permit) = (
        column("work_experience"),
        column("skills"),
        column("german_level"),
        column("work_permit"),
    );
    for row in &rows {
        assert_eq!(row.len(), header.len());
        for item in row[experience].split('|').filter(|s| !s.is_empty()) {
            let (title, years) = item.rsplit_once(':').unwrap_or((item, ""));
            assert!(!title.is_empty(), "{item:?}");
            assert!(
                years.is_empty() || years.replace(',', ".").parse::<f32>().is_ok(),
                "{item:?}"
            );
        }
        assert!(
            ["", "keine", "A1", "A2", "B1", "B2", "C1", "C2"].contains(&row[german].as_str()),
            "{}",
            row[german]
        );
        assert!(
            ["", "ja", "zustimmung", "nein", "unbekannt"].contains(&row[permit].as_str()),
            "{}",
            row[permit]
        );
    }
    assert!(rows.iter().any(|r| r[experience].contains('|')));
    assert!(rows.iter().any(|r| r[skills].contains('|')));

    let (header, rows) = table(&one.join("offers.csv"));
    assert_eq!(rows.len(), 25);
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (occupation, min_german, places) =
        (column("occupation"), column("min_german"), column("places"));
    for row in &rows {
        assert!(!row[occupation].is_empty());
        assert!(
            ["", "keine", "A1", "A2", "B1", "B2", "C1", "C2"].contains(&row[min_german].as_str())
        );
        assert!(row[places].parse::<u32>().is_ok_and(|n| n >= 1));
    }
}

#[test]
fn csv_output_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("full");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("profiles.csv"), "alt").expect("write");
    let output = lotse(&repo())
        .args([
            "generate",
            "--profiles",
            "3",
            "--offers",
            "1",
            "--format",
            "csv",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nicht leer"));
    assert_eq!(
        std::fs::read(out.join("profiles.csv")).expect("read"),
        b"alt"
    );
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
    assert_eq!(beside.len(), 1, "nothing beside: {beside:?}");
}
