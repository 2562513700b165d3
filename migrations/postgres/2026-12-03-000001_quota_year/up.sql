-- The quota year as it happens (SPEC §16.1): the Cabinet's order on the
-- approval, entries the Cabinet adds (no proposed number), numbered
-- amendments, and permits that end early or are revoked.
ALTER TABLE quota_plans ADD COLUMN order_number TEXT CHECK (order_number IS NULL OR char_length(order_number) BETWEEN 1 AND 100);
ALTER TABLE quota_plans ADD COLUMN order_date DATE;
ALTER TABLE quota_plans ADD COLUMN approved_at TIMESTAMP;
ALTER TABLE quota_plans ADD COLUMN late BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE quota_plan_entries ALTER COLUMN proposed DROP NOT NULL;

ALTER TABLE quota_plan_history ADD COLUMN reason TEXT;
ALTER TABLE quota_plan_history ADD COLUMN order_number TEXT;
ALTER TABLE quota_plan_history ADD COLUMN order_date DATE;
ALTER TABLE quota_plan_history ADD COLUMN amendment INTEGER;

-- An amendment of an approved quota by Cabinet order, numbered per year
-- from 1; never changed.
CREATE TABLE quota_amendments (
    target_year INTEGER NOT NULL REFERENCES quota_plans (target_year),
    number INTEGER NOT NULL CHECK (number >= 1),
    order_number TEXT NOT NULL CHECK (char_length(order_number) BETWEEN 1 AND 100),
    order_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (target_year, number)
);
CREATE TRIGGER quota_amendments_no_change BEFORE UPDATE OR DELETE ON quota_amendments
FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE quota_amendment_entries (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    economic_activity TEXT NOT NULL REFERENCES economic_activities (code),
    -- the approved number before; none for an activity the amendment adds
    approved_before BIGINT,
    approved BIGINT NOT NULL CHECK (approved BETWEEN 0 AND 10000000),
    PRIMARY KEY (target_year, number, economic_activity),
    FOREIGN KEY (target_year, number) REFERENCES quota_amendments (target_year, number)
);
CREATE TRIGGER quota_amendment_entries_no_change BEFORE UPDATE OR DELETE ON quota_amendment_entries
FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Why a permit ended (SPEC §16.1.6); a cancelled permit (recorded in
-- error) keeps its cancelled_at.
ALTER TABLE quota_allocations ADD COLUMN end_reason TEXT
    CHECK (end_reason IS NULL OR end_reason IN ('recorded_in_error', 'terminated_early', 'revoked'));
ALTER TABLE quota_allocations ADD COLUMN ended_on DATE;
ALTER TABLE quota_allocations ADD COLUMN ended_at TIMESTAMP;
ALTER TABLE quota_allocations ADD COLUMN ended_by TEXT;
UPDATE quota_allocations SET end_reason = 'recorded_in_error', ended_at = cancelled_at, ended_by = cancelled_by
WHERE cancelled_at IS NOT NULL;
