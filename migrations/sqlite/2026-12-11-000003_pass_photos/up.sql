-- A pass holder's photo, for the badge and the door (optional): stored as Marquee re-encoded it
-- (a JPEG of at most 320 pixels a side, no metadata), apart from the pass's row, which is read
-- far more often. `passes.photo_at` says whether there is one, and when it was set.
CREATE TABLE pass_photos (
    pass_id TEXT PRIMARY KEY REFERENCES passes (id) ON DELETE CASCADE,
    jpeg BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
ALTER TABLE passes ADD COLUMN photo_at TIMESTAMP;
