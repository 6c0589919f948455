-- 003_public_id: the id an entry is published under, fixed when the entry
-- is first stored. The row's own guid and link may later change hands (an
-- earlier-published copy takes the entry over, or a removed source's entry
-- passes to a source still listed), but readers must keep seeing one id.
-- Rows from before this migration keep '' and are published under the id
-- computed from their guid and link, as before.
ALTER TABLE entries ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
