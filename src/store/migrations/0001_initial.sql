-- Schema version 1: one map per file, its lists kept in their order by `position`.
-- Foreign keys hold the references the interchange format names by id.

CREATE TABLE map (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    title       TEXT    NOT NULL,
    description TEXT,
    end_weight  REAL    NOT NULL,
    negativity  REAL    NOT NULL,
    standard    REAL    NOT NULL
) STRICT;

CREATE TABLE stage (
    id       TEXT    PRIMARY KEY,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL
) STRICT;

CREATE TABLE department (
    id       TEXT    PRIMARY KEY,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    facing   TEXT    NOT NULL CHECK (facing IN ('customer', 'internal')),
    color    TEXT
) STRICT;

CREATE TABLE step (
    id          TEXT    PRIMARY KEY,
    position    INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    stage       TEXT    NOT NULL REFERENCES stage (id),
    department  TEXT    NOT NULL REFERENCES department (id),
    visibility  TEXT    NOT NULL CHECK (visibility IN ('frontstage', 'backstage')),
    score       REAL,
    target      REAL,
    owner       TEXT,
    channel     TEXT,
    notes       TEXT,
    entry_share REAL
) STRICT;

CREATE TABLE flow (
    position             INTEGER PRIMARY KEY,
    from_step            TEXT    NOT NULL REFERENCES step (id),
    to_step              TEXT    NOT NULL REFERENCES step (id),
    share                REAL,
    kind                 TEXT    NOT NULL CHECK (kind IN ('flow', 'rework')),
    sla_promised_minutes REAL,
    sla_actual_minutes   REAL,
    sla_quality          TEXT,
    CHECK (sla_promised_minutes IS NOT NULL OR (sla_actual_minutes IS NULL AND sla_quality IS NULL))
) STRICT;

CREATE TABLE pain_point (
    id       TEXT    PRIMARY KEY,
    position INTEGER NOT NULL,
    step     TEXT    NOT NULL REFERENCES step (id),
    text     TEXT    NOT NULL,
    severity INTEGER,
    votes    INTEGER NOT NULL CHECK (votes >= 0),
    owner    TEXT,
    status   TEXT    NOT NULL CHECK (status IN ('open', 'doing', 'resolved'))
) STRICT;
