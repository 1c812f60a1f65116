-- A pass type's name in the other languages Marquee speaks, as a JSON object ({"fr": "Presse",
-- "vi": "Báo chí"}); `name` is the one used where a language has none.
ALTER TABLE pass_types ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
