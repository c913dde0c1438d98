//! Records on disk: the data folder's layout, reading RON files into typed
//! records with positioned diagnostics, and atomic writes.
//!
//! Records are the source of truth; everything else (the index) is derived.

pub mod journal;
mod lock;
mod ron_error;

pub use lock::{read_generation, FolderLock};

use crate::error::{Diagnostic, Error, Result};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A record type stored one per file.
pub trait Record: DeserializeOwned + Serialize + Send {
    /// German noun for messages ("Profil", "Beruf").
    const NOUN: &'static str;
    /// The record's id, which is also its file name without `.ron`.
    fn id(&self) -> &str;
}

macro_rules! record {
    ($ty:ty, $noun:literal) => {
        impl Record for $ty {
            const NOUN: &'static str = $noun;
            fn id(&self) -> &str {
                &self.id
            }
        }
    };
}

record!(crate::profile::Profile, "Profil");
record!(crate::catalogue::Skill, "Fähigkeit");
record!(crate::catalogue::Occupation, "Beruf");
record!(crate::catalogue::Offer, "Angebot");
record!(crate::catalogue::TrainingOffer, "Bildungsangebot");

/// The data folder: `profiles/` and `occupations/` with its sub-folders.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// A data folder at `root` (not checked here; loading reports what is missing).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn profiles(&self) -> PathBuf {
        self.root.join("profiles")
    }
    pub fn catalogue(&self) -> PathBuf {
        self.root.join("occupations")
    }
    pub fn skills(&self) -> PathBuf {
        self.catalogue().join("skills")
    }
    pub fn occupations(&self) -> PathBuf {
        self.catalogue().join("occupations")
    }
    pub fn offers(&self) -> PathBuf {
        self.catalogue().join("offers")
    }
    pub fn training(&self) -> PathBuf {
        self.catalogue().join("training")
    }
    /// The gazetteer of postcodes, one file with a list.
    pub fn places(&self) -> PathBuf {
        self.catalogue().join("places.ron")
    }
    /// The scoring configuration (optional; defaults apply without it).
    pub fn config(&self) -> PathBuf {
        self.root.join("lotse.ron")
    }
    /// The default index folder.
    pub fn default_index(&self) -> PathBuf {
        self.root.join(".lotse-index")
    }
    /// The audit log of the web interface.
    pub fn audit_log(&self) -> PathBuf {
        self.root.join("audit.jsonl")
    }
    /// The accounts of the web interface.
    pub fn users(&self) -> PathBuf {
        self.root.join("users.ron")
    }
    /// The file of a profile.
    pub fn profile_path(&self, id: &str) -> PathBuf {
        self.profiles().join(format!("{id}.ron"))
    }
}

/// RON options used for every record: `Some(…)` may be left out.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parses a record from its text; the diagnostic names `path` and the position.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ron_options()
        .from_str(text)
        .map_err(|e| ron_error::diagnostic(path, &e))
}

/// Serialises a record as pretty RON, the way records are stored.
pub fn to_ron<T: Serialize>(value: &T) -> Result<String> {
    let pretty = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false);
    ron_options()
        .to_string_pretty(value, pretty)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Internal(format!("RON schreiben: {e}")))
}

/// A record with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub record: T,
}

/// What loading a folder gave: the records that parsed, and every problem.
#[derive(Debug)]
pub struct LoadReport<T> {
    pub records: Vec<Loaded<T>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The `.ron` files directly in `dir`, sorted by name; a missing folder is empty.
pub fn ron_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        // The listing says what an entry is; only a link needs a `stat`
        // (a file it points to counts), not each of a million records.
        let file = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_file(),
            _ => path.is_file(),
        };
        if file {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads one record file, checking that its id matches the file name.
pub fn load_file<T: Record>(path: &Path) -> Result<T, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(path, format!("Datei nicht lesbar: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_of_offset(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Diagnostic::at(
            path,
            line,
            column,
            "die Datei ist nicht in UTF-8 gespeichert (vermutlich Windows-1252); bitte als UTF-8 speichern",
        )
    })?;
    let record: T = parse(path, &text)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if record.id() != stem {
        let (line, column) = locate(&text, "id").unwrap_or((1, 1));
        return Err(Diagnostic::at(
            path,
            line,
            column,
            format!(
                "{} „{}“ steht in der Datei „{stem}.ron“: Kennung und Dateiname müssen gleich sein",
                T::NOUN,
                record.id()
            ),
        ));
    }
    check_id(record.id()).map_err(|m| {
        let (line, column) = locate(&text, "id").unwrap_or((1, 1));
        Diagnostic::at(path, line, column, m)
    })?;
    Ok(record)
}

/// Loads every record of a folder, in parallel; problems are collected, not fatal.
pub fn load_dir<T: Record>(dir: &Path) -> Result<LoadReport<T>> {
    let files = ron_files(dir)?;
    let results: Vec<_> = files
        .par_iter()
        .map(|path| {
            load_file::<T>(path).map(|record| Loaded {
                path: path.clone(),
                record,
            })
        })
        .collect();
    let mut report = LoadReport {
        records: Vec::with_capacity(results.len()),
        diagnostics: Vec::new(),
    };
    for result in results {
        match result {
            Ok(loaded) => report.records.push(loaded),
            Err(d) => report.diagnostics.push(d),
        }
    }
    Ok(report)
}

/// Checks that an id is safe as a file name: 1–64 of `A-Z a-z 0-9 - _`,
/// not starting with `-` (so no path can be smuggled in).
pub fn check_id(id: &str) -> std::result::Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "ungültige Kennung „{id}“: erlaubt sind 1–64 Zeichen aus Buchstaben a–z, Ziffern, „-“ und „_“"
        ))
    }
}

/// 1-based line and column of the first `field:` (a RON field name) in `text`.
pub fn locate(text: &str, field: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    while let Some(found) = text[offset..].find(field) {
        let start = offset + found;
        let end = start + field.len();
        let before_ok = start == 0
            || !text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after_ok = text[end..].trim_start().starts_with(':');
        if before_ok && after_ok {
            return Some(line_col_of_offset(&text.as_bytes()[..start]));
        }
        offset = end;
    }
    None
}

/// 1-based line and column of the text `value` (in quotes) after `field:`, or of the field.
pub fn locate_value(text: &str, field: &str, value: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{value}\"");
    if let Some((fl, _)) = locate(text, field) {
        // The value's first occurrence at or after the field's line.
        let line_start: usize = text.lines().take(fl - 1).map(|l| l.len() + 1).sum();
        if let Some(pos) = text[line_start..].find(&quoted) {
            return Some(line_col_of_offset(&text.as_bytes()[..line_start + pos]));
        }
        return locate(text, field);
    }
    text.find(&quoted)
        .map(|pos| line_col_of_offset(&text.as_bytes()[..pos]))
}

fn line_col_of_offset(before: &[u8]) -> (usize, usize) {
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Writes `text` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target. A crash leaves either the old
/// file or the new one, never half of one.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::Internal(format!("kein Ordner für {}", path.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".lotse-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes a record as RON to `path`, atomically.
pub fn write_record<T: Serialize>(path: &Path, record: &T) -> Result<()> {
    write_atomic(path, &to_ron(record)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_file_safe() {
        for (id, ok) in [
            ("P-0001", true),
            ("koch", true),
            ("fachkraft_gastgewerbe", true),
            ("", false),
            ("../etc/passwd", false),
            ("a/b", false),
            ("-rf", false),
            ("Müller", false),
            ("x y", false),
        ] {
            assert_eq!(check_id(id).is_ok(), ok, "{id:?}");
        }
    }

    #[test]
    fn locate_finds_field_names_not_values() {
        let text = "(\n    id: \"x\",\n    identity: (given_name: \"id: nope\"),\n)";
        assert_eq!(locate(text, "id"), Some((2, 5)));
        assert_eq!(locate(text, "given_name"), Some((3, 16)));
        assert_eq!(locate(text, "missing"), None);
        assert_eq!(locate_value(text, "id", "x"), Some((2, 9)));
    }
}
