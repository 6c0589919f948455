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
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	Title       string         `xml:"title,omitempty"`
	Link        string         `xml:"link,omitempty"`
	Description string         `xml:"description"`
	Creator     string         `xml:"dc:creator,omitempty"`
	Categories  []string       `xml:"category"`
	GUID        *feeds.RssGuid `xml:"guid"`
	PubDate     string         `xml:"pubDate,omitempty"`
	Source      *rssSource     `xml:"source"`
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
		Title:       clean(e.Title),
		Link:        clean(e.Link),
		Description: clean(body(e)),
		Creator:     clean(orDefault(e.Author, SourceName(src))),
		GUID:        &feeds.RssGuid{Id: id, IsPermaLink: "false"},
		PubDate:     rssDate(published(e)),
		Source:      &rssSource{URL: clean(rd.URL(src.URL)), Name: clean(SourceName(src))},
	}
	if id == it.Link {
		it.GUID.IsPermaLink = "true"
	}
	for _, c := range categories(e.Categories) {
		it.Categories = append(it.Categories, c.Term)
	}
	return it
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
