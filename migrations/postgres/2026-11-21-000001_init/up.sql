-- Reference data (SPEC §6). Seeded from the built-in tables at start-up.
CREATE TABLE economic_activities (
    code TEXT PRIMARY KEY NOT NULL CHECK (char_length(code) BETWEEN 1 AND 10),
    level TEXT NOT NULL CHECK (level IN ('section', 'division')),
    parent TEXT REFERENCES economic_activities (code),
    title TEXT NOT NULL CHECK (char_length(title) > 0),
    position INTEGER NOT NULL
);

CREATE TABLE occupations (
    code TEXT NOT NULL CHECK (char_length(code) = 4),
    title TEXT NOT NULL CHECK (char_length(title) > 0),
    -- folded title and code, for search insensitive to case and marks
    search_text TEXT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (code, title)
);
CREATE INDEX occupations_search ON occupations (search_text);

-- The forecast (SPEC §4). `number` is the human-facing sequence; `id` the opaque id.
CREATE TABLE forecasts (
    number BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tin TEXT NOT NULL CHECK (char_length(tin) = 10),
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
    CHECK (foreign_workers <= employees_total),
    CHECK (status = 'draft' OR status = 'withdrawn' OR line_count >= 1)
);
CREATE INDEX forecasts_tin_created ON forecasts (tin, created_at);
CREATE INDEX forecasts_created ON forecasts (created_at);
CREATE INDEX forecasts_year_status ON forecasts (target_year, status);
CREATE INDEX forecasts_submitted ON forecasts (submitted_at);

CREATE TABLE forecast_lines (
    id TEXT PRIMARY KEY NOT NULL,
    forecast_id TEXT NOT NULL REFERENCES forecasts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    occupation_code TEXT NOT NULL,
    occupation_title TEXT NOT NULL,
    demand_total BIGINT NOT NULL CHECK (demand_total BETWEEN 1 AND 1000000),
    demand_foreigners BIGINT NOT NULL CHECK (demand_foreigners >= 1 AND demand_foreigners <= demand_total),
    justification TEXT NOT NULL CHECK (char_length(justification) BETWEEN 1 AND 2000),
    quota_usage TEXT NOT NULL CHECK (quota_usage IN ('liberated_territories', 'other')),
    note TEXT CHECK (note IS NULL OR char_length(note) <= 500),
    UNIQUE (forecast_id, occupation_code, occupation_title),
    FOREIGN KEY (occupation_code, occupation_title) REFERENCES occupations (code, title)
);
CREATE INDEX forecast_lines_forecast ON forecast_lines (forecast_id, position);
CREATE INDEX forecast_lines_occupation ON forecast_lines (occupation_code);

-- Every transition (SPEC §4.3). Append-only: no foreign key, so the trail of a
-- deleted draft stays, and triggers refuse any change.
CREATE TABLE forecast_history (
    seq BIGSERIAL PRIMARY KEY,
    forecast_id TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX forecast_history_forecast ON forecast_history (forecast_id, seq);
CREATE FUNCTION forecast_history_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'forecast_history is append-only'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER forecast_history_no_change BEFORE UPDATE OR DELETE ON forecast_history
FOR EACH ROW EXECUTE FUNCTION forecast_history_append_only();

-- Campaign dates set by admin; years without a row use the defaults (SPEC §4.4).
CREATE TABLE campaigns (
    target_year INTEGER PRIMARY KEY NOT NULL,
    opens_on DATE NOT NULL,
    submission_deadline DATE NOT NULL,
    correction_deadline DATE NOT NULL,
    commission_inputs_deadline DATE NOT NULL,
    proposal_deadline DATE NOT NULL,
    approval_deadline DATE NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);

-- Idempotency-Key (SPEC §7): stored in the same transaction as the change.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    location TEXT,
    etag TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
