//! `lotse batch`: the allocation is the exact optimum (checked against brute
//! force on small generated folders), keeps its invariants, and the output is
//! identical across runs and thread counts.

mod common;

use common::{lotse, repo, run};
use lotse::batch::{self, BatchOptions};
use lotse::engine::Engine;
use lotse::index::ProfileIndex;
use lotse::records::DataDir;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A generated data folder (via the real binary) in a temporary folder.
fn generated(profiles: usize, offers: usize, seed: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data");
    let (code, _, stderr) = run(
        &repo(),
        &[
            "generate",
            "--profiles",
            &profiles.to_string(),
            "--offers",
            &offers.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            &out.to_string_lossy(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    (tmp, out)
}

fn open(dir: &Path) -> (Engine, ProfileIndex) {
    let data = DataDir::new(dir);
    let engine = Engine::open(&data, None).expect("engine");
    let index = ProfileIndex::rebuild(&engine, &data.default_index(), None).expect("index");
    (engine, index)
}

/// The offers' places and school classes of a run.
struct Limits {
    capacities: Vec<u32>,
    /// Class of each offer.
    class_of: Vec<Option<u32>>,
    /// Seats of each class.
    seats: Vec<u32>,
}

/// The best total weight by trying every assignment of people to an offer
/// or to none, within the offers' places and the classes' seats (only
/// admissible pairs).
fn brute_force(limits: &Limits, weights: &[Vec<Option<i64>>]) -> i64 {
    fn go(
        p: usize,
        used: &mut Vec<u32>,
        seated: &mut Vec<u32>,
        l: &Limits,
        w: &[Vec<Option<i64>>],
    ) -> i64 {
        if p == w.len() {
            return 0;
        }
        let mut best = go(p + 1, used, seated, l, w);
        for (o, weight) in w[p].iter().enumerate() {
            if let Some(weight) = weight {
                let class = l.class_of[o].map(|k| k as usize);
                let seat_free = class.is_none_or(|k| seated[k] < l.seats[k]);
                if used[o] < l.capacities[o] && seat_free {
                    used[o] += 1;
                    if let Some(k) = class {
                        seated[k] += 1;
                    }
                    best = best.max(weight + go(p + 1, used, seated, l, w));
                    used[o] -= 1;
                    if let Some(k) = class {
                        seated[k] -= 1;
                    }
                }
            }
        }
        best
    }
    go(
        0,
        &mut vec![0; limits.capacities.len()],
        &mut vec![0; limits.seats.len()],
        limits,
        weights,
    )
}

#[test]
fn assignment_equals_the_brute_force_optimum_and_keeps_its_invariants() {
    let mut contested = 0;
    // Reach and start dates exclude many pairs of such small folders: more
    // seeds than instances needed.
    for seed in 1..=36u64 {
        let (_tmp, dir) = generated(9, 3, seed);
        let (engine, index) = open(&dir);
        let result = batch::run(
            &engine,
            &index,
            BatchOptions {
                top: 50,
                assign: true,
                per_person: false,
                ..Default::default()
            },
            &|_| {},
        )
        .expect("batch");
        let assignment = result.assignment.expect("assignment");

        // Admissible pairs and their weights, from the scorer itself.
        let targets: Vec<_> = engine.offers.iter().flatten().collect();
        let scorer = engine.scorer();
        let weights: Vec<Vec<Option<i64>>> = index
            .profiles()
            .iter()
            .map(|p| {
                targets
                    .iter()
                    .map(|t| {
                        let q = scorer.quick(p, t);
                        let w = (q.score * 100.0).round() as i64;
                        (!q.excluded && q.relevant && w >= 1).then_some(w)
                    })
                    .collect()
            })
            .collect();
        let selected = batch::selected_offers(&engine, None).expect("offers");
        let (class_of, classes) = batch::school_classes(&engine, &selected);
        let limits = Limits {
            capacities: targets.iter().map(|t| t.places).collect(),
            class_of,
            seats: classes
                .iter()
                .map(|&(s, c)| engine.catalogue.schools[s].classes[c].capacity)
                .collect(),
        };
        let optimum = brute_force(&limits, &weights);
        let total: i64 = assignment
            .placements
            .iter()
            .map(|p| (p.score * 100.0).round() as i64)
            .sum();
        assert_eq!(total, optimum, "seed {seed}: allocation is not optimal");
        let admissible = weights.iter().flatten().flatten().count();
        if admissible > assignment.placements.len() && !assignment.placements.is_empty() {
            contested += 1;
        }

        // Invariants: capacity, one place per person, only admissible pairs.
        let mut per_offer: BTreeMap<&str, u32> = BTreeMap::new();
        let mut people = BTreeSet::new();
        for p in &assignment.placements {
            *per_offer.entry(&p.offer).or_default() += 1;
            assert!(
                people.insert(p.profile.clone()),
                "seed {seed}: {} placed twice",
                p.profile
            );
            let o = targets.iter().position(|t| t.id == p.offer).expect("offer");
            let person = index.profile(&p.profile).expect("profile");
            let q = scorer.quick(person, targets[o]);
            assert!(
                !q.excluded && q.relevant,
                "seed {seed}: inadmissible pair {p:?}"
            );
        }
        for t in &targets {
            assert!(
                per_offer.get(t.id.as_str()).copied().unwrap_or(0) <= t.places,
                "seed {seed}: {} overfilled",
                t.id
            );
        }
        for c in &assignment.classes {
            assert!(
                c.taken <= c.capacity,
                "seed {seed}: class over capacity: {c:?}"
            );
        }
    }
    // The instances must be worth checking: people placed, with choices left out.
    assert!(
        contested >= 8,
        "only {contested} of 36 instances had a real choice"
    );
}

#[test]
fn batch_output_is_identical_across_runs_and_thread_counts() {
    let (_tmp, dir) = generated(400, 25, 5);
    let mut outputs = Vec::new();
    for (threads, name) in [(None, "a"), (Some("1"), "b"), (Some("2"), "c"), (None, "d")] {
        for (flag, ext) in [(true, "csv"), (false, "json")] {
            let out = dir.join(format!("{name}.{ext}"));
            let mut cmd = lotse(&dir);
            if let Some(n) = threads {
                cmd.env("RAYON_NUM_THREADS", n);
            }
            cmd.arg("batch").arg("--out").arg(&out);
            if flag {
                cmd.arg("--assign");
            }
            let status = cmd.output().expect("run").status;
            assert!(status.success());
            outputs.push((ext, std::fs::read_to_string(&out).expect("output")));
        }
    }
    for ext in ["csv", "json"] {
        let of_kind: Vec<&String> = outputs
            .iter()
            .filter(|(e, _)| *e == ext)
            .map(|(_, t)| t)
            .collect();
        assert!(
            of_kind.windows(2).all(|w| w[0] == w[1]),
            "{ext} output differs between runs"
        );
    }
    let csv = &outputs[0].1;
    assert!(csv.starts_with("offer,profile,score\n"), "{csv}");
    assert!(csv.lines().count() > 1, "someone was placed: {csv}");
}

#[test]
fn assign_reports_a_summary_with_empty_places_and_reasons() {
    let dir = common::fixture("mini");
    let (code, stdout, stderr) = run(dir.path(), &["batch", "--assign"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Zuteilung:") && stdout.contains("Plätzen besetzt"),
        "{stdout}"
    );
    // The truck-driving job needs CE, which nobody has: its place stays empty, with the reason.
    assert!(
        stdout.contains("frei bei fahrer-job") && stdout.contains("ausgeschlossen"),
        "{stdout}"
    );
    assert!(
        stdout.contains("koch-eq") && stdout.contains("T-COOK"),
        "{stdout}"
    );
}

/// No allocated pair lies beyond the person's radius, starts before they are
/// available or overfills a school class — on generated folders, where the
/// radii, dates and class seats bind.
#[test]
fn no_allocation_is_out_of_reach_too_early_or_over_a_class() {
    let mut bound = (0, 0, 0);
    for seed in [3u64, 8, 21] {
        let (_tmp, dir) = generated(600, 40, seed);
        let (engine, index) = open(&dir);
        let result = batch::run(
            &engine,
            &index,
            BatchOptions {
                top: 10,
                assign: true,
                ..Default::default()
            },
            &|_| {},
        )
        .expect("batch");
        let a = result.assignment.expect("assignment");
        let scorer = engine.scorer();
        for p in &a.placements {
            let t = engine.offer_target(&p.offer).expect("offer");
            let person = index.profile(&p.profile).expect("profile");
            if let (Some(home), Some(place)) = (person.location, t.location) {
                let radius = person
                    .commute_km
                    .map_or(engine.config.distance.default_radius_km, f64::from);
                assert!(home.distance_km(place) <= radius, "{p:?} beyond the radius");
            }
            if let (Some(from), Some(start)) = (person.available_from, t.start) {
                assert!(from <= start, "{p:?} starts before the person is available");
            }
            assert!(!scorer.quick(person, t).excluded);
        }
        for c in &a.classes {
            assert!(c.taken <= c.capacity, "seed {seed}: {c:?}");
            if c.taken == c.capacity {
                bound.2 += 1;
            }
        }
        // The constraints do bind: some relevant pairs are excluded for reach or date.
        for t in engine.offers.iter().flatten().take(10) {
            for person in index.profiles() {
                let s = scorer.explain(person, t);
                if s.flags
                    .iter()
                    .any(|f| f.contains("Pendelradius") && f.starts_with("ausgeschlossen"))
                {
                    bound.0 += 1;
                }
                if s.flags
                    .iter()
                    .any(|f| f.contains("verfügbar ab") && f.starts_with("ausgeschlossen"))
                {
                    bound.1 += 1;
                }
            }
        }
    }
    assert!(
        bound.0 > 0 && bound.1 > 0 && bound.2 > 0,
        "constraints never bind: {bound:?}"
    );
}

/// The README's programme run on the bundled data: every empty place and
/// every person with a relevant offer but no place has a reason, in the
/// report model and in the workbook read back with calamine; the bundled
/// allocation keeps radius, dates and class seats; and the report is the
/// same, byte for byte, across runs and thread counts.
#[test]
fn the_dehoga_programme_run_explains_every_empty_place_and_unplaced_person() {
    use calamine::{Data, Reader, Xlsx};
    let dir = common::fixture("bundled");
    let mut bytes = Vec::new();
    for (i, threads) in ["1", "2", "1"].iter().enumerate() {
        let report = dir.path().join(format!("r{i}.xlsx"));
        let out = lotse(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "batch",
                "--assign",
                "--programme",
                "DEHOGA Integrationsinitiative",
                "--report",
            ])
            .arg(&report)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stdout.contains("Zuteilung (DEHOGA Integrationsinitiative)"),
            "{stdout}"
        );
        assert!(
            stdout.contains("Berufsschulklasse bbs-wirtschaft-koblenz"),
            "{stdout}"
        );
        bytes.push(std::fs::read(&report).expect("report"));
    }
    assert!(
        bytes.windows(2).all(|w| w[0] == w[1]),
        "the report differs between runs"
    );

    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes[0].clone())).expect("xlsx");
    assert_eq!(
        book.sheet_names(),
        vec!["Angebote", "Berufsschulen", "Ohne Platz", "Vor dem Start"]
    );
    let text = |c: &Data| match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    let offers = book.worksheet_range("Angebote").expect("sheet");
    let header: Vec<String> = offers
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(text)
        .collect();
    assert_eq!(header[0], "Angebot");
    assert_eq!(header[7], "Platz");
    let mut empty_rows = 0;
    let mut allocated = 0;
    for row in offers.rows().skip(1) {
        let status = text(&row[7]);
        if status == "zugeteilt" {
            allocated += 1;
            assert!(
                matches!(row[10], Data::Float(x) if x > 0.0),
                "score: {row:?}"
            );
            assert!(!text(&row[11]).is_empty(), "reasons: {row:?}");
        } else {
            empty_rows += 1;
            assert!(status.ends_with("frei"), "{row:?}");
            assert!(
                text(&row[12]).len() > 10,
                "empty places without reason: {row:?}"
            );
        }
        assert!(
            matches!(row[5], Data::DateTime(_)),
            "start as a date: {row:?}"
        );
    }
    assert!(
        allocated > 0 && empty_rows > 0,
        "{allocated} allocated, {empty_rows} empty"
    );
    let unplaced = book.worksheet_range("Ohne Platz").expect("sheet");
    let mut reasons = 0;
    for row in unplaced.rows().skip(1) {
        assert!(!text(&row[0]).is_empty());
        assert!(text(&row[5]).len() > 10, "no reason: {row:?}");
        reasons += 1;
    }
    assert!(reasons > 0);
    let checklist = book.worksheet_range("Vor dem Start").expect("sheet");
    let items: Vec<String> = checklist.rows().skip(1).map(|r| text(&r[5])).collect();
    assert!(
        items.iter().any(|i| i.contains("Ausbildungsbegleitung")),
        "{items:?}"
    );
    assert!(
        items.iter().any(|i| i.contains("Ausländerbehörde")),
        "{items:?}"
    );

    // The model: the same through the library, and its invariants.
    let data = DataDir::new(dir.path());
    let engine = Engine::open(&data, None).expect("engine");
    let index = ProfileIndex::rebuild(&engine, &data.default_index(), None).expect("index");
    let run = batch::run(
        &engine,
        &index,
        BatchOptions {
            top: 10,
            assign: true,
            programme: Some("DEHOGA Integrationsinitiative".into()),
            report: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("batch");
    let report = run.report.expect("report");
    assert!(
        lotse::report::to_xlsx(&report).expect("xlsx") == bytes[0],
        "the library and the command line write the same report"
    );
    for o in &report.offers {
        assert_eq!(o.allocated.len() as u32 + o.empty, o.places, "{}", o.offer);
        assert_eq!(o.empty > 0, o.empty_reason.is_some(), "{}", o.offer);
    }
    for c in &report.classes {
        assert!(c.trainees.len() as u32 <= c.capacity, "{c:?}");
        assert_eq!(
            c.trainees.len() < c.capacity as usize,
            c.free_reason.is_some()
        );
    }
    let placed: BTreeSet<&str> = report
        .offers
        .iter()
        .flat_map(|o| o.allocated.iter().map(|a| a.profile.as_str()))
        .collect();
    // Everyone with a relevant offer of the programme is placed or explained.
    let scorer = engine.scorer();
    let programme: Vec<_> = engine
        .catalogue
        .offers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.programme.as_deref() == Some("DEHOGA Integrationsinitiative"))
        .filter_map(|(i, _)| engine.offers[i].as_ref())
        .collect();
    // People without consent to matching are neither scored nor listed (SPEC).
    for person in index
        .profiles()
        .iter()
        .filter(|p| p.consent_matching != Some(false))
    {
        let relevant = programme.iter().any(|t| scorer.quick(person, t).relevant);
        if relevant && !placed.contains(person.id.as_str()) {
            let u = report.unplaced.iter().find(|u| u.profile == person.id);
            assert!(
                u.is_some_and(|u| !u.reason.is_empty()),
                "{} has a relevant offer, no place and no reason",
                person.id
            );
        }
    }
    assert!(report
        .unplaced
        .iter()
        .any(|u| u.reason.contains("Pendelradius")));
    assert!(report
        .unplaced
        .iter()
        .any(|u| u.reason.contains("verfügbar ab")));
}

#[test]
fn an_unknown_programme_lists_the_known_ones_and_min_score_limits_the_run() {
    let dir = common::fixture("bundled");
    let (code, _, stderr) = run(dir.path(), &["batch", "--assign", "--programme", "DEHOGA"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("Programm „DEHOGA“ gibt es nicht")
            && stderr.contains("„DEHOGA Integrationsinitiative“"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "batch",
            "--assign",
            "--programme",
            "DEHOGA Integrationsinitiative",
            "--min-score",
            "60",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let scores: Vec<f64> = stdout
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        !scores.is_empty() && scores.iter().all(|s| *s >= 60.0),
        "{stdout}"
    );
    assert!(
        stderr.contains("unter der Mindestpunktzahl 60,0"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &["batch", "--assign", "--min-score", "120"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(dir.path(), &["batch", "--assign", "--report", "r.csv"]);
    assert_ne!(code, 0);
    assert!(stderr.contains(".xlsx"), "{stderr}");
}

/// On a generated folder, people who could have had a place are told who
/// took it and by how many points, and the class seats are in the report.
#[test]
fn the_report_says_who_took_the_place_and_by_how_much() {
    let (_tmp, dir) = generated(300, 60, 11);
    let (engine, index) = open(&dir);
    let run = batch::run(
        &engine,
        &index,
        BatchOptions {
            top: 10,
            assign: true,
            report: true,
            ..Default::default()
        },
        &|_| {},
    )
    .expect("batch");
    let report = run.report.expect("report");
    assert!(report.unplaced.iter().all(|u| !u.reason.is_empty()));
    let taken: Vec<&str> = report
        .unplaced
        .iter()
        .map(|u| u.reason.as_str())
        .filter(|r| r.contains("Plätze vergeben; der letzte an"))
        .collect();
    assert!(!taken.is_empty(), "{:?}", report.unplaced);
    assert!(taken
        .iter()
        .all(|r| r.contains("Punkte,") && r.ends_with(" mehr)")));
    for o in &report.offers {
        assert_eq!(o.allocated.len() as u32 + o.empty, o.places, "{}", o.offer);
        assert_eq!(o.empty > 0, o.empty_reason.is_some(), "{}", o.offer);
    }
    assert!(
        !report.classes.is_empty(),
        "generated offers have school classes"
    );
}

/// `--require-permit-for-training` turns a residence that ends before the
/// training into an exclusion for the run, with the reason.
#[test]
fn requiring_the_permit_for_the_whole_training_excludes_short_residence() {
    let dir = common::fixture("bundled");
    let filled = |extra: &[&str]| {
        let mut args = vec![
            "batch",
            "--assign",
            "--programme",
            "DEHOGA Integrationsinitiative",
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = run(dir.path(), &args);
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let plain = filled(&[]);
    let strict = filled(&["--require-permit-for-training"]);
    assert!(strict.len() < plain.len(), "{plain:?} vs {strict:?}");
    // P-0001 holds an Aufenthaltsgestattung until 30.04.2016; the EQ ends 31.01.2017.
    assert!(plain.iter().any(|l| l.contains("P-0001")));
    assert!(!strict.iter().any(|l| l.contains("P-0001")));
    let (code, stdout, _) = run(
        dir.path(),
        &[
            "shortlist",
            "--offer",
            "dehoga-eq-landgasthof-mayen",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("Aufenthaltsgestattung bis 30.04.2016, Ausbildung endet 31.01.2017"));
}
