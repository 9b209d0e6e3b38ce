-- Schema version 1: the processing register and the change log.
-- Aggregates (organisation, catalog entries, activities) are stored as canonical JSON
-- documents; the columns beside them exist for listing, filtering and referential integrity.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organisation (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    doc TEXT NOT NULL
) STRICT;

CREATE TABLE data_categories (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    doc      TEXT NOT NULL
) STRICT;

CREATE TABLE subject_categories (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    doc      TEXT NOT NULL
) STRICT;

CREATE TABLE recipients (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    doc      TEXT NOT NULL
) STRICT;

CREATE TABLE activities (
    id          TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,
    role        TEXT NOT NULL,
    next_review TEXT,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX activities_by_position ON activities (position);

-- What each activity refers to: a catalog entry in use cannot be deleted.
CREATE TABLE activity_data_categories (
    activity_id      TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    data_category_id TEXT NOT NULL REFERENCES data_categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, data_category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_data_categories_by_category ON activity_data_categories (data_category_id);

CREATE TABLE activity_subject_categories (
    activity_id         TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    subject_category_id TEXT NOT NULL REFERENCES subject_categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, subject_category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_subject_categories_by_category ON activity_subject_categories (subject_category_id);

CREATE TABLE activity_recipients (
    activity_id  TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL REFERENCES recipients (id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, recipient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_recipients_by_recipient ON activity_recipients (recipient_id);

-- The tamper-evident change log: ids only, never personal data.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    mac       BLOB NOT NULL
) STRICT;
