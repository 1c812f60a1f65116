-- Sold out is not the end: an online waiting list per screening, and a standby line at the door.

-- Seats held for waiting-list offers count in `booked` (so no booking can take them) and are
-- also counted here, until the offer is claimed (they become a booking) or expires.
ALTER TABLE screenings ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE screenings ADD COLUMN waitlist_open BOOLEAN NOT NULL DEFAULT TRUE;
-- The fewest seats anyone waiting asks for (NULL: nobody waits). A booking may not take seats
-- that someone waiting could use: one comparison in the booking's conditional update.
ALTER TABLE screenings ADD COLUMN waiting_min_seats INTEGER;
-- How long an offer is held (shorter as the start nears).
ALTER TABLE screenings ADD COLUMN offer_minutes INTEGER NOT NULL DEFAULT 60;
-- Standby: from this many minutes before the start, seats not taken by admitted ticket holders
-- go to the standby line (NULL: no standby line). `standby_keep` seats stay for late holders.
ALTER TABLE screenings ADD COLUMN standby_release_minutes INTEGER;
ALTER TABLE screenings ADD COLUMN standby_keep INTEGER NOT NULL DEFAULT 0;
ALTER TABLE screenings ADD COLUMN standby_issued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE screenings ADD COLUMN standby_admitted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE waitlist_entries (
    id TEXT PRIMARY KEY,
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    -- The order of the line (1, 2, …; organisers may move entries).
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    country TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'claimed', 'expired', 'left', 'removed')),
    created_at TIMESTAMP NOT NULL,
    offered_at TIMESTAMP,
    offer_expires_at TIMESTAMP,
    booking_id TEXT REFERENCES bookings (id)
);
CREATE UNIQUE INDEX waitlist_entries_order ON waitlist_entries (screening_id, position);
CREATE INDEX waitlist_entries_offers ON waitlist_entries (status, offer_expires_at);

-- The private links of an entry (each mail carries a fresh one; stored hashed).
CREATE TABLE waitlist_tokens (
    token_hash TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES waitlist_entries (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX waitlist_tokens_entry ON waitlist_tokens (entry_id);

-- Standby numbers handed out at the door, admitted in order.
CREATE TABLE standby_numbers (
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'admitted', 'skipped')),
    issued_at TIMESTAMP NOT NULL,
    issued_by TEXT NOT NULL,
    admitted_at TIMESTAMP,
    admitted_door TEXT,
    PRIMARY KEY (screening_id, number)
);

-- Mail about waiting-list entries: two more kinds, and the entry a message is about. (SQLite
-- cannot change a CHECK constraint in place: the table is rebuilt.)
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer')),
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
    waitlist_entry_id TEXT REFERENCES waitlist_entries (id)
);
INSERT INTO outbox_new (id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file)
    SELECT id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);
