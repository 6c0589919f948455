package site

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/opml"
	"github.com/villagefeeds/village/internal/publish"
)

// urlPath is where page n of path is served: the path itself on the daemon
// (?page=N leaves the directory alone), its file's directory when static.
func (bd *build) urlPath(path string, n int) string {
	if !bd.opts.Static {
		return path
	}
	return "/" + strings.TrimSuffix(Doc{Path: path, Page: n}.File(), "index.html")
}

// href links from a page whose root is root to page n of path.
func (bd *build) href(root, path string, n int) string {
	if bd.opts.Static {
		return root + strings.TrimPrefix(bd.urlPath(path, n), "/")
	}
	h := root + strings.TrimPrefix(path, "/")
	if n > 1 {
		h += "?page=" + fmt.Sprint(n)
	}
	return h
}

// abs is the absolute URL of page n of path.
func (bd *build) abs(path string, n int) string {
	if bd.opts.Static {
		return bd.opts.Link + Doc{Path: path, Page: n}.File()
	}
	return bd.opts.Link + strings.TrimPrefix(Key{path, n}.String(), "/")
}

// page renders page n of l as HTML.
func (bd *build) page(l *listing, n, pages int, entries []model.Entry) (Doc, error) {
	root := rootOf(bd.urlPath(l.path, n))
	p := Page{
		Site: bd.info, Kind: l.kind, Title: l.title, Root: root, Number: n, Pages: pages,
		Tag: l.tag, Tags: bd.tags, Feeds: bd.feedLinks(l),
		Style: root + "style.css",
	}
	p.Site.OPML, p.Site.Home = root+"opml.xml", root
	if u := updated(entries); !u.IsZero() {
		p.Updated, p.UpdatedTime = u.UTC().Format(timeFormat), u.UTC().Format(time.RFC3339)
	}
	if l.source != nil {
		s := l.source.at(root)
		p.Source = &s
	}
	p.SourceCount, p.Subscriptions = len(bd.list), bd.subscriptionsAt(root)
	if n == 1 && (l.kind != "home" || !bd.listsApart()) {
		p.Sources = sourcesAt(root, l.sidebar)
	}
	if len(p.Sources) > 0 {
		p.Subscriptions = "#subscriptions"
	}
	if n > 1 {
		p.Newer = bd.href(root, l.path, n-1)
	}
	if n < pages {
		p.Older = bd.href(root, l.path, n+1)
	}
	var err error
	if p.Entries, err = bd.entries(entries, root); err != nil {
		return Doc{}, err
	}
	var buf bytes.Buffer
	buf.Grow(pageSize(&p))
	if err := bd.theme.page.Execute(&buf, &p); err != nil {
		return Doc{}, fmt.Errorf("render %s: %w", Key{l.path, n}, err)
	}
	return Doc{Path: l.path, Page: n, ContentType: TypeHTML, Body: buf.Bytes()}, nil
}

// maxListedBeside is how many sources the front page lists beside the
// posts, as Planet Venus lists them all; a planet of more lists them on a
// page of their own (/sources/) and links to it. Ten thousand of them
// made the front page 4 MB, rendered again after every poll that changed
// one source's health.
const maxListedBeside = 1000

// listsApart reports whether the planet lists its sources on a page of
// their own rather than on the front page.
func (bd *build) listsApart() bool { return len(bd.list) > maxListedBeside }

// subscriptionsAt links from a page whose root is root to the list of
// every subscription.
func (bd *build) subscriptionsAt(root string) string {
	if bd.listsApart() {
		return root + strings.TrimPrefix(SubscriptionsPath, "/")
	}
	return root + "#subscriptions"
}

// SubscriptionsPath is the page of every subscription with its health:
// like the front page, it changes with any source's health.
const SubscriptionsPath = "/sources/"

// subscriptionsPage renders the page of every subscription with its
// health. Every planet has it; the front page links to it when it does not
// list them itself (listsApart).
func (bd *build) subscriptionsPage() (Doc, error) {
	l := &listing{kind: "sources", path: SubscriptionsPath, title: "Subscriptions", sidebar: bd.list}
	return bd.page(l, 1, 1, nil)
}

// pageSize guesses the bytes of p as HTML, so that the buffer of a large
// front page (ten thousand subscriptions) grows once rather than doubling
// a dozen times into garbage.
func pageSize(p *Page) int {
	n := 8<<10 + 300*len(p.Sources) + 100*len(p.Tags)
	for i := range p.Entries {
		e := &p.Entries[i]
		n += 600 + len(e.Content) + len(e.More)
	}
	return n
}

func (bd *build) feedLinks(l *listing) []Feed {
	if l.kind == "sources" {
		l = &bd.home // the subscriptions page offers the merged feeds
	}
	base := strings.TrimPrefix(l.path, "/")
	fs := []Feed{{Title: "Atom", Type: "application/atom+xml", Href: base + "atom.xml"}}
	for _, f := range l.formats {
		switch f {
		case "rss.xml":
			fs = append(fs, Feed{Title: "RSS", Type: "application/rss+xml", Href: base + f})
		case "feed.json":
			fs = append(fs, Feed{Title: "JSON Feed", Type: "application/feed+json", Href: base + f})
		}
	}
	return fs
}

// entries converts a page of entries for the template, on a page whose
// root is root.
func (bd *build) entries(in []model.Entry, root string) ([]Entry, error) {
	out := make([]Entry, len(in))
	here := map[int64]*Source{} // the sources as this page shows them
	for i := range in {
		e := &in[i]
		src, ok := here[e.SourceID]
		if !ok {
			s, known := bd.source(e.SourceID)
			if !known {
				return nil, fmt.Errorf("entry %d: source %d: %w", e.ID, e.SourceID, publish.ErrUnknownSource)
			}
			at := s.at(root)
			src, here[e.SourceID] = &at, &at
		}
		body := e.Content
		if body == "" {
			body = e.Summary
		}
		f := bd.b.folder.fold(e.ID, body)
		out[i] = Entry{
			ID:         publish.EntryID(*e, bd.models[bd.byID[e.SourceID]]),
			Title:      publish.Title(e),
			Link:       e.Link,
			Author:     e.Author,
			Source:     src,
			Published:  e.Published,
			Date:       e.Published.UTC().Format("2 January 2006"),
			DateTime:   e.Published.UTC().Format("2006-01-02T15:04:05Z07:00"),
			Content:    f.Head,
			More:       f.More,
			Categories: e.Categories,
			Lang:       e.Lang,
			Enclosures: enclosures(e.Enclosures),
		}
		if out[i].Author == "" {
			out[i].Author = src.Name
		}
		for _, a := range e.Alternates {
			if other, ok := bd.source(a.SourceID); ok && a.Link != "" {
				out[i].Alternates = append(out[i].Alternates, Alternate{Name: other.Name, Link: a.Link})
			}
		}
	}
	return out, nil
}

// feeds renders the feeds of page n of l: Atom on every page, the other
// formats on the first.
func (bd *build) feeds(l *listing, n, pages int, entries []model.Entry) ([]Doc, error) {
	a, err := bd.atom(l, n, pages, entries)
	if err != nil {
		return nil, err
	}
	docs := []Doc{a}
	if n > 1 {
		return docs, nil
	}
	for _, f := range l.formats {
		d, err := bd.format(l, f, entries)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// format renders l's feed named name ("rss.xml" or "feed.json"), which
// has one page.
func (bd *build) format(l *listing, name string, entries []model.Entry) (Doc, error) {
	m := bd.meta(l)
	d := Doc{Path: l.path + name, Page: 1, Topic: true}
	m.SelfURL = bd.abs(d.Path, 1)
	var err error
	switch name {
	case "rss.xml":
		d.ContentType = TypeRSS
		d.Body, err = publish.RSS(m, entries, bd.modelsFor(entries))
	case "feed.json":
		d.ContentType = TypeJSON
		d.Body, err = publish.JSON(m, entries, bd.modelsFor(entries))
	default:
		return Doc{}, ErrNoPage
	}
	return d, err
}

// atom renders page n of l's Atom feed, paged as RFC 5005 says when l is.
func (bd *build) atom(l *listing, n, pages int, entries []model.Entry) (Doc, error) {
	atomPath := l.path + "atom.xml"
	m := bd.meta(l)
	m.SelfURL = bd.abs(atomPath, n)
	if l.paged {
		m.Links = append(m.Links, bd.pagingLinks(atomPath, n, pages)...)
	}
	body, err := publish.Atom(m, entries, bd.modelsFor(entries))
	if err != nil {
		return Doc{}, err
	}
	return Doc{Path: atomPath, Page: n, ContentType: TypeAtom, Body: body, Topic: n == 1}, nil
}

// meta describes l's feeds; the caller sets SelfURL. Link, also the
// feed's atom:id, is the listing's directory URL whether the site is
// served or static ("…/", never "…/index.html"), so a reader that
// subscribed to either sees one feed.
func (bd *build) meta(l *listing) publish.Meta {
	o := bd.opts
	m := publish.Meta{
		Title: o.Title, Link: o.Link + strings.TrimPrefix(l.path, "/"), Author: o.Author, Description: o.Description,
		Generator: o.Generator, Version: o.Version, URI: "https://github.com/villagefeeds/village",
		Redact: o.Redact,
	}
	if l.kind != "home" {
		m.Title = l.title + " · " + o.Title
		m.Description = ""
	}
	if o.Hub != "" {
		m.Links = []publish.Link{{Rel: "hub", Href: o.Hub}}
	}
	return m
}

// pagingLinks are RFC 5005's first, previous and next links of page n.
func (bd *build) pagingLinks(path string, n, pages int) []publish.Link {
	const t = "application/atom+xml"
	links := []publish.Link{{Rel: "first", Href: bd.abs(path, 1), Type: t}}
	if n > 1 {
		links = append(links, publish.Link{Rel: "previous", Href: bd.abs(path, n-1), Type: t})
	}
	if n < pages {
		links = append(links, publish.Link{Rel: "next", Href: bd.abs(path, n+1), Type: t})
	}
	return append(links, publish.Link{Rel: "last", Href: bd.abs(path, pages), Type: t})
}

// style is the stylesheet.
func (bd *build) style() Doc {
	return Doc{Path: "/style.css", Page: 1, ContentType: TypeCSS, Body: bd.theme.style}
}

// opml lists the sources, categorised by their tags.
func (bd *build) opml() (Doc, error) {
	outs := make([]opml.Outline, len(bd.list))
	for i, s := range bd.list {
		outs[i] = opml.Outline{Text: s.Name, Title: s.Name, Type: "rss", XMLURL: s.URL, HTMLURL: s.Homepage, Category: strings.Join(s.Tags, ",")}
	}
	body, err := opml.Render(bd.opts.Title, outs)
	if err != nil {
		return Doc{}, err
	}
	return Doc{Path: "/opml.xml", Page: 1, ContentType: TypeOPML, Body: body}, nil
}

// enclosures lists a post's attached files for the page.
func enclosures(encs []model.Enclosure) []Enclosure {
	var out []Enclosure
	for _, e := range encs {
		name := e.Title
		if name == "" {
			name = path.Base(strings.TrimSuffix(e.URL, "/"))
		}
		out = append(out, Enclosure{URL: e.URL, Type: e.Type, Name: name, Size: byteSize(e.Length)})
	}
	return out
}

// byteSize formats a file size for people, "" when unknown.
func byteSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%d kB", n/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

// updated is when the newest of a page's posts was first stored, for the
// page's "updated" line: it changes with the content, not with every
// render, and costs no query of its own.
func updated(entries []model.Entry) time.Time {
	var t time.Time
	for i := range entries {
		if entries[i].FirstSeen.After(t) {
			t = entries[i].FirstSeen
		}
	}
	return t
}
