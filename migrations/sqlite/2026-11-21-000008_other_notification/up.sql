-- The officer's note on acceptance, the guideline list's "Other
-- notification" beside the return reason (SPEC §15.4).
ALTER TABLE forecasts ADD COLUMN other_notification TEXT
    CHECK (other_notification IS NULL OR length(other_notification) BETWEEN 1 AND 2000);
