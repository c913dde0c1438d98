//! Skill concepts of the taxonomy.

use serde::{Deserialize, Serialize};

/// A skill concept: what the engine resolves written skills and activities to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// Stable id, also the file name (e.g. `gemuese-schneiden`).
    pub id: String,
    /// German label ("Gemüse schneiden").
    pub label: String,
    /// German synonyms and common paraphrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// English and French words refugees often use ("cutting vegetables").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<String>,
    /// The group the skill belongs to (e.g. "Küche", "Lager", "Pflege").
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco: Option<String>,
}
