-- What the Commission receives besides the summary (SPEC §16.2, seed 003
-- fn 43): each body's input for a target year, one row per body, its
-- figures per economic activity, and the history of every change.
CREATE TABLE commission_inputs (
    target_year INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (body IN ('labour', 'economy', 'education', 'socar')),
    version BIGINT NOT NULL CHECK (version >= 1),
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (target_year, body)
);

CREATE TABLE commission_input_entries (
    target_year INTEGER NOT NULL,
    body TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    economic_activity TEXT NOT NULL,
    activity_section TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (length(measure) BETWEEN 1 AND 64),
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (target_year, body, position),
    UNIQUE (target_year, body, economic_activity, measure),
    FOREIGN KEY (target_year, body) REFERENCES commission_inputs (target_year, body) ON DELETE CASCADE
);

CREATE TABLE commission_input_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    target_year INTEGER NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    entries INTEGER NOT NULL CHECK (entries >= 0),
    note TEXT
);
CREATE INDEX commission_input_history_year ON commission_input_history (target_year, body, seq);
CREATE TRIGGER commission_input_history_no_update BEFORE UPDATE ON commission_input_history
BEGIN SELECT RAISE(ABORT, 'commission_input_history is append-only'); END;
CREATE TRIGGER commission_input_history_no_delete BEFORE DELETE ON commission_input_history
BEGIN SELECT RAISE(ABORT, 'commission_input_history is append-only'); END;

-- A snapshot of the summary (SPEC §15.5) includes the inputs as they stood
-- when it was taken, the SMS's computed one (body `sms`) too.
CREATE TABLE summary_snapshot_inputs (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (body IN ('labour', 'economy', 'education', 'socar', 'sms')),
    version BIGINT NOT NULL CHECK (version >= 0),
    note TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (target_year, number, body),
    FOREIGN KEY (target_year, number) REFERENCES summary_snapshots (target_year, number)
);

CREATE TABLE summary_snapshot_input_entries (
    target_year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    body TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    economic_activity TEXT NOT NULL,
    activity_section TEXT NOT NULL,
    measure TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (target_year, number, body, position),
    FOREIGN KEY (target_year, number, body) REFERENCES summary_snapshot_inputs (target_year, number, body)
);

CREATE TRIGGER summary_snapshot_inputs_no_update BEFORE UPDATE ON summary_snapshot_inputs
BEGIN SELECT RAISE(ABORT, 'summary_snapshot_inputs is append-only'); END;
CREATE TRIGGER summary_snapshot_inputs_no_delete BEFORE DELETE ON summary_snapshot_inputs
BEGIN SELECT RAISE(ABORT, 'summary_snapshot_inputs is append-only'); END;
CREATE TRIGGER summary_snapshot_input_entries_no_update BEFORE UPDATE ON summary_snapshot_input_entries
BEGIN SELECT RAISE(ABORT, 'summary_snapshot_input_entries is append-only'); END;
CREATE TRIGGER summary_snapshot_input_entries_no_delete BEFORE DELETE ON summary_snapshot_input_entries
BEGIN SELECT RAISE(ABORT, 'summary_snapshot_input_entries is append-only'); END;

-- Files attached to an input (SPEC §16.2: PDF or XLSX, as HQM documents):
-- kept with size and SHA-256, never altered; deleted with the input.
CREATE TABLE commission_input_files (
    id TEXT PRIMARY KEY NOT NULL,
    target_year INTEGER NOT NULL,
    body TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    filename TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by TEXT NOT NULL,
    FOREIGN KEY (target_year, body) REFERENCES commission_inputs (target_year, body) ON DELETE CASCADE
);
CREATE INDEX commission_input_files_input ON commission_input_files (target_year, body, uploaded_at);
