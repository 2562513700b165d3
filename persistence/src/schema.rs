//! One portable schema for both backends (only types that diesel's
//! MultiConnection supports: integers, text, bool, naive timestamps and dates).
//! `schema_matches_migrations` in the tests checks it against both migrations.

diesel::table! {
    economic_activities (code) {
        code -> Text,
        level -> Text,
        parent -> Nullable<Text>,
        title -> Text,
        position -> Integer,
    }
}

diesel::table! {
    occupations (code, title) {
        code -> Text,
        title -> Text,
        search_text -> Text,
        retired -> Bool,
    }
}

diesel::table! {
    forecasts (number) {
        number -> BigInt,
        id -> Text,
        tin -> Text,
        target_year -> Integer,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        notification -> Nullable<Text>,
        created_by -> Text,
        person_type -> Text,
        organization_name -> Nullable<Text>,
        legal_form -> Nullable<Text>,
        name -> Nullable<Text>,
        surname -> Nullable<Text>,
        patronymic -> Nullable<Text>,
        legal_address -> Text,
        current_address -> Text,
        workplace_address -> Text,
        tin_issued_on -> Date,
        employees_total -> BigInt,
        foreign_workers -> BigInt,
        economic_activity -> Text,
        employer_search -> Text,
        line_count -> Integer,
        foreigners_total -> BigInt,
        search_text -> Text,
        activity_section -> Text,
    }
}

diesel::table! {
    forecast_lines (id) {
        id -> Text,
        forecast_id -> Text,
        position -> Integer,
        occupation_code -> Text,
        occupation_title -> Text,
        demand_total -> BigInt,
        demand_foreigners -> BigInt,
        justification -> Text,
        quota_usage -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    forecast_history (seq) {
        seq -> BigInt,
        forecast_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor -> Text,
        role -> Text,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    campaigns (target_year) {
        target_year -> Integer,
        opens_on -> Date,
        submission_deadline -> Date,
        correction_deadline -> Date,
        commission_inputs_deadline -> Date,
        proposal_deadline -> Date,
        approval_deadline -> Date,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    idempotency_keys (caller, idem_key) {
        caller -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> Integer,
        response_body -> Text,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exemption_categories (code) {
        code -> Text,
        title_az -> Text,
        title_en -> Text,
        title_ru -> Text,
        retired -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    quota_plans (target_year) {
        target_year -> Integer,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    quota_plan_entries (target_year, economic_activity) {
        target_year -> Integer,
        economic_activity -> Text,
        proposed -> BigInt,
        approved -> Nullable<BigInt>,
        used -> BigInt,
    }
}

diesel::table! {
    quota_plan_history (seq) {
        seq -> BigInt,
        target_year -> Integer,
        from_status -> Nullable<Text>,
        to_status -> Text,
        action -> Text,
        actor -> Text,
        role -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    quota_allocations (permit_ref) {
        permit_ref -> Text,
        target_year -> Integer,
        economic_activity -> Text,
        activity_section -> Text,
        exemption -> Nullable<Text>,
        tin -> Nullable<Text>,
        recorded_at -> Timestamp,
        recorded_by -> Text,
        cancelled_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<Text>,
    }
}

diesel::table! {
    reference_versions (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    employer_contacts (tin) {
        tin -> Text,
        email -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        pending_email -> Nullable<Text>,
        code_hash -> Nullable<Text>,
        code_expires_at -> Nullable<Timestamp>,
        attempts_left -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        dedupe_key -> Nullable<Text>,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    api_clients (client_id) {
        client_id -> Text,
        name -> Text,
        tin -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        secret_rotated_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    employer_contacts,
    outbox,
    api_clients,
    reference_versions,
    quota_plans,
    quota_plan_entries,
    quota_plan_history,
    quota_allocations,
    exemption_categories,
    economic_activities,
    occupations,
    forecasts,
    forecast_lines,
    forecast_history,
    campaigns,
    idempotency_keys,
);
