-- Going back loses the passes: pass seats become guest tickets, pass mail goes. The scan log's
-- pass reasons (no_reservation, pass_not_valid, pass_revoked) and the `pass` category's counters
-- stay, which the earlier version cannot read: `verify-scans` and `check-counters` report them.
-- Pass seats become guest tickets: the old check has no `pass`.
DELETE FROM outbox WHERE kind = 'pass';
ALTER TABLE outbox DROP COLUMN pass_id;
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer', 'data_access'));
DROP TABLE pass_tokens;
DROP TABLE reservations;
DROP TABLE passes;
DROP TABLE pass_types;
UPDATE tickets SET category = 'guest' WHERE category = 'pass';
ALTER TABLE tickets DROP CONSTRAINT tickets_category_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_category_check
    CHECK (category IN ('public', 'guest', 'press', 'jury'));
