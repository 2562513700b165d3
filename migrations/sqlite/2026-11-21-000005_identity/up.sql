-- The contact e-mail of each employer (TIN), and its confirmation (SPEC §3).
CREATE TABLE employer_contacts (
    tin TEXT PRIMARY KEY NOT NULL CHECK (length(tin) = 10),
    email TEXT,
    confirmed_at TIMESTAMP,
    pending_email TEXT,
    code_hash TEXT,
    code_expires_at TIMESTAMP,
    attempts_left INTEGER NOT NULL DEFAULT 0 CHECK (attempts_left >= 0),
    updated_at TIMESTAMP NOT NULL
);

-- Messages to send, written in the transaction of the event that causes
-- them; the id is the Message-ID, so a repeat is recognisable.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    dedupe_key TEXT UNIQUE,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- Employers' ERP systems (OAuth 2.0 client credentials, SPEC §3).
CREATE TABLE api_clients (
    client_id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tin TEXT NOT NULL CHECK (length(tin) = 10),
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    secret_rotated_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
