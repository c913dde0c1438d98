//! Resolving what an offers file names (an occupation, a skill) to a
//! catalogue id: the id itself, or a name the engine's resolver (the same as
//! `lotse resolve`: umlauts, gender forms, compounds, synonyms, foreign
//! words, small typos) maps to exactly one concept with high confidence.
//! An import must never guess: a weak or ambiguous name is an error that
//! names the closest concepts, so the user can write the id instead.

use crate::engine::Engine;
use crate::resolve::Concept;

/// The occupation id that `text` names, or a German message why not.
pub fn resolve_occupation<'e>(engine: &'e Engine, text: &str) -> Result<&'e str, String> {
    let catalogue = &engine.catalogue;
    // An id, `kldb-NNNNN` or a 5-digit KldB code.
    if let Some(i) = catalogue.occupation_ref(text) {
        return Ok(&catalogue.occupations[i].id);
    }
    strict(engine, text, |c| match c {
        Concept::Occupation(i) => Some(catalogue.occupations[i as usize].id.as_str()),
        Concept::Skill(_) => None,
    })
    .map_err(|closest| {
        format!(
            "„{text}“ ist kein eindeutiger Beruf des Katalogs{closest} (erwartet: eine Kennung aus occupations/occupations/, ein fünfstelliger KldB-Code oder eine Berufsbezeichnung; prüfen mit `lotse resolve`)"
        )
    })
}

/// The skill id that `text` names, or a German message why not.
pub fn resolve_skill<'e>(engine: &'e Engine, text: &str) -> Result<&'e str, String> {
    let catalogue = &engine.catalogue;
    if let Some(s) = catalogue.skill(text.trim()) {
        return Ok(&s.id);
    }
    strict(engine, text, |c| match c {
        Concept::Skill(i) => Some(catalogue.skills[i as usize].id.as_str()),
        Concept::Occupation(_) => None,
    })
    .map_err(|closest| {
        format!(
            "„{text}“ ist keine eindeutige Fähigkeit des Katalogs{closest} (erwartet: eine Kennung aus occupations/skills/ oder eine Bezeichnung; prüfen mit `lotse resolve`)"
        )
    })
}

/// The one concept of a kind that `text` resolves to with at least the
/// import confidence and a clear margin over the next; otherwise the
/// closest candidates, as text for the message.
fn strict<'e>(
    engine: &'e Engine,
    text: &str,
    id: impl Fn(Concept) -> Option<&'e str>,
) -> Result<&'e str, String> {
    let rules = &engine.config.resolve;
    let resolved = engine.resolver.resolve(text);
    // A curated record of the same KldB group that matches only through the
    // group's official titles is no rival of the record whose own label
    // matched ("Koch": koch, not fachkraft-kueche of the same group).
    let code = |c: Concept| match c {
        Concept::Occupation(i) => Some(engine.catalogue.occupations[i as usize].kldb.as_str()),
        Concept::Skill(_) => None,
    };
    let best_code = resolved.first().and_then(|r| code(r.concept));
    let found: Vec<(&str, f64)> = resolved
        .iter()
        .enumerate()
        .filter(|(n, r)| {
            *n == 0
                || !(r.kind == crate::resolve::LabelKind::Official
                    && best_code.is_some()
                    && code(r.concept) == best_code)
        })
        .filter_map(|(_, r)| id(r.concept).map(|i| (i, r.confidence)))
        .collect();
    match found.as_slice() {
        [(best, c), rest @ ..]
            if *c >= rules.import_min_confidence
                && rest
                    .first()
                    .is_none_or(|(_, next)| c - next >= rules.import_margin) =>
        {
            Ok(best)
        }
        [] => Err(String::new()),
        some => Err(format!(
            "; am nächsten: {}",
            some.iter()
                .take(3)
                .map(|(i, c)| format!("{i} ({:.0} %)", c * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Catalogue, Occupation, Skill};
    use crate::catalogue::{Importance, OccupationKind, RequiredSkill};
    use crate::cefr::Cefr;
    use crate::config::Config;
    use crate::records::DataDir;

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
            duration_months: None,
            group: None,
            curated: true,
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

    fn engine() -> Engine {
        Engine::new(DataDir::new("."), catalogue(), Config::default()).expect("engine")
    }

    #[test]
    fn occupations_resolve_by_id_and_names() {
        let e = engine();
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
            ("Koch(m/f/d)", Some("koch")),
            // Every occupation here has the foreign word "cook": ambiguous.
            ("cook", None),
            // The resolver tolerates small typos …
            ("Kellnr", Some("servicekraft")),
            // Two occupations share the synonym: no guess.
            ("Bedienung", None),
            // … but never guesses.
            ("Bäcker", None),
            ("Koch im Restaurant mit Bar", None),
            ("", None),
        ] {
            assert_eq!(resolve_occupation(&e, text).ok(), expected, "{text:?}");
        }
    }

    /// Any KldB group is an occupation of the bundled catalogue: offers may
    /// name it by an official or everyday title, or by its code.
    #[test]
    fn any_kldb_occupation_by_title_or_code() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let e = Engine::open(&DataDir::new(root), None).expect("bundled catalogue");
        for (text, expected) in [
            // Curated records stand for the groups whose code they carry.
            ("Metzger", "fleischer"),
            ("Metzgerin", "fleischer"),
            ("Busfahrer (m/w/d)", "busfahrer"),
            ("52132", "busfahrer"),
            ("kldb-52132", "busfahrer"),
            ("kldb-11333", "kldb-11333"),
            // A group without a curated record, by official title and code.
            ("Hufbeschlagschmiedin", "kldb-11333"),
            ("11333", "kldb-11333"),
            ("Koch", "koch"),
            ("29301", "kuechenhilfe"),
        ] {
            assert_eq!(
                resolve_occupation(&e, text).as_deref(),
                Ok(expected),
                "{text:?}"
            );
        }
        let err = resolve_occupation(&e, "99999").unwrap_err();
        assert!(err.contains("99999"), "{err}");
    }

    #[test]
    fn skills_resolve_by_id_label_synonym_and_foreign_term() {
        let e = engine();
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
            assert_eq!(resolve_skill(&e, text).ok(), expected, "{text:?}");
        }
    }
}
