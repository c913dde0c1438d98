//! Probable duplicates: two records that are probably the same person.
//!
//! Two profiles are a probable pair when their names fold to the same key
//! and they share the birth year or the postcode (both known). The name key
//! is built so that spellings of one name meet:
//!
//! 1. [`crate::text::fold`]: case, umlauts (ü → ue), ß, accents;
//! 2. each word is mapped through a small table of transliteration variants
//!    of common names (Mohammed, Muhammad, Mohamad … → `muhammad`; Yusuf,
//!    Youssef, Jussuf … → `yusuf`; see [`VARIANTS`]);
//! 3. other words lose doubled letters and `h` after a consonant, and `ou`,
//!    `oo` become `u`, `ee` becomes `i`, `j` at the start becomes `y`
//!    (Hassan = Hasan, Youness = Yunes);
//! 4. the words of given and family name together are sorted, so swapped
//!    name fields (common when names are written in another order) still meet.
//!
//! The check is a hint for a person, never a merge: callers report the pair
//! with both ids and let the advisor decide (`--allow-duplicates`).

use crate::profile::Profile;
use crate::text::fold;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Transliteration variants of common given names: every spelling of a row
/// folds to its first entry.
pub const VARIANTS: &[&[&str]] = &[
    &[
        "muhammad", "mohammed", "mohammad", "mohamad", "mohamed", "muhammed", "mohamd", "mouhamad",
        "muhamad", "mehmet", "mohammet",
    ],
    &[
        "yusuf", "youssef", "yousef", "youssouf", "yussuf", "jussuf", "yosef", "yusef", "yousif",
        "yousuf",
    ],
    &["ahmad", "ahmed", "ahmet"],
    &[
        "husain", "hussein", "hussain", "hossein", "husein", "hüseyin", "hueseyin",
    ],
    &["mustafa", "mostafa", "moustafa", "mustapha"],
    &["abdullah", "abdallah", "abdulla"],
    &["umar", "omar", "omer", "ömer", "oemer"],
    &["uthman", "osman", "usman", "othman"],
    &["ibrahim", "ebrahim", "ibraheem"],
    &["khalid", "khaled", "chalid"],
    &["fatima", "fatma", "fatemeh", "fatme"],
    &["aisha", "ayesha", "aischa", "aysha", "aicha"],
    &["mahmud", "mahmoud"],
    &["said", "saeed", "sayed", "saied"],
    &["zainab", "zaynab", "zeinab"],
    &["maryam", "mariam", "meryem"],
];

/// The comparison key of one word of a name.
fn word_key(word: &str) -> String {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        VARIANTS
            .iter()
            .flat_map(|row| row.iter().map(|v| (fold(v), row[0])))
            .collect()
    });
    let word = word.replace('ı', "i");
    if let Some(canonical) = table.get(&word) {
        return canonical.to_string();
    }
    let mut w = word
        .replace("ou", "u")
        .replace("oo", "u")
        .replace("ee", "i");
    if let Some(rest) = w.strip_prefix('j') {
        w = format!("y{rest}");
    }
    let mut out = String::with_capacity(w.len());
    let mut previous: Option<char> = None;
    for c in w.chars() {
        let after_consonant = previous.is_some_and(|p| p.is_alphabetic() && !"aeiouy".contains(p));
        if Some(c) == previous || (c == 'h' && after_consonant) {
            continue;
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// The name key of a person: the keys of all words of both names, sorted.
pub fn name_key(given_name: &str, family_name: &str) -> String {
    let mut words: Vec<String> = fold(&format!("{given_name} {family_name}"))
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(word_key)
        .collect();
    words.sort();
    words.join(" ")
}

/// What a person is compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub key: String,
    pub birth_year: Option<u16>,
    pub postcode: Option<String>,
}

impl Person {
    pub fn of(profile: &Profile) -> Person {
        let i = &profile.identity;
        Person {
            id: profile.id.clone(),
            name: format!("{} {}", i.given_name, i.family_name),
            key: name_key(&i.given_name, &i.family_name),
            birth_year: i.birth_year,
            postcode: profile.residence.as_ref().and_then(|r| r.postcode.clone()),
        }
    }
}

/// Why two people are probably one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    BirthYear(u16),
    Postcode,
}

/// Why `a` and `b` (with the same name key) are a probable pair, if they are.
pub fn reason(a: &Person, b: &Person) -> Option<Reason> {
    if a.key != b.key || a.key.is_empty() {
        return None;
    }
    match (a.birth_year, b.birth_year) {
        (Some(x), Some(y)) if x == y => return Some(Reason::BirthYear(x)),
        _ => {}
    }
    match (&a.postcode, &b.postcode) {
        (Some(x), Some(y)) if x == y => Some(Reason::Postcode),
        _ => None,
    }
}

/// The German explanation of a pair, e.g. „gleicher Name, Geburtsjahr 1991“.
pub fn explain(reason: Reason, a: &Person) -> String {
    match reason {
        Reason::BirthYear(y) => format!("gleicher Name, gleiches Geburtsjahr {y}"),
        Reason::Postcode => format!(
            "gleicher Name, gleiche Postleitzahl {}",
            a.postcode.as_deref().unwrap_or("")
        ),
    }
}

/// A probable pair: indexes into the list given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub first: usize,
    pub second: usize,
    pub reason: Reason,
}

/// Every probable pair among `people` (first < second), in order of `first`
/// then `second`. People are grouped by name key, so this is linear in the
/// number of people plus the pairs within a group.
pub fn pairs(people: &[Person]) -> Vec<Pair> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        groups.entry(p.key.as_str()).or_default().push(i);
    }
    let mut pairs = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if let Some(reason) = reason(&people[a], &people[b]) {
                    pairs.push(Pair {
                        first: a,
                        second: b,
                        reason,
                    });
                }
            }
        }
    }
    pairs.sort_by_key(|p| (p.first, p.second));
    pairs
}

/// People on file grouped by name key, to look new ones up.
pub struct OnFile {
    people: Vec<Person>,
    by_key: HashMap<String, Vec<usize>>,
}

impl OnFile {
    pub fn new(people: Vec<Person>) -> OnFile {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            by_key.entry(p.key.clone()).or_default().push(i);
        }
        OnFile { people, by_key }
    }

    /// The people on file who are probably `person` (never the record with
    /// `person`'s own id: replacing a record is not a duplicate).
    pub fn matches<'a>(&'a self, person: &'a Person) -> impl Iterator<Item = (&'a Person, Reason)> {
        self.by_key
            .get(&person.key)
            .into_iter()
            .flatten()
            .map(|&i| &self.people[i])
            .filter(|p| !p.id.eq_ignore_ascii_case(&person.id))
            .filter_map(|p| reason(person, p).map(|r| (p, r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, given: &str, family: &str, year: Option<u16>, plz: Option<&str>) -> Person {
        Person {
            id: id.into(),
            name: format!("{given} {family}"),
            key: name_key(given, family),
            birth_year: year,
            postcode: plz.map(str::to_string),
        }
    }

    #[test]
    fn spellings_of_one_name_meet() {
        for (a, b) in [
            (("Mohammed", "Al-Hassan"), ("Muhammad", "Al Hasan")),
            (("Mohamad", "Rahimi"), ("Muhammed", "Rahimi")),
            (("Yusuf", "Haddad"), ("Youssef", "Haddad")),
            (("Jussuf", "Haddad"), ("Yousef", "HADDAD")),
            (("Amina", "Müller"), ("Amina", "Mueller")),
            (("Hamid", "Karimi"), ("Karimi", "Hamid")),
            (("Fatma", "Yılmaz"), ("Fatima", "Yilmaz")),
        ] {
            assert_eq!(name_key(a.0, a.1), name_key(b.0, b.1), "{a:?} {b:?}");
        }
        for (a, b) in [
            (("Amina", "Haddad"), ("Amir", "Haddad")),
            (("Yusuf", "Haddad"), ("Yunus", "Haddad")),
            (("Ali", "Rahimi"), ("Ali", "Rahman")),
        ] {
            assert_ne!(name_key(a.0, a.1), name_key(b.0, b.1), "{a:?} {b:?}");
        }
    }

    #[test]
    fn a_pair_needs_the_name_and_a_birth_year_or_postcode() {
        let a = person("P-1", "Mohammed", "Haddad", Some(1991), Some("56068"));
        let same_year = person("P-2", "Muhammad", "Haddad", Some(1991), None);
        let same_place = person("P-3", "Mohamad", "Haddad", Some(1990), Some("56068"));
        let neither = person("P-4", "Mohamed", "Haddad", Some(1985), Some("56727"));
        let unknown = person("P-5", "Mohammed", "Haddad", None, None);
        assert_eq!(reason(&a, &same_year), Some(Reason::BirthYear(1991)));
        assert_eq!(reason(&a, &same_place), Some(Reason::Postcode));
        assert_eq!(reason(&a, &neither), None);
        assert_eq!(reason(&a, &unknown), None);
        let people = vec![a, same_year, same_place, neither, unknown];
        let found: Vec<(usize, usize)> =
            pairs(&people).iter().map(|p| (p.first, p.second)).collect();
        assert_eq!(found, [(0, 1), (0, 2)]);
        let on_file = OnFile::new(people.clone());
        let ids: Vec<&str> = on_file
            .matches(&people[0])
            .map(|(p, _)| p.id.as_str())
            .collect();
        assert_eq!(ids, ["P-2", "P-3"]);
    }
}
