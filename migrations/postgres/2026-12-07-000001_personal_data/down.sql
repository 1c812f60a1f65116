-- Not reversible: the old log's rendered answers (holder names included) are gone once carried
-- over, and so are erased people's details. Restore the backup taken before the upgrade instead.
DO $$ BEGIN
    RAISE EXCEPTION 'the personal-data migration cannot be undone: restore the backup taken before upgrading';
END $$;
