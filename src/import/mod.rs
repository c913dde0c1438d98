//! Importing profiles and offers from CSV files as German Excel writes them
//! and from Excel workbooks (`lotse import profiles|offers FILE.csv|FILE.xlsx`).
//!
//! Invariants: all or nothing — no record is written unless every row of
//! the file is valid, and the records of one import are renamed into place
//! together (undone if one rename fails); every bad cell is reported at
//! `FILE:ROW:COLUMN` (ROW is the line in the file, 1 the header); an empty
//! cell means "not known", never zero or no; a file is never decoded with
//! an encoding it was not written in.

mod ba_json;
mod cells;
mod csv_file;
mod header;
mod offer_row;
mod profile_row;
mod resolve;
mod row;
mod template;
mod write;
mod xlsx_file;

pub use csv_file::Encoding;
pub use resolve::{resolve_occupation, resolve_skill};
pub use template::{template_kind, write_template};

use crate::error::{Diagnostic, Error, Result};
use crate::records::{self, DataDir, Record};
use chrono::Datelike;
use csv_file::Table;
use header::Layout;
use row::Row;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Profiles,
    Offers,
    /// Courses from the Weiterbildungssuche's JSON.
    Training,
}

impl ImportKind {
    /// The German noun for `n` records ("1 Profil", "3 Angebote").
    pub fn noun(self, n: usize) -> &'static str {
        match (self, n) {
            (ImportKind::Profiles, 1) => "Profil",
            (ImportKind::Profiles, _) => "Profile",
            (ImportKind::Offers, 1) => "Angebot",
            (ImportKind::Offers, _) => "Angebote",
            (ImportKind::Training, 1) => "Kurs",
            (ImportKind::Training, _) => "Kurse",
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// The file's encoding (default UTF-8).
    pub encoding: Encoding,
    /// Replace records whose id exists already (otherwise that is an error).
    pub replace: bool,
    /// Check everything and report what would be written, writing nothing.
    pub dry_run: bool,
    /// Import rows that are probably a person already on file (or another
    /// row of the file); otherwise such a row is an error naming both.
    pub allow_duplicates: bool,
}

/// One record of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: String,
    /// The record's file.
    pub path: PathBuf,
    /// Whether a record with this id existed and was (or would be) replaced.
    pub replaced: bool,
}

/// What an import wrote, or would have written in a dry run.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub records: Vec<Imported>,
    pub dry_run: bool,
}

impl ImportReport {
    /// How many records replaced existing ones.
    pub fn replaced(&self) -> usize {
        self.records.iter().filter(|r| r.replaced).count()
    }

    /// One German sentence: "12 Profile importiert (3 ersetzt)." or, for a
    /// dry run, "Probelauf: 12 Profile wären importiert worden, nichts geschrieben."
    pub fn summary(&self) -> String {
        let n = self.records.len();
        let noun = self.kind.noun(n);
        let replaced = match self.replaced() {
            0 => String::new(),
            r => format!(" ({r} ersetzt)"),
        };
        if self.dry_run {
            let verb = if n == 1 { "wäre" } else { "wären" };
            format!("Probelauf: {n} {noun} {verb} importiert worden{replaced}, nichts geschrieben.")
        } else {
            format!("{n} {noun} importiert{replaced}.")
        }
    }
}

/// Imports a profiles file into `data/profiles/`: all rows or none.
///
/// Every problem (bad cells, unknown columns, ids that exist already or
/// twice in the file) is returned at once as [`Error::Invalid`].
pub fn import_profiles(
    data: &DataDir,
    file: &Path,
    options: &ImportOptions,
) -> Result<ImportReport> {
    // Without this check a mistyped --data would create a new `profiles/`
    // somewhere; offers get the same check from loading the catalogue.
    if !data.catalogue().is_dir() {
        return Err(Error::Invalid(vec![Diagnostic::file(
            data.root(),
            "ist kein Datenordner (es fehlt der Ordner occupations/): mit --data den Datenordner angeben",
        )]));
    }
    let bytes = read(file)?;
    let this_year = chrono::Local::now().year();
    let mut rows = parse(
        file,
        &bytes,
        options.encoding,
        &profile_row::LAYOUT,
        |row| profile_row::profile(row, this_year),
    )?;
    if !options.allow_duplicates {
        check_duplicates(data, &mut rows)?;
    }
    import(&data.profiles(), ImportKind::Profiles, rows, options)
}

/// Imports an offers file into `data/occupations/offers/`: all rows or none.
/// Occupations and skills are resolved against the data folder's catalogue.
pub fn import_offers(data: &DataDir, file: &Path, options: &ImportOptions) -> Result<ImportReport> {
    let bytes = read(file)?;
    let engine = crate::engine::Engine::open(data, None)?;
    if ba_json::is_json(&bytes) {
        let today = chrono::Local::now().date_naive();
        let mut diagnostics = Vec::new();
        let read = ba_json::offers(file, &bytes, &engine, today, &mut diagnostics)
            .map_err(|d| Error::Invalid(vec![d]))?;
        let rows = from_json(file, read, diagnostics);
        return import(&data.offers(), ImportKind::Offers, rows, options);
    }
    let mut names = offer_row::Names::new(&engine);
    let rows = parse(file, &bytes, options.encoding, &offer_row::LAYOUT, |row| {
        offer_row::offer(row, &mut names)
    })?;
    import(&data.offers(), ImportKind::Offers, rows, options)
}

/// Reports every row that is probably a person on file or an earlier row
/// of the file ([`crate::duplicates`]), naming both ids.
fn check_duplicates(data: &DataDir, rows: &mut Rows<crate::profile::Profile>) -> Result<()> {
    use crate::duplicates::{explain, OnFile, Person};
    let loaded = records::load_dir::<crate::profile::Profile>(&data.profiles())?;
    let on_file = OnFile::new(
        loaded
            .records
            .iter()
            .map(|l| Person::of(&l.record))
            .collect(),
    );
    let mut earlier: HashMap<String, Vec<(usize, Person)>> = HashMap::new();
    for p in &rows.parsed {
        let Some(profile) = &p.record else { continue };
        let person = Person::of(profile);
        let at = |message: String| Diagnostic::at(&rows.file, p.line, p.id_column, message);
        for (other, reason) in on_file.matches(&person) {
            rows.diagnostics.push(at(format!(
                "„{}“ ({}) ist wahrscheinlich dieselbe Person wie „{}“ ({}) im Datenordner: {}; mit --allow-duplicates trotzdem importieren",
                person.id,
                person.name,
                other.id,
                other.name,
                explain(reason, &person)
            )));
        }
        for (line, other) in earlier.get(&person.key).into_iter().flatten() {
            if let Some(reason) = crate::duplicates::reason(&person, other) {
                rows.diagnostics.push(at(format!(
                    "„{}“ ({}) ist wahrscheinlich dieselbe Person wie „{}“ ({}) in Zeile {line}: {}; mit --allow-duplicates trotzdem importieren",
                    person.id,
                    person.name,
                    other.id,
                    other.name,
                    explain(reason, &person)
                )));
            }
        }
        earlier
            .entry(person.key.clone())
            .or_default()
            .push((p.line, person));
    }
    Ok(())
}

/// Imports the BA Weiterbildungssuche's JSON into `data/occupations/training/`:
/// all courses or none.
pub fn import_training(
    data: &DataDir,
    file: &Path,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let bytes = read(file)?;
    let engine = crate::engine::Engine::open(data, None)?;
    if !ba_json::is_json(&bytes) {
        return Err(Error::Invalid(vec![Diagnostic::file(
            file,
            "Bildungsangebote werden als JSON der BA-Weiterbildungssuche importiert (mit „_embedded“ und „termine“)",
        )]));
    }
    let mut diagnostics = Vec::new();
    let read = ba_json::courses(file, &bytes, &engine, &mut diagnostics)
        .map_err(|d| Error::Invalid(vec![d]))?;
    let rows = from_json(file, read, diagnostics);
    import(&data.training(), ImportKind::Training, rows, options)
}

fn from_json<T>(file: &Path, read: Vec<ba_json::Read<T>>, diagnostics: Vec<Diagnostic>) -> Rows<T> {
    Rows {
        file: file.to_path_buf(),
        parsed: read
            .into_iter()
            .map(|r| Parsed {
                line: r.line,
                id_column: r.column,
                id: r.id,
                record: r.record,
            })
            .collect(),
        diagnostics,
    }
}

/// The data folder a records folder belongs to: the nearest folder above
/// it that has `occupations/` (profiles/ and occupations/offers/ alike).
fn data_folder_of(folder: &Path) -> DataDir {
    folder
        .ancestors()
        .skip(1)
        .find(|a| a.join("occupations").is_dir())
        .or_else(|| folder.parent())
        .map_or_else(|| DataDir::new("."), DataDir::new)
}

fn read(file: &Path) -> Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "Datei nicht gefunden".to_string(),
            _ => format!("Datei nicht lesbar: {e}"),
        };
        Error::Invalid(vec![Diagnostic::file(file, message)])
    })
}

/// A row that was read: where its id stands, the id if it is a valid one,
/// and the record if the whole row was valid.
struct Parsed<T> {
    line: usize,
    id_column: usize,
    id: Option<String>,
    record: Option<T>,
}

/// The rows that were read, and every problem of the file.
struct Rows<T> {
    file: PathBuf,
    parsed: Vec<Parsed<T>>,
    diagnostics: Vec<Diagnostic>,
}

fn parse<T>(
    file: &Path,
    bytes: &[u8],
    encoding: Encoding,
    layout: &Layout,
    mut convert: impl FnMut(&mut Row) -> Option<T>,
) -> Result<Rows<T>> {
    let Table {
        columns,
        rows,
        mut diagnostics,
    } = if xlsx_file::is_xlsx(bytes) {
        xlsx_file::read(file, bytes, layout)
    } else {
        csv_file::read(file, bytes, encoding, layout)
    }
    .map_err(|d| Error::Invalid(vec![d]))?;
    let mut parsed = Vec::with_capacity(rows.len());
    for raw in &rows {
        let mut row = Row::new(file, &columns, raw);
        let record = convert(&mut row);
        diagnostics.append(&mut row.diagnostics);
        parsed.push(Parsed {
            line: row.line(),
            id_column: row.column("id").unwrap_or(1),
            id: row.string("id").filter(|id| records::check_id(id).is_ok()),
            record,
        });
    }
    Ok(Rows {
        file: file.to_path_buf(),
        parsed,
        diagnostics,
    })
}

/// Checks the ids against `folder` and each other (in every row with a
/// valid id, so a duplicate is reported together with the row's other
/// problems), then writes all records or none.
fn import<T: Record>(
    folder: &Path,
    kind: ImportKind,
    rows: Rows<T>,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let Rows {
        file,
        parsed,
        mut diagnostics,
    } = rows;
    let existing = existing_ids(folder)?;
    let mut seen: HashMap<String, (usize, &str)> = HashMap::new();
    let mut records = Vec::with_capacity(parsed.len());
    for p in &parsed {
        let Some(id) = &p.id else { continue };
        let key = id.to_lowercase();
        let at = |message: String| Diagnostic::at(&file, p.line, p.id_column, message);
        if let Some((first_line, first_id)) = seen.get(&key) {
            let case = if first_id == id {
                ""
            } else {
                " (Groß- und Kleinschreibung zählen nicht)"
            };
            diagnostics.push(at(format!(
                "Spalte „id“: {} „{id}“ steht schon in Zeile {first_line}{case}",
                T::NOUN
            )));
            continue;
        }
        seen.insert(key.clone(), (p.line, id));
        let target = folder.join(format!("{id}.ron"));
        let replaced = match existing.get(&key) {
            Some(stem) if stem != id => {
                diagnostics.push(at(format!(
                    "Spalte „id“: es gibt schon „{stem}“ ({}); Kennungen dürfen sich nicht nur in Groß- und Kleinschreibung unterscheiden",
                    folder.join(format!("{stem}.ron")).display()
                )));
                continue;
            }
            Some(_) if !options.replace => {
                diagnostics.push(at(format!(
                    "Spalte „id“: {} „{id}“ gibt es schon ({}); mit --replace ersetzen",
                    T::NOUN,
                    target.display()
                )));
                continue;
            }
            Some(_) => true,
            None => false,
        };
        if let Some(record) = &p.record {
            records.push((record, target, replaced));
        }
    }
    if !diagnostics.is_empty() {
        diagnostics.sort();
        return Err(Error::Invalid(diagnostics));
    }
    let mut plan = Vec::with_capacity(records.len());
    for (record, target, replaced) in &records {
        plan.push(write::Planned {
            target: target.clone(),
            text: records::to_ron(*record)?,
            replace: *replaced,
        });
    }
    if !options.dry_run {
        // One writer at a time: the records are written under the data
        // folder's exclusive lock, and the ids checked again under it.
        let data = data_folder_of(folder);
        let lock = records::FolderLock::exclusive(&data)?;
        let now = existing_ids(folder)?;
        let changed: Vec<Diagnostic> = records
            .iter()
            .filter(|(record, _, replaced)| {
                now.contains_key(&record.id().to_lowercase()) != *replaced
            })
            .map(|(record, target, _)| {
                Diagnostic::file(
                    target,
                    format!(
                        "{} „{}“ wurde während des Imports von jemand anderem angelegt oder gelöscht; bitte den Import wiederholen",
                        T::NOUN,
                        record.id()
                    ),
                )
            })
            .collect();
        if !changed.is_empty() {
            return Err(Error::Invalid(changed));
        }
        if kind == ImportKind::Profiles {
            // Audited before the change; ids are kept as used.
            let user = crate::audit::cli_user();
            let entries: Vec<crate::audit::Entry> = records
                .iter()
                .map(|(record, _, replaced)| {
                    let action = if *replaced {
                        crate::audit::Action::Update
                    } else {
                        crate::audit::Action::Create
                    };
                    crate::audit::Entry::now(&user, action, record.id(), None)
                })
                .collect();
            crate::audit::AuditLog::open(&data.audit_log())?.record(&entries)?;
            records::journal::add_used_ids(&data, records.iter().map(|(r, _, _)| r.id()))?;
        }
        write::commit_journaled(&data, &plan)?;
        lock.finish();
    }
    Ok(ImportReport {
        kind,
        records: records
            .into_iter()
            .map(|(record, path, replaced)| Imported {
                id: record.id().to_string(),
                path,
                replaced,
            })
            .collect(),
        dry_run: options.dry_run,
    })
}

/// The ids of the records in `folder` by their lower case (ids differing
/// only in case would clash on some file systems and in validation).
fn existing_ids(folder: &Path) -> Result<HashMap<String, String>> {
    Ok(records::ron_files(folder)?
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .map(|stem| (stem.to_lowercase(), stem))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_german_sentences() {
        let report = |kind, n: usize, replaced: usize, dry_run| ImportReport {
            kind,
            records: (0..n)
                .map(|i| Imported {
                    id: format!("P-{i}"),
                    path: PathBuf::new(),
                    replaced: i < replaced,
                })
                .collect(),
            dry_run,
        };
        for (r, expected) in [
            (
                report(ImportKind::Profiles, 12, 3, false),
                "12 Profile importiert (3 ersetzt).",
            ),
            (
                report(ImportKind::Profiles, 1, 0, false),
                "1 Profil importiert.",
            ),
            (
                report(ImportKind::Offers, 2, 0, false),
                "2 Angebote importiert.",
            ),
            (
                report(ImportKind::Profiles, 12, 0, true),
                "Probelauf: 12 Profile wären importiert worden, nichts geschrieben.",
            ),
            (
                report(ImportKind::Offers, 1, 1, true),
                "Probelauf: 1 Angebot wäre importiert worden (1 ersetzt), nichts geschrieben.",
            ),
        ] {
            assert_eq!(r.summary(), expected);
        }
    }
}
