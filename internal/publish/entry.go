package publish

import (
	"strconv"
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
		Lang:       clean(e.Lang),
		ID:         clean(EntryID(*e, src)),
		Title:      text(Title(e)),
		Links:      entryLinks(e, sources),
		Updated:    date(updated),
		Authors:    atomAuthors(e, name),
		Categories: categories(e.Categories),
		Source:     source(src, name, newest, rd),
	}
	if e.Origin != nil {
		// The entry names the feed it was first published in: that stays
		// its atom:source, and the source that carried it is the via.
		a.Source = origin(e.Origin)
		a.Links = append(a.Links, atomLink{Rel: "via", Href: clean(orDefault(src.Homepage, src.URL)), Title: clean(name)})
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

// Title is what an entry is called in every format: its title, else (for
// entries stored before untitled posts were titled at ingest) the first
// words of its text, else its link. An empty title is never published:
// readers show an empty <title> as nothing at all, or worse.
func Title(e *model.Entry) string {
	if t := strings.TrimSpace(e.Title); t != "" {
		return e.Title
	}
	if h := model.Headline(textOf(body(e))); h != "" {
		return h
	}
	if e.Link != "" {
		return e.Link
	}
	return "Untitled"
}

// atomAuthors are the entry's authors with their uri and email, else one
// author named by the entry's author string or the source's name.
func atomAuthors(e *model.Entry, sourceName string) []*feeds.AtomAuthor {
	var out []*feeds.AtomAuthor
	for _, p := range e.Authors {
		if n := clean(p.Name); n != "" {
			out = append(out, &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: n, Uri: clean(p.URI), Email: clean(p.Email)}})
		}
	}
	if len(out) > 0 {
		return out
	}
	if a := author(e.Author, sourceName); a != nil {
		return []*feeds.AtomAuthor{a}
	}
	return nil
}

// entryLinks is the one rel="alternate" link to the post, one
// rel="enclosure" link per attached file, then one rel="related" link per
// copy that another source carries, titled with that source's name so the
// reader sees where else it was posted.
func entryLinks(e *model.Entry, sources map[int64]model.Source) []atomLink {
	links := make([]atomLink, 0, 1+len(e.Enclosures)+len(e.Alternates))
	if e.Link != "" {
		links = append(links, atomLink{Rel: "alternate", Href: clean(e.Link)})
	}
	for _, enc := range e.Enclosures {
		links = append(links, atomLink{Rel: "enclosure", Href: clean(enc.URL), Type: clean(enc.Type), Title: clean(enc.Title), Length: length(enc.Length)})
	}
	for _, alt := range e.Alternates {
		if alt.Link == "" {
			continue
		}
		links = append(links, atomLink{Rel: "related", Href: clean(alt.Link), Title: clean(SourceName(sources[alt.SourceID]))})
	}
	return links
}

// length is an enclosure's length attribute, "" when unknown.
func length(n int64) string {
	if n <= 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
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
	title := text(name)
	s := &atomSource{
		ID:      clean(id),
		Title:   &title,
		Updated: date(updated),
		Links:   []atomLink{{Rel: "self", Href: clean(rd.URL(src.URL))}},
	}
	if src.Homepage != "" {
		s.Links = append(s.Links, atomLink{Rel: "alternate", Href: clean(src.Homepage), Type: "text/html"})
	}
	return s
}

// origin is the atom:source an entry gave itself, as it gave it.
func origin(o *model.Origin) *atomSource {
	s := &atomSource{ID: clean(o.ID)}
	if t := clean(o.Title); t != "" {
		title := text(t)
		s.Title = &title
	}
	if !o.Updated.IsZero() {
		s.Updated = date(o.Updated)
	}
	if o.Self != "" {
		s.Links = append(s.Links, atomLink{Rel: "self", Href: clean(o.Self)})
	}
	if o.Link != "" {
		s.Links = append(s.Links, atomLink{Rel: "alternate", Href: clean(o.Link), Type: "text/html"})
	}
	return s
}
