-- Schema version 8: figures measured from an event log, with the number of
-- observations behind them and where they came from (docs/evidence.md).
-- Measured shares and agreement times are kept as small JSON objects on the
-- flow and step they belong to; the sources in a table of their own.

ALTER TABLE map ADD COLUMN agreement_share REAL NOT NULL DEFAULT 0.9 CHECK (agreement_share > 0 AND agreement_share <= 1);

ALTER TABLE step ADD COLUMN entry_measured TEXT;

ALTER TABLE flow ADD COLUMN measured TEXT;
ALTER TABLE flow ADD COLUMN sla_target_share REAL;
ALTER TABLE flow ADD COLUMN sla_measured TEXT;

CREATE TABLE evidence (
    position  INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL CHECK (kind IN ('log', 'survey')),
    file      TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    count     INTEGER NOT NULL CHECK (count >= 0),
    span_from TEXT,
    span_to   TEXT,
    read_on   TEXT    NOT NULL
) STRICT;
