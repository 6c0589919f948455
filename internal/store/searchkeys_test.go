package store

import (
	"context"
	"testing"
	"time"
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
