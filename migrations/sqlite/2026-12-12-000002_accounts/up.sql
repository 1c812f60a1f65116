-- Named accounts: a team member's e-mail address (invitations and e-mailed sign-in links), an
-- authenticator app's secret (TOTP, RFC 6238) with the last time step accepted (a code works
-- once), and failed codes counted per account (sign-in is limited per account, not only per
-- address).
ALTER TABLE staff ADD COLUMN email TEXT;
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_step BIGINT;
ALTER TABLE staff ADD COLUMN failed_codes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN failed_code_at TIMESTAMP;
CREATE UNIQUE INDEX staff_email ON staff (email) WHERE email IS NOT NULL AND revoked_at IS NULL;

-- One-time links, mailed: an invitation (days) or a sign-in (minutes). Kept as their hash.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'sign_in')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_links_staff ON account_links (staff_id, created_at);

-- One-time recovery codes, kept as their hash.
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_staff ON recovery_codes (staff_id);

-- Passkeys (WebAuthn): several per person, each the credential as the WebAuthn library keeps it.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX passkeys_staff ON passkeys (staff_id);

-- A WebAuthn ceremony under way (registering or signing in with a passkey): its state, kept on
-- the server, for five minutes.
CREATE TABLE webauthn_ceremonies (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    kind TEXT NOT NULL CHECK (kind IN ('register', 'sign_in')),
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Every session listed to its owner: an id to name it by, the device (user agent) and place
-- (address) it began from, how it was signed in, and when it was last seen.
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'credential';
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMP;
UPDATE sessions SET id = substr(token_hash, 1, 32), last_seen_at = created_at;
CREATE UNIQUE INDEX sessions_id ON sessions (id);

-- Mail to staff: an invitation and a sign-in link, about a staff member. (SQLite cannot change a
-- CHECK constraint in place: the table is rebuilt.)
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('booking', 'cancellation', 'screening_cancelled', 'screening_changed', 'find_tickets', 'waitlist_joined', 'waitlist_offer', 'data_access', 'pass', 'staff_invitation', 'staff_sign_in')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    file TEXT,
    waitlist_entry_id TEXT REFERENCES waitlist_entries (id),
    lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi')),
    pass_id TEXT REFERENCES passes (id),
    staff_id TEXT REFERENCES staff (id)
);
INSERT INTO outbox_new (id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang, pass_id)
    SELECT id, kind, booking_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at, file, waitlist_entry_id, lang, pass_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_entry ON outbox (waitlist_entry_id);
CREATE INDEX outbox_pass ON outbox (pass_id);
