package parse

import (
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed/atom"
)

// fromAtom maps Atom 1.0 and 0.3 (gofeed reads issued/modified into
// Published/Updated). gofeed has already resolved link hrefs, and the URLs
// in html and xhtml content, against any xml:base in scope.
func fromAtom(f *atom.Feed, base *url.URL) *Feed {
	_, link := absLink(base, alternateLink(f.Links))
	feed := &Feed{
		ID:     firstNonEmpty(strings.TrimSpace(cleanString(f.ID)), link),
		Title:  plainText(f.Title),
		Link:   link,
		Author: joinNames(personNames(f.Authors)),
		Items:  make([]Item, 0, len(f.Entries)),
	}
	for _, en := range f.Entries {
		if en == nil {
			continue
		}
		e := atomEntry(en)
		feed.Items = append(feed.Items, e.build(base, feed.Author))
	}
	return feed
}

func atomEntry(en *atom.Entry) *entry {
	e := &entry{
		guid:      en.ID,
		link:      alternateLink(en.Links),
		title:     en.Title,
		authors:   personNames(en.Authors),
		content:   atomContent(en.Content),
		summary:   en.Summary,
		published: firstDate(utc(en.PublishedParsed), utc(en.UpdatedParsed)),
		updated:   utc(en.UpdatedParsed),
	}
	if e.link == "" && isHTTPURL(en.ID) {
		e.link = en.ID
	}
	if len(e.authors) == 0 && en.Source != nil {
		e.authors = personNames(en.Source.Authors)
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
func atomContent(c *atom.Content) string {
	if c == nil || c.Src != "" {
		return ""
	}
	switch t := strings.ToLower(strings.TrimSpace(c.Type)); {
	case t == "html" || t == "xhtml" || strings.Contains(t, "html"):
		return c.Value
	case t == "" || t == "text" || strings.HasPrefix(t, "text/"):
		return textToHTML(c.Value)
	}
	return ""
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

func personNames(people []*atom.Person) []string {
	var names []string
	for _, p := range people {
		if p != nil && p.Name != "" {
			names = append(names, p.Name)
		}
	}
	return names
}
