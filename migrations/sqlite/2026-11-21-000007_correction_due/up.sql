-- A returned forecast carries the day until which it may be corrected and
-- resubmitted (SPEC §15.3), fixed when it is returned.
ALTER TABLE forecasts ADD COLUMN correction_due DATE;

-- Forecasts returned before this release: the same rule, from the day of
-- their last return in Baku (UTC+4) and their campaign's dates (the stored
-- ones, else the defaults: 31 August and 15 September of the year before).
UPDATE forecasts SET correction_due = (
    SELECT MIN(
        MAX(COALESCE(c.correction_deadline, printf('%04d-08-31', forecasts.target_year - 1)),
            COALESCE(date(MAX(h.at), '+4 hours', '+10 days'), '0000-01-01')),
        COALESCE(c.commission_inputs_deadline, printf('%04d-09-15', forecasts.target_year - 1)))
    FROM forecast_history h LEFT JOIN campaigns c ON c.target_year = forecasts.target_year
    WHERE h.forecast_id = forecasts.id AND h.to_status = 'returned')
WHERE status = 'returned';

-- The reminders look returned forecasts up by this day.
CREATE INDEX forecasts_correction_due ON forecasts (correction_due) WHERE status = 'returned';
