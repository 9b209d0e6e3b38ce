-- Schema version 3: processors and their data processing agreements (Art. 28).
-- A processor is stored like an activity: a canonical JSON document (with its agreements'
-- versions, checklist and supervisions) and link tables whose foreign keys keep the activities
-- and data categories it refers to from being deleted. The signed documents live in their own
-- table, one row per processor and agreement version, written and read in chunks through
-- SQLite's incremental blob I/O so a large file is never held whole in memory.

CREATE TABLE processors (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    country  TEXT NOT NULL,
    doc      TEXT NOT NULL
) STRICT;
CREATE INDEX processors_by_position ON processors (position);

CREATE TABLE processor_activities (
    processor_id TEXT NOT NULL REFERENCES processors (id) ON DELETE CASCADE,
    activity_id  TEXT NOT NULL REFERENCES activities (id) ON DELETE RESTRICT,
    PRIMARY KEY (processor_id, activity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX processor_activities_by_activity ON processor_activities (activity_id);

CREATE TABLE processor_data_categories (
    processor_id     TEXT NOT NULL REFERENCES processors (id) ON DELETE CASCADE,
    data_category_id TEXT NOT NULL REFERENCES data_categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (processor_id, data_category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX processor_data_categories_by_category ON processor_data_categories (data_category_id);

CREATE TABLE agreement_documents (
    processor_id TEXT NOT NULL REFERENCES processors (id) ON DELETE CASCADE,
    version      TEXT NOT NULL,
    content      BLOB NOT NULL,
    UNIQUE (processor_id, version)
) STRICT;
