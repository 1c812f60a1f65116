-- A scan decided offline by a door device and uploaded later, whose admission the server could
-- not honour (the ticket was admitted elsewhere first, cancelled, or not genuine): kept in the
-- log, flagged, for organisers to see.
ALTER TABLE scans ADD COLUMN conflict BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX scans_conflicts ON scans (screening_id) WHERE conflict;
