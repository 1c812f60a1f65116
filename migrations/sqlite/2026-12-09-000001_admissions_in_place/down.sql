CREATE INDEX tickets_admitted ON tickets (screening_id, admitted_at);
