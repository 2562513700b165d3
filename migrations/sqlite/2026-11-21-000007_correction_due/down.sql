DROP INDEX forecasts_correction_due;
ALTER TABLE forecasts DROP COLUMN correction_due;
