-- Schema version 3: the people in a workshop. Participants rate steps (the
-- step's score is kept as their mean) and place dots on pain points under
-- their name, within the map's dot budget. A pain point may sit on a handoff.

ALTER TABLE map ADD COLUMN dot_budget INTEGER CHECK (dot_budget >= 0);

ALTER TABLE pain_point ADD COLUMN handoff_from TEXT REFERENCES step (id);

CREATE TABLE participant (
    name     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE rating (
    step        TEXT    NOT NULL REFERENCES step (id),
    participant TEXT    NOT NULL REFERENCES participant (name),
    position    INTEGER NOT NULL,
    score       REAL    NOT NULL,
    PRIMARY KEY (step, participant)
) STRICT;

CREATE TABLE dots (
    pain_point  TEXT    NOT NULL REFERENCES pain_point (id),
    participant TEXT    NOT NULL REFERENCES participant (name),
    position    INTEGER NOT NULL,
    count       INTEGER NOT NULL CHECK (count >= 1),
    PRIMARY KEY (pain_point, participant)
) STRICT;
