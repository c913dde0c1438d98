//! Whether the index is still true to the records: a fingerprint of every
//! record file (name, size, modification time), the configuration and the
//! program version, kept in `manifest.json` beside the index.

use crate::error::{Error, Result};
use crate::records::{self, DataDir};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Version of the index layout and of `ResolvedProfile`; bump it when either
/// changes, so that existing indexes are rebuilt.
const FORMAT: u32 = 4;

/// Fingerprint of the catalogue, the configuration and the program.
pub fn catalogue(data: &DataDir, config: Option<&Path>) -> Result<u64> {
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    FORMAT.hash(&mut h);
    // A new build of the program may resolve differently: its executable
    // is part of the fingerprint.
    if let Ok(exe) = std::env::current_exe() {
        file(&exe, &mut h);
    }
    for dir in [
        data.skills(),
        data.occupations(),
        data.offers(),
        data.training(),
    ] {
        folder(&dir, &mut h)?;
    }
    file(&data.places(), &mut h);
    // The whole KldB (occupations/kldb/): its groups are occupations too.
    let kldb = data.catalogue().join("kldb");
    for name in [
        crate::catalogue::kldb::SOURCE_FILE,
        crate::catalogue::kldb::EVERYDAY_FILE,
    ] {
        file(&kldb.join(name), &mut h);
    }
    file(&data.config(), &mut h);
    if let Some(c) = config {
        file(c, &mut h);
    }
    Ok(h.finish())
}

/// Fingerprint of the profiles folder.
pub fn profiles(data: &DataDir) -> Result<u64> {
    let mut h = std::hash::DefaultHasher::new();
    folder(&data.profiles(), &mut h)?;
    Ok(h.finish())
}

/// Every record file of `dir` (name, size, modification time), in no
/// particular order: each file's own hash, summed, so that the listing
/// need not be sorted, and one `stat` per file (a folder may hold a
/// million records, and the server looks at it every few seconds).
fn folder(dir: &Path, h: &mut impl Hasher) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let (mut sum, mut count) = (0u64, 0u64);
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if Path::new(&name).extension().is_none_or(|x| x != "ron") {
            continue;
        }
        // As `records::ron_files` lists them: a link counts as what it points to.
        let meta = match entry.file_type() {
            Ok(t) if t.is_symlink() => std::fs::metadata(entry.path()),
            _ => entry.metadata(),
        };
        let Ok(meta) = meta else { continue };
        if !meta.is_file() {
            continue;
        }
        let mut one = std::hash::DefaultHasher::new();
        name.hash(&mut one);
        meta.len().hash(&mut one);
        meta.modified().ok().hash(&mut one);
        sum = sum.wrapping_add(one.finish());
        count += 1;
    }
    (sum, count).hash(h);
    Ok(())
}

fn file(path: &Path, h: &mut impl Hasher) {
    path.file_name().hash(h);
    if let Ok(meta) = std::fs::metadata(path) {
        meta.len().hash(h);
        if let Ok(modified) = meta.modified() {
            modified.hash(h);
        }
    }
}

/// What the index was built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub catalogue: u64,
    pub profiles: u64,
    pub count: usize,
    /// A new random number at every write of the index: a process that
    /// holds an index in memory sees from it that somebody else changed
    /// the index on disk since.
    #[serde(default)]
    pub build: u64,
    /// The record files left out because they are invalid, with the
    /// problem (`path:line:column: message`).
    #[serde(default)]
    pub skipped: Vec<String>,
}

impl Manifest {
    /// Reads the manifest of an index folder, if there is a readable one.
    pub fn read(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the manifest into an index folder.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let text = serde_json::to_string(self).map_err(|e| Error::Internal(e.to_string()))?;
        records::write_atomic(&dir.join("manifest.json"), &text)?;
        records::journal::sync_dir(dir);
        Ok(())
    }
}
