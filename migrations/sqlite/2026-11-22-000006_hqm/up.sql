-- The holiday calendar (SPEC §14.4): a year is known once it has a row in
-- holiday_years, with its whole list of non-working days (possibly empty).
CREATE TABLE holiday_years (
    year INTEGER PRIMARY KEY NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    source TEXT NOT NULL CHECK (source IN ('built_in', 'admin')),
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE holidays (
    date DATE PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL REFERENCES holiday_years (year) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
CREATE INDEX holidays_year ON holidays (year, date);

-- Highly Qualified Migrant applications (SPEC §14.2). `number` is the
-- human-facing sequence; `id` the opaque id; `owner` the applicant's `sub`.
CREATE TABLE hqm_applications (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'under_review', 'recognised', 'refused', 'withdrawn')),
    version BIGINT NOT NULL CHECK (version >= 1),
    language TEXT NOT NULL CHECK (language IN ('az', 'tr', 'en', 'ru')),
    given_name TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
    surname TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
    citizenship TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    passport_number TEXT NOT NULL,
    email TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    occupation_title TEXT NOT NULL,
    experience_years INTEGER CHECK (experience_years IS NULL OR experience_years BETWEEN 0 AND 60),
    experience_summary TEXT CHECK (experience_summary IS NULL OR length(experience_summary) <= 4000),
    education_level TEXT CHECK (education_level IS NULL OR education_level IN ('secondary', 'bachelor', 'master', 'doctorate')),
    education_institution TEXT,
    -- JSON array of {name, level, expires_on}: shown, never queried
    language_certificates TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    review_deadline DATE,
    decided_at TIMESTAMP,
    CHECK (status = 'draft' OR status = 'withdrawn' OR (submitted_at IS NOT NULL AND review_deadline IS NOT NULL)),
    CHECK ((status IN ('recognised', 'refused')) = (decided_at IS NOT NULL)),
    FOREIGN KEY (occupation_code, occupation_title) REFERENCES occupations (code, title)
);
CREATE INDEX hqm_applications_owner ON hqm_applications (owner, created_at);
CREATE INDEX hqm_applications_queue ON hqm_applications (status, review_deadline);

-- Uploaded documents (SPEC §14.2): the bytes in the database, with size and
-- SHA-256. Never altered: only inserted, or deleted with a draft.
CREATE TABLE hqm_documents (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('passport', 'qualification', 'other')),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX hqm_documents_application ON hqm_documents (application_id, uploaded_at);
CREATE TRIGGER hqm_documents_no_update BEFORE UPDATE ON hqm_documents
BEGIN SELECT RAISE(ABORT, 'hqm_documents are never altered'); END;

-- The current score of each criterion (SPEC §14.3); re-scoring replaces it.
CREATE TABLE hqm_scores (
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    criterion TEXT NOT NULL CHECK (criterion IN ('work_experience', 'national_priorities', 'education',
        'financial_stability', 'labour_market_impact', 'language_skills')),
    authority TEXT NOT NULL CHECK (authority IN ('sectoral', 'economy', 'education', 'sms', 'labour')),
    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 35),
    justification TEXT NOT NULL CHECK (length(justification) BETWEEN 1 AND 2000),
    scored_by TEXT NOT NULL,
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, criterion)
);

-- Objections (SPEC §14.6); a withdrawn one stays, marked.
CREATE TABLE hqm_objections (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    authority TEXT NOT NULL CHECK (authority IN ('sectoral', 'economy', 'education', 'sms', 'labour')),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    raised_by TEXT NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TIMESTAMP
);
CREATE INDEX hqm_objections_application ON hqm_objections (application_id, raised_at);

-- The trail (SPEC §14.2): every transition, score, objection and extension.
-- Append-only: no foreign key (a deleted draft keeps its trail), and
-- triggers refuse any change.
CREATE TABLE hqm_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    authority TEXT,
    criterion TEXT,
    value_before TEXT,
    value_after TEXT,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX hqm_history_application ON hqm_history (application_id, seq);
CREATE TRIGGER hqm_history_no_update BEFORE UPDATE ON hqm_history
BEGIN SELECT RAISE(ABORT, 'hqm_history is append-only'); END;
CREATE TRIGGER hqm_history_no_delete BEFORE DELETE ON hqm_history
BEGIN SELECT RAISE(ABORT, 'hqm_history is append-only'); END;

-- Signed decision documents (SPEC §14.5): one per application, never changed.
CREATE TABLE hqm_decisions (
    number TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL UNIQUE REFERENCES hqm_applications (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'refused')),
    total INTEGER NOT NULL CHECK (total BETWEEN 0 AND 100),
    decided_at TIMESTAMP NOT NULL,
    late BOOLEAN NOT NULL,
    verification_code TEXT NOT NULL,
    content TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL,
    decided_by TEXT NOT NULL
);
CREATE TRIGGER hqm_decisions_no_update BEFORE UPDATE ON hqm_decisions
BEGIN SELECT RAISE(ABORT, 'hqm_decisions are never changed'); END;
CREATE TRIGGER hqm_decisions_no_delete BEFORE DELETE ON hqm_decisions
BEGIN SELECT RAISE(ABORT, 'hqm_decisions are never changed'); END;
