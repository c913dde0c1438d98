//! Validation of records: syntax (every file), field rules (dates, ranges,
//! codes) and references between records (offers naming occupations,
//! occupations naming skills, duplicate ids). Every problem is reported with
//! its file and position; one bad file never hides the others.

mod checks;
mod schools;

use crate::catalogue::CatalogueFiles;
use crate::error::{Diagnostic, Result};
use crate::profile::Profile;
use crate::records::{self, DataDir, Loaded, Record};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub use checks::Kldb;

/// How many records of each kind were read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub profiles: usize,
    pub skills: usize,
    pub occupations: usize,
    pub offers: usize,
    pub training: usize,
    pub places: usize,
    pub schools: usize,
}

/// The result of a validation run.
#[derive(Debug, Default)]
pub struct Validation {
    pub counts: Counts,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything a validation looks at: the catalogue and the profiles with their files.
#[derive(Debug, Default)]
pub struct Dataset {
    pub catalogue: CatalogueFiles,
    pub profiles: Vec<Loaded<Profile>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Dataset {
    /// Reads every record of a data folder.
    pub fn read(data: &DataDir) -> Result<Self> {
        let catalogue = CatalogueFiles::read(data)?;
        let profiles = records::load_dir::<Profile>(&data.profiles())?;
        Ok(Dataset {
            catalogue,
            profiles: profiles.records,
            diagnostics: profiles.diagnostics,
        })
    }

    /// Adds a record file from outside the data folder, its kind told by its folder's name.
    fn add_file(&mut self, path: &Path) {
        fn add<T: Record>(list: &mut Vec<Loaded<T>>, diags: &mut Vec<Diagnostic>, path: &Path) {
            match records::load_file::<T>(path) {
                Ok(record) => list.push(Loaded {
                    path: path.to_path_buf(),
                    record,
                }),
                Err(d) => diags.push(d),
            }
        }
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let diags = &mut self.diagnostics;
        match folder {
            "profiles" => add(&mut self.profiles, diags, path),
            "skills" => add(&mut self.catalogue.skills, diags, path),
            "occupations" => add(&mut self.catalogue.occupations, diags, path),
            "offers" => add(&mut self.catalogue.offers, diags, path),
            "training" => add(&mut self.catalogue.training, diags, path),
            "schools" => add(&mut self.catalogue.schools, diags, path),
            _ => diags.push(Diagnostic::file(
                path,
                "unbekannte Art von Datensatz: die Datei muss in einem Ordner profiles/, skills/, occupations/, offers/, training/ oder schools/ liegen",
            )),
        }
    }
}

/// Validates the whole data folder.
pub fn validate_data(data: &DataDir, kldb: &Kldb) -> Result<Validation> {
    let dataset = Dataset::read(data)?;
    Ok(validate_dataset(dataset, kldb))
}

/// Validates only the given files and folders (checked against the data
/// folder's catalogue for references). Paths outside the data folder are
/// read by the name of their folder (`profiles/`, `offers/` …).
pub fn validate_paths(data: &DataDir, paths: &[PathBuf], kldb: &Kldb) -> Result<Validation> {
    let mut dataset = Dataset::read(data)?;
    let root = canonical(data.root());
    let mut wanted: Vec<PathBuf> = Vec::new();
    for path in paths {
        if !path.exists() {
            dataset
                .diagnostics
                .push(Diagnostic::file(path, "Datei oder Ordner nicht gefunden"));
            continue;
        }
        let abs = canonical(path);
        wanted.push(abs.clone());
        if abs.starts_with(&root) {
            continue;
        }
        let files = if path.is_dir() {
            records::ron_files(path)?
        } else {
            vec![path.clone()]
        };
        for file in files {
            dataset.add_file(&file);
        }
    }
    let mut validation = validate_dataset(dataset, kldb);
    validation.diagnostics.retain(|d| {
        let abs = canonical(&d.path);
        wanted.iter().any(|w| abs.starts_with(w)) || !abs.exists() && !d.path.is_absolute()
    });
    Ok(validation)
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Runs every check over a read dataset.
pub fn validate_dataset(dataset: Dataset, kldb: &Kldb) -> Validation {
    let Dataset {
        catalogue,
        profiles,
        mut diagnostics,
    } = dataset;
    diagnostics.extend(catalogue.diagnostics.iter().cloned());
    let counts = Counts {
        profiles: profiles.len(),
        skills: catalogue.skills.len(),
        occupations: catalogue.occupations.len(),
        offers: catalogue.offers.len(),
        training: catalogue.training.len(),
        places: catalogue.places.len(),
        schools: catalogue.schools.len(),
    };

    duplicates(&profiles, &mut diagnostics);
    duplicates(&catalogue.skills, &mut diagnostics);
    duplicates(&catalogue.occupations, &mut diagnostics);
    duplicates(&catalogue.offers, &mut diagnostics);
    duplicates(&catalogue.training, &mut diagnostics);
    duplicates(&catalogue.schools, &mut diagnostics);

    let skill_ids: BTreeSet<&str> = catalogue
        .skills
        .iter()
        .map(|l| l.record.id.as_str())
        .collect();
    let occupation_ids: BTreeSet<&str> = catalogue
        .occupations
        .iter()
        .map(|l| l.record.id.as_str())
        .collect();
    let refs = checks::Refs {
        skills: &skill_ids,
        occupations: &occupation_ids,
        kldb,
        today: chrono::Local::now().date_naive(),
    };

    let mut per_file: Vec<Diagnostic> = Vec::new();
    for l in &catalogue.skills {
        per_file.extend(with_text(&l.path, |t| checks::skill(&l.path, t, &l.record)));
    }
    for l in &catalogue.occupations {
        per_file.extend(with_text(&l.path, |t| {
            checks::occupation(&l.path, t, &l.record, &refs)
        }));
    }
    for l in &catalogue.offers {
        per_file.extend(with_text(&l.path, |t| {
            checks::offer(&l.path, t, &l.record, &refs)
        }));
    }
    for l in &catalogue.schools {
        per_file.extend(with_text(&l.path, |t| {
            schools::school(&l.path, t, &l.record, &occupation_ids)
        }));
    }
    for l in &catalogue.offers {
        if l.record.vocational_school.is_some() && !catalogue.schools.is_empty() {
            per_file.extend(with_text(&l.path, |t| {
                schools::offer_school(&l.path, t, &l.record, &catalogue.schools)
            }));
        }
    }
    for l in &catalogue.training {
        per_file.extend(with_text(&l.path, |t| {
            checks::training(&l.path, t, &l.record, &refs)
        }));
    }
    for l in &profiles {
        per_file.extend(with_text(&l.path, |t| {
            checks::profile(&l.path, t, &l.record, &refs)
        }));
    }
    diagnostics.extend(per_file);
    diagnostics.sort();
    diagnostics.dedup();
    Validation {
        counts,
        diagnostics,
    }
}

/// Runs `check` on the file's text (read again: only files are kept in
/// memory that are being checked, which keeps large data folders cheap).
fn with_text(path: &Path, check: impl FnOnce(&str) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => check(&text),
        Err(e) => vec![Diagnostic::file(path, format!("Datei nicht lesbar: {e}"))],
    }
}

fn duplicates<T: Record>(records: &[Loaded<T>], out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for l in records {
        let key = l.record.id().to_lowercase();
        if let Some(first) = seen.get(&key) {
            let text = std::fs::read_to_string(&l.path).unwrap_or_default();
            let (line, column) = records::locate(&text, "id").unwrap_or((1, 1));
            out.push(Diagnostic::at(
                &l.path,
                line,
                column,
                format!(
                    "{} „{}“ gibt es schon in {}",
                    T::NOUN,
                    l.record.id(),
                    first.display()
                ),
            ));
        } else {
            seen.insert(key, &l.path);
        }
    }
}
