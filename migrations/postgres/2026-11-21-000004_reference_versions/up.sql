-- A counter per reference table, bumped in the transaction that changes it,
-- so servers know when to reload the classification they search in memory.
CREATE TABLE reference_versions (
    name TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO reference_versions (name, version) VALUES ('occupations', 1);
