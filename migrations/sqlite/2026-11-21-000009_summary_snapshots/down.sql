DROP TABLE summary_snapshot_occupations;
DROP TABLE summary_snapshot_activities;
DROP TABLE summary_snapshots;
