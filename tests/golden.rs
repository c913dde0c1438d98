//! Golden output: shortlists, batch lists, the allocation and matches on a
//! generated folder (fixed seed) are compared, byte for byte, with the
//! files checked in under `tests/golden/`, so that work on speed shows at
//! once if it changed what anybody sees — ids, order, scores, criteria,
//! evidence, flags, gaps, placements, reasons.
//!
//! After a change that is meant to change the output (scoring, the
//! catalogue, `lotse.ron`, the generator), write the files again and
//! review the diff:
//!
//! ```sh
//! LOTSE_BLESS=1 cargo test --test golden
//! ```

mod common;

use common::{lotse, repo};
use lotse::batch::{self, BatchOptions};
use lotse::engine::Engine;
use lotse::generate::{generate, Options};
use lotse::index::ProfileIndex;
use lotse::rank;
use lotse::records::DataDir;
use std::path::{Path, PathBuf};

const PROFILES: usize = 1_500;
const OFFERS: usize = 60;
const SEED: u64 = 12;
/// Candidates per shortlist and results per match: explanations are long,
/// and the golden files stay under a megabyte (the batch lists keep 10).
const TOP: usize = 3;
const MATCH_TOP: usize = 5;
/// Every how many people a match list and a batch list per person are kept.
const PEOPLE_EVERY: usize = 100;

fn golden(name: &str) -> PathBuf {
    repo().join("tests/golden").join(name)
}

/// Compares `actual` with the golden file, or writes it with `LOTSE_BLESS=1`.
fn check(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = golden(name);
    if std::env::var_os("LOTSE_BLESS").is_some_and(|v| v != "0") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden folder");
        std::fs::write(&path, actual).expect("write golden file");
        eprintln!("written: {}", path.display());
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            failures.push(format!("{}: {e}", path.display()));
            return;
        }
    };
    if expected == actual {
        return;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let cut = |l: Option<&&str>| {
        l.map_or("(no line)".to_string(), |l| {
            l.chars().take(400).collect::<String>()
        })
    };
    failures.push(format!(
        "{name}: differs from line {} on ({} lines expected, {} now)\n  expected: {}\n  now:      {}",
        at + 1,
        e.len(),
        a.len(),
        cut(e.get(at)),
        cut(a.get(at)),
    ));
}

fn folder() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data");
    generate(
        &DataDir::new(repo()),
        &out,
        &Options {
            profiles: PROFILES,
            offers: OFFERS,
            seed: SEED,
        },
    )
    .expect("generate");
    (tmp, out)
}

fn json_line(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("json") + "\n"
}

/// The batch lists as `lotse batch --format csv` writes them.
fn lists_csv(result: &batch::Batch, people: &[&str]) -> String {
    let mut s = String::from("list,offer,profile,rank,score,excluded\n");
    let offers = result.offers.iter().map(|l| ("offer", &l.candidates));
    let persons = result
        .people
        .iter()
        .filter(|l| people.contains(&l.profile.as_str()))
        .map(|l| ("person", &l.offers));
    for (kind, pairs) in offers.chain(persons) {
        for (i, c) in pairs.iter().enumerate() {
            s.push_str(&format!(
                "{kind},{},{},{},{:.2},{}\n",
                c.offer,
                c.profile,
                i + 1,
                c.score,
                c.excluded
            ));
        }
    }
    s
}

fn run_binary(dir: &Path, args: &[&str]) -> String {
    let out = lotse(dir).args(args).output().expect("run lotse");
    assert!(
        out.status.success(),
        "lotse {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn output_on_a_generated_folder_equals_the_golden_files() {
    let (_tmp, dir) = folder();
    let data = DataDir::new(&dir);
    let engine = Engine::open(&data, None).expect("engine");
    let index = ProfileIndex::rebuild(&engine, &data.default_index(), None).expect("index");
    let mut failures = Vec::new();

    // Every offer's shortlist, with its explanations (`lotse shortlist --format json`).
    let mut shortlists = String::new();
    for offer in engine.catalogue.offers.iter() {
        let list = rank::shortlist(&engine, &index, &offer.id, TOP).expect("shortlist");
        shortlists.push_str(&json_line(&list));
    }
    check("shortlists.jsonl", &shortlists, &mut failures);

    // Matches of a sample of people (`lotse match --format json`).
    let people: Vec<&str> = index
        .profiles()
        .iter()
        .step_by(PEOPLE_EVERY)
        .map(|p| p.id.as_str())
        .collect();
    let mut matches = String::new();
    for id in &people {
        let p = rank::indexed_profile(&index, id).expect("profile");
        matches.push_str(&json_line(&rank::match_profile(&engine, p, MATCH_TOP)));
    }
    check("matches.jsonl", &matches, &mut failures);

    // The batch lists (per offer; per person for the sample) and the
    // allocation with its summary, empty places, reasons and classes.
    let result = batch::run(
        &engine,
        &index,
        BatchOptions {
            top: 10,
            assign: true,
            per_person: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("batch");
    check("batch.csv", &lists_csv(&result, &people), &mut failures);
    let assignment = serde_json::to_string_pretty(&result.assignment).expect("json") + "\n";
    check("assignment.json", &assignment, &mut failures);

    // The real binary prints the same: the allocation file of SPEC and a
    // shortlist (the index built above is current, so it is reused).
    let csv = run_binary(&dir, &["batch", "--assign", "--format", "csv"]);
    check("assignment.csv", &csv, &mut failures);
    let first = &engine.catalogue.offers[0].id;
    let cli: serde_json::Value = serde_json::from_str(&run_binary(
        &dir,
        &[
            "shortlist",
            "--offer",
            first,
            "--top",
            &TOP.to_string(),
            "--format",
            "json",
        ],
    ))
    .expect("JSON");
    let library: serde_json::Value =
        serde_json::from_str(shortlists.lines().next().expect("a shortlist")).expect("JSON");
    assert_eq!(
        cli, library,
        "lotse shortlist prints the library's shortlist"
    );

    assert!(
        failures.is_empty(),
        "output differs from tests/golden/ (if that is intended: LOTSE_BLESS=1 cargo test --test golden, \
         then review the diff):\n{}",
        failures.join("\n")
    );
}
