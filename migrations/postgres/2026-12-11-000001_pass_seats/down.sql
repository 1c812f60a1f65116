ALTER TABLE screenings DROP COLUMN pass_taken;
ALTER TABLE screenings DROP COLUMN pass_seats;
