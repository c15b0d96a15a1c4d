-- Library schema version 1: maps, their edit logs and their reviews.
--
-- `waymark_library` marks the database as a Waymark library and says which
-- schema it holds (one row). A map is its current document (the interchange
-- format) and `version`, the number of edits its log holds; every edit is a
-- row of `edit` with the version it made, so an edit made against an older
-- version is noticed (the primary key refuses a second row for a version).
-- A review freezes the map of that day, as in a file.

CREATE TABLE waymark_library (
    singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    application    text        NOT NULL CHECK (application = 'waymark'),
    schema_version integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE map (
    id                 text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    title              text        NOT NULL,
    steps              integer     NOT NULL CHECK (steps >= 0),
    version            bigint      NOT NULL CHECK (version >= 0),
    document           text        NOT NULL,
    review_every_weeks integer     CHECK (review_every_weeks >= 1),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text        NOT NULL
);

CREATE TABLE edit (
    map_id  text        NOT NULL REFERENCES map (id) ON DELETE CASCADE,
    version bigint      NOT NULL CHECK (version >= 1),
    label   text        NOT NULL,
    patch   text        NOT NULL,
    undone  boolean     NOT NULL DEFAULT false,
    author  text        NOT NULL,
    made_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (map_id, version)
);

CREATE TABLE review (
    map_id       text    NOT NULL REFERENCES map (id) ON DELETE CASCADE,
    seq          integer NOT NULL CHECK (seq >= 1),
    name         text    NOT NULL,
    taken_on     date    NOT NULL,
    participants text    NOT NULL,
    document     text    NOT NULL,
    figures      text    NOT NULL,
    PRIMARY KEY (map_id, seq)
);
