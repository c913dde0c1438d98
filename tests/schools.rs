//! Vocational schools in the records: `lotse validate` checks every school
//! and every offer's reference to one, each problem at its file position.

mod common;

use common::{fixture, run};

/// Validates a copy of the bundled data after `change` and returns the output.
fn validate_after(change: impl FnOnce(&std::path::Path)) -> (i32, String) {
    let dir = fixture("bundled");
    change(dir.path());
    let (code, stdout, stderr) = run(dir.path(), &["validate"]);
    (code, format!("{stdout}{stderr}"))
}

fn replace(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn the_bundled_schools_and_references_are_valid() {
    let (code, out) = validate_after(|_| {});
    assert_eq!(code, 0, "{out}");
}

#[test]
fn bad_school_references_are_reported_at_their_position() {
    let offer = "occupations/offers/dehoga-eq-landgasthof-mayen.ron";
    let school = "occupations/schools/bbs-mayen.ron";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            offer,
            "vocational_school: \"bbs-mayen\"",
            "vocational_school: \"bbs-maien\"",
            "unbekannte Berufsschule „bbs-maien“: keine Datei occupations/schools/bbs-maien.ron (bekannt: bbs-andernach",
        ),
        (
            offer,
            "start_date: \"2016-02-01\"",
            "start_date: \"2016-08-01\"",
            "BBS Mayen hat keine Klasse für fachkraft-gastgewerbe im Schuljahr 2016/17 (Beginn 01.08.2016)",
        ),
        (
            school,
            "school_year: \"2015/16\"",
            "school_year: \"2015/2016\"",
            "Schuljahr „2015/2016“: bitte als „2016/17“ schreiben",
        ),
        (
            school,
            "occupation: \"baecker\"",
            "occupation: \"baeckerei\"",
            "unbekannter Beruf „baeckerei“",
        ),
        (school, "capacity: 4", "capacity: 0", "mindestens ein Platz"),
    ];
    for &(file, from, to, message) in cases {
        let (code, out) = validate_after(|dir| replace(&dir.join(file), from, to));
        assert_eq!(code, 1, "{to}: {out}");
        let line = out
            .lines()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("no „{message}“ in {out}"));
        // path:line:column: message
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy();
        let at = line.find(name.as_ref()).expect("path");
        let rest = &line[at + name.len()..];
        let mut parts = rest.trim_start_matches(':').splitn(3, ':');
        assert!(
            parts.next().is_some_and(|l| l.parse::<usize>().is_ok()),
            "{line}"
        );
        assert!(
            parts.next().is_some_and(|c| c.parse::<usize>().is_ok()),
            "{line}"
        );
    }
}
