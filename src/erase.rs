//! Erasing a person on request: the record file, the person's entries in
//! the derived index, and an audit entry that says who erased whom.
//!
//! The index is rebuilt rather than patched: a tantivy delete only marks a
//! document as deleted until segments merge, while a rebuild writes new
//! segments without the person and removes the old folder, and with it the
//! resolved copy of the profile in `profiles.bin`.

use crate::audit::{Action, AuditLog, Entry};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileIndex;
use crate::profile::Profile;
use crate::records::{self, Record};
use std::path::Path;

/// Erases the profile `id`: its record file, its index entries (by
/// rebuilding the index in `index_dir`) and leaves an audit entry for
/// `user`. Returns the rebuilt index.
///
/// All or nothing as far as the records go: the record is set aside first,
/// and put back if the index cannot be rebuilt (e.g. another record is
/// invalid), so that a failed erasure leaves the person fully present and
/// the error says what to fix.
pub fn erase_profile(
    engine: &Engine,
    index_dir: &Path,
    config: Option<&Path>,
    audit: &AuditLog,
    user: &str,
    id: &str,
) -> Result<ProfileIndex> {
    records::check_id(id).map_err(Error::Usage)?;
    let path = engine.data.profile_path(id);
    if !path.is_file() {
        return Err(Error::NotFound(format!(
            "{} „{id}“ gibt es nicht",
            Profile::NOUN
        )));
    }
    // Not a `.ron` file, so the rebuild does not see it.
    let aside = engine.data.profiles().join(format!(".{id}.ron.erasing"));
    std::fs::rename(&path, &aside).map_err(|e| Error::io(&path, e))?;
    let index = match ProfileIndex::rebuild(engine, index_dir, config) {
        Ok(index) => index,
        Err(e) => {
            std::fs::rename(&aside, &path).map_err(|e| Error::io(&aside, e))?;
            return Err(e);
        }
    };
    std::fs::remove_file(&aside).map_err(|e| Error::io(&aside, e))?;
    audit
        .record_one(Entry::now(user, Action::Delete, id, None))
        .map_err(|e| {
            Error::Internal(format!(
                "Profil „{id}“ ist gelöscht, aber der Protokolleintrag fehlt: {e}"
            ))
        })?;
    Ok(index)
}
