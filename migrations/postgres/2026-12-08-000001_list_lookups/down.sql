ALTER TABLE scans ADD FOREIGN KEY (screening_id) REFERENCES screenings (id);
ALTER TABLE scans ADD FOREIGN KEY (ticket_id) REFERENCES tickets (id);
ALTER TABLE scans ADD FOREIGN KEY (staff_id) REFERENCES staff (id);
DROP INDEX people_festival;
DROP INDEX people_email;
CREATE UNIQUE INDEX people_email ON people (festival_id, email_key);
DROP INDEX scans_nonce_staff;
ALTER TABLE scans ADD CONSTRAINT scans_staff_id_nonce_key UNIQUE (staff_id, nonce);
