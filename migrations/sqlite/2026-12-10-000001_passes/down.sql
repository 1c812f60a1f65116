-- Pass seats become guest tickets: the old CHECK constraint has no `pass`.
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
