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
-- when it was last used, and who made it.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('organiser', 'door', 'member', 'token'));
ALTER TABLE staff ADD COLUMN permissions TEXT;
ALTER TABLE staff ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE staff ADD COLUMN last_used_at TIMESTAMP;
ALTER TABLE staff ADD COLUMN created_by TEXT REFERENCES staff (id);

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
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
