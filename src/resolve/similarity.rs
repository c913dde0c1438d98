//! The final similarity of a written term and a catalogue label, on
//! normalised tokens (strsim). Retrieval only proposes candidates; this
//! decides how well they fit.

/// Similarity of two folded tokens, 0–1. Short tokens tolerate no typo
/// (as Meilisearch's typo budget: ≤ 4 letters 0 typos, 5–8 one, ≥ 9 two);
/// a typo on the first letter counts double.
pub fn token(a: &str, b: &str) -> f64 {
    token_with(a, b, osa_distance)
}

/// [`token`] with the optimal-string-alignment distance of `a` and `b`
/// given by `osa` (a comparator prepared for `a`, when one text is compared
/// with many).
fn token_with(a: &str, b: &str, osa: impl FnOnce(&str, &str) -> usize) -> f64 {
    if a == b {
        return 1.0;
    }
    let sim = token_edits(a, b, osa(a, b));
    // Level words of one level are near-synonyms ("Hilfskraft", "Helfer").
    if sim < 0.92 {
        if let (Some(x), Some(y)) = (crate::text::level_word_of(a), crate::text::level_word_of(b)) {
            if x == y {
                return 0.92;
            }
        }
    }
    // "Backer" for "Bäcker", "Kochin" for "Köchin": an umlaut typed as its
    // bare vowel is nearly a match, not a typo.
    if sim < 1.0 && has_folded_umlaut(a) != has_folded_umlaut(b) && same_plain(a, b) {
        return sim.max(0.97);
    }
    sim
}

/// Whether `s` has "ae", "oe" or "ue" (one pass over the bytes: this is
/// asked of every pair of words compared).
fn has_folded_umlaut(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[1] == b'e' && matches!(w[0], b'a' | b'o' | b'u'))
}

/// `s` with folded umlauts typed bare ("ae" → "a", "oe" → "o", "ue" → "u"),
/// without allocating.
fn plain_umlauts(s: &str) -> impl Iterator<Item = u8> + '_ {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .filter(move |&(i, &c)| !(c == b'e' && i > 0 && matches!(b[i - 1], b'a' | b'o' | b'u')))
        .map(|(_, &c)| c)
}

fn same_plain(a: &str, b: &str) -> bool {
    plain_umlauts(a).eq(plain_umlauts(b))
}

/// The similarity of two tokens `osa` edits apart (optimal string
/// alignment: a swap of neighbours is one edit).
fn token_edits(a: &str, b: &str, osa: usize) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb).max(1) as f64;
    let mut edits = osa as f64;
    if a.chars().next() != b.chars().next() {
        edits += 1.0;
    }
    let budget = match la.min(lb) {
        0..=4 => 0.0,
        5..=8 => 1.0,
        _ => 2.0,
    };
    let sim = (1.0 - edits / longest).max(0.0);
    if edits <= budget {
        // Within the typo budget: close to a match (Lucene's 1 − edits ÷ length, softened).
        (1.0 - 0.5 * edits / longest).max(sim)
    } else {
        // Beyond it: still compared, but discounted.
        sim * 0.7
    }
}

/// Soft overlap of two token sets: the mean best match of every token on
/// each side, combined harmonically so that both sides must be covered.
pub fn token_set(a: &[String], b: &[String]) -> f64 {
    let (ca, cb) = (coverage(a, b), coverage(b, a));
    if ca + cb == 0.0 {
        0.0
    } else {
        2.0 * ca * cb / (ca + cb)
    }
}

/// How well the tokens `xs` are covered by `ys`: the mean best match of each.
pub fn coverage(xs: &[String], ys: &[String]) -> f64 {
    if xs.is_empty() || ys.is_empty() {
        return 0.0;
    }
    xs.iter()
        .map(|x| ys.iter().map(|y| token(x, y)).fold(0.0, f64::max))
        .sum::<f64>()
        / xs.len() as f64
}

/// Both coverages of two token lists from one table of token similarities:
/// (how well `a` is covered by `b`, how well `b` is covered by `a`).
pub fn coverages(a: &[String], b: &[String]) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let mut best_a = vec![0.0f64; a.len()];
    let mut best_b = vec![0.0f64; b.len()];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let sim = token(x, y);
            best_a[i] = best_a[i].max(sim);
            best_b[j] = best_b[j].max(sim);
        }
    }
    (
        best_a.iter().sum::<f64>() / a.len() as f64,
        best_b.iter().sum::<f64>() / b.len() as f64,
    )
}

/// The token-set similarity and the containment of `text` and `label`
/// (see [`token_set`] and [`containment`]), computed together.
pub fn set_and_containment(text: &[String], label: &[String]) -> (f64, f64) {
    let (ct, cl) = coverages(text, label);
    let set = if ct + cl == 0.0 {
        0.0
    } else {
        2.0 * ct * cl / (ct + cl)
    };
    (set, cl * (0.75 + 0.25 * ct))
}

/// The similarities of the tokens of one written term to label tokens, each
/// label token compared once: the candidate labels of a term share many
/// words ("helfer", "fachkraft"), and comparing is most of resolving.
pub struct Rows<'t, 'l> {
    text: &'t [String],
    /// Each text token prepared for its distances to the label tokens.
    prepared: Vec<Osa>,
    rows: foldhash::HashMap<&'l str, Box<[f64]>>,
}

impl<'t, 'l> Rows<'t, 'l> {
    pub fn new(text: &'t [String]) -> Self {
        Self {
            text,
            prepared: text.iter().map(|t| Osa::new(t)).collect(),
            rows: foldhash::HashMap::default(),
        }
    }

    /// [`token`] of every text token and `label_token`, in text order.
    fn row(&mut self, label_token: &'l str) -> &[f64] {
        let (text, prepared) = (self.text, &self.prepared);
        self.rows.entry(label_token).or_insert_with(|| {
            text.iter()
                .zip(prepared)
                .map(|(x, osa)| token_with(x, label_token, |_, b| osa.distance(b)))
                .collect()
        })
    }
}

/// [`set_and_containment`] of the text of `rows` and `label` with a weight
/// per token (its informativeness): a rare word left uncovered costs more
/// than a common one. Tokens are compared through the memo of `rows`.
pub fn weighted_set_and_containment<'l>(
    rows: &mut Rows<'_, 'l>,
    text_weights: &[f64],
    label: &'l [String],
    label_weights: &[f64],
) -> (f64, f64) {
    if rows.text.is_empty() || label.is_empty() {
        return (0.0, 0.0);
    }
    let mut best_t = vec![0.0f64; rows.text.len()];
    let mut best_l = vec![0.0f64; label.len()];
    for (j, y) in label.iter().enumerate() {
        for (i, &sim) in rows.row(y).iter().enumerate() {
            best_t[i] = best_t[i].max(sim);
            best_l[j] = best_l[j].max(sim);
        }
    }
    let mean = |best: &[f64], w: &[f64]| {
        let total: f64 = w.iter().sum();
        if total <= 0.0 {
            best.iter().sum::<f64>() / best.len() as f64
        } else {
            best.iter().zip(w).map(|(b, w)| b * w).sum::<f64>() / total
        }
    };
    let ct = mean(&best_t, text_weights);
    let cl = mean(&best_l, label_weights);
    let set = if ct + cl == 0.0 {
        0.0
    } else {
        2.0 * ct * cl / (ct + cl)
    };
    (set, cl * (0.75 + 0.25 * ct))
}

/// Similarity of a written text that contains a label with extra words
/// ("Koch im Restaurant" ⊇ "Koch"): the label's coverage, discounted by the
/// share of the text that is left over.
pub fn containment(text: &[String], label: &[String]) -> f64 {
    let (ct, cl) = (coverage(text, label), coverage(label, text));
    cl * (0.75 + 0.25 * ct)
}

/// The optimal string alignment distance (a swap of neighbours is one
/// edit; strsim's `osa_distance`), by rapidfuzz's bit-parallel algorithm
/// (Hyyrö 2003): a few word operations per letter instead of a row of the
/// dynamic programme. Folded text is nearly always ASCII and is compared
/// byte by byte; other text by chars.
pub fn osa_distance(a: &str, b: &str) -> usize {
    use rapidfuzz::distance::osa;
    if a.is_ascii() && b.is_ascii() {
        osa::distance(a.bytes(), b.bytes())
    } else {
        osa::distance(a.chars(), b.chars())
    }
}

/// A text prepared for its [`osa_distance`] to many others: the bit masks
/// of its letters are made once.
pub struct Osa {
    text: String,
    /// For ASCII text.
    bytes: Option<rapidfuzz::distance::osa::BatchComparator<u8>>,
}

impl Osa {
    pub fn new(text: &str) -> Self {
        Osa {
            text: text.to_string(),
            bytes: text
                .is_ascii()
                .then(|| rapidfuzz::distance::osa::BatchComparator::new(text.bytes())),
        }
    }

    /// [`osa_distance`] of the prepared text and `other`.
    pub fn distance(&self, other: &str) -> usize {
        match &self.bytes {
            Some(prepared) if other.is_ascii() => prepared.distance(other.bytes()),
            _ => osa_distance(&self.text, other),
        }
    }
}

/// Similarity of two whole normalised strings: the mean of Jaro-Winkler and
/// normalised optimal-string-alignment distance (Jaro-Winkler alone is too kind to short
/// strings with a shared prefix).
pub fn whole(a: &str, b: &str) -> f64 {
    whole_from(a, b, osa_distance)
}

/// [`whole`] of the prepared text of `a` and `b`.
pub fn whole_with(a: &Osa, b: &str) -> f64 {
    whole_from(&a.text, b, |_, b| a.distance(b))
}

/// [`whole`] with the alignment distance of `a` and `b` given by `osa`.
fn whole_from(a: &str, b: &str, osa: impl FnOnce(&str, &str) -> usize) -> f64 {
    if a == b {
        return 1.0;
    }
    let longest = a.chars().count().max(b.chars().count()).max(1) as f64;
    let aligned = 1.0 - osa(a, b) as f64 / longest;
    0.5 * (jaro_winkler(a, b) + aligned)
}

/// The longest texts [`jaro_winkler`] compares on the stack.
const JARO_STACK: usize = 128;

/// strsim's `jaro_winkler`, bit for bit, on the bytes of ASCII text with
/// its flags on the stack: strsim walks both texts as chars and, for every
/// letter of one, the other from its start, and allocates its flags on the
/// heap for each pair. The same matches, transpositions and formula; other
/// text goes to strsim.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > JARO_STACK || y.len() > JARO_STACK {
        return strsim::jaro_winkler(a, b);
    }
    let (la, lb) = (x.len(), y.len());
    if la == 0 && lb == 0 {
        return 1.0;
    } else if la == 0 || lb == 0 {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    let (mut x_flags, mut y_flags) = ([false; JARO_STACK], [false; JARO_STACK]);
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let (low, high) = (i.saturating_sub(range), lb.min(i + range + 1));
        for j in low..high {
            if c == y[j] && !y_flags[j] {
                x_flags[i] = true;
                y_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    let sim = if matches == 0 {
        0.0
    } else {
        let mut transpositions = 0usize;
        let mut matched = y
            .iter()
            .zip(&y_flags[..lb])
            .filter(|(_, &f)| f)
            .map(|(c, _)| c);
        for (c, _) in x.iter().zip(&x_flags[..la]).filter(|(_, &f)| f) {
            if matched.next() != Some(c) {
                transpositions += 1;
            }
        }
        transpositions /= 2;
        ((matches as f64 / la as f64)
            + (matches as f64 / lb as f64)
            + ((matches - transpositions) as f64 / matches as f64))
            / 3.0
    };
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// An upper bound of [`whole`] from the letters the two strings share,
/// far cheaper than it (no alignment): with `c` letters in common (as
/// multisets) no alignment needs fewer than `max(len) - c` edits, and Jaro
/// matches no more than `c` letters. 1 for text that is not ASCII.
pub fn whole_bound(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.is_empty() || y.is_empty() {
        return 1.0;
    }
    let mut count = [0i32; 128];
    for &c in x {
        count[c as usize] += 1;
    }
    let mut common = 0usize;
    for &c in y {
        let slot = &mut count[c as usize];
        if *slot > 0 {
            *slot -= 1;
            common += 1;
        }
    }
    if common == 0 {
        // Jaro is 0 and every letter must be edited: `whole` is 0.
        return 1e-9;
    }
    let (la, lb) = (x.len() as f64, y.len() as f64);
    let longest = la.max(lb);
    let osa = 1.0 - (longest - common as f64) / longest;
    let jaro = ((common as f64 / la + common as f64 / lb + 1.0) / 3.0).min(1.0);
    // Winkler's prefix bonus (at most 4 × 0.1 of what is left) is given
    // only above 0.7.
    let winkler = if jaro > 0.7 {
        jaro + 0.4 * (1.0 - jaro)
    } else {
        jaro
    };
    // A margin for the rounding of the exact formulas.
    0.5 * (winkler + osa) + 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn typos_within_budget_stay_close() {
        assert!(token("kellnr", "kellner") > 0.9);
        assert!(token("lagerarbiter", "lagerarbeiter") > 0.9);
        assert!(token("koch", "loch") < 0.6, "first letter and short word");
        assert!(token("koch", "kocht") < 0.9);
        assert_eq!(token("spuelen", "spuelen"), 1.0);
    }

    #[test]
    fn token_sets_need_both_sides_covered() {
        assert_eq!(token_set(&toks("hilfe kueche"), &toks("kueche hilfe")), 1.0);
        assert!(token_set(&toks("hilfe kueche"), &toks("kueche")) < 0.8);
        assert!(token_set(&toks("erste hilfe"), &toks("kueche hilfe")) < 0.7);
    }

    #[test]
    fn a_label_inside_a_longer_text() {
        assert!(containment(&toks("koch restaurant"), &toks("koch")) > 0.85);
        assert!(containment(&toks("kellnr restaurant"), &toks("kellner")) > 0.75);
        assert!(containment(&toks("koch"), &toks("koch restaurant")) < 0.75);
    }

    #[test]
    fn combined_equals_separate() {
        for (a, b) in [
            ("koch restaurant", "koch"),
            ("hilfe kueche", "kueche hilfe"),
            ("x", "koch"),
        ] {
            let (set, cont) = set_and_containment(&toks(a), &toks(b));
            assert!((set - token_set(&toks(a), &toks(b))).abs() < 1e-12);
            assert!((cont - containment(&toks(a), &toks(b))).abs() < 1e-12);
        }
    }

    #[test]
    fn bare_umlauts() {
        let replaced = |s: &str| s.replace("ae", "a").replace("oe", "o").replace("ue", "u");
        for w in [
            "baecker", "backer", "koechin", "kochin", "aee", "uaee", "ouee", "aue", "tuer",
        ] {
            assert_eq!(
                plain_umlauts(w).collect::<Vec<u8>>(),
                replaced(w).into_bytes(),
                "{w}"
            );
        }
        for w in [
            "baecker", "kueche", "oel", "ae", "e", "", "kellner", "mauer",
        ] {
            let contains = w.contains("ae") || w.contains("oe") || w.contains("ue");
            assert_eq!(has_folded_umlaut(w), contains, "{w}");
        }
        assert!(same_plain("baecker", "backer"));
        assert!(!same_plain("baecker", "becker"));
    }

    #[test]
    fn osa_and_jaro_winkler_are_strsim_s() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "kellner",
            "kellnr",
            "kelnler",
            "lagerarbeiter",
            "lagerarbiter",
            "ca",
            "abc",
            "acb",
            "bca",
            "koechin",
            "kochin",
            "köchin",
            "koch",
            "loch",
            "xyz",
            "fachkraft lagerlogistik",
            "fachkarft lagerlgoistik",
        ];
        let long = "x".repeat(200);
        let mut pairs: Vec<(String, String)> = words
            .iter()
            .flat_map(|a| words.iter().map(|b| (a.to_string(), b.to_string())))
            .collect();
        pairs.push((long.clone(), "xx".into()));
        pairs.push((format!("{long}ab"), format!("{long}ba")));
        // Random words of a small alphabet, where swaps, repeats and
        // overlapping edits are common, from 0 to 70 letters (past the 64
        // of one bit vector).
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let word = |rng: &mut rand_chacha::ChaCha8Rng| -> String {
            let len = if rng.random_bool(0.9) {
                rng.random_range(0..14)
            } else {
                rng.random_range(55..71)
            };
            (0..len)
                .map(|_| {
                    let letters = if rng.random_bool(0.8) { 3 } else { 4 };
                    ['a', 'b', 'c', 'ä'][rng.random_range(0..letters)]
                })
                .collect()
        };
        for _ in 0..20_000 {
            let a = word(&mut rng);
            let b = if rng.random_bool(0.5) {
                word(&mut rng)
            } else {
                // A few edits of `a`.
                let mut chars: Vec<char> = a.chars().collect();
                for _ in 0..rng.random_range(1..4) {
                    if chars.len() < 2 {
                        chars.push('b');
                        continue;
                    }
                    let i = rng.random_range(0..chars.len() - 1);
                    match rng.random_range(0..4) {
                        0 => chars.swap(i, i + 1),
                        1 => {
                            chars.remove(i);
                        }
                        2 => chars.insert(i, 'c'),
                        _ => chars[i] = 'a',
                    }
                }
                chars.into_iter().collect()
            };
            pairs.push((a, b));
        }
        for (a, b) in &pairs {
            let expected = strsim::osa_distance(a, b);
            assert_eq!(osa_distance(a, b), expected, "{a:?} {b:?}");
            assert_eq!(Osa::new(a).distance(b), expected, "prepared {a:?} {b:?}");
            assert_eq!(Osa::new(b).distance(a), expected, "prepared {b:?} {a:?}");
        }
        assert_eq!(osa_distance(&long, "xx"), 198);
        for (a, b) in &pairs {
            let expected = strsim::jaro_winkler(a, b);
            let found = jaro_winkler(a, b);
            assert_eq!(found.to_bits(), expected.to_bits(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn the_bound_of_whole_is_never_below_it() {
        let words = [
            "kellner",
            "kellnr",
            "kellnerin",
            "koch",
            "kochin",
            "helfer kueche",
            "kuechenhelfer",
            "fachkraft gastgewerbe",
            "gastgewerbe fachkraft",
            "lagerarbeiter",
            "lagerarbiter",
            "lager logistik",
            "a",
            "ab",
            "ba",
            "baecker",
            "backer",
            "zzz",
            "maurer",
            "mauerer",
            "berufskraftfahrer",
            "kraftfahrer",
            "altenpflege fachkraft",
            "pflegefachkraft",
        ];
        for a in words {
            for b in words {
                let (exact, bound) = (whole(a, b), whole_bound(a, b));
                assert!(bound >= exact, "{a} / {b}: whole {exact}, bound {bound}");
            }
        }
        assert!(whole_bound("koch", "zzz") < 0.01, "nothing in common");
        assert!(
            whole_bound("kellner", "maurer") < 0.9,
            "few letters in common"
        );
    }

    #[test]
    fn whole_strings() {
        assert_eq!(
            whole("kellnr", "kellner"),
            whole_with(&Osa::new("kellnr"), "kellner")
        );
        assert!(whole("kellnr", "kellner") > 0.9);
        assert!(whole("koch", "kassierer") < 0.5);
    }
}
