//! The six criteria of the assessment, their maximum points and the state
//! bodies that score them (seed 002, the table of criteria; SPEC §14.3).

use crate::error::{FieldCode, FieldError, ValidationErrors};
use std::collections::BTreeMap;

/// The most points an application can total: the sum of the six maxima
/// (seed 002: 35 + 20 + 15 + 15 + 10 + 5; SPEC §14.3).
pub const MAX_TOTAL: u32 = 100;
/// The total at or above which, with no objection standing, the applicant is
/// recognised (seed 002: 70 points or more; SPEC §14.3).
pub const THRESHOLD: u32 = 70;
/// The most points any one criterion gives: work experience's 35 (seed 002).
pub const MAX_CRITERION_POINTS: i64 = 35;
/// Longest written justification of a score, in characters (SPEC §14.3).
pub const MAX_JUSTIFICATION: usize = 2_000;

crate::wire_codes! {
    /// A scoring authority, as named by an assessor token's `authority` claim
    /// (SPEC §14.1, §14.3).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Authority("authority") {
        /// The state body in charge of policy and regulation in the applicant's
        /// field (seed 002, criterion 1).
        Sectoral => "sectoral",
        /// Ministry of Economy (seed 002, criterion 2).
        Economy => "economy",
        /// Ministry of Science and Education (seed 002, criteria 3 and 6).
        Education => "education",
        /// State Migration Service (seed 002, criterion 4).
        Sms => "sms",
        /// Ministry of Labour and Social Protection of Population (seed 002,
        /// criterion 5).
        Labour => "labour",
    }
}

/// An authority as a list's filter names it.
pub type AuthorityText = crate::value::Shaped<crate::value::OneOf<Authority>>;

impl Authority {
    /// Whether an assessor of this authority may score `criterion`: only the
    /// authority the Decision names for it (seed 002; SPEC §14.1: an assessor
    /// scores only its authority's criteria). The State Migration Service may
    /// verify language skills (seed 002, criterion 6) but does not score them.
    pub fn may_score(self, criterion: Criterion) -> bool {
        criterion.authority() == self
    }

    /// The criteria this authority scores: its queue (SPEC §14.1, §14.6).
    pub fn criteria(self) -> Vec<Criterion> {
        Criterion::ALL.iter().copied().filter(|c| self.may_score(*c)).collect()
    }
}

crate::wire_codes! {
    /// One criterion of the assessment (seed 002, the table of criteria;
    /// SPEC §14.3). Ordered as the Decision numbers them.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Criterion("criterion") {
        /// Criterion 1: work experience in the field over the past 15 years,
        /// position, achievements; 0–35, the sectoral authority.
        WorkExperience => "work_experience",
        /// Criterion 2: alignment with the country's socio-economic priorities;
        /// 0–20, Ministry of Economy.
        NationalPriorities => "national_priorities",
        /// Criterion 3: education (ranking, level, degree, accreditation); 0–15,
        /// Ministry of Science and Education.
        Education => "education",
        /// Criterion 4: income of the past two years or funds in a bank account;
        /// 0–15, State Migration Service.
        FinancialStability => "financial_stability",
        /// Criterion 5: positive impact on the domestic labour market; 0–10,
        /// Ministry of Labour and Social Protection of Population.
        LabourMarketImpact => "labour_market_impact",
        /// Criterion 6: a foreign language (a certificate of level B2 or higher,
        /// or studies in az, tr, en or ru); 0–5, Ministry of Science and Education.
        LanguageSkills => "language_skills",
    }
}

/// A criterion as a path names it.
pub type CriterionText = crate::value::Shaped<crate::value::OneOf<Criterion>>;

impl Criterion {
    /// The most points the criterion can give (seed 002: 35, 20, 15, 15, 10, 5).
    pub fn max_points(self) -> u32 {
        match self {
            Criterion::WorkExperience => 35,
            Criterion::NationalPriorities => 20,
            Criterion::Education => 15,
            Criterion::FinancialStability => 15,
            Criterion::LabourMarketImpact => 10,
            Criterion::LanguageSkills => 5,
        }
    }

    /// The one authority that scores the criterion (seed 002; SPEC §14.3).
    pub fn authority(self) -> Authority {
        match self {
            Criterion::WorkExperience => Authority::Sectoral,
            Criterion::NationalPriorities => Authority::Economy,
            Criterion::Education | Criterion::LanguageSkills => Authority::Education,
            Criterion::FinancialStability => Authority::Sms,
            Criterion::LabourMarketImpact => Authority::Labour,
        }
    }
}

/// One criterion's score: a whole number from 0 to the criterion's maximum
/// with a written justification, non-blank and at most
/// [`MAX_JUSTIFICATION`] characters (SPEC §14.3). A `Score` that exists is
/// valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    criterion: Criterion,
    points: u32,
    justification: String,
}

impl Score {
    /// Checks `points` and `justification` for `criterion` (SPEC §14.3), both
    /// at once: errors name the body's fields `points` (`out_of_range`, with
    /// `min` and `max`) and `justification` (`required`, `length`). The
    /// justification is trimmed; its line breaks are kept.
    pub fn new(criterion: Criterion, points: i64, justification: &str) -> Result<Score, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let max = criterion.max_points();
        let points = match u32::try_from(points) {
            Ok(p) if p <= max => Some(p),
            _ => {
                errs.push(FieldError::new("points", FieldCode::OutOfRange).with("min", 0).with("max", max));
                None
            }
        };
        let justification =
            super::text_block("justification", justification, MAX_JUSTIFICATION, true).map_err(|e| errs.push(e));
        match (points, justification) {
            (Some(points), Ok(Some(justification))) if errs.is_empty() => {
                Ok(Score { criterion, points, justification })
            }
            _ => Err(errs),
        }
    }

    /// The criterion scored (SPEC §14.3).
    pub fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// The points given, within the criterion's range (SPEC §14.3).
    pub fn points(&self) -> u32 {
        self.points
    }

    /// The written justification, trimmed (SPEC §14.3).
    pub fn justification(&self) -> &str {
        &self.justification
    }
}

/// The scores given so far, at most one per criterion: a criterion is scored
/// once by its authority and may be re-scored until the decision, the new
/// score replacing the old (SPEC §14.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreSheet(BTreeMap<Criterion, Score>);

impl ScoreSheet {
    /// A sheet with no score yet: an application just submitted (SPEC §14.2).
    pub fn new() -> ScoreSheet {
        ScoreSheet::default()
    }

    /// Records `score`, returning the one it replaces (SPEC §14.3: re-scoring).
    pub fn set(&mut self, score: Score) -> Option<Score> {
        self.0.insert(score.criterion, score)
    }

    /// The current score of `criterion`, if it has one (SPEC §14.3).
    pub fn get(&self, criterion: Criterion) -> Option<&Score> {
        self.0.get(&criterion)
    }

    /// The scores in the Decision's order of criteria (seed 002).
    pub fn scores(&self) -> impl Iterator<Item = &Score> {
        self.0.values()
    }

    /// The sum of the points given so far (SPEC §14.3: at most [`MAX_TOTAL`]).
    pub fn total(&self) -> u32 {
        self.0.values().map(|s| s.points).sum()
    }

    /// The criteria not scored yet, in the Decision's order (seed 002): what
    /// the decision waits for (SPEC §14.2).
    pub fn missing(&self) -> Vec<Criterion> {
        Criterion::ALL.iter().copied().filter(|c| !self.0.contains_key(c)).collect()
    }

    /// All six criteria are scored (SPEC §14.2: a condition of the decision).
    pub fn is_complete(&self) -> bool {
        self.0.len() == Criterion::ALL.len()
    }
}

impl FromIterator<Score> for ScoreSheet {
    /// Later scores of a criterion replace earlier ones, as re-scoring does.
    fn from_iter<I: IntoIterator<Item = Score>>(iter: I) -> ScoreSheet {
        let mut sheet = ScoreSheet::new();
        for s in iter {
            sheet.set(s);
        }
        sheet
    }
}

/// What an application holds as evidence for the criteria that need it
/// (SPEC §16.4.6), as of its submission date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// A language certificate at B2 or higher, not expired on the
    /// submission date.
    pub valid_certificate_b2: bool,
    /// The highest education was taught in az, tr, en or ru.
    pub studied_in_a_counted_language: bool,
    /// A document of kind `income_statement` or `bank_statement`.
    pub financial_document: bool,
}

/// The evidence an application lacks for `points` on `criterion`
/// (SPEC §16.4.6): `language_skills` above 0 needs a valid certificate at B2
/// or higher or studies in az, tr, en or ru (missing: `language_certificate`
/// and `study_language`, either would do); `financial_stability` above 0
/// needs an `income_statement` or a `bank_statement`. Other criteria, and 0
/// points, need nothing here.
pub fn check_evidence(criterion: Criterion, points: u32, evidence: &Evidence) -> Result<(), Vec<&'static str>> {
    if points == 0 {
        return Ok(());
    }
    match criterion {
        Criterion::LanguageSkills if !(evidence.valid_certificate_b2 || evidence.studied_in_a_counted_language) => {
            Err(vec!["language_certificate", "study_language"])
        }
        Criterion::FinancialStability if !evidence.financial_document => {
            Err(vec!["income_statement", "bank_statement"])
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_and_financial_points_need_their_evidence() {
        let none = Evidence::default();
        assert_eq!(
            check_evidence(Criterion::LanguageSkills, 3, &none),
            Err(vec!["language_certificate", "study_language"])
        );
        assert_eq!(check_evidence(Criterion::LanguageSkills, 0, &none), Ok(()), "no points need no evidence");
        let cert = Evidence { valid_certificate_b2: true, ..none };
        assert_eq!(check_evidence(Criterion::LanguageSkills, 5, &cert), Ok(()));
        let studied = Evidence { studied_in_a_counted_language: true, ..none };
        assert_eq!(check_evidence(Criterion::LanguageSkills, 5, &studied), Ok(()));
        assert_eq!(
            check_evidence(Criterion::FinancialStability, 1, &studied),
            Err(vec!["income_statement", "bank_statement"])
        );
        let money = Evidence { financial_document: true, ..none };
        assert_eq!(check_evidence(Criterion::FinancialStability, 15, &money), Ok(()));
        assert_eq!(check_evidence(Criterion::WorkExperience, 35, &none), Ok(()));
    }
    use crate::lang::Lang;

    #[test]
    fn the_maxima_of_the_decision_add_up_to_the_maximum_total() {
        let maxima: Vec<u32> = Criterion::ALL.iter().map(|c| c.max_points()).collect();
        assert_eq!(maxima, [35, 20, 15, 15, 10, 5]);
        assert_eq!(maxima.iter().max().map(|m| i64::from(*m)), Some(MAX_CRITERION_POINTS));
        assert_eq!(maxima.iter().sum::<u32>(), MAX_TOTAL);
        assert_eq!((MAX_TOTAL, THRESHOLD), (100, 70));
    }

    #[test]
    fn each_criterion_has_the_authority_of_the_decision() {
        let table: Vec<String> =
            Criterion::ALL.iter().map(|c| format!("{}:{}", c.as_str(), c.authority().as_str())).collect();
        assert_eq!(
            table.join(" "),
            "work_experience:sectoral national_priorities:economy education:education \
             financial_stability:sms labour_market_impact:labour language_skills:education"
        );
    }

    #[test]
    fn codes_round_trip_and_nothing_else_parses() {
        for &c in Criterion::ALL {
            assert_eq!(Criterion::parse(c.as_str()), Some(c));
        }
        for &a in Authority::ALL {
            assert_eq!(Authority::parse(a.as_str()), Some(a));
        }
        assert_eq!(Criterion::parse("Education"), None);
        assert_eq!(Criterion::parse("language"), None);
        assert_eq!(Authority::parse("SMS"), None);
        assert_eq!(Authority::parse("ministry_of_economy"), None);
    }

    #[test]
    fn an_authority_scores_only_its_own_criteria() {
        assert_eq!(Authority::Education.criteria(), [Criterion::Education, Criterion::LanguageSkills]);
        assert!(Authority::Sms.may_score(Criterion::FinancialStability));
        assert!(!Authority::Sms.may_score(Criterion::LanguageSkills), "SMS verifies language skills, never scores");
        assert!(!Authority::Economy.may_score(Criterion::WorkExperience));
        let scored_by_someone: usize = Authority::ALL.iter().map(|a| a.criteria().len()).sum();
        assert_eq!(scored_by_someone, Criterion::ALL.len(), "every criterion has exactly one authority");
    }

    #[test]
    fn every_title_exists_in_the_four_languages() {
        for &l in Lang::ALL {
            for &c in Criterion::ALL {
                assert!(!crate::messages::criteria::criterion(c, l).trim().is_empty(), "{c:?} in {l:?}");
            }
            for &a in Authority::ALL {
                assert!(!crate::messages::criteria::authority(a, l).trim().is_empty(), "{a:?} in {l:?}");
            }
        }
        assert_eq!(crate::messages::criteria::criterion(Criterion::Education, Lang::Az), "Təhsil");
        assert_eq!(
            crate::messages::criteria::authority(Authority::Sms, Lang::Ru),
            "Государственная миграционная служба"
        );
    }

    #[test]
    fn a_score_is_a_whole_number_within_the_criterion_with_a_justification() {
        let s =
            Score::new(Criterion::WorkExperience, 35, "  Twelve years as a lead engineer.\n\nTwo patents. ").unwrap();
        assert_eq!((s.criterion(), s.points()), (Criterion::WorkExperience, 35));
        assert_eq!(s.justification(), "Twelve years as a lead engineer.\n\nTwo patents.");
        assert!(Score::new(Criterion::LanguageSkills, 0, "No certificate").is_ok());

        let codes = |r: Result<Score, ValidationErrors>| -> Vec<(String, &'static str)> {
            r.unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
        };
        assert_eq!(codes(Score::new(Criterion::LanguageSkills, 6, "C1")), [("points".into(), "out_of_range")]);
        assert_eq!(codes(Score::new(Criterion::Education, -1, "x")), [("points".into(), "out_of_range")]);
        assert_eq!(codes(Score::new(Criterion::Education, i64::MAX, "x")), [("points".into(), "out_of_range")]);
        assert_eq!(
            codes(Score::new(Criterion::Education, 16, " \n ")),
            [("points".into(), "out_of_range"), ("justification".into(), "required")]
        );
        assert!(Score::new(Criterion::Education, 15, &"a".repeat(MAX_JUSTIFICATION)).is_ok());
        assert_eq!(
            codes(Score::new(Criterion::Education, 15, &"a".repeat(MAX_JUSTIFICATION + 1))),
            [("justification".into(), "length")]
        );
        let e = Score::new(Criterion::NationalPriorities, 21, "x").unwrap_err().0.remove(0);
        assert_eq!(e.params.get("max").map(String::as_str), Some("20"));
    }

    #[test]
    fn a_re_score_replaces_the_earlier_one() {
        let mut sheet = ScoreSheet::new();
        assert_eq!(sheet.missing(), Criterion::ALL);
        sheet.set(Score::new(Criterion::Education, 10, "Master's degree").unwrap());
        let old = sheet.set(Score::new(Criterion::Education, 12, "Master's degree, accredited").unwrap());
        assert_eq!(old.map(|s| s.points()), Some(10));
        assert_eq!(sheet.total(), 12);
        assert_eq!(sheet.missing().len(), 5);
        assert!(!sheet.is_complete());
        let full: ScoreSheet =
            Criterion::ALL.iter().copied().map(|c| Score::new(c, i64::from(c.max_points()), "full").unwrap()).collect();
        assert!(full.is_complete());
        assert_eq!(full.total(), MAX_TOTAL);
        assert_eq!(full.get(Criterion::LanguageSkills).map(Score::points), Some(5));
    }
}
