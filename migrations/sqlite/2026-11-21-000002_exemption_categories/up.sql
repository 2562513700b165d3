-- Categories of work permits exempt from the quota (SPEC §5.3, §6).
CREATE TABLE exemption_categories (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
    title_az TEXT NOT NULL CHECK (length(title_az) BETWEEN 1 AND 500),
    title_en TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 500),
    title_ru TEXT NOT NULL CHECK (length(title_ru) BETWEEN 1 AND 500),
    retired BOOLEAN NOT NULL DEFAULT 0,
    position INTEGER NOT NULL
);
