-- 015_search_keys_written_directly: a new entry's search keys are written
-- by the statement that follows its entry_texts row (see apply.go's
-- saveText), no longer by a trigger. A trigger made the row's INSERT a
-- statement that writes many rows and may abort (entry_texts has a foreign
-- key), so SQLite copied every page it touched to a statement journal
-- first: a fifth of the cost of saving an entry's keys. Changed and
-- deleted keys still go through the triggers, which are rarer.
DROP TRIGGER entry_texts_insert;
