package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// countByScan is what CountEntries used to run: the oracle the kept counts
// must agree with.
func countByScan(t *testing.T, s *Store, q Query) int {
	t.Helper()
	where, args := q.filter()
	var n int
	if err := s.reader.QueryRow(`SELECT count(*) FROM entries AS e WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// changesSince returns the sources whose listing changed after *mark, sorted,
// and moves the mark on.
func changesSince(t *testing.T, s *Store, mark *int64) []int64 {
	t.Helper()
	ids, next, err := s.Changes(context.Background(), *mark)
	if err != nil {
		t.Fatal(err)
	}
	if next < *mark {
		t.Errorf("mark went back from %d to %d", *mark, next)
	}
	*mark = next
	slices.Sort(ids)
	return slices.Compact(ids)
}

// TestListingsFollowEveryWrite: the per-source counts agree with count(*)
// after inserts, edits, a takeover, a hand-over and pruning, and Changes
// names exactly the sources whose listing each write changed: the owner
// of an entry that gains an alternate included.
func TestListingsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	srcs := sources(t, s, 3)
	a, b, c := srcs[0].ID, srcs[1].ID, srcs[2].ID
	var mark int64
	changesSince(t, s, &mark)
	check := func(step string, want ...int64) {
		t.Helper()
		for _, q := range []Query{{}, {SourceID: a}, {SourceID: b}, {SourceID: c}, {Tag: "all"}, {Tag: "b"}, {Tag: "none"}} {
			got, err := s.CountEntries(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if scan := countByScan(t, s, q); got != scan {
				t.Errorf("%s: CountEntries(%+v) = %d, count(*) says %d", step, q, got, scan)
			}
		}
		if got := changesSince(t, s, &mark); !slices.Equal(got, want) {
			t.Errorf("%s: changed %v, want %v", step, got, want)
		}
	}
	save(t, s, a, refresh(t0, post("a1", "https://a.example/1", "h1", t0), post("a2", "https://a.example/2", "h2", t0)))
	check("a's first poll", a)
	save(t, s, a, refresh(t0.Add(time.Hour), post("a1", "https://a.example/1", "h1", t0), post("a2", "https://a.example/2", "h2", t0)))
	check("a unchanged")
	edited := post("a2", "https://a.example/2", "h2", t0)
	edited.Title = "Edited"
	save(t, s, a, refresh(t0.Add(2*time.Hour), post("a1", "https://a.example/1", "h1", t0), edited))
	check("a edits a post", a)
	// b carries a1 later: an alternate of a's entry, so a's page changes.
	save(t, s, b, refresh(t0.Add(3*time.Hour), post("b1", "https://b.example/1", "h1", t0.Add(time.Hour))))
	check("b's copy of a1", a)
	// c published a2 earlier: it takes the entry over from a.
	save(t, s, c, refresh(t0.Add(4*time.Hour), post("c1", "https://c.example/1", "h2", t0.Add(-time.Hour))))
	check("c takes a2 over", a, c)
	// a leaves feeds.yaml: its entry a1 passes to b, which carries it.
	if _, err := s.SyncSources(ctx, []model.Source{srcs[1], srcs[2]}); err != nil {
		t.Fatal(err)
	}
	check("a removed", a, b)
	if _, err := s.Prune(ctx, Retention{MaxEntries: 0, MaxAge: time.Hour, Now: t0.Add(5 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	check("pruned", b, c)
}

// TestListingsMigrationCountsExistingEntries: a database from before
// migration 004 gets its counts from the entries it already has.
func TestListingsMigrationCountsExistingEntries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:3] {
		if err := applyMigration(ctx, db, m, 3); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO sources (id, url, tags) VALUES (1, 'https://a.example/', '["x"]'), (2, 'https://b.example/', '[]')`,
		`INSERT INTO entries (source_id, guid, published, updated, first_seen, fingerprint)
		 VALUES (1, 'a1', 1, 1, 1, X''), (1, 'a2', 2, 2, 2, X''), (2, 'b1', 3, 3, 3, X'')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		q    Query
		want int
	}{{Query{}, 3}, {Query{SourceID: 1}, 2}, {Query{SourceID: 2}, 1}, {Query{Tag: "x"}, 2}} {
		if got, err := s.CountEntries(ctx, tt.q); err != nil || got != tt.want {
			t.Errorf("CountEntries(%+v) = %d, %v; want %d", tt.q, got, err, tt.want)
		}
	}
}

// TestEntriesAfter: reading a listing a page at a time from the last entry
// read gives the same entries as offsets do, equal dates included.
func TestEntriesAfter(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	srcs := sources(t, s, 2)
	var es []model.Entry
	for i := range 7 {
		es = append(es, post(fmt.Sprintf("p%d", i), fmt.Sprintf("https://a.example/%d", i), "", t0.Add(time.Duration(i/2)*time.Hour)))
	}
	save(t, s, srcs[0].ID, refresh(t0, es...))
	save(t, s, srcs[1].ID, refresh(t0, post("b", "https://b.example/", "", t0)))
	for _, q := range []Query{{}, {SourceID: srcs[0].ID}} {
		all, err := s.Entries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		var last *model.Entry
		for {
			page := q
			page.Limit, page.After = 3, last
			es, err := s.Entries(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				break
			}
			for _, e := range es {
				got = append(got, e.ID)
			}
			last = &es[len(es)-1]
		}
		var want []int64
		for _, e := range all {
			want = append(want, e.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%+v: pages by position %v, all at once %v", q, got, want)
		}
		q.Oldest = true
		oldest, err := s.Entries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var back []int64
		for i := len(oldest) - 1; i >= 0; i-- {
			back = append(back, oldest[i].ID)
		}
		if !slices.Equal(back, want) {
			t.Errorf("%+v: oldest first, reversed %v, want %v", q, back, want)
		}
	}
}
