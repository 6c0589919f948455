package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

func TestFilterEntriesHidesAndShowsAgain(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 2)
	a, b := srcs[0].ID, srcs[1].ID
	save(t, s, a, refresh(t0,
		post("a1", "https://a.example/1", "", t0.Add(-3*time.Hour)),
		post("a2", "https://a.example/2", "", t0.Add(-2*time.Hour)),
	))
	save(t, s, b, refresh(t0, post("b1", "https://b.example/1", "", t0.Add(-time.Hour))))

	notA2 := func(e model.Entry) bool { return !strings.Contains(e.Title, "a2") }
	n, err := s.FilterEntries(ctx, map[int64]Keep{a: notA2})
	if err != nil || n != 1 {
		t.Fatalf("FilterEntries = %d, %v; want 1 entry hidden", n, err)
	}
	if got := listed(t, s, Query{}); !slices.Equal(got, []string{"b1", "a1"}) {
		t.Errorf("listed %v, want b1 a1", got)
	}
	if got, _ := s.CountEntries(ctx, Query{SourceID: a}); got != 1 {
		t.Errorf("CountEntries of a = %d, want 1", got)
	}
	if counts, _ := s.EntriesBySource(ctx); counts[a] != 1 || counts[b] != 1 {
		t.Errorf("EntriesBySource = %v", counts)
	}

	// The same filter again changes nothing; none at all shows a2 again.
	if n, err := s.FilterEntries(ctx, map[int64]Keep{a: notA2}); err != nil || n != 0 {
		t.Errorf("the same filter again: %d, %v; want 0", n, err)
	}
	if n, err := s.FilterEntries(ctx, nil); err != nil || n != 1 {
		t.Errorf("no filter: %d, %v; want 1 entry shown again", n, err)
	}
	if got := listed(t, s, Query{}); !slices.Equal(got, []string{"b1", "a2", "a1"}) {
		t.Errorf("listed %v after the filter was dropped", got)
	}
}

// A rule for one blog is not a rule for the post: a copy another blog
// carries stays listed, as that blog's, unless that blog's rule refuses
// it too.
func TestFilterEntriesPassesARefusedPostToItsCopy(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	srcs := sources(t, s, 3)
	alice, bob, carol := srcs[0].ID, srcs[1].ID, srcs[2].ID
	original := post("https://alice.example/p/", "https://alice.example/p/", "hash", t0)
	original.PublicID = original.GUID
	save(t, s, alice, refresh(t0.Add(time.Hour), original, post("a2", "https://alice.example/2", "", t0)))
	save(t, s, bob, refresh(t0.Add(time.Hour), post("tag:bob,1", "https://bob.example/1", "hash", t0.Add(time.Hour))))
	save(t, s, carol, refresh(t0.Add(time.Hour), post("tag:carol,1", "https://carol.example/1", "hash", t0.Add(2*time.Hour))))
	if es := allEntries(t, s); len(es) != 2 {
		t.Fatalf("%d entries before any rule, want the post (with two copies) and a2", len(es))
	}

	refuseAll := func(model.Entry) bool { return false }
	if _, err := s.FilterEntries(ctx, map[int64]Keep{alice: refuseAll, bob: refuseAll}); err != nil {
		t.Fatal(err)
	}
	es := allEntries(t, s)
	if len(es) != 1 {
		t.Fatalf("listed %v; want the post once, as Carol's copy (a2 hidden)", guids(es))
	}
	e := es[0]
	if e.SourceID != carol || e.Link != "https://carol.example/1" || e.PublicID != original.PublicID {
		t.Errorf("entry: source %d link %s id %s; want Carol's copy under the published id", e.SourceID, e.Link, e.PublicID)
	}

	// Carol refusing it too hides it; no rule at all shows it again.
	if _, err := s.FilterEntries(ctx, map[int64]Keep{alice: refuseAll, bob: refuseAll, carol: refuseAll}); err != nil {
		t.Fatal(err)
	}
	if es := allEntries(t, s); len(es) != 0 {
		t.Errorf("listed %v when every source refuses the post", guids(es))
	}
	if _, err := s.FilterEntries(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if es := allEntries(t, s); len(es) != 2 {
		t.Errorf("listed %v after the rules were dropped, want the post and a2", guids(es))
	}
	// The original's next fetch takes the entry back: it was published first.
	save(t, s, alice, refresh(t0.Add(2*time.Hour), original))
	for _, e := range allEntries(t, s) {
		if e.PublicID == original.PublicID && e.SourceID != alice {
			t.Errorf("after Alice's next fetch the post is source %d's, want Alice's (%d)", e.SourceID, alice)
		}
	}
}

func listed(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	es, err := s.Entries(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return guids(es)
}

func TestFailingSinceMarksTheStartOfARun(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	id := sources(t, s, 1)[0].ID
	fail := func(at time.Time) {
		t.Helper()
		if err := s.MarkFailed(ctx, id, Failure{CheckedAt: at, NextCheck: at.Add(time.Minute), Status: 503, Err: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	fail(t0)
	fail(t0.Add(time.Minute))
	if got := getSource(t, s, id); !got.FailingSince.Equal(t0) || got.State() != model.StateFailing {
		t.Errorf("after two failures: failing since %v, state %s; want %v, failing", got.FailingSince, got.State(), t0)
	}
	if err := s.MarkNotModified(ctx, id, t0.Add(2*time.Minute), t0.Add(time.Hour), "", ""); err != nil {
		t.Fatal(err)
	}
	if got := getSource(t, s, id); !got.FailingSince.IsZero() {
		t.Errorf("after a success: failing since %v, want zero", got.FailingSince)
	}
	later := t0.Add(3 * time.Hour)
	fail(later)
	if got := getSource(t, s, id); !got.FailingSince.Equal(later) {
		t.Errorf("a new run: failing since %v, want %v", got.FailingSince, later)
	}
}

func TestSyncSourcesKeepsTheFace(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	src := model.Source{Name: "a", URL: "https://a.example/feed.xml", Face: "https://a.example/me.png"}
	out, err := s.SyncSources(ctx, []model.Source{src})
	if err != nil || out[0].Face != src.Face {
		t.Fatalf("SyncSources: %v, face %q", err, out[0].Face)
	}
	src.Face = ""
	if out, err = s.SyncSources(ctx, []model.Source{src}); err != nil || out[0].Face != "" {
		t.Errorf("face not cleared: %v, %q", err, out[0].Face)
	}
}
