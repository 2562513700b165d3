DROP INDEX forecasts_one_per_year;
