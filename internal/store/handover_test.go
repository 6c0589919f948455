package store

import (
	"context"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// Removing the blog a post was first seen on must not hide the copy a
// listed source still carries, even when that source only answers 304.
func TestSyncSourcesHandsOverEntriesOfRemovedSources(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	srcs := sources(t, s, 2)
	original := post("https://blog.example/p/", "https://blog.example/p/", "hash", t0)
	original.PublicID = original.GUID
	mirror := post("tag:mirror,2025:1", "https://mirror.example/1", "hash", t0.Add(24*time.Hour))
	mirror.PublicID = mirror.GUID
	save(t, s, srcs[0].ID, refresh(t0.Add(48*time.Hour), original))
	save(t, s, srcs[1].ID, refresh(t0.Add(48*time.Hour), mirror))

	if _, err := s.SyncSources(context.Background(), []model.Source{srcs[1]}); err != nil {
		t.Fatal(err)
	}
	es := allEntries(t, s)
	if len(es) != 1 {
		t.Fatalf("%d entries after removing the original's source; want the mirror's copy listed", len(es))
	}
	e := es[0]
	if e.SourceID != srcs[1].ID || e.Link != mirror.Link || e.PublicID != original.PublicID || len(e.Alternates) != 0 {
		t.Errorf("entry: source %d link %s id %s alternates %+v; want the mirror's, keeping the published id",
			e.SourceID, e.Link, e.PublicID, e.Alternates)
	}
	// The new owner's next fetch stores its own fields once.
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(72*time.Hour), mirror)); got != (Result{Updated: 1}) {
		t.Errorf("mirror re-fetch = %+v, want 1 updated", got)
	}
	if got := save(t, s, srcs[1].ID, refresh(t0.Add(96*time.Hour), mirror)); got != (Result{Unchanged: 1}) {
		t.Errorf("mirror second re-fetch = %+v, want 1 unchanged", got)
	}
}

// A feed whose URL changed in feeds.yaml is a new source; its posts must
// take over the old source's entries instead of hiding as their alternates.
func TestSaveRefreshTakesOverEntriesOfRemovedSources(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	old := sources(t, s, 1)[0]
	p := post("https://bob.example/p/", "https://bob.example/p/", "hash", t0)
	p.PublicID = p.GUID
	save(t, s, old.ID, refresh(t0, p))
	moved, err := s.SyncSources(context.Background(), []model.Source{{Name: "bob", URL: "https://bob.example/new-feed.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := save(t, s, moved[0].ID, refresh(t0.Add(time.Hour), p)); got != (Result{Duplicates: 1}) {
		t.Errorf("first fetch of the new URL = %+v, want 1 duplicate (taken over)", got)
	}
	es := allEntries(t, s)
	if len(es) != 1 || es[0].SourceID != moved[0].ID || es[0].PublicID != p.PublicID {
		t.Fatalf("entries %+v; want the post listed under the new source with its id", es)
	}
}

// Shortening a source's interval in feeds.yaml takes effect at once.
func TestSyncSourcesReschedulesShorterInterval(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	src := sources(t, s, 1)[0]
	src.Interval = 24 * time.Hour
	if _, err := s.SyncSources(context.Background(), []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	r := refresh(t0)
	r.NextCheck = t0.Add(24 * time.Hour)
	save(t, s, src.ID, r)
	src.Interval = 30 * time.Minute
	if _, err := s.SyncSources(context.Background(), []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, src.ID).NextCheck; !got.Equal(t0.Add(30 * time.Minute)) {
		t.Errorf("next check %v; want last check + 30m = %v", got, t0.Add(30*time.Minute))
	}
}
