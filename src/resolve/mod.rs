//! Resolution of written terms ("Kellnr", "Hilfe in der Küche", "cook") to
//! skill and occupation concepts of the catalogue, with a confidence.
//!
//! Retrieval: every label, gender form, synonym and foreign word of the
//! catalogue is listed under its folded tokens and their compound parts,
//! whose vocabulary is a finite-state transducer (tantivy's FST). A term's
//! tokens are looked up there exactly or through tantivy's Levenshtein
//! automaton of a fuzzy term query (edit distance by token length, a swap
//! counts one edit), without the query layer: for some 30,000 words its
//! scorers, bit sets and hash sets cost more than the lookup itself.
//! Ranking: every fuzzy hit counts the same, so the candidates are ranked
//! again with strsim ([`similarity`]) on normalised tokens.
//! Results are cached per normalised term: a term is resolved once, however
//! many records contain it.

mod similarity;

pub use similarity::{
    containment, coverage, coverages, set_and_containment, token as token_similarity, token_set,
    whole,
};
use similarity::{weighted_set_and_containment, whole_bound, whole_with, Osa, Rows};

use crate::catalogue::{kldb, Catalogue};
use crate::error::{Error, Result};
use crate::text::{self, Decompounder};
use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::{Arc, RwLock};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Informativeness (idf) of each token and of each part.
    token_weights: Vec<f64>,
    part_weights: Vec<f64>,
    /// Anforderungsniveau of the occupation (0 for skills).
    level: u8,
    /// The label comes from the occupation's KldB group (official titles,
    /// `everyday.ron`), which several curated records may share.
    from_group: bool,
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
    /// The label is the KldB group's (official titles, everyday words),
    /// lent to every record of the group's code, not the record's own.
    pub from_group: bool,
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
    /// Factor on matches through a label of the KldB group (official job
    /// titles, `everyday.ron`), so that a curated record's own labels win
    /// over those of its group, which several records of one code share.
    pub official_factor: f64,
    /// An import accepts a written name for an id only from this confidence …
    pub import_min_confidence: f64,
    /// … and with this margin over the next concept of the same kind.
    pub import_margin: f64,
    /// Factor on occupations whose Anforderungsniveau differs from the one
    /// a level word of the term names ("Helfer", "Fachkraft", "Meister",
    /// "Ingenieur").
    pub level_mismatch_factor: f64,
}

impl Default for ResolveConfig {
    fn default() -> Self {
        ResolveConfig {
            min_confidence: 0.6,
            candidates: 24,
            foreign_factor: 0.97,
            official_factor: 0.99,
            import_min_confidence: 0.9,
            import_margin: 0.05,
            level_mismatch_factor: 0.9,
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
    /// Every token and part of the labels, to its ordinal in `postings`,
    /// one transducer per length in chars (index = length, capped): a typo
    /// budget of d edits only walks the words within d of the term's length.
    vocabulary: Vec<tantivy_fst::Map<Vec<u8>>>,
    /// The same words per length with their ordinal and [`letters`], in
    /// byte order: the words that begin with one letter are one range of
    /// them.
    spellings: Vec<Vec<(Box<str>, u64, u64)>>,
    /// The entries of each token, sorted.
    postings: Vec<Arc<[u32]>>,
    /// The ordinals of the words of the vocabulary by their tail (all but
    /// the first letter): the words that differ from a term in the first
    /// letter only.
    tails: HashMap<String, Vec<u64>>,
    decompounder: Decompounder,
    /// In how many labels each folded token or part occurs.
    df: HashMap<String, u32>,
    /// Every full word of the labels, for expanding abbreviations.
    words: std::collections::BTreeMap<String, u32>,
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
        Resolver::from_derived(Derived::build(catalogue), config)
    }

    /// [`Resolver::new`] through a cache folder: the derived labels
    /// (postcard) are kept
    /// under `dir` keyed by [`catalogue_key`] (every label of the catalogue
    /// and the program), built when missing and written atomically (a
    /// temporary folder renamed into place). Where the cache cannot be
    /// written, the index is built in memory as without a cache.
    pub fn cached(catalogue: &Catalogue, config: ResolveConfig, dir: &Path) -> Result<Self> {
        let key = catalogue_key(catalogue);
        let target = dir.join(format!("resolver-{key:016x}"));
        if let Some(r) = Resolver::open_cache(&target, config) {
            return Ok(r);
        }
        let derived = Derived::build(catalogue);
        if Resolver::write_cache(dir, &target, &derived).is_ok() {
            if let Some(r) = Resolver::open_cache(&target, config) {
                return Ok(r);
            }
        }
        Resolver::from_derived(derived, config)
    }

    fn open_cache(target: &Path, config: ResolveConfig) -> Option<Self> {
        let bytes = std::fs::read(target.join(DERIVED_FILE)).ok()?;
        let derived: Derived = postcard::from_bytes(&bytes).ok()?;
        Resolver::from_derived(derived, config).ok()
    }

    fn write_cache(dir: &Path, target: &Path, derived: &Derived) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let staging = tempfile::Builder::new()
            .prefix(".resolver-")
            .tempdir_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        let bytes = postcard::to_stdvec(derived).map_err(|e| Error::Internal(e.to_string()))?;
        let file = staging.path().join(DERIVED_FILE);
        std::fs::write(&file, bytes).map_err(|e| Error::io(&file, e))?;
        let staged = staging.keep();
        if std::fs::rename(&staged, target).is_err() {
            // Another process was first, or the folder is not writable.
            let _ = std::fs::remove_dir_all(&staged);
        }
        // Caches not written for a week (older catalogues or builds) go;
        // recent ones may belong to another data folder in use.
        let week = std::time::Duration::from_secs(7 * 24 * 3600);
        if let Ok(list) = std::fs::read_dir(dir) {
            for other in list.flatten() {
                let path = other.path();
                let name = other.file_name();
                let stale = other
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > week);
                if path != target && stale && name.to_string_lossy().starts_with("resolver-") {
                    let _ = std::fs::remove_dir_all(&path);
                }
            }
        }
        Ok(())
    }

    fn from_derived(derived: Derived, config: ResolveConfig) -> Result<Self> {
        // Every token and compound part of every label, with its entries.
        let mut by_token: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for (i, e) in derived.entries.iter().enumerate() {
            for t in e.norm.split(' ').chain(e.parts.iter().map(String::as_str)) {
                if !t.is_empty() {
                    by_token.entry(t).or_default().push(i as u32);
                }
            }
        }
        let mut postings = Vec::with_capacity(by_token.len());
        let mut by_length: Vec<Vec<(&str, u64)>> = vec![Vec::new(); LONGEST_BUCKET + 1];
        for (t, mut list) in by_token {
            list.dedup();
            postings.push(Arc::from(list));
            by_length[bucket(t)].push((t, (postings.len() - 1) as u64));
        }
        let mut tails: HashMap<String, Vec<u64>> = HashMap::new();
        for words in &by_length {
            for &(word, ord) in words {
                let mut chars = word.chars();
                chars.next();
                tails
                    .entry(chars.as_str().to_string())
                    .or_default()
                    .push(ord);
            }
        }
        let spellings = by_length
            .iter()
            .map(|words| {
                words
                    .iter()
                    .map(|&(w, ord)| (Box::from(w), ord, letters(w)))
                    .collect()
            })
            .collect();
        let vocabulary = by_length
            .into_iter()
            .map(tantivy_fst::Map::from_iter)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::Internal(format!("Wortliste des Katalogs: {e}")))?;
        let decompounder = Decompounder::new(&derived.vocabulary);
        Ok(Resolver {
            entries: derived.entries,
            vocabulary,
            spellings,
            postings,
            tails,
            decompounder,
            df: derived.df,
            words: derived.words,
            config,
            cache: RwLock::new(HashMap::new()),
            token_cache: RwLock::new(HashMap::new()),
        })
    }
}

/// A fingerprint of everything the resolver derives its labels from: the
/// labels, synonyms, forms and foreign words of every skill and occupation,
/// the KldB group of each occupation (code, titles, everyday words) and the
/// program (version and executable), so that a new build or any change of
/// the catalogue gets a new cache.
pub fn catalogue_key(catalogue: &Catalogue) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    DERIVED_FORMAT.hash(&mut h);
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    for s in &catalogue.skills {
        (&s.id, &s.label, &s.synonyms, &s.foreign).hash(&mut h);
    }
    for o in &catalogue.occupations {
        (&o.id, &o.title, &o.forms, &o.synonyms, &o.foreign, &o.kldb).hash(&mut h);
        if let Some(g) = &o.group {
            (&g.code, &g.everyday, &g.foreign).hash(&mut h);
            for t in &g.titles {
                t.title.hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The set of letters of a word as bits (a letter's code modulo 64): no
/// edit script between two words has fewer edits than either has letters
/// whose bit the other lacks (substitutions and deletions remove one
/// letter each, swaps none), so these sets rule out most words cheaply.
fn letters(word: &str) -> u64 {
    word.chars().fold(0, |m, c| m | 1 << (u32::from(c) & 63))
}

/// Words of this many chars or more share the last vocabulary bucket.
const LONGEST_BUCKET: usize = 40;

/// The vocabulary bucket of a word: its length in chars, capped.
fn bucket(word: &str) -> usize {
    word.chars().count().min(LONGEST_BUCKET)
}

/// Version of the cached form; bump it when `Derived` or `Entry` change.
const DERIVED_FORMAT: u32 = 3;

/// A resolver opened on first use: commands that never resolve text (a
/// shortlist over an up-to-date index) do not pay for loading the label
/// index. Dereferences to [`Resolver`].
pub struct LazyResolver {
    cell: std::sync::OnceLock<Resolver>,
    catalogue: Catalogue,
    config: ResolveConfig,
    dir: std::path::PathBuf,
}

impl LazyResolver {
    /// A resolver of `catalogue` cached under `dir` ([`Resolver::cached`]),
    /// opened when first dereferenced.
    pub fn new(catalogue: &Catalogue, config: ResolveConfig, dir: &Path) -> Self {
        LazyResolver {
            cell: std::sync::OnceLock::new(),
            catalogue: catalogue.clone(),
            config,
            dir: dir.to_path_buf(),
        }
    }
}

impl std::ops::Deref for LazyResolver {
    type Target = Resolver;
    fn deref(&self) -> &Resolver {
        self.cell.get_or_init(|| {
            Resolver::cached(&self.catalogue, self.config, &self.dir)
                .or_else(|_| Resolver::new(&self.catalogue, self.config))
                // Building an index in memory fails only on a bug of tantivy.
                .expect("the in-memory label index can be built")
        })
    }
}

impl std::fmt::Debug for LazyResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyResolver")
            .field("open", &self.cell.get().is_some())
            .finish()
    }
}

/// Name of the derived labels in a resolver cache folder.
const DERIVED_FILE: &str = "labels.postcard";

/// The labels of a catalogue, normalised: what the resolver derives from the
/// catalogue, and what its cache keeps.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Derived {
    entries: Vec<Entry>,
    df: HashMap<String, u32>,
    words: std::collections::BTreeMap<String, u32>,
    vocabulary: Vec<String>,
}

impl Derived {
    fn build(catalogue: &Catalogue) -> Derived {
        // (concept, kind, label, from the KldB group rather than the record)
        let mut raw: Vec<(Concept, LabelKind, String, bool)> = Vec::new();
        for (i, s) in catalogue.skills.iter().enumerate() {
            let c = Concept::Skill(i as u32);
            raw.push((c, LabelKind::Label, s.label.clone(), false));
            raw.extend(
                s.synonyms
                    .iter()
                    .map(|x| (c, LabelKind::Synonym, x.clone(), false)),
            );
            raw.extend(
                s.foreign
                    .iter()
                    .map(|x| (c, LabelKind::Foreign, x.clone(), false)),
            );
        }
        for (i, o) in catalogue.occupations.iter().enumerate() {
            let c = Concept::Occupation(i as u32);
            for alt in text::alternatives(&o.title) {
                raw.push((c, LabelKind::Label, alt, false));
            }
            raw.extend(
                o.forms
                    .iter()
                    .map(|x| (c, LabelKind::Form, x.clone(), false)),
            );
            for syn in &o.synonyms {
                for alt in text::alternatives(syn) {
                    raw.push((c, LabelKind::Synonym, alt, false));
                }
                // "Kellner/in" is also the record's own "Kellnerin".
                if let Some(f) = text::feminine(syn) {
                    raw.push((c, LabelKind::Synonym, f, false));
                }
            }
            raw.extend(
                o.foreign
                    .iter()
                    .map(|x| (c, LabelKind::Foreign, x.clone(), false)),
            );
            if let Some(g) = &o.group {
                for t in &g.titles {
                    for form in kldb::title_forms(&t.title) {
                        raw.push((c, LabelKind::Official, form, true));
                    }
                }
                for word in &g.everyday {
                    for alt in text::alternatives(word) {
                        raw.push((c, LabelKind::Synonym, alt, true));
                    }
                }
                raw.extend(
                    g.foreign
                        .iter()
                        .map(|x| (c, LabelKind::Foreign, x.clone(), true)),
                );
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
        raw.sort_by(|a, b| (a.0, &a.2, a.3).cmp(&(b.0, &b.2, b.3)));
        raw.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);

        // Full words (not abbreviations) with their frequency: an
        // abbreviation ("Verfahrensmech.") stands for the most frequent word
        // it begins.
        let mut words: std::collections::BTreeMap<String, u32> = Default::default();
        for (_, _, label, _) in &raw {
            let abbreviated = text::abbreviations(label);
            for t in text::tokens(label) {
                if !abbreviated.contains(&t) {
                    *words.entry(t).or_default() += 1;
                }
            }
        }
        let vocabulary: Vec<String> = words
            .keys()
            .cloned()
            .chain(COMMON_PARTS.iter().map(|s| s.to_string()))
            .collect();
        let decompounder = Decompounder::new(&vocabulary);

        let mut entries = Vec::with_capacity(raw.len());
        for (concept, kind, label, from_group) in raw {
            let tokens = expand_abbreviations(&words, &label, text::tokens(&label));
            if tokens.is_empty() {
                continue;
            }
            let parts = expand(&decompounder, &tokens);
            let level = match concept {
                Concept::Occupation(i) => catalogue.occupations[i as usize].level().unwrap_or(0),
                Concept::Skill(_) => 0,
            };
            entries.push(Entry {
                concept,
                kind,
                norm: tokens.join(" "),
                tokens: tokens.clone(),
                label,
                parts,
                token_weights: Vec::new(),
                part_weights: Vec::new(),
                level,
                from_group,
            });
        }
        let mut df: HashMap<String, u32> = HashMap::new();
        for e in &entries {
            let mut seen: Vec<&String> = e.tokens.iter().chain(&e.parts).collect();
            seen.sort();
            seen.dedup();
            for t in seen {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let n = entries.len().max(1) as f64;
        let idf = |t: &String| word_weight(t, idf(n, df.get(t).copied().unwrap_or(1) as f64));
        for e in &mut entries {
            e.token_weights = e.tokens.iter().map(idf).collect();
            e.part_weights = e.parts.iter().map(idf).collect();
        }

        Derived {
            entries,
            df,
            words,
            vocabulary,
        }
    }
}

impl Resolver {
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
        let tokens = expand_abbreviations(&self.words, written, text::tokens(written));
        let norm = tokens.join(" ");
        // "Verkäufer/in" is also looked up as "Verkäuferin", "Verkäufer" is
        // not: the key names both lookups, so that which of the two a
        // process happens to resolve first never decides what the other
        // gets from the cache.
        let female = text::feminine(written).map(|f| text::tokens(&f));
        let key = match &female {
            Some(f) => format!("{norm}\t{}", f.join(" ")),
            None => norm.clone(),
        };
        if let Some(hit) = self.cache.read().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let mut found = self.compute(&tokens, &norm);
        if let Some(tokens) = female {
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
        let tokens = expand_abbreviations(&self.words, written, text::tokens(written));
        self.compute(&tokens, &tokens.join(" "))
    }

    fn compute(&self, tokens: &[String], norm: &str) -> Vec<Resolution> {
        if tokens.is_empty() {
            return Vec::new();
        }
        let parts = expand(&self.decompounder, tokens);
        let candidates = self.retrieve(tokens, &parts);
        let token_weights: Vec<f64> = tokens.iter().map(|t| self.query_weight(t)).collect();
        let part_weights: Vec<f64> = parts.iter().map(|t| self.query_weight(t)).collect();
        let level = text::level_word(&parts).or_else(|| text::level_word(tokens));
        let mut best: HashMap<Concept, Resolution> = HashMap::new();
        let (mut part_rows, mut token_rows) = (Rows::new(&parts), Rows::new(tokens));
        let whole_norm = Osa::new(norm);
        for i in candidates {
            let e = &self.entries[i];
            // Compared as written and with compounds split: a typo can keep a
            // compound from splitting on one side only ("Lagerarbiter").
            // Informative words weigh more than common ones ("Kfz" over
            // "Hilfskraft").
            let (set_parts, contained_parts) = weighted_set_and_containment(
                &mut part_rows,
                &part_weights,
                &e.parts,
                &e.part_weights,
            );
            let mut confidence = set_parts.max(contained_parts);
            if parts.len() != tokens.len() || e.parts.len() != e.tokens.len() {
                let (set, contained) = weighted_set_and_containment(
                    &mut token_rows,
                    &token_weights,
                    &e.tokens,
                    &e.token_weights,
                );
                confidence = confidence.max(set).max(contained);
            }
            // The whole strings compared only where that can raise the
            // confidence: where the bound cannot, `whole` is no higher.
            let bound = whole_bound(norm, &e.norm);
            if bound > confidence && self.could_pass(bound, e, level) {
                confidence = confidence.max(whole_with(&whole_norm, &e.norm));
            }
            let confidence = self.discounted(confidence, e, level);
            if confidence < self.config.min_confidence {
                continue;
            }
            let candidate = Resolution {
                concept: e.concept,
                confidence,
                matched: e.label.clone(),
                kind: e.kind,
                from_group: e.from_group,
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

    /// `confidence` in the label `e` with the factors of its kind and level.
    fn discounted(&self, mut confidence: f64, e: &Entry, level: Option<u8>) -> f64 {
        if e.kind == LabelKind::Foreign {
            confidence *= self.config.foreign_factor;
        }
        if e.from_group {
            confidence *= self.config.official_factor;
        }
        if let Some(level) = level {
            if e.level != 0 && e.level != level {
                confidence *= self.config.level_mismatch_factor;
            }
        }
        confidence
    }

    /// Whether a confidence of `bound` in the label `e` would be reported
    /// (the factors only lower it, and they are monotone).
    fn could_pass(&self, bound: f64, e: &Entry, level: Option<u8>) -> bool {
        self.discounted(bound, e, level) >= self.config.min_confidence
    }

    /// Informativeness of a word of the term: its idf among the labels, or
    /// for a word no label has (a typo) the idf of the labels it fuzzily
    /// matches.
    fn query_weight(&self, token: &str) -> f64 {
        let n = self.entries.len().max(1) as f64;
        let idf = match self.df.get(token) {
            Some(&df) => idf(n, df as f64),
            None => idf(n, self.token_entries(token).len().max(1) as f64),
        };
        word_weight(token, idf)
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
        let order = |a: &(u32, f64), b: &(u32, f64)| {
            b.1.total_cmp(&a.1)
                .then(
                    self.entries[a.0 as usize]
                        .parts
                        .len()
                        .cmp(&self.entries[b.0 as usize].parts.len()),
                )
                .then(a.0.cmp(&b.0))
        };
        // Common words hit thousands of labels: select the best in linear
        // time, sort only those (the order is total, so the result is the
        // same as a full sort).
        let k = self.config.candidates.max(1);
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_by(order);
        ranked.into_iter().map(|(e, _)| e as usize).collect()
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
        let distance = match token.chars().count() {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        let mut entries: Vec<u32> = Vec::new();
        if distance == 0 {
            if let Some(ord) = self.vocabulary[bucket(token)].get(token) {
                entries.extend_from_slice(&self.postings[ord as usize]);
            }
        } else {
            // Meilisearch's typo rule, as `similarity::token` scores it: a
            // typo on the first letter counts two. So the words within the
            // budget that begin with the term's letter are compared, and
            // for a budget of two also the words one edit away, the first
            // letter included.
            for ord in self.within_same_first(token, distance) {
                entries.extend_from_slice(&self.postings[ord as usize]);
            }
            if distance == 2 {
                for ord in self.one_edit_at_first(token) {
                    entries.extend_from_slice(&self.postings[ord as usize]);
                }
            }
        }
        entries.sort_unstable();
        entries.dedup();
        let entries: Arc<[u32]> = entries.into();
        if let Ok(mut cache) = self.token_cache.write() {
            cache.insert(token.to_string(), entries.clone());
        }
        entries
    }

    /// The ordinals of the words that begin with the letter `token` begins
    /// with and are at most `distance` edits from it (optimal string
    /// alignment: a swap of neighbours is one edit). Only the words of
    /// lengths within `distance` of the token's and of its first letter are
    /// compared, each with a bit-parallel distance against the token's bit
    /// masks made once: cheaper, for these few hundred words, than building
    /// a Levenshtein automaton per new token and walking the transducer
    /// with it, and the same words (a test compares the two).
    fn within_same_first(&self, token: &str, distance: u8) -> Vec<u64> {
        let length = token.chars().count();
        let lengths = length.saturating_sub(distance as usize)..=length + distance as usize;
        let mut buckets: Vec<usize> = lengths.map(|l| l.min(LONGEST_BUCKET)).collect();
        buckets.dedup();
        let Some(first) = token.chars().next() else {
            return Vec::new();
        };
        let mut first_bytes = [0u8; 4];
        let first: &[u8] = first.encode_utf8(&mut first_bytes).as_bytes();
        let osa = Osa::new(token);
        let mask = letters(token);
        let budget = u32::from(distance);
        let mut ords = Vec::new();
        for b in buckets {
            let words = &self.spellings[b];
            let start = words.partition_point(|(w, ..)| w.as_bytes() < first);
            let begins = words[start..]
                .iter()
                .take_while(|(w, ..)| w.as_bytes().starts_with(first));
            for (word, ord, has) in begins {
                // Each letter one word lacks takes an edit of its own.
                if (mask & !has).count_ones() > budget || (has & !mask).count_ones() > budget {
                    continue;
                }
                if osa.distance(word) <= usize::from(distance) {
                    ords.push(*ord);
                }
            }
        }
        ords
    }

    /// The words one edit away from `token` (a swap of neighbours is one
    /// edit) whose first letter differs from the token's, and possibly some
    /// that share it: substituting, deleting or inserting the first letter
    /// or swapping the first two letters are the only single edits that
    /// change it. Looked up in maps rather than by walking a Levenshtein
    /// automaton over every word; the same words as that walk.
    fn one_edit_at_first(&self, token: &str) -> Vec<u64> {
        let chars: Vec<char> = token.chars().collect();
        let mut ords = Vec::new();
        if chars.is_empty() {
            return ords;
        }
        let rest: String = chars[1..].iter().collect();
        // A new first letter: the same tail ("kellner" for "bellner").
        if let Some(found) = self.tails.get(&rest) {
            ords.extend_from_slice(found);
        }
        // A first letter inserted: the token is the word's tail.
        if let Some(found) = self.tails.get(token) {
            ords.extend_from_slice(found);
        }
        // The first letter deleted.
        ords.extend(self.ordinal(&rest));
        // The first two letters swapped.
        if chars.len() >= 2 {
            let mut swapped = chars.clone();
            swapped.swap(0, 1);
            let swapped: String = swapped.into_iter().collect();
            ords.extend(self.ordinal(&swapped));
        }
        ords
    }

    /// The ordinal in `postings` of a word of the vocabulary.
    fn ordinal(&self, word: &str) -> Option<u64> {
        self.vocabulary[bucket(word)].get(word)
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

/// Inverse document frequency, at least a little weight for every word.
fn idf(n: f64, df: f64) -> f64 {
    (1.0 + n / df.max(1.0)).ln().max(0.1)
}

/// A word's weight in similarity: its idf, halved for level words, which
/// say how skilled the work is rather than what it is (the level factor
/// counts them).
fn word_weight(token: &str, idf: f64) -> f64 {
    if text::level_word_of(token).is_some() {
        0.5 * idf
    } else {
        idf
    }
}

/// Tokens of `written` that it abbreviates with a dot ("Verfahrensmech.")
/// replaced by the most frequent full word of the labels they begin.
fn expand_abbreviations(
    words: &std::collections::BTreeMap<String, u32>,
    written: &str,
    mut tokens: Vec<String>,
) -> Vec<String> {
    if !written.contains('.') {
        return tokens;
    }
    let abbreviated = text::abbreviations(written);
    for t in tokens.iter_mut() {
        if t.len() < 3 || !abbreviated.contains(t) || words.contains_key(t.as_str()) {
            continue;
        }
        let full = words
            .range::<str, _>((
                std::ops::Bound::Excluded(t.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(w, _)| w.starts_with(t.as_str()))
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(w, _)| w.clone());
        if let Some(full) = full {
            *t = full;
        }
    }
    tokens
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::DataDir;
    use std::collections::BTreeSet;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::Term;
    use tantivy_fst::{IntoStreamer, Streamer};

    /// tantivy's Levenshtein automaton of a fuzzy term query (a swap of
    /// neighbours is one edit) for `token` within `distance` edits.
    fn levenshtein(token: &str, distance: u8) -> Option<tantivy::query::DfaWrapper> {
        // The field of the term is irrelevant: only its text makes the automaton.
        let term = Term::from_field_text(tantivy::schema::Field::from_field_id(0), token);
        FuzzyTermQuery::new(term, distance, true).automaton().ok()
    }

    fn resolver() -> Resolver {
        let catalogue =
            Catalogue::load(&DataDir::new(env!("CARGO_MANIFEST_DIR"))).expect("bundled catalogue");
        Resolver::new(&catalogue, ResolveConfig::default()).expect("resolver")
    }

    /// The words within one edit of `token` (a swap of neighbours is one)
    /// that begin with another letter, found by walking tantivy's automaton
    /// over every word of the lengths it can reach: what the map lookups of
    /// `one_edit_at_first` replace.
    fn walked(r: &Resolver, token: &str) -> BTreeSet<u64> {
        let automaton = levenshtein(token, 1).expect("automaton");
        let first = token.chars().next();
        let length = token.chars().count();
        let mut found = BTreeSet::new();
        for l in length.saturating_sub(1)..=length + 1 {
            let mut words = r.vocabulary[l.min(LONGEST_BUCKET)]
                .search(&automaton)
                .into_stream();
            while let Some((word, ord)) = words.next() {
                let word = std::str::from_utf8(word).expect("utf-8");
                if word.chars().next() != first {
                    found.insert(ord);
                }
            }
        }
        found
    }

    /// The words within `distance` edits of `token` that begin with its
    /// letter, found by walking tantivy's automaton over the range of the
    /// transducer of each length it can reach: what `within_same_first`
    /// replaces.
    fn walked_same_first(r: &Resolver, token: &str, distance: u8) -> BTreeSet<u64> {
        let automaton = levenshtein(token, distance).expect("automaton");
        let length = token.chars().count();
        let first: String = token.chars().take(1).collect();
        let mut after = first.clone().into_bytes();
        *after.last_mut().expect("a letter") += 1;
        let mut buckets: Vec<usize> = (length.saturating_sub(distance as usize)
            ..=length + distance as usize)
            .map(|l| l.min(LONGEST_BUCKET))
            .collect();
        buckets.dedup();
        let mut found = BTreeSet::new();
        for b in buckets {
            let mut words = r.vocabulary[b]
                .search(&automaton)
                .ge(first.as_bytes())
                .lt(&after)
                .into_stream();
            while let Some((_, ord)) = words.next() {
                found.insert(ord);
            }
        }
        found
    }

    /// Every `step`-th word of the vocabulary of the given lengths.
    fn sample(r: &Resolver, lengths: std::ops::Range<usize>, step: usize) -> Vec<String> {
        r.vocabulary[lengths]
            .iter()
            .flat_map(|v| {
                let mut all = Vec::new();
                let mut s = v.stream();
                while let Some((w, _)) = s.next() {
                    all.push(String::from_utf8(w.to_vec()).expect("utf-8"));
                }
                all
            })
            .step_by(step)
            .collect()
    }

    #[test]
    fn the_typo_scan_finds_what_the_automaton_walk_finds() {
        let r = resolver();
        let words = sample(&r, 5..20, 23);
        assert!(words.len() > 500, "{} words", words.len());
        let mut compared = 0;
        for w in &words {
            let chars: Vec<char> = w.chars().collect();
            let n = chars.len();
            let at = |i: usize| chars[..i].iter().chain(&chars[i + 1..]).collect::<String>();
            let mut swapped = chars.clone();
            swapped.swap(n / 2, n / 2 + 1);
            let mut twice = swapped.clone();
            twice[1] = 'x';
            // As typed: the word, a letter dropped, one doubled, two
            // swapped, a swap and a wrong letter, a wrong ending.
            for typed in [
                w.clone(),
                at(n / 2),
                format!(
                    "{}{}",
                    chars[..=n / 3].iter().collect::<String>(),
                    chars[n / 3..].iter().collect::<String>()
                ),
                swapped.iter().collect(),
                twice.into_iter().collect(),
                format!("{}en", chars[..n - 1].iter().collect::<String>()),
                "kx".chars().chain(chars[2..].iter().copied()).collect(),
            ] {
                for distance in [1, 2] {
                    let scanned: BTreeSet<u64> =
                        r.within_same_first(&typed, distance).into_iter().collect();
                    assert_eq!(
                        scanned,
                        walked_same_first(&r, &typed, distance),
                        "{typed} within {distance}"
                    );
                    compared += scanned.len();
                }
            }
        }
        assert!(compared > 5_000, "{compared} words found");
    }

    #[test]
    fn one_edit_at_the_first_letter_finds_what_the_automaton_walk_finds() {
        let r = resolver();
        let words = sample(&r, 9..16, 97);
        assert!(words.len() > 50, "{} words", words.len());
        for w in &words {
            let chars: Vec<char> = w.chars().collect();
            let rest: String = chars[1..].iter().collect();
            let mut swapped = chars.clone();
            swapped.swap(0, 1);
            // As typed: the word, its first letter replaced, dropped,
            // doubled, or swapped with the second.
            for typed in [
                w.clone(),
                format!("x{rest}"),
                rest.clone(),
                format!("{}{w}", chars[0]),
                swapped.into_iter().collect(),
            ] {
                let looked_up: BTreeSet<u64> = r.one_edit_at_first(&typed).into_iter().collect();
                let walked = walked(&r, &typed);
                assert!(
                    walked.is_subset(&looked_up),
                    "{typed}: walked {walked:?}, looked up {looked_up:?}"
                );
            }
        }
    }
}
