-- A forecast found wrong late (SPEC §16.3): an officer may reject it, a final
-- status of its own. A rejected forecast no longer counts as the employer's
-- forecast of its year (§15.2 with §16.3.1), so the one-per-year index
-- leaves it out as it leaves out a withdrawn one, and the employer may file
-- anew. The statuses that free a year are `ForecastStatus::NOT_LIVE`.
ALTER TABLE forecasts DROP CONSTRAINT forecasts_status_check;
ALTER TABLE forecasts ADD CONSTRAINT forecasts_status_check
    CHECK (status IN ('draft', 'submitted', 'in_review', 'returned', 'accepted', 'rejected', 'withdrawn'));
DROP INDEX forecasts_one_per_year;
CREATE UNIQUE INDEX forecasts_one_per_year ON forecasts (tin, target_year)
    WHERE status NOT IN ('rejected', 'withdrawn');
