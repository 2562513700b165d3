DROP TABLE hqm_document_requests;
ALTER TABLE hqm_documents DROP COLUMN added_after_submission;
