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
	exact, similar                               *sql.Stmt
	insertText, insertBands, updateText          *sql.Stmt
	insertEntry, updateEntry, insertKeys         *sql.Stmt
	insertAlternate, updateAlternate, saveSource *sql.Stmt
	demoteOwner, dropAlternate, promote          *sql.Stmt
	keepDigest, forgetOtherDigests               *sql.Stmt
	saveBoilerplate                              *sql.Stmt
}

const insertEntrySQL = `
INSERT INTO entries (source_id, guid, link, canonical_url, content_hash,
                     title, author, summary, content, categories,
                     published, updated, first_seen, fingerprint, public_id,
                     item_key, authors, enclosures, lang, origin, listed,
                     dated, first_round)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
        ?16, ?17, ?18, ?19, ?20, ?11, ?21, ?22)
RETURNING id`

const updateEntrySQL = `
UPDATE entries
   SET link = ?2, canonical_url = ?3, content_hash = ?4, title = ?5,
       author = ?6, summary = ?7, content = ?8, categories = ?9,
       published = ?10, updated = ?11, fingerprint = ?12,
       authors = ?13, enclosures = ?14, lang = ?15, origin = ?16,
       listed = min(listed, ?10), dated = ?17
 WHERE id = ?1`

// insertKeysSQL claims an item's keys for an entry in one statement: its
// item key, canonical URL, text hash and the hash of its text without its
// source's boilerplate (?5, often the same), and the URL of the post it
// says it copies (?7), so that the post, arriving later, finds its copy. A key another entry already
// holds stays with it (first one wins). The item key keeps the item's
// digest ?6 (see KnownItems), also when the entry already held it. The
// WHERE clause also keeps "ON CONFLICT" from parsing as a join constraint.
const insertKeysSQL = `
INSERT INTO entry_keys (kind, value, entry_id, digest)
SELECT column1, column2, ?4, IIF(column1 = 'item', ?6, NULL)
  FROM (VALUES ('item', ?1), ('url', ?2), ('hash', ?3), ('hash', ?5), ('url', ?7))
 WHERE column2 <> ''
    ON CONFLICT DO UPDATE SET digest = excluded.digest
 WHERE excluded.digest IS NOT NULL AND entry_id = excluded.entry_id
   AND digest IS NOT excluded.digest`

// forgetOtherDigestsSQL forgets the digests of entry ?1's item keys other
// than ?2, the one it was just written from: an item that names it under
// another key no longer reads as the entry is stored (a feed that changed
// its ids, and changes them back).
const forgetOtherDigestsSQL = `
UPDATE entry_keys SET digest = NULL
 WHERE entry_id = ?1 AND kind = 'item' AND value <> ?2 AND digest IS NOT NULL`

// keepDigestSQL records the digest of an item whose key names its entry
// and which changed nothing (see KnownItems).
const keepDigestSQL = `
UPDATE entry_keys SET digest = ?2
 WHERE kind = 'item' AND value = ?1 AND digest IS NOT ?2`

// insertTextSQL stores the search keys of an entry that has none stored
// yet, and insertBandsSQL their rows in the search index (see migration
// 015); updateTextSQL changes them, and the triggers of entry_texts replace
// the rows when they change.
const (
	insertTextSQL = `
INSERT INTO entry_texts (entry_id, text, bands, words) VALUES (?1, ?2, ?3, ?4)
    ON CONFLICT (entry_id) DO NOTHING`
	insertBandsSQL = `
INSERT OR IGNORE INTO entry_bands_new (band, entry_id)
SELECT value, ?1 FROM json_each(?2)`
	updateTextSQL = `
UPDATE entry_texts SET text = ?2, bands = ?3, words = ?4
 WHERE entry_id = ?1 AND (text <> ?2 OR bands <> ?3 OR words IS NOT ?4)`
)

// insertAlternateSQL returns a row only when the alternate is new, so the
// database answers "already recorded?" on a re-fetch.
const insertAlternateSQL = `
INSERT INTO alternates (entry_id, source_id, item_key, guid, link, rule)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
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
INSERT INTO alternates (entry_id, source_id, item_key, guid, link, rule)
SELECT id, source_id, source_id || ':' || IIF(item_key <> '', item_key, IIF(guid <> '', guid, link)), guid, link, ?2
  FROM entries WHERE id = ?1
    ON CONFLICT (source_id, item_key) DO NOTHING`

const dropAlternateSQL = `DELETE FROM alternates WHERE source_id = ?1 AND item_key = ?2`

const promoteSQL = `
UPDATE entries
   SET source_id = ?2, guid = ?3, link = ?4, canonical_url = ?5,
       content_hash = ?6, title = ?7, author = ?8, summary = ?9,
       content = ?10, categories = ?11, published = ?12, updated = ?13,
       fingerprint = ?14, item_key = ?15, authors = ?16, enclosures = ?17,
       lang = ?18, origin = ?19, listed = min(listed, ?12),
       dated = ?20, public_id = IIF(?21 <> '', ?21, public_id)
 WHERE id = ?1`

// saveBoilerplateSQL stores what a source's recent items taught of its
// boilerplate.
const saveBoilerplateSQL = `UPDATE sources SET edge_window = ?2, boilerplate = ?3 WHERE id = ?1`

const saveSourceSQL = `
UPDATE sources
   SET feed_id = ?2, feed_title = ?3, etag = ?4, last_modified = ?5,
       last_status = ?6, last_error = '', last_problem = '', error_count = 0,
       last_check = ?7, last_success = ?7, next_check = ?8, notes = ?9,
       body_digest = ?10
 WHERE id = ?1`

func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	st := &statements{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.exact, exactSQL},
		{&st.similar, similarSQL},
		{&st.insertText, insertTextSQL},
		{&st.insertBands, insertBandsSQL},
		{&st.updateText, updateTextSQL},
		{&st.insertEntry, insertEntrySQL},
		{&st.updateEntry, updateEntrySQL},
		{&st.insertKeys, insertKeysSQL},
		{&st.insertAlternate, insertAlternateSQL},
		{&st.updateAlternate, updateAlternateSQL},
		{&st.saveSource, saveSourceSQL},
		{&st.demoteOwner, demoteOwnerSQL},
		{&st.dropAlternate, dropAlternateSQL},
		{&st.promote, promoteSQL},
		{&st.keepDigest, keepDigestSQL},
		{&st.forgetOtherDigests, forgetOtherDigestsSQL},
		{&st.saveBoilerplate, saveBoilerplateSQL},
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
		st.exact, st.similar, st.insertText, st.insertBands, st.updateText, st.insertEntry, st.updateEntry, st.insertKeys,
		st.insertAlternate, st.updateAlternate, st.saveSource,
		st.demoteOwner, st.dropAlternate, st.promote, st.keepDigest, st.forgetOtherDigests, st.saveBoilerplate,
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
		exact:              tx.StmtContext(ctx, st.exact),
		similar:            tx.StmtContext(ctx, st.similar),
		insertText:         tx.StmtContext(ctx, st.insertText),
		insertBands:        tx.StmtContext(ctx, st.insertBands),
		updateText:         tx.StmtContext(ctx, st.updateText),
		insertEntry:        tx.StmtContext(ctx, st.insertEntry),
		updateEntry:        tx.StmtContext(ctx, st.updateEntry),
		insertKeys:         tx.StmtContext(ctx, st.insertKeys),
		insertAlternate:    tx.StmtContext(ctx, st.insertAlternate),
		updateAlternate:    tx.StmtContext(ctx, st.updateAlternate),
		saveSource:         tx.StmtContext(ctx, st.saveSource),
		demoteOwner:        tx.StmtContext(ctx, st.demoteOwner),
		dropAlternate:      tx.StmtContext(ctx, st.dropAlternate),
		promote:            tx.StmtContext(ctx, st.promote),
		keepDigest:         tx.StmtContext(ctx, st.keepDigest),
		forgetOtherDigests: tx.StmtContext(ctx, st.forgetOtherDigests),
		saveBoilerplate:    tx.StmtContext(ctx, st.saveBoilerplate),
	}
}
