-- Going back loses the passes: pass seats become guest tickets, pass mail goes. The scan log's
-- pass reasons (no_reservation, pass_not_valid, pass_revoked) and the `pass` category's counters
-- stay, which the earlier version cannot read: `verify-scans` and `check-counters` report them.
-- Pass seats become guest tickets and pass mail goes: the old CHECK constraints have no `pass`.
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer', 'data_access')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    file TEXT,
    waitlist_entry_id TEXT REFERENCES waitlist_entries (id),
    lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi'))
);
INSERT INTO outbox_new (id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang)
    SELECT id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang FROM outbox WHERE kind <> 'pass';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_entry ON outbox (waitlist_entry_id);
DROP TABLE pass_tokens;
DROP TABLE reservations;
DROP TABLE passes;
DROP TABLE pass_types;
CREATE TABLE tickets_new (
    id TEXT PRIMARY KEY NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    seat_number INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('public', 'guest', 'press', 'jury')),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('valid', 'cancelled')),
    admitted_at TIMESTAMP,
    admitted_door TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO tickets_new (id, booking_id, screening_id, seat_number, category, code, status,
                     admitted_at, admitted_door, created_at)
    SELECT id, booking_id, screening_id, seat_number,
           CASE category WHEN 'pass' THEN 'guest' ELSE category END, code, status,
           admitted_at, admitted_door, created_at
    FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_booking ON tickets (booking_id);
CREATE INDEX tickets_screening ON tickets (screening_id);
