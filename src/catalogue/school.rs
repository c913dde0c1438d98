//! Vocational schools (Berufsschulen) and their classes: the second capacity
//! of an allocation. An Ausbildung or EQ names its school by id; the class
//! its trainee joins is the school's class for the offer's occupation in the
//! school year the offer starts in.

use crate::profile::Coordinates;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A vocational school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    pub municipality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// The classes that take new trainees.
    pub classes: Vec<SchoolClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The first-year class of one occupation in one school year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolClass {
    /// Occupation id of the catalogue.
    pub occupation: String,
    /// "2016/17": the school year (1 August to 31 July).
    pub school_year: String,
    /// How many new trainees the class can take.
    pub capacity: u32,
}

impl crate::records::Record for School {
    const NOUN: &'static str = "Berufsschule";
    fn id(&self) -> &str {
        &self.id
    }
}

impl School {
    /// Index of the class for an occupation and school year.
    pub fn class_index(&self, occupation: &str, school_year: &str) -> Option<usize> {
        self.classes
            .iter()
            .position(|c| c.occupation == occupation && c.school_year == school_year)
    }
}

/// The school year a training starting on `start` belongs to ("2016/17"):
/// school years run from 1 August to 31 July, so a start in spring counts to
/// the year that began the August before.
pub fn school_year(start: NaiveDate) -> String {
    let first = if start.month() >= 8 {
        start.year()
    } else {
        start.year() - 1
    };
    format!("{first}/{:02}", (first + 1).rem_euclid(100))
}

/// Whether `text` is a school year as written in the records ("2016/17",
/// the second year following the first).
pub fn is_school_year(text: &str) -> bool {
    let Some((a, b)) = text.split_once('/') else {
        return false;
    };
    let (Ok(first), Ok(second)) = (a.parse::<i32>(), b.parse::<i32>()) else {
        return false;
    };
    a.len() == 4 && b.len() == 2 && (first + 1).rem_euclid(100) == second
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_begin_in_august() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for (date, year) in [
            (d(2016, 8, 1), "2016/17"),
            (d(2016, 9, 1), "2016/17"),
            (d(2017, 2, 1), "2016/17"),
            (d(2017, 7, 31), "2016/17"),
            (d(2099, 8, 1), "2099/00"),
        ] {
            assert_eq!(school_year(date), year, "{date}");
            assert!(is_school_year(year));
        }
        for bad in ["2016/18", "2016-17", "16/17", "2016/2017", ""] {
            assert!(!is_school_year(bad), "{bad}");
        }
    }
}
