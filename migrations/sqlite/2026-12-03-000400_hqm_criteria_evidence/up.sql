-- Evidence for the criteria (SPEC §16.4.6): the language of study, the
-- degree, the institution's country and the programme's accreditation; the
-- documents of financial stability.
ALTER TABLE hqm_applications ADD COLUMN education_study_language TEXT CHECK (education_study_language IS NULL OR length(education_study_language) = 2);
ALTER TABLE hqm_applications ADD COLUMN education_degree TEXT CHECK (education_degree IS NULL OR length(education_degree) BETWEEN 1 AND 200);
ALTER TABLE hqm_applications ADD COLUMN education_country TEXT CHECK (education_country IS NULL OR length(education_country) = 2);
ALTER TABLE hqm_applications ADD COLUMN education_accredited BOOLEAN;

-- SQLite cannot change a CHECK: the documents are copied into the new shape
-- (nothing refers to them; the trigger and index are made again).
CREATE TABLE hqm_documents_new (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('passport', 'qualification', 'income_statement', 'bank_statement', 'other')),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL,
    added_after_submission BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO hqm_documents_new (id, application_id, kind, content_type, filename, size, sha256, bytes, uploaded_at,
    uploaded_by, added_after_submission)
SELECT id, application_id, kind, content_type, filename, size, sha256, bytes, uploaded_at, uploaded_by,
    added_after_submission FROM hqm_documents;
DROP TABLE hqm_documents;
ALTER TABLE hqm_documents_new RENAME TO hqm_documents;
CREATE INDEX hqm_documents_application ON hqm_documents (application_id, uploaded_at);
CREATE TRIGGER hqm_documents_no_update BEFORE UPDATE ON hqm_documents
BEGIN SELECT RAISE(ABORT, 'hqm_documents are never altered'); END;
