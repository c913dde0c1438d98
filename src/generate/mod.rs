//! Synthetic data folders for benchmarks and for trying lotse at scale
//! (`lotse generate --profiles N --offers M --seed S --out DIR`).
//!
//! # The folder
//!
//! `DIR` gets a copy of what matching needs from the source catalogue
//! (`occupations/skills/`, `occupations/occupations/`,
//! `occupations/training/`, `occupations/places.ron`,
//! `occupations/kldb2010-codes.csv`, `lotse.ron` where present), M offers
//! `occupations/offers/GA-000001.ron` … and N profiles
//! `profiles/G-0000001.ron` …. The source's own offers and profiles are not
//! copied. Everything is written into a hidden sibling folder
//! (`.DIR.lotse-generate-…`) that is renamed to `DIR` at the end, so `DIR`
//! appears complete or not at all; a run that is killed may leave the
//! hidden folder behind, which can be deleted. An existing `DIR` that is not
//! empty is refused, never overwritten. Files are not synced one by one: a
//! benchmark folder is cheap to make again from its seed.
//!
//! # Import files
//!
//! [`generate_csv`] (`lotse generate … --format csv`) writes the same
//! offers and profiles as import CSV files instead, `DIR/offers.csv` and
//! `DIR/profiles.csv`, for `lotse import offers|profiles` and for tools
//! that read that format; what the format has no column for is left out
//! (see `import_csv.rs`). The folder is made the same way: staged, renamed
//! when complete, an existing folder that is not empty refused.
//!
//! # Reproducibility
//!
//! Each record draws from its own ChaCha8 stream, chosen by the seed and the
//! record's index, and depends on nothing else but the catalogue. The same
//! N, M, seed and catalogue give byte-identical files, however many threads
//! run and in whatever order. Dates of the past (arrival, consent,
//! Kompetenzprofil) lie on or before 28 June 2026, whatever day the folder
//! is made, so `lotse validate` (which refuses dates in the future) accepts
//! it and the files do not change with the calendar.
//!
//! # Offers
//!
//! | what | distribution |
//! | --- | --- |
//! | occupation | weight 2; ×2 for helper work (KldB level 1, Helfer-/Anlerntätigkeit); ×2 in the sectors that hire refugees first (KldB 29 food, 51 logistics, 52 drivers, 54 cleaning, 63 hotels and restaurants, 81/82 care, 83 housekeeping); 1 for Studienberufe |
//! | kind | helper work: job 80 %, Praktikum 20 %; Ausbildungsberuf: Ausbildung 45 %, job 35 %, EQ 12 %, Praktikum 8 %; schulische Ausbildung: Ausbildung 50 %, job 35 %, Praktikum 15 % |
//! | places | 1: 22 %, 2: 18 %, 3: 12 %, 4–6: 3 % each, 7: 4 %, 8: 7 %, 9: 8 %, 10: 20 % — small businesses and large employers; mean ≈ 5 (about 5,000 places per 1,000 offers) |
//! | place | a postcode area of `places.ron`, uniformly |
//! | start date | year 2016–2027; Ausbildung 1 August or 1 September, EQ on the 1st of February, August–November, jobs on the 1st or 15th, Praktikum any day |
//! | overrides | minimum German one step from the occupation's in 15 %; licences: C, CE or C1 for 40 % of driver jobs, B (rarely BE, C1) for 8 % of the rest; no work permit needed for 30 % of Praktika; 1–3 extra skills in 25 % |
//! | extras | DEHOGA Integrationsinitiative for 25 % of Ausbildung/EQ in hospitality, PerjuF for 10 % of the others; a vocational school (`bbs-<municipality>`, written to `occupations/schools/` with one class per occupation and school year of ½ to 1½ times its offers' places) for 70 % of Ausbildung/EQ with a place; notes in 15 % |
//!
//! # Profiles
//!
//! | what | distribution |
//! | --- | --- |
//! | origin | relative weights: Syria 26 (2 of them stateless Kurds), Afghanistan 16, Ukraine 14, Iraq 8, Turkey 7, Eritrea 4, Iran 4, Somalia 3, Nigeria 3, Albania 2, Kosovo 2, Gambia 2, Guinea 2, Cameroon 1 — with origin-typical names (Arabic, Kurdish, Dari/Pashto, Tigrinya, Somali, Albanian, Ukrainian, Turkish, Persian, anglophone and francophone West African), mother tongues, other languages, literacy, schooling and share of women (see `origins.rs`) |
//! | arrival | 2014–2026, peak 2015/16, again from 2022; Ukraine 2022–2026; age at arrival mostly 18–34 |
//! | sections | identity only 5 %; of the others: permits 92 %, residence 90 %, mobility 80 %, languages 88 %, schooling 75 %, vocational training 25 % (12 % of them two), studies 2–40 % by origin, work experience 70 % (1, 2 or 3 jobs: 55/30/15 %), interests 60 %, restrictions 15 %, availability 70 %, consent 90 %, Kompetenzprofil 50 %, notes 20 % |
//! | residence status | overall about Aufenthaltserlaubnis 50 %, Aufenthaltsgestattung 26 %, Duldung 12 %, Niederlassungserlaubnis 5 % (only after three years here), unknown 8 %, by the origin’s chance of protection |
//! | work permit | overall about allowed 57 %, needs approval 25 %, not allowed 8 %, unknown 10 %, by the residence status |
//! | German | not known 8 %; else none 9 %, A1 26 %, A2 28 %, B1 24 %, B2 9 %, C1 3 %, C2 1 % — one level lower for half of those here under a year, one higher for 40 % of those here five years or more, at most A2 without Latin script |
//! | mobility | commute 5–100 km (mostly 10–30); licence B 22 %, of them BE 10 %, C1 5 %, C 3 %, C+CE 4 %; T 1 % |
//! | written terms | work experience, training and interests name a catalogue occupation by the person's gender form (45 %), a synonym (25 %), an English/French word (20 %) or a "Hilfe in der …" paraphrase of helper work (15 %); a quarter of work experience names a skill of the job instead; German terms get umlauts as ae/oe/ue or plain vowels (30 % of those that have them), a dropped, doubled or swapped letter (15 %), lower case (15 %), "(m/w/d)" (6 %); foreign words a typo (10 %); 15 % of activities a context ("in Restaurant", "(Minijob)") |
//! | years | 0.5–15 in half years, short spells more common, never more than the adult years before arrival |
//! | Kompetenzprofil | 2–8 skills, 85 % of them from the occupations the person trained or worked in (written as above; levels 1–5, mostly 2–4, 10 % without; self-reported 60 %, observed 30 %, certified 10 %); ratings of competences 1–5 in 65 %; strengths in 50 %; a recommended training (often a course of the catalogue) in 60 % |

mod background;
mod folder;
mod import_csv;
mod names;
mod offers;
mod origins;
mod profiles;
mod random;
mod source;
mod written;

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::records::{self, DataDir};
use random::{record_rng, Stream};
use rayon::prelude::*;
use source::Source;
use std::path::{Path, PathBuf};

pub use import_csv::{OFFERS_FILE, PROFILES_FILE};

/// How many records to make, and from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub profiles: usize,
    pub offers: usize,
    pub seed: u64,
}

/// What a run made.
#[derive(Debug, Clone)]
pub struct Summary {
    pub profiles: usize,
    pub offers: usize,
    /// Places of all offers together.
    pub places: u64,
    pub out: PathBuf,
}

/// The most profiles and offers a folder can hold with ids of fixed width
/// (`G-0000001`, `GA-000001`), so that file names sort in index order.
pub const MAX_PROFILES: usize = 9_999_999;
pub const MAX_OFFERS: usize = 999_999;

/// Makes a synthetic data folder at `out` from the catalogue of `source`.
pub fn generate(source: &DataDir, out: &Path, options: &Options) -> Result<Summary> {
    check_options(options)?;
    folder::check_out(out)?;
    let catalogue = Catalogue::load_curated(source)?;
    let draw = Source::new(source, &catalogue)?;
    let staged = folder::staging(out)?;
    let target = DataDir::new(staged.path());
    folder::copy_catalogue(source, &target)?;
    let places = write_offers(&draw, &target, options)?;
    write_profiles(&draw, &target, options)?;
    folder::finish(staged, out)?;
    Ok(Summary {
        profiles: options.profiles,
        offers: options.offers,
        places,
        out: out.to_path_buf(),
    })
}

/// Writes the records [`generate`] would write for the same options as
/// import CSV files, [`OFFERS_FILE`] and [`PROFILES_FILE`], into a new
/// folder `out`.
pub fn generate_csv(source: &DataDir, out: &Path, options: &Options) -> Result<Summary> {
    check_options(options)?;
    folder::check_out(out)?;
    let catalogue = Catalogue::load_curated(source)?;
    let draw = Source::new(source, &catalogue)?;
    let staged = folder::staging(out)?;
    let places = import_csv::write(&draw, staged.path(), options)?;
    folder::finish(staged, out)?;
    Ok(Summary {
        profiles: options.profiles,
        offers: options.offers,
        places,
        out: out.to_path_buf(),
    })
}

/// Ids have a fixed width, so the counts are bounded.
fn check_options(options: &Options) -> Result<()> {
    if options.profiles > MAX_PROFILES || options.offers > MAX_OFFERS {
        return Err(Error::Usage(format!(
            "höchstens {MAX_PROFILES} Profile und {MAX_OFFERS} Angebote"
        )));
    }
    Ok(())
}

/// Writes the offers in parallel, then the vocational schools their
/// apprenticeships and EQ name; returns the offers' places.
fn write_offers(draw: &Source, target: &DataDir, options: &Options) -> Result<u64> {
    let dir = target.offers();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let classes: Vec<(u64, Option<ClassDemand>)> = (0..options.offers)
        .into_par_iter()
        .map(|i| {
            let mut rng = record_rng(options.seed, Stream::Offer, i as u64);
            let offer = offers::offer(&mut rng, draw, i);
            write(
                &dir.join(format!("{}.ron", offer.id)),
                &records::to_ron(&offer)?,
            )?;
            let demand = offer.vocational_school.clone().map(|school| ClassDemand {
                school,
                municipality: offer.municipality.clone().unwrap_or_default(),
                postcode: offer.postcode.clone(),
                occupation: offer.occupation.clone(),
                school_year: crate::catalogue::school_year(offer.start_date),
                places: offer.places,
            });
            Ok((u64::from(offer.places), demand))
        })
        .collect::<Result<_>>()?;
    let places = classes.iter().map(|(p, _)| p).sum();
    write_schools(
        classes.into_iter().filter_map(|(_, d)| d).collect(),
        target,
        options.seed,
    )?;
    Ok(places)
}

/// The places one offer sends to a school class.
struct ClassDemand {
    school: String,
    municipality: String,
    postcode: Option<String>,
    occupation: String,
    school_year: String,
    places: u32,
}

/// Writes one school record per school the offers name, with a class per
/// occupation and school year. A class has from half to one and a half
/// times the places its offers have (rounded, at least 1), so that the
/// class seats bind in some runs and not in others.
fn write_schools(demand: Vec<ClassDemand>, target: &DataDir, seed: u64) -> Result<()> {
    use crate::catalogue::{School, SchoolClass};
    use std::collections::BTreeMap;
    if demand.is_empty() {
        return Ok(());
    }
    let dir = target.catalogue().join("schools");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    /// Municipality, postcode and places per (occupation, school year).
    type Classes = (String, Option<String>, BTreeMap<(String, String), u32>);
    let mut schools: BTreeMap<String, Classes> = BTreeMap::new();
    for d in demand {
        let entry = schools
            .entry(d.school)
            .or_insert_with(|| (d.municipality, d.postcode, BTreeMap::new()));
        *entry.2.entry((d.occupation, d.school_year)).or_default() += d.places;
    }
    for (i, (id, (municipality, postcode, classes))) in schools.into_iter().enumerate() {
        let mut rng = record_rng(seed, Stream::School, i as u64);
        let classes = classes
            .into_iter()
            .map(|((occupation, school_year), places)| {
                let percent = random::pick(&mut rng, &[(50, 1), (75, 1), (100, 1), (150, 1)]);
                SchoolClass {
                    occupation,
                    school_year,
                    capacity: (places * percent).div_ceil(100).max(1),
                }
            })
            .collect();
        let school = School {
            name: format!("Berufsbildende Schule {municipality}"),
            id,
            postcode,
            municipality,
            coordinates: None,
            classes,
            notes: Some("generiert: Klassengrößen zufällig".into()),
        };
        write(
            &dir.join(format!("{}.ron", school.id)),
            &records::to_ron(&school)?,
        )?;
    }
    Ok(())
}

/// Writes the profiles in parallel.
fn write_profiles(draw: &Source, target: &DataDir, options: &Options) -> Result<()> {
    let dir = target.profiles();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    (0..options.profiles).into_par_iter().try_for_each(|i| {
        let mut rng = record_rng(options.seed, Stream::Profile, i as u64);
        let profile = profiles::profile(&mut rng, draw, i);
        write(
            &dir.join(format!("{}.ron", profile.id)),
            &records::to_ron(&profile)?,
        )
    })
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
