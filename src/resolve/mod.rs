//! Resolution of written terms ("Kellnr", "Hilfe in der Küche", "cook") to
//! skill and occupation concepts of the catalogue, with a confidence.
//!
//! Retrieval: every label, gender form, synonym and foreign word of the
//! catalogue is a document of an in-memory tantivy index, indexed by its
//! folded tokens and their compound parts. A term's tokens become fuzzy term
//! queries (edit distance by token length, a swap counts one edit).
//! Ranking: tantivy gives every fuzzy hit the same score, so the candidates
//! are ranked again with strsim ([`similarity`]) on normalised tokens.
//! Results are cached per normalised term: a term is resolved once, however
//! many records contain it.

mod similarity;

pub use similarity::{
    containment, coverage, coverages, set_and_containment, token as token_similarity, token_set,
    whole,
};

use crate::catalogue::{kldb, Catalogue};
use crate::error::Result;
use crate::text::{self, Decompounder};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tantivy::collector::DocSetCollector;
use tantivy::query::{FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::{doc, Index, IndexReader, Term};

/// What a concept is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Concept {
    /// Index into `Catalogue::skills`.
    Skill(u32),
    /// Index into `Catalogue::occupations`.
    Occupation(u32),
}

/// How a label belongs to its concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Label,
    Form,
    Synonym,
    Foreign,
    /// An official job title of the KldB ("Zugeordnete Berufe").
    Official,
}

impl LabelKind {
    /// German name, for `lotse resolve`.
    pub fn label(self) -> &'static str {
        match self {
            LabelKind::Label => "Bezeichnung",
            LabelKind::Form => "Geschlechtsform",
            LabelKind::Synonym => "Synonym",
            LabelKind::Foreign => "Fremdsprache",
            LabelKind::Official => "amtliche Berufsbezeichnung",
        }
    }
}

/// One label of the catalogue, normalised.
#[derive(Debug, Clone)]
struct Entry {
    concept: Concept,
    kind: LabelKind,
    /// The label as the catalogue writes it.
    label: String,
    /// Folded, gender-free content words joined by spaces.
    norm: String,
    /// Folded content words, as written.
    tokens: Vec<String>,
    /// Folded tokens with compounds replaced by their parts.
    parts: Vec<String>,
}

/// A concept a term resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub concept: Concept,
    /// 0–1: how sure the engine is that the term means this concept.
    pub confidence: f64,
    /// The catalogue label that matched best.
    pub matched: String,
    pub kind: LabelKind,
}

/// Tuning of resolution, part of the scoring configuration.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResolveConfig {
    /// Candidates below this confidence are not reported at all.
    pub min_confidence: f64,
    /// How many labels retrieval proposes for re-ranking.
    pub candidates: usize,
    /// Factor on matches through a foreign word (a little less certain).
    pub foreign_factor: f64,
    /// An import accepts a written name for an id only from this confidence …
    pub import_min_confidence: f64,
    /// … and with this margin over the next concept of the same kind.
    pub import_margin: f64,
}

impl Default for ResolveConfig {
    fn default() -> Self {
        ResolveConfig {
            min_confidence: 0.6,
            candidates: 48,
            foreign_factor: 0.97,
            import_min_confidence: 0.9,
            import_margin: 0.05,
        }
    }
}

/// Word parts common in German job titles that may not stand alone in the
/// catalogue, so compounds can still be split ("Küchenhelfer", "Bauarbeiter").
const COMMON_PARTS: &[&str] = &[
    "hilfe",
    "helfer",
    "helferin",
    "kraft",
    "arbeiter",
    "arbeit",
    "fach",
    "mann",
    "frau",
    "kueche",
    "lager",
    "bau",
    "reinigung",
    "pflege",
    "service",
    "verkauf",
    "fahrer",
    "garten",
    "haus",
    "hotel",
    "zimmer",
    "auto",
    "kfz",
    "maler",
    "elektro",
    "metall",
    "holz",
    "back",
    "brot",
    "gast",
    "gewerbe",
    "mitarbeiter",
    "personal",
    "wagen",
    "stapler",
    "kasse",
    "gebaeude",
    "alten",
    "kranken",
    "kinder",
    "leiter",
    "meister",
    "geselle",
    "koch",
];

/// Resolves written terms to catalogue concepts.
pub struct Resolver {
    entries: Vec<Entry>,
    reader: IndexReader,
    field_tokens: tantivy::schema::Field,
    decompounder: Decompounder,
    config: ResolveConfig,
    cache: RwLock<HashMap<String, Arc<[Resolution]>>>,
    /// Entries matching a token within its typo budget, per token.
    token_cache: RwLock<HashMap<String, Arc<[u32]>>>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Resolver {
    /// Builds the label index of a catalogue.
    pub fn new(catalogue: &Catalogue, config: ResolveConfig) -> Result<Self> {
        let mut raw: Vec<(Concept, LabelKind, String)> = Vec::new();
        for (i, s) in catalogue.skills.iter().enumerate() {
            let c = Concept::Skill(i as u32);
            raw.push((c, LabelKind::Label, s.label.clone()));
            raw.extend(
                s.synonyms
                    .iter()
                    .map(|x| (c, LabelKind::Synonym, x.clone())),
            );
            raw.extend(s.foreign.iter().map(|x| (c, LabelKind::Foreign, x.clone())));
        }
        for (i, o) in catalogue.occupations.iter().enumerate() {
            let c = Concept::Occupation(i as u32);
            for alt in text::alternatives(&o.title) {
                raw.push((c, LabelKind::Label, alt));
            }
            raw.extend(o.forms.iter().map(|x| (c, LabelKind::Form, x.clone())));
            for syn in &o.synonyms {
                for alt in text::alternatives(syn) {
                    raw.push((c, LabelKind::Synonym, alt));
                }
            }
            raw.extend(o.foreign.iter().map(|x| (c, LabelKind::Foreign, x.clone())));
            if let Some(g) = &o.group {
                for t in &g.titles {
                    for form in kldb::title_forms(&t.title) {
                        raw.push((c, LabelKind::Official, form));
                    }
                }
                for word in &g.everyday {
                    for alt in text::alternatives(word) {
                        raw.push((c, LabelKind::Synonym, alt));
                    }
                }
                raw.extend(g.foreign.iter().map(|x| (c, LabelKind::Foreign, x.clone())));
            }
        }
        // A group's short title without the BA's abbreviations of
        // "ohne Spezialisierung" / "sonstige spezifische Tätigkeitsangabe".
        for r in raw.iter_mut() {
            if r.1 == LabelKind::Label {
                for marker in ["(o.S.)", "(s.s.T.)", "(ssT)", "(oS)", "(o. S.)"] {
                    r.2 = r.2.replace(marker, " ");
                }
            }
        }
        raw.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        raw.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);

        let vocabulary: Vec<String> = raw
            .iter()
            .flat_map(|(_, _, label)| text::tokens(label))
            .chain(COMMON_PARTS.iter().map(|s| s.to_string()))
            .collect();
        let decompounder = Decompounder::new(&vocabulary);

        let mut entries = Vec::with_capacity(raw.len());
        for (concept, kind, label) in raw {
            let tokens = text::tokens(&label);
            if tokens.is_empty() {
                continue;
            }
            let parts = expand(&decompounder, &tokens);
            entries.push(Entry {
                concept,
                kind,
                norm: tokens.join(" "),
                tokens: tokens.clone(),
                label,
                parts,
            });
        }

        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::WithFreqs);
        let field_tokens = schema.add_text_field(
            "tokens",
            TextOptions::default().set_indexing_options(indexing),
        );
        let field_entry = schema.add_u64_field("entry", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        for (i, e) in entries.iter().enumerate() {
            let mut all: Vec<&str> = e.norm.split(' ').collect();
            all.extend(e.parts.iter().map(String::as_str));
            writer.add_document(doc!(field_tokens => all.join(" "), field_entry => i as u64))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Resolver {
            entries,
            reader,
            field_tokens,
            decompounder,
            config,
            cache: RwLock::new(HashMap::new()),
            token_cache: RwLock::new(HashMap::new()),
        })
    }

    /// Number of labels indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalogue had no labels.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The concepts a written term may mean, best first (ties by concept),
    /// one entry per concept, all above the configured minimum confidence.
    pub fn resolve(&self, written: &str) -> Arc<[Resolution]> {
        let tokens = text::tokens(written);
        let key = tokens.join(" ");
        if let Some(hit) = self.cache.read().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let mut found = self.compute(&tokens, &key);
        if let Some(female) = text::feminine(written) {
            let tokens = text::tokens(&female);
            found = merge(found, self.compute(&tokens, &tokens.join(" ")));
        }
        let result: Arc<[Resolution]> = found.into();
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(key, result.clone());
        }
        result
    }

    /// [`Resolver::resolve`] without the cache: what resolving a new term
    /// costs (for benchmarks).
    pub fn resolve_uncached(&self, written: &str) -> Vec<Resolution> {
        let tokens = text::tokens(written);
        self.compute(&tokens, &tokens.join(" "))
    }

    fn compute(&self, tokens: &[String], norm: &str) -> Vec<Resolution> {
        if tokens.is_empty() {
            return Vec::new();
        }
        let parts = expand(&self.decompounder, tokens);
        let candidates = self.retrieve(tokens, &parts);
        let mut best: HashMap<Concept, Resolution> = HashMap::new();
        for i in candidates {
            let e = &self.entries[i];
            // Compared as written and with compounds split: a typo can keep a
            // compound from splitting on one side only ("Lagerarbiter").
            let (set_parts, contained_parts) = set_and_containment(&parts, &e.parts);
            let mut confidence = whole(norm, &e.norm).max(set_parts).max(contained_parts);
            if parts.len() != tokens.len() || e.parts.len() != e.tokens.len() {
                let (set, contained) = set_and_containment(tokens, &e.tokens);
                confidence = confidence.max(set).max(contained);
            }
            if e.kind == LabelKind::Foreign {
                confidence *= self.config.foreign_factor;
            }
            if confidence < self.config.min_confidence {
                continue;
            }
            let candidate = Resolution {
                concept: e.concept,
                confidence,
                matched: e.label.clone(),
                kind: e.kind,
            };
            best.entry(e.concept)
                .and_modify(|r| {
                    if confidence > r.confidence {
                        *r = candidate.clone();
                    }
                })
                .or_insert(candidate);
        }
        let mut out: Vec<Resolution> = best.into_values().collect();
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.concept.cmp(&b.concept))
        });
        out
    }

    /// Entry indexes of the labels sharing a (fuzzy) token with the term,
    /// best first: labels matching more of the term's words, rarer words
    /// weighing more (an inverse document frequency), fewer words first.
    fn retrieve(&self, tokens: &[String], parts: &[String]) -> Vec<usize> {
        let mut words: Vec<&String> = tokens.iter().chain(parts).collect();
        words.sort();
        words.dedup();
        let n = self.entries.len().max(1) as f64;
        let mut weight: HashMap<u32, f64> = HashMap::new();
        for w in words {
            let hits = self.token_entries(w);
            let idf = (1.0 + n / hits.len().max(1) as f64).ln();
            for &e in hits.iter() {
                *weight.entry(e).or_default() += idf;
            }
        }
        let mut ranked: Vec<(u32, f64)> = weight.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(
                    self.entries[a.0 as usize]
                        .parts
                        .len()
                        .cmp(&self.entries[b.0 as usize].parts.len()),
                )
                .then(a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .take(self.config.candidates.max(1))
            .map(|(e, _)| e as usize)
            .collect()
    }

    /// The entries whose tokens match `token` within its typo budget (a
    /// tantivy term or fuzzy term query), cached per token: terms share
    /// words, so each word is looked up once.
    fn token_entries(&self, token: &str) -> Arc<[u32]> {
        if let Some(hit) = self
            .token_cache
            .read()
            .ok()
            .and_then(|c| c.get(token).cloned())
        {
            return hit;
        }
        let term = Term::from_field_text(self.field_tokens, token);
        let distance = match token.chars().count() {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        let query: Box<dyn Query> = if distance == 0 {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        } else {
            Box::new(FuzzyTermQuery::new(term, distance, true))
        };
        let searcher = self.reader.searcher();
        let mut entries: Vec<u32> = searcher
            .search(&*query, &DocSetCollector)
            .map(|docs| {
                docs.into_iter()
                    .filter_map(|addr| {
                        let column = searcher
                            .segment_reader(addr.segment_ord)
                            .fast_fields()
                            .u64("entry")
                            .ok()?;
                        column.first(addr.doc_id).map(|v| v as u32)
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_unstable();
        let entries: Arc<[u32]> = entries.into();
        if let Ok(mut cache) = self.token_cache.write() {
            cache.insert(token.to_string(), entries.clone());
        }
        entries
    }
}

/// The best resolution per concept of two lists, sorted as `compute` sorts.
fn merge(a: Vec<Resolution>, b: Vec<Resolution>) -> Vec<Resolution> {
    let mut best: HashMap<Concept, Resolution> = HashMap::new();
    for r in a.into_iter().chain(b) {
        match best.get(&r.concept) {
            Some(have) if have.confidence >= r.confidence => {}
            _ => {
                best.insert(r.concept, r);
            }
        }
    }
    let mut out: Vec<Resolution> = best.into_values().collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.concept.cmp(&b.concept))
    });
    out
}

/// Tokens with each splittable compound replaced by its parts.
fn expand(decompounder: &Decompounder, tokens: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len() + 2);
    for t in tokens {
        match decompounder.split(t) {
            Some(parts) => out.extend(parts),
            None => out.push(t.clone()),
        }
    }
    out
}
