-- A returned forecast carries the day until which it may be corrected and
-- resubmitted (SPEC §15.3), fixed when it is returned.
ALTER TABLE forecasts ADD COLUMN correction_due DATE;

-- Forecasts returned before this release: the same rule, from the day of
-- their last return in Baku (UTC+4) and their campaign's dates (the stored
-- ones, else the defaults: 31 August and 15 September of the year before).
UPDATE forecasts f SET correction_due = LEAST(
    GREATEST(
        COALESCE((SELECT c.correction_deadline FROM campaigns c WHERE c.target_year = f.target_year),
                 make_date(f.target_year - 1, 8, 31)),
        (SELECT (MAX(h.at) + interval '4 hours')::date + 10
         FROM forecast_history h WHERE h.forecast_id = f.id AND h.to_status = 'returned')),
    COALESCE((SELECT c.commission_inputs_deadline FROM campaigns c WHERE c.target_year = f.target_year),
             make_date(f.target_year - 1, 9, 15)))
WHERE f.status = 'returned';

-- The reminders look returned forecasts up by this day.
CREATE INDEX forecasts_correction_due ON forecasts (correction_due) WHERE status = 'returned';
