package site

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/villagefeeds/village/internal/store"
)

// TestSourcesPaged: a source's listing is paged like the front page, in
// both forms, with RFC 5005 links on its feed.
func TestSourcesPaged(t *testing.T) {
	o := fixtureOptions
	o.PerPage = 2 // Alice has 3 entries: two pages
	for _, static := range []bool{false, true} {
		o.Static = static
		docs, err := NewBuilder().Build(context.Background(), fixture(), o)
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]string{}
		for _, d := range docs {
			body[d.File()] = string(d.Body)
		}
		for _, f := range []string{"sources/alices-blog/page/2/index.html", "sources/alices-blog/atom-2.xml"} {
			if body[f] == "" {
				t.Errorf("static=%v: %s not built", static, f)
			}
		}
		if !strings.Contains(body["sources/alices-blog/index.html"], "Page 1 of 2") {
			t.Errorf("static=%v: Alice's first page has no pager", static)
		}
		if !strings.Contains(body["sources/alices-blog/atom.xml"], `rel="next"`) {
			t.Errorf("static=%v: Alice's feed has no rel=next", static)
		}
	}
}

// countingStore counts the CountEntries calls.
type countingStore struct {
	*fakeStore
	counts int
}

func (c *countingStore) CountEntries(ctx context.Context, q store.Query) (int, error) {
	c.counts++
	return c.fakeStore.CountEntries(ctx, q)
}

// TestRender: Render gives every document of the site, with the bytes
// Build gives it, on demand, counting each paged listing once.
func TestRender(t *testing.T) {
	defer func(n int) { chunkPages = n }(chunkPages)
	chunkPages = 3 // Build reads the home page's 5 pages in two chunks
	ctx := context.Background()
	o := fixtureOptions
	o.PerPage = 2
	full, err := NewBuilder().Build(ctx, fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	st := &countingStore{fakeStore: fixture()}
	snap, err := NewBuilder().Snapshot(ctx, st, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range full {
		r, err := snap.Render(ctx, d.Key())
		if err != nil || !bytes.Equal(r.Body, d.Body) || r.ContentType != d.ContentType || r.Topic != d.Topic {
			t.Errorf("Render(%s): %v; differs from Build's", d.Key(), err)
		}
	}
	if len(full) < 25 {
		t.Errorf("only %d documents built", len(full))
	}
	for _, k := range []Key{
		{"/", 5}, {"/atom.xml", 5}, {"/", 0}, {"/rss.xml", 2}, {"/feed.json", 2}, {"/nope.xml", 1},
		{"/tags/go/", 2}, {"/tags/go/atom.xml", 2}, {"/sources/nobody/", 1}, {"/style.css", 2}, {"/opml.xml", 2},
		{"/sources/alices-blog/rss.xml", 1}, {"/sources/alices-blog/", 999999}, {"/sources/alices-blog/", 999998},
	} {
		if _, err := snap.Render(ctx, k); !errors.Is(err, ErrNoPage) {
			t.Errorf("Render(%s) = %v, want ErrNoPage", k, err)
		}
	}
	// Paged listings: the front page and the five sources, each counted
	// once for all the renders above.
	if st.counts != 6 {
		t.Errorf("%d counts for the renders of one snapshot, want 6 (one per paged listing)", st.counts)
	}
}

// TestAffected: a source's change touches its own listing and its tags'.
func TestAffected(t *testing.T) {
	snap, err := NewBuilder().Snapshot(context.Background(), fixture(), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ids  []int64
		want []string
	}{
		{[]int64{1}, []string{"/sources/alices-blog/", "/tags/go/", "/tags/k8s/"}},
		{[]int64{2, 3}, []string{"/sources/bob-co/", "/sources/carol-example/", "/tags/go/"}},
		{[]int64{99}, nil},
	} {
		if got := snap.Affected(tt.ids); !slices.Equal(got, tt.want) {
			t.Errorf("Affected(%v) = %q, want %q", tt.ids, got, tt.want)
		}
	}
}

// TestWalkOnly: a walk limited to some listings renders exactly their
// pages; with the front page come the OPML list and the stylesheet.
func TestWalkOnly(t *testing.T) {
	ctx := context.Background()
	snap, err := NewBuilder().Snapshot(ctx, fixture(), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		only map[string]bool
		want []string
	}{
		{map[string]bool{"/tags/k8s/": true}, []string{"/tags/k8s/", "/tags/k8s/atom.xml", "/tags/k8s/rss.xml", "/tags/k8s/feed.json"}},
		{map[string]bool{"/sources/bob-co/": true}, []string{"/sources/bob-co/", "/sources/bob-co/atom.xml"}},
		{map[string]bool{"/": true}, []string{"/", "/atom.xml", "/rss.xml", "/feed.json", "/?page=2", "/atom.xml?page=2",
			"/?page=3", "/atom.xml?page=3", "/opml.xml", "/sources/", "/faces/bob-co.png", "/style.css"}},
	} {
		var got []string
		err := snap.Walk(ctx, tt.only, func(d Doc) error {
			got = append(got, d.Key().String())
			return nil
		})
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Walk(%v) = %q, %v; want %q", tt.only, got, err, tt.want)
		}
	}
}
