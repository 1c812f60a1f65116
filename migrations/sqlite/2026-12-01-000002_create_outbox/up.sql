-- Outgoing mail, written in the same transaction as what it tells (a booking, a cancellation, a
-- change of screening), and delivered afterwards by a background sender with retries. A message
-- holds no secret: its content (with a fresh manage link) is composed when it is sent.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    -- When the next attempt may start; a sender that takes a message moves it into the future
    -- (a lease), so two senders never deliver the same message at once.
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    -- Where the message was written, when mail goes to files (`MARQUEE_MAIL_DIR`).
    file TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);

-- Further manage links of a booking (each mail carries a fresh one; the first is on the booking).
CREATE TABLE manage_tokens (
    token_hash TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX manage_tokens_booking ON manage_tokens (booking_id);
