-- The writer searches two growing tables by lists, one statement per batch:
--   the earlier answers to a batch's scans: `staff_id = $1 AND nonce = ANY($2)`;
--   the pseudonyms of a batch's bookers:    `festival_id = $1 AND email_key = ANY($2)`.
-- With the single value first in the unique index, PostgreSQL's planner searched the index by it
-- alone and filtered the list (it did, on tables growing from empty on a festival's first rush,
-- before statistics were gathered): a device's every scan, or a festival's every person, read
-- for each batch — 10 ms a batch at 20,000 scans. With the listed column first, the index is
-- searched by the list itself; the uniqueness it enforces is the same. (SQLite's planner searches
-- both columns either way: nothing changes there.)
ALTER TABLE scans DROP CONSTRAINT scans_staff_id_nonce_key;
CREATE UNIQUE INDEX scans_nonce_staff ON scans (nonce, staff_id);
DROP INDEX people_email;
CREATE UNIQUE INDEX people_email ON people (email_key, festival_id);
CREATE INDEX people_festival ON people (festival_id);

-- The scan log is appended by the writer alone, from the screening, ticket and device it has
-- just read under the screening's lock, and nothing it names is ever deleted while it names it
-- (a screening with entries cannot be deleted, tickets and devices are cancelled or revoked, not
-- deleted). Its foreign keys cost PostgreSQL three queries per entry inside the scan's
-- transaction (its referential-integrity triggers: 25 % of the write path's time, measured by
-- `cargo bench --bench scan_path`); the log holds evidence, checked by its hash chain.
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT conname FROM pg_constraint WHERE conrelid = 'scans'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE scans DROP CONSTRAINT %I', fk.conname);
    END LOOP;
END $$;
