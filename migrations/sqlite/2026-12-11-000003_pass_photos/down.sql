ALTER TABLE passes DROP COLUMN photo_at;
DROP TABLE pass_photos;
