-- Evidence for the criteria (SPEC §16.4.6): the language of study, the
-- degree, the institution's country and the programme's accreditation; the
-- documents of financial stability.
ALTER TABLE hqm_applications ADD COLUMN education_study_language TEXT CHECK (education_study_language IS NULL OR char_length(education_study_language) = 2);
ALTER TABLE hqm_applications ADD COLUMN education_degree TEXT CHECK (education_degree IS NULL OR char_length(education_degree) BETWEEN 1 AND 200);
ALTER TABLE hqm_applications ADD COLUMN education_country TEXT CHECK (education_country IS NULL OR char_length(education_country) = 2);
ALTER TABLE hqm_applications ADD COLUMN education_accredited BOOLEAN;

ALTER TABLE hqm_documents DROP CONSTRAINT hqm_documents_kind_check;
ALTER TABLE hqm_documents ADD CONSTRAINT hqm_documents_kind_check
    CHECK (kind IN ('passport', 'qualification', 'income_statement', 'bank_statement', 'other'));
