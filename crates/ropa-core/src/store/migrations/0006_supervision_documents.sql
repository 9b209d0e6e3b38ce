-- Schema version 6: the audit report of a supervision (da tilsyn, nb oppfølging), kept in the
-- register like an agreement's signed document: one row per processor and supervision, written
-- and read in chunks through SQLite's incremental blob I/O. A supervision is named by a stable
-- id inside its processor's JSON; those stored before this version get "1", "2", … in the
-- order they were saved.

UPDATE processors
SET doc = json_set(doc, '$.supervisions', (
    SELECT json_group_array(json_set(s.value, '$.id', CAST(s.key + 1 AS TEXT)))
    FROM (SELECT key, value FROM json_each(processors.doc, '$.supervisions') ORDER BY key) AS s
))
WHERE json_array_length(doc, '$.supervisions') > 0;

CREATE TABLE supervision_documents (
    processor_id   TEXT NOT NULL REFERENCES processors (id) ON DELETE CASCADE,
    supervision_id TEXT NOT NULL,
    content        BLOB NOT NULL,
    UNIQUE (processor_id, supervision_id)
) STRICT;
