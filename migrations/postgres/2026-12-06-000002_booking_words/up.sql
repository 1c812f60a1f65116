-- The words of each booking's holder (name and address), folded (lower case, no accents), for
-- the organisers' search: a search's words must each begin one of them. Filled with each booking;
-- bookings made before this migration are filled at start (`booking::search::backfill`).
-- Byte order (COLLATE "C"), so that a prefix is a range of the index.
CREATE TABLE booking_words (
    word TEXT COLLATE "C" NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    PRIMARY KEY (word, booking_id)
);
