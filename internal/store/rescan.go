package store

import (
	"context"
	"fmt"

	"github.com/villagefeeds/village/internal/dedup"
)

// RescanBatch is how many entries one transaction of Rescan handles: small
// enough that a running daemon's refreshes wait a moment at most, large
// enough that a hundred thousand entries take a few hundred commits.
const RescanBatch = 250

// RescanProgress says how far Rescan got.
type RescanProgress struct {
	Entries   int // entries stored when the rescan began
	Done      int // entries examined so far
	Merged    int // entries found to be copies of another and merged into it
	Recovered int // entries stored before texts were read, read now
	Learned   int // sources whose boilerplate was learned from their stored entries
}

// Rescan re-examines every stored entry with the rules in force: it
// re-keys the entry's text without its source's boilerplate and merges it
// with another source's entry it turns out to be a copy of, as if it had
// just arrived. Run after an upgrade or a change of dedup settings.
//
// Entries stored before texts were read are read from their content; a
// source that was never fetched since learns its
// boilerplate from its stored entries. Each batch is its own transaction,
// so the daemon keeps serving and polling meanwhile, and an interrupted
// rescan leaves every entry stored once: running it again finishes the
// work. progress, if set, is called after each batch.
func (s *Store) Rescan(ctx context.Context, opts dedup.Options, progress func(RescanProgress)) (RescanProgress, error) {
	var p RescanProgress
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM entries`).Scan(&p.Entries); err != nil {
		return p, fmt.Errorf("rescan: %w", err)
	}
	report := func() {
		if progress != nil {
			progress(p)
		}
	}
	for {
		n, err := s.batch(ctx, opts, func(x *index) (int, error) { return x.recoverTexts() })
		if err != nil {
			return p, fmt.Errorf("rescan: recover texts: %w", err)
		}
		if n == 0 {
			break
		}
		p.Recovered += n
		report()
	}
	n, err := s.batch(ctx, opts, func(x *index) (int, error) { return x.learnFromStored() })
	if err != nil {
		return p, fmt.Errorf("rescan: learn boilerplate: %w", err)
	}
	p.Learned = n
	for last := int64(0); ; {
		var ids []int64
		merged, err := s.batch(ctx, opts, func(x *index) (int, error) {
			var err error
			if ids, err = x.idsAfter(last, RescanBatch); err != nil {
				return 0, err
			}
			merged := 0
			for _, id := range ids {
				m, err := x.reexamine(id)
				if err != nil {
					return 0, err
				}
				if m {
					merged++
				}
			}
			return merged, nil
		})
		if err != nil {
			return p, fmt.Errorf("rescan: %w", err)
		}
		if len(ids) == 0 {
			if _, err := s.writer.ExecContext(ctx, `DELETE FROM rescan_due`); err != nil {
				return p, fmt.Errorf("rescan: %w", err)
			}
			return p, nil
		}
		last = ids[len(ids)-1]
		p.Done += len(ids)
		p.Merged += merged
		report()
	}
}

// batch runs fn in one write transaction and commits it.
func (s *Store) batch(ctx context.Context, opts dedup.Options, fn func(x *index) (int, error)) (int, error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	s.noticeOtherWriters(ctx, tx)
	x := newIndex(ctx, tx, s.stmts.bind(ctx, tx), opts, 0)
	x.keys = s.keys
	n, err := fn(x)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return n, s.moveSearchKeys(ctx)
}

func (x *index) idsAfter(last int64, limit int) ([]int64, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT id FROM entries WHERE id > ?1 ORDER BY id LIMIT ?2`, last, limit)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// recoverTexts gives up to RescanBatch entries stored before texts were
// read (they have no row in entry_texts) a row, which the rescan then
// fills with their search keys, and returns how many it did.
func (x *index) recoverTexts() (int, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT e.id FROM entries AS e
		WHERE NOT EXISTS (SELECT 1 FROM entry_texts AS t WHERE t.entry_id = e.id)
		ORDER BY e.id LIMIT ?1`, RescanBatch)
	if err != nil {
		return 0, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := x.saveText(id, nil); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// learnFromStored fills the empty window of every source from its newest
// stored entries, and learns its boilerplate from them; it returns how many
// sources it learned for. A source fetched since the upgrade learned from
// its feed already and is left as it is.
func (x *index) learnFromStored() (int, error) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT id FROM sources WHERE edge_window = X''`)
	if err != nil {
		return 0, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return 0, err
	}
	learned := 0
	for _, id := range ids {
		w := &dedup.Window{}
		rows, err := x.tx.QueryContext(x.ctx, `SELECT key, title, categories, text, content FROM (
				SELECT e.id, e.published, e.source_id || ':' || IIF(e.item_key <> '', e.item_key, IIF(e.guid <> '', e.guid, e.link)) AS key,
				       e.title, e.categories, t.text, e.content
				  FROM entries AS e JOIN entry_texts AS t ON t.entry_id = e.id
				 WHERE e.source_id = ?1 ORDER BY e.published DESC, e.id DESC LIMIT ?2)
			ORDER BY published, id`, id, dedup.WindowPosts)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var key, cats, content string
			var p dedup.Post
			if err := rows.Scan(&key, &p.Title, &cats, &p.Text, &content); err != nil {
				rows.Close()
				return 0, err
			}
			p.Text = textOf(p.Text, content)
			if p.Categories, err = decodeList(cats); err != nil {
				rows.Close()
				return 0, err
			}
			w.Add(key, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		if w.Len() == 0 {
			continue
		}
		if err := x.saveBoilerplate(id, w, w.Learn(dedup.Boilerplate{})); err != nil {
			return 0, err
		}
		learned++
	}
	return learned, nil
}

// RescanDue reports whether stored entries wait to be read again for
// near-duplicate detection (stored by an older village, or keyed by an
// older scheme; see migration 012), and how many of them have no text yet.
// It stays due until a Rescan completes, so a rescan interrupted after it
// recovered every text still runs again.
func (s *Store) RescanDue(ctx context.Context) (due bool, unread int, err error) {
	err = s.reader.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rescan_due)`).Scan(&due)
	if err == nil && due {
		err = s.reader.QueryRowContext(ctx, `SELECT count(*) FROM entries AS e
			WHERE NOT EXISTS (SELECT 1 FROM entry_texts AS t WHERE t.entry_id = e.id)`).Scan(&unread)
	}
	if err != nil {
		return false, 0, fmt.Errorf("look for entries to read again: %w", err)
	}
	return due, unread, nil
}

// ForgetTexts drops every entry's text and search keys and every source's
// learned boilerplate, leaving the database as an older village left it:
// for tests of the upgrade, and to read everything again from scratch.
func (s *Store) ForgetTexts(ctx context.Context) error {
	_, err := s.writer.ExecContext(ctx, `DELETE FROM entry_texts;
		UPDATE sources SET edge_window = X'', boilerplate = X'';
		INSERT INTO rescan_due (since) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM rescan_due)`)
	if err != nil {
		return fmt.Errorf("forget texts: %w", err)
	}
	return nil
}
