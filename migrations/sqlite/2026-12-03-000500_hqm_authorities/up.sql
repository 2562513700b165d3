-- The scoring authorities' contacts (SPEC §16.4.2), kept by admin: told when
-- an application enters their queue and reminded before its deadline.
CREATE TABLE hqm_authorities (
    code TEXT PRIMARY KEY NOT NULL CHECK (code IN ('sectoral', 'economy', 'education', 'sms', 'labour')),
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    title_az TEXT NOT NULL CHECK (length(title_az) BETWEEN 1 AND 300),
    title_en TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 300),
    title_ru TEXT NOT NULL CHECK (length(title_ru) BETWEEN 1 AND 300),
    title_tr TEXT NOT NULL CHECK (length(title_tr) BETWEEN 1 AND 300),
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);
