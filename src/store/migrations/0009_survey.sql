-- Schema version 9: scores measured from a survey (docs/evidence.md, "Survey
-- responses"), each step's figures kept as a small JSON object beside its
-- score, and where the map's weights came from when fitted to a survey.

ALTER TABLE step ADD COLUMN surveyed TEXT;

ALTER TABLE map ADD COLUMN calibration TEXT;

-- Each survey's answers (bound ratings, overall and segment values per
-- respondent, nothing else), kept for resampling: one row per survey, the
-- step ids and the respondents as JSON.
CREATE TABLE answers (
    position    INTEGER PRIMARY KEY,
    source      INTEGER NOT NULL CHECK (source >= 0),
    steps       TEXT    NOT NULL,
    respondents TEXT    NOT NULL
) STRICT;

-- An event log's cases, kept for resampling the measured shares: the
-- measured flows and entries as tables, each case as positions in them.
CREATE TABLE kept_cases (
    position INTEGER PRIMARY KEY,
    source   INTEGER NOT NULL CHECK (source >= 0),
    flows    TEXT    NOT NULL,
    entries  TEXT    NOT NULL,
    cases    TEXT    NOT NULL
) STRICT;
