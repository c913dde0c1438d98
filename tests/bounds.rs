//! The score bounds that shortlists over large indexes rely on
//! (`score::TargetBound`): for every pair of a generated folder, and for
//! each person moved about, with other commute radii and dates, the bound
//! is at least the score, says exactly whether the pair is relevant, and
//! calls a pair surely excluded only where the scorer excludes it; and
//! the exact numbers computed on the same compact copy
//! (`TargetBound::quick`) are the scorer's, bit for bit.

use chrono::Days;
use lotse::engine::Engine;
use lotse::generate::{generate, Options};
use lotse::index::ProfileIndex;
use lotse::permit::{ResidenceStatus, WorkPermit};
use lotse::profile::Coordinates;
use lotse::records::DataDir;
use lotse::resolved::ResolvedProfile;
use lotse::score::{Bounds, Scorer, Target, TargetBound};

/// The people of the folder, and variants of each: elsewhere (a few km to
/// far away), with a short and a long commute radius, without a place,
/// available late, with no interests.
fn variants(profiles: &[ResolvedProfile]) -> Vec<ResolvedProfile> {
    let mut out = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        out.push(p.clone());
        let shift = [0.01, 0.08, 0.2, 0.5, 2.0][i % 5];
        let mut moved = p.clone();
        moved.location = Some(Coordinates {
            lat: 50.35 + shift * if i % 2 == 0 { 1.0 } else { -1.0 },
            lon: 7.6 + shift * 0.7,
        });
        moved.commute_km = Some([1, 5, 12, 40, 200][i % 5]);
        out.push(moved);
        let mut elsewhere = p.clone();
        elsewhere.location = None;
        elsewhere.commute_km = None;
        elsewhere.interests.clear();
        elsewhere.weak_interests.clear();
        elsewhere.available_from = p
            .available_from
            .and_then(|d| d.checked_add_days(Days::new(400)));
        out.push(elsewhere);
        // Hard constraints: no licence, no work permit, a residence that
        // may end before a training does.
        let mut constrained = p.clone();
        constrained.licences.clear();
        match i % 3 {
            0 => constrained.work_permit = WorkPermit::NotAllowed,
            1 => {
                constrained.residence = ResidenceStatus::Duldung;
                constrained.permit_valid_until = chrono::NaiveDate::from_ymd_opt(2027, 3, 1);
            }
            _ => constrained.residence = ResidenceStatus::Unbekannt,
        }
        out.push(constrained);
    }
    out
}

#[test]
fn bounds_hold_for_every_pair() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data");
    generate(
        &DataDir::new(env!("CARGO_MANIFEST_DIR")),
        &out,
        &Options {
            profiles: 300,
            offers: 60,
            seed: 7,
        },
    )
    .expect("generate");
    let data = DataDir::new(&out);
    let engine = Engine::open(&data, None).expect("engine");
    let index = ProfileIndex::rebuild(&engine, &data.default_index(), None).expect("index");
    let people = variants(index.profiles());
    let scorer = engine.scorer();
    let bounds = Bounds::new(&scorer, &people);
    let targets: Vec<&Target> = engine
        .offers
        .iter()
        .flatten()
        .chain(engine.occupations.iter().step_by(7))
        .collect();
    let (mut pairs, mut tight, mut excluded, mut excluded_exactly) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    // Once as configured, once requiring residence for a whole training.
    let mut strict = engine.config.clone();
    strict.training_period.require_permit_for_training = true;
    let strict = Scorer {
        config: &strict,
        ..scorer
    };
    for (scorer, t) in [scorer, strict]
        .into_iter()
        .flat_map(|s| targets.iter().map(move |t| (s, t)))
    {
        let of_target = TargetBound::new(scorer, t, &bounds);
        for (o, p) in people.iter().enumerate() {
            let q = scorer.quick(p, t);
            let Some(b) = of_target.bound(&bounds, o as u32) else {
                assert_eq!(p.consent_matching, Some(false), "{} {}", t.id, p.id);
                continue;
            };
            pairs += 1;
            if b.score < q.score || b.relevant != q.relevant || (b.excluded && !q.excluded) {
                failures.push(format!(
                    "{} × {} (variant {}): bound {:?}, score {:?}",
                    t.id,
                    p.id,
                    o % 4,
                    b,
                    q
                ));
            }
            let exact = of_target.quick(&bounds, o as u32, false);
            if exact != Some(q) || of_target.quick(&bounds, o as u32, true).is_some() != q.relevant
            {
                failures.push(format!(
                    "{} × {} (variant {}): exact {:?}, score {:?}",
                    t.id,
                    p.id,
                    o % 4,
                    exact,
                    q
                ));
            }
            excluded_exactly += usize::from(q.excluded);
            tight += usize::from(b.score - q.score < 0.05);
            excluded += usize::from(b.excluded);
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(20)].join("\n")
    );
    // The bound is tight enough to be of use, and the distance cut is taken.
    assert!(pairs > 100_000, "{pairs} pairs");
    assert!(tight * 10 > pairs * 9, "{tight} of {pairs} within 0.05");
    assert!(excluded > 0, "no pair surely excluded");
    assert!(
        excluded_exactly > excluded,
        "no pair excluded by other constraints"
    );
}
