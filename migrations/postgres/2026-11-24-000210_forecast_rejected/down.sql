-- Refused while a rejected forecast exists (the CHECK names it): which of an
-- employer's forecasts of a year stands is the Service's decision.
DROP INDEX forecasts_one_per_year;
CREATE UNIQUE INDEX forecasts_one_per_year ON forecasts (tin, target_year) WHERE status <> 'withdrawn';
ALTER TABLE forecasts DROP CONSTRAINT forecasts_status_check;
ALTER TABLE forecasts ADD CONSTRAINT forecasts_status_check
    CHECK (status IN ('draft', 'submitted', 'in_review', 'returned', 'accepted', 'withdrawn'));
