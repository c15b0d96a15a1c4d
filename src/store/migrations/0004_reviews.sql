-- Schema version 4: periodic reviews. The map gains its service charter (a
-- promise per stage), the commitments workshops agree on and a review cadence.
-- A review freezes the whole map in `snapshot`: the map as an interchange
-- document (which every later version reads) and the analysis figures as they
-- were computed that day, so a later version with a changed analysis still
-- shows what the team saw. Triggers keep a snapshot from ever being changed.

ALTER TABLE map ADD COLUMN review_every_weeks INTEGER CHECK (review_every_weeks >= 1);

CREATE TABLE promise (
    id             TEXT    PRIMARY KEY,
    position       INTEGER NOT NULL,
    stage          TEXT    NOT NULL REFERENCES stage (id),
    text           TEXT    NOT NULL,
    within_minutes REAL    CHECK (within_minutes >= 0)
) STRICT;

CREATE TABLE commitment (
    id         TEXT    PRIMARY KEY,
    position   INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    owner      TEXT,
    department TEXT    REFERENCES department (id),
    due        TEXT    CHECK (due IS NULL OR date(due) IS due),
    status     TEXT    NOT NULL CHECK (status IN ('open', 'doing', 'done'))
) STRICT;

-- What a commitment is meant to improve: a step's or a pain point's id.
CREATE TABLE commitment_link (
    commitment TEXT    NOT NULL REFERENCES commitment (id),
    position   INTEGER NOT NULL,
    target     TEXT    NOT NULL,
    PRIMARY KEY (commitment, position)
) STRICT;

CREATE TABLE snapshot (
    seq          INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    taken_on     TEXT    NOT NULL CHECK (date(taken_on) IS taken_on),
    participants TEXT    NOT NULL, -- JSON array of names
    map          TEXT    NOT NULL, -- the map, in the interchange format
    figures      TEXT    NOT NULL  -- JSON of waymark::review::Figures
) STRICT;

CREATE TRIGGER snapshot_is_never_changed BEFORE UPDATE ON snapshot
BEGIN
    SELECT RAISE(ABORT, 'a review snapshot is never changed');
END;

CREATE TRIGGER snapshot_is_never_deleted BEFORE DELETE ON snapshot
BEGIN
    SELECT RAISE(ABORT, 'a review snapshot is never deleted');
END;
