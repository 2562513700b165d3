//! Filing a new forecast: the one decision over the filing's facts (SPEC
//! §3, §4.1–§4.4, §15.1, §15.2). The application carries it out in a
//! transaction, or on PostgreSQL in one statement whose guards are the facts
//! this decision assumed; a guard that fails sends the filing back here
//! with the facts read again.

use crate::campaign::{
    campaign_of, check_target_year, earliest_target_year, CalendarRefusal, Campaign, MAX_TARGET_YEAR, MIN_TARGET_YEAR,
};
use crate::error::ValidationErrors;
use crate::forecast::{
    check_submittable, validate_forecast, Context, EmployerInput, EmployerSection, ForecastLine, KnownEntries,
    LineInput, MAX_LINES,
};
use crate::lifecycle::Refusal;
use crate::role::Role;
use crate::status::{ForecastAction, ForecastStatus, FORECASTS};
use crate::value::{List, Number};
use chrono::NaiveDate;
use serde::Deserialize;

/// A target year as a request names it (SPEC §15.1: the campaign decides
/// which are open).
pub type TargetYear = Number<{ MIN_TARGET_YEAR as i64 }, { MAX_TARGET_YEAR as i64 }>;

/// The lines of a forecast as sent: at most [`MAX_LINES`] (SPEC §4.2), none
/// in a draft is fine.
pub type Lines = List<LineInput, MAX_LINES>;

/// A new forecast: a draft, or with `"submit": true` created and submitted
/// in one step (SPEC §13, for ERP systems).
///
/// The example creates a draft for the employer of TIN 1012345061 (mint its
/// token with `quota-api token --role employer --tin 1012345061`).
/// Submitting needs the target year's campaign open (admin: `PUT
/// /api/v1/campaigns/{year}`) and a confirmed e-mail.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ForecastCreate, example = create_example))]
pub struct NewForecastInput {
    /// Any year after the current one (Baku time) whose campaign's submission
    /// deadline has not passed; defaults to the earliest such year. One
    /// forecast per employer and year.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub target_year: Option<TargetYear>,
    /// Submit at once (an ERP system's single call).
    #[serde(default)]
    pub submit: bool,
    pub employer: EmployerInput,
    /// At most 200; none in a draft is fine.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub lines: Lines,
}

/// The employer section and all lines, replacing what the forecast holds
/// (SPEC §13 `PUT`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = replace_example))]
pub struct ForecastReplace {
    /// Omitted: unchanged. A draft may move to another year whose campaign
    /// takes forecasts; other statuses keep theirs (SPEC §15.1).
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub target_year: Option<TargetYear>,
    pub employer: EmployerInput,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub lines: Lines,
}

/// The employer and lines of the create and replace examples.
#[cfg(feature = "openapi")]
fn example_parts() -> (serde_json::Value, serde_json::Value) {
    let employer = serde_json::json!({"person_type": "legal", "tin": "1012345061", "organization_name": "Abşeron Tikinti MMC",
        "legal_form": "MMC", "name": null, "surname": null, "patronymic": null,
        "legal_address": "Bakı, Nizami küç. 1", "current_address": "Bakı, Nizami küç. 1",
        "workplace_address": "Sumqayıt, Sənaye zonası", "tin_issued_on": "2015-03-02",
        "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"});
    let lines = serde_json::json!([{"occupation_code": "6123", "occupation_title": "Fermer, ipəkçilik", "demand_total": 2,
        "demand_foreigners": 1, "justification": "No local sericulturists for the new plantation",
        "quota_usage": "other", "note": null}]);
    (employer, lines)
}

#[cfg(feature = "openapi")]
fn create_example() -> serde_json::Value {
    let (employer, lines) = example_parts();
    serde_json::json!({"submit": false, "employer": employer, "lines": lines})
}

#[cfg(feature = "openapi")]
fn replace_example() -> serde_json::Value {
    let (employer, lines) = example_parts();
    serde_json::json!({"employer": employer, "lines": lines})
}

/// What a filing depends on besides its input.
#[derive(Debug, Clone, Copy)]
pub struct FilingFacts<'a> {
    /// Today in Baku.
    pub today: NaiveDate,
    /// The caller's roles and the TIN its token names.
    pub roles: &'a [Role],
    pub caller_tin: Option<&'a str>,
    /// The campaigns `admin` set for target years after today's year.
    pub campaigns: &'a [Campaign],
    /// The classification entries and activities the input names.
    pub known: &'a KnownEntries,
    /// Whether the employer's contact e-mail is confirmed (SPEC §3).
    pub email_confirmed: bool,
    /// The employer's live forecast of the year asked ([`year_asked`]), if any.
    pub live_forecast: Option<&'a str>,
}

/// The target year a filing asks for: the one given, or the earliest whose
/// campaign takes forecasts on `today` (SPEC §15.1). `None`: none to look at.
pub fn year_asked(given: Option<TargetYear>, today: NaiveDate, campaigns: &[Campaign]) -> Option<i32> {
    match given {
        Some(y) => i32::try_from(y.get()).ok(),
        None => earliest_target_year(today, campaigns),
    }
}

/// A filing decided: what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub target_year: i32,
    pub section: EmployerSection,
    pub lines: Vec<ForecastLine>,
    /// `draft`, or `submitted` when filed and submitted at once.
    pub status: ForecastStatus,
}

impl Filing {
    /// The history of the new forecast: created, then submitted if it was.
    pub fn steps(&self) -> Vec<(Option<ForecastStatus>, ForecastStatus)> {
        let mut steps = vec![(None, ForecastStatus::Draft)];
        if self.status != ForecastStatus::Draft {
            steps.push((Some(ForecastStatus::Draft), self.status));
        }
        steps
    }
}

/// Why a filing is refused, in the order the checks run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilingRefusal {
    /// The employer has a live forecast of that year (409, SPEC §15.2).
    Exists { id: String },
    /// The input breaks its rules, every error collected (422).
    Invalid(ValidationErrors),
    /// The status machine refuses the submission (403).
    Refused(Refusal),
    /// Submission needs a confirmed contact e-mail (422, SPEC §3).
    EmailNotConfirmed,
    /// The campaign does not take the submission today (422, SPEC §4.4).
    Calendar(CalendarRefusal),
}

/// Decides a filing of `input` on `facts`: the state of stored data (409)
/// before the input (422), the submission's rules last (SPEC §7's order).
pub fn decide(input: &NewForecastInput, facts: &FilingFacts<'_>) -> Result<Filing, FilingRefusal> {
    if let Some(id) = facts.live_forecast {
        return Err(FilingRefusal::Exists { id: id.to_owned() });
    }
    let ctx = Context { today: facts.today, caller_tin: facts.caller_tin, known: facts.known };
    let year = check_target_year(input.target_year.map(TargetYear::get), facts.today, facts.campaigns);
    let content = validate_forecast(&input.employer, &input.lines, &ctx);
    let (target_year, (section, lines)) = match (year, content) {
        (Ok(y), Ok(c)) => (y, c),
        (y, c) => {
            let mut errs = y.err().unwrap_or_default();
            errs.0.extend(c.err().unwrap_or_default().0);
            return Err(FilingRefusal::Invalid(errs));
        }
    };
    let status = if input.submit {
        let status = FORECASTS
            .next(ForecastStatus::Draft, ForecastAction::Submit, facts.roles)
            .map_err(FilingRefusal::Refused)?;
        if !facts.email_confirmed {
            return Err(FilingRefusal::EmailNotConfirmed);
        }
        check_submittable(lines.len()).map_err(FilingRefusal::Invalid)?;
        campaign_of(target_year, facts.campaigns)
            .check_submission(facts.today, None)
            .map_err(FilingRefusal::Calendar)?;
        status
    } else {
        ForecastStatus::Draft
    };
    Ok(Filing { target_year, section, lines, status })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::QuotaUsage;
    use crate::tin::PersonType;

    fn input(submit: bool) -> NewForecastInput {
        NewForecastInput {
            target_year: Some(2027.into()),
            employer: EmployerInput {
                person_type: PersonType::Legal,
                tin: "1012345061".into(),
                organization_name: Some("Abşeron Tikinti MMC".into()),
                legal_form: None,
                name: None,
                surname: None,
                patronymic: None,
                legal_address: "Bakı".into(),
                current_address: "Bakı".into(),
                workplace_address: "Sumqayıt".into(),
                tin_issued_on: NaiveDate::from_ymd_opt(2015, 3, 2).unwrap().into(),
                employees_total: 120.into(),
                foreign_workers: 4.into(),
                economic_activity: "F".into(),
            },
            lines: vec![LineInput {
                occupation_code: "7123".into(),
                occupation_title: "Bənna, xarici suvaq".into(),
                demand_total: 3.into(),
                demand_foreigners: 3.into(),
                justification: "No local plasterers".into(),
                quota_usage: QuotaUsage::Other,
                note: None,
            }]
            .into(),
            submit,
        }
    }

    fn known() -> KnownEntries {
        let mut k = KnownEntries::default();
        k.occupations.insert("7123".into(), vec!["Bənna, xarici suvaq".into()]);
        k.note_activity(Some("F"));
        k
    }

    fn facts<'a>(known: &'a KnownEntries, today: &str) -> FilingFacts<'a> {
        FilingFacts {
            today: today.parse().unwrap(),
            roles: &[Role::Employer],
            caller_tin: Some("1012345061"),
            campaigns: &[],
            known,
            email_confirmed: true,
            live_forecast: None,
        }
    }

    #[test]
    fn a_draft_and_a_submission_in_the_campaign() {
        let k = known();
        let f = facts(&k, "2026-05-01");
        assert_eq!(decide(&input(false), &f).unwrap().status, ForecastStatus::Draft);
        let filed = decide(&input(true), &f).unwrap();
        assert_eq!((filed.status, filed.target_year), (ForecastStatus::Submitted, 2027));
        assert_eq!(filed.steps().len(), 2);
    }

    #[test]
    fn the_existing_forecast_is_named_before_the_input_is_read() {
        let k = known();
        let mut bad = input(true);
        bad.lines = Vec::new().into();
        bad.employer.tin = "nonsense".into();
        let f = FilingFacts { live_forecast: Some("f1"), ..facts(&k, "2026-05-01") };
        assert_eq!(decide(&bad, &f), Err(FilingRefusal::Exists { id: "f1".into() }));
    }

    #[test]
    fn the_submission_rules_come_after_the_input() {
        let k = known();
        let unconfirmed = FilingFacts { email_confirmed: false, ..facts(&k, "2026-05-01") };
        assert_eq!(decide(&input(true), &unconfirmed), Err(FilingRefusal::EmailNotConfirmed));
        assert!(decide(&input(false), &unconfirmed).is_ok(), "a draft needs no e-mail");
        let early = NewForecastInput { target_year: Some(2028.into()), ..input(true) };
        assert!(matches!(decide(&early, &facts(&k, "2026-05-01")), Err(FilingRefusal::Calendar(_))));
        let late = facts(&k, "2026-08-02");
        assert!(matches!(decide(&input(true), &late), Err(FilingRefusal::Invalid(_))), "the year is closed");
        let staff = FilingFacts { roles: &[Role::Officer], ..facts(&k, "2026-05-01") };
        assert!(matches!(decide(&input(true), &staff), Err(FilingRefusal::Refused(_))));
    }
}
