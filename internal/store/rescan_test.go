package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/model"
)

// upgradedStore stores a blog's posts and a syndicator's copies as an
// older village did: each copy its own entry, no texts kept, nothing
// learned. It returns the store and how many items were stored.
func upgradedStore(t *testing.T) (*Store, int) {
	t.Helper()
	s := newStore(t)
	srcs := sources(t, s, 2)
	blog, synd := srcs[0].ID, srcs[1].ID
	off := func(r Refresh) Refresh { r.Dedup.Off = true; return r }
	var originals, copies []model.Entry
	for i, topic := range []string{"iota", "kappa", "lambda", "mu", "nu"} {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		body := []string{words(topic, 60), words(topic+"x", 40)}
		o := textPost("orig-"+topic, "Post on "+topic, at, body...)
		// An older village computed the hash of the text alone; the copy's
		// differs because of the syndicator's lines.
		originals = append(originals, o)
		copies = append(copies, syndicated("copy-"+topic, "Post on "+topic, at.Add(6*time.Hour), body...))
	}
	save(t, s, blog, off(refresh(t0.Add(10*24*time.Hour), originals...)))
	save(t, s, synd, off(refresh(t0.Add(10*24*time.Hour), copies...)))
	if err := s.ForgetTexts(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, len(originals) + len(copies)
}

// items counts the stored copies: entries and their alternates.
func items(t *testing.T, s *Store) (entries, copies int) {
	t.Helper()
	return countRows(t, s, "entries"), countRows(t, s, "entries") + countRows(t, s, "alternates")
}

func TestRescanMergesAfterUpgrade(t *testing.T) {
	t.Parallel()
	s, n := upgradedStore(t)
	if entries, _ := items(t, s); entries != n {
		t.Fatalf("%d entries before the rescan, want %d", entries, n)
	}
	var reports []RescanProgress
	p, err := s.Rescan(context.Background(), dedup.Options{}, func(p RescanProgress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	if p.Recovered != n || p.Merged != n/2 || p.Learned != 2 || p.Entries != n {
		t.Errorf("rescan = %+v, want %d texts recovered, %d merged, 2 sources learned", p, n, n/2)
	}
	if len(reports) == 0 || reports[len(reports)-1] != p {
		t.Errorf("progress reports %+v, want the last to be the result %+v", reports, p)
	}
	entries, copies := items(t, s)
	if entries != n/2 || copies != n {
		t.Errorf("%d entries and %d copies, want %d entries and all %d copies kept", entries, copies, n/2, n)
	}
	for _, e := range allEntries(t, s) {
		if !strings.HasPrefix(e.GUID, "orig-") || len(e.Alternates) != 1 || !strings.HasPrefix(e.Alternates[0].GUID, "copy-") {
			t.Errorf("entry %s with alternates %+v, want the original with its copy", e.GUID, e.Alternates)
		}
	}
	// A second rescan finds nothing more.
	again, err := s.Rescan(context.Background(), dedup.Options{}, nil)
	if err != nil || again.Merged != 0 || again.Recovered != 0 {
		t.Errorf("second rescan = %+v, %v; want nothing to do", again, err)
	}
}

func TestRescanInterruptedLosesNothing(t *testing.T) {
	t.Parallel()
	s, n := upgradedStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.Rescan(ctx, dedup.Options{}, func(p RescanProgress) {
		if p.Recovered > 0 {
			cancel() // after the first committed batch
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted rescan: %v, want context.Canceled", err)
	}
	if _, copies := items(t, s); copies != n {
		t.Errorf("%d copies after an interrupted rescan, want %d", copies, n)
	}
	if _, err := s.Rescan(context.Background(), dedup.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if entries, copies := items(t, s); entries != n/2 || copies != n {
		t.Errorf("after the rescan ran again: %d entries and %d copies, want %d and %d", entries, copies, n/2, n)
	}
}
