-- Every person is written to in the language they chose (en, fr or vi): a booking (and so an
-- invitation) and a waiting-list entry remember the language they were made in, and each
-- message in the outbox the language it is to be written in ("find my tickets" has no booking
-- to ask).
ALTER TABLE bookings ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi'));
ALTER TABLE waitlist_entries ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi'));
ALTER TABLE outbox ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr', 'vi'));
