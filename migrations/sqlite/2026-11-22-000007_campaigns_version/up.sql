-- The campaigns get a version like the classification's, so servers can
-- keep the calendar in memory and check, in the query they run anyway, that
-- it is still current. Triggers bump it, so every writer (the API, the CLI,
-- an operator's SQL) is seen.
INSERT INTO reference_versions (name, version) VALUES ('campaigns', 1);
CREATE TRIGGER campaigns_version_insert AFTER INSERT ON campaigns
BEGIN
    UPDATE reference_versions SET version = version + 1 WHERE name = 'campaigns';
END;
CREATE TRIGGER campaigns_version_update AFTER UPDATE ON campaigns
BEGIN
    UPDATE reference_versions SET version = version + 1 WHERE name = 'campaigns';
END;
CREATE TRIGGER campaigns_version_delete AFTER DELETE ON campaigns
BEGIN
    UPDATE reference_versions SET version = version + 1 WHERE name = 'campaigns';
END;
