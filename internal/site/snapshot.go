package site

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Snapshot is the site as one moment saw it (sources, slugs, tags, theme),
// for rendering its documents: the few that change with every new post at
// each change (Head), any other when it is asked for (Render), or all of
// them for a static copy (Walk). The entries are read from the store when
// a document is rendered. A Snapshot is safe for concurrent use.
type Snapshot struct {
	bd     *build
	ls     []listing
	byPath map[string]*listing

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

// Head renders the documents that change with every new post and cost
// little whatever the size of the archive or the number of sources: the
// front page, the merged feeds, the OPML list and the stylesheet.
func (s *Snapshot) Head(ctx context.Context) ([]Doc, error) {
	s.bd.b.folder.sweep()
	home := s.byPath["/"]
	pages, err := s.pages(ctx, home)
	if err != nil {
		return nil, err
	}
	entries, err := s.bd.st.Entries(ctx, withPage(home.query, s.bd.opts.PerPage, 1))
	if err != nil {
		return nil, fmt.Errorf("render /: %w", err)
	}
	docs, err := s.bd.pageDocs(home, 1, pages, entries)
	if err != nil {
		return nil, err
	}
	opml, err := s.bd.opml()
	if err != nil {
		return nil, err
	}
	return append(docs, opml, s.bd.style()), nil
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
	}
	lpath, name := SplitPath(k.Path)
	l, ok := s.byPath[lpath]
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
	entries, err := s.bd.st.Entries(ctx, withPage(l.query, s.bd.opts.PerPage, k.Page))
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
		src, ok := s.bd.byID[id]
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
	l, ok := s.byPath[path]
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
	for i := range s.ls {
		l := &s.ls[i]
		if only != nil && !only[l.path] {
			continue
		}
		if err := s.walk(ctx, l, fn); err != nil {
			return fmt.Errorf("build site: %w", err)
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
	return fn(s.bd.style())
}

// walk renders every page of l. Each query walks past its offset, so one
// query per page would cost the square of the archive's length: the pages
// are read chunkPages at a time.
func (s *Snapshot) walk(ctx context.Context, l *listing, fn func(Doc) error) error {
	per := s.bd.opts.PerPage
	pages, err := s.pages(ctx, l)
	if err != nil {
		return err
	}
	for n := 1; n <= pages; n += chunkPages {
		q := l.query
		q.Limit, q.Offset = per*min(chunkPages, pages-n+1), (n-1)*per
		entries, err := s.bd.st.Entries(ctx, q)
		if err != nil {
			return err
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
