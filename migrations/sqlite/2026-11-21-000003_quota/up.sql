-- The section a forecast's economic activity counts under (a division counts
-- under its section in every summary), kept with the forecast for GROUP BY.
ALTER TABLE forecasts ADD COLUMN activity_section TEXT NOT NULL DEFAULT '';
UPDATE forecasts SET activity_section = COALESCE(
    (SELECT e.parent FROM economic_activities e WHERE e.code = forecasts.economic_activity),
    economic_activity);
CREATE INDEX forecasts_summary ON forecasts (target_year, status, activity_section);

-- The quota plan of a target year (SPEC §5.2).
CREATE TABLE quota_plans (
    target_year INTEGER PRIMARY KEY NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'approved')),
    version BIGINT NOT NULL CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE quota_plan_entries (
    target_year INTEGER NOT NULL REFERENCES quota_plans (target_year),
    economic_activity TEXT NOT NULL REFERENCES economic_activities (code),
    proposed BIGINT NOT NULL CHECK (proposed BETWEEN 0 AND 10000000),
    approved BIGINT CHECK (approved IS NULL OR approved BETWEEN 0 AND 10000000),
    -- non-exempt permits recorded against the approved number (SPEC §5.3)
    used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (target_year, economic_activity),
    CHECK (approved IS NULL OR used <= approved)
);

CREATE TABLE quota_plan_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    target_year INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX quota_plan_history_year ON quota_plan_history (target_year, seq);
CREATE TRIGGER quota_plan_history_no_update BEFORE UPDATE ON quota_plan_history
BEGIN SELECT RAISE(ABORT, 'quota_plan_history is append-only'); END;
CREATE TRIGGER quota_plan_history_no_delete BEFORE DELETE ON quota_plan_history
BEGIN SELECT RAISE(ABORT, 'quota_plan_history is append-only'); END;

-- Work permits recorded against the quota (SPEC §5.3), one row per reference.
CREATE TABLE quota_allocations (
    permit_ref TEXT PRIMARY KEY NOT NULL CHECK (length(permit_ref) BETWEEN 1 AND 64),
    target_year INTEGER NOT NULL,
    economic_activity TEXT NOT NULL REFERENCES economic_activities (code),
    activity_section TEXT NOT NULL,
    exemption TEXT REFERENCES exemption_categories (code),
    tin TEXT CHECK (tin IS NULL OR length(tin) = 10),
    recorded_at TIMESTAMP NOT NULL,
    recorded_by TEXT NOT NULL,
    cancelled_at TIMESTAMP,
    cancelled_by TEXT
);
CREATE INDEX quota_allocations_year ON quota_allocations (target_year, activity_section);
