DROP INDEX attendees_person;
ALTER TABLE tickets RESET (fillfactor);
CREATE INDEX tickets_admitted ON tickets (screening_id, admitted_at);
