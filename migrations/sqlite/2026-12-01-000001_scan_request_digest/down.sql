ALTER TABLE scans DROP COLUMN request_digest;
