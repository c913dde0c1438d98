//! The Bundesagentur für Arbeit's JSON: the Jobsuche's search result
//! (`stellenangebote[]`) or one job's details as offers, and the
//! Weiterbildungssuche's `_embedded.termine[]` as training offers.
//!
//! Shapes as in bundesAPI's `jobsuche-api` OpenAPI file and the
//! Weiterbildungssuche's responses; fields lotse has no use for are ignored.
//! Syntax and type errors carry serde_json's line and column; problems of
//! one job or course are placed at its `"refnr"` or `"angebot"` key.
//!
//! Rules: the BA's `refnr` is the offer id (it must pass
//! [`records::check_id`]); the occupation is `beruf` resolved through the
//! catalogue, else `titel`; a job without `eintrittsdatum` starts on the
//! day of the import („ab sofort“); `angebotsart` AUSBILDUNG is an
//! apprenticeship, PRAKTIKUM_TRAINEE an internship, a title with
//! „Einstiegsqualifizierung“ an EQ, everything else a job; `anzahlOffeneStellen`
//! gives the places (default 1). A course's id is `WB-` and the Termin's id;
//! `beginn`/`ende` are epoch milliseconds of a day in German time.

use crate::catalogue::{Offer, OfferKind, Prerequisites, TrainingKind, TrainingOffer};
use crate::cefr::Cefr;
use crate::engine::Engine;
use crate::error::Diagnostic;
use crate::profile::Coordinates;
use crate::records;
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;

/// Whether `bytes` look like JSON (an object or array after white space).
pub(super) fn is_json(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
}

/// A record read from the file, with where it starts.
pub(super) struct Read<T> {
    pub line: usize,
    pub column: usize,
    pub id: Option<String>,
    pub record: Option<T>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Text {
    Number(u64),
    String(String),
}

impl Text {
    fn into_string(self) -> String {
        match self {
            Text::Number(n) => n.to_string(),
            Text::String(s) => s.trim().to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct LatLon {
    lat: Option<f64>,
    lon: Option<f64>,
}

impl LatLon {
    fn coordinates(&self) -> Option<Coordinates> {
        Some(Coordinates {
            lat: self.lat?,
            lon: self.lon?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct Arbeitsort {
    plz: Option<Text>,
    ort: Option<String>,
    koordinaten: Option<LatLon>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    refnr: String,
    titel: Option<String>,
    beruf: Option<String>,
    arbeitgeber: Option<String>,
    eintrittsdatum: Option<String>,
    arbeitsort: Option<Arbeitsort>,
    #[serde(default)]
    arbeitsorte: Vec<Arbeitsort>,
    angebotsart: Option<String>,
    stellenbeschreibung: Option<String>,
    fuer_fluechtlinge_geeignet: Option<bool>,
    anzahl_offene_stellen: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct SearchResult {
    #[serde(default)]
    stellenangebote: Vec<Job>,
}

/// Line and column (1-based) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Positions of each occurrence of the key `"key"` followed by `:`.
fn key_positions(text: &str, key: &str) -> Vec<(usize, usize)> {
    let needle = format!("\"{key}\"");
    text.match_indices(&needle)
        .filter(|(i, _)| text[i + needle.len()..].trim_start().starts_with(':'))
        .map(|(i, _)| position(text, i))
        .collect()
}

fn syntax(file: &Path, e: &serde_json::Error) -> Diagnostic {
    let message = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("kein gültiges JSON: {e}")
        }
        _ => format!("JSON nicht im Format der Bundesagentur: {e}"),
    };
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.clone(), |(m, _)| m.to_string());
    Diagnostic::at(file, e.line().max(1), e.column().max(1), message)
}

fn text_of<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let (line, column) = position(valid, valid.len());
        Diagnostic::at(
            file,
            line,
            column,
            "die Datei ist nicht in UTF-8 gespeichert",
        )
    })
}

/// Reads a Jobsuche result or job details as offers.
pub(super) fn offers(
    file: &Path,
    bytes: &[u8],
    engine: &Engine,
    today: NaiveDate,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Read<Offer>>, Diagnostic> {
    let text = text_of(file, bytes)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| syntax(file, &e))?;
    let jobs: Vec<Job> = if value.get("stellenangebote").is_some() {
        serde_json::from_str::<SearchResult>(text)
            .map_err(|e| syntax(file, &e))?
            .stellenangebote
    } else if value.get("refnr").is_some() {
        vec![serde_json::from_str::<Job>(text).map_err(|e| syntax(file, &e))?]
    } else {
        return Err(Diagnostic::at(
            file,
            1,
            1,
            "weder ein Ergebnis der BA-Jobsuche („stellenangebote“) noch die Details einer Stelle („refnr“)",
        ));
    };
    let positions = key_positions(text, "refnr");
    let mut read = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.into_iter().enumerate() {
        let (line, column) = positions.get(i).copied().unwrap_or((1, 1));
        let mut problems = Vec::new();
        let offer = offer(job, engine, today, &mut problems);
        let id = offer.as_ref().map(|o| o.id.clone());
        for p in problems {
            diagnostics.push(Diagnostic::at(file, line, column, p));
        }
        read.push(Read {
            line,
            column,
            id,
            record: offer,
        });
    }
    Ok(read)
}

fn offer(job: Job, engine: &Engine, today: NaiveDate, problems: &mut Vec<String>) -> Option<Offer> {
    let refnr = job.refnr.trim().to_string();
    if let Err(m) = records::check_id(&refnr) {
        problems.push(format!("refnr „{refnr}“ taugt nicht als Kennung: {m}"));
    }
    let title = job
        .titel
        .clone()
        .or_else(|| job.beruf.clone())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if title.is_none() {
        problems.push(format!("Stelle {refnr}: weder „titel“ noch „beruf“"));
    }
    let mut occupation = None;
    let mut why = Vec::new();
    for written in [&job.beruf, &job.titel].into_iter().flatten() {
        match super::resolve_occupation(engine, written) {
            Ok(id) => {
                occupation = Some(id.to_string());
                break;
            }
            Err(m) => why.push(m),
        }
    }
    if occupation.is_none() && title.is_some() {
        problems.push(format!(
            "Stelle {refnr}: kein Beruf des Katalogs erkannt: {}",
            why.join("; ")
        ));
    }
    let employer = job
        .arbeitgeber
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("unbekannter Arbeitgeber (BA-Jobsuche)")
        .to_string();
    let start_date = match job.eintrittsdatum.as_deref().map(str::trim) {
        None | Some("") => Some(today),
        Some(s) => match NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(format!(
                    "Stelle {refnr}: „eintrittsdatum“ „{s}“ ist kein Datum JJJJ-MM-TT"
                ));
                None
            }
        },
    };
    let place = job.arbeitsort.as_ref().or(job.arbeitsorte.first());
    let postcode = place
        .and_then(|p| p.plz.as_ref())
        .map(|p| match p {
            Text::Number(n) => format!("{n:05}"),
            Text::String(s) => s.trim().to_string(),
        })
        .filter(|p| !p.is_empty());
    if let Some(p) = &postcode {
        if let Err(m) = super::cells::postcode(p) {
            problems.push(format!("Stelle {refnr}: {m}"));
        }
    }
    let kind = match job.angebotsart.as_deref().map(str::to_uppercase).as_deref() {
        Some("AUSBILDUNG") => OfferKind::Ausbildung,
        Some(a) if a.starts_with("PRAKTIKUM") => OfferKind::Praktikum,
        Some("SELBSTAENDIGKEIT") => {
            problems.push(format!(
                "Stelle {refnr}: eine Selbständigkeit ist kein Angebot für lotse"
            ));
            OfferKind::Job
        }
        _ if title
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains("einstiegsqualifizierung")) =>
        {
            OfferKind::Eq
        }
        _ => OfferKind::Job,
    };
    if !problems.is_empty() {
        return None;
    }
    let mut notes = vec![format!("BA-Jobsuche, Referenznummer {refnr}")];
    if job.fuer_fluechtlinge_geeignet == Some(true) {
        notes.push("laut BA für Geflüchtete geeignet".to_string());
    }
    if let Some(d) = job.stellenbeschreibung.as_deref().map(str::trim) {
        if !d.is_empty() {
            notes.push(d.to_string());
        }
    }
    Some(Offer {
        id: refnr,
        title: title?,
        kind,
        occupation: occupation?,
        employer,
        postcode,
        municipality: place.and_then(|p| p.ort.clone()),
        coordinates: place
            .and_then(|p| p.koordinaten.as_ref())
            .and_then(LatLon::coordinates),
        places: job.anzahl_offene_stellen.unwrap_or(1).max(1),
        start_date: start_date?,
        min_german: None,
        required_licences: Vec::new(),
        work_permit_required: true,
        skills: Vec::new(),
        programme: None,
        vocational_school: None,
        notes: Some(notes.join("\n\n")),
    })
}

#[derive(Debug, Deserialize)]
struct Named {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Bezeichnung {
    bezeichnung: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrtStrasse {
    plz: Option<Text>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Adresse {
    ort_strasse: Option<OrtStrasse>,
    koordinaten: Option<LatLon>,
}

#[derive(Debug, Deserialize)]
struct Angebot {
    id: Option<u64>,
    titel: Option<String>,
    inhalt: Option<String>,
    bildungsanbieter: Option<Named>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Termin {
    id: Text,
    angebot: Angebot,
    adresse: Option<Adresse>,
    beginn: Option<i64>,
    ende: Option<i64>,
    dauer: Option<Bezeichnung>,
    foerderung: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Embedded {
    #[serde(default)]
    termine: Vec<Termin>,
}

#[derive(Debug, Deserialize)]
struct CourseSearch {
    #[serde(rename = "_embedded")]
    embedded: Embedded,
}

/// Reads a Weiterbildungssuche result as training offers.
pub(super) fn courses(
    file: &Path,
    bytes: &[u8],
    engine: &Engine,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Read<TrainingOffer>>, Diagnostic> {
    let text = text_of(file, bytes)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| syntax(file, &e))?;
    if value.pointer("/_embedded/termine").is_none() {
        return Err(Diagnostic::at(
            file,
            1,
            1,
            "kein Ergebnis der BA-Weiterbildungssuche: es fehlt „_embedded“ mit „termine“",
        ));
    }
    let termine = serde_json::from_str::<CourseSearch>(text)
        .map_err(|e| syntax(file, &e))?
        .embedded
        .termine;
    let positions = key_positions(text, "angebot");
    let mut read = Vec::with_capacity(termine.len());
    for (i, termin) in termine.into_iter().enumerate() {
        let (line, column) = positions.get(i).copied().unwrap_or((1, 1));
        let mut problems = Vec::new();
        let course = course(termin, engine, &mut problems);
        for p in problems {
            diagnostics.push(Diagnostic::at(file, line, column, p));
        }
        read.push(Read {
            line,
            column,
            id: course.as_ref().map(|c| c.id.clone()),
            record: course,
        });
    }
    Ok(read)
}

/// The day of an epoch-millisecond time stamp of a German midnight: noon
/// UTC of the same day is safely inside it in summer and winter.
fn day_of(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms + 12 * 3600 * 1000).map(|t| t.date_naive())
}

/// The longest duration named in a text like „mehr als 1 Monat bis 3 Monate“, in weeks.
fn weeks_of(text: &str) -> Option<u16> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut best = None;
    for pair in words.windows(2) {
        let Ok(n) = pair[0].parse::<f32>() else {
            continue;
        };
        let per = if pair[1].starts_with("tag") {
            1.0 / 5.0
        } else if pair[1].starts_with("woche") {
            1.0
        } else if pair[1].starts_with("monat") {
            4.33
        } else if pair[1].starts_with("jahr") {
            52.0
        } else {
            continue;
        };
        let weeks = (n * per).ceil().max(1.0) as u16;
        best = Some(best.map_or(weeks, |b: u16| b.max(weeks)));
    }
    best
}

/// The kind of a course, told by its title and content.
fn kind_of(text: &str) -> TrainingKind {
    let t = crate::text::fold(text);
    if t.contains("integrationskurs") {
        TrainingKind::Integrationskurs
    } else if t.contains("berufssprachkurs")
        || t.contains("deufoev")
        || t.contains("berufsbezogene deutsch")
    {
        TrainingKind::Berufssprachkurs
    } else if t.contains("alphabetisierung") {
        TrainingKind::Alphabetisierung
    } else if t.contains("berufsorientierung") || t.contains("orientierungskurs") {
        TrainingKind::Orientierung
    } else {
        TrainingKind::Qualifizierung
    }
}

/// The German level a language course leads to, named in its title.
fn level_of(title: &str, kind: TrainingKind) -> Option<Cefr> {
    let named = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|w| match w {
            "A1" | "A2" | "B1" | "B2" | "C1" | "C2" => w.parse::<Cefr>().ok(),
            _ => None,
        });
    match kind {
        TrainingKind::Integrationskurs => named.or(Some(Cefr::B1)),
        TrainingKind::Berufssprachkurs => named,
        _ => None,
    }
}

fn course(termin: Termin, engine: &Engine, problems: &mut Vec<String>) -> Option<TrainingOffer> {
    let id = format!("WB-{}", termin.id.into_string());
    if let Err(m) = records::check_id(&id) {
        problems.push(format!("Termin „{id}“ taugt nicht als Kennung: {m}"));
    }
    let angebot = termin.angebot;
    let title = angebot
        .titel
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let Some(title) = title else {
        problems.push(format!("Termin {id}: „angebot.titel“ fehlt"));
        return None;
    };
    let provider = angebot
        .bildungsanbieter
        .and_then(|b| b.name)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let Some(provider) = provider else {
        problems.push(format!(
            "Termin {id}: „angebot.bildungsanbieter.name“ fehlt"
        ));
        return None;
    };
    let begin = termin.beginn.and_then(day_of);
    let end = termin.ende.and_then(day_of);
    let weeks = match (begin, end) {
        (Some(b), Some(e)) if e >= b => {
            Some((((e - b).num_days() + 1) as f32 / 7.0).ceil().max(1.0) as u16)
        }
        (Some(_), Some(_)) => {
            problems.push(format!("Termin {id}: „ende“ liegt vor „beginn“"));
            None
        }
        _ => termin
            .dauer
            .and_then(|d| d.bezeichnung)
            .as_deref()
            .and_then(weeks_of),
    };
    let Some(duration_weeks) = weeks else {
        problems.push(format!(
            "Termin {id}: die Dauer ist unbekannt (weder „beginn“ und „ende“ noch „dauer“)"
        ));
        return None;
    };
    let content = angebot.inhalt.unwrap_or_default();
    let kind = kind_of(&format!("{title} {content}"));
    let provides = match super::resolve_skill(engine, &title) {
        Ok(skill) => vec![skill.to_string()],
        Err(_) => Vec::new(),
    };
    let address = termin.adresse;
    let place = address.as_ref().and_then(|a| a.ort_strasse.as_ref());
    let postcode = place
        .and_then(|p| p.plz.as_ref())
        .map(|p| match p {
            Text::Number(n) => format!("{n:05}"),
            Text::String(s) => s.trim().to_string(),
        })
        .filter(|p| super::cells::postcode(p).is_ok());
    let mut notes = vec![format!(
        "BA-Weiterbildungssuche{}",
        angebot
            .id
            .map(|a| format!(", Angebot {a}"))
            .unwrap_or_default()
    )];
    if end.is_some() {
        notes.push(format!(
            "Ende {}",
            end.map(|e| e.format("%d.%m.%Y").to_string())
                .unwrap_or_default()
        ));
    }
    if !problems.is_empty() {
        return None;
    }
    Some(TrainingOffer {
        id,
        german_reached: level_of(&title, kind),
        title,
        kind,
        provider,
        provides,
        prerequisites: Prerequisites::default(),
        duration_weeks,
        postcode,
        municipality: place.and_then(|p| p.name.clone()),
        coordinates: address
            .as_ref()
            .and_then(|a| a.koordinaten.as_ref())
            .and_then(LatLon::coordinates),
        capacity: None,
        start_date: begin,
        late_entry: false,
        funding: (termin.foerderung == Some(true)).then(|| {
            "förderfähig laut BA-Weiterbildungssuche (z. B. Bildungsgutschein)".to_string()
        }),
        notes: Some(notes.join("; ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_days() {
        assert_eq!(weeks_of("mehr als 1 Monat bis 3 Monate"), Some(13));
        assert_eq!(weeks_of("bis 1 Woche"), Some(1));
        assert_eq!(weeks_of("unbekannt"), None);
        // 2026-03-02 00:00 in Berlin (CET) is 2026-03-01 23:00 UTC.
        assert_eq!(
            day_of(1_772_406_000_000),
            NaiveDate::from_ymd_opt(2026, 3, 2)
        );
        // 2026-07-01 00:00 in Berlin (CEST) is 2026-06-30 22:00 UTC.
        assert_eq!(
            day_of(1_782_856_800_000),
            NaiveDate::from_ymd_opt(2026, 7, 1)
        );
    }

    #[test]
    fn kinds_and_levels_from_titles() {
        assert_eq!(
            kind_of("Integrationskurs mit Alphabetisierung"),
            TrainingKind::Integrationskurs
        );
        assert_eq!(
            kind_of("Berufssprachkurs B2"),
            TrainingKind::Berufssprachkurs
        );
        assert_eq!(kind_of("Gabelstaplerschein"), TrainingKind::Qualifizierung);
        assert_eq!(
            level_of("Berufssprachkurs B2", TrainingKind::Berufssprachkurs),
            Some(Cefr::B2)
        );
        assert_eq!(
            level_of("Integrationskurs", TrainingKind::Integrationskurs),
            Some(Cefr::B1)
        );
    }

    #[test]
    fn keys_are_found_in_order() {
        let text = "{\n \"a\": [{\"refnr\": \"1\"},\n {\"refnr\" : \"2\"}], \"x\": \"refnr\"}";
        assert_eq!(key_positions(text, "refnr"), [(2, 9), (3, 3)]);
    }
}
