-- `Idempotency-Key` on the writes a client may retry (bookings, waiting-list places, pass
-- reservations): the first answer to a key, kept for a day, is the answer to every retry with it.
CREATE TABLE idempotency_keys (
    -- The route and its target (`POST /api/v1/screenings/{id}/bookings`, with the id) and the
    -- client's key.
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    -- SHA-256 of the request's body: the same key with another body is refused.
    request_hash TEXT NOT NULL,
    -- NULL while the first request is being answered.
    status INTEGER,
    content_type TEXT,
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
