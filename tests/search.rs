//! `lotse search` on the bundled data: by meaning (the concept people wrote
//! in any of its forms) and by place (postcode prefix, district, radius),
//! with the real number of hits. Expected sets come from the records
//! themselves, read through the library, not from lists written here.

mod common;

use common::{fixture, run};
use lotse::catalogue::Catalogue;
use lotse::profile::Profile;
use lotse::records::{self, DataDir};
use std::collections::BTreeSet;
use std::path::Path;

/// The profile ids `lotse search ARGS…` lists (all of them), and the count line.
fn search(data: &Path, args: &[&str]) -> (BTreeSet<String>, String) {
    let mut all = vec!["search", "--top", "1000"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(data, &all);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    let ids = stdout
        .lines()
        .filter(|l| l.starts_with("P-"))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    let last = stdout.lines().last().unwrap_or_default().to_string();
    (ids, last)
}

fn profiles(data: &Path) -> Vec<Profile> {
    records::load_dir::<Profile>(&DataDir::new(data).profiles())
        .expect("profiles")
        .records
        .into_iter()
        .map(|l| l.record)
        .collect()
}

fn ids(profiles: &[Profile], keep: impl Fn(&Profile) -> bool) -> BTreeSet<String> {
    profiles
        .iter()
        .filter(|p| keep(p))
        .map(|p| p.id.clone())
        .collect()
}

/// The people whose work experience is waiting at tables, in whatever words
/// they wrote it (checked by hand in the bundled profiles).
const WAITERS: &[&str] = &["P-0001", "P-0005", "P-0006", "P-0009", "P-0016", "P-0021"];

#[test]
fn every_waiter_is_found_by_any_form_of_the_word() {
    let dir = fixture("bundled");
    let all = profiles(dir.path());
    // The fixture really has these six, each written differently.
    let written: BTreeSet<String> = all
        .iter()
        .filter(|p| WAITERS.contains(&p.id.as_str()))
        .flat_map(|p| p.work_experience.iter().map(|w| w.activity.to_lowercase()))
        .collect();
    for word in ["kellnr", "serveur", "waiter", "kellnerin", "kellner"] {
        assert!(
            written.iter().any(|w| w.contains(word)),
            "{word} in {written:?}"
        );
    }
    for query in ["Kellner", "Kellnerin", "waiter", "serveur", "Kellnr"] {
        let (found, _) = search(dir.path(), &[query]);
        for id in WAITERS {
            assert!(found.contains(*id), "„{query}“ misses {id}: {found:?}");
        }
        assert!(
            found.len() <= WAITERS.len() + 3,
            "„{query}“ finds far more than the waiters: {found:?}"
        );
    }
}

#[test]
fn koch_and_koechin_find_the_same_people() {
    let dir = fixture("bundled");
    let (koch, _) = search(dir.path(), &["Koch"]);
    assert!(!koch.is_empty());
    for query in ["Köchin", "Koechin", "koch"] {
        let (other, _) = search(dir.path(), &[query]);
        assert_eq!(koch, other, "Koch vs {query}");
    }
    // Everyone who wrote cook in English is among them.
    let all = profiles(dir.path());
    let cooks = ids(&all, |p| {
        p.work_experience
            .iter()
            .any(|w| w.activity.to_lowercase().starts_with("cook"))
    });
    assert!(!cooks.is_empty());
    assert!(cooks.is_subset(&koch), "{cooks:?} ⊄ {koch:?}");
}

#[test]
fn the_count_is_the_real_total_not_the_limit() {
    let dir = fixture("bundled");
    let total = profiles(dir.path()).len();
    let (code, stdout, stderr) = run(dir.path(), &["search", "--top", "3"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("P-")).count(), 3);
    assert!(
        stdout.contains(&format!("{total} Treffer, die ersten 3 gezeigt")),
        "{stdout}"
    );
    let (code, stdout, _) = run(dir.path(), &["search", "Koch", "--top", "2"]);
    assert_eq!(code, 0);
    let (koch, _) = search(dir.path(), &["Koch"]);
    assert!(
        stdout.contains(&format!("{} Treffer, die ersten 2 gezeigt", koch.len())),
        "{stdout}"
    );
}

#[test]
fn postcode_prefix_filter_matches_the_records() {
    let dir = fixture("bundled");
    let all = profiles(dir.path());
    for prefix in ["5", "567", "56068", "79"] {
        let expected = ids(&all, |p| {
            p.residence
                .as_ref()
                .and_then(|r| r.postcode.as_deref())
                .is_some_and(|c| c.trim().starts_with(prefix))
        });
        assert!(!expected.is_empty(), "{prefix}");
        let (found, _) = search(dir.path(), &["--postcode", prefix]);
        assert_eq!(found, expected, "--postcode {prefix}");
    }
    let (code, _, stderr) = run(dir.path(), &["search", "--postcode", "56a"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Postleitzahl „56a“"), "{stderr}");
}

#[test]
fn district_filter_uses_the_gazetteer() {
    let dir = fixture("bundled");
    let all = profiles(dir.path());
    let catalogue = Catalogue::load(&DataDir::new(dir.path())).expect("catalogue");
    let all_ids = ids(&all, |_| true);
    for district in ["Mayen-Koblenz", "Koblenz", "Breisgau-Hochschwarzwald"] {
        let places: Vec<_> = catalogue
            .places
            .iter()
            .filter(|p| p.district == district)
            .collect();
        assert!(!places.is_empty(), "{district} in the gazetteer");
        let expected = ids(&all, |p| {
            p.residence.as_ref().is_some_and(|r| {
                places.iter().any(|pl| {
                    r.postcode.as_deref().map(str::trim) == Some(pl.postcode.as_str())
                        || r.municipality.as_deref() == Some(pl.municipality.as_str())
                })
            })
        });
        let (found, _) = search(dir.path(), &["--district", district]);
        assert!(!found.is_empty(), "{district}");
        assert!(found.len() < all_ids.len(), "{district} narrows");
        assert_eq!(found, expected, "--district {district}");
        // Combined with words, it narrows the word search.
        let (kellner, _) = search(dir.path(), &["Kellner"]);
        let (both, _) = search(dir.path(), &["Kellner", "--district", district]);
        let wanted: BTreeSet<String> = kellner.intersection(&expected).cloned().collect();
        assert_eq!(both, wanted, "Kellner in {district}");
    }
    let (code, _, stderr) = run(dir.path(), &["search", "--district", "Atlantis"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Landkreis „Atlantis“"), "{stderr}");
}

#[test]
fn radius_filter_measures_from_the_place() {
    let dir = fixture("bundled");
    let data = DataDir::new(dir.path());
    let all = profiles(dir.path());
    let catalogue = Catalogue::load(&data).expect("catalogue");
    let centre = catalogue
        .locate(None, Some("Koblenz"))
        .expect("Koblenz in the gazetteer");
    let mut previous = BTreeSet::new();
    for km in ["5", "20", "60"] {
        let radius: f64 = km.parse().unwrap();
        let expected = ids(&all, |p| {
            p.residence
                .as_ref()
                .and_then(|r| {
                    r.coordinates.or_else(|| {
                        catalogue.locate(r.postcode.as_deref(), r.municipality.as_deref())
                    })
                })
                .is_some_and(|c| c.distance_km(centre) <= radius)
        });
        let (found, _) = search(dir.path(), &["--near", "Koblenz", "--radius", km]);
        assert_eq!(found, expected, "--near Koblenz --radius {km}");
        assert!(
            previous.is_subset(&found),
            "a wider radius keeps the nearer"
        );
        previous = found;
    }
    assert!(!previous.is_empty());
    assert!(previous.len() < all.len(), "Freiburg is not within 60 km");
    let (code, _, stderr) = run(dir.path(), &["search", "--radius", "10"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--near"), "{stderr}");
    let (code, _, stderr) = run(dir.path(), &["search", "--near", "Atlantis"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Ort „Atlantis“"), "{stderr}");
}

/// People whose records read alike score alike; they are listed in the
/// order of their ids, and the same after the index is rebuilt (by their
/// place in the index, the order changed with every rebuild).
#[test]
fn equal_scores_come_in_the_order_of_the_ids_after_every_rebuild() {
    let dir = fixture("bundled");
    let data = DataDir::new(dir.path());
    let waiter = profiles(dir.path())
        .into_iter()
        .find(|p| p.id == WAITERS[0])
        .expect("the first waiter");
    // Enough that the index writer's threads share them out (the order
    // in the index is then no longer the order of the ids), written in an
    // order that is not the order of the ids either.
    let copies: Vec<String> = (0..3000)
        .map(|i| format!("P-8{:04}", (i * 17) % 3000))
        .collect();
    for id in &copies {
        let mut copy = waiter.clone();
        copy.id = id.clone();
        let text = records::to_ron(&copy).expect("copy as RON");
        std::fs::write(data.profile_path(id), text).expect("copy written");
    }
    let listed = |dir: &Path| -> Vec<String> {
        let (code, stdout, stderr) = run(dir, &["search", "--top", "5000", "Kellner"]);
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|id| id.starts_with("P-8"))
            .map(str::to_string)
            .collect()
    };
    let first = listed(dir.path());
    let mut sorted = copies.clone();
    sorted.sort();
    assert_eq!(first, sorted, "the copies in the order of their ids");
    for _ in 0..3 {
        let (code, _, stderr) = run(dir.path(), &["index"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(listed(dir.path()), first, "the same after a rebuild");
    }
}
