//! The generated people and offers as import CSV files
//! (`lotse generate --format csv`): `profiles.csv` and `offers.csv` in the
//! format `lotse import profiles|offers FILE` reads (`../shared/SPEC.md`,
//! "CSV import"): UTF-8 with BOM, `;`, `|` between list items,
//! `title:years` pairs with a decimal comma, an empty cell for "not known".
//!
//! The records are the ones the folder generator writes for the same seed
//! (the same `profiles::profile` and `offers::offer`, the same streams);
//! only what the import format has a column for is written. Left out are
//! therefore: a profile's gender, country of origin, arrival, residence
//! validity, car, integration course, schooling's country, documents and
//! recognition, training's completion, certificate and country, studies,
//! work experience's country, sector and self-employment, restrictions,
//! working hours, consent (an imported profile has none recorded, which
//! scoring flags but does not exclude), the Kompetenzprofil beyond its
//! written skills; an offer's programme, vocational school (so no school
//! records are written) and the importance and level of its extra skills.
//!
//! Rows are made in parallel in blocks and written in index order through
//! one buffered writer, so a million profiles never sit in memory at once
//! and the file is the same whatever the thread count.

use super::random::{record_rng, Stream};
use super::source::Source;
use super::{offers, profiles, Options};
use crate::catalogue::Offer;
use crate::error::{Error, Result};
use crate::profile::Profile;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// The file names inside the output folder.
pub const PROFILES_FILE: &str = "profiles.csv";
pub const OFFERS_FILE: &str = "offers.csv";

/// The profile columns, in the order of the command line contract.
const PROFILE_COLUMNS: [&str; 22] = [
    "id",
    "given_name",
    "family_name",
    "birth_year",
    "nationality",
    "residence_status",
    "work_permit",
    "postcode",
    "municipality",
    "mobility_km",
    "driving_licences",
    "german_level",
    "languages",
    "literate_latin",
    "school_years",
    "school_certificate",
    "vocational_training",
    "work_experience",
    "skills",
    "interests",
    "available_from",
    "notes",
];

/// The offer columns, in the order of the command line contract.
const OFFER_COLUMNS: [&str; 14] = [
    "id",
    "title",
    "kind",
    "occupation",
    "employer",
    "postcode",
    "municipality",
    "places",
    "start_date",
    "min_german",
    "required_licences",
    "work_permit_required",
    "skills",
    "notes",
];

/// Records made in parallel before they are written: enough to keep both
/// cores busy, few enough that memory stays small at any N.
const BLOCK: usize = 8192;

/// Writes `offers.csv` and `profiles.csv` into `dir`; returns the offers' places.
pub(super) fn write(draw: &Source, dir: &Path, options: &Options) -> Result<u64> {
    let mut places = 0u64;
    write_file(
        &dir.join(OFFERS_FILE),
        &OFFER_COLUMNS,
        options.offers,
        |i| {
            let mut rng = record_rng(options.seed, Stream::Offer, i as u64);
            let offer = offers::offer(&mut rng, draw, i);
            Ok((offer_cells(&offer)?, u64::from(offer.places)))
        },
        |p| places += p,
    )?;
    write_file(
        &dir.join(PROFILES_FILE),
        &PROFILE_COLUMNS,
        options.profiles,
        |i| {
            let mut rng = record_rng(options.seed, Stream::Profile, i as u64);
            let profile = profiles::profile(&mut rng, draw, i);
            Ok((profile_cells(&profile)?, ()))
        },
        |()| {},
    )?;
    Ok(places)
}

/// Writes a file of `n` rows made by `row` (in parallel, by index), handing
/// each row's extra value to `tally` in index order.
fn write_file<const N: usize, T: Send>(
    path: &Path,
    header: &[&str; N],
    n: usize,
    row: impl Fn(usize) -> Result<([String; N], T)> + Sync,
    mut tally: impl FnMut(T),
) -> Result<()> {
    let io = |e: std::io::Error| Error::io(path, e);
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    // Excel's "CSV UTF-8" starts with a byte order mark; the import and
    // the peer's `utf-8-sig` both accept it.
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut csv = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let csv_error = |e: csv::Error| Error::Internal(format!("{}: {e}", path.display()));
    csv.write_record(header).map_err(csv_error)?;
    for start in (0..n).step_by(BLOCK) {
        let rows: Vec<([String; N], T)> = (start..(start + BLOCK).min(n))
            .into_par_iter()
            .map(&row)
            .collect::<Result<_>>()?;
        for (cells, extra) in rows {
            csv.write_record(&cells).map_err(csv_error)?;
            tally(extra);
        }
    }
    let out = csv
        .into_inner()
        .map_err(|e| Error::Internal(format!("{}: {}", path.display(), e.error())))?;
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)
}

/// A profile's cells, in the order of [`PROFILE_COLUMNS`].
fn profile_cells(p: &Profile) -> Result<[String; 22]> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let id = &p.identity;
    let permits = p.permits.as_ref();
    let residence = p.residence.as_ref();
    let mobility = p.mobility.as_ref();
    let languages = p.languages.as_ref();
    let schooling = p.schooling.as_ref();
    let language_items: Vec<String> = languages
        .map(|l| {
            l.mother_tongues
                .iter()
                .map(|code| format!("{code}:native"))
                .chain(
                    l.other
                        .iter()
                        .map(|o| format!("{}:{}", o.language, o.level.as_str())),
                )
                .collect()
        })
        .unwrap_or_default();
    let skills: Vec<&str> = p
        .competences
        .iter()
        .flat_map(|k| k.skills.iter().map(|s| s.written.as_str()))
        .collect();
    Ok([
        p.id.clone(),
        id.given_name.clone(),
        id.family_name.clone(),
        opt(id.birth_year.map(|y| y.to_string())),
        opt(id.nationality.clone()),
        opt(permits
            .and_then(|x| x.residence_status)
            .map(|s| s.csv_name().into())),
        opt(permits
            .and_then(|x| x.work_permit)
            .map(|w| w.csv_name().into())),
        opt(residence.and_then(|r| r.postcode.clone())),
        opt(residence.and_then(|r| r.municipality.clone())),
        opt(mobility.and_then(|m| m.commute_km).map(|km| km.to_string())),
        list(
            &p.id,
            mobility
                .into_iter()
                .flat_map(|m| m.driving_licences.iter().map(|l| l.as_str())),
        )?,
        opt(languages.and_then(|l| l.german).map(|g| g.as_str().into())),
        list(&p.id, language_items.iter().map(String::as_str))?,
        opt(languages
            .and_then(|l| l.literate_latin)
            .map(|b| yes_no(b).into())),
        opt(schooling.and_then(|s| s.years).map(|y| y.to_string())),
        opt(schooling.and_then(|s| s.certificate.clone())),
        titled(
            &p.id,
            p.vocational_training
                .iter()
                .map(|t| (t.occupation.as_str(), t.years)),
        )?,
        titled(
            &p.id,
            p.work_experience
                .iter()
                .map(|w| (w.activity.as_str(), w.years)),
        )?,
        list(&p.id, skills.into_iter())?,
        list(&p.id, p.interests.iter().map(String::as_str))?,
        opt(p
            .availability
            .as_ref()
            .and_then(|a| a.from)
            .map(|d| d.format("%Y-%m-%d").to_string())),
        opt(p.notes.clone()),
    ])
}

/// An offer's cells, in the order of [`OFFER_COLUMNS`]. The occupation and
/// the skills are written as catalogue ids, which the import takes as they are.
fn offer_cells(o: &Offer) -> Result<[String; 14]> {
    Ok([
        o.id.clone(),
        o.title.clone(),
        o.kind.csv_name().into(),
        o.occupation.clone(),
        o.employer.clone(),
        o.postcode.clone().unwrap_or_default(),
        o.municipality.clone().unwrap_or_default(),
        o.places.to_string(),
        o.start_date.format("%Y-%m-%d").to_string(),
        o.min_german.map(|g| g.as_str().into()).unwrap_or_default(),
        list(&o.id, o.required_licences.iter().map(|l| l.as_str()))?,
        yes_no(o.work_permit_required).into(),
        list(&o.id, o.skills.iter().map(|s| s.skill.as_str()))?,
        o.notes.clone().unwrap_or_default(),
    ])
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "ja"
    } else {
        "nein"
    }
}

/// Items joined with `|`. An item the import would read differently (one
/// holding a `|`, empty or with spaces around it) is an internal error: the
/// generator made text the format cannot carry.
fn list<'a>(id: &str, items: impl Iterator<Item = &'a str>) -> Result<String> {
    let mut cell = String::new();
    for item in items {
        if item.contains('|') || item.trim() != item || item.is_empty() {
            return Err(Error::Internal(format!(
                "{id}: „{item}“ lässt sich nicht als Listeneintrag einer CSV-Zelle schreiben"
            )));
        }
        if !cell.is_empty() {
            cell.push('|');
        }
        cell.push_str(item);
    }
    Ok(cell)
}

/// `title:years` pairs (`Koch:5|Kellner:1,5`). A title without years that
/// holds a `:` itself gets a trailing `:`, so the import does not read what
/// follows its last `:` as years.
fn titled<'a>(id: &str, items: impl Iterator<Item = (&'a str, Option<f32>)>) -> Result<String> {
    let written: Vec<String> = items
        .map(|(title, years)| match years {
            Some(y) => format!("{title}:{}", y.to_string().replace('.', ",")),
            None if title.contains(':') => format!("{title}:"),
            None => title.to_string(),
        })
        .collect();
    list(id, written.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titled_items_survive_the_import_reading() {
        let cell = titled(
            "G-1",
            [
                ("Koch", Some(5.0)),
                ("Kellner", Some(1.5)),
                ("Köch:in", None),
                ("Hilfe in der Küche", None),
            ]
            .into_iter(),
        )
        .expect("cell");
        assert_eq!(cell, "Koch:5|Kellner:1,5|Köch:in:|Hilfe in der Küche");
    }

    #[test]
    fn items_the_format_cannot_carry_are_refused() {
        for bad in ["a|b", " Koch", ""] {
            assert!(list("G-1", [bad].into_iter()).is_err(), "{bad:?}");
        }
    }
}
