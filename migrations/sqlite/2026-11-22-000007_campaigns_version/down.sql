DROP TRIGGER campaigns_version_insert;
DROP TRIGGER campaigns_version_update;
DROP TRIGGER campaigns_version_delete;
DELETE FROM reference_versions WHERE name = 'campaigns';
