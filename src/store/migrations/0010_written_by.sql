-- Schema version 10: which Waymark release brought the file to each schema
-- version. A release that finds a file newer than it can read names the
-- release that wrote it ("saved by Waymark 0.3.0"), so the person knows
-- which version to install. Every later release adds its row as it migrates.
CREATE TABLE written_by (
    schema_version INTEGER PRIMARY KEY,
    release TEXT NOT NULL
);
