//! What every request shares: the engine (catalogue, configuration), the
//! profile index behind a lock, the sessions and the audit log.

use super::error::WebError;
use super::session::Sessions;
use crate::audit::{Action, AuditLog, Entry};
use crate::engine::Engine;
use crate::error::Result;
use crate::index::ProfileIndex;
use crate::records::{self, DataDir, FolderLock};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// The folder's generation (bumped by every writer) the index in
    /// memory was last brought up to.
    pub generation: AtomicU64,
    /// The accounts, reread when the users file changes.
    pub accounts: super::login::AccountCache,
    /// Password checks and throttling of logins.
    pub logins: super::login::Logins,
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
        let generation = records::read_generation(&data);
        let (index, _) = ProfileIndex::open(&engine, &index_dir, config.as_deref())?;
        for problem in index.skipped() {
            eprintln!("Nicht im Suchindex (fehlerhaft): {problem}");
        }
        let audit = AuditLog::open(&data.audit_log())?;
        let seen = profiles_fingerprint(&data);
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
                generation: AtomicU64::new(generation),
                accounts: super::login::AccountCache::default(),
                logins: super::login::Logins::default(),
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

    /// Takes the data folder for writing (waits for commands that write;
    /// blocking: call it off the async threads). Give the lock back with
    /// [`AppState::finish_write`].
    pub(super) fn write_lock(&self) -> Result<FolderLock, WebError> {
        FolderLock::exclusive(&self.inner.data).map_err(WebError::from)
    }

    /// Releases a write lock after the server brought its index up to
    /// date itself.
    pub(super) fn finish_write(&self, lock: FolderLock) {
        let generation = lock.finish();
        self.inner.generation.store(generation, Ordering::SeqCst);
        if let Ok(mut seen) = self.inner.seen.lock() {
            *seen = profiles_fingerprint(&self.inner.data);
        }
    }

    /// Picks up what commands changed in the folder (they bump its
    /// generation): called before every request is served, so that an
    /// erased person is never shown and an imported one is found as soon
    /// as the command has finished. One small file read when nothing changed.
    pub async fn sync(&self) -> Result<(), WebError> {
        let now = records::read_generation(&self.inner.data);
        if now == self.inner.generation.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.blocking(move |st| {
            let mut index = st.index_mut()?;
            // Another request may have caught up meanwhile.
            let now = records::read_generation(&st.inner.data);
            if now == st.inner.generation.load(Ordering::SeqCst) {
                return Ok(());
            }
            if !index.is_current(&st.inner.engine)? {
                let (fresh, _) = ProfileIndex::open(
                    &st.inner.engine,
                    &st.inner.index_dir,
                    st.inner.config.as_deref(),
                )?;
                *index = fresh;
            }
            st.inner.generation.store(now, Ordering::SeqCst);
            if let Ok(mut seen) = st.inner.seen.lock() {
                *seen = profiles_fingerprint(&st.inner.data);
            }
            Ok(())
        })
        .await
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
        let now = profiles_fingerprint(&self.inner.data);
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
        let now = profiles_fingerprint(&self.inner.data);
        if let Ok(mut seen) = self.inner.seen.lock() {
            *seen = now;
        }
        self.inner
            .generation
            .store(records::read_generation(&self.inner.data), Ordering::SeqCst);
    }
}

fn poisoned() -> crate::Error {
    crate::Error::Internal("Suchindex gesperrt".into())
}

/// Names, sizes and modification times of the profile records (0 where
/// the folder cannot be read: the next look tries again).
fn profiles_fingerprint(data: &DataDir) -> u64 {
    crate::index::profiles_fingerprint(data).unwrap_or(0)
}
