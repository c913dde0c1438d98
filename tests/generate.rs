//! `lotse generate`: a synthetic data folder that validates, is the same for
//! the same seed whatever the threads, never overwrites anything, and has
//! the variety it promises.

mod common;

use common::{lotse, repo, run};
use lotse::catalogue::{Occupation, Offer, Skill};
use lotse::permit::{ResidenceStatus, WorkPermit};
use lotse::profile::Profile;
use lotse::records::{self, Record};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const PROFILES: &str = "300";
const OFFERS: &str = "20";

/// Runs `lotse --data <repo> generate …` into `out`; returns (code, stdout, stderr).
fn generate(out: &Path, seed: &str, threads: Option<&str>) -> (i32, String, String) {
    let mut cmd = lotse(&repo());
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let output = cmd
        .args(["generate", "--profiles", PROFILES, "--offers", OFFERS])
        .args(["--seed", seed, "--out"])
        .arg(out)
        .output()
        .expect("run lotse");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Generates into a fresh temporary folder; panics if that fails.
fn generated(seed: &str, threads: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("gen");
    let (code, _, stderr) = generate(&out, seed, threads);
    assert_eq!(code, 0, "generate failed: {stderr}");
    (tmp, out)
}

/// Every file below `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let rel = path.strip_prefix(root).expect("below root").to_path_buf();
                files.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

fn load<T: Record>(dir: &Path) -> Vec<T> {
    let report = records::load_dir::<T>(dir).expect("load");
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    report.records.into_iter().map(|l| l.record).collect()
}

#[test]
fn generated_folder_validates_and_holds_what_was_asked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("gen");
    let (code, stdout, stderr) = generate(&out, "7", None);
    assert_eq!(code, 0, "{stderr}");
    let places: u64 = load::<Offer>(&out.join("occupations/offers"))
        .iter()
        .map(|o| u64::from(o.places))
        .sum();
    assert_eq!(
        stdout.trim(),
        format!(
            "300 Profile und 20 Angebote ({places} Plätze) in {} erzeugt (Seed 7).",
            out.display()
        )
    );

    let (code, stdout, stderr) = run(&out, &["validate"]);
    assert_eq!(code, 0, "generated folder must validate:\n{stderr}");
    assert!(
        stdout.contains("300 Profile") && stdout.contains("20 Angebote"),
        "{stdout}"
    );

    // The catalogue is copied, the source's own offers and profiles are not.
    let source = tree(&repo().join("occupations"));
    let copied = tree(&out.join("occupations"));
    for part in ["skills", "occupations", "training"] {
        let want: Vec<_> = source.iter().filter(|(p, _)| p.starts_with(part)).collect();
        let got: Vec<_> = copied.iter().filter(|(p, _)| p.starts_with(part)).collect();
        assert_eq!(got, want, "occupations/{part} differs from the source");
    }
    for file in ["places.ron", "kldb2010-codes.csv"] {
        assert_eq!(
            copied.get(Path::new(file)),
            source.get(Path::new(file)),
            "{file}"
        );
    }
    assert_eq!(
        std::fs::read(out.join("lotse.ron")).ok(),
        std::fs::read(repo().join("lotse.ron")).ok(),
        "lotse.ron"
    );
    let offers: BTreeSet<String> = std::fs::read_dir(out.join("occupations/offers"))
        .expect("offers")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(offers.len(), 20);
    assert!(offers.contains("GA-000001.ron") && offers.contains("GA-000020.ron"));
    let profiles = load::<Profile>(&out.join("profiles"));
    assert_eq!(profiles.len(), 300);
    assert_eq!(profiles[0].id, "G-0000001");
    assert_eq!(profiles[299].id, "G-0000300");
    // Nothing is left beside the output folder.
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
    assert_eq!(beside.len(), 1, "only the output folder: {beside:?}");
}

#[test]
fn same_seed_gives_identical_files_whatever_the_threads() {
    let (_a, one_thread) = generated("42", Some("1"));
    let (_b, default) = generated("42", None);
    let (_c, four) = generated("42", Some("4"));
    let reference = tree(&one_thread);
    assert!(reference.len() > 320, "{} files", reference.len());
    assert!(
        tree(&default) == reference,
        "default threads differ from one thread"
    );
    assert!(
        tree(&four) == reference,
        "four threads differ from one thread"
    );
}

#[test]
fn different_seeds_give_different_people_and_offers() {
    let (_a, a) = generated("1", None);
    let (_b, b) = generated("2", None);
    let (ta, tb) = (tree(&a), tree(&b));
    let differ = |folder: &str| {
        ta.iter()
            .filter(|(p, _)| p.starts_with(folder))
            .filter(|(p, bytes)| tb.get(*p) != Some(*bytes))
            .count()
    };
    assert!(differ("profiles") > 290, "{}", differ("profiles"));
    assert!(
        differ("occupations/offers") > 15,
        "{}",
        differ("occupations/offers")
    );
    // The catalogue is the same.
    assert_eq!(differ("occupations/skills"), 0);
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("full");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("keep.txt"), "wichtig").expect("write");
    let (code, stdout, stderr) = generate(&out, "1", None);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("nicht leer"), "{stderr}");
    assert_eq!(
        tree(&out),
        BTreeMap::from([(PathBuf::from("keep.txt"), b"wichtig".to_vec())])
    );
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
    assert_eq!(beside.len(), 1, "nothing beside: {beside:?}");

    // A file is refused too; an empty folder is fine.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").expect("write");
    assert_eq!(generate(&file, "1", None).0, 1);
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    assert_eq!(generate(&empty, "1", None).0, 0);
    assert!(empty.join("profiles/G-0000300.ron").is_file());
}

#[test]
fn a_failed_run_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let no_catalogue = tmp.path().join("leer");
    std::fs::create_dir(&no_catalogue).expect("mkdir");
    let out = tmp.path().join("gen");
    let output = lotse(&no_catalogue)
        .args(["generate", "--profiles", "5", "--offers", "1", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
    assert_eq!(beside.len(), 1, "only the empty data folder: {beside:?}");
}

#[test]
fn the_people_are_as_varied_as_promised() {
    let (_tmp, out) = generated("3", None);
    let profiles = load::<Profile>(&out.join("profiles"));
    let n = profiles.len();

    let statuses: BTreeSet<_> = profiles
        .iter()
        .filter_map(|p| p.permits.as_ref()?.residence_status)
        .map(|s| s.csv_name())
        .collect();
    let all: BTreeSet<_> = ResidenceStatus::ALL.iter().map(|s| s.csv_name()).collect();
    assert_eq!(statuses, all, "every residence status");
    let permits: BTreeSet<_> = profiles
        .iter()
        .filter_map(|p| p.permits.as_ref()?.work_permit)
        .map(|s| s.csv_name())
        .collect();
    let all: BTreeSet<_> = WorkPermit::ALL.iter().map(|s| s.csv_name()).collect();
    assert_eq!(permits, all, "every work permit");

    let share = |f: &dyn Fn(&Profile) -> bool| profiles.iter().filter(|p| f(p)).count() * 100 / n;
    let no_experience = share(&|p| p.work_experience.is_empty());
    assert!(
        (20..=45).contains(&no_experience),
        "{no_experience} % without work experience"
    );
    let with_competences = share(&|p| p.competences.is_some());
    assert!(
        (35..=65).contains(&with_competences),
        "{with_competences} % with a Kompetenzprofil"
    );
    let identity_only =
        share(&|p| p.permits.is_none() && p.languages.is_none() && p.residence.is_none());
    assert!(
        (1..=12).contains(&identity_only),
        "{identity_only} % with identity only"
    );
    assert!(profiles
        .iter()
        .any(|p| p.german() == Some(lotse::cefr::Cefr::Keine)));
    assert!(profiles
        .iter()
        .any(|p| p.languages.is_some() && p.german().is_none()));
    assert!(profiles.iter().any(|p| !p.driving_licences().is_empty()));
    let names: BTreeSet<_> = profiles.iter().map(|p| &p.identity.family_name).collect();
    assert!(names.len() > 60, "{} family names", names.len());

    // Written terms: some exactly as in the catalogue, some foreign, some
    // changed (typos, umlauts, case, "(m/w/d)", paraphrases).
    let occupations = load::<Occupation>(&out.join("occupations/occupations"));
    let skills = load::<Skill>(&out.join("occupations/skills"));
    let foreign: BTreeSet<&str> = occupations
        .iter()
        .flat_map(|o| &o.foreign)
        .chain(skills.iter().flat_map(|s| &s.foreign))
        .map(String::as_str)
        .collect();
    let german: BTreeSet<&str> = occupations
        .iter()
        .flat_map(|o| o.forms.iter().chain(&o.synonyms))
        .chain(
            skills
                .iter()
                .flat_map(|s| std::iter::once(&s.label).chain(&s.synonyms)),
        )
        .map(String::as_str)
        .collect();
    let written: Vec<&str> = profiles
        .iter()
        .flat_map(|p| {
            p.work_experience
                .iter()
                .map(|w| w.activity.as_str())
                .chain(p.vocational_training.iter().map(|t| t.occupation.as_str()))
        })
        .collect();
    let count = |f: &dyn Fn(&str) -> bool| written.iter().filter(|w| f(w)).count();
    let exact = count(&|w| german.contains(w));
    let in_foreign = count(&|w| foreign.contains(w));
    let changed = count(&|w| !german.contains(w) && !foreign.contains(w));
    let umlauts =
        count(&|w| ["ae", "oe", "ue"].iter().any(|d| w.contains(d)) && !german.contains(w));
    let lower =
        count(&|w| w.chars().next().is_some_and(char::is_lowercase) && !foreign.contains(w));
    assert!(
        exact > 20 && in_foreign > 10 && changed > 40 && lower > 5,
        "exact {exact}, foreign {in_foreign}, changed {changed}, lower case {lower} of {}",
        written.len()
    );
    assert!(umlauts > 0 || !german.iter().any(|g| g.contains(['ä', 'ö', 'ü'])));
    // Every profile's written text is non-empty.
    assert!(written.iter().all(|w| !w.trim().is_empty()));

    let offers = load::<Offer>(&out.join("occupations/offers"));
    assert!(offers.iter().all(|o| (1..=10).contains(&o.places)));
    let years: BTreeSet<i32> = offers
        .iter()
        .map(|o| chrono::Datelike::year(&o.start_date))
        .collect();
    assert!(years.iter().all(|y| (2016..=2027).contains(y)), "{years:?}");
}
