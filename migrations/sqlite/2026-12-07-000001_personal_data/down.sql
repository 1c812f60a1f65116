-- Not reversible: the old log's rendered answers (holder names included) are gone once carried
-- over, and so are erased people's details. Restore the backup taken before the upgrade instead.
-- (SQLite has no statement that only fails; this one always does, and its error says why.)
SELECT * FROM "the personal-data migration cannot be undone: restore the backup taken before upgrading";
