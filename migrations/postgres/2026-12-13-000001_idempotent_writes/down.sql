ALTER TABLE idempotency_keys DROP COLUMN location;
ALTER TABLE idempotency_keys DROP COLUMN failed_at;
ALTER TABLE idempotency_keys DROP COLUMN written;
