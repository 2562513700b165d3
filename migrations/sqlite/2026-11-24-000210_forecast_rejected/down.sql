-- Back to the statuses before rejection. Refused while a rejected forecast
-- exists (the CHECK names it): which of an employer's forecasts of a year
-- stands is the Service's decision, not the migration's.
--
-- SQLite cannot change a CHECK in place: the table is built again and the
-- rows copied, in the migration's transaction. Dropping a table deletes its
-- rows first, which would cascade to the lines, so the lines are set aside
-- and their table is built again too (as the first migration made it).
CREATE TABLE forecasts_new (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tin TEXT NOT NULL CHECK (length(tin) = 10),
    target_year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'returned', 'accepted', 'withdrawn')),
    version BIGINT NOT NULL CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    notification TEXT,
    created_by TEXT NOT NULL,
    person_type TEXT NOT NULL CHECK (person_type IN ('physical', 'legal')),
    organization_name TEXT,
    legal_form TEXT,
    name TEXT,
    surname TEXT,
    patronymic TEXT,
    legal_address TEXT NOT NULL,
    current_address TEXT NOT NULL,
    workplace_address TEXT NOT NULL,
    tin_issued_on DATE NOT NULL,
    employees_total BIGINT NOT NULL CHECK (employees_total BETWEEN 0 AND 1000000),
    foreign_workers BIGINT NOT NULL CHECK (foreign_workers BETWEEN 0 AND 1000000),
    economic_activity TEXT NOT NULL REFERENCES economic_activities (code),
    -- folded display name of the employer, for staff search
    employer_search TEXT NOT NULL,
    line_count INTEGER NOT NULL CHECK (line_count BETWEEN 0 AND 200),
    foreigners_total BIGINT NOT NULL CHECK (foreigners_total >= 0),
    search_text TEXT NOT NULL,
    activity_section TEXT NOT NULL DEFAULT '',
    correction_due DATE,
    other_notification TEXT
        CHECK (other_notification IS NULL OR length(other_notification) BETWEEN 1 AND 2000),
    CHECK (foreign_workers <= employees_total),
    CHECK (status = 'draft' OR status = 'withdrawn' OR line_count >= 1)
);
INSERT INTO forecasts_new (
    number, id, tin, target_year, status, version, created_at, updated_at, submitted_at,
    notification, created_by, person_type, organization_name, legal_form, name, surname, patronymic,
    legal_address, current_address, workplace_address, tin_issued_on, employees_total,
    foreign_workers, economic_activity, employer_search, line_count, foreigners_total, search_text,
    activity_section, correction_due, other_notification)
SELECT
    number, id, tin, target_year, status, version, created_at, updated_at, submitted_at,
    notification, created_by, person_type, organization_name, legal_form, name, surname, patronymic,
    legal_address, current_address, workplace_address, tin_issued_on, employees_total,
    foreign_workers, economic_activity, employer_search, line_count, foreigners_total, search_text,
    activity_section, correction_due, other_notification
FROM forecasts;
-- Numbers of deleted drafts are never given again: the counter carries over.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'forecasts_new', 0 FROM sqlite_sequence WHERE name = 'forecasts'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'forecasts_new');
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'forecasts'), 0))
    WHERE name = 'forecasts_new';

CREATE TABLE forecast_lines_kept AS SELECT * FROM forecast_lines;
DROP TABLE forecast_lines;
DROP TABLE forecasts;
ALTER TABLE forecasts_new RENAME TO forecasts;
CREATE INDEX forecasts_tin_created ON forecasts (tin, created_at);
CREATE INDEX forecasts_created ON forecasts (created_at);
CREATE INDEX forecasts_year_status ON forecasts (target_year, status);
CREATE INDEX forecasts_submitted ON forecasts (submitted_at);
CREATE INDEX forecasts_summary ON forecasts (target_year, status, activity_section);
CREATE INDEX forecasts_correction_due ON forecasts (correction_due) WHERE status = 'returned';
CREATE UNIQUE INDEX forecasts_one_per_year ON forecasts (tin, target_year) WHERE status <> 'withdrawn';

CREATE TABLE forecast_lines (
    id TEXT PRIMARY KEY NOT NULL,
    forecast_id TEXT NOT NULL REFERENCES forecasts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    occupation_code TEXT NOT NULL,
    occupation_title TEXT NOT NULL,
    demand_total BIGINT NOT NULL CHECK (demand_total BETWEEN 1 AND 1000000),
    demand_foreigners BIGINT NOT NULL CHECK (demand_foreigners >= 1 AND demand_foreigners <= demand_total),
    justification TEXT NOT NULL CHECK (length(justification) BETWEEN 1 AND 2000),
    quota_usage TEXT NOT NULL CHECK (quota_usage IN ('liberated_territories', 'other')),
    note TEXT CHECK (note IS NULL OR length(note) <= 500),
    UNIQUE (forecast_id, occupation_code, occupation_title),
    FOREIGN KEY (occupation_code, occupation_title) REFERENCES occupations (code, title)
);
INSERT INTO forecast_lines (id, forecast_id, position, occupation_code, occupation_title, demand_total,
    demand_foreigners, justification, quota_usage, note)
SELECT id, forecast_id, position, occupation_code, occupation_title, demand_total,
    demand_foreigners, justification, quota_usage, note
FROM forecast_lines_kept;
DROP TABLE forecast_lines_kept;
CREATE INDEX forecast_lines_forecast ON forecast_lines (forecast_id, position);
CREATE INDEX forecast_lines_occupation ON forecast_lines (occupation_code);
