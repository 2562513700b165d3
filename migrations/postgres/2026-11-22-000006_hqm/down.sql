DROP TABLE hqm_decisions;
DROP TABLE hqm_history;
DROP TABLE hqm_objections;
DROP TABLE hqm_scores;
DROP TABLE hqm_documents;
DROP TABLE hqm_applications;
DROP TABLE holidays;
DROP TABLE holiday_years;
