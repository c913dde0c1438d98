//! One owner of every write: an operating-system file lock on the data
//! folder (`.lotse.lock`, `flock` through fs4), taken exclusively by every
//! process that changes the folder (the server for each write, `import`,
//! `delete`, `index`, `user …`) and shared by readers while they open the
//! index. A writer that must wait says so on stderr and gives up after a
//! bounded time with a clear German message.
//!
//! Every exclusive holder runs the recovery of [`super::journal`] first, so
//! that whatever an interrupted writer left is completed or undone before
//! anybody changes anything, and bumps the folder's generation counter
//! (`.lotse-generation`) when it lets go, so that a running server notices
//! that somebody else changed the folder.

use super::DataDir;
use crate::error::{Error, Result};
use fs4::fs_std::FileExt;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a process waits for another writer (seconds), unless
/// `LOTSE_LOCK_TIMEOUT` says otherwise.
const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// How often a waiting process tries again.
const POLL: Duration = Duration::from_millis(25);

/// A held lock on a data folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    root: PathBuf,
    exclusive: bool,
    finished: bool,
}

impl DataDir {
    /// The lock file of the folder.
    pub fn lock_file(&self) -> PathBuf {
        self.root().join(".lotse.lock")
    }
    /// The generation counter bumped by every writer.
    pub fn generation_file(&self) -> PathBuf {
        self.root().join(".lotse-generation")
    }
    /// The journal of interrupted multi-step changes.
    pub fn journal(&self) -> PathBuf {
        self.root().join(".lotse-journal")
    }
    /// The ids ever given to a profile (one per line, no other data).
    pub fn used_ids(&self) -> PathBuf {
        self.root().join("ids.used")
    }
}

fn timeout() -> Duration {
    let secs = std::env::var("LOTSE_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}

fn open_lock_file(data: &DataDir) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(data.lock_file())
}

/// Waits for the lock with `try_lock`, saying once that it waits.
fn wait_for(file: &File, path: &Path, exclusive: bool) -> Result<()> {
    let attempt = |f: &File| {
        if exclusive {
            FileExt::try_lock_exclusive(f)
        } else {
            FileExt::try_lock_shared(f)
        }
    };
    if attempt(file).map_err(|e| Error::io(path, e))? {
        return Ok(());
    }
    eprintln!(
        "Warte auf einen anderen Schreibvorgang im Datenordner ({}) …",
        path.parent().unwrap_or(path).display()
    );
    let limit = timeout();
    let started = Instant::now();
    loop {
        std::thread::sleep(POLL);
        if attempt(file).map_err(|e| Error::io(path, e))? {
            return Ok(());
        }
        if started.elapsed() >= limit {
            return Err(Error::Invalid(vec![crate::error::Diagnostic::file(
                path,
                format!(
                    "der Datenordner ist seit {} s von einem anderen Schreibvorgang belegt (läuft noch ein `lotse import`, `lotse index` oder `lotse delete`?); bitte später erneut versuchen",
                    limit.as_secs()
                ),
            )]));
        }
    }
}

impl FolderLock {
    /// Takes the folder for writing: waits for other writers and readers,
    /// then completes or undoes what an interrupted writer left.
    pub fn exclusive(data: &DataDir) -> Result<FolderLock> {
        std::fs::create_dir_all(data.root()).map_err(|e| Error::io(data.root(), e))?;
        let path = data.lock_file();
        let file = open_lock_file(data).map_err(|e| Error::io(&path, e))?;
        wait_for(&file, &path, true)?;
        let lock = FolderLock {
            file,
            root: data.root().to_path_buf(),
            exclusive: true,
            finished: false,
        };
        super::journal::recover(data)?;
        Ok(lock)
    }

    /// Takes the folder for reading (other readers may read, no writer
    /// writes meanwhile). `None` where the lock file cannot be created,
    /// e.g. on a read-only copy of a data folder, which nobody writes.
    pub fn shared(data: &DataDir) -> Result<Option<FolderLock>> {
        let path = data.lock_file();
        let file = match open_lock_file(data) {
            Ok(file) => file,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied
                        | std::io::ErrorKind::ReadOnlyFilesystem
                        | std::io::ErrorKind::NotFound
                ) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        wait_for(&file, &path, false)?;
        Ok(Some(FolderLock {
            file,
            root: data.root().to_path_buf(),
            exclusive: false,
            finished: false,
        }))
    }

    /// Whether this is a writer's lock.
    pub fn is_exclusive(&self) -> bool {
        self.exclusive
    }

    /// Lets go of the lock; a writer bumps the generation first and gets
    /// the new one back.
    pub fn finish(mut self) -> u64 {
        self.finished = true;
        let generation = if self.exclusive {
            bump_generation(&DataDir::new(self.root.clone()))
        } else {
            read_generation(&DataDir::new(self.root.clone()))
        };
        let _ = FileExt::unlock(&self.file);
        generation
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if !self.finished && self.exclusive {
            bump_generation(&DataDir::new(self.root.clone()));
        }
        // Closing the file releases the lock as well.
        let _ = FileExt::unlock(&self.file);
    }
}

/// The generation of a folder: how many writers have let go of it.
pub fn read_generation(data: &DataDir) -> u64 {
    std::fs::read_to_string(data.generation_file())
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn bump_generation(data: &DataDir) -> u64 {
    let next = read_generation(data).wrapping_add(1);
    let _ = super::write_atomic(&data.generation_file(), &format!("{next}\n"));
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_exclude_each_other_and_bump_the_generation() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        assert_eq!(read_generation(&data), 0);
        let first = FolderLock::exclusive(&data).unwrap();
        // A second descriptor of the same file conflicts, even in this process.
        let other = open_lock_file(&data).unwrap();
        assert!(!FileExt::try_lock_exclusive(&other).unwrap());
        assert!(!FileExt::try_lock_shared(&other).unwrap());
        assert_eq!(first.finish(), 1);
        assert!(FileExt::try_lock_shared(&other).unwrap());
        FileExt::unlock(&other).unwrap();
        drop(FolderLock::exclusive(&data).unwrap());
        assert_eq!(read_generation(&data), 2);
        let reader = FolderLock::shared(&data).unwrap().unwrap();
        let reader2 = FolderLock::shared(&data).unwrap().unwrap();
        assert!(!FileExt::try_lock_exclusive(&other).unwrap());
        drop((reader, reader2));
        assert_eq!(read_generation(&data), 2, "readers do not bump");
    }
}
