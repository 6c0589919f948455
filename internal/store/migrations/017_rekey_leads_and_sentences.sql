-- 017_rekey_leads_and_sentences: near-duplicate search keys and learned
-- boilerplate are made another way (see dedup's signature.go, blocks.go
-- and analyze.go): a lead is cut in 6 bands instead of 4, a text also
-- leads with its first words as written, and a short one after its first
-- sentence; a source learns the first and last sentences of its posts'
-- edge paragraphs, and a title's words are left out of a line's key only
-- as a run. Keys of the older scheme never meet the new ones, and edge
-- keys learned the older way never match a new post's.
--
-- Every source learns its boilerplate again (from its next feed, or from
-- its stored posts), and `village serve` reads every stored entry again in
-- the background at its next start, as after 012.
UPDATE sources SET edge_window = X'', boilerplate = X'';

INSERT INTO rescan_due (since)
SELECT unixepoch() * 1000000000
 WHERE EXISTS (SELECT 1 FROM entries)
   AND NOT EXISTS (SELECT 1 FROM rescan_due);
