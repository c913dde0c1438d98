//! Text normalisation for fuzzy matching: folding (umlauts, ß, accents,
//! case), gender forms, tokens and German compounds.
//!
//! Both sides of every comparison go through the same functions, so that
//! "Koechin", "Köchin" and "KÖCHIN" meet as `koechin`.

mod compound;

pub use compound::Decompounder;

use unicode_normalization::UnicodeNormalization;

/// Folds text for comparison: lowercase, ä→ae, ö→oe, ü→ue, ß→ss, other
/// accents dropped (é→e), everything but letters and digits becomes a space,
/// spaces collapsed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if c.is_alphanumeric() => {
                // é → e, ç → c …; letters of other scripts are kept as they are.
                let base: String = c.nfd().filter(|m| !is_combining_mark(*m)).collect();
                out.push_str(&base);
            }
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Removes gender markers so that "Koch (m/w/d)", "Verkäufer:in",
/// "Verkäufer*in", "Verkäufer/-in", "VerkäuferIn" become the base form.
/// Slash forms with a full second word ("Koch/Köchin") are split by
/// [`alternatives`] instead.
pub fn strip_gender(text: &str) -> String {
    // Every marker has one of these characters (most terms have none).
    if !text.contains(MARKER_CHARS) {
        return text.trim().to_string();
    }
    let mut s = text.to_string();
    // The markers are ASCII and found in any case, in a copy with ASCII
    // letters lower-cased, whose bytes stand where the text's stand (a
    // full lower-casing moves them after a letter whose lower case is
    // longer, "İ"). Both are changed alike.
    let mut lower = text.to_ascii_lowercase();
    for marker in [
        "(m/w/d)", "(w/m/d)", "(m/w/x)", "(m/w/i)", "(d/m/w)", "(m/f/d)", "(f/m/d)", "(m/w)",
        "(w/m)", "(m/f)", "(gn)", "(gn*)", "m/w/d", "w/m/d",
    ] {
        // A space never begins or completes a marker: the text before a
        // replaced one holds no other.
        let mut from = 0;
        while let Some(found) = lower[from..].find(marker) {
            let at = from + found..from + found + marker.len();
            s.replace_range(at.clone(), " ");
            lower.replace_range(at.clone(), " ");
            from = at.start + 1;
        }
    }
    for marker in SUFFIX_MARKERS {
        if let Some((text, lowered)) = without_suffix_marker(&s, &lower, marker) {
            (s, lower) = (text, lowered);
        }
    }
    // Binnen-I: "VerkäuferIn", "KöchInnen" (a capital I after a lowercase letter).
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_lower = i > 0 && chars[i - 1].is_lowercase();
        if c == 'I' && prev_lower && chars.get(i + 1) == Some(&'n') {
            let end = if chars.get(i + 2) == Some(&'n')
                && chars.get(i + 3) == Some(&'e')
                && chars.get(i + 4) == Some(&'n')
            {
                i + 5
            } else {
                i + 2
            };
            if chars.get(end).is_none_or(|c| !c.is_alphanumeric()) {
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out.trim().to_string()
}

/// The feminine form a gender marker stands for, where the text has one:
/// "Köch:in" → "Köchin", "Verkäufer/-in" → "Verkäuferin", "KöchIn" →
/// "Köchin". The stem before the marker may carry an umlaut that the
/// masculine form lacks, so both forms are worth resolving.
pub fn feminine(text: &str) -> Option<String> {
    if !text.contains(MARKER_CHARS) {
        return None;
    }
    let mut out = text.to_string();
    let mut changed = false;
    for marker in SUFFIX_MARKERS {
        if !out.contains(marker) {
            continue;
        }
        let joined = if marker.contains("innen") {
            "innen"
        } else {
            "in"
        };
        let next = out.replace(marker, joined);
        changed |= next != out;
        out = next;
    }
    for (from, to) in [("Innen", "innen"), ("In", "in")] {
        if !out.contains(from) {
            continue;
        }
        let chars: Vec<char> = out.chars().collect();
        let mut rebuilt = String::with_capacity(out.len());
        let mut i = 0;
        while i < chars.len() {
            let rest: String = chars[i..].iter().take(from.len()).collect();
            let prev_lower = i > 0 && chars[i - 1].is_lowercase();
            let after = chars.get(i + from.len());
            if prev_lower && rest == from && after.is_none_or(|c| !c.is_alphanumeric()) {
                rebuilt.push_str(to);
                i += from.len();
                changed = true;
            } else {
                rebuilt.push(chars[i]);
                i += 1;
            }
        }
        out = rebuilt;
    }
    changed.then_some(out)
}

/// The characters of which every gender marker has one: "(m/w/d)", ":in",
/// "*innen", "_in", "/-in", and the capital I of "VerkäuferIn".
const MARKER_CHARS: [char; 6] = ['(', '/', ':', '*', '_', 'I'];

/// The gender markers that end a word: ":in" of "Verkäufer:in".
const SUFFIX_MARKERS: [&str; 12] = [
    ":innen", "*innen", "_innen", "/-innen", "/innen", ":in", "*in", "_in", "/-in", "/in", "(in)",
    "(-in)",
];

/// `s` and its ASCII-lower-cased copy `lower` without a marker like ":in"
/// (found in `lower`, so in any case) where it ends a word; `None` where
/// there is none.
fn without_suffix_marker(s: &str, lower: &str, marker: &str) -> Option<(String, String)> {
    // Case mapping never makes punctuation: without the marker's first
    // character there is nothing to remove.
    if !marker.chars().next().is_some_and(|c| s.contains(c)) {
        return None;
    }
    let (mut out, mut out_lower) = (String::with_capacity(s.len()), String::new());
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(marker) {
        let start = from + found;
        let end = start + marker.len();
        let word_end = s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        let after_word = s[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        if word_end && after_word {
            out.push_str(&s[last..start]);
            out_lower.push_str(&lower[last..start]);
            last = end;
        }
        from = end;
    }
    if last == 0 {
        return None;
    }
    out.push_str(&s[last..]);
    out_lower.push_str(&lower[last..]);
    Some((out, out_lower))
}

/// The alternatives of a slash form: "Koch/Köchin" → ["Koch", "Köchin"],
/// "Hotelfachmann/-frau" → ["Hotelfachmann", "Hotelfachfrau"],
/// "Fachmann/-frau für Restaurants" → both with the rest kept.
pub fn alternatives(text: &str) -> Vec<String> {
    let text = strip_gender(text);
    let Some(slash) = text.find('/') else {
        return vec![text];
    };
    let head = &text[..slash];
    let rest = &text[slash + 1..];
    let (second, tail) = match rest.find(char::is_whitespace) {
        Some(ws) => (&rest[..ws], &rest[ws..]),
        None => (rest, ""),
    };
    let first_word_start = head.rfind(char::is_whitespace).map_or(0, |p| p + 1);
    let prefix = &head[..first_word_start];
    let first = &head[first_word_start..];
    let second = if let Some(ending) = second.strip_prefix('-') {
        // "-frau" replaces the end of the first word: "Hotelfachmann" → "Hotelfach" + "frau".
        let stem = ["mann", "frau", "er", "in"]
            .iter()
            .find_map(|e| first.strip_suffix(e))
            .unwrap_or(first);
        format!("{stem}{ending}")
    } else {
        second.to_string()
    };
    vec![
        format!("{prefix}{first}{tail}").trim().to_string(),
        format!("{prefix}{second}{tail}").trim().to_string(),
    ]
}

/// Words that carry no meaning for matching, folded.
const STOPWORDS: &[&str] = &[
    "als", "am", "an", "auf", "aus", "bei", "das", "dem", "den", "der", "des", "die", "ein",
    "eine", "einem", "einen", "einer", "fuer", "im", "in", "mit", "und", "oder", "von", "vom",
    "zum", "zur", "zu", "ich", "hab", "habe", "war", "bin", "viel", "jahre", "jahr", "a", "an",
    "and", "as", "at", "for", "in", "of", "the", "to", "with", "au", "aux", "d", "de", "des", "du",
    "en", "et", "l", "la", "le", "les", "un", "une", "m", "w", "d", "x",
];

/// Whether a folded token is a stopword.
pub fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(&token)
}

/// The folded content words of a text, without gender markers and stopwords.
pub fn tokens(text: &str) -> Vec<String> {
    fold(&strip_gender(text))
        .split(' ')
        .filter(|t| !t.is_empty() && !is_stopword(t))
        .map(str::to_string)
        .collect()
}

/// The folded words that `text` abbreviates with a dot ("Verfahrensmech."
/// → `verfahrensmech`; "z. B." gives nothing of use, as its words are short).
pub fn abbreviations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            if c == '.' && word.chars().count() >= 3 {
                out.push(fold(&word));
            }
            word.clear();
        }
    }
    out
}

/// The Anforderungsniveau (KldB 5th digit) a level word among folded
/// tokens names: Helfer, Hilfskraft 1; Fachkraft, Facharbeiter, Geselle 2;
/// Meister, Techniker, Fachwirt 3; Ingenieur, Diplom, Master 4.
pub fn level_word(tokens: &[String]) -> Option<u8> {
    tokens.iter().find_map(|t| level_word_of(t))
}

/// The Anforderungsniveau one folded word names, if it is a level word.
pub fn level_word_of(token: &str) -> Option<u8> {
    match token {
        "helfer" | "helferin" | "hilfskraft" | "hilfsarbeiter" | "hilfsarbeiterin" | "aushilfe"
        | "hilfe" | "anlernkraft" | "helper" | "assistant" | "aide" => Some(1),
        "fachkraft" | "facharbeiter" | "facharbeiterin" | "geselle" | "gesellin" => Some(2),
        "meister" | "meisterin" | "techniker" | "technikerin" | "fachwirt" | "fachwirtin" => {
            Some(3)
        }
        "ingenieur" | "ingenieurin" | "diplom" | "dipl" | "master" | "engineer" | "ingenieure" => {
            Some(4)
        }
        _ => None,
    }
}

/// The folded text without gender markers and stopwords, tokens joined by spaces.
pub fn normalize(text: &str) -> String {
    tokens(text).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(f: impl Fn(&str) -> String, cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(f(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn folding() {
        check(
            fold,
            &[
                ("Köchin", "koechin"),
                ("Koechin", "koechin"),
                ("KÖCHIN", "koechin"),
                ("Straße", "strasse"),
                ("Cuisinière", "cuisiniere"),
                ("Hilfe in der Küche!", "hilfe in der kueche"),
                ("  Lager-Arbeiter  ", "lager arbeiter"),
                ("Ça va", "ca va"),
                ("", ""),
            ],
        );
    }

    #[test]
    fn gender_markers() {
        check(
            strip_gender,
            &[
                ("Koch (m/w/d)", "Koch"),
                ("Verkäufer:in", "Verkäufer"),
                ("Verkäufer*in", "Verkäufer"),
                ("Verkäufer/-in", "Verkäufer"),
                ("VerkäuferIn", "Verkäufer"),
                ("KöchInnen", "Köch"),
                ("Medizin", "Medizin"),
                (
                    "Fachkraft (w/m/d) im Gastgewerbe",
                    "Fachkraft   im Gastgewerbe",
                ),
                ("KOCH (M/W/D), Helfer (m/w/d)", "KOCH  , Helfer"),
                ("Lagerist:INNEN", "Lagerist"),
                // A letter whose lower case is longer than it ("İ" → "i̇")
                // before a marker: the marker goes, nothing else.
                ("İİ Verkäufer (m/w/d)", "İİ Verkäufer"),
                ("İnşaat işçisi (m/w/d) in İzmir", "İnşaat işçisi   in İzmir"),
                ("İzmir: Köch:in", "İzmir: Köch"),
            ],
        );
    }

    #[test]
    fn feminine_forms_behind_markers() {
        assert_eq!(feminine("Köch:in").as_deref(), Some("Köchin"));
        assert_eq!(feminine("Verkäufer/-in").as_deref(), Some("Verkäuferin"));
        assert_eq!(feminine("KöchIn").as_deref(), Some("Köchin"));
        assert_eq!(feminine("Köch*innen").as_deref(), Some("Köchinnen"));
        assert_eq!(feminine("Koch"), None);
        assert_eq!(feminine("Medizin"), None);
    }

    #[test]
    fn slash_alternatives() {
        assert_eq!(alternatives("Koch/Köchin"), vec!["Koch", "Köchin"]);
        assert_eq!(
            alternatives("Hotelfachmann/-frau"),
            vec!["Hotelfachmann", "Hotelfachfrau"]
        );
        assert_eq!(
            alternatives("Fachmann/-frau für Restaurants"),
            vec!["Fachmann für Restaurants", "Fachfrau für Restaurants"]
        );
        assert_eq!(alternatives("Lagerist"), vec!["Lagerist"]);
    }

    #[test]
    fn content_tokens() {
        assert_eq!(tokens("Hilfe in der Küche"), vec!["hilfe", "kueche"]);
        assert_eq!(tokens("Koch (m/w/d)"), vec!["koch"]);
        assert_eq!(tokens("aide de cuisine"), vec!["aide", "cuisine"]);
    }
}
