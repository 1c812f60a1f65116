DROP INDEX scans_conflicts;
ALTER TABLE scans DROP COLUMN conflict;
