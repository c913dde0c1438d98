//! The tantivy schema of the profile index and how a profile becomes a document.

use crate::profile::Profile;
use crate::resolved::ResolvedProfile;
use crate::text;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

/// The fields of the profile index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Profile id (exact).
    pub id: Field,
    /// Position in the resolved-profile table (`profiles.bin`).
    pub ordinal: Field,
    /// Everything written, folded (umlauts, ß, accents, gender markers),
    /// for word and typo queries: term frequencies, no positions (no query
    /// asks for a phrase).
    pub folded: Field,
    /// German level rank 0 (keine) … 6 (C2); absent where unknown.
    pub german: Field,
    /// Work permit, CSV spelling (`ja`, `zustimmung`, `nein`, `unbekannt`).
    pub permit: Field,
    /// Residence status, CSV spelling.
    pub residence: Field,
    /// Municipality, folded.
    pub municipality: Field,
    pub postcode: Field,
    /// Available from, days since 1970-01-01.
    pub available: Field,
    /// Resolved concepts: `o<occupation>` and `s<skill>` (for retrieval and
    /// search), `w<occupation>` for occupations resolved only weakly (for
    /// retrieval: they count in scores, scaled by their similarity).
    pub concepts: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            ordinal: b.add_u64_field("ordinal", FAST | STORED),
            folded: b.add_text_field(
                "folded",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer("default")
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
            german: b.add_u64_field("german", INDEXED | FAST),
            permit: b.add_text_field("permit", STRING),
            residence: b.add_text_field("residence", STRING),
            municipality: b.add_text_field("municipality", STRING),
            postcode: b.add_text_field("postcode", STRING),
            available: b.add_i64_field("available", INDEXED | FAST),
            concepts: b.add_text_field("concepts", STRING),
        };
        (b.build(), fields)
    }

    /// The document of one profile.
    pub fn document(
        &self,
        ordinal: u64,
        profile: &Profile,
        resolved: &ResolvedProfile,
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, &profile.id);
        doc.add_u64(self.ordinal, ordinal);
        let written = written_text(profile);
        doc.add_text(self.folded, text::fold(&text::strip_gender(&written)));
        if let Some(level) = resolved.german {
            doc.add_u64(self.german, u64::from(level.rank()));
        }
        doc.add_text(self.permit, resolved.work_permit.csv_name());
        doc.add_text(self.residence, resolved.residence.csv_name());
        if let Some(r) = &profile.residence {
            if let Some(m) = &r.municipality {
                doc.add_text(self.municipality, text::fold(m));
            }
            if let Some(p) = &r.postcode {
                doc.add_text(self.postcode, p.trim());
            }
        }
        if let Some(from) = resolved.available_from {
            doc.add_i64(self.available, days(from));
        }
        for o in &resolved.occupations {
            doc.add_text(self.concepts, format!("o{}", o.occupation));
        }
        for i in &resolved.interests {
            doc.add_text(self.concepts, format!("o{}", i.occupation));
        }
        for o in &resolved.weak_occupations {
            doc.add_text(self.concepts, format!("w{}", o.occupation));
        }
        for i in &resolved.weak_interests {
            doc.add_text(self.concepts, format!("w{}", i.occupation));
        }
        for s in &resolved.skills {
            doc.add_text(self.concepts, format!("s{}", s.skill));
        }
        doc
    }
}

/// Days since 1970-01-01.
pub fn days(date: chrono::NaiveDate) -> i64 {
    date.signed_duration_since(chrono::NaiveDate::default())
        .num_days()
}

/// Every free text of a profile, with names and places, for full-text search.
pub fn written_text(p: &Profile) -> String {
    let mut parts: Vec<&str> = vec![&p.id, &p.identity.given_name, &p.identity.family_name];
    let id = &p.identity;
    parts.extend(id.nationality.as_deref());
    parts.extend(id.country_of_origin.as_deref());
    if let Some(r) = &p.residence {
        parts.extend(r.municipality.as_deref());
        parts.extend(r.postcode.as_deref());
    }
    if let Some(s) = &p.schooling {
        parts.extend(s.certificate.as_deref());
        parts.extend(s.country.as_deref());
    }
    parts.extend(p.vocational_training.iter().map(|t| t.occupation.as_str()));
    parts.extend(p.higher_education.iter().map(|h| h.field.as_str()));
    parts.extend(
        p.higher_education
            .iter()
            .filter_map(|h| h.degree.as_deref()),
    );
    for w in &p.work_experience {
        parts.push(&w.activity);
        parts.extend(w.sector.as_deref());
    }
    parts.extend(p.interests.iter().map(String::as_str));
    if let Some(k) = &p.competences {
        parts.extend(k.skills.iter().map(|s| s.written.as_str()));
        parts.extend(k.strengths.as_deref());
        parts.extend(k.recommendation.as_deref());
    }
    if let Some(r) = &p.restrictions {
        parts.extend(r.health.as_deref());
    }
    parts.extend(p.notes.as_deref());
    parts.join(" \n ")
}
