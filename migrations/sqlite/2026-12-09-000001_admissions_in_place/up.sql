-- An admission changes its ticket's row and nothing else: no index covers when a ticket was
-- admitted. The arrival curve, the index's one reader, finds a screening's tickets by
-- tickets_screening; each admission used to move an entry of this index as well (a second page
-- at a random place per scan).
DROP INDEX tickets_admitted;
