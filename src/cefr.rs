//! Language levels of the Common European Framework of Reference (CEFR).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A CEFR level, ordered so that "B1 or better" is a comparison.
///
/// `Keine` means "no knowledge of the language" — a fact that was asked for,
/// unlike a missing value, which means "not known".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cefr {
    Keine,
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

impl Cefr {
    /// All levels, lowest first.
    pub const ALL: [Cefr; 7] = [
        Cefr::Keine,
        Cefr::A1,
        Cefr::A2,
        Cefr::B1,
        Cefr::B2,
        Cefr::C1,
        Cefr::C2,
    ];

    /// The level as written on forms and in CSV files (`keine`, `A1` … `C2`).
    pub fn as_str(self) -> &'static str {
        match self {
            Cefr::Keine => "keine",
            Cefr::A1 => "A1",
            Cefr::A2 => "A2",
            Cefr::B1 => "B1",
            Cefr::B2 => "B2",
            Cefr::C1 => "C1",
            Cefr::C2 => "C2",
        }
    }

    /// 0 for `Keine` up to 6 for C2: the distance between two levels.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for Cefr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Cefr {
    type Err = String;

    /// Accepts `keine`/`none`/`0` and `A1` … `C2` in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if ["keine", "none", "0", "-"]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
        {
            return Ok(Cefr::Keine);
        }
        Cefr::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                format!("„{t}“ ist kein Sprachniveau (erlaubt: keine, A1, A2, B1, B2, C1, C2)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered() {
        assert!(Cefr::Keine < Cefr::A1);
        assert!(Cefr::A2 < Cefr::B1);
        assert!(Cefr::B1 >= Cefr::B1);
        assert!(Cefr::C2 > Cefr::C1);
        let mut sorted = vec![Cefr::C1, Cefr::Keine, Cefr::B2, Cefr::A1];
        sorted.sort();
        assert_eq!(sorted, vec![Cefr::Keine, Cefr::A1, Cefr::B2, Cefr::C1]);
    }

    #[test]
    fn parses_forms_and_rejects_garbage() {
        for (input, expected) in [
            ("b1", Some(Cefr::B1)),
            (" C2 ", Some(Cefr::C2)),
            ("keine", Some(Cefr::Keine)),
            ("KEINE", Some(Cefr::Keine)),
            ("B3", None),
            ("", None),
            ("gut", None),
        ] {
            assert_eq!(input.parse::<Cefr>().ok(), expected, "{input:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        for level in Cefr::ALL {
            assert_eq!(level.to_string().parse::<Cefr>(), Ok(level));
        }
    }
}
