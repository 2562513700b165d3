-- The sectoral bodies (SPEC §16.4.5): each claims ISCO-08 sub-major groups
-- (two digits, comma-separated, no group claimed twice: checked by the
-- service); one is the default, for fields no body claims.
CREATE TABLE hqm_sectors (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
    title_az TEXT NOT NULL CHECK (length(title_az) BETWEEN 1 AND 300),
    title_en TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 300),
    title_ru TEXT NOT NULL CHECK (length(title_ru) BETWEEN 1 AND 300),
    title_tr TEXT NOT NULL CHECK (length(title_tr) BETWEEN 1 AND 300),
    isco_groups TEXT NOT NULL CHECK (length(isco_groups) <= 200),
    is_default BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX hqm_sectors_one_default ON hqm_sectors (is_default) WHERE is_default;
