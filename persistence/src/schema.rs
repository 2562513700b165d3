//! One portable schema for both backends (only types that diesel's
//! MultiConnection supports: integers, text, bool, naive timestamps and dates).
//! persistence/tests/schema checks it against both backends' migrations
//! (`sqlite::schema_rs_matches_migrations`,
//! `postgres::schema_rs_matches_migrations`) and the two backends against each
//! other (`sqlite_and_postgres::migrations_define_the_same_tables`): tables,
//! columns, kinds of value, nullability, primary keys. The PostgreSQL ones
//! run when `TEST_DATABASE_URL` is set and are reported ignored otherwise.

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
        correction_due -> Nullable<Date>,
        other_notification -> Nullable<Text>,
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
        order_number -> Nullable<Text>,
        order_date -> Nullable<Date>,
        approved_at -> Nullable<Timestamp>,
        late -> Bool,
    }
}

diesel::table! {
    quota_plan_entries (target_year, economic_activity) {
        target_year -> Integer,
        economic_activity -> Text,
        proposed -> Nullable<BigInt>,
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
        reason -> Nullable<Text>,
        order_number -> Nullable<Text>,
        order_date -> Nullable<Date>,
        amendment -> Nullable<Integer>,
    }
}

diesel::table! {
    quota_amendments (target_year, number) {
        target_year -> Integer,
        number -> Integer,
        order_number -> Text,
        order_date -> Date,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    quota_amendment_entries (target_year, number, economic_activity) {
        target_year -> Integer,
        number -> Integer,
        economic_activity -> Text,
        approved_before -> Nullable<BigInt>,
        approved -> BigInt,
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
        end_reason -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<Text>,
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

diesel::table! {
    holiday_years (year) {
        year -> Integer,
        source -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    holidays (date) {
        date -> Date,
        year -> Integer,
        name -> Text,
    }
}

diesel::table! {
    hqm_applications (number) {
        number -> BigInt,
        id -> Text,
        owner -> Text,
        status -> Text,
        version -> BigInt,
        language -> Text,
        given_name -> Text,
        surname -> Text,
        citizenship -> Text,
        date_of_birth -> Date,
        passport_number -> Text,
        email -> Text,
        occupation_code -> Text,
        occupation_title -> Text,
        experience_years -> Nullable<Integer>,
        experience_summary -> Nullable<Text>,
        education_level -> Nullable<Text>,
        education_institution -> Nullable<Text>,
        language_certificates -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        review_deadline -> Nullable<Date>,
        decided_at -> Nullable<Timestamp>,
        review_deadline_provisional -> Bool,
        education_study_language -> Nullable<Text>,
        education_degree -> Nullable<Text>,
        education_country -> Nullable<Text>,
        education_accredited -> Nullable<Bool>,
    }
}

diesel::table! {
    hqm_documents (id) {
        id -> Text,
        application_id -> Text,
        kind -> Text,
        content_type -> Text,
        filename -> Text,
        size -> BigInt,
        sha256 -> Text,
        bytes -> Binary,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
        added_after_submission -> Bool,
    }
}

diesel::table! {
    hqm_authorities (code) {
        code -> Text,
        email -> Text,
        title_az -> Text,
        title_en -> Text,
        title_ru -> Text,
        title_tr -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    hqm_sectors (code) {
        code -> Text,
        title_az -> Text,
        title_en -> Text,
        title_ru -> Text,
        title_tr -> Text,
        isco_groups -> Text,
        is_default -> Bool,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    hqm_document_requests (id) {
        id -> Text,
        application_id -> Text,
        kinds -> Text,
        reason -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
    }
}

diesel::table! {
    hqm_scores (application_id, criterion) {
        application_id -> Text,
        criterion -> Text,
        authority -> Text,
        points -> Integer,
        justification -> Text,
        scored_by -> Text,
        scored_at -> Timestamp,
    }
}

diesel::table! {
    hqm_objections (id) {
        id -> Text,
        application_id -> Text,
        authority -> Text,
        reason -> Text,
        raised_by -> Text,
        raised_at -> Timestamp,
        withdrawn_by -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    hqm_history (seq) {
        seq -> BigInt,
        application_id -> Text,
        action -> Text,
        actor -> Text,
        role -> Text,
        authority -> Nullable<Text>,
        criterion -> Nullable<Text>,
        value_before -> Nullable<Text>,
        value_after -> Nullable<Text>,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    hqm_decisions (number) {
        number -> Text,
        application_id -> Text,
        outcome -> Text,
        total -> Integer,
        decided_at -> Timestamp,
        late -> Bool,
        verification_code -> Text,
        content -> Text,
        signature -> Text,
        key_id -> Text,
        decided_by -> Text,
    }
}

diesel::table! {
    summary_snapshots (target_year, number) {
        target_year -> Integer,
        number -> Integer,
        taken_at -> Timestamp,
        taken_by -> Text,
        employers -> BigInt,
        forecasts -> BigInt,
        occupations -> BigInt,
        demand_total -> BigInt,
        quota_foreigners -> BigInt,
        exempt_foreigners -> BigInt,
    }
}

diesel::table! {
    summary_snapshot_activities (target_year, number, economic_activity) {
        target_year -> Integer,
        number -> Integer,
        economic_activity -> Text,
        title -> Text,
        employers -> BigInt,
        forecasts -> BigInt,
        occupations -> BigInt,
        demand_total -> BigInt,
        quota_foreigners -> BigInt,
        exempt_foreigners -> BigInt,
    }
}

diesel::table! {
    summary_snapshot_occupations (target_year, number, economic_activity, occupation_code, occupation_title) {
        target_year -> Integer,
        number -> Integer,
        economic_activity -> Text,
        occupation_code -> Text,
        occupation_title -> Text,
        employers -> BigInt,
        demand_total -> BigInt,
        quota_foreigners -> BigInt,
        exempt_foreigners -> BigInt,
    }
}

diesel::table! {
    commission_inputs (target_year, body) {
        target_year -> Integer,
        body -> Text,
        version -> BigInt,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        created_by -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    commission_input_entries (target_year, body, position) {
        target_year -> Integer,
        body -> Text,
        position -> Integer,
        economic_activity -> Text,
        activity_section -> Text,
        measure -> Text,
        value -> Double,
    }
}

diesel::table! {
    commission_input_files (id) {
        id -> Text,
        target_year -> Integer,
        body -> Text,
        content_type -> Text,
        filename -> Text,
        size -> BigInt,
        sha256 -> Text,
        bytes -> Binary,
        uploaded_at -> Timestamp,
        uploaded_by -> Text,
    }
}

diesel::table! {
    commission_input_history (seq) {
        seq -> BigInt,
        target_year -> Integer,
        body -> Text,
        version -> BigInt,
        actor -> Text,
        role -> Text,
        at -> Timestamp,
        entries -> Integer,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    summary_snapshot_inputs (target_year, number, body) {
        target_year -> Integer,
        number -> Integer,
        body -> Text,
        version -> BigInt,
        note -> Nullable<Text>,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    summary_snapshot_input_entries (target_year, number, body, position) {
        target_year -> Integer,
        number -> Integer,
        body -> Text,
        position -> Integer,
        economic_activity -> Text,
        activity_section -> Text,
        measure -> Text,
        value -> Double,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        client_id -> Text,
        tin -> Text,
        url -> Text,
        events -> Text,
        description -> Nullable<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (seq) {
        seq -> BigInt,
        id -> Text,
        endpoint_id -> Text,
        event_type -> Text,
        subject -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));

diesel::allow_tables_to_appear_in_same_query!(
    commission_inputs,
    commission_input_entries,
    commission_input_files,
    commission_input_history,
    summary_snapshot_inputs,
    summary_snapshot_input_entries,
    summary_snapshots,
    summary_snapshot_activities,
    summary_snapshot_occupations,
    holiday_years,
    holidays,
    hqm_applications,
    hqm_documents,
    hqm_document_requests,
    hqm_authorities,
    hqm_sectors,
    hqm_scores,
    hqm_objections,
    hqm_history,
    hqm_decisions,
    employer_contacts,
    outbox,
    api_clients,
    reference_versions,
    quota_plans,
    quota_plan_entries,
    quota_plan_history,
    quota_amendments,
    quota_amendment_entries,
    quota_allocations,
    exemption_categories,
    economic_activities,
    occupations,
    forecasts,
    forecast_lines,
    forecast_history,
    campaigns,
    idempotency_keys,
    webhook_endpoints,
    webhook_deliveries,
);
