package site

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/store"
)

// fakeStore serves fixed sources and entries the way store.Store does:
// newest first, filtered by source or tag, paged.
type fakeStore struct {
	sources []model.Source
	entries []model.Entry // newest first
}

func (f *fakeStore) Sources(context.Context) ([]model.Source, error) {
	return slices.Clone(f.sources), nil
}

func (f *fakeStore) match(q store.Query) []model.Entry {
	var out []model.Entry
	for _, e := range f.entries {
		if q.SourceID != 0 && e.SourceID != q.SourceID {
			continue
		}
		if q.Tag != "" {
			i := slices.IndexFunc(f.sources, func(s model.Source) bool { return s.ID == e.SourceID })
			if i < 0 || !slices.Contains(f.sources[i].Tags, q.Tag) {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

func (f *fakeStore) Entries(_ context.Context, q store.Query) ([]model.Entry, error) {
	m := f.match(q)
	if q.Oldest {
		m = slices.Clone(m)
		slices.Reverse(m)
	}
	if q.After != nil {
		i := slices.IndexFunc(m, func(e model.Entry) bool { return e.ID == q.After.ID })
		m = m[i+1:]
	}
	m = m[min(q.Offset, len(m)):]
	if q.Limit > 0 {
		m = m[:min(q.Limit, len(m))]
	}
	return m, nil
}

func (f *fakeStore) CountEntries(_ context.Context, q store.Query) (int, error) {
	return len(f.match(q)), nil
}

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// fixture is five sources (one failing, one moved, one failing since its
// first poll, one never polled; two with faces) and seven entries: one
// cross-posted, one long enough to fold, one with hostile title text.
func fixture() *fakeStore {
	bobFace, err := filepath.Abs(filepath.Join("testdata", "bob.png"))
	if err != nil {
		panic(err)
	}
	long := ""
	for i := range 30 {
		long += fmt.Sprintf("<p>Paragraph %d of a long post. It goes on about planets, feeds and the village that reads them, at some length.</p>\n", i+1)
	}
	srcs := []model.Source{
		{ID: 1, Name: "Alice's Blog", URL: "https://alice.example/feed.xml", Homepage: "https://alice.example/", Tags: []string{"go", "k8s"},
			LastSuccess: t0, LastCheck: t0, Face: "https://alice.example/alice.jpg"},
		{ID: 2, Name: "Bob & Co", URL: "https://bob.example/atom.xml", Tags: []string{"go"}, Face: bobFace,
			ErrorCount: 3, LastStatus: 404, LastError: "fetch https://bob.example/atom.xml: http 404 Not Found",
			LastProblem: "HTTP 404 Not Found", LastSuccess: t0.Add(-72 * time.Hour),
			LastCheck: t0, FailingSince: t0.Add(-70 * time.Hour)},
		{ID: 3, URL: "https://carol.example/rss", Homepage: "https://carol.example/", MovedTo: "https://carol.example/new.xml", LastCheck: t0},
		{ID: 4, Name: "Dan", URL: "https://dan.example/feed", Face: "javascript:alert(1)",
			ErrorCount: 2, LastStatus: 503, LastError: "fetch https://dan.example/feed: http 503 Service Unavailable",
			LastProblem: "HTTP 503 Service Unavailable", LastCheck: t0, FailingSince: t0.Add(-2 * time.Hour)},
		{ID: 5, Name: "Eve", URL: "https://eve.example/feed"},
	}
	at := func(h int) time.Time { return t0.Add(-time.Duration(h) * time.Hour) }
	entries := []model.Entry{
		{ID: 7, SourceID: 1, GUID: "https://alice.example/posts/cross", Link: "https://alice.example/posts/cross", CanonicalURL: "https://alice.example/posts/cross",
			Title: "Cross-posted <b>twice</b>", Author: "Alice", Content: "<p>Fish &amp; chips.</p>", Categories: []string{"food"},
			Published: at(1), FirstSeen: at(1), Alternates: []model.Alternate{{SourceID: 2, Link: "https://bob.example/cross"}}},
		{ID: 6, SourceID: 2, GUID: "6", Link: "https://bob.example/long", Title: "A long one", Content: long, Published: at(2), FirstSeen: at(2)},
		{ID: 5, SourceID: 3, GUID: "c5", Link: "https://carol.example/5", Title: `<script>alert(1)</script>`, Content: "<p>Carol five.</p>", Published: at(3), FirstSeen: at(3)},
		{ID: 4, SourceID: 1, GUID: "tag:alice.example,2024:4", Link: "https://alice.example/4", Title: "Four", Summary: "<p>Only a summary.</p>", Published: at(4), FirstSeen: at(4)},
		{ID: 3, SourceID: 2, GUID: "3", Link: "https://bob.example/3", Title: "Three", Author: "Bob", Content: "<p>Three.</p>", Published: at(5), FirstSeen: at(5),
			Lang: "fr", Enclosures: []model.Enclosure{{URL: "https://bob.example/3.mp3", Type: "audio/mpeg", Length: 12_300_000}}},
		{ID: 2, SourceID: 1, GUID: "https://alice.example/2", Link: "https://alice.example/2", Title: "Two", Content: "<p>Two.</p>", Published: at(6), FirstSeen: at(6)},
		{ID: 1, SourceID: 3, GUID: "c1", Link: "https://carol.example/1", Title: "One", Content: "<p>One.</p>", Published: at(7), FirstSeen: at(7)},
	}
	return &fakeStore{sources: srcs, entries: entries}
}

var fixtureOptions = Options{
	Title: "Test Planet", Link: "https://planet.example/village/", Author: "The Village", Description: "Posts from the village.",
	Generator: "village", Version: "test", PerPage: 3, Hub: "https://hub.example/",
}
