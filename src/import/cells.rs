//! Parsers of single cells. Each takes the trimmed, non-empty text of a cell
//! and gives the value or a short German message; the row adds the position
//! and the column name. Empty cells never reach these parsers: an empty cell
//! means "not known" and stays `None`.

use crate::cefr::Cefr;
use chrono::NaiveDate;

/// The items of a list cell (`Gemüse schneiden|Kassieren`), trimmed, empty ones left out.
pub(super) fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Adds a hint to a list item's message when the item looks like several
/// items joined with the wrong separator (`B, C1`).
pub(super) fn list_hint(item: &str, message: String) -> String {
    if item.contains([',', ';', '/']) {
        format!("{message}; mehrere Einträge mit „|“ trennen")
    } else {
        message
    }
}

/// A whole number ≥ 0 written with digits only.
fn whole(s: &str) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("„{s}“ ist keine ganze Zahl"));
    }
    s.parse::<u64>().map_err(|_| format!("„{s}“ ist zu groß"))
}

/// A birth year, at most 100 years before `this_year` and not after it
/// (the same rule as `lotse validate`).
pub(super) fn birth_year(s: &str, this_year: i32) -> Result<u16, String> {
    let y = whole(s)?;
    let earliest = (this_year - 100).max(0) as u64;
    if y < earliest || y > this_year.max(0) as u64 {
        return Err(format!(
            "Geburtsjahr {y} ist nicht möglich (erwartet {earliest} bis {this_year})"
        ));
    }
    Ok(y as u16)
}

/// The commute radius in km.
pub(super) fn kilometres(s: &str) -> Result<u16, String> {
    let km = whole(s)?;
    u16::try_from(km).map_err(|_| format!("{km} km sind zu viel"))
}

/// Years at school, at most 25 (the rule of `lotse validate`).
pub(super) fn school_years(s: &str) -> Result<u8, String> {
    match whole(s)? {
        y @ 0..=25 => Ok(y as u8),
        y => Err(format!(
            "{y} Schuljahre sind nicht plausibel (höchstens 25)"
        )),
    }
}

/// The number of places of an offer, at least 1.
pub(super) fn places(s: &str) -> Result<u32, String> {
    match whole(s)? {
        0 => Err("ein Angebot braucht mindestens einen Platz".into()),
        n => u32::try_from(n).map_err(|_| format!("„{s}“ ist zu groß")),
    }
}

/// `ja` or `nein`.
pub(super) fn yes_no(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "ja" => Ok(true),
        "nein" => Ok(false),
        _ => Err(format!("„{s}“: erlaubt sind ja oder nein")),
    }
}

/// A date as `YYYY-MM-DD` or German `TT.MM.JJJJ` (day and month with one
/// or two digits, the year always with four, so `01.03.16` is not guessed).
pub(super) fn date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let iso_shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if iso_shape {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| format!("den Tag „{s}“ gibt es nicht"));
    }
    let parts: Vec<&str> = s.split('.').collect();
    let german_shape = parts.len() == 3
        && parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit()))
        && (1..=2).contains(&parts[0].len())
        && (1..=2).contains(&parts[1].len())
        && parts[2].len() == 4;
    if german_shape {
        let number = |p: &str| p.parse::<u32>().unwrap_or(0);
        return NaiveDate::from_ymd_opt(
            number(parts[2]) as i32,
            number(parts[1]),
            number(parts[0]),
        )
        .ok_or_else(|| format!("den Tag „{s}“ gibt es nicht"));
    }
    Err(format!(
        "„{s}“ ist kein Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT, z. B. 01.02.2016)"
    ))
}

/// A start date of an offer: a date between 2000 and 2100 (the rule of `lotse validate`).
pub(super) fn start_date(s: &str) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let d = date(s)?;
    if (2000..=2100).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "Beginn {} ist kein plausibles Datum",
            d.format("%d.%m.%Y")
        ))
    }
}

/// A number of years, whole or decimal with `.` or German `,` (`1,5`),
/// between 0 and 60 (the rule of `lotse validate`).
pub(super) fn years(s: &str) -> Result<f32, String> {
    let separators = s.bytes().filter(|&b| b == b'.' || b == b',').count();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let shape_ok = digits > 0
        && separators <= 1
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    let value = if shape_ok {
        s.replace(',', ".").parse::<f32>().ok()
    } else {
        None
    };
    match value {
        Some(y) if (0.0..=60.0).contains(&y) => Ok(y),
        Some(_) => Err(format!("{s} Jahre sind keine mögliche Dauer (0 bis 60)")),
        None => Err(format!(
            "„{s}“ ist keine Zahl von Jahren (z. B. 2 oder 1,5)"
        )),
    }
}

/// A `title:years` pair (`Koch:5`, `Kellner:1,5`); the years may be left out
/// (`Koch`). The last `:` separates, so `Köch:in:2` keeps its gender form,
/// and `Köch:in` alone is a title without years.
pub(super) fn titled_years(s: &str) -> Result<(String, Option<f32>), String> {
    let Some((title, after)) = s.rsplit_once(':') else {
        return Ok((s.to_string(), None));
    };
    let (title, after) = (title.trim(), after.trim());
    if matches!(after.to_lowercase().as_str(), "in" | "innen") {
        return Ok((s.to_string(), None));
    }
    if title.is_empty() {
        return Err(format!(
            "„{s}“: vor dem „:“ fehlt die Bezeichnung (z. B. Koch:5)"
        ));
    }
    if after.is_empty() {
        return Ok((title.to_string(), None));
    }
    let years = years(after).map_err(|m| format!("„{s}“: {m}"))?;
    Ok((title.to_string(), Some(years)))
}

/// One item of the `languages` cell.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Language {
    /// `ar:native`: a mother tongue.
    Native(String),
    /// `en:B1`: another language with its level.
    Level(String, Cefr),
}

impl Language {
    pub(super) fn code(&self) -> &str {
        match self {
            Language::Native(c) | Language::Level(c, _) => c,
        }
    }
}

/// `ar:C2`, `en:native` (ISO 639-1 code, `:`, CEFR level or `native`).
pub(super) fn language(s: &str) -> Result<Language, String> {
    let Some((code, level)) = s.split_once(':') else {
        return Err(format!(
            "„{s}“: Sprache bitte als Code:Niveau angeben (z. B. ar:C2 oder ar:native)"
        ));
    };
    let (code, level) = (code.trim(), level.trim());
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "„{code}“ ist kein Sprachcode nach ISO 639-1 (zwei Buchstaben, z. B. ar, fa, en)"
        ));
    }
    let code = code.to_ascii_lowercase();
    if level.eq_ignore_ascii_case("native") || level.eq_ignore_ascii_case("muttersprache") {
        return Ok(Language::Native(code));
    }
    if code == "de" {
        return Err("das Deutschniveau gehört in die Spalte „german_level“".into());
    }
    let level: Cefr = level
        .parse()
        .map_err(|m: String| format!("{m} oder native"))?;
    Ok(Language::Level(code, level))
}

/// A German postcode: five digits. Excel drops the leading zero of
/// `01067`; that is refused with a hint rather than repaired silently.
pub(super) fn postcode(s: &str) -> Result<String, String> {
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(s.to_string());
    }
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "Postleitzahl „{s}“ hat nur 4 Ziffern: hat Excel die führende Null entfernt („0{s}“)?"
        ));
    }
    Err(format!(
        "Postleitzahl „{s}“ ist ungültig: erwartet werden 5 Ziffern"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a parser over `(input, expected)` cases; `Err("")` only asks for
    /// an error, `Err("text")` for an error message containing the text.
    fn check<T: PartialEq + std::fmt::Debug>(
        parse: impl Fn(&str) -> Result<T, String>,
        cases: &[(&str, Result<T, &str>)],
    ) {
        for (input, expected) in cases {
            let got = parse(input);
            match (expected, &got) {
                (Ok(want), Ok(have)) => assert_eq!(have, want, "{input:?}"),
                (Err(part), Err(message)) => {
                    assert!(
                        message.contains(part),
                        "{input:?}: {message:?} lacks {part:?}"
                    )
                }
                _ => panic!("{input:?}: expected {expected:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn lists_split_on_bars() {
        for (cell, items) in [
            ("B|C1", vec!["B", "C1"]),
            (
                " Gemüse schneiden | Kassieren ",
                vec!["Gemüse schneiden", "Kassieren"],
            ),
            ("a||b|", vec!["a", "b"]),
            ("eins, zwei", vec!["eins, zwei"]),
        ] {
            assert_eq!(list(cell).collect::<Vec<_>>(), items, "{cell:?}");
        }
    }

    #[test]
    fn whole_numbers() {
        check(
            |s| birth_year(s, 2016),
            &[
                ("1991", Ok(1991)),
                ("2016", Ok(2016)),
                ("1916", Ok(1916)),
                ("1915", Err("nicht möglich")),
                ("2017", Err("nicht möglich")),
                ("91", Err("nicht möglich")),
                ("1991.0", Err("keine ganze Zahl")),
                ("-5", Err("keine ganze Zahl")),
                ("neunzehn", Err("keine ganze Zahl")),
            ],
        );
        check(
            kilometres,
            &[
                ("0", Ok(0)),
                ("30", Ok(30)),
                ("30 km", Err("keine ganze Zahl")),
                ("70000", Err("zu viel")),
            ],
        );
        check(
            school_years,
            &[("0", Ok(0)), ("12", Ok(12)), ("26", Err("nicht plausibel"))],
        );
        check(
            places,
            &[
                ("1", Ok(1)),
                ("20", Ok(20)),
                ("0", Err("mindestens einen Platz")),
                ("2,5", Err("keine ganze Zahl")),
                ("99999999999", Err("zu groß")),
            ],
        );
    }

    #[test]
    fn yes_and_no() {
        check(
            yes_no,
            &[
                ("ja", Ok(true)),
                ("Ja", Ok(true)),
                ("NEIN", Ok(false)),
                ("yes", Err("ja oder nein")),
                ("x", Err("ja oder nein")),
            ],
        );
    }

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        check(
            date,
            &[
                ("2016-01-15", Ok(d(2016, 1, 15))),
                ("2016-02-29", Ok(d(2016, 2, 29))),
                ("2015-02-29", Err("gibt es nicht")),
                ("2016-13-01", Err("gibt es nicht")),
                ("15.01.2016", Ok(d(2016, 1, 15))),
                ("1.3.2016", Ok(d(2016, 3, 1))),
                ("30.02.2016", Err("gibt es nicht")),
                ("01.03.16", Err("TT.MM.JJJJ")),
                ("2016-1-5", Err("JJJJ-MM-TT")),
                ("morgen", Err("JJJJ-MM-TT")),
            ],
        );
        check(
            start_date,
            &[
                ("2016-02-01", Ok(d(2016, 2, 1))),
                ("1916-02-01", Err("kein plausibles Datum")),
            ],
        );
    }

    #[test]
    fn years_take_points_and_commas() {
        check(
            years,
            &[
                ("5", Ok(5.0)),
                ("1,5", Ok(1.5)),
                ("1.5", Ok(1.5)),
                ("0", Ok(0.0)),
                ("61", Err("0 bis 60")),
                ("1,5,0", Err("keine Zahl")),
                ("inf", Err("keine Zahl")),
                ("NaN", Err("keine Zahl")),
                ("1e3", Err("keine Zahl")),
                ("-1", Err("keine Zahl")),
                ("fünf", Err("keine Zahl")),
            ],
        );
    }

    #[test]
    fn title_and_years_pairs() {
        let ok = |t: &str, y: Option<f32>| Ok((t.to_string(), y));
        check(
            titled_years,
            &[
                ("Koch:5", ok("Koch", Some(5.0))),
                ("Kellner : 1,5", ok("Kellner", Some(1.5))),
                (
                    "Hilfe in der Küche:0.5",
                    ok("Hilfe in der Küche", Some(0.5)),
                ),
                ("Schneider", ok("Schneider", None)),
                ("Schneider:", ok("Schneider", None)),
                ("Köch:in:2", ok("Köch:in", Some(2.0))),
                ("Köch:in", ok("Köch:in", None)),
                ("Koch:fünf", Err("keine Zahl von Jahren")),
                (":5", Err("fehlt die Bezeichnung")),
                ("Koch:99", Err("0 bis 60")),
            ],
        );
    }

    #[test]
    fn languages() {
        check(
            language,
            &[
                ("ar:C2", Ok(Language::Level("ar".into(), Cefr::C2))),
                ("EN:b1", Ok(Language::Level("en".into(), Cefr::B1))),
                ("ar:native", Ok(Language::Native("ar".into()))),
                ("ti:Muttersprache", Ok(Language::Native("ti".into()))),
                ("de:native", Ok(Language::Native("de".into()))),
                ("de:B1", Err("german_level")),
                ("ar", Err("Code:Niveau")),
                ("arabisch:C2", Err("ISO 639-1")),
                ("en:B3", Err("kein Sprachniveau")),
            ],
        );
    }

    #[test]
    fn postcodes() {
        check(
            postcode,
            &[
                ("56727", Ok("56727".to_string())),
                ("01067", Ok("01067".to_string())),
                ("1067", Err("führende Null")),
                ("5672", Err("führende Null")),
                ("D-56727", Err("5 Ziffern")),
                ("567270", Err("5 Ziffern")),
            ],
        );
    }

    #[test]
    fn list_hint_only_for_joined_items() {
        assert!(list_hint("B, C1", "x".into()).contains("„|“"));
        assert_eq!(list_hint("Z", "x".into()), "x");
    }
}
