package site

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/villagefeeds/village/internal/model"
)

// Snapshot is the site as one moment saw it (sources, slugs, tags, theme),
// for rendering its documents: any one when it is asked for (Render), or
// all of them for a static copy (Walk). The entries are read from the
// store when a document is rendered. A Snapshot is safe for concurrent use.
type Snapshot struct {
	bd     *build
	ls     []listing           // the front page's and the tags'
	byPath map[string]*listing // ls by path

	mu     sync.Mutex
	counts map[string]int // entries per paged listing, by path, counted once
}

func newSnapshot(bd *build) *Snapshot {
	s := &Snapshot{bd: bd, ls: bd.listings(), byPath: map[string]*listing{}, counts: map[string]int{}}
	for i := range s.ls {
		s.byPath[s.ls[i].path] = &s.ls[i]
	}
	return s
}

// Render renders the document at k from the store as it is now. It
// returns ErrNoPage for a path the site does not have, a page beyond the
// last, or a page after the first of a document that has one page.
func (s *Snapshot) Render(ctx context.Context, k Key) (Doc, error) {
	if k.Page < 1 {
		return Doc{}, ErrNoPage
	}
	switch {
	case k.Path == "/style.css" && k.Page == 1:
		return s.bd.style(), nil
	case k.Path == "/opml.xml" && k.Page == 1:
		return s.bd.opml()
	case k.Path == SubscriptionsPath && k.Page == 1:
		return s.bd.subscriptionsPage()
	case strings.HasPrefix(k.Path, "/faces/"):
		return s.bd.faceDoc(k)
	}
	lpath, name := SplitPath(k.Path)
	l, ok := s.listing(lpath)
	if !ok || (name != "" && name != "atom.xml" && !slices.Contains(l.formats, name)) ||
		(k.Page > 1 && (!l.paged || (name != "" && name != "atom.xml"))) {
		return Doc{}, ErrNoPage
	}
	pages, err := s.pages(ctx, l)
	if err != nil {
		return Doc{}, err
	}
	if k.Page > pages {
		return Doc{}, ErrNoPage
	}
	entries, err := s.entries(ctx, l, k.Page)
	if err != nil {
		return Doc{}, fmt.Errorf("render %s: %w", k, err)
	}
	switch name {
	case "":
		return s.bd.page(l, k.Page, pages, entries)
	case "atom.xml":
		return s.bd.atom(l, k.Page, pages, entries)
	}
	return s.bd.format(l, name, entries)
}

// entries reads page n of l. A page past the middle is read from the
// oldest end, so that the last page of a million entries is a short
// offset away, not a walk past 999,950 of them.
func (s *Snapshot) entries(ctx context.Context, l *listing, n int) ([]model.Entry, error) {
	per := s.bd.opts.PerPage
	s.mu.Lock()
	count, counted := s.counts[l.path]
	s.mu.Unlock()
	if !counted || (n-1)*per < count/2 {
		return s.bd.st.Entries(ctx, withPage(l.query, per, n))
	}
	q := l.query
	q.Oldest = true
	q.Offset = max(0, count-n*per)
	q.Limit = min(n*per, count) - (n-1)*per
	entries, err := s.bd.st.Entries(ctx, q)
	slices.Reverse(entries)
	return entries, err
}

// listing returns the listing at path.
func (s *Snapshot) listing(path string) (*listing, bool) {
	if l, ok := s.byPath[path]; ok {
		return l, true
	}
	slug, ok := strings.CutPrefix(path, "/sources/")
	if slug, ok = strings.CutSuffix(slug, "/"); !ok {
		return nil, false
	}
	i, ok := s.bd.bySlug[slug]
	if !ok {
		return nil, false
	}
	return s.bd.sourceListing(&s.bd.list[i]), true
}

// SplitPath splits a document's path into the path of its listing and
// the document's name in it: "/sources/a/atom.xml" is "/sources/a/" and
// "atom.xml", "/tags/go/" is "/tags/go/" and "". The OPML list and the
// stylesheet are the front page's.
func SplitPath(path string) (listing, name string) {
	i := strings.LastIndexByte(path, '/')
	return path[:i+1], path[i+1:]
}

// Affected returns the paths of the listings that show the entries or the
// health of the sources ids: the sources' own, and their tags'. The front
// page shows everything and is not named.
func (s *Snapshot) Affected(ids []int64) []string {
	var paths []string
	tags := map[string]bool{}
	for _, id := range ids {
		src, ok := s.bd.source(id)
		if !ok {
			continue // not listed: none of its entries are shown
		}
		paths = append(paths, "/"+src.Page)
		for _, t := range src.Tags {
			tags[t] = true
		}
	}
	for _, t := range s.bd.tags {
		if tags[t.Name] {
			paths = append(paths, "/"+t.Page)
		}
	}
	return paths
}

// Feeds returns the paths of the feeds of the listing at path: its Atom
// feed, and RSS and JSON Feed where it has them.
func (s *Snapshot) Feeds(path string) []string {
	l, ok := s.listing(path)
	if !ok {
		return nil
	}
	out := []string{path + "atom.xml"}
	for _, f := range l.formats {
		out = append(out, path+f)
	}
	return out
}

// Walk renders every page of the listings whose path is in only (every
// listing when only is nil; the OPML list and the stylesheet go with "/")
// and hands each document to fn, in a stable order. Pages are read from
// the store a chunk at a time, so memory does not grow with the archive.
func (s *Snapshot) Walk(ctx context.Context, only map[string]bool, fn func(Doc) error) error {
	walk := func(l *listing) error {
		if only != nil && !only[l.path] {
			return nil
		}
		if err := s.walk(ctx, l, fn); err != nil {
			return fmt.Errorf("build site: %w", err)
		}
		return nil
	}
	// The front page, then the sources, then the tags.
	if err := walk(&s.ls[0]); err != nil {
		return err
	}
	for i := range s.bd.list {
		if err := walk(s.bd.sourceListing(&s.bd.list[i])); err != nil {
			return err
		}
	}
	for i := range s.ls[1:] {
		if err := walk(&s.ls[1+i]); err != nil {
			return err
		}
	}
	if only != nil && !only["/"] {
		return nil
	}
	opml, err := s.bd.opml()
	if err != nil {
		return err
	}
	if err := fn(opml); err != nil {
		return err
	}
	subs, err := s.bd.subscriptionsPage()
	if err != nil {
		return err
	}
	if err := fn(subs); err != nil {
		return err
	}
	for _, d := range s.bd.faceDocs() {
		if err := fn(d); err != nil {
			return err
		}
	}
	return fn(s.bd.style())
}

// walk renders every page of l, reading the entries chunkPages pages at a
// time, each chunk from the last entry of the one before: the cost of the
// walk grows with the listing, not with its square.
func (s *Snapshot) walk(ctx context.Context, l *listing, fn func(Doc) error) error {
	per := s.bd.opts.PerPage
	pages, err := s.pages(ctx, l)
	if err != nil {
		return err
	}
	var last *model.Entry
	for n := 1; n <= pages; n += chunkPages {
		q := l.query
		q.Limit, q.After = per*min(chunkPages, pages-n+1), last
		entries, err := s.bd.st.Entries(ctx, q)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			last = &entries[len(entries)-1]
		}
		for i := 0; i < chunkPages && n+i <= pages; i++ {
			docs, err := s.bd.pageDocs(l, n+i, pages, entries[min(i*per, len(entries)):min((i+1)*per, len(entries))])
			if err != nil {
				return err
			}
			for _, d := range docs {
				if err := fn(d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// chunkPages is how many pages Walk reads from the store at once (a
// variable for the tests).
var chunkPages = 20

// pages returns how many pages l has. A listing is counted once per
// Snapshot: a crawler asking for page 999999 of every listing costs one
// count each, not one per request.
func (s *Snapshot) pages(ctx context.Context, l *listing) (int, error) {
	if !l.paged {
		return 1, nil
	}
	s.mu.Lock()
	n, ok := s.counts[l.path]
	s.mu.Unlock()
	if !ok {
		var err error
		if n, err = s.bd.st.CountEntries(ctx, l.query); err != nil {
			return 0, fmt.Errorf("render %s: %w", l.path, err)
		}
		s.mu.Lock()
		s.counts[l.path] = n
		s.mu.Unlock()
	}
	per := s.bd.opts.PerPage
	return max(1, (n+per-1)/per), nil
}
