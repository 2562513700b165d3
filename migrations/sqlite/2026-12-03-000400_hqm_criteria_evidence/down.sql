-- Refused while a document of the new kinds exists: the CHECK of the old
-- shape fails the copy.
CREATE TABLE hqm_documents_old (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('passport', 'qualification', 'other')),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL,
    added_after_submission BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO hqm_documents_old SELECT id, application_id, kind, content_type, filename, size, sha256, bytes,
    uploaded_at, uploaded_by, added_after_submission FROM hqm_documents;
DROP TABLE hqm_documents;
ALTER TABLE hqm_documents_old RENAME TO hqm_documents;
CREATE INDEX hqm_documents_application ON hqm_documents (application_id, uploaded_at);
CREATE TRIGGER hqm_documents_no_update BEFORE UPDATE ON hqm_documents
BEGIN SELECT RAISE(ABORT, 'hqm_documents are never altered'); END;
ALTER TABLE hqm_applications DROP COLUMN education_accredited;
ALTER TABLE hqm_applications DROP COLUMN education_country;
ALTER TABLE hqm_applications DROP COLUMN education_degree;
ALTER TABLE hqm_applications DROP COLUMN education_study_language;
