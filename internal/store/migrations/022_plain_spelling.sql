-- 022_plain_spelling: words are read without their accents, with an "e"
-- after a, o or u left out, and without soft hyphens and zero-width
-- joiners (see dedup's spelling.go), so that a copy that writes é as e,
-- ü as ue or ß as ss reads as the same words as its post; Arabic and
-- Hebrew without their optional marks, Persian letters as Arabic ones,
-- and digits of other scripts as ASCII ones. Most words of
-- every language change their keys ("true" and "value" read as "tru" and
-- "valu"), and the learned boilerplate with them. An edit notice that
-- opens or closes a post is also left out of its text (see dedup's
-- analyze.go), which changes the keys of such posts.
--
-- Every source learns its boilerplate again, and `village serve` reads
-- every stored entry again in the background at its next start, as after
-- 017. This takes in what 021 did for Chinese, Japanese and Thai text.
UPDATE sources SET edge_window = X'', boilerplate = X'';

INSERT INTO rescan_due (since)
SELECT unixepoch() * 1000000000
 WHERE EXISTS (SELECT 1 FROM entries)
   AND NOT EXISTS (SELECT 1 FROM rescan_due);
