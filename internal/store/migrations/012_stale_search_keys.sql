-- 012_stale_search_keys: forget the texts whose near-duplicate search keys
-- were made by an earlier scheme, so that they are read again, and mark
-- the database as due for that reading.
--
-- The keys of a text are its MinHash bands (see dedup's signature.go), and
-- a text's keys from one scheme never meet another's: an entry keyed by
-- an older village would never be found as the original of a new copy.
-- The schemes before this one cut 16 bands from the whole text and 8 from
-- each lead, 24 keys or more; this one cuts 12 and 4 per lead (at most
-- two), 20 at most. Texts too short to judge have no keys in either.
-- The delete trigger takes their keys out of the index.
DELETE FROM entry_texts WHERE json_array_length(bands) > 20;

-- A row here says stored entries wait to be read again for near-duplicate
-- detection: entries without a text (stored by a village older than 004,
-- or forgotten above) and every entry's keys. `village serve` then runs
-- the rescan in the background at start, and a completed rescan deletes
-- the row; looking for entries without a text at every start cost a scan
-- of the whole archive.
CREATE TABLE rescan_due (since INTEGER NOT NULL) STRICT;

INSERT INTO rescan_due (since)
SELECT unixepoch() * 1000000000
 WHERE EXISTS (SELECT 1 FROM entries AS e
                WHERE NOT EXISTS (SELECT 1 FROM entry_texts AS t WHERE t.entry_id = e.id));
