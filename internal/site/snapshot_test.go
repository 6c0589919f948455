package site

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
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

// TestHeadAndPage: Head renders first pages only, and the snapshot renders
// every later page on demand with the bytes Build gives it.
func TestHeadAndPage(t *testing.T) {
	defer func(n int) { chunkPages = n }(chunkPages)
	chunkPages = 3 // Build reads the home page's 4 later pages in two chunks
	ctx := context.Background()
	o := fixtureOptions
	o.PerPage = 2
	full, err := NewBuilder().Build(ctx, fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	snap, head, err := NewBuilder().Head(ctx, fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Entries() != 7 {
		t.Errorf("Entries() = %d, want 7", snap.Entries())
	}
	first := map[string][]byte{}
	for _, d := range head {
		if d.Page != 1 {
			t.Errorf("Head rendered %s", d.Key())
		}
		first[d.Key()] = d.Body
	}
	later := 0
	for _, d := range full {
		if d.Page == 1 {
			if !bytes.Equal(first[d.Key()], d.Body) {
				t.Errorf("Head's %s differs from Build's", d.Key())
			}
			continue
		}
		later++
		got, err := snap.Page(ctx, d.Path, d.Page)
		if err != nil || !bytes.Equal(got.Body, d.Body) || got.ContentType != d.ContentType {
			t.Errorf("Page(%s, %d): %v; differs from Build's", d.Path, d.Page, err)
		}
	}
	if later < 8 { // home 4 pages and Alice's 2, each HTML and Atom
		t.Errorf("only %d later pages built", later)
	}
	for _, tt := range []struct {
		path string
		n    int
	}{
		{"/", 5}, {"/atom.xml", 5}, {"/", 0}, {"/rss.xml", 2}, {"/feed.json", 2},
		{"/tags/go/", 2}, {"/tags/go/atom.xml", 2}, {"/sources/nobody/", 2}, {"/style.css", 2},
	} {
		if _, err := snap.Page(ctx, tt.path, tt.n); !errors.Is(err, ErrNoPage) {
			t.Errorf("Page(%s, %d) = %v, want ErrNoPage", tt.path, tt.n, err)
		}
	}
}
