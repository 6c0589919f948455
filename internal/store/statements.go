package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statements are the refresh path's SQL, prepared once on the writer's only
// connection; a transaction rebinds them with tx.StmtContext at no cost.
type statements struct {
	lookup, insertEntry, updateEntry, insertKeys *sql.Stmt
	insertAlternate, updateAlternate, saveSource *sql.Stmt
	demoteOwner, dropAlternate, promote          *sql.Stmt
}

// lookupSQL finds the entries an item's keys already name, one indexed probe
// per key; an empty key matches nothing because none is ever stored.
const lookupSQL = `
SELECT k.kind, e.id, e.source_id, e.fingerprint, e.first_seen, e.updated, e.published, e.guid, e.link,
       (SELECT active FROM sources WHERE id = e.source_id)
  FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'item' AND k.value = ?1
UNION ALL
SELECT k.kind, e.id, e.source_id, e.fingerprint, e.first_seen, e.updated, e.published, e.guid, e.link,
       (SELECT active FROM sources WHERE id = e.source_id)
  FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'url' AND k.value = ?2
UNION ALL
SELECT k.kind, e.id, e.source_id, e.fingerprint, e.first_seen, e.updated, e.published, e.guid, e.link,
       (SELECT active FROM sources WHERE id = e.source_id)
  FROM entry_keys AS k JOIN entries AS e ON e.id = k.entry_id
 WHERE k.kind = 'hash' AND k.value = ?3`

const insertEntrySQL = `
INSERT INTO entries (source_id, guid, link, canonical_url, content_hash,
                     title, author, summary, content, categories,
                     published, updated, first_seen, fingerprint, public_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
RETURNING id`

const updateEntrySQL = `
UPDATE entries
   SET link = ?2, canonical_url = ?3, content_hash = ?4, title = ?5,
       author = ?6, summary = ?7, content = ?8, categories = ?9,
       published = ?10, updated = ?11, fingerprint = ?12
 WHERE id = ?1`

// insertKeysSQL claims an item's keys for an entry in one statement; a key
// another entry already holds stays with it (first one wins). The WHERE
// clause also keeps "ON CONFLICT" from parsing as a join constraint.
const insertKeysSQL = `
INSERT INTO entry_keys (kind, value, entry_id)
SELECT column1, column2, ?4
  FROM (VALUES ('item', ?1), ('url', ?2), ('hash', ?3))
 WHERE column2 <> ''
    ON CONFLICT DO NOTHING`

// insertAlternateSQL returns a row only when the alternate is new, so the
// database answers "already recorded?" on a re-fetch.
const insertAlternateSQL = `
INSERT INTO alternates (entry_id, source_id, item_key, guid, link)
VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (source_id, item_key) DO NOTHING
RETURNING entry_id`

const updateAlternateSQL = `
UPDATE alternates SET link = ?3
 WHERE source_id = ?1 AND item_key = ?2 AND link <> ?3`

// demoteOwnerSQL, dropAlternateSQL and promoteSQL make an earlier-published
// copy the entry, inside the refresh's transaction: the current owner's
// copy becomes an alternate, the incoming copy's alternate row (if it had
// one) goes, and the row takes the incoming copy's source and fields. The
// entry keeps its id, keys and first_seen.
const demoteOwnerSQL = `
INSERT INTO alternates (entry_id, source_id, item_key, guid, link)
SELECT id, source_id, source_id || ':' || IIF(guid <> '', guid, link), guid, link
  FROM entries WHERE id = ?1
    ON CONFLICT (source_id, item_key) DO NOTHING`

const dropAlternateSQL = `DELETE FROM alternates WHERE source_id = ?1 AND item_key = ?2`

const promoteSQL = `
UPDATE entries
   SET source_id = ?2, guid = ?3, link = ?4, canonical_url = ?5,
       content_hash = ?6, title = ?7, author = ?8, summary = ?9,
       content = ?10, categories = ?11, published = ?12, updated = ?13,
       fingerprint = ?14
 WHERE id = ?1`

const saveSourceSQL = `
UPDATE sources
   SET feed_id = ?2, feed_title = ?3, etag = ?4, last_modified = ?5,
       last_status = ?6, last_error = '', last_problem = '', error_count = 0,
       last_check = ?7, last_success = ?7, next_check = ?8
 WHERE id = ?1`

func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	st := &statements{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.lookup, lookupSQL},
		{&st.insertEntry, insertEntrySQL},
		{&st.updateEntry, updateEntrySQL},
		{&st.insertKeys, insertKeysSQL},
		{&st.insertAlternate, insertAlternateSQL},
		{&st.updateAlternate, updateAlternateSQL},
		{&st.saveSource, saveSourceSQL},
		{&st.demoteOwner, demoteOwnerSQL},
		{&st.dropAlternate, dropAlternateSQL},
		{&st.promote, promoteSQL},
	} {
		stmt, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			_ = st.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*p.dst = stmt
	}
	return st, nil
}

func (st *statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{
		st.lookup, st.insertEntry, st.updateEntry, st.insertKeys,
		st.insertAlternate, st.updateAlternate, st.saveSource,
		st.demoteOwner, st.dropAlternate, st.promote,
	} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}

// txStatements are statements bound to one transaction.
type txStatements statements

func (st *statements) bind(ctx context.Context, tx *sql.Tx) *txStatements {
	return &txStatements{
		lookup:          tx.StmtContext(ctx, st.lookup),
		insertEntry:     tx.StmtContext(ctx, st.insertEntry),
		updateEntry:     tx.StmtContext(ctx, st.updateEntry),
		insertKeys:      tx.StmtContext(ctx, st.insertKeys),
		insertAlternate: tx.StmtContext(ctx, st.insertAlternate),
		updateAlternate: tx.StmtContext(ctx, st.updateAlternate),
		saveSource:      tx.StmtContext(ctx, st.saveSource),
		demoteOwner:     tx.StmtContext(ctx, st.demoteOwner),
		dropAlternate:   tx.StmtContext(ctx, st.dropAlternate),
		promote:         tx.StmtContext(ctx, st.promote),
	}
}
