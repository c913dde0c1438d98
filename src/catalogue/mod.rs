//! The catalogue under `occupations/`: skills, occupations, concrete offers,
//! training offers and the gazetteer of postcodes.

pub mod kldb;
mod occupation;
mod offer;
mod place;
mod school;
mod skill;
mod training;

pub use kldb::{KldbDefaults, KldbGroup};
pub use occupation::{Importance, Occupation, OccupationKind, RequiredSkill, Requirement};
pub use offer::{Offer, OfferKind};
pub use place::Place;
pub use school::{is_school_year, school_year, School, SchoolClass};
pub use skill::Skill;
pub use training::{Prerequisites, TrainingKind, TrainingOffer};

use crate::error::{Diagnostic, Error, Result};
use crate::profile::Coordinates;
use crate::records::{self, DataDir, Loaded};
use std::collections::HashMap;
use std::sync::Arc;

/// The whole catalogue, loaded and indexed by id.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub skills: Vec<Skill>,
    pub occupations: Vec<Occupation>,
    pub offers: Vec<Offer>,
    pub training: Vec<TrainingOffer>,
    pub places: Vec<Place>,
    /// Vocational schools (`occupations/schools/`).
    pub schools: Vec<School>,
    skill_ix: HashMap<String, usize>,
    occupation_ix: HashMap<String, usize>,
    offer_ix: HashMap<String, usize>,
    training_ix: HashMap<String, usize>,
    postcode_ix: HashMap<String, usize>,
    municipality_ix: HashMap<String, usize>,
    /// First occupation per 5-digit KldB code.
    kldb_ix: HashMap<String, usize>,
    kldb: Vec<Arc<KldbGroup>>,
}

/// The catalogue's records with their files, and every problem found while
/// reading them (used by validation, which needs the paths).
#[derive(Debug, Default)]
pub struct CatalogueFiles {
    pub skills: Vec<Loaded<Skill>>,
    pub occupations: Vec<Loaded<Occupation>>,
    pub offers: Vec<Loaded<Offer>>,
    pub training: Vec<Loaded<TrainingOffer>>,
    pub places: Vec<Place>,
    pub schools: Vec<Loaded<School>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CatalogueFiles {
    /// Reads every catalogue file under `data`; problems are collected.
    pub fn read(data: &DataDir) -> Result<Self> {
        let mut files = CatalogueFiles::default();
        let skills = records::load_dir(&data.skills())?;
        let occupations = records::load_dir(&data.occupations())?;
        let offers = records::load_dir(&data.offers())?;
        let training = records::load_dir(&data.training())?;
        files.skills = skills.records;
        files.occupations = occupations.records;
        files.offers = offers.records;
        files.training = training.records;
        let schools_dir = data.catalogue().join("schools");
        if schools_dir.is_dir() {
            let schools = records::load_dir(&schools_dir)?;
            files.schools = schools.records;
            files.diagnostics.extend(schools.diagnostics);
        }
        for d in [
            skills.diagnostics,
            occupations.diagnostics,
            offers.diagnostics,
            training.diagnostics,
        ] {
            files.diagnostics.extend(d);
        }
        let places_path = data.places();
        if places_path.exists() {
            match std::fs::read_to_string(&places_path) {
                Ok(text) => match records::parse::<Vec<Place>>(&places_path, &text) {
                    Ok(places) => files.places = places,
                    Err(d) => files.diagnostics.push(d),
                },
                Err(e) => files.diagnostics.push(Diagnostic::file(
                    &places_path,
                    format!("Datei nicht lesbar: {e}"),
                )),
            }
        }
        if files.occupations.is_empty() && files.diagnostics.is_empty() {
            files.diagnostics.push(Diagnostic::file(
                &data.occupations(),
                "keine Berufe gefunden: ist --data der richtige Datenordner?",
            ));
        }
        Ok(files)
    }

    /// The catalogue without the file paths.
    pub fn into_catalogue(self) -> Catalogue {
        Catalogue::new(
            self.skills.into_iter().map(|l| l.record).collect(),
            self.occupations.into_iter().map(|l| l.record).collect(),
            self.offers.into_iter().map(|l| l.record).collect(),
            self.training.into_iter().map(|l| l.record).collect(),
            self.places,
        )
        .with_schools(self.schools.into_iter().map(|l| l.record).collect())
    }
}

fn index_by<T>(items: &[T], key: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    let mut ix = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        ix.entry(key(item).to_string()).or_insert(i);
    }
    ix
}

impl Catalogue {
    /// A catalogue from its parts; the first of duplicate ids wins (validation reports them).
    pub fn new(
        skills: Vec<Skill>,
        occupations: Vec<Occupation>,
        offers: Vec<Offer>,
        training: Vec<TrainingOffer>,
        places: Vec<Place>,
    ) -> Self {
        let skill_ix = index_by(&skills, |s| &s.id);
        let occupation_ix = index_by(&occupations, |o| &o.id);
        let offer_ix = index_by(&offers, |o| &o.id);
        let training_ix = index_by(&training, |t| &t.id);
        let postcode_ix = index_by(&places, |p| &p.postcode);
        let kldb_ix = index_by(&occupations, |o| &o.kldb);
        let municipality_ix = places
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.municipality.to_lowercase(), i))
            .collect();
        Catalogue {
            skills,
            occupations,
            offers,
            training,
            places,
            schools: Vec::new(),
            skill_ix,
            occupation_ix,
            offer_ix,
            training_ix,
            postcode_ix,
            municipality_ix,
            kldb_ix,
            kldb: Vec::new(),
        }
    }

    /// The catalogue with its vocational schools.
    pub fn with_schools(mut self, mut schools: Vec<School>) -> Self {
        schools.sort_by(|a, b| a.id.cmp(&b.id));
        self.schools = schools;
        self
    }

    /// The school of an id.
    pub fn school(&self, id: &str) -> Option<&School> {
        self.schools
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.schools[i])
    }

    /// Loads the catalogue of a data folder; any problem is an error listing
    /// all of them. KldB groups without a curated record take the default
    /// kind and German minimum of their level.
    pub fn load(data: &DataDir) -> Result<Self> {
        Catalogue::load_with(data, &KldbDefaults::default())
    }

    /// [`Catalogue::load`] with the configured defaults of KldB groups
    /// without a curated record. Every group of `occupations/kldb/` (where the
    /// folder exists) becomes an occupation; see [`kldb::merge`].
    pub fn load_with(data: &DataDir, defaults: &KldbDefaults) -> Result<Self> {
        let files = CatalogueFiles::read(data)?;
        if !files.diagnostics.is_empty() {
            return Err(Error::Invalid(files.diagnostics));
        }
        let groups = kldb::load(data)?;
        let mut catalogue = files.into_catalogue();
        if !groups.is_empty() {
            let curated = std::mem::take(&mut catalogue.occupations);
            let schools = std::mem::take(&mut catalogue.schools);
            let occupations = kldb::merge(curated, &groups, defaults);
            catalogue = Catalogue::new(
                catalogue.skills,
                occupations,
                catalogue.offers,
                catalogue.training,
                catalogue.places,
            )
            .with_schools(schools);
        } else {
            catalogue
                .occupations
                .iter_mut()
                .for_each(|o| o.curated = true);
        }
        catalogue.kldb = groups;
        // An offer may name its occupation by a 5-digit KldB code: the
        // occupation of that code (a curated record first) stands for it.
        let refs: Vec<(usize, String)> = catalogue
            .offers
            .iter()
            .enumerate()
            .filter(|(_, o)| catalogue.occupation_index(&o.occupation).is_none())
            .filter_map(|(i, o)| {
                let j = catalogue.occupation_ref(&o.occupation)?;
                Some((i, catalogue.occupations[j].id.clone()))
            })
            .collect();
        for (i, id) in refs {
            catalogue.offers[i].occupation = id;
        }
        Ok(catalogue)
    }

    /// The curated records only, without the KldB groups (what `lotse
    /// generate` draws its synthetic people and offers from).
    pub fn load_curated(data: &DataDir) -> Result<Self> {
        let files = CatalogueFiles::read(data)?;
        if !files.diagnostics.is_empty() {
            return Err(Error::Invalid(files.diagnostics));
        }
        let mut catalogue = files.into_catalogue();
        catalogue
            .occupations
            .iter_mut()
            .for_each(|o| o.curated = true);
        Ok(catalogue)
    }

    /// The KldB groups of the official classification (empty when the data
    /// folder has no `occupations/kldb/`).
    pub fn kldb_groups(&self) -> &[Arc<KldbGroup>] {
        &self.kldb
    }

    /// The occupation an offer or import names by id, by `kldb-NNNNN` or by a
    /// 5-digit KldB code (a curated record of that code first).
    pub fn occupation_ref(&self, reference: &str) -> Option<usize> {
        let r = reference.trim();
        if let Some(i) = self.occupation_index(r) {
            return Some(i);
        }
        // "kldb-52132" of a group a curated record stands for is that record.
        let code = r.strip_prefix("kldb-").unwrap_or(r);
        if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
            return self.kldb_ix.get(code).copied();
        }
        None
    }

    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skill_ix.get(id).map(|&i| &self.skills[i])
    }
    pub fn skill_index(&self, id: &str) -> Option<usize> {
        self.skill_ix.get(id).copied()
    }
    pub fn occupation(&self, id: &str) -> Option<&Occupation> {
        self.occupation_ix.get(id).map(|&i| &self.occupations[i])
    }
    pub fn occupation_index(&self, id: &str) -> Option<usize> {
        self.occupation_ix.get(id).copied()
    }
    pub fn offer(&self, id: &str) -> Option<&Offer> {
        self.offer_ix.get(id).map(|&i| &self.offers[i])
    }
    pub fn offer_index(&self, id: &str) -> Option<usize> {
        self.offer_ix.get(id).copied()
    }
    pub fn training_offer(&self, id: &str) -> Option<&TrainingOffer> {
        self.training_ix.get(id).map(|&i| &self.training[i])
    }

    /// Where a postcode or municipality lies, from the gazetteer.
    pub fn locate(
        &self,
        postcode: Option<&str>,
        municipality: Option<&str>,
    ) -> Option<Coordinates> {
        postcode
            .and_then(|p| self.postcode_ix.get(p.trim()))
            .or_else(|| {
                municipality.and_then(|m| self.municipality_ix.get(&m.trim().to_lowercase()))
            })
            .map(|&i| self.places[i].coordinates())
    }
}
