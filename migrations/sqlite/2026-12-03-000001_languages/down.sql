ALTER TABLE outbox DROP COLUMN lang;
ALTER TABLE waitlist_entries DROP COLUMN lang;
ALTER TABLE bookings DROP COLUMN lang;
