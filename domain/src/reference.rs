//! The built-in reference tables (SPEC §6). Written for this product from the
//! public standards: every ISCO-08 unit group with its English title plus the
//! Azerbaijani titles the guideline shows (part II: code 110's military
//! titles; step 8: 6123 and 7123), and NACE Rev. 2 sections with divisions.

/// One occupation entry: a unit-group code (4 digits) and one of its titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationEntry {
    pub code: &'static str,
    pub title: &'static str,
}

crate::wire_codes! {
    /// Level of an economic activity in NACE Rev. 2.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum ActivityLevel("economic activity level") {
        /// A letter A–U.
        Section => "section",
        /// Two digits, under one section.
        Division => "division",
    }
}

/// One economic activity of the classification (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEntry {
    pub code: &'static str,
    pub level: ActivityLevel,
    pub parent: Option<&'static str>,
    pub title: &'static str,
}

const OCCUPATIONS_TSV: &str = include_str!("../data/occupations.tsv");
const MAJOR_GROUPS_TSV: &str = include_str!("../data/isco08_major_groups.tsv");
const ACTIVITIES_TSV: &str = include_str!("../data/economic_activities.tsv");
const EXEMPTIONS_TSV: &str = include_str!("../data/exemption_categories.tsv");

/// A category of permits exempt from the quota, with titles in az, en, ru.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemptionEntry {
    pub code: &'static str,
    pub title_az: &'static str,
    pub title_en: &'static str,
    pub title_ru: &'static str,
}

/// The built-in exemption categories (SPEC §5.3; seed 003: Article 64 of
/// the Migration Code — permanent residents, entrepreneurs, business trips
/// up to 90 days a year, refugees and asylum seekers, victims of
/// trafficking, spouses of citizens, caregivers — and work in the liberated
/// Karabakh and Eastern Zangazur economic regions).
pub fn exemption_categories() -> Vec<ExemptionEntry> {
    rows(EXEMPTIONS_TSV)
        .filter_map(|r| match r.as_slice() {
            [code, az, en, ru] => Some(ExemptionEntry { code, title_az: az, title_en: en, title_ru: ru }),
            _ => None,
        })
        .collect()
}

fn rows(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines().filter(|l| !l.trim().is_empty()).map(|l| l.split('\t').collect())
}

/// The built-in Occupational Classification.
pub fn occupations() -> Vec<OccupationEntry> {
    rows(OCCUPATIONS_TSV)
        .filter_map(|r| match r.as_slice() {
            [code, title] => Some(OccupationEntry { code, title }),
            _ => None,
        })
        .collect()
}

/// The ten ISCO-08 major groups: code (one digit) and title.
pub fn major_groups() -> Vec<(&'static str, &'static str)> {
    rows(MAJOR_GROUPS_TSV)
        .filter_map(|r| match r.as_slice() {
            [code, title] => Some((*code, *title)),
            _ => None,
        })
        .collect()
}

/// The built-in economic-activity classification (NACE Rev. 2 sections and
/// divisions).
pub fn economic_activities() -> Vec<ActivityEntry> {
    rows(ACTIVITIES_TSV)
        .filter_map(|r| match r.as_slice() {
            [code, level, parent, title] => Some(ActivityEntry {
                code,
                level: if *level == "1" { ActivityLevel::Section } else { ActivityLevel::Division },
                parent: (!parent.is_empty()).then_some(*parent),
                title,
            }),
            _ => None,
        })
        .collect()
}

fn activities_table() -> &'static [ActivityEntry] {
    static TABLE: std::sync::OnceLock<Vec<ActivityEntry>> = std::sync::OnceLock::new();
    TABLE.get_or_init(economic_activities)
}

/// The economic activity `code`, if the classification has it.
pub fn economic_activity(code: &str) -> Option<&'static ActivityEntry> {
    activities_table().iter().find(|a| a.code == code)
}

/// The section an economic activity counts under: itself for a section, its
/// parent for a division (a division counts under its section in every
/// summary, issue on classifications).
pub fn section_of(code: &str) -> Option<&'static str> {
    economic_activity(code).map(|a| a.parent.unwrap_or(a.code))
}

/// Longest exemption title, in any language.
pub const MAX_EXEMPTION_TITLE: usize = 500;

/// Longest exemption category code.
pub const MAX_EXEMPTION_CODE: usize = 50;

/// The shape of an exemption category code: 1–[`MAX_EXEMPTION_CODE`]
/// lower-case letters, digits and `_`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ExemptionCodeShape;

impl crate::value::Shape for ExemptionCodeShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[a-z0-9_]{{1,{MAX_EXEMPTION_CODE}}}$").into()
    }

    fn min() -> u64 {
        1
    }

    fn max() -> u64 {
        MAX_EXEMPTION_CODE as u64
    }
}

/// An exemption category code as a request sends it.
pub type ExemptionCodeText = crate::value::Shaped<ExemptionCodeShape>;

/// An exemption category code: 1–50 lower-case letters, digits and `_`.
pub fn check_exemption_code(code: &str) -> Result<String, crate::FieldError> {
    let ok = !code.is_empty()
        && code.len() <= MAX_EXEMPTION_CODE
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(code.to_owned())
    } else {
        Err(crate::FieldError::new("code", crate::FieldCode::ExemptionCodeFormat))
    }
}

/// The three titles of an exemption category (az, en, ru), each required.
pub fn check_exemption_titles(az: &str, en: &str, ru: &str) -> Result<[String; 3], crate::ValidationErrors> {
    let mut errs = crate::ValidationErrors::default();
    let mut out = [String::new(), String::new(), String::new()];
    for (i, (field, raw)) in [("title_az", az), ("title_en", en), ("title_ru", ru)].into_iter().enumerate() {
        match crate::text::required(field, raw, MAX_EXEMPTION_TITLE) {
            Ok(t) => out[i] = t,
            Err(e) => errs.push(e),
        }
    }
    errs.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::occupation::OccupationCode;
    use std::collections::HashSet;

    #[test]
    fn every_row_of_every_table_parses() {
        assert_eq!(occupations().len(), OCCUPATIONS_TSV.lines().count());
        assert_eq!(major_groups().len(), 10);
        assert_eq!(economic_activities().len(), ACTIVITIES_TSV.lines().count());
    }

    #[test]
    fn all_436_unit_groups_with_valid_codes() {
        let codes: HashSet<&str> = occupations().iter().map(|o| o.code).collect();
        assert_eq!(codes.len(), 436);
        for c in &codes {
            assert_eq!(OccupationCode::parse(c).map(|x| x.to_string()).as_deref(), Some(*c));
        }
        let majors: HashSet<&str> = major_groups().iter().map(|m| m.0).collect();
        assert!(codes.iter().all(|c| majors.contains(&c[..1])));
    }

    #[test]
    fn the_guideline_titles_are_built_in() {
        let all = occupations();
        let has = |code: &str, title: &str| all.iter().any(|o| o.code == code && o.title == title);
        assert!(has("6123", "Fermer, ipəkçilik"));
        assert!(has("7123", "Bənna, xarici suvaq"));
        assert!(has("0110", "Marşal, aviasiya"));
        assert_eq!(all.iter().filter(|o| o.code == "0110").count(), 20);
        let pairs: HashSet<(&str, &str)> = all.iter().map(|o| (o.code, o.title)).collect();
        assert_eq!(pairs.len(), all.len(), "no pair repeats");
    }

    #[test]
    fn exemptions_include_article_64_and_the_liberated_territories() {
        let e = exemption_categories();
        assert_eq!(e.len(), EXEMPTIONS_TSV.lines().count());
        assert!(e.iter().any(|x| x.code == "liberated_territories"));
        assert!(e.iter().any(|x| x.code == "permanent_resident"));
        // SPEC §16.1.8: each ground of seed 003 fn 17 is its own code.
        for code in [
            "international_organisation",
            "diplomatic_mission",
            "media_representative",
            "sailor",
            "invited_academic",
            "invited_artist",
            "religious_official",
        ] {
            assert!(e.iter().any(|x| x.code == code), "{code}");
        }
        assert!(e.iter().all(|x| !x.title_az.is_empty() && !x.title_en.is_empty() && !x.title_ru.is_empty()));
        assert!(major_groups().contains(&("7", "Craft and related trades workers")));
    }

    #[test]
    fn a_division_counts_under_its_section() {
        assert_eq!(section_of("41"), Some("F"));
        assert_eq!(section_of("F"), Some("F"));
        assert_eq!(section_of("Z"), None);
    }

    #[test]
    fn sections_a_to_u_with_their_divisions() {
        let acts = economic_activities();
        let sections: Vec<&str> = acts.iter().filter(|a| a.level == ActivityLevel::Section).map(|a| a.code).collect();
        assert_eq!(sections.concat(), "ABCDEFGHIJKLMNOPQRSTU");
        let divisions: Vec<&ActivityEntry> = acts.iter().filter(|a| a.level == ActivityLevel::Division).collect();
        assert_eq!(divisions.len(), 88);
        assert!(divisions.iter().all(|d| d.parent.is_some_and(|p| sections.contains(&p))));
        let f = acts.iter().find(|a| a.code == "41").unwrap();
        assert_eq!(f.parent, Some("F"));
    }
}
