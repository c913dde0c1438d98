//! Field rules of each record kind.

use crate::catalogue::{Occupation, Offer, Requirement, Skill, TrainingOffer};
use crate::error::{Diagnostic, Result};
use crate::profile::Profile;
use crate::records::{locate, locate_value, DataDir};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The official KldB 2010 occupation groups (5-digit codes), from
/// `occupations/kldb2010-codes.csv`. Without that file only the form of a
/// code is checked.
#[derive(Debug, Default, Clone)]
pub struct Kldb {
    titles: HashMap<String, String>,
}

impl Kldb {
    /// Reads the code list of a data folder; a missing list is empty.
    pub fn load(data: &DataDir) -> Result<Self> {
        let path = data.catalogue().join("kldb2010-codes.csv");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kldb::default()),
            Err(e) => return Err(crate::error::Error::io(&path, e)),
        };
        let titles = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(';'))
            .map(|(c, t)| (c.trim().to_string(), t.trim().to_string()))
            .collect();
        Ok(Kldb { titles })
    }

    /// The official title of a code, where the list is loaded and has it.
    pub fn title(&self, code: &str) -> Option<&str> {
        self.titles.get(code).map(String::as_str)
    }

    /// Whether an occupation reference names a KldB group of the list: a
    /// 5-digit code ("29302") or the id of a group without a curated record
    /// ("kldb-29302").
    pub fn knows(&self, reference: &str) -> bool {
        let code = reference.strip_prefix("kldb-").unwrap_or(reference);
        self.titles.contains_key(code)
    }

    /// Number of codes known.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// Whether no list was loaded.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    fn check(&self, code: &str) -> Option<String> {
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!(
                "KldB-Code „{code}“ ist ungültig: erwartet werden 5 Ziffern (z. B. „29302“)"
            ));
        }
        if !matches!(code.as_bytes()[4], b'1'..=b'4') {
            return Some(format!(
                "KldB-Code „{code}“: die 5. Ziffer (Anforderungsniveau) muss 1 bis 4 sein"
            ));
        }
        if !self.is_empty() && self.title(code).is_none() {
            return Some(format!(
                "KldB-Code „{code}“ gibt es in der KldB 2010 (Fassung 2020) nicht"
            ));
        }
        None
    }
}

/// What the field rules look records up in.
pub(super) struct Refs<'a> {
    pub skills: &'a BTreeSet<&'a str>,
    pub occupations: &'a BTreeSet<&'a str>,
    pub kldb: &'a Kldb,
    pub today: NaiveDate,
}

/// Collects the diagnostics of one file, each placed at its field.
struct File<'a> {
    path: &'a Path,
    text: &'a str,
    out: Vec<Diagnostic>,
}

impl<'a> File<'a> {
    fn new(path: &'a Path, text: &'a str) -> Self {
        File {
            path,
            text,
            out: Vec::new(),
        }
    }

    fn at_field(&mut self, field: &str, message: String) {
        let (line, column) = locate(self.text, field).unwrap_or((1, 1));
        self.out
            .push(Diagnostic::at(self.path, line, column, message));
    }

    fn at_value(&mut self, field: &str, value: &str, message: String) {
        let (line, column) = locate_value(self.text, field, value).unwrap_or((1, 1));
        self.out
            .push(Diagnostic::at(self.path, line, column, message));
    }

    fn not_blank(&mut self, field: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.at_field(field, format!("{what} darf nicht leer sein"));
        }
    }

    fn skill_ref(&mut self, field: &str, id: &str, refs: &Refs) {
        if !refs.skills.contains(id) {
            self.at_value(
                field,
                id,
                format!("unbekannte Fähigkeit „{id}“: keine Datei occupations/skills/{id}.ron"),
            );
        }
    }

    fn level(&mut self, field: &str, level: Option<u8>, what: &str) {
        if let Some(level) = level {
            if !(1..=5).contains(&level) {
                self.at_field(
                    field,
                    format!("{what}: Stufe {level} liegt nicht zwischen 1 und 5"),
                );
            }
        }
    }

    fn postcode(&mut self, postcode: Option<&str>) {
        if let Some(p) = postcode {
            if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                self.at_field(
                    "postcode",
                    format!("Postleitzahl „{p}“ ist ungültig: erwartet werden 5 Ziffern"),
                );
            }
        }
    }

    fn not_future(&mut self, field: &str, date: Option<NaiveDate>, what: &str, today: NaiveDate) {
        if let Some(d) = date {
            if d > today {
                self.at_field(field, format!("{what} {d} liegt in der Zukunft"));
            }
        }
    }
}

pub(super) fn skill(path: &Path, text: &str, skill: &Skill) -> Vec<Diagnostic> {
    let mut f = File::new(path, text);
    f.not_blank("label", &skill.label, "Die Bezeichnung");
    f.not_blank("group", &skill.group, "Die Gruppe");
    for s in skill.synonyms.iter().chain(&skill.foreign) {
        if s.trim().is_empty() {
            f.at_field("synonyms", "leeres Synonym".into());
        }
    }
    f.out
}

pub(super) fn occupation(path: &Path, text: &str, o: &Occupation, refs: &Refs) -> Vec<Diagnostic> {
    let mut f = File::new(path, text);
    f.not_blank("title", &o.title, "Der Titel");
    if let Some(m) = refs.kldb.check(&o.kldb) {
        f.at_field("kldb", m);
    }
    if let Some(isco) = &o.isco {
        if isco.len() != 4 || !isco.bytes().all(|b| b.is_ascii_digit()) {
            f.at_field(
                "isco",
                format!("ISCO-08-Code „{isco}“ ist ungültig: erwartet werden 4 Ziffern"),
            );
        }
    }
    if o.skills.is_empty() {
        f.at_field(
            "skills",
            "ein Beruf braucht mindestens eine Fähigkeit".into(),
        );
    }
    let mut seen = BTreeSet::new();
    for s in &o.skills {
        f.skill_ref("skill", &s.skill, refs);
        f.level("level", s.level, &format!("Fähigkeit „{}“", s.skill));
        if !seen.insert(s.skill.as_str()) {
            f.at_value(
                "skill",
                &s.skill,
                format!("Fähigkeit „{}“ steht doppelt", s.skill),
            );
        }
    }
    for r in &o.requirements {
        if let Requirement::Certificate { skill, .. } = r {
            f.skill_ref("skill", skill, refs);
        }
    }
    for r in &o.related {
        if !refs.occupations.contains(r.as_str()) || *r == o.id {
            f.at_value(
                "related",
                r,
                format!("verwandter Beruf „{r}“ ist unbekannt oder der Beruf selbst"),
            );
        }
    }
    f.out
}

pub(super) fn offer(path: &Path, text: &str, o: &Offer, refs: &Refs) -> Vec<Diagnostic> {
    let mut f = File::new(path, text);
    f.not_blank("title", &o.title, "Der Titel");
    f.not_blank("employer", &o.employer, "Der Arbeitgeber");
    if !refs.occupations.contains(o.occupation.as_str()) && !refs.kldb.knows(&o.occupation) {
        f.at_value(
            "occupation",
            &o.occupation,
            format!(
                "unbekannter Beruf „{}“: keine Datei occupations/occupations/{}.ron und keine Berufsgattung der KldB 2010 (erwartet: Kennung, „kldb-NNNNN“ oder fünfstelliger KldB-Code)",
                o.occupation, o.occupation
            ),
        );
    }
    if o.places == 0 {
        f.at_field(
            "places",
            "ein Angebot braucht mindestens einen Platz".into(),
        );
    }
    if !(2000..=2100).contains(&o.start_date.year()) {
        f.at_field(
            "start_date",
            format!("Beginn {} ist kein plausibles Datum", o.start_date),
        );
    }
    f.postcode(o.postcode.as_deref());
    for s in &o.skills {
        f.skill_ref("skill", &s.skill, refs);
        f.level("level", s.level, &format!("Fähigkeit „{}“", s.skill));
    }
    f.out
}

pub(super) fn training(path: &Path, text: &str, t: &TrainingOffer, refs: &Refs) -> Vec<Diagnostic> {
    let mut f = File::new(path, text);
    f.not_blank("title", &t.title, "Der Titel");
    f.not_blank("provider", &t.provider, "Der Träger");
    if t.duration_weeks == 0 {
        f.at_field(
            "duration_weeks",
            "die Dauer muss mindestens eine Woche sein".into(),
        );
    }
    if t.provides.is_empty() && t.german_reached.is_none() {
        f.at_field(
            "provides",
            "ein Bildungsangebot muss Fähigkeiten (provides) oder ein Sprachniveau (german_reached) vermitteln".into(),
        );
    }
    for s in &t.provides {
        f.skill_ref("provides", s, refs);
    }
    for s in &t.prerequisites.skills {
        f.skill_ref("skills", s, refs);
    }
    if let (Some(reached), Some(needed)) = (t.german_reached, t.prerequisites.min_german) {
        if reached <= needed {
            f.at_field(
                "german_reached",
                format!(
                    "das erreichte Niveau {reached} liegt nicht über der Voraussetzung {needed}"
                ),
            );
        }
    }
    f.postcode(t.postcode.as_deref());
    f.out
}

pub(super) fn profile(path: &Path, text: &str, p: &Profile, refs: &Refs) -> Vec<Diagnostic> {
    let mut f = File::new(path, text);
    let id = &p.identity;
    f.not_blank("given_name", &id.given_name, "Der Vorname");
    f.not_blank("family_name", &id.family_name, "Der Familienname");
    let this_year = refs.today.year();
    if let Some(y) = id.birth_year {
        if i32::from(y) > this_year || i32::from(y) < this_year - 100 {
            f.at_field("birth_year", format!("Geburtsjahr {y} ist nicht möglich"));
        }
    }
    f.not_future("arrival", id.arrival, "Die Einreise am", refs.today);
    if let (Some(arrival), Some(born)) = (id.arrival, id.birth_year) {
        if arrival.year() < i32::from(born) {
            f.at_field(
                "arrival",
                format!("Einreise {arrival} liegt vor dem Geburtsjahr {born}"),
            );
        }
    }
    if let Some(r) = &p.residence {
        f.postcode(r.postcode.as_deref());
        if let Some(c) = r.coordinates {
            if !(-90.0..=90.0).contains(&c.lat) || !(-180.0..=180.0).contains(&c.lon) {
                f.at_field(
                    "coordinates",
                    "Koordinaten außerhalb des gültigen Bereichs".into(),
                );
            }
        }
    }
    if let Some(s) = &p.schooling {
        if s.years.is_some_and(|y| y > 25) {
            f.at_field(
                "years",
                "mehr als 25 Schuljahre sind nicht plausibel".into(),
            );
        }
    }
    let years = p
        .vocational_training
        .iter()
        .map(|t| t.years)
        .chain(p.work_experience.iter().map(|w| w.years));
    for y in years.flatten() {
        if !(0.0..=60.0).contains(&y) || !y.is_finite() {
            f.at_field(
                "years",
                format!("{y} Jahre sind keine mögliche Dauer (0 bis 60)"),
            );
        }
    }
    for w in &p.work_experience {
        f.not_blank("activity", &w.activity, "Die Tätigkeit");
    }
    if let Some(c) = &p.consent {
        f.not_future("date", Some(c.date), "Die Einwilligung vom", refs.today);
        if c.scope.is_empty() {
            f.at_field(
                "scope",
                "die Einwilligung braucht einen Umfang (z. B. Profiling)".into(),
            );
        }
        if id.arrival.is_some_and(|a| c.date < a) {
            f.at_field(
                "date",
                format!("Einwilligung {} liegt vor der Einreise", c.date),
            );
        }
    }
    if let Some(k) = &p.competences {
        for s in &k.skills {
            f.not_blank("written", &s.written, "Eine Fähigkeit");
            f.level("level", s.level, &format!("Fähigkeit „{}“", s.written));
        }
        for (c, &v) in &k.ratings {
            f.level("ratings", Some(v), c.label());
        }
        f.not_future("date", k.date, "Das Kompetenzprofil vom", refs.today);
    }
    f.out
}
