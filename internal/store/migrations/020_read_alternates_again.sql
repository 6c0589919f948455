-- 020_read_alternates_again: the items that are other sources' copies of
-- an entry are read in full once more, so that an entry stored before 018
-- and 019 gains its fuller copy and its teaser copies (see store's
-- fuller.go and teasers.go) from the copies it already has: their texts
-- were never stored. Forgetting their digests (016) has the next refresh
-- of a changed feed read them again; forgetting the feeds' body digests
-- (014) has an unchanged body read too. Nothing else changes: a copy read
-- again is found by its own id and stays the alternate it is.
UPDATE entry_keys SET digest = NULL
 WHERE kind = 'item' AND digest IS NOT NULL
   AND value IN (SELECT item_key FROM alternates);

UPDATE sources SET body_digest = X''
 WHERE id IN (SELECT source_id FROM alternates);
