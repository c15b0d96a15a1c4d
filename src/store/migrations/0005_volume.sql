-- Schema version 5: how many customers take the journey in a month, so a
-- portfolio can rank one journey's weak spots against another's.

ALTER TABLE map ADD COLUMN volume INTEGER CHECK (volume >= 1);
