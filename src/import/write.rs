//! Writing all records of an import or none: every record goes to a
//! temporary file next to its target first; only when all are written are
//! they renamed into place, and if a rename fails, the ones already renamed
//! are undone (replaced files get their previous content back).
//!
//! The temporary files are written in parallel and made durable together
//! before the first rename: one `syncfs` of the data folder's file system on
//! Linux, where 100,000 single `fsync`s, one after the other, kept an
//! import waiting on the disk for minutes; elsewhere each file is synced,
//! in parallel.

use crate::error::{Error, Result};
use crate::records::{journal, DataDir};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// One file to write.
#[derive(Debug)]
pub(super) struct Planned {
    pub target: PathBuf,
    pub text: String,
    /// Whether the target exists and may be replaced; a new file never
    /// overwrites one that appeared in the meantime.
    pub replace: bool,
}

/// A file written to its temporary place, waiting to be renamed. Only the
/// path is kept, not an open file: an import of thousands of rows must not
/// run out of file handles.
struct Staged<'a> {
    planned: &'a Planned,
    tmp: TempPath,
    previous: Option<Vec<u8>>,
}

/// A file renamed into place, with what to put back if a later one fails.
struct Done<'a> {
    target: &'a Path,
    previous: Option<Vec<u8>>,
}

/// Writes every planned file, or none of them.
#[cfg(test)]
pub(super) fn commit(plan: &[Planned]) -> Result<()> {
    commit_in(None, plan)
}

/// Writes every planned file, or none of them, with the renames noted in
/// the data folder's journal first: a process killed among the renames has
/// its import completed by the next command (see `records::journal`). Call
/// under the folder's exclusive lock.
pub(super) fn commit_journaled(data: &DataDir, plan: &[Planned]) -> Result<()> {
    commit_in(Some(data), plan)
}

fn commit_in(data: Option<&DataDir>, plan: &[Planned]) -> Result<()> {
    // On an error the files staged so far are deleted as they are dropped.
    let staged: Vec<Staged<'_>> = plan.par_iter().map(stage).collect::<Result<_>>()?;
    make_durable(&staged)?;
    if let Some(data) = data {
        let moves: Vec<journal::Move> = staged
            .iter()
            .map(|s| journal::Move {
                tmp: s.tmp.to_path_buf(),
                target: s.planned.target.clone(),
            })
            .collect();
        journal::begin_import(data, &moves)?;
    }
    let result = rename_all(staged);
    if let Some(data) = data {
        journal::end_import(data)?;
    }
    result?;
    sync_folders(plan);
    Ok(())
}

fn rename_all(staged: Vec<Staged<'_>>) -> Result<()> {
    let mut done: Vec<Done> = Vec::with_capacity(staged.len());
    for Staged {
        planned,
        tmp,
        previous,
    } in staged
    {
        let persisted = if planned.replace {
            tmp.persist(&planned.target)
        } else {
            tmp.persist_noclobber(&planned.target)
        };
        if let Err(e) = persisted {
            // Dropping the remaining staged files deletes their temporary files.
            let failures = roll_back(&done);
            return Err(failure(&planned.target, e.error, &failures));
        }
        done.push(Done {
            target: &planned.target,
            previous,
        });
    }
    Ok(())
}

fn stage(planned: &Planned) -> Result<Staged<'_>> {
    let target = &planned.target;
    let dir = target
        .parent()
        .ok_or_else(|| Error::Internal(format!("kein Ordner für {}", target.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = temp_with(dir, planned.text.as_bytes()).map_err(|e| Error::io(dir, e))?;
    let previous = if planned.replace {
        match std::fs::read(target) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(target, e)),
        }
    } else {
        None
    };
    Ok(Staged {
        planned,
        tmp,
        previous,
    })
}

/// A temporary file in `dir` holding `bytes`, closed, not yet synced (see
/// [`make_durable`]); it is deleted when the returned path is dropped
/// without being persisted.
fn temp_with(dir: &Path, bytes: &[u8]) -> std::io::Result<TempPath> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".lotse-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    Ok(tmp.into_temp_path())
}

/// Flushes every staged file to the disk before any is renamed, so that a
/// record renamed into place is never empty or half written after a crash.
fn make_durable(staged: &[Staged<'_>]) -> Result<()> {
    let Some(first) = staged.first() else {
        return Ok(());
    };
    #[cfg(target_os = "linux")]
    {
        // All staged files live on the data folder's file system (next to
        // their targets): one syncfs writes them all.
        let dir = first.tmp.parent().unwrap_or(Path::new("."));
        let synced = std::fs::File::open(dir).and_then(|d| Ok(rustix::fs::syncfs(&d)?));
        if synced.is_ok() && same_file_system(staged) {
            return Ok(());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = first;
    staged.par_iter().try_for_each(|s| {
        std::fs::File::open(&s.tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&s.tmp, e))
    })
}

/// Whether all staged files are on one file system (one syncfs covers them).
#[cfg(target_os = "linux")]
fn same_file_system(staged: &[Staged<'_>]) -> bool {
    use std::os::unix::fs::MetadataExt;
    let folders: std::collections::BTreeSet<&Path> =
        staged.iter().filter_map(|s| s.tmp.parent()).collect();
    let mut devices = folders
        .into_iter()
        .map(|d| std::fs::metadata(d).map(|m| m.dev()).ok());
    let Some(first) = devices.next() else {
        return true;
    };
    first.is_some() && devices.all(|d| d == first)
}

/// Undoes renamed files, newest first; gives the files it could not restore.
fn roll_back(done: &[Done]) -> Vec<(PathBuf, std::io::Error)> {
    let mut failures = Vec::new();
    for d in done.iter().rev() {
        let restored = match &d.previous {
            Some(bytes) => d
                .target
                .parent()
                .ok_or_else(|| std::io::Error::other("kein Ordner"))
                .and_then(|dir| temp_with(dir, bytes))
                .and_then(|tmp| tmp.persist(d.target).map_err(|e| e.error)),
            None => std::fs::remove_file(d.target),
        };
        if let Err(e) = restored {
            failures.push((d.target.to_path_buf(), e));
        }
    }
    failures
}

fn failure(target: &Path, error: std::io::Error, rollback: &[(PathBuf, std::io::Error)]) -> Error {
    if rollback.is_empty() {
        return Error::io(target, error);
    }
    let files: Vec<String> = rollback
        .iter()
        .map(|(path, e)| format!("{} ({e})", path.display()))
        .collect();
    Error::Internal(format!(
        "{}: {error}; der Import wurde abgebrochen, aber diese Dateien ließen sich nicht zurücksetzen und sind zu prüfen: {}",
        target.display(),
        files.join(", ")
    ))
}

/// Makes the renames durable where the platform allows it (best effort: the
/// records are complete either way).
fn sync_folders(plan: &[Planned]) {
    let mut dirs: Vec<&Path> = plan.iter().filter_map(|p| p.target.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(target: PathBuf, text: &str, replace: bool) -> Planned {
        Planned {
            target,
            text: text.into(),
            replace,
        }
    }

    /// The folder's file names and contents, sorted.
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&path).unwrap_or_else(|_| "<dir>".into());
                (name, text)
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn writes_new_and_replaced_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.ron"), "alt").unwrap();
        let plan = [
            planned(dir.path().join("a.ron"), "neu", true),
            planned(dir.path().join("sub/b.ron"), "b", false),
        ];
        commit(&plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.ron")).unwrap(),
            "neu"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/b.ron")).unwrap(),
            "b"
        );
        assert_eq!(listing(dir.path()).len(), 2, "no temporary files left");
    }

    #[test]
    fn a_failed_rename_undoes_the_earlier_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.ron"), "alt").unwrap();
        // Appeared after the ids were checked: the last rename fails.
        std::fs::write(dir.path().join("c.ron"), "von jemand anderem").unwrap();
        let before = listing(dir.path());
        let plan = [
            planned(dir.path().join("a.ron"), "neu", true),
            planned(dir.path().join("b.ron"), "b", false),
            planned(dir.path().join("c.ron"), "c", false),
        ];
        let e = commit(&plan).unwrap_err();
        assert!(e.to_string().contains("c.ron"), "{e}");
        assert_eq!(listing(dir.path()), before, "a.ron restored, b.ron removed");
    }

    #[test]
    fn a_target_that_cannot_be_replaced_stops_before_any_rename() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.ron"), "alt").unwrap();
        std::fs::create_dir(dir.path().join("c.ron")).unwrap();
        let before = listing(dir.path());
        let plan = [
            planned(dir.path().join("a.ron"), "neu", true),
            planned(dir.path().join("c.ron"), "c", true),
        ];
        let e = commit(&plan).unwrap_err();
        assert!(e.to_string().contains("c.ron"), "{e}");
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn a_new_file_never_overwrites_one_that_appeared() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.ron"), "von jemand anderem").unwrap();
        let before = listing(dir.path());
        let plan = [
            planned(dir.path().join("a.ron"), "a", false),
            planned(dir.path().join("b.ron"), "b", false),
        ];
        assert!(commit(&plan).is_err());
        assert_eq!(listing(dir.path()), before);
    }
}
