-- A review deadline counted into a year whose holiday list is not published
-- is provisional until the list is (SPEC §16.4.4).
ALTER TABLE hqm_applications ADD COLUMN review_deadline_provisional BOOLEAN NOT NULL DEFAULT FALSE;
