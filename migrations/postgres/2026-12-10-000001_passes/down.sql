-- Pass seats become guest tickets: the old check has no `pass`.
DROP TABLE reservations;
DROP TABLE passes;
DROP TABLE pass_types;
UPDATE tickets SET category = 'guest' WHERE category = 'pass';
ALTER TABLE tickets DROP CONSTRAINT tickets_category_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_category_check
    CHECK (category IN ('public', 'guest', 'press', 'jury'));
