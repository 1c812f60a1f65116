-- A film's synopsis, shown on its screenings' pages (empty when not given).
ALTER TABLE films ADD COLUMN synopsis TEXT NOT NULL DEFAULT '';
