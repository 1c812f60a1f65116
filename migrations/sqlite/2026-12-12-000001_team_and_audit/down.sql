DROP TABLE audit_log;
DELETE FROM staff WHERE role IN ('member', 'token');
CREATE TABLE staff_old (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'door')),
    festival_id TEXT REFERENCES festivals (id),
    venue_id TEXT REFERENCES venues (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
INSERT INTO staff_old SELECT id, name, role, festival_id, venue_id, token_hash, created_at, revoked_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_old RENAME TO staff;
DROP TABLE team_roles;
