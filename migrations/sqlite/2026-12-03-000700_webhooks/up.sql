-- Webhook endpoints of employers' ERP systems (SPEC §17): each belongs to
-- an API client and sees only its employer's events (and the public quota's).
-- Signing secrets are stored encrypted with WEBHOOK_SECRET_KEY; the previous
-- secret keeps signing until previous_secret_until after a rotation.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES api_clients (client_id),
    tin TEXT NOT NULL CHECK (length(tin) = 10),
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    events TEXT NOT NULL,
    description TEXT,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until TIMESTAMP,
    failing_since TIMESTAMP,
    disabled_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_client ON webhook_endpoints (client_id);
CREATE INDEX webhook_endpoints_tin ON webhook_endpoints (tin);

-- One delivery of one event to one endpoint, written in the transaction of
-- the change it tells of (the outbox). `id` is the `webhook-id`, the same
-- on every attempt; `subject` orders deliveries of one resource: a later
-- one waits while an earlier one is pending.
CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    leased_until TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, subject, seq);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);
