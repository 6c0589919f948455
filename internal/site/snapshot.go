package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNoPage is Snapshot.Page's answer for a page the site does not have.
var ErrNoPage = errors.New("no such page")

// Snapshot is the site as one Head saw it (sources, slugs, theme), for
// rendering the pages after the first on demand: they are read often
// enough to serve, too rarely to render on every change.
type Snapshot struct {
	bd    *build
	paged map[string]*listing // by path, the listings with later pages
	total int
}

func newSnapshot(bd *build, total int) *Snapshot {
	s := &Snapshot{bd: bd, paged: map[string]*listing{}, total: total}
	ls := bd.listings()
	for i := range ls {
		if ls[i].paged {
			s.paged[ls[i].path] = &ls[i]
		}
	}
	return s
}

// Entries is how many entries the home listing had: a static copy of the
// site needs writing again when it changes (pruning shifts every page)
// even if no first page did.
func (s *Snapshot) Entries() int { return s.total }

// Page renders page n of the HTML listing or the paged Atom feed at path
// ("/", "/atom.xml", "/sources/slug/", "/sources/slug/atom.xml") from the
// store as it is now. It returns ErrNoPage for a path that is not paged or
// a page beyond the last.
func (s *Snapshot) Page(ctx context.Context, path string, n int) (Doc, error) {
	lpath, feed := strings.CutSuffix(path, "atom.xml")
	l, ok := s.paged[lpath]
	if !ok || n < 1 || (feed && !strings.HasSuffix(lpath, "/")) {
		return Doc{}, ErrNoPage
	}
	bd := s.bd
	per := bd.opts.PerPage
	count, err := bd.st.CountEntries(ctx, l.query)
	if err != nil {
		return Doc{}, fmt.Errorf("render %s: %w", Key(path, n), err)
	}
	pages := max(1, (count+per-1)/per)
	if n > pages {
		return Doc{}, ErrNoPage
	}
	entries, err := bd.st.Entries(ctx, withPage(l.query, per, n))
	if err != nil {
		return Doc{}, fmt.Errorf("render %s: %w", Key(path, n), err)
	}
	if feed {
		return bd.atom(l, n, pages, entries)
	}
	return bd.page(l, n, pages, entries)
}
