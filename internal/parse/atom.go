package parse

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed/atom"

	"github.com/villagefeeds/village/internal/model"
)

// fromAtom maps Atom 1.0 and 0.3 (gofeed reads issued/modified into
// Published/Updated). gofeed has already resolved link hrefs, and the URLs
// in html content, against any xml:base in scope; x holds what gofeed
// drops (see scanExtras).
func fromAtom(f *atom.Feed, base *url.URL, x *docExtras) (*Feed, []*entry) {
	_, link := absLink(base, alternateLink(f.Links))
	def := feedDefaults{authors: cleanPeople(atomPeople(f.Authors), base), lang: cleanLang(f.Language)}
	title := plainText(f.Title)
	if x != nil {
		title = constructText(f.Title, x.title)
	}
	self := urlString(base)
	feed := def.feed(firstNonEmpty(strings.TrimSpace(cleanString(f.ID)), link), title, link, len(f.Entries))
	raw := make([]*entry, 0, len(f.Entries))
	for i, en := range f.Entries {
		if en == nil {
			continue
		}
		e := atomEntry(en, x.item(i, len(f.Entries)))
		if e.origin != nil && (e.origin.ID == feed.ID || e.origin.Self == self) {
			e.origin = nil // the feed names itself: it is the origin
		}
		raw = append(raw, e)
		feed.Items = append(feed.Items, e.shell(base, def))
	}
	return feed, raw
}

// constructText is a feed's or source's title as plain text, read as its
// type says.
func constructText(value string, c construct) string {
	if c.kind() == "xhtml" && c.isXHTML {
		return markupText(c.xhtml)
	}
	return titleText(decodeMode(value, c), textKind(c))
}

// textKind is how to read a title of construct c as text: no type at all
// is Atom's default, text.
func textKind(c construct) string {
	switch c.kind() {
	case "html", "xhtml":
		return kindHTML
	}
	return kindText
}

func atomEntry(en *atom.Entry, x extra) *entry {
	e := &entry{
		guid:       en.ID,
		link:       alternateLink(en.Links),
		title:      decodeMode(en.Title, x.title),
		titleKind:  kindGuess, // unless the scan saw its type
		authors:    atomPeople(en.Authors),
		content:    atomContent(en.Content, x.content),
		summary:    atomSummary(en.Summary, x),
		enclosures: atomEnclosures(en.Links),
		lang:       x.lang,
		origin:     atomOrigin(en.Source),
		published:  firstDate(utc(en.PublishedParsed), utc(en.UpdatedParsed)),
		updated:    utc(en.UpdatedParsed),
	}
	if x.content.hollow {
		e.contentBase = x.content.base
	}
	if x.summary.hollow {
		e.summaryBase = x.summary.base
	}
	if x.seen {
		e.titleKind = textKind(x.title)
	}
	if x.title.isXHTML {
		e.title = x.title.xhtml
	}
	if e.link == "" && isHTTPURL(en.ID) {
		e.link = en.ID
	}
	if len(e.authors) == 0 && en.Source != nil {
		e.authors = atomPeople(en.Source.Authors)
	}
	for _, c := range en.Categories {
		if c != nil {
			e.categories = append(e.categories, firstNonEmpty(c.Term, c.Label))
		}
	}
	return e
}

// atomContent returns an entry's content as HTML. Text content becomes
// escaped paragraphs; out-of-line (src) and binary content count as none, so
// the summary is used instead.
func atomContent(c *atom.Content, x construct) string {
	if c == nil || c.Src != "" {
		return ""
	}
	if x.hollow {
		return constructHTML(x.value, x)
	}
	if x.typ == "" && c.Type != "" {
		x.typ = strings.ToLower(strings.TrimSpace(c.Type)) // no extras: gofeed's word
	}
	return constructHTML(c.Value, x)
}

// atomSummary returns a summary as HTML, read as its type says.
func atomSummary(value string, x extra) string {
	if x.summary.hollow {
		value = x.summary.value
	}
	switch {
	case value == "" && !x.summary.isXHTML:
		return ""
	case !x.seen:
		return value // without the scan, take it for HTML, the commoner
	}
	return constructHTML(value, x.summary)
}

// constructHTML turns the value gofeed read for a text construct into HTML.
func constructHTML(value string, x construct) string {
	switch x.kind() {
	case "xhtml":
		if x.isXHTML {
			return x.xhtml
		}
		return value
	case "html":
		return decodeMode(value, x)
	case "text":
		return textToHTML(decodeMode(value, x))
	}
	return ""
}

// decodeMode decodes Atom 0.3's mode="base64" content, which gofeed leaves
// encoded when its type is textual. Content that is not valid base64 is
// kept as it came.
func decodeMode(value string, x construct) string {
	if x.mode != "base64" {
		return value
	}
	compact := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, value)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding} {
		if b, err := enc.DecodeString(compact); err == nil {
			return string(b)
		}
	}
	return value
}

// alternateLink picks the rel="alternate" link (gofeed fills in the default
// rel), preferring an HTML one.
func alternateLink(links []*atom.Link) string {
	first := ""
	for _, l := range links {
		if l == nil || l.Rel != "alternate" || l.Href == "" {
			continue
		}
		t := strings.ToLower(l.Type)
		if t == "" || strings.Contains(t, "html") {
			return l.Href
		}
		if first == "" {
			first = l.Href
		}
	}
	return first
}

// atomEnclosures returns the rel="enclosure" links.
func atomEnclosures(links []*atom.Link) []model.Enclosure {
	var out []model.Enclosure
	for _, l := range links {
		if l != nil && strings.EqualFold(strings.TrimSpace(l.Rel), "enclosure") {
			out = append(out, model.Enclosure{URL: l.Href, Type: l.Type, Length: parseLength(l.Length), Title: l.Title})
		}
	}
	return out
}

// atomOrigin reads an entry's atom:source.
func atomOrigin(s *atom.Source) *model.Origin {
	if s == nil {
		return nil
	}
	o := &model.Origin{ID: s.ID, Title: s.Title, Updated: utc(s.UpdatedParsed)}
	for _, l := range s.Links {
		if l == nil {
			continue
		}
		switch strings.ToLower(l.Rel) {
		case "self":
			o.Self = l.Href
		case "alternate":
			if o.Link == "" {
				o.Link = l.Href
			}
		}
	}
	return o
}

func atomPeople(people []*atom.Person) []model.Person {
	var out []model.Person
	for _, p := range people {
		if p != nil {
			out = append(out, model.Person{Name: p.Name, URI: p.URI, Email: p.Email})
		}
	}
	return out
}
