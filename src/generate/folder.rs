//! The output folder: refused when it holds anything, built in a hidden
//! sibling folder and renamed into place at the end, so that the folder
//! appears complete or not at all.

use crate::error::{Diagnostic, Error, Result};
use crate::records::{self, DataDir};
use std::path::{Path, PathBuf};

/// Refuses an output folder that exists and is not empty (or is a file).
pub(super) fn check_out(out: &Path) -> Result<()> {
    let refuse = |message: &str| Err(Error::Invalid(vec![Diagnostic::file(out, message)]));
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return refuse(
                    "der Zielordner ist nicht leer; lotse generate überschreibt nichts – bitte einen neuen oder leeren Ordner angeben",
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if out.exists() && !out.is_dir() => {
            refuse("das Ziel ist eine Datei; bitte einen neuen oder leeren Ordner angeben")
        }
        Err(e) => Err(Error::io(out, e)),
    }
}

/// A hidden folder beside `out` to build the data folder in; removed again
/// if it is dropped before [`finish`].
pub(super) fn staging(out: &Path) -> Result<tempfile::TempDir> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lotse-data".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.lotse-generate-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))
}

/// Copies what matching needs from the source's catalogue: skills,
/// occupations, training offers, the gazetteer, the KldB code list, the
/// whole KldB (`occupations/kldb/`) and the scoring configuration. The source's own offers are not copied.
pub(super) fn copy_catalogue(source: &DataDir, target: &DataDir) -> Result<()> {
    for (from, to) in [
        (source.skills(), target.skills()),
        (source.occupations(), target.occupations()),
        (source.training(), target.training()),
    ] {
        std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        for file in records::ron_files(&from)? {
            let name = file.file_name().expect("a listed file has a name");
            copy(&file, &to.join(name))?;
        }
    }
    let codes = "kldb2010-codes.csv";
    // The whole KldB: its groups are occupations of the catalogue.
    let kldb = source.catalogue().join("kldb");
    if kldb.is_dir() {
        let to = target.catalogue().join("kldb");
        std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        for name in [
            crate::catalogue::kldb::SOURCE_FILE,
            crate::catalogue::kldb::EVERYDAY_FILE,
            "README.md",
        ] {
            if kldb.join(name).is_file() {
                copy(&kldb.join(name), &to.join(name))?;
            }
        }
    }
    for (from, to) in [
        (source.places(), target.places()),
        (
            source.catalogue().join(codes),
            target.catalogue().join(codes),
        ),
        (source.config(), target.config()),
    ] {
        if from.is_file() {
            copy(&from, &to)?;
        }
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io(from, e))
}

/// Moves the finished folder to `out`. An empty `out` made meanwhile is
/// replaced; one that filled up meanwhile is not touched.
pub(super) fn finish(staged: tempfile::TempDir, out: &Path) -> Result<()> {
    if out.is_dir() {
        // Fails, as it should, if anything was put there since the check.
        std::fs::remove_dir(out).map_err(|e| Error::io(out, e))?;
    }
    std::fs::rename(staged.path(), out).map_err(|e| Error::io(out, e))?;
    // The folder has moved: nothing is left for the guard to delete.
    let _ = staged.keep();
    Ok(())
}
