ALTER TABLE pass_types DROP COLUMN names;
