-- Schema version 2: the breach log (Art. 33(5)) and its settings.
-- A breach is stored like an activity: a canonical JSON document with columns beside it for
-- listing, and link tables whose foreign keys keep the catalog entries and activities a breach
-- refers to from being deleted. Rows of `breaches` are never deleted, except when an import
-- replaces the whole register.

CREATE TABLE breach_settings (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    doc TEXT NOT NULL
) STRICT;

CREATE TABLE breaches (
    id              TEXT PRIMARY KEY,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    became_aware_at TEXT NOT NULL,
    risk            TEXT,
    closed_at       TEXT,
    doc             TEXT NOT NULL
) STRICT;
CREATE INDEX breaches_by_position ON breaches (position);

CREATE TABLE breach_data_categories (
    breach_id        TEXT NOT NULL REFERENCES breaches (id) ON DELETE CASCADE,
    data_category_id TEXT NOT NULL REFERENCES data_categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (breach_id, data_category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX breach_data_categories_by_category ON breach_data_categories (data_category_id);

CREATE TABLE breach_subject_categories (
    breach_id           TEXT NOT NULL REFERENCES breaches (id) ON DELETE CASCADE,
    subject_category_id TEXT NOT NULL REFERENCES subject_categories (id) ON DELETE RESTRICT,
    PRIMARY KEY (breach_id, subject_category_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX breach_subject_categories_by_category ON breach_subject_categories (subject_category_id);

CREATE TABLE breach_activities (
    breach_id   TEXT NOT NULL REFERENCES breaches (id) ON DELETE CASCADE,
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE RESTRICT,
    PRIMARY KEY (breach_id, activity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX breach_activities_by_activity ON breach_activities (activity_id);
