-- Seats a screening keeps for festival pass holders (a press row): the public cannot book them.
-- `pass_taken` counts the kept seats passes have used up: those they hold, and those released
-- unused at their release time (which go to the waiting list and anyone, not back to passes).
ALTER TABLE screenings ADD COLUMN pass_seats INTEGER NOT NULL DEFAULT 0 CHECK (pass_seats >= 0);
ALTER TABLE screenings ADD COLUMN pass_taken INTEGER NOT NULL DEFAULT 0;
UPDATE screenings SET pass_taken = (
    SELECT COUNT(*) FROM reservations
    WHERE reservations.screening_id = screenings.id
      AND reservations.status IN ('reserved', 'released')
);
