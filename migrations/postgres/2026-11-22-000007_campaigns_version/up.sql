-- The campaigns get a version like the classification's, so servers can
-- keep the calendar in memory and check, in the query they run anyway, that
-- it is still current. A trigger bumps it, so every writer (the API, the
-- CLI, an operator's SQL) is seen.
INSERT INTO reference_versions (name, version) VALUES ('campaigns', 1);
CREATE FUNCTION bump_campaigns_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_versions SET version = version + 1 WHERE name = 'campaigns';
    RETURN NULL;
END;
$$;
CREATE TRIGGER campaigns_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION bump_campaigns_version();
