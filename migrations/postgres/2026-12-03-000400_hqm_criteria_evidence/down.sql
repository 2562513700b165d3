-- Refused while a document of the new kinds exists.
ALTER TABLE hqm_documents DROP CONSTRAINT hqm_documents_kind_check;
ALTER TABLE hqm_documents ADD CONSTRAINT hqm_documents_kind_check CHECK (kind IN ('passport', 'qualification', 'other'));
ALTER TABLE hqm_applications DROP COLUMN education_accredited;
ALTER TABLE hqm_applications DROP COLUMN education_country;
ALTER TABLE hqm_applications DROP COLUMN education_degree;
ALTER TABLE hqm_applications DROP COLUMN education_study_language;
