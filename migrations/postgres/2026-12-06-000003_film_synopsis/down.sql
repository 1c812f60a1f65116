ALTER TABLE films DROP COLUMN synopsis;
