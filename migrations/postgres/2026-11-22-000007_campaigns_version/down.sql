DROP TRIGGER campaigns_version ON campaigns;
DROP FUNCTION bump_campaigns_version();
DELETE FROM reference_versions WHERE name = 'campaigns';
