-- Personal data kept the way the law expects (and the scan log's new shape, which holds none).
--
-- People: one pseudonymous id per person (normalised e-mail address) and festival. Bookings and
-- waiting-list entries name it; the attendance rollup is keyed by it, not by an address. Erasing
-- a person clears the address here (and their details everywhere), the id stays: every count
-- that was exact stays exact.
CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    festival_id TEXT NOT NULL REFERENCES festivals (id) ON DELETE CASCADE,
    -- The lower-cased, trimmed address; NULL once the person is erased.
    email_key TEXT,
    created_at TIMESTAMP NOT NULL,
    erased_at TIMESTAMP
);
CREATE UNIQUE INDEX people_email ON people (festival_id, email_key);

ALTER TABLE bookings ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
ALTER TABLE waitlist_entries ADD COLUMN person_id TEXT NOT NULL DEFAULT '';

INSERT INTO people (id, festival_id, email_key, created_at)
SELECT gen_random_uuid()::text, festival_id, email_key, MIN(created_at) FROM (
    SELECT s.festival_id, lower(trim(b.email)) AS email_key, b.created_at
    FROM bookings b JOIN screenings s ON s.id = b.screening_id
    UNION ALL
    SELECT s.festival_id, lower(trim(w.email)), w.created_at
    FROM waitlist_entries w JOIN screenings s ON s.id = w.screening_id
    UNION ALL
    SELECT a.festival_id, a.email, f.created_at
    FROM attendees a JOIN festivals f ON f.id = a.festival_id
) AS known GROUP BY festival_id, email_key;

UPDATE bookings SET person_id = (
    SELECT p.id FROM people p JOIN screenings s ON s.festival_id = p.festival_id
    WHERE s.id = bookings.screening_id AND p.email_key = lower(trim(bookings.email)));
UPDATE waitlist_entries SET person_id = (
    SELECT p.id FROM people p JOIN screenings s ON s.festival_id = p.festival_id
    WHERE s.id = waitlist_entries.screening_id AND p.email_key = lower(trim(waitlist_entries.email)));
UPDATE attendees SET email = (
    SELECT p.id FROM people p
    WHERE p.festival_id = attendees.festival_id AND p.email_key = attendees.email);
ALTER TABLE attendees RENAME COLUMN email TO person_id;
CREATE INDEX bookings_person ON bookings (person_id);
CREATE INDEX waitlist_entries_person ON waitlist_entries (person_id);
CREATE INDEX waitlist_entries_email_lower ON waitlist_entries (lower(email));

-- What each festival tells people, and for how long it keeps their details after it ends.
ALTER TABLE festivals ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 90;
-- Who is responsible for the data (the privacy notice names them); the festival's name if empty.
ALTER TABLE festivals ADD COLUMN controller TEXT NOT NULL DEFAULT '';
-- When its personal data was shredded (by retention or at an organiser's word).
ALTER TABLE festivals ADD COLUMN shredded_at TIMESTAMP;
-- An organiser's own privacy notice, per language (a default one is written when there is none).
CREATE TABLE privacy_notices (
    festival_id TEXT NOT NULL REFERENCES festivals (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (festival_id, lang)
);

-- Choices beyond the booking itself (news from the festival), with when they were given and
-- withdrawn. Never ticked by default.
CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('news')),
    given_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX consents_person ON consents (person_id);

-- "What do you hold about me?": a mailed link's hash, and the address it is for, until it expires.
CREATE TABLE data_requests (
    token_hash TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Every erasure: when, of what scope, on whose request, how many records — never the erased data.
CREATE TABLE erasures (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    -- Kept when the festival is deleted: a record of what was done (no key to follow).
    festival_id TEXT,
    requested_by TEXT NOT NULL CHECK (requested_by IN ('person', 'organiser', 'retention')),
    staff_id TEXT REFERENCES staff (id),
    counts TEXT NOT NULL
);

-- Organisers' exports of personal data (booking lists, the outbox, a person's data), recorded.
CREATE TABLE data_exports (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    festival_id TEXT,
    what TEXT NOT NULL
);

-- The scan log, reshaped: each entry holds facts (ids, verdict and its reason, times, door,
-- device, the counter after it, the earlier admission it found) and never a name, an address or
-- a rendered message; a retried scan's answer is rebuilt from the entry and the live records.
-- The old log (`scans_v1`, whose entries kept each rendered answer inside the chain) is verified,
-- carried into this one with new hashes and dropped at start-up (`door::upgrade`), which records
-- each screening's old and new chain heads in `chain_upgrades`.
DROP INDEX scans_ticket;
DROP INDEX scans_conflicts;
ALTER TABLE scans RENAME TO scans_v1;
ALTER INDEX scans_pkey RENAME TO scans_v1_pkey;
ALTER INDEX scans_screening_id_seq_key RENAME TO scans_v1_screening_id_seq_key;
ALTER INDEX scans_staff_id_nonce_key RENAME TO scans_v1_staff_id_nonce_key;

CREATE TABLE scans (
    id TEXT PRIMARY KEY NOT NULL,
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scan', 'annul')),
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    ticket_id TEXT REFERENCES tickets (id),
    -- The code as read when it is one (a signed ticket code); otherwise a digest of what was read.
    scanned TEXT NOT NULL,
    door TEXT NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    nonce TEXT NOT NULL,
    client_time TIMESTAMP,
    server_time TIMESTAMP NOT NULL,
    -- The screening's admitted count once this entry was decided.
    admitted_count INTEGER NOT NULL,
    -- The earlier admission an `already_admitted` (or a displaced admission) refers to.
    first_admitted_at TIMESTAMP,
    first_admitted_door TEXT,
    conflict BOOLEAN NOT NULL DEFAULT FALSE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    request_digest TEXT,
    UNIQUE (screening_id, seq),
    UNIQUE (staff_id, nonce)
);
-- No index by ticket: nothing looks entries up by ticket, and each admission would otherwise
-- write one more page at a random place. Entries are appended in time order (ids are UUIDv7),
-- each screening's in sequence; the door page's nonces are time-ordered too, so the nonce index
-- grows at its end as well.
CREATE INDEX scans_conflicts ON scans (screening_id) WHERE conflict;

CREATE TABLE chain_upgrades (
    screening_id TEXT PRIMARY KEY NOT NULL REFERENCES screenings (id),
    upgraded_at TIMESTAMP NOT NULL,
    entries INTEGER NOT NULL,
    old_head TEXT NOT NULL,
    new_head TEXT NOT NULL,
    old_chain_intact BOOLEAN NOT NULL
);

-- Mail that carries a person's data link: one more kind.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer', 'data_access'));
CREATE INDEX outbox_entry ON outbox (waitlist_entry_id);

-- How far the attendance projection has applied each screening's scan log: the people rollup
-- (`attendees`, and the first-admission tallies it decides) is kept by a projector off the
-- scan's path, from the log in order; a report adds the entries not applied yet. Existing
-- databases are up to date: their rollups were kept in each scan's transaction.
CREATE TABLE scan_projections (
    screening_id TEXT PRIMARY KEY NOT NULL REFERENCES screenings (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL
);
INSERT INTO scan_projections (screening_id, seq) SELECT id, scan_seq FROM screenings WHERE scan_seq > 0;
