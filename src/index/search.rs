//! Queries on the profile index: typo-tolerant full-text search with
//! filters, and retrieval of the profiles that share a concept with a target.

use super::{days, ProfileIndex};
use crate::cefr::Cefr;
use crate::error::Result;
use crate::permit::{ResidenceStatus, WorkPermit};
use crate::text;
use chrono::NaiveDate;
use std::ops::Bound;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

/// A search over profiles; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Words to find anywhere in what was written (typos tolerated).
    pub text: String,
    /// German at least this level.
    pub german: Option<Cefr>,
    pub permit: Option<WorkPermit>,
    pub residence: Option<ResidenceStatus>,
    pub municipality: Option<String>,
    pub postcode: Option<String>,
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

/// Edit distance allowed for a token of this length (0 / 1 / 2 by ≤4, 5–8, ≥9).
pub(crate) fn typo_budget(token: &str) -> u8 {
    match token.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

impl ProfileIndex {
    /// Searches profiles; without words, lists the profiles passing the filters by id.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for token in text::tokens(&q.text) {
            let term = Term::from_field_text(f.folded, &token);
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
            clauses.push((Occur::Must, either));
        }
        if let Some(level) = q.german {
            let lower = Term::from_field_u64(f.german, u64::from(level.rank()));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Included(lower), Bound::Unbounded)),
            ));
        }
        let exact = |field, value: &str| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
            )
        };
        if let Some(p) = q.permit {
            clauses.push(exact(f.permit, p.csv_name()));
        }
        if let Some(r) = q.residence {
            clauses.push(exact(f.residence, r.csv_name()));
        }
        if let Some(m) = &q.municipality {
            clauses.push(exact(f.municipality, &text::fold(m)));
        }
        if let Some(p) = &q.postcode {
            clauses.push(exact(f.postcode, p.trim()));
        }
        if let Some(by) = q.available_by {
            let upper = Term::from_field_i64(f.available, days(by));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(upper))),
            ));
        }
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let has_text = !text::tokens(&q.text).is_empty();
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let mut hits: Vec<SearchHit> = if has_text {
            searcher
                .search(&*query, &TopDocs::with_limit(limit).order_by_score())?
                .into_iter()
                .filter_map(|(score, addr)| {
                    Some(SearchHit {
                        ordinal: self.ordinal(&searcher, addr)?,
                        score,
                    })
                })
                .collect()
        } else {
            let docs = searcher.search(&*query, &DocSetCollector)?;
            let mut hits: Vec<SearchHit> = self
                .ordinals(&searcher, docs)
                .into_iter()
                .map(|ordinal| SearchHit {
                    ordinal,
                    score: 0.0,
                })
                .collect();
            hits.sort_by(|a, b| {
                self.profiles[a.ordinal as usize]
                    .id
                    .cmp(&self.profiles[b.ordinal as usize].id)
            });
            hits.truncate(limit);
            hits
        };
        hits.retain(|h| (h.ordinal as usize) < self.profiles.len());
        Ok(hits)
    }

    /// Ordinals of the profiles that have one of the concepts (`o<i>` for
    /// occupations, `s<i>` for skills), sorted.
    pub fn with_concepts(&self, occupations: &[u32], skills: &[u32]) -> Result<Vec<u32>> {
        let f = &self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = occupations
            .iter()
            .map(|o| format!("o{o}"))
            .chain(skills.iter().map(|s| format!("s{s}")))
            .map(|key| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.concepts, &key),
                        IndexRecordOption::Basic,
                    )),
                )
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut ordinals = searcher.search(
            &BooleanQuery::new(clauses),
            &super::collector::OrdinalCollector,
        )?;
        ordinals.retain(|&o| (o as usize) < self.profiles.len());
        Ok(ordinals)
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
