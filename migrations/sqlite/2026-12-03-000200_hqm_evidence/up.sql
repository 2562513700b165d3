-- Evidence on request (SPEC §16.4.1): an officer asks for documents of named
-- kinds while the application is under review; the applicant adds them
-- until the review deadline, each marked as added after submission.
ALTER TABLE hqm_documents ADD COLUMN added_after_submission BOOLEAN NOT NULL DEFAULT FALSE;

-- The requests, in the order made; never changed (the trail is hqm_history).
CREATE TABLE hqm_document_requests (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES hqm_applications (id) ON DELETE CASCADE,
    -- the kinds asked for, comma-separated codes of DocumentKind
    kinds TEXT NOT NULL CHECK (length(kinds) BETWEEN 1 AND 200),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL
);
CREATE INDEX hqm_document_requests_application ON hqm_document_requests (application_id, requested_at);
