//! The profile index on disk: a tantivy index for full-text search, filters
//! and candidate retrieval, plus the table of resolved profiles
//! (`profiles.bin`) that scoring reads. Derived from the records: any
//! command rebuilds it when records changed, and `lotse index` always does.

mod collector;
mod fingerprint;
mod schema;
mod search;

pub use fingerprint::Manifest;
pub use schema::{days, written_text, Fields};
pub use search::{gazetteer_place, query_concepts, SearchHit, SearchQuery, SearchResults};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::records::{self, Record};
use crate::resolved::ResolvedProfile;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Resolved profiles by ordinal (sorted by id when built).
    profiles: Vec<ResolvedProfile>,
    by_id: HashMap<String, u32>,
    manifest: Manifest,
}

impl std::fmt::Debug for ProfileIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileIndex")
            .field("dir", &self.dir)
            .field("profiles", &self.profiles.len())
            .finish()
    }
}

impl ProfileIndex {
    /// Opens the index in `dir`, rebuilding it first if records changed.
    pub fn open(engine: &Engine, dir: &Path, config: Option<&Path>) -> Result<(Self, Freshness)> {
        let wanted = Manifest {
            catalogue: fingerprint::catalogue(&engine.data, config)?,
            profiles: fingerprint::profiles(&engine.data)?,
            count: 0,
        };
        if let Some(found) = Manifest::read(dir) {
            if found.catalogue == wanted.catalogue && found.profiles == wanted.profiles {
                if let Ok(index) = Self::load(dir, found) {
                    return Ok((index, Freshness::Fresh));
                }
            }
        }
        Ok((Self::rebuild(engine, dir, config)?, Freshness::Rebuilt))
    }

    /// Rebuilds the index from every profile record. The new index is built
    /// beside the old one and swapped in when complete.
    pub fn rebuild(engine: &Engine, dir: &Path, config: Option<&Path>) -> Result<Self> {
        let report = records::load_dir::<Profile>(&engine.data.profiles())?;
        if !report.diagnostics.is_empty() {
            return Err(Error::Invalid(report.diagnostics));
        }
        let mut profiles: Vec<Profile> = report.records.into_iter().map(|l| l.record).collect();
        profiles.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = profiles.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(Error::Invalid(vec![crate::error::Diagnostic::file(
                &engine.data.profile_path(&w[1].id),
                format!("{} „{}“ gibt es doppelt", Profile::NOUN, w[1].id),
            )]));
        }
        let resolved: Vec<ResolvedProfile> = profiles
            .par_iter()
            .map(|p| engine.resolve_profile(p))
            .collect();
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("index");
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(tmp.join("tantivy")).map_err(|e| Error::io(&tmp, e))?;

        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(tmp.join("tantivy"), schema)?;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let mut writer =
            index.writer_with_num_threads::<tantivy::TantivyDocument>(threads, WRITER_MEMORY)?;
        for (ordinal, (profile, r)) in profiles.iter().zip(&resolved).enumerate() {
            writer.add_document(fields.document(ordinal as u64, profile, r))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        // The records are indexed; only their resolved form is kept.
        drop(profiles);

        write_table(&tmp, &resolved)?;
        let manifest = Manifest {
            catalogue: fingerprint::catalogue(&engine.data, config)?,
            profiles: fingerprint::profiles(&engine.data)?,
            count: resolved.len(),
        };
        manifest.write(&tmp)?;

        // Swap: the old index goes aside, the new one takes its place.
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if dir.exists() {
            std::fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| Error::io(dir, e))?;
        let _ = std::fs::remove_dir_all(&old);
        Self::with_profiles(dir, manifest, resolved)
    }

    fn load(dir: &Path, manifest: Manifest) -> Result<Self> {
        let bytes = std::fs::read(dir.join("profiles.bin")).map_err(|e| Error::io(dir, e))?;
        let profiles: Vec<ResolvedProfile> = postcard::from_bytes(&bytes).map_err(|e| {
            Error::Internal(format!(
                "profiles.bin unlesbar ({e}); mit `lotse index` neu aufbauen"
            ))
        })?;
        Self::with_profiles(dir, manifest, profiles)
    }

    /// Opens the tantivy index of `dir` with the resolved profiles in hand.
    fn with_profiles(
        dir: &Path,
        manifest: Manifest,
        profiles: Vec<ResolvedProfile>,
    ) -> Result<Self> {
        let index = Index::open_in_dir(dir.join("tantivy"))?;
        let fields = Fields::schema().1;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        if profiles.len() != manifest.count {
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
            index,
            reader,
            fields,
            profiles,
            by_id,
            manifest,
        })
    }

    /// All resolved profiles, by ordinal.
    pub fn profiles(&self) -> &[ResolvedProfile] {
        &self.profiles
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

    /// Adds or replaces one profile (after the web form saved it). The
    /// record must already be written; the manifest is brought up to date.
    pub fn upsert(&mut self, engine: &Engine, profile: &Profile) -> Result<()> {
        let resolved = engine.resolve_profile(profile);
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
        self.reader.reload()?;
        write_table(&self.dir, &self.profiles)?;
        self.manifest.profiles = fingerprint::profiles(&engine.data)?;
        self.manifest.count = self.profiles.len();
        self.manifest.write(&self.dir)
    }

    /// The folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn write_table(dir: &Path, profiles: &[ResolvedProfile]) -> Result<()> {
    let bytes = postcard::to_allocvec(profiles)
        .map_err(|e| Error::Internal(format!("profiles.bin: {e}")))?;
    let path = dir.join("profiles.bin");
    let tmp = dir.join("profiles.bin.tmp");
    std::fs::write(&tmp, &bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}
