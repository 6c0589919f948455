-- 023_persian_affixes: Persian's prefixes and suffixes (می, نمی, ها, های,
-- ترین …) written apart from their word by a space are read as one word
-- with it, as when a zero-width non-joiner or nothing parts them (see
-- dedup's affixes.go). The search keys, word counts and learned
-- boilerplate of text in Arabic letters change; other text reads as it
-- did.
--
-- As 021 does for Chinese, Japanese and Thai: when any stored entry's
-- title or opening holds Arabic letters, every source learns its
-- boilerplate again, and `village serve` reads every stored entry again
-- in the background at its next start. A planet with no such text is left
-- as it was.
CREATE TEMP TABLE arabic_found AS
SELECT EXISTS (SELECT 1 FROM entries
                WHERE title GLOB '*[ؠ-ۿ]*'
                   OR substr(content, 1, 200) GLOB '*[ؠ-ۿ]*') AS found;

UPDATE sources SET edge_window = X'', boilerplate = X''
 WHERE (SELECT found FROM arabic_found);

INSERT INTO rescan_due (since)
SELECT unixepoch() * 1000000000
 WHERE (SELECT found FROM arabic_found)
   AND NOT EXISTS (SELECT 1 FROM rescan_due);

DROP TABLE arabic_found;
