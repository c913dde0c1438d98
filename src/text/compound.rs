//! Splitting German compounds into known parts ("Küchenhilfe" →
//! "kueche" + "hilfe"), so that a compound meets its paraphrase
//! ("Hilfe in der Küche") in both directions.

use std::collections::HashSet;

/// Linking elements (Fugenelemente) that may stand between two parts.
const LINKS: &[&str] = &["", "s", "n", "en", "es", "e", "er"];

/// Shortest part that counts as a word of its own.
const MIN_PART: usize = 3;

/// Splits folded tokens into parts of a known vocabulary.
#[derive(Debug, Default, Clone)]
pub struct Decompounder {
    vocabulary: HashSet<String>,
}

impl Decompounder {
    /// A decompounder over folded words (e.g. every token of the catalogue).
    pub fn new<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let vocabulary = words
            .into_iter()
            .map(|w| w.as_ref().to_string())
            .filter(|w| w.len() >= MIN_PART)
            .collect();
        Decompounder { vocabulary }
    }

    /// Whether a folded word is in the vocabulary.
    pub fn knows(&self, word: &str) -> bool {
        self.vocabulary.contains(word)
    }

    /// The vocabulary form of a part, allowing for a linking element at its
    /// end ("kuechen" → "kueche", "arbeits" → "arbeit").
    fn known_part(&self, part: &str) -> Option<String> {
        if self.vocabulary.contains(part) {
            return Some(part.to_string());
        }
        LINKS.iter().filter(|l| !l.is_empty()).find_map(|link| {
            let stem = part.strip_suffix(link)?;
            (stem.len() >= MIN_PART && self.vocabulary.contains(stem)).then(|| stem.to_string())
        })
    }

    /// The parts of a folded token, or `None` when it cannot be split into
    /// two or more known parts. Prefers the split with the fewest parts and,
    /// among those, the longest last part (the head of a German compound).
    pub fn split(&self, token: &str) -> Option<Vec<String>> {
        if !token.is_ascii() || token.len() < 2 * MIN_PART {
            return None;
        }
        let parts = self.split_from(token, 0)?;
        (parts.len() >= 2).then_some(parts)
    }

    fn split_from(&self, token: &str, depth: usize) -> Option<Vec<String>> {
        if depth > 4 {
            return None;
        }
        if let Some(whole) = self.known_part(token).filter(|_| depth > 0) {
            return Some(vec![whole]);
        }
        let mut best: Option<Vec<String>> = None;
        for cut in (MIN_PART..=token.len().saturating_sub(MIN_PART)).rev() {
            let Some(head) = self.known_part(&token[..cut]) else {
                continue;
            };
            if let Some(mut rest) = self.split_from(&token[cut..], depth + 1) {
                let mut parts = vec![head];
                parts.append(&mut rest);
                if best.as_ref().is_none_or(|b| parts.len() < b.len()) {
                    best = Some(parts);
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_compounds_into_known_parts() {
        let d = Decompounder::new([
            "kueche",
            "hilfe",
            "lager",
            "arbeit",
            "arbeiter",
            "fach",
            "kraft",
            "gast",
            "gewerbe",
            "reinigung",
            "kraft",
        ]);
        for (token, expected) in [
            ("kuechenhilfe", Some(vec!["kueche", "hilfe"])),
            ("lagerarbeiter", Some(vec!["lager", "arbeiter"])),
            ("reinigungskraft", Some(vec!["reinigung", "kraft"])),
            ("gastgewerbe", Some(vec!["gast", "gewerbe"])),
            ("kueche", None),
            ("xyzabc", None),
        ] {
            let got = d.split(token);
            let expected: Option<Vec<String>> =
                expected.map(|v| v.into_iter().map(String::from).collect());
            assert_eq!(got, expected, "{token}");
        }
    }
}
