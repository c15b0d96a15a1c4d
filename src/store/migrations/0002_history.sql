-- Schema version 2: the edit history. Each row is one edit's patch (JSON of
-- waymark::edit::Patch); undone rows form the redo stack. Keeping it in the
-- file means undo and redo survive closing the app.

CREATE TABLE history (
    seq    INTEGER PRIMARY KEY,
    label  TEXT    NOT NULL,
    patch  TEXT    NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
) STRICT;
