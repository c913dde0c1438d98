//! The engine: a data folder's catalogue and configuration, with everything
//! derived from them once (label index, relatedness, targets). Both the
//! command line and the web interface work through it.

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::records::DataDir;
use crate::resolve::LazyResolver;
use crate::resolved::ResolvedProfile;
use crate::score::{Relatedness, Scorer, Target};
use std::path::{Path, PathBuf};

/// The folder of lotse's derived caches: `$XDG_CACHE_HOME/lotse`, else
/// `~/.cache/lotse`, else `lotse` in the temporary folder. Never inside the
/// data folder, which holds records only (an import that fails leaves it
/// exactly as it was). Entries are keyed by their content, so data folders
/// with the same catalogue share them.
pub fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("lotse")
}

/// A loaded catalogue ready to resolve and score.
#[derive(Debug)]
pub struct Engine {
    pub data: DataDir,
    pub catalogue: Catalogue,
    pub config: Config,
    /// Opened on first use (see [`LazyResolver`]).
    pub resolver: LazyResolver,
    pub related: Relatedness,
    /// One target per occupation, in catalogue order.
    pub occupations: Vec<Target>,
    /// One target per offer, in catalogue order (`None`: unknown occupation).
    pub offers: Vec<Option<Target>>,
}

impl Engine {
    /// Loads the catalogue and configuration of a data folder.
    pub fn open(data: &DataDir, config: Option<&Path>) -> Result<Self> {
        let config = Config::load(data, config)?;
        let catalogue = Catalogue::load_with(data, &config.kldb)?;
        Engine::new(data.clone(), catalogue, config)
    }

    /// An engine over an already loaded catalogue. The resolver's label
    /// index is cached in [`cache_dir`] (see
    /// [`crate::resolve::Resolver::cached`]) and opened on first use.
    pub fn new(data: DataDir, catalogue: Catalogue, config: Config) -> Result<Self> {
        let resolver = LazyResolver::new(&catalogue, config.resolve, &cache_dir());
        let related = Relatedness::new(&catalogue, &config);
        let occupations = (0..catalogue.occupations.len())
            .map(|i| Target::occupation(&catalogue, i))
            .collect();
        let offers = (0..catalogue.offers.len())
            .map(|i| Target::offer(&catalogue, i))
            .collect();
        Ok(Engine {
            data,
            catalogue,
            config,
            resolver,
            related,
            occupations,
            offers,
        })
    }

    /// The scorer over this engine's catalogue and configuration.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer {
            catalogue: &self.catalogue,
            config: &self.config,
            related: &self.related,
        }
    }

    /// Resolves a profile's written text against the catalogue.
    pub fn resolve_profile(&self, profile: &Profile) -> ResolvedProfile {
        ResolvedProfile::resolve(profile, &self.catalogue, &self.resolver, &self.config)
    }

    /// The target of an offer id.
    pub fn offer_target(&self, id: &str) -> Result<&Target> {
        let i = self
            .catalogue
            .offer_index(id)
            .ok_or_else(|| Error::NotFound(format!("Angebot „{id}“ gibt es nicht")))?;
        self.offers[i]
            .as_ref()
            .ok_or_else(|| Error::NotFound(format!("Angebot „{id}“ nennt einen unbekannten Beruf")))
    }
}
