-- What the Commission receives, frozen (SPEC §15.5): numbered snapshots of
-- the summary of a target year over accepted forecasts, per economic
-- activity and per occupation within each activity, with the totals.
-- Append-only: triggers refuse any change, so a snapshot stays what it was.
CREATE TABLE summary_snapshots (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    taken_at TIMESTAMP NOT NULL,
    taken_by TEXT NOT NULL,
    employers BIGINT NOT NULL CHECK (employers >= 0),
    forecasts BIGINT NOT NULL CHECK (forecasts >= 0),
    occupations BIGINT NOT NULL CHECK (occupations >= 0),
    demand_total BIGINT NOT NULL CHECK (demand_total >= 0),
    quota_foreigners BIGINT NOT NULL CHECK (quota_foreigners >= 0),
    exempt_foreigners BIGINT NOT NULL CHECK (exempt_foreigners >= 0),
    PRIMARY KEY (target_year, number)
);

CREATE TABLE summary_snapshot_activities (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    economic_activity TEXT NOT NULL,
    title TEXT NOT NULL,
    employers BIGINT NOT NULL CHECK (employers >= 0),
    forecasts BIGINT NOT NULL CHECK (forecasts >= 0),
    occupations BIGINT NOT NULL CHECK (occupations >= 0),
    demand_total BIGINT NOT NULL CHECK (demand_total >= 0),
    quota_foreigners BIGINT NOT NULL CHECK (quota_foreigners >= 0),
    exempt_foreigners BIGINT NOT NULL CHECK (exempt_foreigners >= 0),
    PRIMARY KEY (target_year, number, economic_activity),
    FOREIGN KEY (target_year, number) REFERENCES summary_snapshots (target_year, number)
);

CREATE TABLE summary_snapshot_occupations (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    economic_activity TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    occupation_title TEXT NOT NULL,
    employers BIGINT NOT NULL CHECK (employers >= 0),
    demand_total BIGINT NOT NULL CHECK (demand_total >= 0),
    quota_foreigners BIGINT NOT NULL CHECK (quota_foreigners >= 0),
    exempt_foreigners BIGINT NOT NULL CHECK (exempt_foreigners >= 0),
    PRIMARY KEY (target_year, number, economic_activity, occupation_code, occupation_title),
    FOREIGN KEY (target_year, number, economic_activity)
        REFERENCES summary_snapshot_activities (target_year, number, economic_activity)
);

CREATE TRIGGER summary_snapshots_no_change BEFORE UPDATE OR DELETE ON summary_snapshots
FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER summary_snapshot_activities_no_change BEFORE UPDATE OR DELETE ON summary_snapshot_activities
FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER summary_snapshot_occupations_no_change BEFORE UPDATE OR DELETE ON summary_snapshot_occupations
FOR EACH ROW EXECUTE FUNCTION refuse_change();
