//! Every flag and hard constraint the scorer raises, made to appear and to
//! go away, as data: one baseline person who fits the bundled offer
//! completely (no flag at all), and per case one change to that person (or
//! the run's configuration) with the flags it must raise.

use super::{Scorer, Target};
use crate::catalogue::Catalogue;
use crate::cefr::Cefr;
use crate::config::Config;
use crate::permit::{DrivingLicence, ResidenceStatus, WorkPermit};
use crate::profile::Coordinates;
use crate::records::DataDir;
use crate::resolved::{ResolvedProfile, SkillEvidence};
use chrono::NaiveDate;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        Catalogue::load(&DataDir::new(env!("CARGO_MANIFEST_DIR"))).expect("bundled catalogue")
    })
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// A person who meets every condition of `t`: nothing to flag.
fn baseline(t: &Target) -> ResolvedProfile {
    let c = catalogue();
    let ifsg = c.skill_index("ifsg-belehrung").expect("skill") as u32;
    ResolvedProfile {
        id: "P-TEST".into(),
        name: "Test Person".into(),
        written: vec!["Rote Karte".into()],
        skills: vec![SkillEvidence {
            skill: ifsg,
            strength: 1.0,
            confidence: 1.0,
            item: 0,
            implied: false,
        }],
        occupations: Vec::new(),
        interests: Vec::new(),
        weak_occupations: Vec::new(),
        weak_interests: Vec::new(),
        german: Some(Cefr::C1),
        work_permit: WorkPermit::Allowed,
        residence: ResidenceStatus::Niederlassungserlaubnis,
        permit_valid_until: None,
        licences: t.licences.clone(),
        location: t.location,
        municipality: None,
        commute_km: Some(30),
        available_from: t.start.map(|s| s - chrono::Days::new(30)),
        literate_latin: Some(true),
        part_time_only: false,
        consent_matching: Some(true),
        consent_employers: Some(true),
    }
}

/// A place `km` kilometres north of `from`.
fn north(from: Coordinates, km: f64) -> Coordinates {
    Coordinates {
        lat: from.lat + km / 111.195,
        lon: from.lon,
    }
}

/// One case: the change, the offer, and the flags it must raise (each
/// given by a part of its text; the flags are exactly these), and whether
/// the pair is excluded.
struct Case {
    name: &'static str,
    offer: &'static str,
    tweak: fn(&mut ResolvedProfile, &mut Config),
    flags: &'static [&'static str],
    excluded: bool,
}

/// EQ at the Hotel an der Mosel, Koblenz: starts 01.02.2016, 12 months (ends 31.01.2017).
const EQ: &str = "dehoga-eq-hotel-mosel";
/// Ausbildung Fachkraft Gastgewerbe, Bendorf: 01.02.2016, 24 months (ends 31.01.2018).
const AUSBILDUNG: &str = "dehoga-ausbildung-tagungshotel-bendorf";
/// A job needing licence CE.
const TRUCK: &str = "berufskraftfahrer-ce-spedition-polch";

const CASES: &[Case] = &[
    Case { name: "nothing to flag (EQ)", offer: EQ, tweak: |_, _| {}, flags: &[], excluded: false },
    Case { name: "nothing to flag (Ausbildung)", offer: AUSBILDUNG, tweak: |_, _| {}, flags: &[], excluded: false },
    Case { name: "nothing to flag (job)", offer: TRUCK, tweak: |_, _| {}, flags: &[], excluded: false },
    // Work permit
    Case { name: "approval of the Ausländerbehörde", offer: EQ, tweak: |p, _| p.work_permit = WorkPermit::NeedsApproval,
        flags: &["Zustimmung der Ausländerbehörde für diese Stelle einholen"], excluded: false },
    Case { name: "no work permit", offer: EQ, tweak: |p, _| p.work_permit = WorkPermit::NotAllowed,
        flags: &["ausgeschlossen: keine Arbeitserlaubnis"], excluded: true },
    Case { name: "work permit unknown", offer: EQ, tweak: |p, _| p.work_permit = WorkPermit::Unknown,
        flags: &["Arbeitserlaubnis ungeklärt"], excluded: false },
    // Residence for the whole training
    Case { name: "Duldung ending before the EQ", offer: EQ,
        tweak: |p, _| { p.residence = ResidenceStatus::Duldung; p.permit_valid_until = Some(date("2016-06-30")); },
        flags: &["Duldung bis 30.06.2016, Ausbildung endet 31.01.2017: bei der Ausländerbehörde fragen, ob eine Ausbildungsduldung (§ 60c AufenthG) in Betracht kommt"], excluded: false },
    Case { name: "Duldung lasting the EQ", offer: EQ,
        tweak: |p, _| { p.residence = ResidenceStatus::Duldung; p.permit_valid_until = Some(date("2017-01-31")); },
        flags: &[], excluded: false },
    Case { name: "Duldung without date", offer: EQ,
        tweak: |p, _| p.residence = ResidenceStatus::Duldung,
        flags: &["Duldung bis ohne Datum, Ausbildung endet 31.01.2017"], excluded: false },
    Case { name: "Gestattung ending before the Ausbildung", offer: AUSBILDUNG,
        tweak: |p, _| { p.residence = ResidenceStatus::Aufenthaltsgestattung; p.permit_valid_until = Some(date("2016-04-30")); },
        flags: &["Aufenthaltsgestattung bis 30.04.2016, Ausbildung endet 31.01.2018: bei der Ausländerbehörde klären"], excluded: false },
    Case { name: "title shorter than the Ausbildung (24 months)", offer: AUSBILDUNG,
        tweak: |p, _| { p.residence = ResidenceStatus::Aufenthaltserlaubnis; p.permit_valid_until = Some(date("2017-03-10")); },
        flags: &["Aufenthaltstitel gültig bis 10.03.2017, Ausbildung endet 31.01.2018: bei der Ausländerbehörde nach einer Verlängerung"], excluded: false },
    Case { name: "title until the last day of the Ausbildung", offer: AUSBILDUNG,
        tweak: |p, _| { p.residence = ResidenceStatus::Aufenthaltserlaubnis; p.permit_valid_until = Some(date("2018-01-31")); },
        flags: &[], excluded: false },
    Case { name: "title shorter than the training, required for the run", offer: AUSBILDUNG,
        tweak: |p, c| { p.residence = ResidenceStatus::Aufenthaltserlaubnis; p.permit_valid_until = Some(date("2017-03-10")); c.training_period.require_permit_for_training = true; },
        flags: &["ausgeschlossen (Aufenthalt für die ganze Ausbildung verlangt): Aufenthaltstitel gültig bis 10.03.2017"], excluded: true },
    Case { name: "title lasting the training, required for the run", offer: AUSBILDUNG,
        tweak: |p, c| { p.residence = ResidenceStatus::Aufenthaltserlaubnis; p.permit_valid_until = Some(date("2019-01-01")); c.training_period.require_permit_for_training = true; },
        flags: &[], excluded: false },
    Case { name: "a short title does not matter for a job", offer: TRUCK,
        tweak: |p, _| { p.residence = ResidenceStatus::Aufenthaltserlaubnis; p.permit_valid_until = Some(date("2026-02-01")); },
        flags: &[], excluded: false },
    Case { name: "residence status unknown", offer: EQ, tweak: |p, _| p.residence = ResidenceStatus::Unbekannt,
        flags: &["Aufenthaltsstatus unbekannt"], excluded: false },
    // Part-time, § 43 IfSG, consent
    Case { name: "part-time only", offer: EQ, tweak: |p, _| p.part_time_only = true,
        flags: &["nur Teilzeit möglich: mit dem Betrieb klären"], excluded: false },
    Case { name: "no Belehrung nach § 43 IfSG", offer: EQ, tweak: |p, _| p.skills.clear(),
        flags: &["vor Arbeitsbeginn nötig: Belehrung nach § 43 IfSG"], excluded: false },
    Case { name: "no consent to employers", offer: EQ, tweak: |p, _| p.consent_employers = Some(false),
        flags: &["keine Einwilligung zur Weitergabe an Arbeitgeber: nur anonym vorstellen"], excluded: false },
    Case { name: "consent not recorded", offer: EQ, tweak: |p, _| p.consent_matching = None,
        flags: &["Einwilligung zum Datenschutz nicht erfasst"], excluded: false },
    Case { name: "no consent to matching", offer: EQ, tweak: |p, _| p.consent_matching = Some(false),
        flags: &["ausgeschlossen: keine Einwilligung in den Abgleich"], excluded: true },
    Case { name: "German level unknown", offer: EQ, tweak: |p, _| p.german = None,
        flags: &["Deutschniveau unbekannt"], excluded: false },
    Case { name: "licence missing", offer: TRUCK, tweak: |p, _| p.licences.clear(),
        flags: &["ausgeschlossen: Führerschein CE fehlt"], excluded: true },
    Case { name: "licence present", offer: TRUCK, tweak: |p, _| p.licences = vec![DrivingLicence::B, DrivingLicence::CE],
        flags: &[], excluded: false },
    // Distance
    Case { name: "beyond the commute radius", offer: EQ,
        tweak: |p, _| p.location = p.location.map(|l| north(l, 40.0)),
        flags: &["ausgeschlossen: 40 km, Pendelradius 30 km"], excluded: true },
    Case { name: "inside the commute radius", offer: EQ,
        tweak: |p, _| p.location = p.location.map(|l| north(l, 29.0)),
        flags: &[], excluded: false },
    Case { name: "beyond the assumed radius", offer: EQ,
        tweak: |p, _| { p.commute_km = None; p.location = p.location.map(|l| north(l, 26.0)); },
        flags: &["ausgeschlossen: 26 km, Pendelradius 25 km (angenommen)"], excluded: true },
    Case { name: "place of residence unknown", offer: EQ, tweak: |p, _| p.location = None,
        flags: &["Entfernung unbekannt"], excluded: false },
    // Availability
    Case { name: "available only after the start", offer: EQ,
        tweak: |p, _| p.available_from = Some(date("2016-02-02")),
        flags: &["ausgeschlossen: verfügbar ab 02.02.2016, Beginn 01.02.2016"], excluded: true },
    Case { name: "available on the start day", offer: EQ,
        tweak: |p, _| p.available_from = Some(date("2016-02-01")),
        flags: &[], excluded: false },
    Case { name: "availability unknown", offer: EQ, tweak: |p, _| p.available_from = None,
        flags: &[], excluded: false },
];

fn check(case: &Case) {
    let c = catalogue();
    let mut config = Config::default();
    let index = c.offer_index(case.offer).expect("offer");
    let t = Target::offer(c, index).expect("target");
    let mut p = baseline(&t);
    (case.tweak)(&mut p, &mut config);
    let related = super::Relatedness::new(c, &config);
    let scorer = Scorer {
        catalogue: c,
        config: &config,
        related: &related,
    };
    let scored = scorer.explain(&p, &t);
    let quick = scorer.quick(&p, &t);
    assert_eq!(
        scored.flags.len(),
        case.flags.len(),
        "{}: flags {:?}",
        case.name,
        scored.flags
    );
    for want in case.flags {
        assert!(
            scored.flags.iter().any(|f| f.contains(want)),
            "{}: no flag with „{want}“ in {:?}",
            case.name,
            scored.flags
        );
    }
    assert_eq!(scored.excluded, case.excluded, "{}", case.name);
    assert_eq!(quick.excluded, case.excluded, "{}: quick", case.name);
    assert_eq!(quick.score, scored.score, "{}: same score", case.name);
    // Distance and availability are always explained, also at zero.
    for name in ["distance", "availability"] {
        let criterion = scored.criteria.iter().find(|x| x.name == name);
        assert!(
            criterion.is_some_and(|x| !x.evidence.is_empty()),
            "{}: {name} missing from {:?}",
            case.name,
            scored.criteria
        );
    }
}

#[test]
fn every_flag_appears_and_goes_away() {
    for case in CASES {
        check(case);
    }
}

#[test]
fn an_excluded_pair_scores_nothing_for_the_failed_criterion() {
    let c = catalogue();
    let t = Target::offer(c, c.offer_index(EQ).expect("offer")).expect("target");
    let mut p = baseline(&t);
    p.available_from = Some(date("2017-08-01"));
    p.location = p.location.map(|l| north(l, 262.0));
    let config = Config::default();
    let related = super::Relatedness::new(c, &config);
    let scorer = Scorer {
        catalogue: c,
        config: &config,
        related: &related,
    };
    let scored = scorer.explain(&p, &t);
    for name in ["distance", "availability"] {
        let x = scored.criteria.iter().find(|x| x.name == name).expect(name);
        assert_eq!(x.contribution, 0.0, "{name}");
    }
    assert!(scored
        .flags
        .contains(&"ausgeschlossen: 262 km, Pendelradius 30 km".to_string()));
    assert!(scored
        .flags
        .contains(&"ausgeschlossen: verfügbar ab 01.08.2017, Beginn 01.02.2016".to_string()));
    let reach = super::reach(&scored.criteria).expect("offer");
    assert!(
        reach.contains("Entfernung 0,0") && reach.contains("Verfügbarkeit 0,0"),
        "{reach}"
    );
}

#[test]
fn the_training_ends_by_occupation_or_configuration() {
    let c = catalogue();
    let config = Config::default();
    let related = super::Relatedness::new(c, &config);
    let scorer = Scorer {
        catalogue: c,
        config: &config,
        related: &related,
    };
    let end = |id: &str| {
        let t = Target::offer(c, c.offer_index(id).expect("offer")).expect("target");
        scorer.training_end(&t)
    };
    assert_eq!(
        end(EQ),
        Some(date("2017-01-31")),
        "EQ: 12 months by configuration"
    );
    assert_eq!(
        end(AUSBILDUNG),
        Some(date("2018-01-31")),
        "Fachkraft Gastgewerbe: 24 months"
    );
    assert_eq!(
        end("baecker-ausbildung-eifelkorn-mayen"),
        Some(date("2019-07-31")),
        "Bäcker: 36 months"
    );
    assert_eq!(end(TRUCK), None, "a job is no training");
}

#[test]
fn round_is_f64_round_bit_for_bit() {
    use super::explain::round;
    let mut values = vec![
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        0.49999999999999994,
        1e300,
        f64::NAN,
    ];
    values.extend([
        f64::INFINITY,
        f64::NEG_INFINITY,
        4_503_599_627_370_495.5,
        -4_503_599_627_370_497.0,
    ]);
    // Every score and contribution ×100 and ×1000 that rounding sees, and
    // the halves between them.
    for i in -200_000..=200_000 {
        let x = f64::from(i) / 2.0;
        values.extend([
            x,
            x / 10.0,
            x / 100.0,
            x / 1000.0,
            x * 0.07,
            x * 0.035 + 1e-9,
        ]);
    }
    for x in values {
        assert_eq!(round(x).to_bits(), x.round().to_bits(), "{x}");
    }
}
