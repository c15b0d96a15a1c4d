-- Library schema version 2: the department aliases a portfolio of the
-- library matches names by ("IT" is "IT services"), as a folder's
-- aliases.csv does: each line a department's name (position 0) and then the
-- other names it goes by, in the order given.

CREATE TABLE department_alias (
    line     integer NOT NULL CHECK (line >= 1),
    position integer NOT NULL CHECK (position >= 0),
    name     text    NOT NULL CHECK (name <> ''),
    PRIMARY KEY (line, position)
);
