//! Scores, objections, history and decisions of HQM applications.

use super::*;

/// The current scores, in the Decision's order of criteria.
pub fn scores(conn: &mut DbConnection, application_id: &str) -> Result<Vec<ScoreRow>, StoreError> {
    let mut rows: Vec<ScoreRow> =
        s::table.filter(s::application_id.eq(application_id)).select(ScoreRow::as_select()).load(conn)?;
    // Criteria order as the Decision numbers them.
    rows.sort_by_key(|r| r.criterion);
    Ok(rows)
}

/// Sets the score of a criterion; returns the points it replaces, if any.
pub fn set_score(
    conn: &mut DbConnection,
    application_id: &str,
    score: &domain::hqm::criteria::Score,
    by: &str,
    now: NaiveDateTime,
) -> Result<Option<i32>, StoreError> {
    let criterion = score.criterion().as_str();
    let points = i32::try_from(score.points()).unwrap_or(i32::MAX);
    let target = s::table.filter(s::application_id.eq(application_id)).filter(s::criterion.eq(criterion));
    let before: Option<i32> = target.select(s::points).first(conn).optional()?;
    if before.is_some() {
        diesel::update(target)
            .set((
                s::points.eq(points),
                s::justification.eq(score.justification()),
                s::scored_by.eq(by),
                s::scored_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(s::table)
            .values((
                s::application_id.eq(application_id),
                s::criterion.eq(criterion),
                s::authority.eq(score.criterion().authority().as_str()),
                s::points.eq(points),
                s::justification.eq(score.justification()),
                s::scored_by.eq(by),
                s::scored_at.eq(now),
            ))
            .execute(conn)
            .map_err(crate::error::lost_a_race)?;
    }
    Ok(before)
}

/// The objections not withdrawn, oldest first.
pub fn standing_objections(conn: &mut DbConnection, application_id: &str) -> Result<Vec<ObjectionRow>, StoreError> {
    Ok(o::table
        .filter(o::application_id.eq(application_id))
        .filter(o::withdrawn_at.is_null())
        .order((o::raised_at.asc(), o::id.asc()))
        .select(ObjectionRow::as_select())
        .load(conn)?)
}

/// Records an objection; returns its id.
pub fn insert_objection(
    conn: &mut DbConnection,
    application_id: &str,
    authority: &str,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    diesel::insert_into(o::table)
        .values((
            o::id.eq(&id),
            o::application_id.eq(application_id),
            o::authority.eq(authority),
            o::reason.eq(reason),
            o::raised_by.eq(by),
            o::raised_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// One objection of an application, withdrawn or not.
pub fn find_objection(
    conn: &mut DbConnection,
    application_id: &str,
    objection_id: &str,
) -> Result<Option<ObjectionRow>, StoreError> {
    Ok(o::table
        .filter(o::application_id.eq(application_id))
        .filter(o::id.eq(objection_id))
        .select(ObjectionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a standing objection withdrawn.
pub fn withdraw_objection(
    conn: &mut DbConnection,
    objection_id: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(o::table.filter(o::id.eq(objection_id)).filter(o::withdrawn_at.is_null()))
        .set((o::withdrawn_by.eq(Some(by)), o::withdrawn_at.eq(Some(now))))
        .execute(conn)?;
    crate::error::one_changed(n)
}

/// Appends to an application's history (append-only).
pub fn append_history(
    conn: &mut DbConnection,
    application_id: &str,
    e: &NewHistory<'_>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(h::table).values((h::application_id.eq(application_id), h::at.eq(at), e)).execute(conn)?;
    Ok(())
}

/// The history of an application, oldest first.
pub fn history(
    conn: &mut DbConnection,
    application_id: &str,
    page: Page,
) -> Result<(Vec<HistoryRow>, i64), StoreError> {
    crate::page_of!(conn, h::table.filter(h::application_id.eq(application_id)), h::seq.asc(), HistoryRow, page)
}

/// A decision to store, signed.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dc)]
pub struct NewDecision<'a> {
    pub number: &'a str,
    pub outcome: &'a str,
    pub total: i32,
    pub decided_at: NaiveDateTime,
    pub late: bool,
    pub verification_code: &'a str,
    pub content: &'a str,
    pub signature: &'a str,
    pub key_id: &'a str,
    pub decided_by: &'a str,
}

/// Stores the decision of an application (one per application).
pub fn insert_decision(conn: &mut DbConnection, application_id: &str, d: &NewDecision<'_>) -> Result<(), StoreError> {
    diesel::insert_into(dc::table)
        .values((dc::application_id.eq(application_id), d))
        .execute(conn)
        .map_err(crate::error::lost_a_race)?;
    Ok(())
}

/// The decision on an application, if it was decided.
pub fn decision_of(conn: &mut DbConnection, application_id: &str) -> Result<Option<DecisionRow>, StoreError> {
    Ok(dc::table
        .filter(dc::application_id.eq(application_id))
        .select(DecisionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The decision numbered `number`.
pub fn decision_by_number(conn: &mut DbConnection, number: &str) -> Result<Option<DecisionRow>, StoreError> {
    Ok(dc::table.filter(dc::number.eq(number)).select(DecisionRow::as_select()).first(conn).optional()?)
}

/// Filters of the applications list (SPEC §14.6).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this applicant's applications.
    pub owner: Option<String>,
    pub statuses: Vec<HqmStatus>,
    /// Under review, with at least one of these criteria not scored yet
    /// (an authority's pending work).
    pub unscored: Vec<Criterion>,
    /// `Some(true)`: under review with a deadline before this day;
    /// `Some(false)`: all others.
    pub overdue: Option<(bool, NaiveDate)>,
    /// The fields of a sectoral body's queue (SPEC §16.4.5), by the first
    /// two digits of the occupation code.
    pub fields: Option<domain::hqm::sectors::QueueFields>,
}

/// A page of applications, sorted by review deadline (drafts, which have
/// none, last), then newest first.
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter,
    page: Page,
) -> Result<(Vec<ApplicationRow>, i64), StoreError> {
    let build = || {
        let mut q = a::table.into_boxed();
        if let Some(owner) = filter.owner.clone() {
            q = q.filter(a::owner.eq(owner));
        }
        if !filter.statuses.is_empty() {
            q = q.filter(a::status.eq_any(filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
        }
        let scored = |c: Criterion| s::table.filter(s::criterion.eq(c.as_str())).select(s::application_id);
        match filter.unscored.as_slice() {
            [] => {}
            [c] => {
                q = q.filter(a::status.eq(HqmStatus::UnderReview.as_str())).filter(a::id.ne_all(scored(*c)));
            }
            [c1, c2, ..] => {
                q = q
                    .filter(a::status.eq(HqmStatus::UnderReview.as_str()))
                    .filter(a::id.ne_all(scored(*c1)).or(a::id.ne_all(scored(*c2))));
            }
        }
        // The groups are two ASCII digits (the rules and the stored bodies
        // say so), so they are written into the SQL as literals.
        let groups = |gs: &[String]| -> String {
            let list: Vec<String> = gs
                .iter()
                .filter(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_digit()))
                .map(|g| format!("'{g}'"))
                .collect();
            if list.is_empty() {
                "''".to_owned()
            } else {
                list.join(", ")
            }
        };
        match &filter.fields {
            None | Some(domain::hqm::sectors::QueueFields::All) => {}
            Some(domain::hqm::sectors::QueueFields::Only(gs)) => {
                let cond = format!("substr(hqm_applications.occupation_code, 1, 2) IN ({})", groups(gs));
                q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&cond));
            }
            Some(domain::hqm::sectors::QueueFields::AllBut(gs)) => {
                let cond = format!("substr(hqm_applications.occupation_code, 1, 2) NOT IN ({})", groups(gs));
                q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&cond));
            }
        }
        match filter.overdue {
            Some((true, today)) => {
                q = q.filter(a::status.eq(HqmStatus::UnderReview.as_str())).filter(a::review_deadline.lt(today));
            }
            Some((false, today)) => {
                q = q.filter(a::status.ne(HqmStatus::UnderReview.as_str()).or(a::review_deadline.ge(today)));
            }
            None => {}
        }
        q
    };
    let order = (a::review_deadline.is_null().asc(), a::review_deadline.asc(), a::number.desc());
    crate::page_of!(conn, build(), order, ApplicationRow, page)
}

/// The points given and the objections standing on a page of the list.
#[derive(Debug, Clone, Default)]
pub struct PageScores {
    /// (application id, points) for each score.
    pub points: Vec<(String, i32)>,
    /// The application id of each objection standing.
    pub objections: Vec<String>,
}

/// The scores and standing objections of `ids`, for a page of the list.
pub fn scores_of(conn: &mut DbConnection, ids: &[String]) -> Result<PageScores, StoreError> {
    let points: Vec<(String, i32)> =
        s::table.filter(s::application_id.eq_any(ids)).select((s::application_id, s::points)).load(conn)?;
    let objections: Vec<String> = o::table
        .filter(o::application_id.eq_any(ids))
        .filter(o::withdrawn_at.is_null())
        .select(o::application_id)
        .load(conn)?;
    Ok(PageScores { points, objections })
}
