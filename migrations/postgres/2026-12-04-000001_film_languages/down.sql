ALTER TABLE films DROP COLUMN subtitles;
ALTER TABLE films DROP COLUMN language;
