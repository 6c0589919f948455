package publish

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/gorilla/feeds"

	"github.com/villagefeeds/village/internal/model"
	"github.com/villagefeeds/village/internal/redact"
)

// RSS 2.0 as gorilla/feeds writes it, with two additions it lacks: atom:link
// for self, hub and paging (RFC 5005 and WebSub both ask for it in RSS), and
// dc:creator, since RSS's own author element must be an e-mail address.
const (
	dcNS = "http://purl.org/dc/elements/1.1/"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	DCNS    string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

// FeedXml returns the value feeds.WriteXML marshals.
func (d *rssDoc) FeedXml() interface{} { return d }

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Links         []rssLink `xml:"atom:link"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssLink struct {
	Rel    string `xml:"rel,attr"`
	Href   string `xml:"href,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

type rssItem struct {
	Title       string         `xml:"title,omitempty"`
	Link        string         `xml:"link,omitempty"`
	Description string         `xml:"description"`
	Author      string         `xml:"author,omitempty"` // "email (Name)", as RSS wants
	Creators    []string       `xml:"dc:creator"`
	Language    string         `xml:"dc:language,omitempty"`
	Categories  []string       `xml:"category"`
	Enclosure   *rssEnclosure  `xml:"enclosure"`
	Links       []rssLink      `xml:"atom:link"` // the enclosures after the first, which RSS has no room for
	GUID        *feeds.RssGuid `xml:"guid"`
	PubDate     string         `xml:"pubDate,omitempty"`
	Source      *rssSource     `xml:"source"`
}

// rssEnclosure is RSS 2.0's <enclosure>; its length is required, 0 when
// unknown as the RSS Advisory Board advises.
type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// rssSource credits the feed an item came from (RSS 2.0 <source>).
type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

// RSS renders entries as an RSS 2.0 document with the same ids as Atom: a
// guid is isPermaLink="true" only when the id is the post's own URL, which
// readers may then open. Meta.Links become atom:link elements.
func RSS(m Meta, entries []model.Entry, sources map[int64]model.Source) ([]byte, error) {
	ids, err := entryIDs(entries, sources)
	if err != nil {
		return nil, fmt.Errorf("publish rss: %w", err)
	}
	doc := &rssDoc{Version: "2.0", AtomNS: atomNS, DCNS: dcNS, Channel: rssChannel{
		Title:       clean(m.Title),
		Link:        clean(m.Link),
		Description: clean(orDefault(m.Description, m.Title)),
		Links:       rssLinks(m),
	}}
	if m.Generator != "" {
		doc.Channel.Generator = clean(m.Generator + " " + m.Version)
	}
	if len(entries) > 0 {
		doc.Channel.LastBuildDate = rssDate(newestUpdated(entries))
	}
	doc.Channel.Items = make([]rssItem, len(entries))
	size := 2048
	for i := range entries {
		e := &entries[i]
		doc.Channel.Items[i] = newRSSItem(e, ids[i], sources[e.SourceID], m.Redact)
		size += 512 + len(body(e))*3/2
	}
	var buf bytes.Buffer
	buf.Grow(size)
	if err := feeds.WriteXML(doc, &buf); err != nil {
		return nil, fmt.Errorf("publish rss: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func rssLinks(m Meta) []rssLink {
	var out []rssLink
	if m.SelfURL != "" {
		out = append(out, rssLink{Rel: "self", Href: clean(m.SelfURL), Type: "application/rss+xml"})
	}
	for _, l := range m.Links {
		if l.Href != "" {
			out = append(out, rssLink{Rel: clean(l.Rel), Href: clean(l.Href), Type: clean(l.Type)})
		}
	}
	return out
}

func newRSSItem(e *model.Entry, id string, src model.Source, rd *redact.Redactor) rssItem {
	it := rssItem{
		Title:       clean(Title(e)),
		Link:        clean(e.Link),
		Description: clean(body(e)),
		Language:    clean(e.Lang),
		GUID:        &feeds.RssGuid{Id: id, IsPermaLink: "false"},
		PubDate:     rssDate(published(e)),
		Source:      &rssSource{URL: clean(rd.URL(src.URL)), Name: clean(SourceName(src))},
	}
	if id == it.Link {
		it.GUID.IsPermaLink = "true"
	}
	if o := e.Origin; o != nil && o.Self != "" {
		it.Source = &rssSource{URL: clean(o.Self), Name: clean(orDefault(o.Title, o.Self))}
	}
	it.Author, it.Creators = rssAuthors(e, SourceName(src))
	for _, c := range categories(e.Categories) {
		it.Categories = append(it.Categories, c.Term)
	}
	for i, enc := range e.Enclosures {
		if i == 0 {
			it.Enclosure = &rssEnclosure{URL: clean(enc.URL), Length: enc.Length, Type: clean(orDefault(enc.Type, "application/octet-stream"))}
			continue
		}
		it.Links = append(it.Links, rssLink{Rel: "enclosure", Href: clean(enc.URL), Type: clean(enc.Type), Title: clean(enc.Title), Length: length(enc.Length)})
	}
	return it
}

// rssAuthors returns RSS's <author>, "email (Name)" for the first author
// with an address, and a dc:creator per author name (the source's name
// when there is none). RSS has no place for an author's web address.
func rssAuthors(e *model.Entry, sourceName string) (author string, creators []string) {
	for _, p := range e.Authors {
		if n := clean(p.Name); n != "" {
			creators = append(creators, n)
		}
		if author == "" && p.Email != "" {
			author = clean(p.Email)
			if n := clean(p.Name); n != "" {
				author += " (" + n + ")"
			}
		}
	}
	if len(creators) == 0 {
		creators = []string{clean(orDefault(e.Author, sourceName))}
	}
	return author, creators
}

// published is when e was published, else its atom:updated.
func published(e *model.Entry) time.Time {
	if !e.Published.IsZero() {
		return e.Published
	}
	return entryUpdated(e)
}

// rssDate formats t as RFC 822 (with a four-digit year), in UTC.
func rssDate(t time.Time) string {
	return t.UTC().Format(time.RFC1123Z)
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
