DROP TABLE scans;
ALTER TABLE screenings DROP COLUMN scan_head;
ALTER TABLE screenings DROP COLUMN scan_seq;
