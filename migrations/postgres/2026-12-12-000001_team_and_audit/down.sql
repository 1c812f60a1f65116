DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
ALTER TABLE staff DROP COLUMN created_by;
ALTER TABLE staff DROP COLUMN last_used_at;
ALTER TABLE staff DROP COLUMN expires_at;
ALTER TABLE staff DROP COLUMN permissions;
DROP TABLE team_roles;
