DROP TABLE commission_input_files;
DROP TABLE summary_snapshot_input_entries;
DROP TABLE summary_snapshot_inputs;
DROP TABLE commission_input_history;
DROP TABLE commission_input_entries;
DROP TABLE commission_inputs;
