-- A keyed write says, in its own transaction, what it wrote ("<booking id> <manage token>"), so
-- that a retry after an unknown outcome (a 5xx, a restarted database, a stopped instance) answers
-- with it instead of writing again; and an attempt that failed says so, so that a retry may run.
-- Additive: the previous release ignores both columns.
ALTER TABLE idempotency_keys ADD COLUMN written TEXT;
ALTER TABLE idempotency_keys ADD COLUMN failed_at TIMESTAMP;
-- A form's answer is a redirect: where it led, given again to a retry.
ALTER TABLE idempotency_keys ADD COLUMN location TEXT;
