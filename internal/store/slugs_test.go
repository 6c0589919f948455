package store

import (
	"context"
	"testing"

	"github.com/villagefeeds/village/internal/model"
)

func syncSlugs(t *testing.T, s *Store, srcs ...model.Source) map[string]string {
	t.Helper()
	out, err := s.SyncSources(context.Background(), srcs)
	if err != nil {
		t.Fatalf("SyncSources: %v", err)
	}
	slugs := map[string]string{}
	for _, src := range out {
		slugs[src.URL] = src.Slug
	}
	return slugs
}

// TestSlugsStayWithTheirSource is the case: two unnamed sources on
// one host, the first removed. The second keeps its slug, and the removed
// one's slug is not handed to a newcomer while its entries are kept.
func TestSlugsStayWithTheirSource(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	a := model.Source{URL: "https://blog.example/a.xml"}
	b := model.Source{URL: "https://blog.example/b.xml"}
	c := model.Source{URL: "https://blog.example/c.xml"}
	first := syncSlugs(t, s, a, b)
	if first[a.URL] != "blog-example" || first[b.URL] != "blog-example-2" {
		t.Fatalf("slugs %v", first)
	}
	ids := map[string]int64{}
	for _, src := range mustSources(t, s) {
		ids[src.URL] = src.ID
	}
	save(t, s, ids[a.URL], refresh(t0, post("a1", "https://blog.example/1", "", t0)))

	second := syncSlugs(t, s, b, c)
	if second[b.URL] != "blog-example-2" {
		t.Errorf("b moved to %q when a was removed", second[b.URL])
	}
	if second[c.URL] != "blog-example-3" {
		t.Errorf("newcomer c got %q; a's slug must stay a's while its entries are kept", second[c.URL])
	}
	back := syncSlugs(t, s, a, b, c)
	if back[a.URL] != "blog-example" {
		t.Errorf("a came back as %q", back[a.URL])
	}
	renamed := syncSlugs(t, s, model.Source{URL: a.URL, Name: "A new name"}, b, c)
	if renamed[a.URL] != "blog-example" {
		t.Errorf("renaming a moved its slug to %q", renamed[a.URL])
	}
}

// TestSlugReleasedWithoutEntries: a removed source with nothing kept gives
// its slug up.
func TestSlugReleasedWithoutEntries(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	a := model.Source{Name: "Blog", URL: "https://a.example/feed"}
	b := model.Source{Name: "Blog", URL: "https://b.example/feed"}
	syncSlugs(t, s, a)
	got := syncSlugs(t, s, b)
	if got[b.URL] != "blog" {
		t.Errorf("b got %q; a had no entries, so its slug is free", got[b.URL])
	}
}

func mustSources(t *testing.T, s *Store) []model.Source {
	t.Helper()
	out, err := s.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}
