DROP TABLE quota_allocations;
DROP TABLE quota_plan_history;
DROP TABLE quota_plan_entries;
DROP TABLE quota_plans;
DROP INDEX forecasts_summary;
ALTER TABLE forecasts DROP COLUMN activity_section;
