DROP TABLE idempotency_keys;
DROP TABLE campaigns;
DROP TABLE forecast_history;
DROP TABLE forecast_lines;
DROP TABLE forecasts;
DROP TABLE occupations;
DROP TABLE economic_activities;
