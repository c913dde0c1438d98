//! Queries on the profile index: typo-tolerant full-text search with
//! filters, and retrieval of the profiles that share a concept with a target.

use super::{days, ProfileIndex};
use crate::catalogue::Catalogue;
use crate::cefr::Cefr;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::permit::{ResidenceStatus, WorkPermit};
use crate::profile::Coordinates;
use crate::resolve::Concept;
use crate::text;
use chrono::NaiveDate;
use std::ops::Bound;
use std::sync::Arc;
use tantivy::collector::{Count, DocSetCollector, FilterCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

/// A search over profiles; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Words to find anywhere in what was written (typos tolerated); with
    /// [`ProfileIndex::find`] also the concept they resolve to, in any form.
    pub text: String,
    /// German at least this level.
    pub german: Option<Cefr>,
    pub permit: Option<WorkPermit>,
    pub residence: Option<ResidenceStatus>,
    pub municipality: Option<String>,
    /// A postcode or its first digits (`567` matches 567xx).
    pub postcode: Option<String>,
    /// Landkreis or kreisfreie Stadt, by the gazetteer (needs the engine).
    pub district: Option<String>,
    /// A place of the gazetteer (municipality or postcode) to measure from …
    pub near: Option<String>,
    /// … and the radius around it in kilometres.
    pub radius_km: Option<f64>,
    /// Available on or before this date.
    pub available_by: Option<NaiveDate>,
    pub limit: usize,
}

/// A profile found, by ordinal, with its relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchHit {
    pub ordinal: u32,
    pub score: f32,
}

/// The hits of a search (at most the limit) and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Every profile matching the query, not capped by the limit.
    pub total: usize,
}

/// Radius around `near` when none is given, in kilometres.
pub const DEFAULT_RADIUS_KM: f64 = 25.0;

/// Edit distance allowed for a token of this length (0 / 1 / 2 by ≤4, 5–8, ≥9).
pub(crate) fn typo_budget(token: &str) -> u8 {
    match token.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Every token of `text` must match the folded text (exactly, or with the
/// typo budget of its length); `None` for a text without tokens.
fn text_clause(field: tantivy::schema::Field, text: &str) -> Option<Box<dyn Query>> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = text::tokens(text)
        .into_iter()
        .map(|token| -> (Occur, Box<dyn Query>) {
            let term = Term::from_field_text(field, &token);
            let exact: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                2.0,
            ));
            let budget = typo_budget(&token);
            let either: Box<dyn Query> = if budget == 0 {
                exact
            } else {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, exact),
                    (
                        Occur::Should,
                        Box::new(FuzzyTermQuery::new(term, budget, true)),
                    ),
                ]))
            };
            (Occur::Must, either)
        })
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// The concepts a search text stands for: the best confident occupation
/// the whole text resolves to (and any tied with it within 0.02, not merely
/// through an official title of its group), else the
/// best skill. Occupations first, because people search for what someone
/// did ("Kellnerin" is also close to the skill "Kellnern"), and only the
/// best, so that "Koch" and "Köchin" mean the same.
pub fn query_concepts(engine: &Engine, text: &str) -> Vec<Concept> {
    if text::tokens(text).is_empty() {
        return Vec::new();
    }
    let floor = engine.config.evidence_min_confidence.max(0.8);
    let resolutions = engine.resolver.resolve(text);
    let best_of = |occupation: bool| -> Vec<Concept> {
        let mut of_kind = resolutions
            .iter()
            .filter(|r| matches!(r.concept, Concept::Occupation(_)) == occupation);
        let Some(best) = of_kind.next().filter(|b| b.confidence >= floor) else {
            return Vec::new();
        };
        std::iter::once(best.concept)
            .chain(
                of_kind
                    .take_while(|r| r.confidence >= best.confidence - 0.02)
                    // A label a KldB group lends to every record of its code
                    // is no tie with a record's own label ("Kellner" is a
                    // synonym of the restaurant occupation, and an official
                    // title of all of 63302).
                    .filter(|r| best.from_group || !r.from_group)
                    .map(|r| r.concept),
            )
            .collect()
    };
    let occupations = best_of(true);
    if occupations.is_empty() {
        best_of(false)
    } else {
        occupations
    }
}

/// Where a place of the gazetteer is: by postcode, else by municipality
/// (case and umlaut spelling ignored).
pub fn gazetteer_place(catalogue: &Catalogue, name: &str) -> Option<Coordinates> {
    let name = name.trim();
    if let Some(c) = catalogue.locate(Some(name), None) {
        return Some(c);
    }
    let folded = text::fold(name);
    catalogue
        .places
        .iter()
        .find(|p| text::fold(&p.municipality) == folded)
        .map(|p| p.coordinates())
}

impl ProfileIndex {
    /// Searches profiles; without words, lists the profiles passing the filters by id.
    /// Without the engine: letters only, and no district or radius filter
    /// (asking for one is a usage error); see [`ProfileIndex::find`].
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        Ok(self.run(None, q)?.hits)
    }

    /// Searches profiles by meaning and place: the text matches what was
    /// written (typos tolerated) or the concept it resolves to (any label,
    /// form, synonym or foreign word the person wrote resolves to it), with
    /// the filters, district and radius by the engine's gazetteer. `total` is
    /// the number of all matches.
    pub fn find(&self, engine: &Engine, q: &SearchQuery) -> Result<SearchResults> {
        self.run(Some(engine), q)
    }

    fn run(&self, engine: Option<&Engine>, q: &SearchQuery) -> Result<SearchResults> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let has_text = !text::tokens(&q.text).is_empty();
        if let Some(written) = text_clause(f.folded, &q.text) {
            let concepts = engine
                .map(|e| query_concepts(e, &q.text))
                .unwrap_or_default();
            if concepts.is_empty() {
                clauses.push((Occur::Must, written));
            } else {
                let engine = engine.expect("concepts come from the engine");
                let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, written)];
                for c in concepts {
                    let (key, forms): (String, Vec<&str>) = match c {
                        Concept::Occupation(o) => {
                            let occ = &engine.catalogue.occupations[o as usize];
                            let mut forms: Vec<&str> =
                                occ.forms.iter().map(String::as_str).collect();
                            forms.push(&occ.title);
                            (format!("o{o}"), forms)
                        }
                        Concept::Skill(s) => {
                            let skill = &engine.catalogue.skills[s as usize];
                            (format!("s{s}"), vec![skill.label.as_str()])
                        }
                    };
                    any.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(f.concepts, &key),
                                IndexRecordOption::Basic,
                            )),
                            3.0,
                        )),
                    ));
                    for form in forms {
                        if let Some(clause) = text_clause(f.folded, form) {
                            any.push((Occur::Should, clause));
                        }
                    }
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
        }
        if let Some(level) = q.german {
            let lower = Term::from_field_u64(f.german, u64::from(level.rank()));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Included(lower), Bound::Unbounded)),
            ));
        }
        let exact = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(p) = q.permit {
            clauses.push((Occur::Must, exact(f.permit, p.csv_name())));
        }
        if let Some(r) = q.residence {
            clauses.push((Occur::Must, exact(f.residence, r.csv_name())));
        }
        if let Some(m) = &q.municipality {
            clauses.push((Occur::Must, exact(f.municipality, &text::fold(m))));
        }
        if let Some(p) = &q.postcode {
            let p = p.trim();
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::Usage(format!(
                    "Postleitzahl „{p}“: erwartet 1 bis 5 Ziffern (z. B. 567 für 567xx)"
                )));
            }
            let query: Box<dyn Query> = if p.len() == 5 {
                exact(f.postcode, p)
            } else {
                Box::new(RegexQuery::from_pattern(&format!("{p}[0-9]*"), f.postcode)?)
            };
            clauses.push((Occur::Must, query));
        }
        if let Some(d) = &q.district {
            let catalogue = &engine
                .ok_or_else(|| Error::Usage("Landkreis-Filter braucht das Ortsverzeichnis".into()))?
                .catalogue;
            let wanted = text::fold(d.trim());
            let places: Vec<&crate::catalogue::Place> = catalogue
                .places
                .iter()
                .filter(|p| text::fold(&p.district) == wanted)
                .collect();
            if places.is_empty() {
                return Err(Error::Usage(format!(
                    "Landkreis „{}“ steht nicht im Ortsverzeichnis (occupations/places.ron)",
                    d.trim()
                )));
            }
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for p in places {
                any.push((Occur::Should, exact(f.postcode, p.postcode.trim())));
                any.push((
                    Occur::Should,
                    exact(f.municipality, &text::fold(&p.municipality)),
                ));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(by) = q.available_by {
            let upper = Term::from_field_i64(f.available, days(by));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(upper))),
            ));
        }
        // Radius: the profiles whose location lies within it, by ordinal.
        let within: Option<Arc<Vec<bool>>> = match (&q.near, q.radius_km) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(Error::Usage(
                    "Umkreis braucht einen Ort (--near, z. B. --near Koblenz --radius 20)".into(),
                ))
            }
            (Some(place), radius) => {
                let radius = radius.unwrap_or(DEFAULT_RADIUS_KM);
                if !(radius.is_finite() && radius >= 0.0) {
                    return Err(Error::Usage(format!(
                        "Umkreis {radius} km: erwartet eine Zahl ab 0"
                    )));
                }
                let catalogue = &engine
                    .ok_or_else(|| Error::Usage("Umkreissuche braucht das Ortsverzeichnis".into()))?
                    .catalogue;
                let centre = gazetteer_place(catalogue, place).ok_or_else(|| {
                    Error::Usage(format!(
                        "Ort „{}“ steht nicht im Ortsverzeichnis (occupations/places.ron)",
                        place.trim()
                    ))
                })?;
                Some(Arc::new(
                    self.profiles
                        .iter()
                        .map(|p| p.location.is_some_and(|l| l.distance_km(centre) <= radius))
                        .collect(),
                ))
            }
        };
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let keep = {
            let within = within.clone();
            move |ordinal: u64| {
                within
                    .as_ref()
                    .is_none_or(|w| w.get(ordinal as usize).copied().unwrap_or(false))
            }
        };
        let len = self.profiles.len();
        if has_text {
            let collector = FilterCollector::new(
                "ordinal".to_string(),
                move |ordinal: u64| (ordinal as usize) < len && keep(ordinal),
                (
                    // Equal scores in the order of the ids (the ordinals):
                    // by the place in the index, the order of people with
                    // the same words changed with every rebuild.
                    TopDocs::with_limit(limit).tweak_score(|segment: &tantivy::SegmentReader| {
                        let ordinals = segment
                            .fast_fields()
                            .u64("ordinal")
                            .ok()
                            .map(|column| column.first_or_default_col(u64::MAX));
                        move |doc: tantivy::DocId, score: tantivy::Score| {
                            let ordinal = ordinals.as_ref().map_or(u64::MAX, |c| c.get_val(doc));
                            (score, std::cmp::Reverse(ordinal))
                        }
                    }),
                    Count,
                ),
            );
            let (top, total) = searcher.search(&*query, &collector)?;
            let hits = top
                .into_iter()
                .filter_map(|((score, _), addr)| {
                    Some(SearchHit {
                        ordinal: self.ordinal(&searcher, addr)?,
                        score,
                    })
                })
                .collect();
            Ok(SearchResults { hits, total })
        } else {
            let docs = searcher.search(&*query, &DocSetCollector)?;
            let mut hits: Vec<SearchHit> = self
                .ordinals(&searcher, docs)
                .into_iter()
                .filter(|&o| keep(u64::from(o)))
                .map(|ordinal| SearchHit {
                    ordinal,
                    score: 0.0,
                })
                .collect();
            let total = hits.len();
            hits.sort_by(|a, b| {
                self.profiles[a.ordinal as usize]
                    .id
                    .cmp(&self.profiles[b.ordinal as usize].id)
            });
            hits.truncate(limit);
            Ok(SearchResults { hits, total })
        }
    }

    /// The ordinals of documents, sorted and unique; the ordinal column is
    /// opened once per segment, not once per document.
    fn ordinals(
        &self,
        searcher: &Searcher,
        docs: impl IntoIterator<Item = DocAddress>,
    ) -> Vec<u32> {
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
        for addr in docs {
            if let Some(list) = by_segment.get_mut(addr.segment_ord as usize) {
                list.push(addr.doc_id);
            }
        }
        let mut out = Vec::new();
        for (segment, doc_ids) in by_segment.iter().enumerate() {
            if doc_ids.is_empty() {
                continue;
            }
            let Ok(column) = searcher
                .segment_reader(segment as u32)
                .fast_fields()
                .u64("ordinal")
            else {
                continue;
            };
            out.extend(
                doc_ids
                    .iter()
                    .filter_map(|&d| column.first(d))
                    .map(|v| v as u32)
                    .filter(|&o| (o as usize) < self.profiles.len()),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn ordinal(&self, searcher: &Searcher, addr: DocAddress) -> Option<u32> {
        let column = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("ordinal")
            .ok()?;
        let ordinal = column.first(addr.doc_id).map(|v| v as u32)?;
        // A hit never names another person: the stored id must agree.
        self.names_right_person(searcher, addr, ordinal)
            .then_some(ordinal)
    }
}
