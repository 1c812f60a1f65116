DELETE FROM outbox WHERE kind IN ('waitlist_joined', 'waitlist_offer');
CREATE TABLE outbox_old (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    file TEXT
);
INSERT INTO outbox_old SELECT id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);
DROP TABLE standby_numbers;
DROP TABLE waitlist_tokens;
DROP TABLE waitlist_entries;
ALTER TABLE screenings DROP COLUMN standby_admitted;
ALTER TABLE screenings DROP COLUMN standby_issued;
ALTER TABLE screenings DROP COLUMN standby_keep;
ALTER TABLE screenings DROP COLUMN standby_release_minutes;
ALTER TABLE screenings DROP COLUMN offer_minutes;
ALTER TABLE screenings DROP COLUMN waiting_min_seats;
ALTER TABLE screenings DROP COLUMN waitlist_open;
ALTER TABLE screenings DROP COLUMN held;
