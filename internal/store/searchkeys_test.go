package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
)

// Keys moved from the small table to the large one are still found, still
// leave with their entry, and are not duplicated.
func TestSearchKeysMoved(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	body := []string{words("alpha", 120), words("beta", 80)}
	save(t, s, srcs[0].ID, refresh(t0, textPost("orig", "Scheduling in depth", t0, body...),
		textPost("old", "Old", t0.Add(-400*24*time.Hour), words("eta", 100))))
	stored := countRows(t, s, "entry_bands_new")
	if stored == 0 || countRows(t, s, "entry_bands") != 0 {
		t.Fatalf("keys written: %d new, %d moved; want all new", stored, countRows(t, s, "entry_bands"))
	}
	s.keys.unmoved.Store(newKeysLimit)
	if err := s.moveSearchKeys(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, m := countRows(t, s, "entry_bands_new"), countRows(t, s, "entry_bands"); n != 0 || m != stored {
		t.Fatalf("after the move: %d new, %d moved; want 0 and %d", n, m, stored)
	}
	if s.keys.unmoved.Load() != 0 {
		t.Errorf("%d keys still counted as waiting", s.keys.unmoved.Load())
	}
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(48*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy of an entry whose keys were moved = %+v, want 1 duplicate", got)
	}
	if _, err := s.Prune(t.Context(), Retention{MaxAge: 365 * 24 * time.Hour, Now: t0}); err != nil {
		t.Fatal(err)
	}
	var orphans int
	if err := s.reader.QueryRow(`SELECT count(*) FROM search_keys WHERE entry_id NOT IN (SELECT id FROM entries)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d moved search keys of a pruned entry (%v)", orphans, err)
	}
}

// Below the limit nothing moves.
func TestSearchKeysWaitForTheLimit(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := sources(t, s, 1)[0].ID
	save(t, s, src, refresh(t0, textPost("one", "One", t0, words("one", 100))))
	if err := s.moveSearchKeys(context.Background()); err != nil {
		t.Fatal(err)
	}
	if countRows(t, s, "entry_bands_new") == 0 || countRows(t, s, "entry_bands") != 0 {
		t.Error("keys moved before the small table was full")
	}
}

// TestStaleSearchKeysAreReadAgain: a text keyed by an older scheme (more
// keys, which never meet this scheme's) is forgotten by the migration, so
// that a rescan reads it again and a new copy of it is found; a text keyed
// by this scheme is left alone.
func TestStaleSearchKeysAreReadAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t, s, 2)
	body := []string{words("alpha", 120), words("beta", 80)}
	save(t, s, srcs[0].ID, refresh(t0, textPost("orig", "Scheduling in depth", t0, body...),
		textPost("fresh", "Another post", t0, words("gamma", 100))))
	// As a village before this scheme left them: 24 keys for the original,
	// and the schema of version 11 (what later migrations add dropped).
	for _, q := range []string{
		`UPDATE entry_texts SET bands = '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]'
		  WHERE entry_id = (SELECT id FROM entries WHERE guid = 'orig')`,
		`DROP TABLE rescan_due`,                       // 012
		`DROP INDEX entries_filtered`,                 // 013
		`ALTER TABLE sources DROP COLUMN body_digest`, // 014
		`CREATE TRIGGER entry_texts_insert AFTER INSERT ON entry_texts BEGIN
			INSERT OR IGNORE INTO entry_bands_new (band, entry_id)
			SELECT value, NEW.entry_id FROM json_each(NEW.bands);
		END`, // 015
		`ALTER TABLE entry_keys DROP COLUMN digest`, // 016
		`DROP TABLE fuller_copies`,                  // 018
		`ALTER TABLE entry_texts DROP COLUMN words`,
		`DROP TABLE teaser_copies`, // 019
		`PRAGMA user_version = 11`,
	} {
		if _, err := s.writer.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	freshKeys := keysOf(t, s, "fresh")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if due, n, err := s.RescanDue(ctx); err != nil || !due || n != 1 {
		t.Fatalf("after the upgrade: rescan due %v, %d entries to read again (%v); want due, the one with stale keys", due, n, err)
	}
	if got := keysOf(t, s, "fresh"); got != freshKeys || got == 0 {
		t.Errorf("an entry keyed by this scheme has %d keys after the upgrade, had %d", got, freshKeys)
	}
	if _, err := s.Rescan(ctx, dedup.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if due, _, err := s.RescanDue(ctx); err != nil || due {
		t.Errorf("rescan still due after a rescan (%v)", err)
	}
	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(48*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Fatalf("copy of an entry read again = %+v, want 1 duplicate", got)
	}
}

// keysOf counts the search keys of the entry with guid.
func keysOf(t *testing.T, s *Store, guid string) int {
	t.Helper()
	var n int
	err := s.reader.QueryRow(`SELECT count(*) FROM search_keys
		WHERE entry_id = (SELECT id FROM entries WHERE guid = ?1)`, guid).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Another process writing to the database (`village dedup rescan` or
// `village fetch` beside the daemon) stores search keys the daemon's
// filter never saw: the daemon must still find a copy of their posts.
func TestKeysWrittenByAnotherProcessAreFound(t *testing.T) {
	t.Parallel()
	daemon, path := openTemp(t)
	srcs := sources(t, daemon, 2)
	blog, synd := srcs[0].ID, srcs[1].ID
	ctx := context.Background()
	save(t, daemon, blog, refresh(t0, textPost("first", "Another post", t0, words("gamma", 150))))
	// The filter as it is once its background fill has ended.
	if err := daemon.keys.filter.fill(ctx, daemon.reader); err != nil {
		t.Fatal(err)
	}

	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	body := []string{words("alpha", 120), words("beta", 80)}
	save(t, other, blog, refresh(t0, textPost("orig", "Scheduling in depth", t0, body...)))
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}

	copy := syndicated("copy", "Scheduling In Depth", t0.Add(30*time.Hour), body...)
	if got := save(t, daemon, synd, refresh(t0.Add(48*time.Hour), copy)); got != (Result{Duplicates: 1}) {
		t.Errorf("copy of a post another process stored = %+v, want 1 duplicate", got)
	}
}
