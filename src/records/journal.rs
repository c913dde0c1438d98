//! The journal of multi-step changes (`.lotse-journal/` in the data folder)
//! and the recovery that completes them after a crash.
//!
//! - An erasure writes `erase-ID.json` (the id, the user, the time — no
//!   other personal data) before it touches anything. Recovery removes the
//!   record if it is still there, makes sure the id is in `ids.used` and the
//!   audit log has the deletion, and leaves the entry until the index has
//!   been rebuilt without the person ([`pending_erasures`], [`end_erasures`]).
//! - An import writes `import.json` (temporary file → target for every
//!   record) once every record is staged and synced. Recovery renames what
//!   is still staged into place: an import interrupted after that point is
//!   completed, one interrupted before it left only temporary files, which
//!   recovery removes.
//! - Temporary files of atomic writes (`.lotse-*.tmp`) left by a killed
//!   process are removed, and so is the hidden copy (`.ID.ron.erasing`)
//!   that older versions set aside during an erasure.
//!
//! Recovery runs under the folder's exclusive lock ([`super::FolderLock`]),
//! so no other writer is between two steps while it looks.

use super::DataDir;
use crate::audit::{self, Action, AuditLog, Entry};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

const IMPORT: &str = "import.json";

/// An erasure under way.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EraseIntent {
    id: String,
    user: String,
    time: String,
}

/// One rename of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub tmp: PathBuf,
    pub target: PathBuf,
}

#[derive(Debug, Serialize, Deserialize)]
struct Moves {
    moves: Vec<Move>,
}

fn erase_file(data: &DataDir, id: &str) -> PathBuf {
    data.journal().join(format!("erase-{id}.json"))
}

/// Creates a folder (and its parents) readable by the owner only.
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(dir, e))
}

/// Makes a file or a whole folder readable by its owner only (files 0600,
/// folders 0700).
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| Error::io(path, e))?;
            for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
                let entry = entry.map_err(|e| Error::io(path, e))?;
                make_private(&entry.path())?;
            }
        } else if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io(path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn write_synced(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::Internal(format!("kein Ordner für {}", path.display())))?;
    private_dir(dir)?;
    super::write_atomic(path, text)?;
    sync_dir(dir);
    Ok(())
}

/// Makes renames and removals in `dir` durable (best effort).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Notes that `id` is being erased by `user`; call before touching anything.
pub fn begin_erase(data: &DataDir, id: &str, user: &str, time: &str) -> Result<()> {
    let intent = EraseIntent {
        id: id.to_string(),
        user: user.to_string(),
        time: time.to_string(),
    };
    let text = serde_json::to_string(&intent).map_err(|e| Error::Internal(e.to_string()))?;
    write_synced(&erase_file(data, id), &text)
}

/// The ids whose erasure is done on the records but not yet in the index.
pub fn pending_erasures(data: &DataDir) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(data.journal())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            Some(
                name.strip_prefix("erase-")?
                    .strip_suffix(".json")?
                    .to_string(),
            )
        })
        .collect();
    ids.sort();
    ids
}

/// Ends the journal entries of erasures once the index no longer holds them.
pub fn end_erasures(data: &DataDir, ids: &[String]) -> Result<()> {
    for id in ids {
        let path = erase_file(data, id);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    sync_dir(&data.journal());
    Ok(())
}

/// Notes the renames of an import, all staged and synced, before the first.
pub fn begin_import(data: &DataDir, moves: &[Move]) -> Result<()> {
    let text = serde_json::to_string(&Moves {
        moves: moves.to_vec(),
    })
    .map_err(|e| Error::Internal(e.to_string()))?;
    write_synced(&data.journal().join(IMPORT), &text)
}

/// Ends the journal entry of an import (done or rolled back).
pub fn end_import(data: &DataDir) -> Result<()> {
    let path = data.journal().join(IMPORT);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&path, e)),
    }
    sync_dir(&data.journal());
    Ok(())
}

/// Every id ever given to a profile that is recorded as used.
pub fn used_ids(data: &DataDir) -> BTreeSet<String> {
    std::fs::read_to_string(data.used_ids())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Records that `id` was used (appends; the file holds nothing but ids).
pub fn add_used_id(data: &DataDir, id: &str) -> Result<()> {
    add_used_ids(data, [id])
}

/// Records that the ids were used.
pub fn add_used_ids<'a>(data: &DataDir, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut known = used_ids(data);
    let mut text = String::new();
    for id in ids {
        if known.insert(id.to_string()) {
            text.push_str(id);
            text.push('\n');
        }
    }
    if text.is_empty() {
        return Ok(());
    }
    let path = data.used_ids();
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(|e| Error::io(&path, e))?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_data())
        .map_err(|e| Error::io(&path, e))
}

/// Whether something is left to recover: an entry in the journal, or a
/// temporary file or set-aside copy of a writer that died in the profiles
/// folder or the data folder (one listing of each).
pub fn needs_recovery(data: &DataDir) -> bool {
    let journal = std::fs::read_dir(data.journal())
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    journal
        || [data.profiles(), data.root().to_path_buf()]
            .iter()
            .flat_map(|dir| hidden_files(dir))
            .any(|path| {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                (name.starts_with(".lotse-") && name.ends_with(".tmp"))
                    || name.ends_with(".ron.erasing")
            })
}

/// Completes or undoes what interrupted writers left. Call under the
/// folder's exclusive lock.
pub fn recover(data: &DataDir) -> Result<()> {
    // An import whose renames had begun is completed.
    let import = data.journal().join(IMPORT);
    if let Ok(text) = std::fs::read_to_string(&import) {
        if let Ok(moves) = serde_json::from_str::<Moves>(&text) {
            for m in &moves.moves {
                if m.tmp.is_file() {
                    std::fs::rename(&m.tmp, &m.target).map_err(|e| Error::io(&m.target, e))?;
                }
            }
            let mut dirs: Vec<&Path> = moves
                .moves
                .iter()
                .filter_map(|m| m.target.parent())
                .collect();
            dirs.sort();
            dirs.dedup();
            dirs.into_iter().for_each(sync_dir);
            eprintln!(
                "Unterbrochener Import abgeschlossen: {} Datensätze.",
                moves.moves.len()
            );
        }
        end_import(data)?;
    }
    // Copies set aside by older versions during an erasure: the erasure is
    // completed.
    for path in hidden_files(&data.profiles()) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(id) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".ron.erasing"))
        {
            if super::check_id(id).is_ok() && !erase_file(data, id).exists() {
                let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                begin_erase(data, id, "wiederherstellung", &time)?;
            }
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    // Erasures: the record goes, the id is kept as used, the audit log has it.
    let pending = pending_erasures(data);
    if !pending.is_empty() {
        let log = audit::read(&data.audit_log()).unwrap_or_default();
        let mut missing = Vec::new();
        for id in &pending {
            let path = erase_file(data, id);
            let intent: Option<EraseIntent> = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok());
            let record = data.profile_path(id);
            if record.exists() {
                std::fs::remove_file(&record).map_err(|e| Error::io(&record, e))?;
                eprintln!("Unterbrochene Löschung von Profil „{id}“ abgeschlossen.");
            }
            add_used_id(data, id)?;
            let logged = log.iter().any(|e| {
                e.action == Action::Delete
                    && e.profile == *id
                    && intent.as_ref().is_none_or(|i| e.time >= i.time)
            });
            if !logged {
                let user = intent.map_or_else(|| "wiederherstellung".to_string(), |i| i.user);
                missing.push(Entry::now(&user, Action::Delete, id, None));
            }
        }
        sync_dir(&data.profiles());
        if !missing.is_empty() {
            AuditLog::open(&data.audit_log())?.record(&missing)?;
        }
    }
    // Temporary files of atomic writes whose writer died.
    let mut folders = vec![data.root().to_path_buf(), data.profiles(), data.journal()];
    folders.extend([
        data.skills(),
        data.occupations(),
        data.offers(),
        data.training(),
        data.catalogue(),
    ]);
    for dir in folders {
        for path in hidden_files(&dir) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.starts_with(".lotse-") && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    Ok(())
}

/// The files of `dir` whose names start with a dot.
fn hidden_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, DataDir) {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        std::fs::create_dir_all(data.profiles()).unwrap();
        (dir, data)
    }

    #[test]
    fn an_interrupted_erasure_is_completed_and_audited_once() {
        let (_dir, data) = folder();
        std::fs::write(data.profile_path("P-1"), "(id: \"P-1\")").unwrap();
        std::fs::write(data.profiles().join(".lotse-abc.tmp"), "Geheim").unwrap();
        begin_erase(&data, "P-1", "cli:anna", "2026-01-01T00:00:00Z").unwrap();
        assert!(needs_recovery(&data));
        recover(&data).unwrap();
        assert!(!data.profile_path("P-1").exists());
        assert!(!data.profiles().join(".lotse-abc.tmp").exists());
        assert!(used_ids(&data).contains("P-1"));
        assert_eq!(
            pending_erasures(&data),
            ["P-1"],
            "until the index is rebuilt"
        );
        recover(&data).unwrap();
        let log = audit::read(&data.audit_log()).unwrap();
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0].user, "cli:anna");
        end_erasures(&data, &pending_erasures(&data)).unwrap();
        assert!(!needs_recovery(&data));
        std::fs::write(data.profiles().join(".lotse-def.tmp"), "Geheim").unwrap();
        assert!(needs_recovery(&data), "a dead writer's temporary file");
    }

    #[test]
    fn an_interrupted_import_is_completed() {
        let (_dir, data) = folder();
        let staged = data.profiles().join(".lotse-x.tmp");
        std::fs::write(&staged, "neu").unwrap();
        let done = data.profile_path("P-2");
        std::fs::write(&done, "schon umbenannt").unwrap();
        begin_import(
            &data,
            &[
                Move {
                    tmp: data.profiles().join(".lotse-y.tmp"),
                    target: done.clone(),
                },
                Move {
                    tmp: staged.clone(),
                    target: data.profile_path("P-3"),
                },
            ],
        )
        .unwrap();
        recover(&data).unwrap();
        assert_eq!(std::fs::read_to_string(&done).unwrap(), "schon umbenannt");
        assert_eq!(
            std::fs::read_to_string(data.profile_path("P-3")).unwrap(),
            "neu"
        );
        assert!(!staged.exists());
        assert!(!needs_recovery(&data));
    }

    #[test]
    fn a_hidden_copy_of_an_older_erasure_goes() {
        let (_dir, data) = folder();
        let hidden = data.profiles().join(".P-9.ron.erasing");
        std::fs::write(&hidden, "Name").unwrap();
        recover(&data).unwrap();
        assert!(!hidden.exists());
        assert_eq!(pending_erasures(&data), ["P-9"]);
    }

    #[test]
    fn used_ids_hold_only_ids() {
        let (_dir, data) = folder();
        add_used_id(&data, "P-1").unwrap();
        add_used_id(&data, "P-1").unwrap();
        add_used_id(&data, "P-2").unwrap();
        assert_eq!(
            std::fs::read_to_string(data.used_ids()).unwrap(),
            "P-1\nP-2\n"
        );
    }
}
