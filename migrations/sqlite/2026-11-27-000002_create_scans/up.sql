-- The scan log: every attempt at a door, append-only, hash-chained per screening.
-- The chain's head (last sequence number and hash) lives on the screening row, which an admission
-- updates anyway (its `admitted` counter), so chaining adds no new point of contention.

ALTER TABLE screenings ADD COLUMN scan_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE screenings ADD COLUMN scan_head TEXT NOT NULL DEFAULT '';

CREATE TABLE scans (
    id TEXT PRIMARY KEY NOT NULL,
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scan', 'annul')),
    verdict TEXT NOT NULL,
    ticket_id TEXT REFERENCES tickets (id),
    scanned TEXT NOT NULL,
    door TEXT NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    nonce TEXT NOT NULL,
    client_time TIMESTAMP,
    server_time TIMESTAMP NOT NULL,
    -- The answer given, so a retried request (same nonce) gets exactly the same one.
    response TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (screening_id, seq),
    UNIQUE (staff_id, nonce)
);
CREATE INDEX scans_ticket ON scans (ticket_id);
