//! The forecast (proqnoz-məlumat): the employer section and the lines, with
//! every check of SPEC §4.1–§4.2 (guideline steps 6–8 and part II).

use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::occupation::OccupationCode;
use crate::text::{caseless, tidy};
use crate::tin::{PersonType, Tin};
use crate::value::{Date, Number, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use validator::Validate;

/// At most this many lines in one forecast (SPEC §4.2).
pub const MAX_LINES: usize = 200;
/// Headcounts are whole numbers from 0 to this (SPEC §4.1).
pub const MAX_COUNT: i64 = 1_000_000;
/// Longest justification for attracting foreign labour (SPEC §4.2).
pub const MAX_JUSTIFICATION: u64 = 2_000;
/// Longest note on a line (SPEC §4.2).
pub const MAX_NOTE: u64 = 500;
/// Longest personal name part (name, surname, patronymic).
pub const MAX_PERSON_NAME: u64 = 100;
/// Longest organisation name.
pub const MAX_ORGANIZATION_NAME: u64 = 300;
/// Longest organisational-legal form.
pub const MAX_LEGAL_FORM: u64 = 100;
/// Longest address.
pub const MAX_ADDRESS: u64 = 500;
/// Longest occupation title as typed.
pub const MAX_OCCUPATION_TITLE: u64 = 300;
/// Longest economic-activity code as typed.
pub const MAX_ACTIVITY_CODE: u64 = 10;

crate::wire_codes! {
    /// "Regarding the use of the quota for the current year" (guideline step 7):
    /// work on territories freed from occupation is exempt from the quota
    /// (SPEC §4.2, §5.3; seed 003).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum QuotaUsage("quota usage") {
        LiberatedTerritories => "liberated_territories",
        Other => "other",
    }
}

/// The employer section as the caller sends it (guideline step 6), stored
/// as a snapshot with the forecast. The example is a legal person; a physical
/// person (TIN ending in 2) sends `name`, `surname` and `patronymic` instead
/// of the organisation's name. Limits that are plain lengths and ranges are
/// the fields' types.
#[derive(Debug, Clone, PartialEq, Validate, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Employer, example = json!({
    "person_type": "legal", "tin": "1012345061", "organization_name": "Abşeron Tikinti MMC", "legal_form": "MMC",
    "name": null, "surname": null, "patronymic": null,
    "legal_address": "Bakı, Nizami küç. 1", "current_address": "Bakı, Nizami küç. 1",
    "workplace_address": "Sumqayıt, Sənaye zonası", "tin_issued_on": "2015-03-02",
    "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"})))]
pub struct EmployerInput {
    pub person_type: PersonType,
    /// VÖEN: 10 digits; the 9th a check digit, the 10th `1` (legal) or `2` (physical).
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub tin: crate::tin::TinText,
    /// Required for a legal person.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub organization_name: Option<Text<0, { MAX_ORGANIZATION_NAME }>>,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub legal_form: Option<Text<0, { MAX_LEGAL_FORM }>>,
    /// Required for a physical person.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub name: Option<Text<0, { MAX_PERSON_NAME }>>,
    /// Required for a physical person.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub surname: Option<Text<0, { MAX_PERSON_NAME }>>,
    /// Required for a physical person.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub patronymic: Option<Text<0, { MAX_PERSON_NAME }>>,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub legal_address: Text<1, { MAX_ADDRESS }>,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub current_address: Text<1, { MAX_ADDRESS }>,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub workplace_address: Text<1, { MAX_ADDRESS }>,
    /// Date of issue of the TIN certificate; not in the future.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub tin_issued_on: Date,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub employees_total: Number<0, { MAX_COUNT }>,
    /// At most `employees_total`.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub foreign_workers: Number<0, { MAX_COUNT }>,
    /// Code of the economic activity (NACE Rev. 2 section or division).
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub economic_activity: Text<1, { MAX_ACTIVITY_CODE }>,
}

/// One forecast line as the caller sends it (guideline step 7). The code and
/// title must belong together in the classification, and a forecast holds at
/// most [`MAX_LINES`] distinct lines.
#[derive(Debug, Clone, PartialEq, Validate, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "occupation_code": "7123", "occupation_title": "Bənna, xarici suvaq", "demand_total": 3,
    "demand_foreigners": 3, "justification": "No local plasterers available for facade work",
    "quota_usage": "other", "note": "Facade works, Sumqayıt site"})))]
pub struct LineInput {
    /// Unit-group code; `110` is read as `0110`.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub occupation_code: crate::occupation::CodeText,
    /// A title of that code in the classification (case is not significant).
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub occupation_title: Text<1, { MAX_OCCUPATION_TITLE }>,
    /// Demand for additional manpower, total number of persons.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub demand_total: Number<1, { MAX_COUNT }>,
    /// Of which foreigners: 1 to `demand_total`.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub demand_foreigners: Number<1, { MAX_COUNT }>,
    /// Justification for attracting foreign labour.
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub justification: Text<1, { MAX_JUSTIFICATION }>,
    pub quota_usage: QuotaUsage,
    #[validate(nested)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub note: Option<Text<0, { MAX_NOTE }>>,
}

/// A validated employer section: the snapshot stored with the forecast, so
/// later edits of a profile never rewrite history (SPEC §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerSection {
    pub person_type: PersonType,
    pub tin: Tin,
    pub organization_name: Option<String>,
    pub legal_form: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub patronymic: Option<String>,
    pub legal_address: String,
    pub current_address: String,
    pub workplace_address: String,
    pub tin_issued_on: NaiveDate,
    pub employees_total: i64,
    pub foreign_workers: i64,
    pub economic_activity: String,
}

impl EmployerSection {
    /// The name shown for the employer: the organisation, or the person's
    /// full name.
    pub fn display_name(&self) -> String {
        match self.person_type {
            PersonType::Legal => self.organization_name.clone().unwrap_or_default(),
            PersonType::Physical => [&self.surname, &self.name, &self.patronymic]
                .iter()
                .filter_map(|p| p.as_deref())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// A validated forecast line. The title is the classification's own spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastLine {
    pub occupation_code: OccupationCode,
    pub occupation_title: String,
    pub demand_total: i64,
    pub demand_foreigners: i64,
    pub justification: String,
    pub quota_usage: QuotaUsage,
    pub note: Option<String>,
}

/// Which stored line each line of a replacement keeps (`PUT` of a forecast,
/// issue 26): the stored line with the same occupation code and title, a
/// line's identity (SPEC §4.2: never two lines with the same code and
/// title), so a front end's per-line state survives a save. `stored` is
/// (id, code, title); `None`: a new line, which gets a new id.
pub fn kept_line_ids(stored: &[(String, String, String)], lines: &[ForecastLine]) -> Vec<Option<String>> {
    let mut taken = vec![false; stored.len()];
    lines
        .iter()
        .map(|l| {
            let i = stored.iter().enumerate().position(|(i, (_, code, title))| {
                !taken[i] && code == l.occupation_code.as_str() && *title == l.occupation_title
            })?;
            taken[i] = true;
            Some(stored[i].0.clone())
        })
        .collect()
}

/// The classification entries a validation may need, looked up beforehand by
/// the caller (the domain does no I/O): the current titles of each code the
/// input names, and whether the economic activity exists.
#[derive(Debug, Clone, Default)]
pub struct KnownEntries {
    /// Code → current (not retired) titles of that code.
    pub occupations: HashMap<String, Vec<String>>,
    /// Codes of economic activities that exist.
    pub activities: HashSet<String>,
}

impl KnownEntries {
    /// The well-formed occupation codes among `codes`, each once: the ones
    /// worth looking up.
    pub fn codes_to_look_up<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let set: HashSet<String> =
            codes.into_iter().filter_map(crate::occupation::OccupationCode::parse).map(|c| c.to_string()).collect();
        set.into_iter().collect()
    }

    /// Notes the economic activity `code` if the built-in table (SPEC §6,
    /// NACE Rev. 2) has it; activities change only with the product.
    pub fn note_activity(&mut self, code: Option<&str>) {
        if let Some(a) = code.map(str::trim).and_then(crate::reference::economic_activity) {
            self.activities.insert(a.code.to_owned());
        }
    }

    /// The entries of `codes` and `activity` as the classification held in
    /// memory has them (the same current titles the database holds at the
    /// index's version).
    pub fn from_index<'a>(
        index: &crate::occupation::OccupationIndex,
        codes: impl IntoIterator<Item = &'a str>,
        activity: Option<&str>,
    ) -> KnownEntries {
        let mut known = KnownEntries::default();
        for code in KnownEntries::codes_to_look_up(codes) {
            let titles: Vec<String> = index.titles_of(&code).map(str::to_owned).collect();
            if !titles.is_empty() {
                known.occupations.insert(code, titles);
            }
        }
        known.note_activity(activity);
        known
    }
}

/// What else a validation needs to know.
pub struct Context<'a> {
    /// Today in Baku: a TIN certificate cannot be issued after it.
    pub today: NaiveDate,
    /// The caller's own TIN when the caller is an employer (SPEC §4.1: the
    /// TIN must equal the token's `tin`).
    pub caller_tin: Option<&'a str>,
    pub known: &'a KnownEntries,
}

/// Trims a text and reads blank as absent.
pub fn clean(s: Option<&str>) -> Option<String> {
    s.map(tidy).filter(|t| !t.is_empty())
}

fn require(errs: &mut ValidationErrors, field: String, v: &Option<String>) -> String {
    match v {
        Some(s) => s.clone(),
        None => {
            errs.push(FieldError::new(field, FieldCode::Required));
            String::new()
        }
    }
}

/// Validates the employer section (SPEC §4.1). `prefix` is the JSON path of
/// the section, e.g. `employer.`.
pub fn validate_employer(
    input: &EmployerInput,
    ctx: &Context<'_>,
    prefix: &str,
) -> Result<EmployerSection, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if let Err(e) = input.validate() {
        errs.extend_from_validator(prefix, &e);
    }
    let f = |name: &str| format!("{prefix}{name}");
    // Limits apply to the text as sent; the stored text is trimmed.
    let c = |v: Option<&str>| clean(v);

    let tin = match Tin::parse(&input.tin) {
        Ok(t) => {
            if t.person_type() != input.person_type {
                errs.push(FieldError::new(f("person_type"), FieldCode::PersonTypeMismatch).with("tin", t.as_str()));
            }
            if let Some(own) = ctx.caller_tin {
                if own != t.as_str() {
                    errs.push(FieldError::new(f("tin"), FieldCode::TinNotYours));
                }
            }
            Some(t)
        }
        Err(e) => {
            errs.push(FieldError::new(f("tin"), e.code()));
            None
        }
    };

    let (name, surname, patronymic, org) = match input.person_type {
        PersonType::Physical => (
            Some(require(&mut errs, f("name"), &c(input.name.as_deref()))),
            Some(require(&mut errs, f("surname"), &c(input.surname.as_deref()))),
            Some(require(&mut errs, f("patronymic"), &c(input.patronymic.as_deref()))),
            c(input.organization_name.as_deref()),
        ),
        // Parts that do not apply to the kind of person are kept as given.
        PersonType::Legal => (
            c(input.name.as_deref()),
            c(input.surname.as_deref()),
            c(input.patronymic.as_deref()),
            Some(require(&mut errs, f("organization_name"), &c(input.organization_name.as_deref()))),
        ),
    };
    let legal_address = require(&mut errs, f("legal_address"), &c(Some(&input.legal_address)));
    let current_address = require(&mut errs, f("current_address"), &c(Some(&input.current_address)));
    let workplace_address = require(&mut errs, f("workplace_address"), &c(Some(&input.workplace_address)));

    let (tin_issued_on, employees_total, foreign_workers) =
        (input.tin_issued_on.get(), input.employees_total.get(), input.foreign_workers.get());
    if tin_issued_on > ctx.today {
        errs.push(FieldError::new(f("tin_issued_on"), FieldCode::InFuture).with("today", ctx.today));
    }
    if foreign_workers > employees_total && employees_total >= 0 {
        errs.push(FieldError::new(f("foreign_workers"), FieldCode::ExceedsEmployees).with("max", employees_total));
    }
    let activity = require(&mut errs, f("economic_activity"), &c(Some(&input.economic_activity)));
    if !activity.is_empty() && !ctx.known.activities.contains(&activity) {
        errs.push(FieldError::new(f("economic_activity"), FieldCode::EconomicActivityUnknown).with("code", &activity));
    }

    let section = tin.map(|tin| EmployerSection {
        person_type: input.person_type,
        tin,
        organization_name: org,
        legal_form: c(input.legal_form.as_deref()),
        name,
        surname,
        patronymic,
        legal_address,
        current_address,
        workplace_address,
        tin_issued_on,
        employees_total,
        foreign_workers,
        economic_activity: activity,
    });
    match section {
        Some(s) if errs.is_empty() => Ok(s),
        _ => Err(errs),
    }
}

/// Validates one line (SPEC §4.2): the code and title must be one entry of
/// the classification (guideline II.4–II.5; the title as people type it,
/// stored as the classification spells it: SPEC §16.5), 1 ≤ foreigners ≤ total, a
/// non-blank justification. `prefix` is the line's JSON path, e.g. `lines[3].`.
pub fn validate_line(input: &LineInput, ctx: &Context<'_>, prefix: &str) -> Result<ForecastLine, ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if let Err(e) = input.validate() {
        errs.extend_from_validator(prefix, &e);
    }
    let f = |name: &str| format!("{prefix}{name}");

    let title_typed = require(&mut errs, f("occupation_title"), &clean(Some(&input.occupation_title)));
    let code = OccupationCode::parse(&input.occupation_code);
    let mut title = None;
    match &code {
        None => errs.push(FieldError::new(f("occupation_code"), FieldCode::OccupationCodeFormat)),
        Some(c) => match ctx.known.occupations.get(c.as_str()) {
            None => errs.push(FieldError::new(f("occupation_code"), FieldCode::OccupationUnknown).with("code", c)),
            Some(titles) if !title_typed.is_empty() => {
                match crate::occupation::check_title(&f("occupation_title"), c, titles, &title_typed) {
                    Ok(t) => title = Some(t),
                    Err(e) => errs.push(e),
                }
            }
            Some(_) => {}
        },
    }
    let (demand_total, demand_foreigners) = (input.demand_total.get(), input.demand_foreigners.get());
    if demand_foreigners > demand_total && demand_total >= 1 {
        errs.push(FieldError::new(f("demand_foreigners"), FieldCode::ExceedsTotal).with("max", demand_total));
    }
    let justification = require(&mut errs, f("justification"), &clean(Some(&input.justification)));

    match (code, title) {
        (Some(occupation_code), Some(occupation_title)) if errs.is_empty() => Ok(ForecastLine {
            occupation_code,
            occupation_title,
            demand_total,
            demand_foreigners,
            justification,
            quota_usage: input.quota_usage,
            note: clean(input.note.as_deref()),
        }),
        _ => Err(errs),
    }
}

/// Rules over the set of lines (SPEC §4.2): at most [`MAX_LINES`], never two
/// with the same occupation code and title. `field` names the list.
pub fn check_line_set<'a>(
    lines: impl IntoIterator<Item = &'a ForecastLine>,
    field: &str,
) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    let mut count = 0;
    for (i, l) in lines.into_iter().enumerate() {
        count += 1;
        let key = (l.occupation_code.as_str(), caseless(&l.occupation_title));
        if let Some(first) = seen.insert(key, i) {
            errs.push(
                FieldError::new(format!("{field}[{i}].occupation_title"), FieldCode::DuplicateLine)
                    .with("first", first),
            );
        }
    }
    if count > MAX_LINES {
        errs.push(FieldError::new(field, FieldCode::TooManyLines).with("max", MAX_LINES));
    }
    errs.into_result(())
}

/// Validates a whole forecast: the employer section under `employer.`, each
/// line under `lines[i].`, then the set of lines. Every error is collected.
pub fn validate_forecast(
    employer: &EmployerInput,
    lines: &[LineInput],
    ctx: &Context<'_>,
) -> Result<(EmployerSection, Vec<ForecastLine>), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let section = validate_employer(employer, ctx, "employer.").map_err(|e| errs.0.extend(e.0)).ok();
    let mut valid = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        match validate_line(l, ctx, &format!("lines[{i}].")) {
            Ok(v) => valid.push(v),
            Err(e) => errs.0.extend(e.0),
        }
    }
    if lines.len() > MAX_LINES {
        errs.push(FieldError::new("lines", FieldCode::TooManyLines).with("max", MAX_LINES));
    } else if errs.is_empty() {
        check_line_set(&valid, "lines")?;
    }
    match section {
        Some(s) if errs.is_empty() => Ok((s, valid)),
        _ => Err(errs),
    }
}

/// Longest reason an officer gives: for a return (issue on review: at most
/// 2,000 characters), and as much for a rejection or a reopening (SPEC
/// §16.3 gives no other limit).
pub const MAX_REASON: usize = 2_000;

/// The reason an officer gives for a return (SPEC §4.3), a rejection or a
/// reopening (SPEC §16.3): required and non-blank, tidied. A return's and a
/// rejection's reason is shown to the employer as the forecast's
/// notification; each is in the history and the e-mail.
pub fn check_reason(reason: &str) -> Result<String, ValidationErrors> {
    crate::text::required("reason", reason, MAX_REASON).map_err(|e| ValidationErrors(vec![e]))
}

/// Longest note an officer attaches when accepting (SPEC §15.4).
pub const MAX_ACCEPTANCE_NOTE: usize = 2_000;

/// The officer's note on acceptance, the forecast's "other notification"
/// (SPEC §15.4; the guideline's list shows it beside the notification):
/// optional, trimmed like every text; a blank one is no note.
pub fn check_acceptance_note(note: Option<&str>) -> Result<Option<String>, ValidationErrors> {
    match note.map(|n| (n, crate::text::tidy(n))) {
        None => Ok(None),
        Some((_, t)) if t.is_empty() => Ok(None),
        Some((raw, _)) => {
            crate::text::required("note", raw, MAX_ACCEPTANCE_NOTE).map(Some).map_err(|e| ValidationErrors(vec![e]))
        }
    }
}

/// A forecast is submitted with at least one line (SPEC §4.2).
pub fn check_submittable(line_count: usize) -> Result<(), ValidationErrors> {
    if line_count == 0 {
        return Err(ValidationErrors(vec![FieldError::new("lines", FieldCode::NoLines)]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownEntries {
        let mut k = KnownEntries::default();
        k.occupations.insert("6123".into(), vec!["Fermer, ipəkçilik".into(), "Apiarists and sericulturists".into()]);
        k.occupations.insert("7123".into(), vec!["Bənna, xarici suvaq".into()]);
        k.activities.insert("F".into());
        k.activities.insert("41".into());
        k
    }

    fn ctx(k: &KnownEntries) -> Context<'_> {
        Context { today: "2026-11-21".parse().unwrap(), caller_tin: Some("1012345061"), known: k }
    }

    fn employer() -> EmployerInput {
        EmployerInput {
            person_type: PersonType::Legal,
            tin: "1012345061".into(),
            organization_name: Some("Abşeron Tikinti MMC".into()),
            legal_form: Some("MMC".into()),
            name: None,
            surname: None,
            patronymic: None,
            legal_address: "Bakı, Nizami küç. 1".into(),
            current_address: "Bakı, Nizami küç. 1".into(),
            workplace_address: "Sumqayıt".into(),
            tin_issued_on: "2015-03-02".parse().unwrap(),
            employees_total: 120.into(),
            foreign_workers: 4.into(),
            economic_activity: "F".into(),
        }
    }

    fn line(code: &str, title: &str, total: i64, foreigners: i64) -> LineInput {
        LineInput {
            occupation_code: code.into(),
            occupation_title: title.into(),
            demand_total: (total).into(),
            demand_foreigners: (foreigners).into(),
            justification: "No local bricklayers for facade work".into(),
            quota_usage: QuotaUsage::Other,
            note: None,
        }
    }

    fn codes(r: Result<impl std::fmt::Debug, ValidationErrors>) -> Vec<(String, &'static str)> {
        r.unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
    }

    #[test]
    fn a_complete_legal_person_passes() {
        let k = known();
        let s = validate_employer(&employer(), &ctx(&k), "employer.").unwrap();
        assert_eq!(s.display_name(), "Abşeron Tikinti MMC");
        assert_eq!(s.tin.as_str(), "1012345061");
    }

    #[test]
    fn tin_must_pass_its_check_digit() {
        let k = known();
        let mut e = employer();
        e.tin = "1012345071".into();
        assert_eq!(
            codes(validate_employer(&e, &ctx(&k), "employer.")),
            vec![("employer.tin".into(), "tin_check_digit")]
        );
    }

    #[test]
    fn person_type_must_agree_with_digit_ten() {
        let k = known();
        let mut e = employer();
        e.person_type = PersonType::Physical;
        e.name = Some("Əli".into());
        e.surname = Some("Məmmədov".into());
        e.patronymic = Some("Vəli oğlu".into());
        assert_eq!(
            codes(validate_employer(&e, &ctx(&k), "employer.")),
            vec![("employer.person_type".into(), "person_type_mismatch")]
        );
    }

    #[test]
    fn an_employer_files_only_for_its_own_tin() {
        let k = known();
        let c = Context { caller_tin: Some("1012345062"), ..ctx(&k) };
        assert!(codes(validate_employer(&employer(), &c, "")).contains(&("tin".into(), "tin_not_yours")));
        let staff = Context { caller_tin: None, ..ctx(&k) };
        assert!(validate_employer(&employer(), &staff, "").is_ok());
    }

    #[test]
    fn a_physical_person_needs_three_names() {
        let k = known();
        let mut e = employer();
        e.person_type = PersonType::Physical;
        e.tin = "1012345062".into();
        let c = Context { caller_tin: Some("1012345062"), ..ctx(&k) };
        let got = codes(validate_employer(&e, &c, ""));
        assert_eq!(
            got,
            vec![("name".into(), "required"), ("surname".into(), "required"), ("patronymic".into(), "required")]
        );
    }

    #[test]
    fn a_legal_person_needs_its_name_and_every_address() {
        let k = known();
        let mut e = employer();
        e.organization_name = None;
        e.workplace_address = "".into();
        let got = codes(validate_employer(&e, &ctx(&k), ""));
        assert_eq!(got, vec![("organization_name".into(), "required"), ("workplace_address".into(), "required")]);
    }

    #[test]
    fn foreign_workers_cannot_exceed_employees() {
        let k = known();
        let mut e = employer();
        e.foreign_workers = 121.into();
        assert_eq!(codes(validate_employer(&e, &ctx(&k), "")), vec![("foreign_workers".into(), "exceeds_employees")]);
        e.foreign_workers = 120.into();
        assert!(validate_employer(&e, &ctx(&k), "").is_ok());
    }

    #[test]
    fn counts_are_bounded() {
        let k = known();
        let mut e = employer();
        e.employees_total = (MAX_COUNT + 1).into();
        e.foreign_workers = (-1).into();
        let got = codes(validate_employer(&e, &ctx(&k), ""));
        assert!(got.contains(&("employees_total".into(), "out_of_range")));
        assert!(got.contains(&("foreign_workers".into(), "out_of_range")));
        e.employees_total = (MAX_COUNT).into();
        e.foreign_workers = 0.into();
        assert!(validate_employer(&e, &ctx(&k), "").is_ok());
    }

    #[test]
    fn tin_certificate_cannot_be_issued_in_the_future() {
        let k = known();
        let mut e = employer();
        e.tin_issued_on = "2026-11-22".parse().unwrap();
        assert_eq!(codes(validate_employer(&e, &ctx(&k), "")), vec![("tin_issued_on".into(), "in_future")]);
        e.tin_issued_on = "2026-11-21".parse().unwrap();
        assert!(validate_employer(&e, &ctx(&k), "").is_ok());
    }

    #[test]
    fn economic_activity_must_exist_and_lengths_are_capped() {
        let k = known();
        let mut e = employer();
        e.economic_activity = "Z".into();
        e.legal_address = "x".repeat(MAX_ADDRESS as usize + 1).into();
        let got = codes(validate_employer(&e, &ctx(&k), ""));
        assert!(got.contains(&("economic_activity".into(), "economic_activity_unknown")));
        assert!(got.contains(&("legal_address".into(), "length")));
    }

    #[test]
    fn code_and_title_must_belong_together() {
        let k = known();
        let c = ctx(&k);
        let ok = validate_line(&line("6123", "FERMER, İPƏKÇİLİK", 3, 3), &c, "").unwrap();
        assert_eq!(ok.occupation_title, "Fermer, ipəkçilik", "the classification's spelling is stored");
        assert_eq!(
            codes(validate_line(&line("6123", "Bənna, xarici suvaq", 3, 3), &c, "")),
            vec![("occupation_title".into(), "occupation_title_mismatch")]
        );
        // Typed without the Azerbaijani letters (SPEC §16.5): stored as the
        // classification spells it.
        let ok = validate_line(&line("7123", "BENNA,  XARICI SUVAQ", 3, 3), &c, "").unwrap();
        assert_eq!(ok.occupation_title, "Bənna, xarici suvaq");
        let e = validate_line(&line("7123", "Benna", 3, 3), &c, "lines[4].").unwrap_err();
        assert_eq!(e.0[0].field, "lines[4].occupation_title");
        assert_eq!(e.0[0].params.get("expected").map(String::as_str), Some("Bənna, xarici suvaq"));
        assert_eq!(
            codes(validate_line(&line("9999", "Fermer", 3, 3), &c, "")),
            vec![("occupation_code".into(), "occupation_unknown")]
        );
        assert_eq!(
            codes(validate_line(&line("61x3", "Fermer", 3, 3), &c, "")),
            vec![("occupation_code".into(), "occupation_code_format")]
        );
    }

    #[test]
    fn foreigners_are_between_one_and_the_total() {
        let k = known();
        let c = ctx(&k);
        assert_eq!(
            codes(validate_line(&line("7123", "Bənna, xarici suvaq", 3, 4), &c, "lines[0].")),
            vec![("lines[0].demand_foreigners".into(), "exceeds_total")]
        );
        assert_eq!(
            codes(validate_line(&line("7123", "Bənna, xarici suvaq", 3, 0), &c, "")),
            vec![("demand_foreigners".into(), "out_of_range")]
        );
        assert_eq!(codes(validate_line(&line("7123", "Bənna, xarici suvaq", 0, 0), &c, "")).len(), 2);
        assert!(validate_line(&line("7123", "Bənna, xarici suvaq", 3, 3), &c, "").is_ok());
    }

    #[test]
    fn justification_is_required_and_capped_and_note_is_capped() {
        let k = known();
        let c = ctx(&k);
        let mut l = line("7123", "Bənna, xarici suvaq", 3, 1);
        l.justification = "".into();
        assert_eq!(codes(validate_line(&l, &c, "")), vec![("justification".into(), "required")]);
        l.justification = "j".repeat(MAX_JUSTIFICATION as usize + 1).into();
        l.note = Some("n".repeat(MAX_NOTE as usize + 1).into());
        let got = codes(validate_line(&l, &c, ""));
        assert!(got.contains(&("justification".into(), "length")));
        assert!(got.contains(&("note".into(), "length")));
        l.justification = "j".repeat(MAX_JUSTIFICATION as usize).into();
        l.note = Some("n".repeat(MAX_NOTE as usize).into());
        assert!(validate_line(&l, &c, "").is_ok());
    }

    #[test]
    fn one_occupation_once_per_forecast() {
        let k = known();
        let c = ctx(&k);
        let a = validate_line(&line("6123", "Fermer, ipəkçilik", 3, 3), &c, "").unwrap();
        let b = validate_line(&line("6123", "fermer, ipəkçilik", 1, 1), &c, "").unwrap();
        let other = validate_line(&line("6123", "Apiarists and sericulturists", 1, 1), &c, "").unwrap();
        assert_eq!(
            codes(check_line_set([&a, &other, &b], "lines")),
            vec![("lines[2].occupation_title".into(), "duplicate_line")]
        );
        assert!(check_line_set([&a, &other], "lines").is_ok());
    }

    #[test]
    fn at_most_two_hundred_lines() {
        let mut k = known();
        let titles: Vec<String> = (0..=MAX_LINES).map(|i| format!("Title {i}")).collect();
        k.occupations.insert("7123".into(), titles.clone());
        let c = ctx(&k);
        let lines: Vec<ForecastLine> =
            titles.iter().map(|t| validate_line(&line("7123", t, 1, 1), &c, "").unwrap()).collect();
        assert!(check_line_set(&lines[..MAX_LINES], "lines").is_ok());
        assert_eq!(codes(check_line_set(&lines, "lines")), vec![("lines".into(), "too_many_lines")]);
    }

    #[test]
    fn a_whole_forecast_collects_every_error_with_its_path() {
        let k = known();
        let mut e = employer();
        e.foreign_workers = 500.into();
        let lines = vec![line("7123", "Bənna, xarici suvaq", 3, 3), line("7123", "Bənna, xarici suvaq", 2, 3)];
        let got = codes(validate_forecast(&e, &lines, &ctx(&k)));
        assert_eq!(
            got,
            vec![
                ("employer.foreign_workers".into(), "exceeds_employees"),
                ("lines[1].demand_foreigners".into(), "exceeds_total")
            ]
        );
        let lines = vec![line("7123", "Bənna, xarici suvaq", 3, 3), line("7123", "Bənna, xarici suvaq", 2, 2)];
        let got = codes(validate_forecast(&employer(), &lines, &ctx(&k)));
        assert_eq!(got, vec![("lines[1].occupation_title".into(), "duplicate_line")]);
        assert!(validate_forecast(&employer(), &lines[..1], &ctx(&k)).is_ok());
        assert!(validate_forecast(&employer(), &[], &ctx(&k)).is_ok(), "a draft may have no lines");
    }

    #[test]
    fn a_return_a_rejection_and_a_reopening_need_a_reason() {
        assert_eq!(codes(check_reason("  \n ")), vec![("reason".into(), "required")]);
        assert_eq!(codes(check_reason(&"r".repeat(MAX_REASON + 1))), vec![("reason".into(), "length")]);
        assert_eq!(check_reason(&"r".repeat(MAX_REASON)).map(|r| r.len()), Ok(MAX_REASON));
        assert_eq!(check_reason(" Fix  line 2 ").unwrap(), "Fix line 2");
    }

    #[test]
    fn an_acceptance_note_is_optional_trimmed_and_capped() {
        assert_eq!(check_acceptance_note(None), Ok(None));
        assert_eq!(check_acceptance_note(Some(" \n ")), Ok(None), "blank is no note");
        assert_eq!(check_acceptance_note(Some(" Quota  for 2 only ")), Ok(Some("Quota for 2 only".into())));
        assert_eq!(check_acceptance_note(Some(&"n".repeat(2000))).map(|n| n.map(|n| n.len())), Ok(Some(2000)));
        assert_eq!(codes(check_acceptance_note(Some(&"n".repeat(2001)))), vec![("note".into(), "length")]);
    }

    #[test]
    fn submission_needs_a_line() {
        assert_eq!(codes(check_submittable(0)), vec![("lines".into(), "no_lines")]);
        assert!(check_submittable(1).is_ok());
    }
}
