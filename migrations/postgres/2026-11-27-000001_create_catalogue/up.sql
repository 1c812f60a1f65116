-- Marquee's first schema. Kept in step with migrations/postgres by a test.
-- Ids are UUID strings (v7), times are naive UTC timestamps, statuses are TEXT.

CREATE TABLE festivals (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    timezone TEXT NOT NULL,
    attendance_goal INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE venues (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    address TEXT NOT NULL,
    timezone TEXT NOT NULL,
    -- JSON array of {"name": …, "seats": …}
    rooms TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (name, city)
);

CREATE TABLE films (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    original_title TEXT NOT NULL,
    director TEXT NOT NULL,
    year INTEGER NOT NULL,
    runtime_minutes INTEGER NOT NULL,
    country TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (title, year)
);

CREATE TABLE screenings (
    id TEXT PRIMARY KEY NOT NULL,
    festival_id TEXT NOT NULL REFERENCES festivals (id),
    film_id TEXT NOT NULL REFERENCES films (id),
    venue_id TEXT NOT NULL REFERENCES venues (id),
    room TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    -- Rollup counter, changed in the same transaction as the bookings.
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    admitted INTEGER NOT NULL DEFAULT 0 CHECK (admitted >= 0),
    doors_open_minutes INTEGER NOT NULL,
    doors_close_minutes INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX screenings_festival_starts ON screenings (festival_id, starts_at);
CREATE INDEX screenings_venue_starts ON screenings (venue_id, starts_at);
CREATE INDEX screenings_film ON screenings (film_id);

CREATE TABLE bookings (
    id TEXT PRIMARY KEY NOT NULL,
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    country TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats > 0),
    manage_token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX bookings_screening ON bookings (screening_id);

CREATE TABLE tickets (
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
CREATE INDEX tickets_booking ON tickets (booking_id);
CREATE INDEX tickets_screening ON tickets (screening_id);

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'door')),
    festival_id TEXT REFERENCES festivals (id),
    venue_id TEXT REFERENCES venues (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- Ed25519 ticket-signing keys. The secret never leaves the server.
CREATE TABLE signing_keys (
    key_id TEXT PRIMARY KEY NOT NULL,
    public_key TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
