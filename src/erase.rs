//! Erasing a person on request: the record file, the person's entries in
//! the derived index, and an audit entry that says who erased whom.
//!
//! The index is rebuilt rather than patched: a tantivy delete only marks a
//! document as deleted until segments merge, while a rebuild writes new
//! segments without the person and removes the old folder, and with it the
//! resolved copy of the profile in `profiles.bin`.
//!
//! Crash safety: under the folder's exclusive lock, the erasure is first
//! noted in the journal (the id only), then audited, then the record is
//! removed — no copy of it is made anywhere — and the index rebuilt; the
//! journal entry goes when the index no longer holds the person. A process
//! killed at any point leaves the journal entry, and the next command or
//! server start completes the erasure ([`records::journal::recover`]).

use crate::audit::{Action, AuditLog, Entry};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileIndex;
use crate::profile::Profile;
use crate::records::{self, journal, FolderLock, Record};
use std::path::Path;

/// Erases the profile `id`: its record file, its index entries (by
/// rebuilding the index in `index_dir`) and leaves an audit entry for
/// `user`. Returns the rebuilt index.
///
/// Once the audit entry is written the erasure is bound to complete: if
/// the index cannot be rebuilt now, the journal makes the next command do
/// it, and nothing shows the person meanwhile (every reader rebuilds first).
pub fn erase_profile(
    engine: &Engine,
    index_dir: &Path,
    config: Option<&Path>,
    audit: &AuditLog,
    user: &str,
    id: &str,
) -> Result<ProfileIndex> {
    records::check_id(id).map_err(Error::Usage)?;
    let lock = FolderLock::exclusive(&engine.data)?;
    let index = erase_locked(engine, index_dir, config, audit, user, id, &lock)?;
    lock.finish();
    Ok(index)
}

/// [`erase_profile`] under a held exclusive lock.
pub fn erase_locked(
    engine: &Engine,
    index_dir: &Path,
    config: Option<&Path>,
    audit: &AuditLog,
    user: &str,
    id: &str,
    lock: &FolderLock,
) -> Result<ProfileIndex> {
    records::check_id(id).map_err(Error::Usage)?;
    let path = engine.data.profile_path(id);
    if !path.is_file() {
        return Err(Error::NotFound(format!(
            "{} „{id}“ gibt es nicht",
            Profile::NOUN
        )));
    }
    let entry = Entry::now(user, Action::Delete, id, None);
    journal::begin_erase(&engine.data, id, user, &entry.time)?;
    if let Err(e) = audit.record_one(entry) {
        // Nothing is changed yet: the erasure does not happen unaudited.
        journal::end_erasures(&engine.data, &[id.to_string()])?;
        return Err(Error::Internal(format!(
            "Profil „{id}“ nicht gelöscht: der Protokolleintrag ließ sich nicht schreiben: {e}"
        )));
    }
    journal::add_used_id(&engine.data, id)?;
    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    journal::sync_dir(&engine.data.profiles());
    // Temporary files of writes that died may hold a copy of the person.
    journal::recover(&engine.data)?;
    ProfileIndex::rebuild_locked(engine, index_dir, config, lock)
}
