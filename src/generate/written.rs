//! Terms as people write them on an intake form: a catalogue word (a gender
//! form, a synonym, an English or French job word, a skill label), sometimes
//! changed the way hands and keyboards change it — a letter dropped, doubled
//! or swapped, umlauts as `ae` or as a plain vowel, all lower case, a
//! "(m/w/d)" copied from a job advert, or "Hilfe in der Küche" for
//! "Küchenhilfe". The engine must cope with all of these; the generator
//! makes sure a benchmark folder contains them.

use super::random::{chance, one, pick};
use crate::catalogue::{Occupation, Skill};
use rand::Rng;

/// How often (in percent) each change is made to a term.
#[derive(Debug, Clone, Copy)]
pub(super) struct Changes {
    /// ä/ö/ü/ß spelt `ae`/`oe`/`ue`/`ss` or as a plain vowel (only where the term has them).
    pub umlaut: u32,
    /// One letter dropped, doubled or swapped with its neighbour.
    pub typo: u32,
    /// All lower case.
    pub lower: u32,
    /// "(m/w/d)" appended, as copied from a job advert.
    pub gender: u32,
}

impl Changes {
    /// Occupations written in German.
    pub(super) const OCCUPATION: Changes = Changes {
        umlaut: 30,
        typo: 15,
        lower: 15,
        gender: 6,
    };
    /// Skills written in German.
    pub(super) const SKILL: Changes = Changes {
        umlaut: 25,
        typo: 12,
        lower: 12,
        gender: 0,
    };
    /// English and French words: already lower case, rarely misspelt.
    pub(super) const FOREIGN: Changes = Changes {
        umlaut: 0,
        typo: 10,
        lower: 0,
        gender: 0,
    };
}

/// An occupation as a person writes it: their own gender form, a synonym, a
/// foreign job word or a "Hilfe in der …" paraphrase, perhaps changed.
pub(super) fn occupation_term(rng: &mut impl Rng, occupation: &Occupation, female: bool) -> String {
    #[derive(Clone, Copy)]
    enum Source {
        Form,
        Synonym,
        Foreign,
        Paraphrase,
    }
    let paraphrase = occupation.forms.iter().find_map(|f| helper_paraphrase(f));
    let weight = |present: bool, w: u32| if present { w } else { 0 };
    let source = pick(
        rng,
        &[
            (Source::Form, 45),
            (Source::Synonym, weight(!occupation.synonyms.is_empty(), 25)),
            (Source::Foreign, weight(!occupation.foreign.is_empty(), 20)),
            (Source::Paraphrase, weight(paraphrase.is_some(), 15)),
        ],
    );
    match source {
        Source::Form if !occupation.forms.is_empty() => {
            let fitting: Vec<&String> = occupation
                .forms
                .iter()
                .filter(|f| is_female_form(f) == female || is_neutral_form(f))
                .collect();
            let form = if fitting.is_empty() {
                one(rng, &occupation.forms)
            } else {
                one(rng, &fitting)
            };
            change(rng, form, Changes::OCCUPATION)
        }
        Source::Form => change(rng, &occupation.title, Changes::OCCUPATION),
        Source::Synonym => {
            let synonym: &String = one(rng, &occupation.synonyms);
            change(rng, synonym, Changes::OCCUPATION)
        }
        Source::Foreign => {
            let word: &String = one(rng, &occupation.foreign);
            change(rng, word, Changes::FOREIGN)
        }
        Source::Paraphrase => {
            let text = paraphrase.unwrap_or_else(|| occupation.title.clone());
            change(
                rng,
                &text,
                Changes {
                    gender: 0,
                    ..Changes::SKILL
                },
            )
        }
    }
}

/// Whether a gender form is the female one: a word ending in "-in"
/// ("Köchin", "Malerin und Lackiererin") or naming a woman ("Kauffrau").
pub fn is_female_form(form: &str) -> bool {
    form.split(|c: char| !c.is_alphabetic()).any(|word| {
        let lower = word.to_lowercase();
        (lower.len() > 3 && lower.ends_with("in"))
            || lower.contains("frau")
            || lower.contains("mädchen")
    })
}

/// Whether a form fits everyone ("Fachkraft im Gastgewerbe", "Reinigungskraft").
pub fn is_neutral_form(form: &str) -> bool {
    !is_female_form(form)
        && form
            .split(|c: char| !c.is_alphabetic())
            .any(|word| word.to_lowercase().ends_with("kraft") || word.ends_with("hilfe"))
}

/// A skill as a person writes it: its label, a synonym or a foreign word, perhaps changed.
pub(super) fn skill_term(rng: &mut impl Rng, skill: &Skill) -> String {
    let synonyms = if skill.synonyms.is_empty() { 0 } else { 30 };
    let foreign = if skill.foreign.is_empty() { 0 } else { 20 };
    match pick(rng, &[(0u8, 50), (1, synonyms), (2, foreign)]) {
        1 => {
            let synonym: &String = one(rng, &skill.synonyms);
            change(rng, synonym, Changes::SKILL)
        }
        2 => {
            let word: &String = one(rng, &skill.foreign);
            change(rng, word, Changes::FOREIGN)
        }
        _ => change(rng, &skill.label, Changes::SKILL),
    }
}

/// Applies each change with its chance.
pub(super) fn change(rng: &mut impl Rng, text: &str, changes: Changes) -> String {
    let mut text = text.to_string();
    if has_umlaut(&text) && chance(rng, changes.umlaut) {
        text = if chance(rng, 70) {
            umlauts_as_digraphs(&text)
        } else {
            umlauts_plain(&text)
        };
    }
    if chance(rng, changes.typo) {
        text = typo(rng, &text);
    }
    if chance(rng, changes.lower) {
        text = text.to_lowercase();
    }
    if chance(rng, changes.gender) && !text.contains('(') {
        text.push_str(" (m/w/d)");
    }
    text
}

/// Whether a text has ä, ö, ü or ß.
pub fn has_umlaut(text: &str) -> bool {
    text.chars().any(|c| "äöüÄÖÜß".contains(c))
}

/// Umlauts spelt with two letters, as on a keyboard without them: "Koechin".
pub fn umlauts_as_digraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// Umlauts spelt as plain vowels: "Kochin", "Kuchenhilfe"; ß as ss.
pub fn umlauts_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'Ä' => out.push('A'),
            'Ö' => out.push('O'),
            'Ü' => out.push('U'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The text without its `i`-th character ("Kellner", 5 → "Kellnr").
pub fn drop_letter(text: &str, i: usize) -> String {
    text.chars()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .map(|(_, c)| c)
        .collect()
}

/// The text with its `i`-th character typed twice ("Koch", 2 → "Kocch").
pub fn double_letter(text: &str, i: usize) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (j, c) in text.chars().enumerate() {
        out.push(c);
        if j == i {
            out.push(c);
        }
    }
    out
}

/// The text with characters `i` and `i + 1` swapped ("Maler", 1 → "Mlaer").
pub fn swap_letters(text: &str, i: usize) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if i + 1 < chars.len() {
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

/// Where a typo is plausible: letters of words of at least four letters,
/// never a word's first letter (people rarely get that one wrong).
fn typo_positions(chars: &[char]) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].is_alphabetic() {
            start += 1;
            continue;
        }
        let end = (start..chars.len())
            .find(|&j| !chars[j].is_alphabetic())
            .unwrap_or(chars.len());
        if end - start >= 4 {
            positions.extend(start + 1..end);
        }
        start = end;
    }
    positions
}

/// One typo in a word of four or more letters: a letter dropped, doubled,
/// or swapped with the next one. Texts without such a word stay as they are.
pub fn typo(rng: &mut impl Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let positions = typo_positions(&chars);
    if positions.is_empty() {
        return text.to_string();
    }
    let i = *one(rng, &positions);
    let swappable = i + 1 < chars.len() && chars[i + 1].is_alphabetic() && chars[i + 1] != chars[i];
    match rng.random_range(0..3) {
        0 => drop_letter(text, i),
        1 => double_letter(text, i),
        _ if swappable => swap_letters(text, i),
        _ => drop_letter(text, i),
    }
}

/// Where a helper works, by the first part of the compound: "Küchen" →
/// "in der Küche". Longer stems first, so "Gartenbau" wins over "Garten".
const HELPER_PLACES: &[(&str, &str)] = &[
    ("kfz-service", "in der Kfz-Werkstatt"),
    ("hauswirtschafts", "in der Hauswirtschaft"),
    ("produktions", "in der Produktion"),
    ("gartenbau", "im Gartenbau"),
    ("haushalts", "im Haushalt"),
    ("verkaufs", "im Verkauf"),
    ("service", "im Service"),
    ("küchen", "in der Küche"),
    ("pflege", "in der Pflege"),
    ("garten", "im Garten"),
    ("lager", "im Lager"),
    ("maler", "beim Maler"),
    ("ernte", "bei der Ernte"),
    ("kfz", "in der Kfz-Werkstatt"),
    ("bau", "auf dem Bau"),
];

/// "Küchenhilfe" or "Lagerhelfer" said the long way: "Hilfe in der Küche",
/// "Hilfe im Lager". `None` for terms that are not a helper compound.
pub fn helper_paraphrase(term: &str) -> Option<String> {
    let lower = term.trim().to_lowercase();
    if lower.contains(' ') {
        return None;
    }
    let stem = ["helferin", "helfer", "hilfskraft", "hilfe"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))?
        .trim_end_matches('-');
    HELPER_PLACES
        .iter()
        .find(|(s, _)| *s == stem)
        .map(|(_, place)| format!("Hilfe {place}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::random::{record_rng, Stream};

    #[test]
    fn letters_are_dropped_doubled_and_swapped() {
        for (got, want) in [
            (drop_letter("Kellner", 5), "Kellnr"),
            (drop_letter("Koch", 9), "Koch"),
            (double_letter("Koch", 2), "Kocch"),
            (double_letter("Köchin", 1), "Kööchin"),
            (swap_letters("Maler", 1), "Mlaer"),
            (swap_letters("Maler", 4), "Maler"),
        ] {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn umlauts_are_spelt_two_ways() {
        assert_eq!(umlauts_as_digraphs("Köchin"), "Koechin");
        assert_eq!(
            umlauts_as_digraphs("Küchenhilfe Übung Straße"),
            "Kuechenhilfe Uebung Strasse"
        );
        assert_eq!(umlauts_plain("Köchin"), "Kochin");
        assert_eq!(
            umlauts_plain("Änderungsschneiderin, Gruß"),
            "Anderungsschneiderin, Gruss"
        );
        assert!(has_umlaut("Bäcker") && has_umlaut("Schweißer") && !has_umlaut("Koch"));
    }

    #[test]
    fn gender_forms_are_told_apart() {
        for (form, female, neutral) in [
            ("Köchin", true, false),
            ("Koch", false, false),
            ("Kauffrau im Einzelhandel", true, false),
            ("Kaufmann im Einzelhandel", false, false),
            ("Malerin und Lackiererin", true, false),
            ("Maschinen- und Anlagenführer", false, false),
            ("Zimmermädchen", true, false),
            ("Fachkraft im Gastgewerbe", false, true),
            ("Küchenhilfe", false, true),
        ] {
            assert_eq!(is_female_form(form), female, "{form}");
            assert_eq!(is_neutral_form(form), neutral, "{form}");
        }
    }

    #[test]
    fn helpers_are_paraphrased() {
        for (term, want) in [
            ("Küchenhilfe", Some("Hilfe in der Küche")),
            ("Küchenhelferin", Some("Hilfe in der Küche")),
            ("Lagerhelfer", Some("Hilfe im Lager")),
            ("Gartenbauhelfer", Some("Hilfe im Gartenbau")),
            ("Hauswirtschaftshelfer", Some("Hilfe in der Hauswirtschaft")),
            ("Kfz-Helfer", Some("Hilfe in der Kfz-Werkstatt")),
            ("Servicehilfskraft", Some("Hilfe im Service")),
            ("Koch", None),
            ("Produktionshelfer Lebensmittel", None),
            ("Zahnarzthelfer", None),
        ] {
            assert_eq!(helper_paraphrase(term).as_deref(), want, "{term}");
        }
    }

    #[test]
    fn typos_change_one_letter_inside_a_long_word() {
        let mut rng = record_rng(3, Stream::Profile, 0);
        for _ in 0..500 {
            let t = typo(&mut rng, "Koch in Hotel");
            assert_ne!(t, "Koch in Hotel");
            assert!(t.starts_with("K") && t.contains(" in H"), "{t}");
            let diff = t.chars().count() as i64 - 13;
            assert!(diff.abs() <= 1, "{t}");
        }
        // Nothing to misspell: short words only.
        assert_eq!(typo(&mut rng, "Bau"), "Bau");
        assert_eq!(typo(&mut rng, ""), "");
    }

    #[test]
    fn changes_keep_the_term_recognisable() {
        let mut rng = record_rng(4, Stream::Profile, 0);
        let always = Changes {
            umlaut: 100,
            typo: 0,
            lower: 100,
            gender: 100,
        };
        let t = change(&mut rng, "Köchin", always);
        assert!(t == "koechin (m/w/d)" || t == "kochin (m/w/d)", "{t}");
        let never = Changes {
            umlaut: 0,
            typo: 0,
            lower: 0,
            gender: 0,
        };
        assert_eq!(change(&mut rng, "Köchin", never), "Köchin");
        for _ in 0..200 {
            let t = change(&mut rng, "Gabelstaplerfahrer", Changes::OCCUPATION);
            assert!(!t.trim().is_empty());
        }
    }
}
