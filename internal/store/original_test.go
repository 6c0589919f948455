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
	tests := []struct {
		name        string
		mirrorFirst bool
		sameRound   bool
		publicID    string
	}{
		// A cold start: both copies in one round, so readers see the
		// original's id whichever feed answered first.
		{"one round, original first", false, true, original.GUID},
		{"one round, mirror first", true, true, original.GUID},
		// The mirror's copy was published in an earlier round: readers
		// may have its id, and keep it.
		{"mirror a round earlier", true, false, mirror.GUID},
		{"original a round earlier", false, false, original.GUID},
	}
	for _, tt := range tests {
		s := newStore(t)
		srcs := sources(t, s, 2)
		blog, mir := srcs[0].ID, srcs[1].ID
		polls := []struct {
			src   int64
			entry model.Entry
		}{{blog, original}, {mir, mirror}}
		if tt.mirrorFirst {
			polls[0], polls[1] = polls[1], polls[0]
		}
		first, second := refresh(at, polls[0].entry), refresh(at.Add(time.Minute), polls[1].entry)
		if tt.sameRound {
			first.Round, second.Round = at, at
		}
		save(t, s, polls[0].src, first)
		if got := save(t, s, polls[1].src, second); got != (Result{Duplicates: 1}) {
			t.Errorf("%s: second copy = %+v, want 1 duplicate", tt.name, got)
		}
		for _, p := range polls { // re-fetching either changes nothing
			if got := save(t, s, p.src, refresh(at.Add(time.Hour), p.entry)); got != (Result{Unchanged: 1}) {
				t.Errorf("%s: re-fetch of source %d = %+v, want 1 unchanged", tt.name, p.src, got)
			}
		}
		es := allEntries(t, s)
		if len(es) != 1 {
			t.Fatalf("%s: %d entries, want 1", tt.name, len(es))
		}
		e := es[0]
		want := []model.Alternate{{SourceID: mir, GUID: mirror.GUID, Link: mirror.Link}}
		if e.SourceID != blog || e.Link != original.Link || e.Title != original.Title || !e.Published.Equal(t0) {
			t.Errorf("%s: entry is source %d %q %q %v; want the original", tt.name, e.SourceID, e.Link, e.Title, e.Published)
		}
		if e.PublicID != tt.publicID {
			t.Errorf("%s: public id %s; want %s", tt.name, e.PublicID, tt.publicID)
		}
		if !reflect.DeepEqual(e.Alternates, want) {
			t.Errorf("%s: alternates %+v, want %+v", tt.name, e.Alternates, want)
		}
		if n := countRows(t, s, "alternates"); n != 1 {
			t.Errorf("%s: %d alternate rows, want 1", tt.name, n)
		}
	}
}

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
