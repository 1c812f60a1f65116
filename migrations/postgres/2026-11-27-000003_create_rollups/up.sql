-- Rollup counters for fast reports, changed in the same transaction as the rows they count.
-- Every change to a tally happens while the screening's row is locked (a booking, cancellation or
-- admission updates `screenings` first), so tallies of one screening never race each other.

-- Per screening, per country of the booker and per ticket category: tickets issued and admitted,
-- and how many festival attendees were first admitted here (to count unique attendees).
CREATE TABLE screening_tallies (
    screening_id TEXT NOT NULL REFERENCES screenings (id),
    kind TEXT NOT NULL CHECK (kind IN ('country', 'category')),
    label TEXT NOT NULL,
    issued INTEGER NOT NULL DEFAULT 0,
    admitted INTEGER NOT NULL DEFAULT 0,
    first_admissions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (screening_id, kind, label)
);

-- One row per person (lower-cased e-mail) admitted at a festival, and where they were counted.
CREATE TABLE attendees (
    festival_id TEXT NOT NULL REFERENCES festivals (id),
    email TEXT NOT NULL,
    admitted_tickets INTEGER NOT NULL DEFAULT 0,
    counted_screening_id TEXT NOT NULL REFERENCES screenings (id),
    counted_country TEXT NOT NULL,
    PRIMARY KEY (festival_id, email)
);

CREATE INDEX tickets_admitted ON tickets (screening_id, admitted_at);
