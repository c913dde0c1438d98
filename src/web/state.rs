//! What every request shares: the engine (catalogue, configuration), the
//! profile index behind a lock, the sessions and the audit log.

use super::error::WebError;
use super::session::Sessions;
use crate::accounts::{Accounts, Role};
use crate::audit::{Action, AuditLog, Entry};
use crate::engine::Engine;
use crate::error::Result;
use crate::index::ProfileIndex;
use crate::records::{self, DataDir};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The server's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(super) inner: Arc<Shared>,
}

/// The parts of the state.
pub struct Shared {
    pub data: DataDir,
    pub index_dir: PathBuf,
    pub config: Option<PathBuf>,
    /// The catalogue does not change while the server runs.
    pub engine: Engine,
    /// Readers score and search; the form and erasure write.
    pub index: RwLock<ProfileIndex>,
    pub sessions: Sessions,
    pub audit: AuditLog,
    /// Fingerprint of the profiles folder the index was last brought up to.
    pub seen: Mutex<u64>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("data", &self.inner.data)
            .finish()
    }
}

impl AppState {
    /// Opens a data folder for serving: loads the catalogue, opens (and if
    /// needed rebuilds) the index in `index_dir`, opens the audit log.
    pub fn open(data: DataDir, index_dir: PathBuf, config: Option<PathBuf>) -> Result<Self> {
        let engine = Engine::open(&data, config.as_deref())?;
        let (index, _) = ProfileIndex::open(&engine, &index_dir, config.as_deref())?;
        let audit = AuditLog::open(&data.audit_log())?;
        let seen = profiles_fingerprint(&data.profiles());
        Ok(AppState {
            inner: Arc::new(Shared {
                data,
                index_dir,
                config,
                engine,
                index: RwLock::new(index),
                sessions: Sessions::default(),
                audit,
                seen: Mutex::new(seen),
            }),
        })
    }

    /// The data folder.
    pub fn data(&self) -> &DataDir {
        &self.inner.data
    }

    pub(super) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The index for reading.
    pub(super) fn index(&self) -> Result<RwLockReadGuard<'_, ProfileIndex>, WebError> {
        self.inner
            .index
            .read()
            .map_err(|_| WebError::internal("Suchindex gesperrt"))
    }

    /// The index for writing.
    pub(super) fn index_mut(&self) -> Result<RwLockWriteGuard<'_, ProfileIndex>, WebError> {
        self.inner
            .index
            .write()
            .map_err(|_| WebError::internal("Suchindex gesperrt"))
    }

    /// Checks a user's password against the users file, read anew each
    /// time so that accounts added with `lotse user add` work at once.
    /// Slow on purpose (argon2): call it off the async threads.
    pub(super) fn verify_password(&self, name: &str, password: &str) -> Result<Option<Role>> {
        let accounts = Accounts::load(&self.inner.data.users())?;
        Ok(accounts.verify(name, password))
    }

    /// Writes audit entries; without them nothing may be shown.
    pub(super) fn audit(&self, entries: &[Entry]) -> Result<(), WebError> {
        self.inner.audit.record(entries).map_err(WebError::from)
    }

    /// Writes one entry per profile id for `user`.
    pub(super) fn audit_each<'a>(
        &self,
        user: &str,
        action: Action,
        profiles: impl IntoIterator<Item = &'a str>,
        offer: Option<&str>,
    ) -> Result<(), WebError> {
        let entries: Vec<Entry> = profiles
            .into_iter()
            .map(|p| Entry::now(user, action, p, offer))
            .collect();
        self.audit(&entries)
    }

    /// Runs blocking work (scoring, index writes, password hashing) on the
    /// blocking thread pool.
    pub(super) async fn blocking<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(AppState) -> Result<T, WebError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(state))
            .await
            .map_err(|e| WebError::internal(format!("Hintergrundarbeit abgebrochen: {e}")))?
    }

    /// Brings the index up to date with records changed outside the server
    /// (`lotse import`, `lotse delete`, an edited file). Cheap when nothing
    /// changed: one listing of the profiles folder.
    pub fn refresh_if_changed(&self) -> Result<bool> {
        let now = profiles_fingerprint(&self.inner.data.profiles());
        {
            let seen = self.inner.seen.lock().map_err(|_| poisoned())?;
            if *seen == now {
                return Ok(false);
            }
        }
        let mut index = self.inner.index.write().map_err(|_| poisoned())?;
        let (fresh, _) = ProfileIndex::open(
            &self.inner.engine,
            &self.inner.index_dir,
            self.inner.config.as_deref(),
        )?;
        *index = fresh;
        *self.inner.seen.lock().map_err(|_| poisoned())? = now;
        Ok(true)
    }

    /// Notes that the server itself changed the profiles folder (the form,
    /// an erasure) and has already updated the index.
    pub(super) fn mark_seen(&self) {
        let now = profiles_fingerprint(&self.inner.data.profiles());
        if let Ok(mut seen) = self.inner.seen.lock() {
            *seen = now;
        }
    }
}

fn poisoned() -> crate::Error {
    crate::Error::Internal("Suchindex gesperrt".into())
}

/// Names, sizes and modification times of the profile records.
fn profiles_fingerprint(dir: &Path) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for path in records::ron_files(dir).unwrap_or_default() {
        path.file_name().hash(&mut h);
        if let Ok(meta) = std::fs::metadata(&path) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    h.finish()
}
