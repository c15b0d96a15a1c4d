-- Schema version 6: whether a rated step's score follows its ratings' mean.
-- Until now that was inferred each time from the score equalling the mean, so
-- a typed score that happened to equal the first rating started following the
-- ratings. Now it is kept: a typed score is the room's agreed score until the
-- facilitator takes the mean. Existing files keep what they meant when they
-- were written: a rated step whose score was its ratings' mean followed them.

ALTER TABLE step ADD COLUMN follows_ratings INTEGER NOT NULL DEFAULT 0 CHECK (follows_ratings IN (0, 1));

UPDATE step SET follows_ratings = 1
WHERE score IS NOT NULL
  AND abs(score - (SELECT round(avg(rating.score), 1) FROM rating WHERE rating.step = step.id)) < 1e-9;
