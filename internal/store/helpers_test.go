package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/villagefeeds/village/internal/model"
)

// t0 has nanoseconds so that a lossy time encoding shows.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

// upgraded opens a store in a temporary directory, has setup fill it,
// runs queries on it, to leave it as an older village would have, and
// opens it again, as its successor does: the migrations since then run.
func upgraded(t testing.TB, setup func(*Store), queries ...string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "village.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	setup(s)
	for _, q := range queries {
		if _, err := s.writer.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	t.Cleanup(func() { again.Close() })
	return again
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s, _ := openTemp(t)
	return s
}

// sources syncs n sources named a, b, c... and returns them in name order.
func sources(t testing.TB, s *Store, n int) []model.Source {
	t.Helper()
	in := make([]model.Source, n)
	for i := range in {
		name := string(rune('a' + i))
		in[i] = model.Source{Name: name, URL: "https://" + name + ".example/feed.xml", Tags: []string{"all", name}}
	}
	out, err := s.SyncSources(context.Background(), in)
	if err != nil {
		t.Fatalf("SyncSources: %v", err)
	}
	return out
}

// post is an entry as the parser would hand it over: identified by guid,
// with a content hash unless hash is empty.
func post(guid, link, hash string, published time.Time) model.Entry {
	return model.Entry{
		GUID:         guid,
		Link:         link,
		CanonicalURL: link,
		ContentHash:  hash,
		Title:        "Title of " + guid,
		Author:       "Ann",
		Content:      "<p>Body of " + guid + "</p>",
		Categories:   []string{"go", "sqlite"},
		Published:    published,
	}
}

func refresh(at time.Time, entries ...model.Entry) Refresh {
	return Refresh{CheckedAt: at, NextCheck: at.Add(time.Hour), Status: 200, Entries: entries}
}

func save(t testing.TB, s *Store, sourceID int64, r Refresh) Result {
	t.Helper()
	res, err := s.SaveRefresh(context.Background(), sourceID, r)
	if err != nil {
		t.Fatalf("SaveRefresh(%d): %v", sourceID, err)
	}
	return res
}

func allEntries(t testing.TB, s *Store) []model.Entry {
	t.Helper()
	es, err := s.Entries(context.Background(), Query{})
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	return es
}

func getSource(t testing.TB, s *Store, id int64) model.Source {
	t.Helper()
	src, err := s.Source(context.Background(), id)
	if err != nil {
		t.Fatalf("Source(%d): %v", id, err)
	}
	return src
}

// countRows counts every row of table, active source or not.
func countRows(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
