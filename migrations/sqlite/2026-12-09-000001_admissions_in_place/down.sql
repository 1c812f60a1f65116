DROP INDEX people_festival;
DROP INDEX people_email;
CREATE UNIQUE INDEX people_email ON people (festival_id, email_key);
DROP INDEX attendees_person;
CREATE INDEX tickets_admitted ON tickets (screening_id, admitted_at);
