package publish

import (
	"time"

	"github.com/gorilla/feeds"
)

// newFeed builds atom:feed without its entries.
func newFeed(m Meta, updated time.Time) *atomFeed {
	f := &atomFeed{
		Xmlns:   atomNS,
		ID:      clean(m.Link),
		Title:   text(m.Title),
		Updated: date(updated),
		Author:  author(m.Author, m.Title),
	}
	if m.Generator != "" {
		f.Generator = &atomGenerator{URI: clean(m.URI), Version: clean(m.Version), Name: clean(m.Generator)}
	}
	f.Links = make([]atomLink, 0, 2+len(m.Links))
	if m.SelfURL != "" {
		f.Links = append(f.Links, atomLink{Rel: "self", Href: clean(m.SelfURL), Type: "application/atom+xml"})
	}
	f.Links = append(f.Links, atomLink{Rel: "alternate", Href: clean(m.Link), Type: "text/html"})
	for _, l := range m.Links {
		if l.Href == "" {
			continue
		}
		f.Links = append(f.Links, atomLink{Rel: clean(l.Rel), Href: clean(l.Href), Type: clean(l.Type), Title: clean(l.Title)})
	}
	return f
}

// text is a plain-text construct.
func text(s string) atomText {
	return atomText{Type: "text", Body: clean(s)}
}

// author is atom:author named by the first non-empty name, or nil when there
// is none: an atom:author without atom:name is invalid.
func author(names ...string) *feeds.AtomAuthor {
	for _, n := range names {
		if n = clean(n); n != "" {
			return &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: n}}
		}
	}
	return nil
}
