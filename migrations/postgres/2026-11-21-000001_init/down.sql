DROP TABLE idempotency_keys;
DROP TABLE campaigns;
DROP TABLE forecast_history;
DROP FUNCTION forecast_history_append_only();
DROP TABLE forecast_lines;
DROP TABLE forecasts;
DROP TABLE occupations;
DROP TABLE economic_activities;
