-- An admission changes its ticket's row and nothing else: no index covers when a ticket was
-- admitted. The arrival curve, the index's one reader, finds a screening's tickets by
-- tickets_screening; each admission used to move an entry of this index as well (a second page
-- at a random place per scan).
DROP INDEX tickets_admitted;

-- The projector finds the people it counts by their ids alone (each names one festival's
-- person): a search naming the festival too was planned, on tables not analysed yet, as a read of
-- the festival's every attendee.
CREATE INDEX attendees_person ON attendees (person_id);

-- A booking batch finds its people by their e-mail keys alone, the festival checked afterwards:
-- the key first in the unique index, as on PostgreSQL since 2026-12-08.
DROP INDEX people_email;
CREATE UNIQUE INDEX people_email ON people (email_key, festival_id);
-- What searches a festival's people (erasure, exports, shredding) has an index of its own.
CREATE INDEX people_festival ON people (festival_id);
