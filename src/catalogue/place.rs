//! The gazetteer: postcodes and municipalities with coordinates, used for
//! distances where a record has a postcode but no coordinates.

use crate::profile::Coordinates;
use serde::{Deserialize, Serialize};

/// A postcode area with its main municipality and centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub postcode: String,
    pub municipality: String,
    /// Landkreis or kreisfreie Stadt.
    pub district: String,
    pub lat: f64,
    pub lon: f64,
}

impl Place {
    /// The centre of the area.
    pub fn coordinates(&self) -> Coordinates {
        Coordinates {
            lat: self.lat,
            lon: self.lon,
        }
    }
}
