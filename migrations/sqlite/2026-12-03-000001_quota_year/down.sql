ALTER TABLE quota_allocations DROP COLUMN ended_by;
ALTER TABLE quota_allocations DROP COLUMN ended_at;
ALTER TABLE quota_allocations DROP COLUMN ended_on;
ALTER TABLE quota_allocations DROP COLUMN end_reason;
DROP TABLE quota_amendment_entries;
DROP TABLE quota_amendments;
ALTER TABLE quota_plan_history DROP COLUMN amendment;
ALTER TABLE quota_plan_history DROP COLUMN order_date;
ALTER TABLE quota_plan_history DROP COLUMN order_number;
ALTER TABLE quota_plan_history DROP COLUMN reason;
CREATE TABLE quota_plan_entries_old (
    target_year INTEGER NOT NULL REFERENCES quota_plans (target_year),
    economic_activity TEXT NOT NULL REFERENCES economic_activities (code),
    proposed BIGINT NOT NULL CHECK (proposed BETWEEN 0 AND 10000000),
    approved BIGINT CHECK (approved IS NULL OR approved BETWEEN 0 AND 10000000),
    used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (target_year, economic_activity),
    CHECK (approved IS NULL OR used <= approved)
);
INSERT INTO quota_plan_entries_old SELECT target_year, economic_activity, proposed, approved, used
FROM quota_plan_entries WHERE proposed IS NOT NULL;
DROP TABLE quota_plan_entries;
ALTER TABLE quota_plan_entries_old RENAME TO quota_plan_entries;
ALTER TABLE quota_plans DROP COLUMN late;
ALTER TABLE quota_plans DROP COLUMN approved_at;
ALTER TABLE quota_plans DROP COLUMN order_date;
ALTER TABLE quota_plans DROP COLUMN order_number;
