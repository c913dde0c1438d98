//! The profile index on disk: a tantivy index for full-text search, filters
//! and candidate retrieval, plus the table of resolved profiles
//! (`profiles.bin`) that scoring reads. Derived from the records: any
//! command rebuilds it when records changed, and `lotse index` always does.
//!
//! # Write invariant
//!
//! The index on disk is only ever written under the data folder's
//! exclusive lock ([`FolderLock`]) and only from the records as they are on
//! disk at that moment: a full rebuild reads every record; an incremental
//! update of one profile ([`ProfileIndex::upsert_locked`]) first checks that
//! the index it holds in memory is still the one on disk (the manifest's
//! `build` number and the records' fingerprint) and otherwise reopens or
//! rebuilds it before adding the profile. A copy in memory is never written
//! back over a newer index. Readers open the index under the shared lock, so
//! they never see half a rebuild; a search hit is checked against the id
//! stored in its tantivy document.

mod fingerprint;
mod schema;
mod search;

pub use fingerprint::{profiles as profiles_fingerprint, Manifest};
pub use schema::{days, written_text, Fields};
pub use search::{gazetteer_place, query_concepts, SearchHit, SearchQuery, SearchResults};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::records::{self, DataDir, FolderLock, Record};
use crate::resolved::ResolvedProfile;
use crate::score::Bounds;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

/// Memory budget of the index writer.
const WRITER_MEMORY: usize = 200_000_000;

/// How `open` found the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// It matched the records.
    Fresh,
    /// It was missing or out of date and was rebuilt.
    Rebuilt,
}

/// The profile index, opened.
pub struct ProfileIndex {
    dir: PathBuf,
    config: Option<PathBuf>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Resolved profiles by ordinal (sorted by id when built).
    profiles: Vec<ResolvedProfile>,
    by_id: HashMap<String, u32>,
    manifest: Manifest,
    /// The profiles' score bounds for ranking, made on first use.
    bounds: RwLock<Option<Arc<Bounds>>>,
}

impl std::fmt::Debug for ProfileIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileIndex")
            .field("dir", &self.dir)
            .field("profiles", &self.profiles.len())
            .finish()
    }
}

/// Temporary and set-aside folders of a rebuild that did not finish.
fn orphans(dir: &Path) -> Vec<PathBuf> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("index");
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&tmp) || n.starts_with(&old)
        })
        .map(|e| e.path())
        .collect()
}

/// Removes what interrupted rebuilds left; only under the exclusive lock.
fn remove_orphans(dir: &Path) -> Result<()> {
    for path in orphans(dir) {
        std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Whether something must be recovered before the index can be read.
fn needs_recovery(data: &DataDir, dir: &Path) -> bool {
    records::journal::needs_recovery(data) || !orphans(dir).is_empty()
}

impl ProfileIndex {
    /// Opens the index in `dir`, rebuilding it first if records changed.
    /// Reads under the folder's shared lock; recovers and rebuilds under
    /// the exclusive one.
    pub fn open(engine: &Engine, dir: &Path, config: Option<&Path>) -> Result<(Self, Freshness)> {
        if !needs_recovery(&engine.data, dir) {
            let shared = FolderLock::shared(&engine.data)?;
            if let Some(index) = Self::load_if_fresh(engine, dir, config)? {
                drop(shared);
                return Ok((index, Freshness::Fresh));
            }
            drop(shared);
        }
        let lock = FolderLock::exclusive(&engine.data)?;
        let opened = Self::open_locked(engine, dir, config, &lock)?;
        lock.finish();
        Ok(opened)
    }

    /// [`open`](Self::open) for a process that holds the exclusive lock.
    pub fn open_locked(
        engine: &Engine,
        dir: &Path,
        config: Option<&Path>,
        lock: &FolderLock,
    ) -> Result<(Self, Freshness)> {
        remove_orphans(dir)?;
        if records::journal::pending_erasures(&engine.data).is_empty() {
            if let Some(index) = Self::load_if_fresh(engine, dir, config)? {
                return Ok((index, Freshness::Fresh));
            }
        }
        Ok((
            Self::rebuild_locked(engine, dir, config, lock)?,
            Freshness::Rebuilt,
        ))
    }

    /// The index on disk if it matches the records and loads whole.
    fn load_if_fresh(engine: &Engine, dir: &Path, config: Option<&Path>) -> Result<Option<Self>> {
        let Some(found) = Manifest::read(dir) else {
            return Ok(None);
        };
        if found.catalogue != fingerprint::catalogue(&engine.data, config)?
            || found.profiles != fingerprint::profiles(&engine.data)?
        {
            return Ok(None);
        }
        Ok(Self::load(dir, config, found).ok())
    }

    /// Rebuilds the index from every profile record, under the folder's
    /// exclusive lock. The new index is built beside the old one and
    /// swapped in when complete.
    pub fn rebuild(engine: &Engine, dir: &Path, config: Option<&Path>) -> Result<Self> {
        let lock = FolderLock::exclusive(&engine.data)?;
        let index = Self::rebuild_locked(engine, dir, config, &lock)?;
        lock.finish();
        Ok(index)
    }

    /// [`rebuild`](Self::rebuild) for a process that holds the exclusive
    /// lock. Invalid records are left out and named in
    /// [`skipped`](Self::skipped): one broken file does not hide everybody
    /// else.
    pub fn rebuild_locked(
        engine: &Engine,
        dir: &Path,
        config: Option<&Path>,
        lock: &FolderLock,
    ) -> Result<Self> {
        if !lock.is_exclusive() {
            return Err(Error::Internal(
                "Suchindex ohne Schreibsperre neu aufbauen".into(),
            ));
        }
        let erased = records::journal::pending_erasures(&engine.data);
        remove_orphans(dir)?;
        // Taken before reading, so that a record changed while building
        // makes the manifest stale rather than being missed.
        let profiles_fingerprint = fingerprint::profiles(&engine.data)?;
        let report = records::load_dir::<Profile>(&engine.data.profiles())?;
        let mut skipped: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        skipped.sort();
        let mut profiles: Vec<Profile> = report.records.into_iter().map(|l| l.record).collect();
        profiles.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = profiles.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(Error::Invalid(vec![crate::error::Diagnostic::file(
                &engine.data.profile_path(&w[1].id),
                format!("{} „{}“ gibt es doppelt", Profile::NOUN, w[1].id),
            )]));
        }
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("index");
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        records::journal::private_dir(&tmp.join("tantivy"))?;

        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(tmp.join("tantivy"), schema)?;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let writer =
            index.writer_with_num_threads::<tantivy::TantivyDocument>(threads, WRITER_MEMORY)?;
        let (resolved, mut writer) = resolve_and_feed(engine, fields, profiles, writer)?;
        writer.commit()?;
        writer.wait_merging_threads()?;

        write_table(&tmp, &resolved)?;
        let manifest = Manifest {
            catalogue: fingerprint::catalogue(&engine.data, config)?,
            profiles: profiles_fingerprint,
            count: resolved.len(),
            build: rand::random(),
            skipped,
        };
        manifest.write(&tmp)?;
        records::journal::make_private(&tmp)?;

        // Swap: the old index goes aside, the new one takes its place.
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if dir.exists() {
            std::fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| Error::io(dir, e))?;
        records::journal::sync_dir(parent);
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        // The erased people are gone from the index too: their erasure is done.
        records::journal::end_erasures(&engine.data, &erased)?;
        Self::with_profiles(dir, config, manifest, resolved)
    }

    fn load(dir: &Path, config: Option<&Path>, manifest: Manifest) -> Result<Self> {
        let bytes = std::fs::read(dir.join("profiles.bin")).map_err(|e| Error::io(dir, e))?;
        let profiles: Vec<ResolvedProfile> = postcard::from_bytes(&bytes).map_err(|e| {
            Error::Internal(format!(
                "profiles.bin unlesbar ({e}); mit `lotse index` neu aufbauen"
            ))
        })?;
        Self::with_profiles(dir, config, manifest, profiles)
    }

    /// Opens the tantivy index of `dir` with the resolved profiles in hand.
    fn with_profiles(
        dir: &Path,
        config: Option<&Path>,
        manifest: Manifest,
        profiles: Vec<ResolvedProfile>,
    ) -> Result<Self> {
        let index = Index::open_in_dir(dir.join("tantivy"))?;
        let fields = Fields::schema().1;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let documents = reader.searcher().num_docs() as usize;
        if profiles.len() != manifest.count || documents != profiles.len() {
            return Err(Error::Internal(
                "Index unvollständig; mit `lotse index` neu aufbauen".into(),
            ));
        }
        let by_id = profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as u32))
            .collect();
        Ok(ProfileIndex {
            dir: dir.to_path_buf(),
            config: config.map(Path::to_path_buf),
            index,
            reader,
            fields,
            profiles,
            by_id,
            manifest,
            bounds: RwLock::new(None),
        })
    }

    /// All resolved profiles, by ordinal.
    pub fn profiles(&self) -> &[ResolvedProfile] {
        &self.profiles
    }

    /// The score bounds of the profiles under the engine's configuration
    /// (see [`Bounds`]): made on first use and kept while they fit.
    pub fn bounds(&self, engine: &Engine) -> Arc<Bounds> {
        let scorer = engine.scorer();
        let fits = |b: &Arc<Bounds>| b.fits(&scorer) && b.len() == self.profiles.len();
        if let Some(b) = self
            .bounds
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|b| fits(b))
        {
            return Arc::clone(b);
        }
        let mut slot = self.bounds.write().unwrap_or_else(|e| e.into_inner());
        match slot.as_ref().filter(|b| fits(b)) {
            Some(b) => Arc::clone(b),
            None => {
                let b = Arc::new(Bounds::new(&scorer, &self.profiles));
                *slot = Some(Arc::clone(&b));
                b
            }
        }
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether the index holds no profile.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The resolved profile of an id.
    pub fn profile(&self, id: &str) -> Option<&ResolvedProfile> {
        self.by_id.get(id).map(|&i| &self.profiles[i as usize])
    }

    /// The invalid record files left out of the index, with their problem.
    pub fn skipped(&self) -> &[String] {
        &self.manifest.skipped
    }

    /// Whether the index in memory is still the one on disk and true to
    /// the records.
    pub fn is_current(&self, engine: &Engine) -> Result<bool> {
        Ok(Manifest::read(&self.dir).as_ref() == Some(&self.manifest)
            && fingerprint::profiles(&engine.data)? == self.manifest.profiles
            && records::journal::pending_erasures(&engine.data).is_empty())
    }

    /// Brings the index in memory up to date with the disk (another
    /// process may have changed records or the index); under the exclusive
    /// lock. Returns whether it had to.
    pub fn sync_locked(&mut self, engine: &Engine, lock: &FolderLock) -> Result<bool> {
        if self.is_current(engine)? {
            return Ok(false);
        }
        let config = self.config.clone();
        *self = Self::open_locked(engine, &self.dir.clone(), config.as_deref(), lock)?.0;
        Ok(true)
    }

    /// Adds or replaces one profile after its record was written, taking
    /// the folder's exclusive lock. Without the lock held from before the
    /// record was written, other changes may have come in between: the
    /// index is reopened from the records (rebuilt), never patched.
    pub fn upsert(&mut self, engine: &Engine, _profile: &Profile) -> Result<()> {
        let lock = FolderLock::exclusive(&engine.data)?;
        let config = self.config.clone();
        *self = Self::open_locked(engine, &self.dir.clone(), config.as_deref(), &lock)?.0;
        lock.finish();
        Ok(())
    }

    /// [`upsert`](Self::upsert) under the exclusive lock, which must have
    /// been held since [`sync_locked`](Self::sync_locked) was called before
    /// the record was written. If the index in memory is nevertheless no
    /// longer the one on disk, it is reopened from the records instead.
    pub fn upsert_locked(
        &mut self,
        engine: &Engine,
        profile: &Profile,
        lock: &FolderLock,
    ) -> Result<()> {
        if Manifest::read(&self.dir).as_ref() != Some(&self.manifest)
            || !records::journal::pending_erasures(&engine.data).is_empty()
        {
            let config = self.config.clone();
            *self = Self::open_locked(engine, &self.dir.clone(), config.as_deref(), lock)?.0;
            return Ok(());
        }
        let resolved = engine.resolve_profile(profile);
        *self.bounds.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        let ordinal = match self.by_id.get(&profile.id) {
            Some(&i) => {
                self.profiles[i as usize] = resolved.clone();
                i
            }
            None => {
                self.profiles.push(resolved.clone());
                let i = (self.profiles.len() - 1) as u32;
                self.by_id.insert(profile.id.clone(), i);
                i
            }
        };
        let mut writer = self
            .index
            .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)?;
        writer.delete_term(Term::from_field_text(self.fields.id, &profile.id));
        writer.add_document(self.fields.document(u64::from(ordinal), profile, &resolved))?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        write_table(&self.dir, &self.profiles)?;
        self.manifest.profiles = fingerprint::profiles(&engine.data)?;
        self.manifest.count = self.profiles.len();
        self.manifest.build = rand::random();
        self.manifest.write(&self.dir)?;
        records::journal::make_private(&self.dir)
    }

    /// Whether a hit's document is the profile its ordinal names: the id
    /// stored in the document must be the id in the table.
    pub(crate) fn names_right_person(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
        ordinal: u32,
    ) -> bool {
        use tantivy::schema::Value as _;
        let Some(p) = self.profiles.get(ordinal as usize) else {
            return false;
        };
        searcher
            .doc::<tantivy::TantivyDocument>(addr)
            .ok()
            .and_then(|doc| {
                doc.get_first(self.fields.id)
                    .and_then(|v| v.as_str().map(|s| s == p.id))
            })
            .unwrap_or(false)
    }

    /// The folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Profiles resolved and made into documents in blocks, each block on
/// every core, while a thread of its own hands the documents of the block
/// before to the index writer (whose threads index them): the records go
/// as they are resolved, and no more than a few blocks of documents wait
/// in memory. Returns the resolved profiles by ordinal and the writer.
fn resolve_and_feed(
    engine: &Engine,
    fields: Fields,
    profiles: Vec<Profile>,
    writer: tantivy::IndexWriter<tantivy::TantivyDocument>,
) -> Result<(
    Vec<ResolvedProfile>,
    tantivy::IndexWriter<tantivy::TantivyDocument>,
)> {
    const BLOCK: usize = 16_384;
    let mut resolved = Vec::with_capacity(profiles.len());
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<tantivy::TantivyDocument>>(1);
        let feeder = scope.spawn(move || -> tantivy::Result<_> {
            for block in receive {
                for document in block {
                    writer.add_document(document)?;
                }
            }
            Ok(writer)
        });
        let mut records = profiles.into_iter();
        loop {
            let block: Vec<Profile> = records.by_ref().take(BLOCK).collect();
            if block.is_empty() {
                break;
            }
            let first = resolved.len();
            let (made, documents): (Vec<ResolvedProfile>, Vec<tantivy::TantivyDocument>) = block
                .par_iter()
                .enumerate()
                .map(|(i, p)| {
                    let r = engine.resolve_profile(p);
                    let document = fields.document((first + i) as u64, p, &r);
                    (r, document)
                })
                .unzip();
            resolved.extend(made);
            if send.send(documents).is_err() {
                // The writer failed; its error comes from the join.
                break;
            }
        }
        drop(send);
        match feeder.join() {
            Ok(writer) => Ok((std::mem::take(&mut resolved), writer?)),
            Err(_) => Err(Error::Internal(
                "Suchindex: der Schreib-Thread ist abgebrochen".into(),
            )),
        }
    })
}

fn write_table(dir: &Path, profiles: &[ResolvedProfile]) -> Result<()> {
    let bytes = postcard::to_allocvec(profiles)
        .map_err(|e| Error::Internal(format!("profiles.bin: {e}")))?;
    let path = dir.join("profiles.bin");
    let tmp = dir.join("profiles.bin.tmp");
    {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.create(true).write(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| Error::io(&tmp, e))?;
        file.write_all(&bytes)
            .and_then(|_| file.sync_all())
            .map_err(|e| Error::io(&tmp, e))?;
    }
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}
