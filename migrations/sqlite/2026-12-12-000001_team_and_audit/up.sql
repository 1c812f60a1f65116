-- The festival office: team roles per festival, API tokens, and the audit trail.

-- A person's roles in one festival's team (a `staff` row of role `member`). An organiser
-- (`staff.role = 'organiser'`) administers the instance and needs none.
CREATE TABLE team_roles (
    staff_id TEXT NOT NULL REFERENCES staff (id),
    festival_id TEXT NOT NULL REFERENCES festivals (id),
    role TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (staff_id, festival_id, role)
);
CREATE INDEX team_roles_festival ON team_roles (festival_id);

-- Staff rows of two new kinds: team members (`member`) and API tokens (`token`). An API token
-- has its festival (`festival_id`), its permissions (comma-separated), when it stops working,
-- when it was last used, and who made it. SQLite changes a CHECK by rebuilding the table.
CREATE TABLE staff_new (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'door', 'member', 'token')),
    festival_id TEXT REFERENCES festivals (id),
    venue_id TEXT REFERENCES venues (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    permissions TEXT,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    created_by TEXT REFERENCES staff_new (id)
);
INSERT INTO staff_new (id, name, role, festival_id, venue_id, token_hash, created_at, revoked_at)
    SELECT id, name, role, festival_id, venue_id, token_hash, created_at, revoked_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;

-- What staff changed, and every bulk read of personal data: appended, never changed. No
-- personal data of attendees is kept here (ids, not names or addresses), so erasure and
-- retention need not reach it.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    festival_id TEXT,
    actor_id TEXT REFERENCES staff (id),
    actor_name TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_festival_at ON audit_log (festival_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
