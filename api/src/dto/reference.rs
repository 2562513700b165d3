//! Bodies of the classifications (SPEC §6).

use super::common::*;

/// An entry of the Occupational Classification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Occupation {
    /// ISCO-08 unit group, 4 digits.
    #[schema(example = "6123")]
    pub code: String,
    #[schema(example = "Fermer, ipəkçilik")]
    pub title: String,
    /// The ISCO-08 major group: its digit.
    #[schema(example = "6")]
    pub major_group: String,
    /// The major group's title.
    #[schema(example = "Skilled agricultural, forestry and fishery workers")]
    pub major_group_title: String,
}

/// An economic activity: a NACE Rev. 2 section or division.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EconomicActivity {
    #[schema(example = "41")]
    pub code: String,
    #[schema(example = "Construction of buildings")]
    pub title: String,
    pub level: domain::reference::ActivityLevel,
    /// The section of a division.
    #[schema(example = "F")]
    pub parent: Option<String>,
}

/// What an import of the occupational classification changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Entries new to the classification (or brought back from retirement).
    #[schema(example = 12, value_type = i64, format = Int64)]
    pub added: usize,
    /// Entries that were already current.
    #[schema(example = 9800, value_type = i64, format = Int64)]
    pub kept: usize,
    /// Entries no longer current (replace mode); retired, never deleted.
    #[schema(example = 3, value_type = i64, format = Int64)]
    pub retired: usize,
}

/// A category of work permits exempt from the quota (SPEC §5.3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExemptionCategory {
    #[schema(example = "liberated_territories")]
    pub code: String,
    pub title_az: String,
    pub title_en: String,
    pub title_ru: String,
    /// Retired categories stay for the permits that name them.
    pub retired: bool,
}

/// A title of an exemption category, in one language.
pub type ExemptionTitle = Text<1, { domain::reference::MAX_EXEMPTION_TITLE as u64 }>;

/// The titles of an exemption category.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title_az": "Daimi yaşamaq icazəsi olan əcnəbi",
    "title_en": "Holder of a permanent residence permit",
    "title_ru": "Иностранец с разрешением на постоянное проживание"}))]
pub struct ExemptionInput {
    #[schema(inline)]
    pub title_az: ExemptionTitle,
    #[schema(inline)]
    pub title_en: ExemptionTitle,
    #[schema(inline)]
    pub title_ru: ExemptionTitle,
}
