-- Schema version 7: the experience model's version 3 weighs the journey's
-- average moment beside what customers remember (overall = (1 − λ) ×
-- remembered + λ × average). 0 is version 2's remembered experience alone.

ALTER TABLE map ADD COLUMN average_weight REAL NOT NULL DEFAULT 0 CHECK (average_weight >= 0 AND average_weight <= 1);
