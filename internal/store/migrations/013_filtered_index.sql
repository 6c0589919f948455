-- 013_filtered_index: the entries a source's rules leave out, found without
-- reading the others. Every start and every reload of feeds.yaml shows
-- again the filtered entries of sources that lost their rules (see store's
-- filter.go); without this index that was a scan of the whole archive, a
-- second before a million-entry planet's first page.
CREATE INDEX entries_filtered ON entries (source_id) WHERE filtered = 1;
