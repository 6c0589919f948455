package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// A mirror republishes a post days after the original. Whichever feed is
// fetched first, the original is the entry and the mirror its alternate.
func TestSaveRefreshEarliestCopyIsTheEntry(t *testing.T) {
	t.Parallel()
	original := post("https://blog.example/p/", "https://blog.example/p/", "hash", t0)
	mirror := post("tag:mirror,2025:1", "https://mirror.example/1", "hash", t0.Add(48*time.Hour))
	mirror.Title = "Mirrored title"
	original.PublicID, mirror.PublicID = original.GUID, mirror.GUID
	at := t0.Add(72 * time.Hour)
	for _, mirrorFirst := range []bool{true, false} {
		s := newStore(t)
		srcs := sources(t, s, 2)
		blog, mir := srcs[0].ID, srcs[1].ID
		polls := []struct {
			src   int64
			entry model.Entry
		}{{blog, original}, {mir, mirror}}
		if mirrorFirst {
			polls[0], polls[1] = polls[1], polls[0]
		}
		save(t, s, polls[0].src, refresh(at, polls[0].entry))
		if got := save(t, s, polls[1].src, refresh(at, polls[1].entry)); got != (Result{Duplicates: 1}) {
			t.Errorf("mirror first %v: second copy = %+v, want 1 duplicate", mirrorFirst, got)
		}
		for _, p := range polls { // re-fetching either changes nothing
			if got := save(t, s, p.src, refresh(at.Add(time.Hour), p.entry)); got != (Result{Unchanged: 1}) {
				t.Errorf("mirror first %v: re-fetch of source %d = %+v, want 1 unchanged", mirrorFirst, p.src, got)
			}
		}
		es := allEntries(t, s)
		if len(es) != 1 {
			t.Fatalf("mirror first %v: %d entries, want 1", mirrorFirst, len(es))
		}
		e := es[0]
		want := []model.Alternate{{SourceID: mir, GUID: mirror.GUID, Link: mirror.Link}}
		if e.SourceID != blog || e.Link != original.Link || e.Title != original.Title || !e.Published.Equal(t0) {
			t.Errorf("mirror first %v: entry is source %d %q %q %v; want the original", mirrorFirst, e.SourceID, e.Link, e.Title, e.Published)
		}
		if first := polls[0].entry.PublicID; e.PublicID != first {
			t.Errorf("mirror first %v: public id %s; want the first copy's %s, kept", mirrorFirst, e.PublicID, first)
		}
		if !reflect.DeepEqual(e.Alternates, want) {
			t.Errorf("mirror first %v: alternates %+v, want %+v", mirrorFirst, e.Alternates, want)
		}
		if n := countRows(t, s, "alternates"); n != 1 {
			t.Errorf("mirror first %v: %d alternate rows, want 1", mirrorFirst, n)
		}
	}
}

// A copy without a date of its own never displaces a dated entry.
func TestSaveRefreshUndatedCopyStaysAlternate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	save(t, s, srcs[0].ID, refresh(t0, post("a-1", "https://a.example/p", "hash", t0.Add(-time.Hour))))
	undated := post("b-1", "https://b.example/p", "hash", time.Time{})
	save(t, s, srcs[1].ID, refresh(t0.Add(time.Hour), undated))
	if es := allEntries(t, s); len(es) != 1 || es[0].SourceID != srcs[0].ID {
		t.Fatalf("entries %+v; want the dated first copy", es)
	}
}
