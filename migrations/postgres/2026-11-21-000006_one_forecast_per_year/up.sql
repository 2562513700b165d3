-- One forecast per employer and target year (SPEC §15.2): at most one that
-- is not withdrawn. A database that already holds two live forecasts of one
-- TIN and year refuses this migration, naming the pair: which one stands is
-- the Service's decision, not the migration's (docs/DECISIONS.md).
CREATE UNIQUE INDEX forecasts_one_per_year ON forecasts (tin, target_year) WHERE status <> 'withdrawn';
