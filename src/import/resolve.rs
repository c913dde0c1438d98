//! Resolving what an offers file names (an occupation, a skill) to a
//! catalogue id: the id itself, or a name that equals one of the concept's
//! names after normalisation (case, umlauts, accents, gender forms).
//!
//! This is deliberately exact; the engine's fuzzy resolver is meant to take
//! its place. An import must never guess, so a name that fits two concepts
//! resolves to none.

use crate::catalogue::{Catalogue, Occupation, Skill};
use unicode_normalization::UnicodeNormalization;

/// The occupation id that `text` names: an occupation id, or its title, a
/// part of the title (`Koch/Köchin`), a gender form or a synonym, compared
/// after [`normalise`]. `None` if nothing or more than one occupation fits.
pub fn resolve_occupation<'c>(catalogue: &'c Catalogue, text: &str) -> Option<&'c str> {
    if let Some(o) = catalogue.occupation(text.trim()) {
        return Some(&o.id);
    }
    let keys = keys(text);
    unique(
        catalogue
            .occupations
            .iter()
            .filter(|o| occupation_names(o).any(|n| keys.contains(&normalise(n))))
            .map(|o| o.id.as_str()),
    )
}

/// The skill id that `text` names: a skill id, or its label, a synonym or a
/// foreign term, compared after [`normalise`]. `None` if nothing or more
/// than one skill fits.
pub fn resolve_skill<'c>(catalogue: &'c Catalogue, text: &str) -> Option<&'c str> {
    if let Some(s) = catalogue.skill(text.trim()) {
        return Some(&s.id);
    }
    let keys = keys(text);
    unique(
        catalogue
            .skills
            .iter()
            .filter(|s| skill_names(s).any(|n| keys.contains(&normalise(n))))
            .map(|s| s.id.as_str()),
    )
}

fn occupation_names(o: &Occupation) -> impl Iterator<Item = &str> {
    [o.id.as_str(), o.title.as_str()]
        .into_iter()
        .chain(o.title.split('/').filter(|part| {
            let part = part.trim().trim_start_matches('-').to_lowercase();
            part != "in" && part != "innen"
        }))
        .chain(o.forms.iter().map(String::as_str))
        .chain(o.synonyms.iter().map(String::as_str))
}

fn skill_names(s: &Skill) -> impl Iterator<Item = &str> {
    [s.id.as_str(), s.label.as_str()]
        .into_iter()
        .chain(s.synonyms.iter().map(String::as_str))
        .chain(s.foreign.iter().map(String::as_str))
}

fn unique<'c>(mut ids: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let first = ids.next()?;
    ids.all(|id| id == first).then_some(first)
}

/// The forms a written name is looked up under: its normalisation and,
/// where a gender suffix was cut off (`Köch:in` → `koech`), the feminine
/// form too (`koechin`), since the catalogue lists both forms whole.
fn keys(text: &str) -> Vec<String> {
    let key = normalise(text);
    let mut keys = vec![key.clone()];
    if had_gender_suffix(text) {
        keys.push(format!("{key}in"));
    }
    keys
}

const GENDER_SUFFIXES: [&str; 10] = [
    "/-innen", "/innen", ":innen", "*innen", "_innen", "/-in", "/in", ":in", "*in", "_in",
];

fn had_gender_suffix(text: &str) -> bool {
    text.split_whitespace()
        .any(|w| strip_gender_suffix(w) != w || strip_binnen_i(w) != w)
}

/// `KellnerIn` → `Kellner` (the capital I only counts after a small letter).
fn strip_binnen_i(word: &str) -> &str {
    for suffix in ["Innen", "In"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().next_back().is_some_and(char::is_lowercase) {
                return stem;
            }
        }
    }
    word
}

/// `Verkäufer/-in`, `Verkäufer:in`, `Verkäufer*innen` → `Verkäufer`.
fn strip_gender_suffix(word: &str) -> &str {
    for suffix in GENDER_SUFFIXES {
        let Some(cut) = word.len().checked_sub(suffix.len()) else {
            continue;
        };
        if cut > 0 && word.is_char_boundary(cut) && word[cut..].eq_ignore_ascii_case(suffix) {
            return &word[..cut];
        }
    }
    word
}

/// Whether a parenthesised group is a gender note: `(m/w/d)`, `(w/m/d)`,
/// `(m/f/d)`, `(gn)`.
fn is_gender_note(inner: &str) -> bool {
    let t: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    t == "gn"
        || (!t.is_empty() && t.contains(['/', ',']) && t.chars().all(|c| "mwdfxi/,".contains(c)))
}

/// A name for comparison: gender notes and suffixes cut off, lower case,
/// umlauts folded (`ä` → `ae`, `ß` → `ss`), other accents dropped
/// (`cuisinière` → `cuisiniere`), spaces collapsed.
pub fn normalise(text: &str) -> String {
    let mut without_notes = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        without_notes.push_str(&rest[..open]);
        if !is_gender_note(&rest[open + 1..close]) {
            without_notes.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    without_notes.push_str(rest);

    let words: Vec<&str> = without_notes
        .split_whitespace()
        .map(|w| strip_binnen_i(strip_gender_suffix(w)))
        .collect();
    let mut folded = String::with_capacity(text.len());
    for c in words.join(" ").to_lowercase().chars() {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            c => folded.extend(
                c.to_string()
                    .nfd()
                    .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
            ),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Importance, OccupationKind, RequiredSkill};
    use crate::cefr::Cefr;

    #[test]
    fn normalisation() {
        for (input, expected) in [
            ("Koch (m/w/d)", "koch"),
            ("Koch (w/m/d)", "koch"),
            ("Koch(m/f/d)", "koch"),
            ("Köchin", "koechin"),
            ("KOECHIN", "koechin"),
            ("Verkäufer/-in", "verkaeufer"),
            ("Verkäufer/in", "verkaeufer"),
            ("Verkäufer:in", "verkaeufer"),
            ("Verkäufer*in", "verkaeufer"),
            ("Verkäufer*innen", "verkaeufer"),
            ("VerkäuferIn", "verkaeufer"),
            ("Straßenbauer", "strassenbauer"),
            ("cuisinière", "cuisiniere"),
            ("  Fachkraft   im  Gastgewerbe ", "fachkraft im gastgewerbe"),
            ("Koch (Restaurant)", "koch (restaurant)"),
            ("Medizin", "medizin"),
        ] {
            assert_eq!(normalise(input), expected, "{input:?}");
        }
    }

    fn catalogue() -> Catalogue {
        let occupation = |id: &str, title: &str, forms: &[&str], synonyms: &[&str]| Occupation {
            id: id.into(),
            title: title.into(),
            forms: forms.iter().map(|s| s.to_string()).collect(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            foreign: vec!["cook".into()],
            kldb: "29302".into(),
            isco: None,
            esco: None,
            kind: OccupationKind::Ausbildungsberuf,
            min_german: Cefr::A2,
            skills: vec![RequiredSkill {
                skill: "gemuese-schneiden".into(),
                importance: Importance::Essential,
                level: None,
            }],
            requirements: vec![],
            related: vec![],
        };
        let skill = |id: &str, label: &str, synonyms: &[&str], foreign: &[&str]| Skill {
            id: id.into(),
            label: label.into(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            foreign: foreign.iter().map(|s| s.to_string()).collect(),
            group: "Küche".into(),
            esco: None,
        };
        Catalogue::new(
            vec![
                skill(
                    "gemuese-schneiden",
                    "Gemüse schneiden",
                    &["Schnibbeln"],
                    &["cutting vegetables"],
                ),
                skill("kassieren", "Kassieren", &["Kasse"], &[]),
                skill("kasse-a", "Kasse führen", &["Kasse"], &[]),
            ],
            vec![
                occupation("koch", "Koch/Köchin", &["Koch", "Köchin"], &["Jungkoch"]),
                occupation(
                    "servicekraft",
                    "Servicekraft",
                    &[],
                    &["Kellner", "Kellnerin", "Bedienung"],
                ),
                occupation("barkeeper", "Barkeeper/in", &[], &["Bedienung"]),
            ],
            vec![],
            vec![],
            vec![],
        )
    }

    #[test]
    fn occupations_resolve_by_id_and_names() {
        let c = catalogue();
        for (text, expected) in [
            ("koch", Some("koch")),
            ("Koch (m/w/d)", Some("koch")),
            ("Koch/Köchin", Some("koch")),
            ("Köchin", Some("koch")),
            ("KOECHIN", Some("koch")),
            ("Köch:in", Some("koch")),
            ("KöchIn", Some("koch")),
            ("Jungkoch (m/w/d)", Some("koch")),
            ("Kellner/-in", Some("servicekraft")),
            ("Kellner:in", Some("servicekraft")),
            ("servicekraft", Some("servicekraft")),
            ("Barkeeper", Some("barkeeper")),
            // Foreign words are not names of occupations here (the fuzzy resolver's job).
            ("cook", None),
            // Two occupations share the synonym: no guess.
            ("Bedienung", None),
            ("Bäcker", None),
            ("", None),
        ] {
            assert_eq!(resolve_occupation(&c, text), expected, "{text:?}");
        }
    }

    #[test]
    fn skills_resolve_by_id_label_synonym_and_foreign_term() {
        let c = catalogue();
        for (text, expected) in [
            ("gemuese-schneiden", Some("gemuese-schneiden")),
            ("Gemüse schneiden", Some("gemuese-schneiden")),
            ("gemuese schneiden", Some("gemuese-schneiden")),
            ("Cutting Vegetables", Some("gemuese-schneiden")),
            ("schnibbeln", Some("gemuese-schneiden")),
            ("Kassieren", Some("kassieren")),
            ("Kasse", None),
            ("Schweißen", None),
        ] {
            assert_eq!(resolve_skill(&c, text), expected, "{text:?}");
        }
    }
}
