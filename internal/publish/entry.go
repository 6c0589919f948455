package publish

import (
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
)

// newEntry builds the atom:entry of e. src must be e's source; newest is the
// newest atom:updated among that source's entries in this render.
func newEntry(e *model.Entry, updated time.Time, sources map[int64]model.Source, newest time.Time, rd *redact.Redactor) atomEntry {
	src := sources[e.SourceID]
	name := SourceName(src)
	a := atomEntry{
		ID:         clean(EntryID(*e, src)),
		Title:      text(e.Title),
		Links:      entryLinks(e, sources),
		Updated:    date(updated),
		Author:     author(e.Author, name),
		Categories: categories(e.Categories),
		Source:     source(src, name, newest, rd),
	}
	if !e.Published.IsZero() {
		a.Published = date(e.Published)
	}
	content, summary := e.Content, e.Summary
	if content == "" {
		// A reader shows content; do not leave it empty when there is a summary.
		content, summary = summary, ""
	}
	a.Content = &feeds.AtomContent{Type: "html", Content: clean(content)}
	if summary != "" {
		a.Summary = &feeds.AtomSummary{Type: "html", Content: clean(summary)}
	}
	return a
}

// entryLinks is the one rel="alternate" link to the post, then one
// rel="related" link per copy that another source carries, titled with that
// source's name so the reader sees where else it was posted.
func entryLinks(e *model.Entry, sources map[int64]model.Source) []atomLink {
	links := make([]atomLink, 0, 1+len(e.Alternates))
	if e.Link != "" {
		links = append(links, atomLink{Rel: "alternate", Href: clean(e.Link)})
	}
	for _, alt := range e.Alternates {
		if alt.Link == "" {
			continue
		}
		links = append(links, atomLink{Rel: "related", Href: clean(alt.Link), Title: clean(SourceName(sources[alt.SourceID]))})
	}
	return links
}

// categories returns one atom:category per distinct term, in first-seen
// order. Terms that differ only in case or surrounding space are one term:
// feeds are inconsistent about both.
func categories(terms []string) []atomCategory {
	if len(terms) == 0 {
		return nil
	}
	out := make([]atomCategory, 0, len(terms))
next:
	for _, t := range terms {
		t = strings.TrimSpace(clean(t))
		if t == "" {
			continue
		}
		for _, c := range out {
			if strings.EqualFold(c.Term, t) {
				continue next
			}
		}
		out = append(out, atomCategory{Term: t})
	}
	return out
}

// source is the atom:source of an entry from src, with the secrets of its
// URLs hidden: a feed URL may carry a token, and this is published.
func source(src model.Source, name string, updated time.Time, rd *redact.Redactor) *atomSource {
	id := src.FeedID
	if id == "" {
		id = rd.URL(src.URL)
	}
	s := &atomSource{
		ID:      clean(id),
		Title:   text(name),
		Updated: date(updated),
		Links:   []atomLink{{Rel: "self", Href: clean(rd.URL(src.URL))}},
	}
	if src.Homepage != "" {
		s.Links = append(s.Links, atomLink{Rel: "alternate", Href: clean(src.Homepage), Type: "text/html"})
	}
	return s
}
