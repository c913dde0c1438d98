//! The whole KldB 2010 (Fassung 2020) of the Bundesagentur für Arbeit:
//! every Berufsgattung (5-digit code) with its title, short title, place in
//! the hierarchy, "Einschlüsse" activities and every official job title
//! ("Zugeordnete Berufe"), read from `occupations/kldb/` of a data folder.
//!
//! Every group becomes an [`Occupation`] of the catalogue ([`merge`]); a
//! curated record carrying the group's code enriches it instead (its skills,
//! requirements and German minimum win, the group's titles are added to its
//! labels). Groups without a curated record get no skills and their kind
//! and German minimum from the Anforderungsniveau ([`KldbDefaults`]).

use super::{Occupation, OccupationKind};
use crate::cefr::Cefr;
use crate::error::{Diagnostic, Error, Result};
use crate::records::{self, DataDir};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// File name of the official classification inside `occupations/kldb/`.
pub const SOURCE_FILE: &str = "kldb2010-v2020-gliederung.csv";

/// One Berufsgattung of the KldB 2010.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KldbGroup {
    /// 5 digits, with the leading zero of the military area restored.
    pub code: String,
    /// "Köche/Köchinnen (ohne Spezialisierung) – fachlich ausgerichtete Tätigkeiten".
    pub title: String,
    /// "Köche/Köchinnen (o.S.) - Fachkraft".
    pub short_title: String,
    /// Titles of the Berufsbereich, -hauptgruppe, -gruppe and -untergruppe.
    pub hierarchy: Vec<String>,
    /// The "Einschlüsse": typical activities.
    pub activities: Vec<String>,
    /// The official job titles ("Zugeordnete Berufe (Beispiele)").
    pub titles: Vec<JobTitle>,
    /// Colloquial German words for the group (`everyday.ron`, not the BA's).
    #[serde(default)]
    pub everyday: Vec<String>,
    /// English and French words for the group (`everyday.ron`).
    #[serde(default)]
    pub foreign: Vec<String>,
}

/// File name of the colloquial and foreign words per group.
pub const EVERYDAY_FILE: &str = "everyday.ron";

/// One entry of `everyday.ron`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Everyday {
    kldb: String,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    foreign: Vec<String>,
}

/// The KldB groups of a data folder, with the words of `everyday.ron`
/// attached; empty when the folder has no `occupations/kldb/`.
pub fn load(data: &DataDir) -> Result<Vec<Arc<KldbGroup>>> {
    let dir = data.catalogue().join("kldb");
    let path = dir.join(SOURCE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut groups = parse(&path, &text).map_err(|d| Error::Invalid(vec![d]))?;
    let everyday_path = dir.join(EVERYDAY_FILE);
    if everyday_path.is_file() {
        let text =
            std::fs::read_to_string(&everyday_path).map_err(|e| Error::io(&everyday_path, e))?;
        let entries: Vec<Everyday> =
            records::parse(&everyday_path, &text).map_err(|d| Error::Invalid(vec![d]))?;
        let ix: HashMap<String, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.code.clone(), i))
            .collect();
        let mut unknown = Vec::new();
        for e in entries {
            match ix.get(&e.kldb) {
                Some(&i) => {
                    groups[i].everyday.extend(e.words);
                    groups[i].foreign.extend(e.foreign);
                }
                None => unknown.push(Diagnostic::file(
                    &everyday_path,
                    format!(
                        "unbekannter KldB-Code „{}“: keine Berufsgattung der KldB 2010",
                        e.kldb
                    ),
                )),
            }
        }
        if !unknown.is_empty() {
            return Err(Error::Invalid(unknown));
        }
    }
    Ok(groups.into_iter().map(Arc::new).collect())
}

/// One official job title with its 8-character code ("29302-100").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobTitle {
    pub code: String,
    pub title: String,
}

impl KldbGroup {
    /// The Anforderungsniveau (5th digit): 1 Helfer … 4 Experte.
    pub fn level(&self) -> u8 {
        self.code
            .as_bytes()
            .get(4)
            .map_or(0, |b| b.wrapping_sub(b'0'))
    }
}

/// German name of an Anforderungsniveau.
pub fn level_label(level: u8) -> &'static str {
    match level {
        1 => "Helfer",
        2 => "Fachkraft",
        3 => "Spezialist",
        4 => "Experte",
        _ => "unbekannt",
    }
}

/// Kind and German minimum of a KldB group without a curated record, by
/// Anforderungsniveau (part of the configuration, `kldb` in `lotse.ron`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KldbDefaults {
    pub helfer: LevelDefaults,
    pub fachkraft: LevelDefaults,
    pub spezialist: LevelDefaults,
    pub experte: LevelDefaults,
}

/// The derived defaults of one Anforderungsniveau.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDefaults {
    pub kind: OccupationKind,
    pub min_german: Cefr,
}

impl Default for KldbDefaults {
    fn default() -> Self {
        KldbDefaults {
            helfer: LevelDefaults {
                kind: OccupationKind::Helfertaetigkeit,
                min_german: Cefr::A2,
            },
            fachkraft: LevelDefaults {
                kind: OccupationKind::Ausbildungsberuf,
                min_german: Cefr::B1,
            },
            spezialist: LevelDefaults {
                kind: OccupationKind::Ausbildungsberuf,
                min_german: Cefr::B2,
            },
            experte: LevelDefaults {
                kind: OccupationKind::Studienberuf,
                min_german: Cefr::C1,
            },
        }
    }
}

impl KldbDefaults {
    fn for_level(&self, level: u8) -> &LevelDefaults {
        match level {
            1 => &self.helfer,
            2 => &self.fachkraft,
            3 => &self.spezialist,
            _ => &self.experte,
        }
    }
}

/// The id of a KldB group without a curated record.
pub fn group_id(code: &str) -> String {
    format!("kldb-{code}")
}

/// Parses the official CSV (UTF-8 with BOM, `;`-separated). Problems name
/// the line.
pub fn parse(path: &Path, text: &str) -> std::result::Result<Vec<KldbGroup>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut above: HashMap<String, String> = HashMap::new();
    let mut groups = Vec::with_capacity(1301);
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::at(path, line, 1, format!("KldB-Datei nicht lesbar: {e}"))
        })?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| row.get(i).map(clean).unwrap_or_default();
        let level: usize = match row.get(1).map(str::trim).and_then(|l| l.parse().ok()) {
            Some(l @ 1..=5) => l,
            _ => {
                return Err(Diagnostic::at(
                    path,
                    line,
                    1,
                    "Ebene fehlt oder ist keine Zahl von 1 bis 5",
                ))
            }
        };
        let raw = row.get(0).unwrap_or("").trim();
        if raw.is_empty() || raw.len() > level || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Diagnostic::at(
                path,
                line,
                1,
                format!("Schlüssel „{raw}“ passt nicht zur Ebene {level}"),
            ));
        }
        // The military area lost its leading zero ("1104" = "01104").
        let code = format!("{raw:0>level$}");
        let title = field(2);
        if level < 5 {
            above.insert(code, title);
            continue;
        }
        let hierarchy = (1..5)
            .map(|n| above.get(&code[..n]).cloned().unwrap_or_default())
            .collect();
        groups.push(KldbGroup {
            short_title: field(3),
            activities: activities(&field(5)),
            titles: job_titles(&field(6)),
            hierarchy,
            title,
            code,
            everyday: Vec::new(),
            foreign: Vec::new(),
        });
    }
    if groups.is_empty() {
        return Err(Diagnostic::file(
            path,
            "keine Berufsgattungen (Ebene 5) in der KldB-Datei",
        ));
    }
    Ok(groups)
}

/// HTML entities of the source replaced, spaces kept as they are.
fn clean(field: &str) -> String {
    field.replace("&nbsp;", " ").replace("&amp;", "&")
}

/// The "Einschlüsse" are separated by runs of three spaces.
fn activities(field: &str) -> Vec<String> {
    field
        .split("   ")
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The job titles of "Zugeordnete Berufe (Beispiele):  29302-100 Koch/Köchin  …":
/// each starts at a code of 5 digits, a dash and 3 digits.
fn job_titles(field: &str) -> Vec<JobTitle> {
    let bytes = field.as_bytes();
    let is_code = |i: usize| {
        i + 9 <= bytes.len()
            && bytes[i..i + 5].iter().all(u8::is_ascii_digit)
            && bytes[i + 5] == b'-'
            && bytes[i + 6..i + 9].iter().all(u8::is_ascii_digit)
            && (i == 0 || bytes[i - 1] == b' ')
            && bytes.get(i + 9).is_none_or(|b| *b == b' ')
    };
    let starts: Vec<usize> = (0..bytes.len()).filter(|&i| is_code(i)).collect();
    starts
        .iter()
        .enumerate()
        .filter_map(|(n, &s)| {
            let end = starts.get(n + 1).copied().unwrap_or(bytes.len());
            let title = field[s + 9..end].trim();
            (!title.is_empty()).then(|| JobTitle {
                code: field[s..s + 9].to_string(),
                title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            })
        })
        .collect()
}

/// The written forms of an official title, gender forms split:
/// "Koch/Köchin" → Koch, Köchin; "Lagerarbeiter/in" → Lagerarbeiter,
/// Lagerarbeiterin; "Großküchenkoch/-köchin" → Großküchenkoch,
/// Großküchenköchin; "Gehilf(e/in)" → Gehilfe, Gehilfin;
/// "Landwirtschaftliche(r)" → Landwirtschaftlicher. Qualifiers after a dash
/// or in parentheses stay part of every form.
pub fn title_forms(title: &str) -> Vec<String> {
    let mut masc: Vec<String> = Vec::new();
    let mut fem: Vec<String> = Vec::new();
    let mut differs = false;
    for word in title.split(' ') {
        let (m, f) = word_forms(word);
        differs |= m != f;
        masc.push(m);
        fem.push(f);
    }
    let m = masc.join(" ");
    let f = fem.join(" ");
    if differs && f != m {
        vec![m, f]
    } else {
        vec![m]
    }
}

/// Masculine and feminine form of one word of a title.
fn word_forms(word: &str) -> (String, String) {
    // "Gehilf(e/in)", "Beamt(er/in)", "Landwirtschaftliche(r)".
    if let Some(open) = word.find('(') {
        if let Some(close) = word[open..].find(')').map(|c| open + c) {
            let stem = &word[..open];
            let inner = &word[open + 1..close];
            let tail = &word[close + 1..];
            if !stem.is_empty() && inner.len() <= 8 && !inner.contains(' ') {
                if let Some((a, b)) = inner.split_once('/') {
                    return (format!("{stem}{a}{tail}"), format!("{stem}{b}{tail}"));
                }
                if inner.chars().all(char::is_lowercase) {
                    return (format!("{stem}{inner}{tail}"), format!("{stem}{tail}"));
                }
            }
        }
    }
    let Some(slash) = word.find('/') else {
        return (word.to_string(), word.to_string());
    };
    let first = &word[..slash];
    let second = &word[slash + 1..];
    if first.is_empty() || second.is_empty() {
        return (word.to_string(), word.to_string());
    }
    // A trailing comma or dash belongs to the whole word.
    let (second, punct) = match second.strip_suffix([',', ';']) {
        Some(s) => (s, &second[s.len()..]),
        None => (second, ""),
    };
    if second == "in" || second == "-in" {
        return (format!("{first}{punct}"), format!("{first}in{punct}"));
    }
    if second.len() <= 2 && second.chars().all(char::is_lowercase) {
        // "Sachverständige/r", "Angestellte/r".
        return (format!("{first}{second}{punct}"), format!("{first}{punct}"));
    }
    if second == "innen" || second == "-innen" {
        return (format!("{first}{punct}"), format!("{first}innen{punct}"));
    }
    if let Some(ending) = second.strip_prefix('-') {
        // "Hotelfachmann/-frau", "Großküchenkoch/-köchin", "Weinbaugehilfe/-gehilfin".
        let stem = ["mann", "frau"]
            .iter()
            .find_map(|e| first.strip_suffix(e))
            .or_else(|| {
                let lead = ending.chars().next()?.to_lowercase().next()?;
                let fold = |c: char| match c {
                    'ä' => 'a',
                    'ö' => 'o',
                    'ü' => 'u',
                    c => c,
                };
                first
                    .char_indices()
                    .rev()
                    .find(|(_, c)| fold(c.to_lowercase().next().unwrap_or(*c)) == fold(lead))
                    .map(|(i, _)| &first[..i])
            })
            .unwrap_or(first);
        return (format!("{first}{punct}"), format!("{stem}{ending}{punct}"));
    }
    // "Koch/Köchin", "Fütterer/Fütterin": two whole words; a lowercase
    // second word continues the first ("Teilkoch/köchin").
    if second.chars().next().is_some_and(char::is_lowercase) && first.len() > second.len() {
        let lead = second.chars().next().unwrap_or(' ');
        if let Some((i, _)) = first
            .char_indices()
            .rev()
            .find(|(_, c)| c.to_lowercase().next() == Some(lead))
        {
            return (
                format!("{first}{punct}"),
                format!("{}{second}{punct}", &first[..i]),
            );
        }
    }
    (format!("{first}{punct}"), format!("{second}{punct}"))
}

/// Every KldB group as an occupation: curated records first, in their order,
/// each enriched with its group; then one occupation per group without a
/// curated record, by code. A group shared by several curated records
/// enriches each of them.
pub fn merge(
    mut curated: Vec<Occupation>,
    groups: &[Arc<KldbGroup>],
    defaults: &KldbDefaults,
) -> Vec<Occupation> {
    let by_code: HashMap<&str, &Arc<KldbGroup>> =
        groups.iter().map(|g| (g.code.as_str(), g)).collect();
    let mut covered: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for o in &mut curated {
        o.curated = true;
        if let Some(g) = by_code.get(o.kldb.as_str()) {
            o.group = Some(Arc::clone(g));
            covered.insert(g.code.as_str());
        }
    }
    for g in groups {
        if covered.contains(g.code.as_str()) {
            continue;
        }
        let d = defaults.for_level(g.level());
        curated.push(Occupation {
            id: group_id(&g.code),
            title: g.short_title.clone(),
            forms: Vec::new(),
            synonyms: Vec::new(),
            foreign: Vec::new(),
            kldb: g.code.clone(),
            isco: None,
            esco: None,
            kind: d.kind,
            min_german: d.min_german,
            skills: Vec::new(),
            requirements: Vec::new(),
            related: Vec::new(),
            duration_months: None,
            group: Some(Arc::clone(g)),
            curated: false,
        });
    }
    curated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_forms_of_official_titles() {
        for (title, expected) in [
            ("Koch/Köchin", vec!["Koch", "Köchin"]),
            ("Lagerarbeiter/in", vec!["Lagerarbeiter", "Lagerarbeiterin"]),
            (
                "Großküchenkoch/-köchin",
                vec!["Großküchenkoch", "Großküchenköchin"],
            ),
            (
                "Weinbaugehilfe/-gehilfin",
                vec!["Weinbaugehilfe", "Weinbaugehilfin"],
            ),
            (
                "Hotelfachmann/-frau",
                vec!["Hotelfachmann", "Hotelfachfrau"],
            ),
            (
                "Fachmann/-frau - Restaurants und Veranstaltungsgastronomie",
                vec![
                    "Fachmann - Restaurants und Veranstaltungsgastronomie",
                    "Fachfrau - Restaurants und Veranstaltungsgastronomie",
                ],
            ),
            (
                "Landwirtschaftliche(r) Gehilf(e/in) (Verwaltung)",
                vec![
                    "Landwirtschaftlicher Gehilfe (Verwaltung)",
                    "Landwirtschaftliche Gehilfin (Verwaltung)",
                ],
            ),
            ("Teilkoch/köchin", vec!["Teilkoch", "Teilköchin"]),
            (
                "Lebensmittelsachverständige/r",
                vec![
                    "Lebensmittelsachverständiger",
                    "Lebensmittelsachverständige",
                ],
            ),
            (
                "Helfer/in - Gartenbau",
                vec!["Helfer - Gartenbau", "Helferin - Gartenbau"],
            ),
            ("Commis de cuisine", vec!["Commis de cuisine"]),
        ] {
            assert_eq!(title_forms(title), expected, "{title}");
        }
    }

    #[test]
    fn parses_groups_titles_and_hierarchy() {
        let csv = "\u{feff}Schlüssel KldB 2010, V. 2020;Ebene;Titel;Kurztitel;Allgemeine Bemerkungen;Einschlüsse;Umfasst ferner;Ausschlüsse;\n\
            2;1;Rohstoffgewinnung, Produktion und Fertigung;Produktion;;;;;\n\
            29;2;Lebensmittelherstellung und -verarbeitung;Lebensmittel;;;;;\n\
            293;3;Speisenzubereitung;Speisenzubereitung;;;;;\n\
            2930;4;Köche/Köchinnen (ohne Spezialisierung);Köche (o.S.);;;;;\n\
            29302;5;Köche/Köchinnen (ohne Spezialisierung) – fachlich ausgerichtete Tätigkeiten;Köche/Köchinnen (o.S.) - Fachkraft;x;\"Speisen anrichten   Temperatur von Öfen einstellen, z.&nbsp;B. Grills\";Zugeordnete Berufe (Beispiele):  29302-100 Koch/Köchin  29302-155 Fachkraft - Küche;;\n\
            0;1;Militär;Militär;;;;;\n\
            1;2;Streitkräfte;Streitkräfte;;;;;\n\
            11;3;Offiziere;Offiziere;;;;;\n\
            110;4;Offiziere;Offiziere;;;;;\n\
            1104;5;Offiziere;Offiziere;;;Zugeordnete Berufe (Beispiele):  01104-101 Offizier - Militärfachlicher Dienst;;\n";
        let groups = parse(Path::new("k.csv"), csv).unwrap();
        assert_eq!(groups.len(), 2);
        let koch = &groups[0];
        assert_eq!(koch.code, "29302");
        assert_eq!(koch.level(), 2);
        assert_eq!(
            koch.hierarchy[1],
            "Lebensmittelherstellung und -verarbeitung"
        );
        assert_eq!(koch.hierarchy[3], "Köche/Köchinnen (ohne Spezialisierung)");
        assert_eq!(
            koch.activities,
            vec![
                "Speisen anrichten",
                "Temperatur von Öfen einstellen, z. B. Grills"
            ]
        );
        assert_eq!(koch.titles.len(), 2);
        assert_eq!(koch.titles[1].code, "29302-155");
        assert_eq!(koch.titles[1].title, "Fachkraft - Küche");
        assert_eq!(groups[1].code, "01104");
        assert_eq!(groups[1].hierarchy[0], "Militär");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let csv = "Schlüssel;Ebene;Titel\n2;1;Produktion\n123456;5;Zu lang\n";
        let d = parse(Path::new("k.csv"), csv).unwrap_err();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("123456"), "{}", d.message);
    }

    #[test]
    fn the_shipped_classification_is_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("occupations/kldb")
            .join(SOURCE_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        let groups = parse(&path, &text).unwrap();
        assert_eq!(groups.len(), 1301);
        let titles: usize = groups.iter().map(|g| g.titles.len()).sum();
        assert_eq!(titles, 18_838);
        assert!(groups
            .iter()
            .all(|g| g.hierarchy.iter().all(|h| !h.is_empty())));
        assert!(groups.iter().all(|g| (1..=4).contains(&g.level())));
        // The code list validation reads holds exactly the same groups.
        let list = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("occupations/kldb2010-codes.csv"),
        )
        .unwrap();
        let mut listed: Vec<&str> = list
            .lines()
            .skip(1)
            .filter_map(|l| l.split(';').next())
            .collect();
        listed.sort_unstable();
        let mut codes: Vec<&str> = groups.iter().map(|g| g.code.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(listed, codes);
    }
}
