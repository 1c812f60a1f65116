-- Festival passes: one pass, many screenings. A pass type says who it is for and what it may do;
-- a pass is one holder's; a reservation is the pass's seat at one screening.

CREATE TABLE pass_types (
    id TEXT PRIMARY KEY,
    festival_id TEXT NOT NULL REFERENCES festivals (id),
    name TEXT NOT NULL,
    category TEXT NOT NULL
        CHECK (category IN ('audience', 'press', 'industry', 'jury', 'guest', 'volunteer')),
    -- The days it is valid, in each venue's calendar (NULL: from the start / to the end).
    valid_from DATE,
    valid_until DATE,
    -- The films and venues it may reserve, ids separated by spaces ('': all of them).
    film_ids TEXT NOT NULL DEFAULT '',
    venue_ids TEXT NOT NULL DEFAULT '',
    -- Limits (NULL: none): in all, per festival day, and held at once for screenings to come.
    max_reservations INTEGER CHECK (max_reservations >= 0),
    max_per_day INTEGER CHECK (max_per_day >= 0),
    max_held INTEGER CHECK (max_held >= 0),
    -- Admitted at the door without a reservation while seats are left.
    walk_in BOOLEAN NOT NULL DEFAULT FALSE,
    -- Reservations not used this many minutes before the start are released.
    release_minutes INTEGER NOT NULL DEFAULT 10 CHECK (release_minutes BETWEEN 0 AND 1440),
    -- After this many no-shows, no new reservation for 24 hours (NULL: no such rule).
    no_show_limit INTEGER CHECK (no_show_limit >= 1),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pass_types_name ON pass_types (festival_id, name);

CREATE TABLE passes (
    id TEXT PRIMARY KEY,
    festival_id TEXT NOT NULL REFERENCES festivals (id),
    pass_type_id TEXT NOT NULL REFERENCES pass_types (id),
    -- The holder's pseudonym at the festival (see `people`): a person is their address.
    person_id TEXT NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- The signed code of the pass's QR (see `domain::ticket_code`).
    code TEXT NOT NULL,
    manage_token_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    -- Moved by every reservation: the row each reservation of the pass locks first, so that two
    -- reservations of one pass (on two instances) are decided one after the other.
    reservations_made INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
-- One pass of a type per person.
CREATE UNIQUE INDEX passes_holder ON passes (pass_type_id, person_id);
CREATE INDEX passes_festival ON passes (festival_id, created_at);
CREATE UNIQUE INDEX passes_manage_token ON passes (manage_token_hash);

-- A pass's seat at a screening: a booking of one seat (its ticket is what the door admits), so
-- capacity, admission, cancellation and reports treat it as any other seat.
CREATE TABLE reservations (
    booking_id TEXT PRIMARY KEY REFERENCES bookings (id),
    pass_id TEXT NOT NULL REFERENCES passes (id),
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    -- reserved (holding a seat), cancelled (by the holder or an organiser), released (not used by
    -- the release time: the seat went back).
    status TEXT NOT NULL CHECK (status IN ('reserved', 'cancelled', 'released')),
    -- Made at the door for a pass without a reservation.
    walk_in BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
-- One reservation per pass and screening, enforced by the database.
CREATE UNIQUE INDEX reservations_once ON reservations (pass_id, screening_id) WHERE status = 'reserved';
CREATE INDEX reservations_pass ON reservations (pass_id);
CREATE INDEX reservations_screening ON reservations (screening_id, status);

-- The private links to a pass's page each mail carries (a fresh one per mail; stored hashed).
CREATE TABLE pass_tokens (
    token_hash TEXT PRIMARY KEY,
    pass_id TEXT NOT NULL REFERENCES passes (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pass_tokens_pass ON pass_tokens (pass_id);

-- Mail about a pass (the pass itself, and again when an organiser re-sends it): one more kind
-- and the pass it is about. (SQLite cannot change a CHECK constraint in place: the table is
-- rebuilt.)
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer', 'data_access', 'pass')),
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
    lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi')),
    pass_id TEXT REFERENCES passes (id)
);
INSERT INTO outbox_new (id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang)
    SELECT id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_entry ON outbox (waitlist_entry_id);
CREATE INDEX outbox_pass ON outbox (pass_id);

-- A pass's seat is a ticket of the `pass` category. SQLite cannot change a CHECK constraint in
-- place: the table is rebuilt as SQLite's documentation says (a new table, the rows copied, the
-- old one dropped, the new one renamed), with foreign keys off while migrations run
-- (`db::run_migrations`, which checks every reference afterwards). The scan log's references
-- name `tickets`, which then is the new table, holding the same ids.
CREATE TABLE tickets_new (
    id TEXT PRIMARY KEY NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    seat_number INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('public', 'guest', 'press', 'jury', 'pass')),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('valid', 'cancelled')),
    admitted_at TIMESTAMP,
    admitted_door TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO tickets_new (id, booking_id, screening_id, seat_number, category, code, status,
                     admitted_at, admitted_door, created_at)
    SELECT id, booking_id, screening_id, seat_number, category, code, status,
           admitted_at, admitted_door, created_at
    FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_booking ON tickets (booking_id);
CREATE INDEX tickets_screening ON tickets (screening_id);
