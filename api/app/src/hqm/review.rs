//! The review of an HQM application: scores, objections, extensions, the
//! decision and its document (SPEC §14.3–§14.5).

use super::*;
use domain::hqm::business_days::Counted;
use domain::hqm::criteria::{check_evidence, Evidence};

/// A score as sent: the criterion of the path, points and justification.
pub struct ScoreInput<'a> {
    pub criterion: &'a str,
    pub points: i64,
    pub justification: &'a str,
}

/// What the application holds as evidence for the criteria, as of its
/// submission date (SPEC §16.4.6).
fn evidence(conn: &mut DbConnection, row: &ApplicationRow) -> Result<Evidence, AppError> {
    let on =
        row.submitted_at.map(|t| baku_date(t.and_utc())).ok_or_else(|| AppError::bug("scored before submission"))?;
    let valid_certificate_b2 = row.certificates()?.iter().any(|c| {
        app::LanguageCertificate { name: c.name.clone(), level: c.level, expires_on: c.expires_on }.counts_on(on)
    });
    let studied_in_a_counted_language =
        row.education_study_language.as_deref().is_some_and(|l| domain::hqm::applicant::STUDY_LANGUAGES.contains(&l));
    let financial_document = store::documents(conn, &row.id)?
        .iter()
        .any(|d| matches!(d.kind, DocumentKind::IncomeStatement | DocumentKind::BankStatement));
    Ok(Evidence { valid_certificate_b2, studied_in_a_counted_language, financial_document })
}

/// An assessor scores (or re-scores) a criterion of its authority while the
/// application is under review (SPEC §14.3); language and financial points
/// need their evidence (SPEC §16.4.6).
pub fn score(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    input: &ScoreInput<'_>,
    if_match: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, AppError> {
    let ScoreInput { criterion, points, justification } = *input;
    let mine = authority(caller)?;
    let criterion = Criterion::parse(criterion).ok_or(AppError::NotFound)?;
    if !mine.may_score(criterion) {
        return Err(AppError::WrongAuthority { needs: criterion.authority(), sector: None });
    }
    let row = visible(conn, caller, id)?;
    // The sectoral body scores work experience only in its own field
    // (SPEC §16.4.5).
    if criterion == Criterion::WorkExperience {
        let sectors = super::authorities::sector_rules(conn)?;
        domain::hqm::sectors::may_score(caller.sector.as_deref(), &row.occupation_code, &sectors)
            .map_err(|body| AppError::WrongAuthority { needs: Authority::Sectoral, sector: Some(body) })?;
    }
    allowed(&row, caller, HqmAction::Score)?;
    let score = Score::new(criterion, points, justification).map_err(AppError::Validation)?;
    let evidence = evidence(conn, &row)?;
    check_evidence(criterion, score.points(), &evidence)
        .map_err(|missing| AppError::CriterionEvidenceMissing { criterion, missing })?;
    check_version(&row, if_match)?;
    let at = now.naive_utc();
    let before = store::set_score(conn, id, &score, &caller.sub, at)?;
    store::touch(conn, id, row.version, at)?;
    let entry = NewHistory {
        action: "score",
        actor: &caller.sub,
        role: Role::Assessor.as_str(),
        authority: Some(mine.as_str()),
        criterion: Some(criterion.as_str()),
        before: before.map(|p| p.to_string()),
        after: Some(score.points().to_string()),
        reason: Some(score.justification()),
    };
    store::append_history(conn, id, &entry, at)?;
    reload(conn, id)
}

/// An assessor objects (SPEC §14.6): a standing objection blocks
/// recognition. Returns the application and the objection's id.
pub fn object(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(ApplicationRecord, String), AppError> {
    let mine = authority(caller)?;
    let row = visible(conn, caller, id)?;
    allowed(&row, caller, HqmAction::Object)?;
    let reason = app::check_reason(reason).map_err(AppError::Validation)?;
    let at = now.naive_utc();
    let objection = store::insert_objection(conn, id, mine.as_str(), &reason, &caller.sub, at)?;
    store::touch(conn, id, row.version, at)?;
    let entry = NewHistory {
        action: "object",
        actor: &caller.sub,
        role: Role::Assessor.as_str(),
        authority: Some(mine.as_str()),
        after: Some(objection.clone()),
        reason: Some(&reason),
        ..Default::default()
    };
    store::append_history(conn, id, &entry, at)?;
    Ok((reload(conn, id)?, objection))
}

/// An assessor withdraws an objection its authority raised (SPEC §14.2).
pub fn withdraw_objection(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    objection_id: &str,
    now: DateTime<Utc>,
) -> Result<ApplicationRecord, AppError> {
    let mine = authority(caller)?;
    let row = visible(conn, caller, id)?;
    allowed(&row, caller, HqmAction::WithdrawObjection)?;
    let objection = store::find_objection(conn, id, objection_id)?.ok_or(AppError::NotFound)?;
    if objection.withdrawn_at.is_some() {
        return Err(AppError::NotFound);
    }
    if objection.authority != mine {
        return Err(AppError::WrongAuthority { needs: objection.authority, sector: None });
    }
    let at = now.naive_utc();
    store::withdraw_objection(conn, objection_id, &caller.sub, at)?;
    store::touch(conn, id, row.version, at)?;
    let entry = NewHistory {
        action: "withdraw_objection",
        actor: &caller.sub,
        role: Role::Assessor.as_str(),
        authority: Some(mine.as_str()),
        before: Some(objection_id.to_owned()),
        ..Default::default()
    };
    store::append_history(conn, id, &entry, at)?;
    reload(conn, id)
}

/// An officer extends the review to the 10th business day after the later
/// of the current deadline and today, with a reason (SPEC §14.4, §16.4.3).
/// The applicant is told by e-mail.
pub fn extend(conn: &mut DbConnection, act: Act<'_>, reason: &str) -> Result<ApplicationRecord, AppError> {
    let Act { id, if_match, now, .. } = act;
    let row = act.target(conn, Permission::DecideHqmApplications, HqmAction::Extend)?;
    let reason = app::check_reason(reason).map_err(AppError::Validation)?;
    check_version(&row, if_match)?;
    let current = row.review_deadline.ok_or_else(|| AppError::bug("under review without a deadline"))?;
    let current = Counted { date: current, provisional: row.review_deadline_provisional };
    let today = baku_date(now);
    let cal = calendar(conn, current.date.max(today))?;
    let deadline = app::extended_deadline(current, today, &cal).map_err(calendar_error)?;
    let at = now.naive_utc();
    store::set_deadline(conn, id, row.version, deadline.date, deadline.provisional, at)?;
    let entry = NewHistory {
        before: Some(current.date.to_string()),
        after: Some(deadline.date.to_string()),
        reason: Some(&reason),
        ..act.entry("extend", Role::Officer)
    };
    store::append_history(conn, id, &entry, at)?;
    let m = domain::messages::mail::hqm_extended(language(&row), row.number, deadline.date, deadline.provisional);
    persistence::identity::enqueue(conn, None, "hqm_extended", &row.email, &m, at)?;
    reload(conn, id)
}

/// An officer asks the applicant for documents of `kinds`, with a reason,
/// while the application is under review (SPEC §16.4.1): the applicant may
/// then upload documents of those kinds until the review deadline. The
/// request is in the history, and the applicant is told by e-mail in the
/// application's language.
pub fn request_documents(
    conn: &mut DbConnection,
    act: Act<'_>,
    reason: &str,
    kinds: &[&str],
) -> Result<ApplicationRecord, AppError> {
    let Act { id, if_match, now, .. } = act;
    let row = act.target(conn, Permission::DecideHqmApplications, HqmAction::RequestDocuments)?;
    let (reason, kinds) = docs::check_request(reason, kinds).map_err(AppError::Validation)?;
    check_version(&row, if_match)?;
    let deadline = row.review_deadline.ok_or_else(|| AppError::bug("under review without a deadline"))?;
    let at = now.naive_utc();
    let request = store::insert_document_request(conn, id, &kinds, &reason, &act.caller.sub, at)?;
    store::touch(conn, id, row.version, at)?;
    let codes: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let entry = NewHistory {
        after: Some(format!("{request} {}", codes.join(","))),
        reason: Some(&reason),
        ..act.entry("request_documents", Role::Officer)
    };
    store::append_history(conn, id, &entry, at)?;
    let m = domain::messages::mail::hqm_documents_requested(language(&row), row.number, &kinds, &reason, deadline);
    persistence::identity::enqueue(conn, None, "hqm_documents_requested", &row.email, &m, at)?;
    reload(conn, id)
}

/// An officer decides (SPEC §14.2, §14.5): once all six criteria are scored
/// or an objection stands; recognised at 70 points or more with no
/// objection, otherwise refused. The decision document is signed and kept;
/// the applicant is told by e-mail in the application's language.
pub fn decide(conn: &mut DbConnection, act: Act<'_>, signer: &Signer) -> Result<ApplicationRecord, AppError> {
    let Act { caller, id, if_match, now } = act;
    let row = act.target(conn, Permission::DecideHqmApplications, HqmAction::Decide)?;
    let scores = store::scores(conn, id)?;
    let objections = store::standing_objections(conn, id)?;
    // A stored score the rules no longer admit is corrupt data: refused,
    // never left out of the decision.
    let sheet: ScoreSheet = scores
        .iter()
        .map(|s| {
            Score::new(s.criterion, i64::from(s.points), &s.justification).map_err(|_| {
                persistence::StoreError::Corrupt { column: "hqm_scores.points", value: s.points.to_string() }
            })
        })
        .collect::<Result<_, _>>()?;
    let outcome = app::decide(&sheet, objections.len()).map_err(|e| match e {
        app::DecideError::Incomplete { missing } => AppError::ScoresIncomplete { missing },
    })?;
    check_version(&row, if_match)?;
    let deadline = row.review_deadline.ok_or_else(|| AppError::bug("under review without a deadline"))?;
    let late = app::is_late(deadline, now);
    let lang = language(&row);
    let number = dec::decision_number(baku_date(now).year(), row.number);
    let code = dec::verification_code(&rand::random::<[u8; dec::CODE_LENGTH]>());
    let content = dec::DecisionContent {
        number: number.clone(),
        application_id: row.id.clone(),
        language: lang,
        applicant: dec::DecisionApplicant {
            given_name: row.given_name.clone(),
            surname: row.surname.clone(),
            citizenship: row.citizenship.clone(),
            date_of_birth: row.date_of_birth,
            passport_number: row.passport_number.clone(),
        },
        field: dec::DecisionField {
            occupation_code: row.occupation_code.clone(),
            occupation_title: row.occupation_title.clone(),
        },
        scores: Criterion::ALL
            .iter()
            .map(|c| {
                let s = sheet.get(*c);
                dec::DecisionScore {
                    criterion: *c,
                    authority: c.authority(),
                    points: s.map(Score::points),
                    max_points: c.max_points(),
                    justification: s.map(|s| s.justification().to_owned()),
                }
            })
            .collect(),
        total: sheet.total(),
        max_total: MAX_TOTAL,
        threshold: THRESHOLD,
        objections: objections
            .iter()
            .map(|o| dec::DecisionObjection { authority: o.authority, reason: o.reason.clone() })
            .collect(),
        outcome,
        decided_at: now,
        decided_on: baku_date(now),
        review_deadline: deadline,
        late,
        texts: dec::texts(lang, outcome, sheet.total(), objections.len()),
    };
    let value = serde_json::to_value(&content).map_err(|e| AppError::bug(e.to_string()))?;
    let canonical = canonical_json(&value);
    let signature = signer.sign(canonical.as_bytes());
    let at = now.naive_utc();
    let total = i32::try_from(sheet.total()).unwrap_or(i32::MAX);
    let new = store::NewDecision {
        number: &number,
        outcome: outcome.as_str(),
        total,
        decided_at: at,
        late,
        verification_code: &code,
        content: &canonical,
        signature: &signature,
        key_id: signer.key_id(),
        decided_by: &caller.sub,
    };
    store::insert_decision(conn, id, &new)?;
    let change = StatusChange { decided_at: Some(at), ..Default::default() };
    let entry = NewHistory { reason: Some(&number), ..act.entry("decide", Role::Officer) };
    super::move_to(conn, &row, outcome.status(), change, entry, at)?;
    let m = domain::messages::mail::hqm_decided(lang, &number, outcome, sheet.total(), &code);
    persistence::identity::enqueue(conn, None, "hqm_decided", &row.email, &m, at)?;
    reload(conn, id)
}

/// The trail of an application (SPEC §14.2), for its readers.
pub fn history(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    page: Page,
) -> Result<(Vec<store::HistoryRow>, i64), AppError> {
    visible(conn, caller, id)?;
    Ok(store::history(conn, id, page)?)
}

/// The signed decision of an application, for its owner and staff (SPEC §14.6).
pub fn decision(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<DecisionRow, AppError> {
    let row = visible(conn, caller, id)?;
    if !policy::reads_hqm_decision(&caller.roles, &caller.sub, &row.owner) {
        return Err(AppError::Forbidden { needs: Permission::ReadAllHqmApplications.roles().to_vec() });
    }
    store::decision_of(conn, id)?.ok_or(AppError::NotFound)
}

/// Anyone checks a decision by its number and verification code (SPEC
/// §14.5): the stored document, and whether its signature verifies. An
/// unknown number or a wrong code is not found.
pub fn verify(
    conn: &mut DbConnection,
    signer: &Signer,
    number: &str,
    code: &str,
) -> Result<(DecisionRow, bool, ApplicationRow), AppError> {
    if !dec::is_decision_number(number) {
        return Err(AppError::NotFound);
    }
    let d = store::decision_by_number(conn, number)?.ok_or(AppError::NotFound)?;
    // Compared as digests, so the time taken says nothing of the code.
    if Sha256::digest(d.verification_code.as_bytes()) != Sha256::digest(code.trim().as_bytes()) {
        return Err(AppError::NotFound);
    }
    let valid = d.key_id == signer.key_id() && signer.verify(d.content.as_bytes(), &d.signature);
    let row = store::find(conn, &d.application_id)?.ok_or(AppError::NotFound)?;
    Ok((d, valid, row))
}

/// Filters of the list as asked (SPEC §14.6).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<HqmStatus>,
    pub authority: Option<Authority>,
    pub overdue: Option<bool>,
}

/// The applications list: an applicant's own; an assessor's queue (under
/// review only); all for staff. Sorted by review deadline (SPEC §14.4).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    q: &ListQuery,
    page: Page,
    now: DateTime<Utc>,
) -> Result<(Vec<ApplicationRow>, i64, store::PageScores), AppError> {
    let staff = Permission::ReadAllHqmApplications.granted_to(&caller.roles);
    let assessor = Permission::AssessHqmApplications.granted_to(&caller.roles);
    let applicant = Permission::FileHqmApplications.granted_to(&caller.roles);
    if !(staff || assessor || applicant) {
        return Err(AppError::Forbidden {
            needs: vec![Role::Applicant, Role::Assessor, Role::Officer, Role::Commission, Role::Admin],
        });
    }
    let mut filter = store::ListFilter {
        statuses: q.status.into_iter().collect(),
        unscored: q.authority.map(Authority::criteria).unwrap_or_default(),
        overdue: q.overdue.map(|o| (o, baku_date(now))),
        ..Default::default()
    };
    if !staff {
        if assessor {
            // A sectoral body's queue holds its field only (SPEC §16.4.5).
            if caller.authority == Some(Authority::Sectoral) {
                let sectors = super::authorities::sector_rules(conn)?;
                filter.fields = Some(domain::hqm::sectors::queue_fields(caller.sector.as_deref(), &sectors));
            }
            // The queue: applications under review, nothing else.
            if q.status.is_some_and(|s| s != HqmStatus::UnderReview) {
                return Ok((Vec::new(), 0, store::PageScores::default()));
            }
            filter.statuses = vec![HqmStatus::UnderReview];
        } else {
            filter.owner = Some(caller.sub.clone());
        }
    }
    let (rows, total) = store::list(conn, &filter, page)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let extra = store::scores_of(conn, &ids)?;
    Ok((rows, total, extra))
}

/// Counts again the review deadline of every application under review after
/// `admin` published or edited the holiday list of `year` (SPEC §16.4.4):
/// from its submission and each extension, over the calendar as it now
/// stands. A deadline that moves, or stops or starts being provisional, is
/// set with an entry `recount_deadline` in the history (actor: the admin);
/// the applicant is e-mailed when the day moves. Returns how many moved.
pub fn recount_deadlines(
    conn: &mut DbConnection,
    caller: &Caller,
    year: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let rows = store::under_review(conn)?;
    let Some(first) = rows.iter().filter_map(|r| r.submitted_at).min() else { return Ok(0) };
    let cal =
        persistence::holidays::calendar(conn, baku_date(first.and_utc()).year(), domain::hqm::holidays::MAX_YEAR)?;
    let at = now.naive_utc();
    let reason = format!("holidays {year}");
    let mut moved = 0;
    for row in rows {
        let (Some(submitted), Some(current)) = (row.submitted_at, row.review_deadline) else { continue };
        let extended: Vec<DateTime<Utc>> =
            store::extension_times(conn, &row.id)?.into_iter().map(|t| t.and_utc()).collect();
        let counted = app::recount_deadline(submitted.and_utc(), &extended, &cal).map_err(calendar_error)?;
        if counted.date == current && counted.provisional == row.review_deadline_provisional {
            continue;
        }
        store::set_deadline(conn, &row.id, row.version, counted.date, counted.provisional, at)?;
        let entry = NewHistory {
            action: "recount_deadline",
            actor: &caller.sub,
            role: Role::Admin.as_str(),
            before: Some(current.to_string()),
            after: Some(counted.date.to_string()),
            reason: Some(&reason),
            ..Default::default()
        };
        store::append_history(conn, &row.id, &entry, at)?;
        if counted.date != current {
            moved += 1;
            let m = domain::messages::mail::hqm_deadline_recounted(
                language(&row),
                row.number,
                current,
                counted.date,
                counted.provisional,
            );
            persistence::identity::enqueue(conn, None, "hqm_deadline_recounted", &row.email, &m, at)?;
        }
    }
    Ok(moved)
}
