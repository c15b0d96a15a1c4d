-- Schema version 9: scores measured from a survey (docs/evidence.md, "Survey
-- responses"), each step's figures kept as a small JSON object beside its
-- score, and where the map's weights came from when fitted to a survey.

ALTER TABLE step ADD COLUMN surveyed TEXT;

ALTER TABLE map ADD COLUMN calibration TEXT;
