-- 016_item_digest: the digest of an item as its source last wrote it (see
-- parse's known.go), kept with the item's key. A feed that changed lists
-- mostly items it listed before; those whose digest is the stored one are
-- not read, sanitised and compared again. NULL when unknown: the item is
-- read in full.
ALTER TABLE entry_keys ADD COLUMN digest BLOB;
