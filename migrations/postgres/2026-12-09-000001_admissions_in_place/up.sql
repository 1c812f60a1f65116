-- An admission changes its ticket's row and nothing else: no index covers when a ticket was
-- admitted, so PostgreSQL updates the row in place on its page (a heap-only tuple) without
-- touching any of the table's indexes. The arrival curve, the index's one reader, finds a
-- screening's tickets by tickets_screening. The index also misled the writer's conditional
-- update (`id = ANY(…) AND admitted_at IS NULL`) into reading every ticket not yet admitted.
DROP INDEX tickets_admitted;
-- Room on each page for its tickets' admitted versions (pages written from now on).
ALTER TABLE tickets SET (fillfactor = 70);

-- The projector finds the people it counts by their ids alone (each names one festival's
-- person): a search naming the festival too was planned, on tables not analysed yet, as a read of
-- the festival's every attendee.
CREATE INDEX attendees_person ON attendees (person_id);
